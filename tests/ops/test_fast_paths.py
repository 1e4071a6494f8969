"""The numpy backend's fast paths give the plain answers.

The fast paths only switch on for large arrays (chunks of images, splits over the thread pool),
which the op specs never reach. Here the thresholds are lowered so that small inputs take every
fast path (one image per chunk, two workers, every array split), and the specs' forward values and
finite-difference gradients are checked again, with the same tolerances. The fused optimizer
updates must match the composite formulas bit for bit.
"""

import numpy as np
import pytest
from kerasette.backends.numpy import _buffers as np_buffers
from kerasette.backends.numpy import _threads as np_threads
from kerasette.backends.numpy import core as np_core
from kerasette.backends.numpy import nn as np_nn
from op_specs import SPECS, conv_reference
from test_op_specs import _draw, _wrt, numeric_gradient, tape_gradients

from kerasette import ops, optimizers
from kerasette.ops import random as krandom
from kerasette.ops import updates

FAST_PATH_SPECS = [s for s in SPECS if s.name.startswith(("conv_", "max_pool_", "relu", "bias_add_relu", "matmul"))]


@pytest.fixture
def every_fast_path(monkeypatch):
    """Thresholds at their minimum and a pool of two workers: small inputs take the large-input paths."""
    threads = np_threads.threads()
    monkeypatch.setattr(threads, "workers", 2)
    monkeypatch.setattr(np_threads, "CHUNK_BYTES", 1)
    monkeypatch.setattr(np_threads, "PARALLEL_ELEMENTS", 2)
    monkeypatch.setattr(np_threads, "splits", lambda n, min_size=1: _two_ranges(n))
    return threads


