"""OpenCL reductions, softmax, random streams and optimizer updates, compared with numpy."""

import itertools

import numpy as np
import pytest

pytest.importorskip("pyopencl")



def _has_fp64(ocl):
    from kerasette.backends.opencl import runtime

    return runtime.get().has_fp64


def _axis_choices(ndim):
    """None, every subset of the axes (as a tuple), and each single axis as a negative int."""
    choices = [None]
    for r in range(ndim + 1):
        choices += list(itertools.combinations(range(ndim), r))
    choices += [a - ndim for a in range(ndim)]
    return choices


def _check(ocl, name, a, axis, keepdims, rtol=1e-5, atol=1e-6):
    expected = np.asarray(getattr(np, name)(a, axis=axis, keepdims=keepdims))
    got = ocl.to_numpy(getattr(ocl, name)(ocl.asarray(a), axis=axis, keepdims=keepdims))
    assert got.dtype == expected.dtype, (name, a.shape, axis)
    assert got.shape == expected.shape, (name, a.shape, axis)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=f"{name} {a.shape} axis={axis}")


# ----- reductions --------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(1,), (3,), (17,), (129,), (3, 17), (1, 129), (17, 1), (2, 3, 4), (3, 1, 17),
                                   (2, 3, 4, 5), (3, 17, 1, 5)])
def test_reductions_over_every_axis_combination(ocl, shape):
    a = np.random.default_rng(len(shape)).standard_normal(shape).astype(np.float32)
    a[a > 1.5] = 0  # some exact zeros, so that all() has something to find
    for axis in _axis_choices(len(shape)):
        for keepdims in (False, True):
            for name in ("sum", "mean", "max", "min", "all"):
                _check(ocl, name, a, axis, keepdims)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool", "float64"])
def test_reduction_dtypes_follow_numpy(ocl, dtype):
    if dtype == "float64" and not _has_fp64(ocl):
        pytest.skip("no float64 on this device")
    a = (np.random.default_rng(3).standard_normal((4, 5, 6)) * 5).astype(dtype)
    for axis in (None, 0, 1, -1, (0, 2), (1, 2)):
        for name in ("sum", "mean", "max", "min", "all"):
            _check(ocl, name, a, axis, False, rtol=1e-12, atol=1e-12)
    assert ocl.dtype(ocl.sum(ocl.asarray(a))) == np.sum(a).dtype.name  # int32 and bool sum to int64


def test_full_sum_of_a_million_float32_is_accurate(ocl):
    a = np.random.default_rng(4).standard_normal(1_000_003).astype(np.float32)
    got = ocl.to_numpy(ocl.sum(ocl.asarray(a)))
    exact = a.astype(np.float64).sum()
    assert got.dtype == np.float32 and got.shape == ()
    # numpy's pairwise float32 sum is within this bound too; a naive running sum is not.
    assert abs(float(got) - exact) <= 1e-6 * np.abs(a).sum()
    mean = ocl.to_numpy(ocl.mean(ocl.asarray(a)))
    assert abs(float(mean) - exact / a.size) <= 1e-6 * np.abs(a).mean()


@pytest.mark.parametrize("shape, axis", [((100_003, 3), 0), ((3, 100_003), 1), ((257, 4099), 0), ((40, 5000, 3), 1),
                                         ((5000, 2, 70), (0, 2))])
def test_long_axes_with_few_outputs(ocl, shape, axis):
    a = np.random.default_rng(5).standard_normal(shape)
    for dtype in ("float32", "int32"):
        b = (a * 10).astype(dtype)
        for name in ("sum", "mean", "max", "min"):
            _check(ocl, name, b, axis, False, rtol=2e-5, atol=2e-3 if dtype == "float32" else 1e-9)


def test_integer_sums_are_exact(ocl):
    a = np.random.default_rng(6).integers(-(2**31), 2**31 - 1, size=300_007, dtype=np.int32)
    got = ocl.to_numpy(ocl.sum(ocl.asarray(a)))
    assert got.dtype == np.int64 and int(got) == int(a.astype(np.int64).sum())


def test_nan_propagates_through_max_min_and_sum(ocl):
    a = np.arange(24, dtype=np.float32).reshape(4, 6)
    a[1, 2] = np.nan
    for name in ("max", "min", "sum"):
        for axis in (None, 0, 1):
            expected = getattr(np, name)(a, axis=axis)
            got = ocl.to_numpy(getattr(ocl, name)(ocl.asarray(a), axis=axis))
            np.testing.assert_array_equal(got, expected)


