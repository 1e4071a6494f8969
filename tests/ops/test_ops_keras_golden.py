"""Numbers against real Keras 3: each op of the table on fixed float32 inputs, in kerasette and in
``keras.ops`` (KERAS_BACKEND=torch), same values (rtol 1e-4) and dtypes.

The few documented differences are checked apart below: eigenvectors and singular vectors are unique up to
sign (compared through what they reconstruct), ``sparsemax`` follows the paper where Keras 3.15 does not,
index and count dtypes where Keras's backends disagree with each other.
"""

import os

import numpy as np
import pytest

from kerasette import ops

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytestmark = pytest.mark.filterwarnings("ignore")

RNG = np.random.default_rng(7)


def f(*shape):
    return RNG.standard_normal(shape).astype("float32")


def u(*shape, lo=-0.9, hi=0.9):
    return RNG.uniform(lo, hi, shape).astype("float32")


def pos(*shape):
    return RNG.uniform(0.5, 2.0, shape).astype("float32")


A, B, V = f(3, 4), f(3, 4), f(5)
M = f(4, 4) + 3 * np.eye(4, dtype="float32")
S = (M @ M.T).astype("float32")
I = np.array([[3, 1, 2], [0, 2, 2]], dtype="int32")  # noqa: E741
NANS = A.copy()
NANS[0, 1] = NANS[2, 3] = np.nan
IMG = f(2, 6, 6, 3)
CASES = {
 "sin": (A,), "cos": (A,), "tan": (u(3, 4),), "arcsin": (u(3, 4),), "arccos": (u(3, 4),), "arctan": (A,),
 "sinh": (A,), "cosh": (A,), "arcsinh": (A,), "arccosh": (pos(3, 4) + 1,), "arctanh": (u(3, 4),),
 "arctan2": (A, B), "hypot": (A, B), "deg2rad": (A,), "rad2deg": (A,), "sinc": (A,),
 "expm1": (A,), "exp2": (A,), "log2": (pos(3, 4),), "log10": (pos(3, 4),), "cbrt": (A,), "erfc": (A,),
 "erfinv": (u(3, 4),), "i0": (A,), "reciprocal": (pos(3, 4),), "rsqrt": (pos(3, 4),), "logaddexp": (A, B),
 "logaddexp2": (A, B), "ldexp": (A, np.array([[1, -2, 0, 3]] * 3, dtype="int32")),
 "floor": (A * 3,), "ceil": (A * 3,), "round": (A * 3,), "trunc": (A * 3,), "fmod": (A * 3, pos(3, 4)),
 "mod": (A * 3, pos(3, 4)), "floor_divide": (A * 3, pos(3, 4)), "divide_no_nan": (A, np.where(B > 0, B, 0)),
 "nextafter": (A, B), "heaviside": (np.round(A), B), "fmax": (NANS, B), "fmin": (NANS, B), "fabs": (A,),
 "absolute": (A,), "nan_to_num": (NANS,), "logical_or": (A > 0, B > 0), "logical_xor": (A > 0, B > 0),
 "isnan": (NANS,), "isinf": (np.where(B > 0, A, np.inf).astype("float32"),), "signbit": (A,),
 "isclose": (A, A + 1e-7), "allclose": (A, A + 1e-7), "isin": (I, np.array([2, 3])), "angle": (A,),
 "real": (A,), "conj": (A,), "isreal": (A,),
 "bitwise_and": (I, I[::-1]), "bitwise_or": (I, I[::-1]), "bitwise_xor": (I, I[::-1]), "bitwise_invert": (I,),
 "bitwise_not": (I,), "bitwise_left_shift": (I, I[::-1]), "bitwise_right_shift": (I * 9, I[::-1]),
 "left_shift": (I, I[::-1]), "right_shift": (I * 9, I[::-1]), "gcd": (I * 6, I[::-1] * 4), "lcm": (I + 1, I[::-1] + 2),
 "prod": (A,), "all": (A > 0,), "any": (A > 0,), "amax": (A,), "amin": (A,), "argmin": (A,), "argmax": (A,),
 "average": (A,), "ptp": (A,), "count_nonzero": (np.round(A),), "logsumexp": (A,), "median": (A,),
 "quantile": (A, 0.3), "percentile": (A, 40), "nanmax": (NANS,), "nanmin": (NANS,), "nanmean": (NANS,),
 "nansum": (NANS,), "nanprod": (NANS,), "nanstd": (NANS,), "nanvar": (NANS,), "nanargmax": (NANS,),
 "nanargmin": (NANS,), "nanmedian": (NANS,), "nanquantile": (NANS, 0.4), "nanpercentile": (NANS, 60),
 "corrcoef": (A,), "bincount": (I.reshape(-1),), "histogram": (V,),
 "cumsum": (A,), "cumprod": (A,), "nancumsum": (NANS,), "nancumprod": (NANS,), "diff": (A,), "trapezoid": (A,),
 "sort": (A,), "argsort": (A,), "top_k": (A, 2), "in_top_k": (np.array([1, 0, 3]), A, 2),
 "searchsorted": (np.sort(V), A), "digitize": (A, np.sort(V)), "unique": (I,),
 "tile": (A, (2, 1)), "repeat": (A, 2), "split": (A, 2, 1), "array_split": (V, 3), "hsplit": (A, 2),
 "vsplit": (f(4, 2), 2),
 "dsplit": (f(2, 2, 4), 2), "unstack": (A,), "flip": (A,), "fliplr": (A,), "flipud": (A,), "roll": (A, 3),
 "rot90": (A,), "moveaxis": (IMG, 3, 1), "swapaxes": (A, 0, 1), "ravel": (A,), "hstack": ([A, B],),
 "vstack": ([A, B],), "dstack": ([A, B],), "append": (A, B), "diagonal": (A,), "diag": (V,), "diagflat": (A,),
 "trace": (A,), "tril": (A,), "triu": (A,), "take_along_axis": (A, np.array([[1], [0], [3]]), 1),
 "scatter": (np.array([[0, 1], [2, 3]]), np.array([1.0, 2.0], "float32"), (3, 4)),
 "scatter_update": (A, np.array([[0, 1], [2, 3]]), np.array([1.0, 2.0], "float32")),
 "slice_update": (A, (1, 1), np.ones((2, 2), "float32")), "slice": (A, (1, 0), (2, 3)),
 "segment_sum": (f(5, 2), np.array([0, 1, 0, 2, 2])), "segment_max": (f(5, 2), np.array([0, 1, 0, 2, 2])),
 "segment_min": (f(5, 2), np.array([0, 1, 0, 2, 2])), "segment_prod": (f(5, 2), np.array([0, 1, 0, 2, 2])),
 "unravel_index": (np.array([5, 7], dtype="int32"), (3, 4)),
 "arange": (1, 10, 2), "linspace": (0.0, 1.0, 7), "logspace": (0.0, 2.0, 5), "geomspace": (1.0, 1000.0, 4),
 "eye": (3, 4, 1), "identity": (3,), "tri": (3, 4, 1), "full_like": (A, 2.5), "copy": (A,),
 "vander": (V, 3), "meshgrid": (V, V[:3]), "array": (A,),
 "tensordot": (A, f(4, 2), 1), "einsum": ("ij,jk->ik", A, f(4, 2)), "inner": (A, B), "outer": (V, V),
 "vdot": (V, V[::-1].copy()), "kron": (A[:2, :2], B[:2, :3]), "cross": (f(4, 3), f(4, 3)), "cdist": (A, B),
 "correlate": (V, V[:3]), "dot": (f(2, 3, 4), f(4, 2)),
 "inv": (M,), "det": (M,), "slogdet": (M,), "logdet": (S,), "solve": (M, A.T), "solve_triangular": (M, A.T),
 "cholesky": (S,), "cholesky_inverse": (np.linalg.cholesky(S),), "eigh": (S,), "qr": (f(4, 3),), "svd": (f(4, 3),),
 "pinv": (f(4, 3),), "lstsq": (f(4, 3), V[:4]), "matrix_rank": (A,), "norm": (A,), "lu_factor": (M,),
 "fft": ((A, B),), "fft2": ((A, B),), "ifft2": ((A, B),), "rfft": (A,), "irfft": ((A, B),),
 "stft": (f(2, 40), 10, 4, 16), "extract_sequences": (f(2, 10), 4, 3),
 "bartlett": (7,), "blackman": (7,), "hamming": (7,), "hanning": (7,), "kaiser": (7, 3.0),
 "celu": (A,), "glu": (A,), "hard_shrink": (A,), "hard_sigmoid": (A * 3,), "hard_silu": (A * 3,),
 "hard_swish": (A * 3,), "hard_tanh": (A * 3,), "log_sigmoid": (A,), "soft_shrink": (A,), "softsign": (A,),
 "sparse_plus": (A,), "sparse_sigmoid": (A,), "sparsemax": (A,), "squareplus": (A,), "tanh_shrink": (A,),
 "threshold": (A, 0.2, -1.0),
 "binary_crossentropy": (np.abs(np.round(A)).clip(0, 1), u(3, 4, lo=0.1, hi=0.9)),
 "categorical_crossentropy": (np.eye(4, dtype="float32")[[0, 2, 3]], u(3, 4, lo=0.1, hi=0.9)),
 "sparse_categorical_crossentropy": (np.array([0, 2, 3]), u(3, 4, lo=0.1, hi=0.9)), "psnr": (A, B, 2.0),
 "ctc_loss": (np.array([[1, 2], [2, 0]]), f(2, 5, 3), np.array([2, 1]), np.array([5, 4])),
 "ctc_decode": (f(2, 5, 3), np.array([5, 4])),
 "batch_normalization": (A, V[:4], pos(4), 1), "layer_normalization": (A,), "rms_normalization": (A,),
 "normalize": (A,), "moments": (A, 1), "one_hot": (I, 4), "multi_hot": (I, 4),
 "depth_to_space": (f(1, 2, 2, 8), 2), "space_to_depth": (f(1, 4, 4, 2), 2),
 "adaptive_average_pool": (IMG, (4, 3)), "adaptive_max_pool": (IMG, (4, 5)),
 "unfold": (f(1, 2, 5, 5), 2), "fold": (f(1, 8, 16), (5, 5), 2),
 "dot_product_attention": (f(1, 3, 2, 4), f(1, 5, 2, 4), f(1, 5, 2, 4)),
 "saturate_cast": (A * 300, "int8"), "rearrange": (IMG, "b h w c -> b (h w) c"),
 "pad": (A, ((1, 2), (0, 1)), "reflect"),
 "reshape": (A, (2, 6)), "expand_dims": (A, 1), "broadcast_to": (V, (2, 5)), "stack": ([A, B], 1),
 "where": (A > 0, A, B), "select": ([A > 0.5, A < -0.5], [A, B], 0.0),
}