def _two_ranges(n):
    return [(0, n // 2), (n // 2, n)] if n >= 2 else [(0, n)]


@pytest.mark.parametrize("spec", FAST_PATH_SPECS, ids=lambda s: s.name)
def test_specs_on_the_fast_paths(spec, every_fast_path):
    arrays = _draw(spec)
    expected = np.asarray(spec.expected(*[a.copy() for a in arrays]))
    out = spec.op(*[ops.convert_to_tensor(a) for a in arrays])
    np.testing.assert_allclose(out.numpy(), expected, rtol=spec.rtol, atol=spec.atol)
    wrt = _wrt(spec, arrays)
    _, cotangent, grads = tape_gradients(spec, arrays, wrt, cotangent_seed=1)
    for i, grad in zip(wrt, grads):
        numeric = numeric_gradient(spec, arrays, i, cotangent)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-6, atol=1e-6, err_msg=f"input {i}")


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_float32_convolution_at_a_cnn_shape_matches_float64(padding):
    """Conv2D(64) after Conv2D(32) on a batch of 28x28 images: every chunk and the pool, in float32."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((9, 26, 26, 32))
    k = rng.standard_normal((3, 3, 32, 64)) * 0.1
    x32, k32 = ops.convert_to_tensor(x.astype(np.float32)), ops.convert_to_tensor(k.astype(np.float32))
    with ops.GradientTape() as tape:
        tape.watch(x32)
        tape.watch(k32)
        y = ops.conv(x32, k32, padding=padding)
        cotangent = rng.standard_normal(y.shape)
        loss = ops.sum(ops.multiply(y, ops.convert_to_tensor(cotangent.astype(np.float32))))
    dx, dk = tape.gradient(loss, [x32, k32])
    np.testing.assert_allclose(y.numpy(), conv_reference(x, k, (1, 1), padding, (1, 1)), rtol=2e-5, atol=2e-4)
    x64, k64 = ops.convert_to_tensor(x), ops.convert_to_tensor(k)
    with ops.GradientTape() as tape:
        tape.watch(x64)
        tape.watch(k64)
        loss = ops.sum(ops.multiply(ops.conv(x64, k64, padding=padding), ops.convert_to_tensor(cotangent)))
    dx64, dk64 = tape.gradient(loss, [x64, k64])
    np.testing.assert_allclose(dx.numpy(), dx64.numpy(), rtol=2e-5, atol=2e-4)
    np.testing.assert_allclose(dk.numpy(), dk64.numpy(), rtol=2e-5, atol=2e-3)


def test_fused_conv_bias_relu_at_a_cnn_shape_matches_the_unfused_ops():
    rng = np.random.default_rng(2)
    x = ops.convert_to_tensor(rng.standard_normal((9, 26, 26, 32)).astype(np.float32))
    k = ops.convert_to_tensor((rng.standard_normal((3, 3, 32, 64)) * 0.1).astype(np.float32))
    b = ops.convert_to_tensor((rng.standard_normal(64) * 0.1).astype(np.float32))
    cotangent = ops.convert_to_tensor(rng.standard_normal((9, 24, 24, 64)).astype(np.float32))
    results = []
    for fused in (True, False):
        with ops.GradientTape() as tape:
            for t in (x, k, b):
                tape.watch(t)
            y = ops.conv_bias_relu(x, k, b) if fused else ops.relu(ops.add(ops.conv(x, k), b))
            loss = ops.sum(ops.multiply(y, cotangent))
        results.append([y.numpy()] + [g.numpy() for g in tape.gradient(loss, [x, k, b])])
    for got, want, atol in zip(results[0], results[1], (1e-6, 1e-5, 1e-3, 1e-3)):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=atol)


def test_pool_runs_tasks_in_order_and_restores_blas_threads(every_fast_path):
    threads = every_fast_path
    before = threads.get_blas() if threads.get_blas else None
    assert np_threads.parallel([lambda i=i: i * i for i in range(7)]) == [i * i for i in range(7)]
    nested = np_threads.parallel([lambda: np_threads.parallel([lambda: 1, lambda: 2]), lambda: 3])
    assert nested == [[1, 2], 3]
    if before is not None:
        assert threads.get_blas() == before


def test_pool_reraises_a_task_error(every_fast_path):
    def boom():
        raise ValueError("inside a task")

    with pytest.raises(ValueError, match="inside a task"):
        np_threads.parallel([lambda: 1, boom, lambda: 3])
    if every_fast_path.get_blas:
        assert every_fast_path.depth == 0


def _composite_step(optimizer_class, config, values, grads, steps):
    """The composite (ops) update formulas, as in the optimizers' update_step before fusing."""
    variables = [ops.Variable(v.copy(), name=f"w{i}") for i, v in enumerate(values)]
    optimizer = optimizer_class(**config)
    optimizer.build(variables)
    fused = optimizer_class.update_step

    def composite(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        if isinstance(self, optimizers.Adam):
            t = self._local_step
            alpha = learning_rate * np.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
            m, v = self._momentums[i], self._velocities[i]
            m.assign(ops.add(m, ops.multiply(ops.subtract(gradient, m), 1.0 - self.beta_1)))
            v.assign(ops.add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1.0 - self.beta_2)))
            update = ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        else:
            velocity = self._velocities[i]
            velocity.assign(ops.add(ops.multiply(velocity, self.rho),
                                    ops.multiply(ops.square(gradient), 1.0 - self.rho)))
            update = ops.divide(ops.multiply(gradient, learning_rate), ops.sqrt(ops.add(velocity, self.epsilon)))
        variable.assign(ops.subtract(variable, update))

    optimizer_class.update_step = composite
    try:
        for step in range(steps):
            optimizer.apply([ops.convert_to_tensor(g[step]) for g in grads], variables)
    finally:
        optimizer_class.update_step = fused
    return [v.numpy() for v in variables]


@pytest.mark.parametrize("optimizer_class, config", [
    (optimizers.Adam, {"learning_rate": 0.01}),
    (optimizers.RMSprop, {"learning_rate": 0.01, "rho": 0.8}),
])
@pytest.mark.parametrize("large", [False, True])
def test_fused_updates_match_the_composite_formulas_bit_for_bit(optimizer_class, config, large, monkeypatch):
    if large:  # the sliced, pooled path
        monkeypatch.setattr(np_threads.threads(), "workers", 2)
        monkeypatch.setattr(np_threads, "PARALLEL_ELEMENTS", 8)
        monkeypatch.setattr(np_threads, "UPDATE_BLOCK", 4)
    rng = np.random.default_rng(1)
    values = [rng.standard_normal((6, 7)).astype(np.float32), rng.standard_normal((7,)).astype(np.float32)]
    grads = [rng.standard_normal((3,) + v.shape).astype(np.float32) for v in values]
    expected = _composite_step(optimizer_class, config, values, grads, steps=3)
    variables = [ops.Variable(v.copy(), name=f"w{i}") for i, v in enumerate(values)]
    optimizer = optimizer_class(**config)
    for step in range(3):
        optimizer.apply([ops.convert_to_tensor(g[step]) for g in grads], variables)
    for got, want in zip(variables, expected):
        np.testing.assert_array_equal(got.numpy(), want)