def test_empty_reductions(ocl):
    empty = ocl.asarray(np.zeros((3, 0), np.float32))
    np.testing.assert_array_equal(ocl.to_numpy(ocl.sum(empty, axis=1)), np.zeros(3, np.float32))
    assert ocl.to_numpy(ocl.sum(empty)).shape == ()
    assert ocl.to_numpy(ocl.all(empty, axis=1)).tolist() == [True, True, True]
    assert ocl.to_numpy(ocl.max(empty, axis=0)).shape == (0,)
    for name in ("max", "min"):
        with pytest.raises(ValueError, match="zero-size array"):
            getattr(ocl, name)(empty, axis=1)
        with pytest.raises(ValueError, match="zero-size array"):
            getattr(ocl, name)(empty)
    with pytest.raises(ValueError, match="empty sequence"):
        ocl.argmax(empty, 1)


def test_bad_axes_raise_like_numpy(ocl):
    x = ocl.asarray(np.zeros((2, 3), np.float32))
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        ocl.sum(x, axis=2)
    with pytest.raises(ValueError, match="duplicate"):
        ocl.sum(x, axis=(0, -2))


def test_scalars_and_host_inputs(ocl):
    assert float(ocl.to_numpy(ocl.sum(3.5))) == 3.5
    assert ocl.to_numpy(ocl.max(np.array([1, 5, 2], np.int32))).tolist() == 5
    got = ocl.to_numpy(ocl.mean(np.float32(2.0), axis=None, keepdims=True))
    assert got.shape == () and got.dtype == np.float32


@pytest.mark.parametrize("shape", [(7,), (5, 9), (200, 7, 33), (3, 1, 2000)])
def test_argmax_matches_numpy(ocl, shape):
    a = np.random.default_rng(7).integers(0, 4, size=shape).astype(np.float32)  # many ties: first index wins
    for axis in [None] + list(range(-len(shape), len(shape))):
        got = ocl.to_numpy(ocl.argmax(ocl.asarray(a), axis))
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, np.argmax(a, axis=axis))


def test_argmax_of_long_rows_nan_and_integers(ocl):
    a = np.random.default_rng(8).standard_normal(1_000_003).astype(np.float32)
    assert int(ocl.to_numpy(ocl.argmax(ocl.asarray(a), 0))) == int(np.argmax(a))
    a[[500_000, 700_000]] = np.nan
    assert int(ocl.to_numpy(ocl.argmax(ocl.asarray(a), 0))) == 500_000
    b = np.array([[3, 7, 7], [-1, -1, -5]], np.int32)
    np.testing.assert_array_equal(ocl.to_numpy(ocl.argmax(ocl.asarray(b), 1)), [1, 0])
    np.testing.assert_array_equal(ocl.to_numpy(ocl.argmax(ocl.asarray(b > 0), 0)), [0, 0, 0])


def test_reductions_stay_on_the_device(ocl):
    x = ocl.asarray(np.random.default_rng(9).standard_normal((64, 300)).astype(np.float32))
    before = ocl.counters()
    for result in (ocl.sum(x, axis=0), ocl.mean(x), ocl.max(x, axis=1), ocl.argmax(x, 1), ocl.softmax(x, -1),
                   ocl.log_softmax(x, 0), ocl.all(x, axis=(0, 1))):
        assert result is not None
    after = ocl.counters()
    assert after["host_to_device"] == before["host_to_device"]
    assert after["device_to_host"] == before["device_to_host"]


def test_contiguous_reductions_take_one_launch(ocl):
    x = ocl.asarray(np.ones((64, 300), np.float32))
    for call in (lambda: ocl.sum(x, axis=1), lambda: ocl.max(x, axis=0), lambda: ocl.softmax(x, -1)):
        before = ocl.counters()["kernel_launches"]
        call()
        assert ocl.counters()["kernel_launches"] - before == 1


# ----- softmax -----------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, axis", [((3, 5), -1), ((4, 3), 0), ((2, 3, 4), 1), ((2, 3, 4), (0, 2)),
                                         ((2, 3, 4, 5), (1, 3)), ((2, 3, 4), None), ((1000, 10), -1),
                                         ((7, 3000), 1), ((5,), 0), ((2, 1, 3), 1), ((6, 2, 9), (-1, -2))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_matches_numpy(ocl, npb, shape, axis, dtype):
    if dtype == "float64" and not _has_fp64(ocl):
        pytest.skip("no float64 on this device")
    a = (np.random.default_rng(10).standard_normal(shape) * 30).astype(dtype)
    tol = dict(rtol=2e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-13)
    for name in ("softmax", "log_softmax"):
        expected = getattr(npb, name)(a, axis)
        got = ocl.to_numpy(getattr(ocl, name)(ocl.asarray(a), axis))
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, err_msg=f"{name} {shape} {axis}", **tol)