# Compared apart (see the module docstring) or not comparable value by value.
APART = {"eigh", "svd", "sparsemax", "histogram", "top_k", "unique", "ctc_decode"}
# dtypes that differ between Keras's own backends; kerasette follows its numpy backend or Keras's int32 indices
DTYPE_FREE = {"unravel_index"}


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flat(item)]
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return [np.asarray(value.numpy() if hasattr(value, "numpy") else value)]


def _keras_args(args):
    """Keras's torch backend wants tensors where numpy arrays stand in the table."""
    def convert(v):
        if isinstance(v, np.ndarray):
            return keras.ops.convert_to_tensor(v)
        if isinstance(v, (list, tuple)) and v and all(isinstance(t, np.ndarray) for t in v):
            return type(v)(convert(t) for t in v)
        return v

    return [convert(a) for a in args]


@pytest.mark.parametrize("name", sorted(set(CASES) - APART))
def test_matches_keras(name):
    args = CASES[name]
    expected = _flat(getattr(keras.ops, name)(*_keras_args(args)))
    got = _flat(getattr(ops, name)(*args))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape
        if name not in DTYPE_FREE:
            assert g.dtype == e.dtype, (g.dtype, e.dtype)
        np.testing.assert_allclose(g.astype(np.float64), e.astype(np.float64), rtol=1e-4, atol=1e-5, equal_nan=True)