def test_fused_update_refuses_mismatched_shapes():
    w = ops.Variable(np.zeros((2, 3), np.float32), name="w")
    m = ops.Variable(np.zeros((2, 3), np.float32), name="m")
    v = ops.Variable(np.zeros((3, 2), np.float32), name="v")
    with pytest.raises(ValueError, match="`velocity` has shape"):
        updates.adam_update(w, ops.zeros((2, 3)), m, v, 0.1, 0.9, 0.999, 1e-7)


def test_dropout_mask_is_seeded_and_scaled():
    a = np_nn.dropout_mask((300, 301), 0.25, "float32", (5, 1))
    b = np_nn.dropout_mask((300, 301), 0.25, "float32", (5, 1))
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and set(np.unique(a)) == {0.0, np.float32(1 / 0.75)}
    assert abs((a == 0).mean() - 0.25) < 0.01
    assert not np.array_equal(a, np_nn.dropout_mask((300, 301), 0.25, "float32", (5, 2)))
    np.testing.assert_array_equal(krandom.dropout(ops.ones((4, 5)), 0.0, seed=1).numpy(), np.ones((4, 5)))


@pytest.mark.parametrize("rate, bits", [(0.4, 16), (0.002, 32)])
def test_dropout_mask_is_the_same_split_over_threads(every_fast_path, rate, bits):
    """Split over the pool or not, the mask is the serial Philox stream compared with the rate's threshold.

    16-bit draws for common rates; 32-bit ones near 0 and 1, where the 2**-16 grid would change the rate.
    """
    shape = (370, 290)  # large enough to be split over the pool
    size = shape[0] * shape[1]
    split = np_nn.dropout_mask(shape, rate, "float32", (9, 3))
    draw_type = {16: np.uint16, 32: np.uint32}[bits]
    assert np_nn.dropout_bits(rate) == bits
    words = -(-size // (64 // bits))
    draws = np.random.Philox(key=(9 << 64) | 3).random_raw(words).view(draw_type)[:size]
    kept = draws >= draw_type(round(rate * 2**bits))
    serial = np.where(kept, np.float32(1 / (1 - rate)), np.float32(0)).reshape(shape)
    np.testing.assert_array_equal(split, serial)


@pytest.mark.parametrize("a_shape, b_shape", [
    ((300, 70), (70, 50)),  # split by rows of a
    ((40, 70), (70, 300)),  # few rows: split by columns of b
    ((40, 10), (10, 40)),  # too narrow to split
    ((6, 50, 30), (30, 20)),  # batched: split by the leading batch axis
    ((1, 50, 30), (5, 30, 20)),  # a broadcast over the batch
    ((3, 2, 64, 30), (2, 30, 80)),  # b without the leading batch axis
])
@pytest.mark.parametrize("transposed", [False, True])
def test_a_gemm_split_over_the_pool_equals_one_matmul(monkeypatch, a_shape, b_shape, transposed):
    monkeypatch.setattr(np_threads.threads(), "workers", 2)
    monkeypatch.setattr(np_threads, "SPLIT_MIN_FLOPS", 0)
    calls = []
    real_parallel = np_threads.parallel
    monkeypatch.setattr(np_threads, "parallel", lambda tasks: calls.append(len(tasks)) or real_parallel(tasks))
    rng = np.random.default_rng(3)
    a = rng.standard_normal(a_shape).astype(np.float32)
    b = rng.standard_normal(b_shape).astype(np.float32)
    if transposed:  # transposed views, as the backward GEMMs pass them
        a = np.ascontiguousarray(np.swapaxes(a, -1, -2)).swapaxes(-1, -2)
        b = np.ascontiguousarray(np.swapaxes(b, -1, -2)).swapaxes(-1, -2)
    np.testing.assert_allclose(np_core.matmul(a, b), np.matmul(a, b), rtol=1e-5, atol=1e-5)
    out = np.full(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1]), np.nan, np.float32)
    assert np_threads.gemm(a, b, out=out) is out
    np.testing.assert_allclose(out, np.matmul(a, b), rtol=1e-5, atol=1e-5)
    narrow = max(a.shape[-2], b.shape[-1]) < 2 * np_threads.SPLIT_MIN_ROWS and not a.ndim > 2
    assert calls == ([] if narrow else [2, 2])


