"""OpenCL GEMM: gemm / batched_gemm against numpy for odd shapes and every transpose, each tuning candidate's
correctness, the matmul primitive's numpy semantics, and the tuning cache."""

import json

import numpy as np
import pytest

pytest.importorskip("pyopencl")

from kerasette import backends  # noqa: E402

TRANSPOSES = [(False, False), (False, True), (True, False), (True, True)]
SHAPES = [(1, 1, 1), (3, 17, 5), (17, 3, 129), (129, 67, 33), (257, 130, 67), (1, 129, 17), (130, 1, 3)]


@pytest.fixture(scope="module")
def cl_modules(ocl):
    from kerasette.backends.opencl import creation, debug, gemm, runtime, tuning

    return creation, gemm, tuning, runtime, debug


def _operands(m, n, k, transpose_a, transpose_b, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 1, (k, m) if transpose_a else (m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (n, k) if transpose_b else (k, n)).astype(dtype)
    want = (a.T if transpose_a else a).astype(np.float64) @ (b.T if transpose_b else b).astype(np.float64)
    return a, b, want


def _close(got, want, k, dtype):
    """float32: a tolerance that grows like sqrt(K) (sums of K rounded products); float64: tight."""
    tolerance = 2e-6 * (np.sqrt(k) + 4) if np.dtype(dtype) == np.float32 else 1e-13 * (k + 4)
    np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transpose_a,transpose_b", TRANSPOSES)
@pytest.mark.parametrize("m,n,k", SHAPES)
def test_gemm_matches_numpy(cl_modules, m, n, k, transpose_a, transpose_b, dtype):
    creation, gemm, *_ = cl_modules
    a, b, want = _operands(m, n, k, transpose_a, transpose_b, dtype)
    out = gemm.gemm(creation.asarray(a), creation.asarray(b), transpose_a, transpose_b)
    assert out.shape == (m, n) and out.dtype == np.dtype(dtype)
    _close(creation.to_numpy(out), want, k, dtype)


def test_gemm_writes_into_out_without_host_transfers(cl_modules):
    creation, gemm, _, _, debug = cl_modules
    a, b, want = _operands(40, 50, 60, False, True, np.float32)
    da, db = creation.asarray(a), creation.asarray(b)
    out = creation.zeros((40, 50), np.float32)
    before = debug.counters()
    assert gemm.gemm(da, db, transpose_b=True, out=out) is out
    after = debug.counters()
    assert after["host_to_device"] == before["host_to_device"]
    assert after["device_to_host"] == before["device_to_host"]
    _close(creation.to_numpy(out), want, 60, np.float32)


def test_gemm_rejects_bad_operands(cl_modules):
    creation, gemm, *_ = cl_modules
    a = creation.zeros((3, 4), np.float32)
    with pytest.raises(ValueError, match="inner dimensions"):
        gemm.gemm(a, a)
    with pytest.raises(TypeError, match="one dtype"):
        gemm.gemm(a, creation.zeros((4, 3), np.float64))
    with pytest.raises(ValueError, match="out"):
        gemm.gemm(a, creation.zeros((4, 5), np.float32), out=creation.zeros((3, 4), np.float32))


def test_gemm_with_empty_inner_dimension_is_zeros(cl_modules):
    creation, gemm, *_ = cl_modules
    out = gemm.gemm(creation.zeros((3, 0), np.float32), creation.zeros((0, 5), np.float32))
    np.testing.assert_array_equal(creation.to_numpy(out), np.zeros((3, 5), np.float32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transpose_a,transpose_b", TRANSPOSES)
def test_batched_gemm(cl_modules, transpose_a, transpose_b, dtype):
    creation, gemm, *_ = cl_modules
    rng = np.random.default_rng(1)
    count, m, n, k = 5, 19, 33, 23
    a = rng.uniform(-1, 1, (count, k, m) if transpose_a else (count, m, k)).astype(dtype)
    b = rng.uniform(-1, 1, (count, n, k) if transpose_b else (count, k, n)).astype(dtype)
    want = np.matmul(a.swapaxes(1, 2) if transpose_a else a, b.swapaxes(1, 2) if transpose_b else b)
    out = gemm.batched_gemm(creation.asarray(a), creation.asarray(b), transpose_a, transpose_b)
    assert out.shape == (count, m, n)
    _close(creation.to_numpy(out), want, k, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transpose_a,transpose_b", TRANSPOSES)
@pytest.mark.parametrize("m,n,k", [(40, 36, 12000), (33, 17, 30001)])
def test_split_k_for_small_outputs_and_long_k(cl_modules, m, n, k, transpose_a, transpose_b, dtype):
    """A small output with a long K is computed as slices of K summed afterwards (the last slice shorter)."""
    creation, gemm, tuning, runtime, _ = cl_modules
    assert gemm._split_count(gemm._problem(m, n, k, transpose_a, transpose_b)) > 1
    a, b, want = _operands(m, n, k, transpose_a, transpose_b, dtype)
    _close(creation.to_numpy(gemm.gemm(creation.asarray(a), creation.asarray(b), transpose_a, transpose_b)), want,
           k, dtype)


def _tuned_sets(tuning, runtime, dtype):
    return tuning.candidates(runtime.get(), dtype)


@pytest.mark.parametrize("transpose_a,transpose_b", TRANSPOSES)
def test_every_tuning_candidate_is_correct_float32(cl_modules, transpose_a, transpose_b):
    """Whatever the tuner picks on this device computes the right product, edges and all."""
    creation, gemm, tuning, runtime, _ = cl_modules
    for m, n, k in [(67, 45, 131), (64, 96, 48), (1, 5, 7)]:
        a, b, want = _operands(m, n, k, transpose_a, transpose_b, np.float32, seed=m)
        da, db = creation.asarray(a), creation.asarray(b)
        for p in _tuned_sets(tuning, runtime, np.float32):
            got = creation.to_numpy(gemm.gemm_with(p, da, db, transpose_a, transpose_b))
            _close(got, want, k, np.float32)


def test_every_tuning_candidate_is_correct_float64(cl_modules):
    creation, gemm, tuning, runtime, _ = cl_modules
    a, b, want = _operands(67, 45, 131, False, False, np.float64, seed=2)
    da, db = creation.asarray(a), creation.asarray(b)
    for p in _tuned_sets(tuning, runtime, np.float64):
        _close(creation.to_numpy(gemm.gemm_with(p, da, db)), want, 131, np.float64)


def test_tiled_kernel_is_correct(cl_modules):
    """The local-memory kernel (a GPU's choice) on this device, with and without vector loads."""
    creation, gemm, tuning, runtime, _ = cl_modules
    tiled = [p for p in tuning.all_candidates(runtime.get(), np.float32) if p["kernel"] == "tiled"]
    if not runtime.get().is_gpu:
        tiled = tiled[-1:]  # PoCL needs seconds to build each; the smallest stands in for the rest
    if not tiled:
        pytest.skip("no tiled parameter set fits this device")
    for m, n, k, transpose_a, transpose_b in [(67, 45, 131, False, False), (64, 96, 48, True, False),
                                               (100, 36, 20, False, True), (40, 36, 12000, True, False)]:
        a, b, want = _operands(m, n, k, transpose_a, transpose_b, np.float32, seed=k)
        da, db = creation.asarray(a), creation.asarray(b)
        for p in tiled:
            _close(creation.to_numpy(gemm.gemm_with(p, da, db, transpose_a, transpose_b)), want, k, np.float32)


# ----- matmul: numpy.matmul semantics ----------------------------------------------------------------------
@pytest.mark.parametrize("a_shape,b_shape", [
    ((7,), (7,)),
    ((7,), (7, 5)),
    ((4, 7), (7,)),
    ((3, 4, 7), (7,)),
    ((7,), (3, 7, 5)),
    ((6, 4, 7), (7, 5)),
    ((4, 7), (6, 7, 5)),
    ((6, 4, 7), (6, 7, 5)),
    ((2, 1, 4, 7), (1, 3, 7, 5)),
    ((2, 1, 3, 1, 4, 7), (1, 2, 1, 3, 7, 5)),
    ((1, 4, 7), (3, 7, 5)),
    ((0, 4, 7), (7, 5)),
    ((4, 0), (0, 5)),
])
def test_matmul_shapes_and_broadcasting(ocl, a_shape, b_shape):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    got, want = ocl.to_numpy(ocl.matmul(ocl.asarray(a), ocl.asarray(b))), np.matmul(a, b)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("a_dtype,b_dtype", [
    ("float32", "float32"), ("float32", "float64"), ("int32", "int32"), ("int64", "int64"), ("int32", "float32"),
    ("bool", "bool"),
])
def test_matmul_dtypes(ocl, a_dtype, b_dtype):
    rng = np.random.default_rng(4)
    a = (rng.uniform(-4, 4, (5, 9)) if a_dtype != "bool" else rng.random((5, 9)) > 0.6).astype(a_dtype)
    b = (rng.uniform(-4, 4, (9, 3)) if b_dtype != "bool" else rng.random((9, 3)) > 0.6).astype(b_dtype)
    got, want = ocl.to_numpy(ocl.matmul(ocl.asarray(a), ocl.asarray(b))), np.matmul(a, b)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_matmul_accepts_host_values(ocl):
    got = ocl.to_numpy(ocl.matmul([[1.0, 2.0], [3.0, 4.0]], np.array([1.0, 1.0])))
    np.testing.assert_array_equal(got, [3.0, 7.0])


def test_matmul_dense_layer_calls_match_numpy_backend(ocl):
    """The calls a Dense layer's forward and backward make: x @ W, g @ W.T, x.T @ g."""
    npb = backends.load_backend("numpy")
    rng = np.random.default_rng(5)
    x, w, g = (rng.standard_normal(s).astype(np.float32) for s in [(32, 50), (50, 10), (32, 10)])
    for a, b in [(x, w), (g, np.ascontiguousarray(w.T)), (np.ascontiguousarray(x.T), g)]:
        got = ocl.to_numpy(ocl.matmul(ocl.asarray(a), ocl.asarray(b)))
        _close(got, npb.matmul(a, b), a.shape[1], np.float32)


@pytest.mark.parametrize("a_shape,b_shape", [((3, 4), (5, 6)), ((4,), (5,)), ((2, 3, 4), (3, 4, 5)), ((), (3,))])
def test_matmul_errors(ocl, a_shape, b_shape):
    with pytest.raises(ValueError):
        ocl.matmul(ocl.asarray(np.ones(a_shape)), ocl.asarray(np.ones(b_shape)))


# ----- tuning ------------------------------------------------------------------------------------------------
@pytest.fixture
def fresh_tuning(cl_modules, monkeypatch, tmp_path):
    """Tuning state emptied and its cache redirected to a temporary folder (restored afterwards)."""
    tuning = cl_modules[2]
    monkeypatch.setattr(tuning, "_chosen", {})
    monkeypatch.setattr(tuning, "_state", {"loaded": None})
    monkeypatch.setenv("KERASETTE_OPENCL_CACHE", str(tmp_path))
    monkeypatch.delenv("KERASETTE_OPENCL_TUNE", raising=False)
    return tuning


def test_tuning_disabled_uses_defaults_and_writes_nothing(fresh_tuning, cl_modules, monkeypatch, tmp_path):
    tuning, runtime = fresh_tuning, cl_modules[3]
    monkeypatch.setenv("KERASETTE_OPENCL_TUNE", "0")
    assert tuning.params(np.float32, flops=1e12) == tuning.default(runtime.get(), np.float32)
    assert list(tmp_path.iterdir()) == []


def test_small_gemm_does_not_tune(fresh_tuning, cl_modules, tmp_path):
    tuning, runtime = fresh_tuning, cl_modules[3]
    assert tuning.params(np.float32, flops=1e3) == tuning.default(runtime.get(), np.float32)
    assert not list(tmp_path.glob("gemm-tuning-*.json"))


def test_tune_caches_its_choice_on_disk_and_in_memory(fresh_tuning, cl_modules, monkeypatch):
    tuning, runtime = fresh_tuning, cl_modules[3]
    rt = runtime.get()
    entry = tuning.tune(np.float32, size=64)
    assert entry["params"] in tuning.candidates(rt, np.float32)
    with open(tuning.cache_path(rt), encoding="utf-8") as f:
        saved = json.load(f)
    assert saved["device"] == rt.name and saved["dtypes"]["float32"]["params"] == entry["params"]
    # A new process (empty memory) reads the choice back instead of tuning again.
    monkeypatch.setattr(tuning, "_chosen", {})
    monkeypatch.setattr(tuning, "_state", {"loaded": None})
    monkeypatch.setattr(tuning, "tune", lambda *args, **kwargs: pytest.fail("tuned again"))
    assert tuning.params(np.float32, flops=1e12) == entry["params"]


def test_every_candidate_fits_its_device(cl_modules):
    tuning, runtime = cl_modules[2], cl_modules[3]
    rt = runtime.get()
    for p in tuning.all_candidates(rt, np.float64):
        if p["kernel"] == "tiled":
            assert (p["TM"] // p["WPTM"]) * (p["TN"] // p["WPTN"]) <= rt.max_work_group_size
        else:
            assert p["LX"] * p["LY"] <= rt.max_work_group_size