def test_eigh_and_svd_match_keras_up_to_signs():
    w, v = ops.eigh(S)
    kw, kv = (np.asarray(t) for t in keras.ops.eigh(keras.ops.convert_to_tensor(S)))
    np.testing.assert_allclose(w.numpy(), kw, rtol=1e-4)
    np.testing.assert_allclose(np.abs(v.numpy()), np.abs(kv), rtol=1e-3, atol=1e-4)
    x = CASES["svd"][0]
    u, s, vh = ops.svd(x)
    ku, ks_, kvh = (np.asarray(t) for t in keras.ops.svd(keras.ops.convert_to_tensor(x)))
    np.testing.assert_allclose(s.numpy(), ks_, rtol=1e-4)
    np.testing.assert_allclose(np.abs(u.numpy()[:, :3]), np.abs(ku[:, :3]), rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(np.abs(vh.numpy()), np.abs(kvh), rtol=1e-3, atol=1e-4)


def test_top_k_histogram_unique_and_ctc_decode_values_match_keras():
    values, indices = ops.top_k(A, 2)
    kvalues, kindices = (np.asarray(t) for t in keras.ops.top_k(keras.ops.convert_to_tensor(A), 2))
    np.testing.assert_allclose(values.numpy(), kvalues)
    np.testing.assert_array_equal(indices.numpy(), kindices)  # int32 here (TF, JAX), int64 in Keras's torch backend
    counts, edges = ops.histogram(V)
    kcounts, kedges = (np.asarray(t) for t in keras.ops.histogram(keras.ops.convert_to_tensor(V)))
    np.testing.assert_array_equal(counts.numpy(), kcounts)  # int32 counts here; torch's histogram counts in float32
    np.testing.assert_allclose(edges.numpy(), kedges, rtol=1e-6)
    np.testing.assert_array_equal(ops.unique(I).numpy(), np.asarray(keras.ops.unique(keras.ops.convert_to_tensor(I))))
    logits, lengths = CASES["ctc_decode"]
    for strategy in ("greedy", "beam_search"):
        decoded, scores = ops.ctc_decode(logits, lengths, strategy=strategy)
        kdecoded, kscores = keras.ops.ctc_decode(keras.ops.convert_to_tensor(logits),
                                                 keras.ops.convert_to_tensor(lengths), strategy=strategy)
        np.testing.assert_array_equal(decoded.numpy(), np.asarray(kdecoded))
        np.testing.assert_allclose(scores.numpy(), np.asarray(kscores), rtol=1e-4)


def test_sparsemax_follows_the_paper_where_keras_315_does_not():
    # Keras 3.15 computes the threshold from a sum of cumulative sums, so its rows do not sum to 1; its own
    # docstring example ([-0.5, 0.0, 0.5] -> [0.0, 0.25, 0.75]) holds here.
    np.testing.assert_allclose(ops.sparsemax(A).numpy().sum(-1), np.ones(3), rtol=1e-6)
    np.testing.assert_allclose(ops.sparsemax(np.array([-0.5, 0.0, 0.5], "float32")).numpy(), [0.0, 0.25, 0.75])


def test_scatter_update_with_repeated_indices_keeps_the_last_update_as_keras(backend):
    x = f(5, 2)
    indices = np.array([[1], [1], [3], [1]])
    updates = f(4, 2)
    expected = np.asarray(keras.ops.convert_to_numpy(keras.ops.scatter_update(x, indices, updates)))
    np.testing.assert_array_equal(ops.scatter_update(x, indices, updates).numpy(), expected)
    # the gradient reaches only the updates that won
    tensor = ops.convert_to_tensor(updates)
    with ops.GradientTape() as tape:
        tape.watch(tensor)
        total = ops.sum(ops.scatter_update(x, indices, tensor))
    assert tape.gradient(total, tensor).numpy().tolist() == [[0, 0], [0, 0], [1, 1], [1, 1]]