def test_softmax_rows_sum_to_one_for_large_logits(ocl, npb):
    a = (np.random.default_rng(11).standard_normal((64, 1000)) * 1e4).astype(np.float32)
    a[0, :] = 88.0 + np.arange(1000, dtype=np.float32)  # exp would overflow without the shift
    a[1, :] = -np.inf
    a[1, 5] = 0.0
    got = ocl.to_numpy(ocl.softmax(ocl.asarray(a), -1))
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got.sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(got, npb.softmax(a, -1), rtol=1e-5, atol=1e-7)
    log = ocl.to_numpy(ocl.log_softmax(ocl.asarray(a[2:]), -1))
    np.testing.assert_allclose(log, npb.log_softmax(a[2:], -1), rtol=1e-5, atol=1e-3)


def test_softmax_of_integers_is_float64(ocl, npb):
    if not _has_fp64(ocl):
        pytest.skip("no float64 on this device")
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    got = ocl.to_numpy(ocl.softmax(ocl.asarray(a), -1))
    np.testing.assert_allclose(got, npb.softmax(a, -1), rtol=1e-12)
    assert got.dtype == np.float64


# ----- random ------------------------------------------------------------------------------------
_M0, _M1, _W0, _W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85


def _philox_reference(counter, key):
    """Philox-4x32-10 in Python (Salmon et al., SC'11)."""
    c, k = list(counter), list(key)
    for round_ in range(10):
        if round_:
            k = [(k[0] + _W0) & 0xFFFFFFFF, (k[1] + _W1) & 0xFFFFFFFF]
        p0, p1 = _M0 * c[0], _M1 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & 0xFFFFFFFF, (p0 >> 32) ^ c[3] ^ k[1], p0 & 0xFFFFFFFF]
    return c


