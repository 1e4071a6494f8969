"""GradientTape behaviour: what is recorded, accumulation, and the reverse walk."""

import numpy as np
import pytest

from kerasette import ops


def tensor(values):
    return ops.convert_to_tensor(np.asarray(values, dtype=np.float64))


def test_a_tensor_used_twice_accumulates(backend):
    x = tensor([1.0, -2.0, 3.0])
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * x + x)
    (g,) = tape.gradient(y, [x])
    np.testing.assert_array_equal(g.numpy(), 2 * x.numpy() + 1)


def test_diamond_graph(backend):
    a, b = tensor(2.0), tensor(3.0)
    with ops.GradientTape() as tape:
        tape.watch(a)
        tape.watch(b)
        y = a * b
        z = y + y * a  # z = ab + a^2 b
    ga, gb = tape.gradient(z, [a, b])
    assert float(ga) == 3.0 + 2 * 2.0 * 3.0  # b + 2ab
    assert float(gb) == 2.0 + 4.0  # a + a^2


def test_unconnected_and_untracked_sources_get_none(backend):
    x, unused, plain = tensor([1.0]), tensor([2.0]), tensor([3.0])
    with ops.GradientTape() as tape:
        tape.watch(x)
        tape.watch(unused)
        y = ops.sum(x * plain)
    assert tape.gradient(y, [x, unused, plain])[1:] == [None, None]


def test_trainable_variables_are_tracked_without_watch(backend):
    w = ops.Variable(np.array([1.0, 2.0]), name="w")
    frozen = ops.Variable(np.array([3.0, 4.0]), name="frozen", trainable=False)
    with ops.GradientTape() as tape:
        y = ops.sum(w * frozen)
    gw, gf = tape.gradient(y, [w, frozen])
    np.testing.assert_array_equal(gw.numpy(), [3.0, 4.0])
    assert gf is None


def test_stop_gradient_and_stop_recording(backend):
    x = tensor([1.0, 2.0])
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * ops.stop_gradient(x))
        with ops.stop_recording():
            z = ops.sum(x * x)
    np.testing.assert_array_equal(tape.gradient(y, [x])[0].numpy(), x.numpy())
    assert z.node is None
    assert tape.gradient(z, [x]) == [None]


def test_nothing_is_recorded_without_a_tape(backend):
    x = tensor([1.0])
    x.tracked = True
    assert (x * 2.0).node is None


def test_output_gradient_accepts_numpy_and_tensors(backend):
    x = tensor(np.arange(16.0).reshape(1, 4, 4, 1))
    kernel = tensor(np.ones((2, 2, 1, 1)))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.conv(x, kernel)
    upstream = np.arange(9.0).reshape(1, 3, 3, 1)
    (from_numpy,) = tape.gradient(y, [x], output_gradient=upstream)
    (from_tensor,) = tape.gradient(y, [x], output_gradient=tensor(upstream))
    np.testing.assert_array_equal(from_numpy.numpy(), from_tensor.numpy())
    assert from_numpy.numpy()[0, 0, 0, 0] == 0.0 and from_numpy.numpy()[0, 1, 1, 0] == 0 + 1 + 3 + 4


def test_target_as_its_own_source_gets_ones(backend):
    x = tensor([[1.0, 2.0]])
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = x * 3.0
    np.testing.assert_array_equal(tape.gradient(y, [y])[0].numpy(), np.ones((1, 2)))


def test_long_chains_do_not_recurse(backend):
    x = tensor(1.0)
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(3000):
            y = y * 1.0001
    (g,) = tape.gradient(y, [x])
    assert float(g) == pytest.approx(1.0001**3000, rel=1e-9)


def test_nested_tapes_and_gradient_after_exit(backend):
    x = tensor(3.0)
    with ops.GradientTape() as outer:
        outer.watch(x)
        with ops.GradientTape() as inner:
            y = x * x
        z = y * x
    assert float(inner.gradient(y, [x])[0]) == 6.0
    assert float(outer.gradient(z, [x])[0]) == 27.0


def test_gradients_are_computed_without_recording(backend):
    x = tensor([1.0, 2.0])
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.exp(x))
        (g,) = tape.gradient(y, [x])
    assert g.node is None