def test_gemms_leave_the_blas_thread_count_as_they_found_it(monkeypatch):
    state = np_threads.threads()
    if state.get_blas is None:
        pytest.skip("no OpenBLAS thread controls in this process")
    monkeypatch.setattr(state, "workers", 2)
    before = state.get_blas()
    big, small = np.ones((512, 512), np.float32), np.ones((8, 8), np.float32)
    np_threads.gemm(big, big)  # split over the pool
    np_threads.gemm(small, small)  # whole, at one thread
    assert state.get_blas() == before


def test_large_outputs_are_recycled_only_once_nothing_references_them(monkeypatch):
    monkeypatch.setattr(np_buffers, "recycled", type(np_buffers.recycled)())
    monkeypatch.setattr(np_buffers, "recycle_state", {"bytes": 0})
    a = np_buffers.fresh((512, 1024), np.float32)
    b = np_buffers.fresh((512, 1024), np.float32)
    assert a is not b
    first = id(a)
    view = a[:3]
    del a
    c = np_buffers.fresh((512, 1024), np.float32)
    assert id(c) != first  # a view still holds the first array
    del view
    assert id(np_buffers.fresh((512, 1024), np.float32)) == first
    assert np_buffers.fresh((3, 4), np.float32).shape == (3, 4)  # small arrays: plain np.empty


def test_the_recycled_pool_is_bounded(monkeypatch):
    monkeypatch.setattr(np_buffers, "recycled", type(np_buffers.recycled)())
    monkeypatch.setattr(np_buffers, "recycle_state", {"bytes": 0})
    monkeypatch.setattr(np_buffers, "RECYCLE_MAX_BYTES", 5 << 20)
    for rows in range(256, 256 + 10):
        np_buffers.fresh((rows, 1024), np.float32)
    assert np_buffers.recycle_state["bytes"] <= 5 << 20
    assert len(np_buffers.recycled) < 10


def test_blas_thread_switches_only_where_openblas_would_use_threads(monkeypatch):
    state = np_threads.threads()
    if state.get_blas is None:
        pytest.skip("no OpenBLAS thread controls in this process")
    monkeypatch.setattr(state, "workers", 2)
    switches = []
    real_set = state.set_blas
    monkeypatch.setattr(state, "set_blas", lambda count: switches.append(count) or real_set(count))
    rng = np.random.default_rng(4)

    def product(m, k, n):
        a, b = rng.standard_normal((m, k)).astype(np.float32), rng.standard_normal((k, n)).astype(np.float32)
        switches.clear()
        np.testing.assert_allclose(np_threads.gemm(a, b), a @ b, rtol=1e-5, atol=1e-4)
        return len(switches)

    assert product(1, 128, 10) == 0  # a GEMV OpenBLAS runs on one thread: the setting stays as it is
    assert product(30, 40, 50) == 0  # likewise a small GEMM
    assert product(1, 9216, 128) == 2  # a GEMV it would thread: held at one thread, then restored
    assert product(64, 64, 64) == 2
    # One image through a convolution: one switch (and one restore) for all of its GEMMs.
    x = rng.standard_normal((1, 26, 26, 32)).astype(np.float32)
    kernel = rng.standard_normal((3, 3, 32, 64)).astype(np.float32)
    switches.clear()
    y = np_nn.conv2d(x, kernel, (1, 1), ((0, 0), (0, 0)), (1, 1))
    assert len(switches) == 2 and switches[0] == 1
    reference = sum(x[:, i : i + 24, j : j + 24] @ kernel[i, j] for i in range(3) for j in range(3))
    np.testing.assert_allclose(y, reference, rtol=1e-4, atol=1e-3)