def test_philox_matches_the_reference_and_its_known_answers(ocl):
    from kerasette.backends.opencl import launch, memory
    from kerasette.backends.opencl import random as ocl_random

    # Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds).
    assert _philox_reference([0, 0, 0, 0], [0, 0]) == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]
    assert _philox_reference([0xFFFFFFFF] * 4, [0xFFFFFFFF] * 2) == [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]
    seed = (-5, 2**40 + 7)  # masked to 64 bits, like numpy's Philox key
    words = [int(w) for w in ocl_random._seed_words(seed)]
    out = memory.empty((12,), np.uint32)
    kernel = launch.kernel("random.cl", "philox_words", PHILOX_TEST=1)
    launch.run(kernel, 3, None, out, launch.i64(12), *[np.uint32(w) for w in words])
    expected = sum((_philox_reference([j, 0, words[2], words[3]], words[:2]) for j in range(3)), [])
    assert ocl.to_numpy(out).tolist() == expected


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uniform_and_normal_statistics(ocl, dtype):
    if dtype == "float64" and not _has_fp64(ocl):
        pytest.skip("no float64 on this device")
    n = 400_003
    u = ocl.to_numpy(ocl.random_uniform((n,), -2.0, 3.0, dtype, (5, 1)))
    assert u.dtype == dtype and u.shape == (n,)
    assert u.min() >= -2.0 and u.max() < 3.0
    assert abs(u.mean() - 0.5) < 4 * 5 / np.sqrt(12 * n)
    assert abs(u.std() - 5 / np.sqrt(12)) < 0.01
    counts = np.histogram(u, bins=20, range=(-2, 3))[0]
    assert np.all(np.abs(counts - n / 20) < 5 * np.sqrt(n / 20))
    z = ocl.to_numpy(ocl.random_normal((10, n // 10), 1.0, 2.0, dtype, (5, 1)))
    assert z.dtype == dtype and z.shape == (10, n // 10)
    assert abs(z.mean() - 1.0) < 4 * 2 / np.sqrt(z.size)
    assert abs(z.std() - 2.0) < 0.02
    share = np.mean(np.abs(z - 1.0) < 2.0)  # within one standard deviation: 68.27%
    assert abs(share - 0.6827) < 0.005
    assert abs(np.corrcoef(z.reshape(-1)[:-1], z.reshape(-1)[1:])[0, 1]) < 0.01


def test_random_streams_are_deterministic_and_seed_dependent(ocl):
    draws = {
        "uniform": lambda s: ocl.random_uniform((1001,), 0.0, 1.0, "float32", s),
        "normal": lambda s: ocl.random_normal((3, 7), 0.0, 1.0, "float32", s),
        "dropout": lambda s: ocl.dropout_mask((513,), 0.5, "float32", s),
        "permutation": lambda s: ocl.random_permutation(100, s),
    }
    for name, draw in draws.items():
        a, b = ocl.to_numpy(draw((3, 4))), ocl.to_numpy(draw((3, 4)))
        np.testing.assert_array_equal(a, b, err_msg=name)
        for other in ((3, 5), (4, 4), (2**63 + 3, 4)):
            assert not np.array_equal(a, ocl.to_numpy(draw(other))), (name, other)


def test_uniform_of_a_large_seed_and_empty_shapes(ocl):
    assert ocl.to_numpy(ocl.random_uniform((0, 3), 0.0, 1.0, "float32", (1, 2))).shape == (0, 3)
    assert ocl.to_numpy(ocl.random_normal((), 0.0, 1.0, "float32", (1, 2))).shape == ()
    u = ocl.to_numpy(ocl.random_uniform((5,), 0.0, 1.0, "float32", (2**70 + 1, -1)))
    assert np.all((u >= 0) & (u < 1))


@pytest.mark.parametrize("rate", [0.0, 0.3, 0.9])
def test_dropout_mask(ocl, rate):
    m = ocl.to_numpy(ocl.dropout_mask((400, 251), rate, "float32", (7, 0)))
    assert m.dtype == np.float32 and m.shape == (400, 251)
    kept = m != 0
    assert abs(1 - kept.mean() - rate) < 0.006
    np.testing.assert_array_equal(m[kept], np.float32(1.0 / (1.0 - rate)))


@pytest.mark.parametrize("n", [0, 1, 2, 17, 1000, 70_001])
def test_permutation_is_a_permutation(ocl, n):
    p = ocl.to_numpy(ocl.random_permutation(n, (4, 0)))
    assert p.dtype == np.int64 and p.shape == (n,)
    np.testing.assert_array_equal(np.sort(p), np.arange(n))
    if n >= 17:
        assert not np.array_equal(p, np.arange(n))


def test_permutation_positions_are_uniform(ocl):
    # Where element 0 lands, over many seeds: each of 8 positions about equally often.
    positions = [int(np.argmax(ocl.to_numpy(ocl.random_permutation(8, (s, 1))) == 0)) for s in range(800)]
    counts = np.bincount(positions, minlength=8)
    assert np.all(np.abs(counts - 100) < 40)


# ----- optimizer updates -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(3,), (17, 5), (300, 257)])
def test_updates_match_the_numpy_backend(ocl, npb, dtype, shape):
    if dtype == "float64" and not _has_fp64(ocl):
        pytest.skip("no float64 on this device")
    rng = np.random.default_rng(12)
    w = rng.standard_normal(shape).astype(dtype)
    m, v, w2, v2 = np.zeros(shape, dtype), np.zeros(shape, dtype), w.copy(), np.zeros(shape, dtype)
    dw, dm, dv, dw2, dv2 = (ocl.asarray(a) for a in (w, m, v, w2, v2))
    for step in range(6):
        g = rng.standard_normal(shape).astype(dtype)
        alpha = 0.001 * np.sqrt(1 - 0.999 ** (step + 1)) / (1 - 0.9 ** (step + 1))
        npb.adam_update(w, g, m, v, alpha, 0.9, 0.999, 1e-7)
        assert ocl.adam_update(dw, ocl.asarray(g), dm, dv, alpha, 0.9, 0.999, 1e-7) is dw
        npb.rmsprop_update(w2, g, v2, 0.01, 0.9, 1e-7)
        assert ocl.rmsprop_update(dw2, g, dv2, 0.01, 0.9, 1e-7) is dw2
    for expected, got in ((w, dw), (m, dm), (v, dv), (w2, dw2), (v2, dv2)):
        result = ocl.to_numpy(got)
        assert result.dtype == dtype
        np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-7)


def test_updates_take_one_launch_and_no_transfer(ocl):
    shape = (64, 33)
    dw, g, dm, dv = (ocl.asarray(np.full(shape, 0.5, np.float32)) for _ in range(4))
    before = ocl.counters()
    ocl.adam_update(dw, g, dm, dv, 0.01, 0.9, 0.999, 1e-7)
    ocl.rmsprop_update(dw, g, dv, 0.01, 0.9, 1e-7)
    after = ocl.counters()
    assert after["kernel_launches"] - before["kernel_launches"] == 2
    assert after["host_to_device"] == before["host_to_device"]
    assert after["device_to_host"] == before["device_to_host"]


def test_update_with_a_broadcast_gradient_and_a_bad_shape(ocl, npb):
    w = np.linspace(-1, 1, 10).astype(np.float32)
    v = np.zeros(10, np.float32)
    dw, dv = ocl.asarray(w), ocl.asarray(v)
    npb.rmsprop_update(w, np.float32(0.5), v, 0.1, 0.9, 1e-7)
    ocl.rmsprop_update(dw, ocl.asarray(np.array([0.5], np.float32)), dv, 0.1, 0.9, 1e-7)
    np.testing.assert_allclose(ocl.to_numpy(dw), w, rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        ocl.rmsprop_update(dw, ocl.asarray(np.zeros(3, np.float32)), dv, 0.1, 0.9, 1e-7)
