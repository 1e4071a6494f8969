"""Forward values of the ops without a gradient (``MORE_NOT_SPECCED`` in ``op_specs_more.py``), on every backend.

Each case calls the op on fixed inputs and compares with numpy (values and dtype). Further tests cover
Keras's signatures and defaults where they differ from numpy's, and the errors for bad arguments.
"""

import math
import warnings

import numpy as np
import pytest

from kerasette import ops

X = np.array([[1.5, -2.0, 0.0, 3.0], [np.nan, 0.5, -np.inf, np.inf]])
INTS = np.array([[12, -9, 0, 7], [18, 6, 5, -4]], dtype=np.int32)
SHIFTS = np.array([[1, 2, 0, 3], [4, 33, 1, 0]], dtype=np.int32)
SCORES = np.array([[0.1, 0.7, 0.2, 0.0], [0.5, 0.3, 0.2, 0.5], [0.2, 0.2, 0.2, 0.9]])


def _np(value):
    return value.numpy() if isinstance(value, ops.Tensor) else np.asarray(value)


# (label, call, numpy expectation, expected dtype or None for numpy's)
CASES = [
    ("all_axis1", lambda: ops.all(X > 0, axis=1), lambda: np.all(X > 0, axis=1), "bool"),
    ("any_keepdims", lambda: ops.any(X > 2, axis=0, keepdims=True), lambda: np.any(X > 2, axis=0, keepdims=True),
     "bool"),
    ("argmin_flat", lambda: ops.argmin(SCORES), lambda: np.argmin(SCORES), "int32"),
    ("argmin_axis_keepdims", lambda: ops.argmin(SCORES, axis=1, keepdims=True),
     lambda: np.argmin(SCORES, axis=1, keepdims=True), "int32"),
    ("argmax_keras_default_flat", lambda: ops.argmax(SCORES), lambda: np.argmax(SCORES), "int32"),
    ("argsort", lambda: ops.argsort(SCORES), lambda: np.argsort(SCORES, kind="stable"), "int32"),
    ("argsort_axis0", lambda: ops.argsort(SCORES, axis=0), lambda: np.argsort(SCORES, axis=0, kind="stable"),
     "int32"),
    ("allclose", lambda: ops.allclose([1.0, 2.0], [1.0, 2.0 + 1e-7]), lambda: np.array(True), "bool"),
    ("isclose", lambda: ops.isclose(np.array([1.0, np.nan, np.inf, 1.0]), np.array([1.0 + 1e-9, np.nan, np.inf, 1.1])),
     lambda: np.isclose([1.0, np.nan, np.inf, 1.0], [1.0 + 1e-9, np.nan, np.inf, 1.1]), "bool"),
    ("isclose_equal_nan", lambda: ops.isclose(np.array([np.nan]), np.array([np.nan]), equal_nan=True),
     lambda: np.array([True]), "bool"),
    ("bincount", lambda: ops.bincount(np.array([0, 1, 1, 4], dtype=np.int32)),
     lambda: np.bincount([0, 1, 1, 4]), "int32"),
    ("bincount_weights_minlength", lambda: ops.bincount(np.array([0, 2]), weights=np.array([0.5, 2.0]), minlength=4),
     lambda: np.bincount([0, 2], weights=[0.5, 2.0], minlength=4), "float64"),
    ("bincount_rows", lambda: ops.bincount(np.array([[0, 1], [2, 2]])),
     lambda: np.array([[1, 1, 0], [0, 0, 2]]), "int32"),
    ("bitwise_and", lambda: ops.bitwise_and(INTS, SHIFTS), lambda: np.bitwise_and(INTS, SHIFTS), None),
    ("bitwise_or", lambda: ops.bitwise_or(INTS, SHIFTS), lambda: np.bitwise_or(INTS, SHIFTS), None),
    ("bitwise_xor", lambda: ops.bitwise_xor(INTS, SHIFTS), lambda: np.bitwise_xor(INTS, SHIFTS), None),
    ("bitwise_and_bool", lambda: ops.bitwise_and(INTS > 0, SHIFTS > 1), lambda: (INTS > 0) & (SHIFTS > 1), "bool"),
    ("bitwise_invert", lambda: ops.bitwise_invert(INTS), lambda: np.invert(INTS), None),
    ("bitwise_not_bool", lambda: ops.bitwise_not(INTS > 0), lambda: ~(INTS > 0), "bool"),
    ("bitwise_left_shift", lambda: ops.bitwise_left_shift(INTS, SHIFTS), lambda: np.left_shift(INTS, SHIFTS), None),
    ("bitwise_right_shift", lambda: ops.bitwise_right_shift(INTS, SHIFTS), lambda: np.right_shift(INTS, SHIFTS),
     None),
    ("left_shift", lambda: ops.left_shift(INTS, 3), lambda: np.left_shift(INTS, 3), None),
    ("right_shift", lambda: ops.right_shift(INTS, 1), lambda: np.right_shift(INTS, 1), None),
    ("gcd", lambda: ops.gcd(INTS, SHIFTS + 1), lambda: np.gcd(INTS, SHIFTS + 1), None),
    ("lcm", lambda: ops.lcm(INTS, SHIFTS + 1), lambda: np.lcm(INTS, SHIFTS + 1), None),
    ("count_nonzero", lambda: ops.count_nonzero(INTS, axis=1), lambda: np.count_nonzero(INTS, axis=1), "int32"),
    ("digitize", lambda: ops.digitize(np.array([0.5, 1.0, 2.5, 4.0]), np.array([1.0, 2.0, 3.0])),
     lambda: np.digitize([0.5, 1.0, 2.5, 4.0], [1.0, 2.0, 3.0]), "int32"),
    ("digitize_decreasing", lambda: ops.digitize(np.array([0.5, 1.0, 2.5, 4.0]), np.array([3.0, 2.0, 1.0])),
     lambda: np.digitize([0.5, 1.0, 2.5, 4.0], [3.0, 2.0, 1.0]), "int32"),
    ("searchsorted_left", lambda: ops.searchsorted(np.array([1.0, 2.0, 2.0, 3.0]), np.array([[2.0, 0.0], [3.5, 2.5]])),
     lambda: np.searchsorted([1.0, 2.0, 2.0, 3.0], [[2.0, 0.0], [3.5, 2.5]]), "int32"),
    ("searchsorted_right", lambda: ops.searchsorted(np.array([1.0, 2.0, 2.0]), np.array([2.0]), side="right"),
     lambda: np.searchsorted([1.0, 2.0, 2.0], [2.0], side="right"), "int32"),
    ("histogram_counts", lambda: ops.histogram(np.array([0.0, 0.5, 1.0, 2.0, 4.0, 5.0]), bins=4, range=(0, 4))[0],
     lambda: np.histogram([0.0, 0.5, 1.0, 2.0, 4.0, 5.0], bins=4, range=(0, 4))[0], "int32"),
    ("histogram_edges", lambda: ops.histogram(np.array([0.0, 0.5, 1.0, 2.0, 4.0]), bins=3)[1],
     lambda: np.histogram([0.0, 0.5, 1.0, 2.0, 4.0], bins=3)[1], "float64"),
    ("in_top_k", lambda: ops.in_top_k(np.array([2, 3, 1]), SCORES, 2), lambda: np.array([True, True, True]), "bool"),
    ("in_top_k_1", lambda: ops.in_top_k(np.array([2, 0, 1]), SCORES, 1), lambda: np.array([False, True, False]),
     "bool"),
    ("isin", lambda: ops.isin(INTS, np.array([0, 5, 7])), lambda: np.isin(INTS, [0, 5, 7]), "bool"),
    ("isin_invert", lambda: ops.isin(INTS, np.array([0, 5, 7]), invert=True), lambda: ~np.isin(INTS, [0, 5, 7]),
     "bool"),
    ("isnan", lambda: ops.isnan(X), lambda: np.isnan(X), "bool"),
    ("isinf", lambda: ops.isinf(X), lambda: np.isinf(X), "bool"),
    ("isposinf", lambda: ops.isposinf(X), lambda: np.isposinf(X), "bool"),
    ("isneginf", lambda: ops.isneginf(X), lambda: np.isneginf(X), "bool"),
    ("isnan_int", lambda: ops.isnan(INTS), lambda: np.isnan(INTS), "bool"),
    ("signbit", lambda: ops.signbit(np.array([-1.0, -0.0, 0.0, 2.0])), lambda: np.signbit([-1.0, -0.0, 0.0, 2.0]),
     "bool"),
    ("isreal", lambda: ops.isreal(X), lambda: np.isreal(X), "bool"),
    ("imag", lambda: ops.imag(X), lambda: np.imag(X), "float64"),
    ("logical_or", lambda: ops.logical_or(INTS > 0, SHIFTS > 2), lambda: np.logical_or(INTS > 0, SHIFTS > 2), "bool"),
    ("logical_xor", lambda: ops.logical_xor(INTS, SHIFTS), lambda: np.logical_xor(INTS, SHIFTS), "bool"),
    ("nextafter", lambda: ops.nextafter(np.array([1.0, 0.0]), np.array([2.0, -1.0])),
     lambda: np.nextafter([1.0, 0.0], [2.0, -1.0]), "float64"),
    ("nanargmax", lambda: ops.nanargmax(np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]]), axis=1),
     lambda: np.array([2, -1]), "int32"),
    ("nanargmin", lambda: ops.nanargmin(np.array([[4.0, np.nan, 3.0], [np.nan, 2.0, 5.0]]), axis=1),
     lambda: np.array([2, 1]), "int32"),
    ("multi_hot", lambda: ops.multi_hot(np.array([[0, 2], [1, 1]]), 4),
     lambda: np.array([[1, 0, 1, 0], [0, 1, 0, 0.0]]), "float32"),
    ("one_hot_axis0", lambda: ops.one_hot(np.array([0, 2, -1]), 3, axis=0),
     lambda: np.array([[1, 0, 0], [0, 0, 0], [0, 1, 0.0]]), "float32"),
    ("unravel_index_row", lambda: ops.unravel_index(np.array([5, 7]), (2, 4))[1],
     lambda: np.unravel_index([5, 7], (2, 4))[1], None),
    ("nonzero", lambda: ops.nonzero(INTS)[1], lambda: np.nonzero(INTS)[1], "int32"),
    ("where_one_argument", lambda: ops.where(INTS > 5)[0], lambda: np.where(INTS > 5)[0], "int32"),
    ("unique", lambda: ops.unique(np.array([3, 1, 3, 2])), lambda: np.unique([3, 1, 3, 2]), None),
    ("unique_inverse", lambda: ops.unique(np.array([3, 1, 3, 2]), return_inverse=True)[1],
     lambda: np.unique([3, 1, 3, 2], return_inverse=True)[1], None),
    ("unique_size_padded", lambda: ops.unique(np.array([3.0, 1.0]), size=4, fill_value=-1.0),
     lambda: np.array([1.0, 3.0, -1.0, -1.0]), "float64"),
    ("matrix_rank", lambda: ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])), lambda: np.array(1), "int32"),
    ("lu_factor_lu", lambda: ops.lu_factor(np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 2.0]]))[0],
     lambda: _lu_reference(np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 2.0]]))[0], "float64"),
    ("lu_factor_pivots", lambda: ops.lu_factor(np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 2.0]]))[1],
     lambda: _lu_reference(np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 2.0]]))[1], "int32"),
    ("saturate_cast", lambda: ops.saturate_cast(np.array([-10.0, 100.5, 300.0]), "uint8"),
     lambda: np.array([0, 100, 255]), "uint8"),
    ("saturate_cast_int8", lambda: ops.saturate_cast(np.array([-1000, 5, 1000], dtype=np.int32), "int8"),
     lambda: np.array([-128, 5, 127]), "int8"),
    ("view", lambda: ops.view(np.array([1.0, -2.0], dtype=np.float32), "int32"),
     lambda: np.array([1.0, -2.0], dtype=np.float32).view(np.int32), "int32"),
    ("arange", lambda: ops.arange(5), lambda: np.arange(5), "int32"),
    ("arange_float", lambda: ops.arange(1.0, 2.0, 0.25), lambda: np.arange(1.0, 2.0, 0.25), "float32"),
    ("arange_dtype", lambda: ops.arange(2, 10, 3, dtype="float64"), lambda: np.arange(2, 10, 3.0), "float64"),
    ("array", lambda: ops.array([[1, 2]], dtype="float64"), lambda: np.array([[1.0, 2.0]]), "float64"),
    ("empty", lambda: ops.empty((2, 3)), lambda: np.zeros((2, 3)), "float32"),
    ("empty_like", lambda: ops.empty_like(INTS), lambda: np.zeros_like(INTS), "int32"),
    ("eye", lambda: ops.eye(3, 4, k=-1), lambda: np.eye(3, 4, -1), "float32"),
    ("identity", lambda: ops.identity(3, dtype="int32"), lambda: np.identity(3), "int32"),
    ("tri", lambda: ops.tri(3, 2, k=1), lambda: np.tri(3, 2, 1), "float32"),
    ("bartlett", lambda: ops.bartlett(7), lambda: np.bartlett(7), "float32"),
    ("blackman", lambda: ops.blackman(7), lambda: np.blackman(7), "float32"),
    ("hamming", lambda: ops.hamming(7), lambda: np.hamming(7), "float32"),
    ("hanning", lambda: ops.hanning(7), lambda: np.hanning(7), "float32"),
    ("kaiser", lambda: ops.kaiser(7, 3.5), lambda: np.kaiser(7, 3.5), "float32"),
]


def _lu_reference(a):
    """Doolittle with partial pivoting, LAPACK's layout (scipy.linalg.lu_factor)."""
    lu, pivots = a.copy(), []
    for k in range(a.shape[0]):
        p = k + int(np.argmax(np.abs(lu[k:, k])))
        pivots.append(p)
        lu[[k, p]] = lu[[p, k]]
        lu[k + 1:, k] /= lu[k, k]
        lu[k + 1:, k + 1:] -= np.outer(lu[k + 1:, k], lu[k, k + 1:])
    return lu, np.array(pivots)


@pytest.mark.parametrize("label, call, expected, dtype", CASES, ids=[c[0] for c in CASES])
def test_forward(label, call, expected, dtype, backend):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's warnings on the references' edge values
        want = np.asarray(expected())
    got = call()
    assert isinstance(got, ops.Tensor)
    assert got.shape == want.shape
    assert got.dtype == (dtype or want.dtype.name)
    np.testing.assert_allclose(_np(got).astype(np.float64), want.astype(np.float64), rtol=1e-6, atol=1e-7)


def test_tensor_facts(backend):
    x = ops.zeros((2, 3, 4), dtype="int32")
    assert ops.dtype(x) == "int32" and ops.dtype(1.5) == "float32" and ops.dtype([1, 2]) == "int64"
    assert ops.ndim(x) == 3 and ops.size(x) == 24 and ops.size(2.0) == 1


def test_ctc_decode_greedy_merges_repeats_and_drops_blanks(backend):
    probabilities = np.array([[[0.1, 0.9, 0.0], [0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.2, 0.0, 0.8], [0.1, 0.1, 0.8]]])
    decoded, scores = ops.ctc_decode(np.log(probabilities + 1e-9), np.array([5]))
    assert decoded.dtype == "int32" and decoded.shape == (1, 1, 5)
    assert decoded.numpy().tolist() == [[[1, 2, -1, -1, -1]]]
    expected = -np.sum(np.max(np.log(probabilities + 1e-9), axis=-1))
    np.testing.assert_allclose(scores.numpy(), [[expected]], rtol=1e-6)
    unmerged, _ = ops.ctc_decode(np.log(probabilities + 1e-9), np.array([5]), merge_repeated=False)
    assert unmerged.numpy().tolist() == [[[1, 1, 2, 2, -1]]]


def test_ctc_decode_beam_search_sums_alignments(backend):
    # P(label [1]) sums its six alignments 111, 110, 100, 011, 010, 001; the empty label is 000 alone.
    probabilities = np.array([[[0.4, 0.6], [0.4, 0.6], [0.7, 0.3]]])
    decoded, scores = ops.ctc_decode(np.log(probabilities), np.array([3]), strategy="beam_search", beam_width=8,
                                     top_paths=2)
    assert decoded.shape == (2, 1, 3)
    assert decoded.numpy()[:, 0].tolist() == [[1, -1, -1], [-1, -1, -1]]
    one = 0.6 * 0.6 * 0.3 + 0.6 * 0.6 * 0.7 + 0.6 * 0.4 * 0.7 + 0.4 * 0.6 * 0.3 + 0.4 * 0.6 * 0.7 + 0.4 * 0.4 * 0.3
    np.testing.assert_allclose(scores.numpy()[0], [math.log(one), math.log(0.4 * 0.4 * 0.7)], rtol=1e-6)


def test_jvp_is_the_exact_directional_derivative(backend):
    x = ops.convert_to_tensor(np.array([1.0, 2.0, 3.0]))
    t = ops.convert_to_tensor(np.array([1.0, -1.0, 0.5]))
    out, slope = ops.jvp(lambda a: ops.multiply(ops.sin(a), a), (x,), (t,))
    xs = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(out.numpy(), np.sin(xs) * xs)
    np.testing.assert_allclose(slope.numpy(), (np.cos(xs) * xs + np.sin(xs)) * np.array([1.0, -1.0, 0.5]))
    out, slope, aux = ops.jvp(lambda a: (ops.sum(a * a), "aux"), (x,), (t,), has_aux=True)
    assert aux == "aux" and float(slope) == pytest.approx(2 * (1.0 - 2.0 + 1.5))


def test_custom_gradient_replaces_the_tape_rule(backend):
    @ops.custom_gradient
    def doubled_gradient(x):
        return x * 1.0, lambda g: g * 2.0

    x = ops.convert_to_tensor(np.array([1.0, 2.0]))
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(doubled_gradient(x) * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, [x])[0].numpy(), [6.0, 6.0])


def test_keras_signatures():
    # where without branches gives indices; slice takes a start and a shape; argmax flattens by default
    assert [t.numpy().tolist() for t in ops.where(np.array([[True, False], [False, True]]))] == [[0, 1], [0, 1]]
    x = ops.reshape(ops.arange(12.0), (3, 4))
    assert ops.slice(x, (1, 1), (2, 2)).numpy().tolist() == [[5.0, 6.0], [9.0, 10.0]]
    assert int(ops.argmax(x)) == 11 and ops.argmax(x, axis=0, keepdims=True).shape == (1, 4)
    assert ops.one_hot(np.array([1]), 3).dtype == "float32"
    assert ops.reshape(x, newshape=(4, 3)).shape == (4, 3)
    assert ops.expand_dims(x, (0, 1)).shape == (1, 1, 3, 4)


@pytest.mark.parametrize("call, message", [
    (lambda: ops.slice(ops.zeros((3, 4)), (2, 0), (2, 4)), "does not fit"),
    (lambda: ops.top_k(ops.zeros((3,)), 5), "Invalid value for argument `k` of `top_k`"),
    (lambda: ops.pad(ops.zeros((2,)), 1, mode="circular"), "Invalid value for argument `mode` of `pad`"),
    (lambda: ops.pad(ops.zeros((2,)), 1, mode="reflect", constant_values=1.0), "constant_values"),
    (lambda: ops.quantile(ops.zeros((3,)), 1.5), "quantiles must be in"),
    (lambda: ops.quantile(ops.zeros((3,)), 0.5, method="closest"), "Invalid value for argument `method`"),
    (lambda: ops.searchsorted(ops.zeros((3,)), ops.zeros((2,)), side="middle"), "argument `side`"),
    (lambda: ops.split(ops.zeros((5,)), 2), "does not split into 2 equal sections"),
    (lambda: ops.bincount(np.array([0, 1]), sparse=True), "sparse"),
    (lambda: ops.one_hot(np.array([0]), 2, sparse=True), "sparse"),
    (lambda: ops.dot_product_attention(ops.ones((1, 2, 2, 2)), ops.ones((1, 2, 2, 2)), ops.ones((1, 2, 2, 2)),
                                       flash_attention=True), "flash_attention"),
    (lambda: ops.moments(ops.ones((2,)), axes=0, synchronized=True), "synchronized"),
    (lambda: ops.norm(ops.ones((2, 2)), ord="max"), "Invalid value for argument `ord`"),
    (lambda: ops.qr(ops.ones((2, 2)), mode="r"), "Invalid value for argument `mode` of `qr`"),
    (lambda: ops.ctc_decode(ops.ones((1, 2, 2)), np.array([2]), strategy="best"), "argument `strategy`"),
    (lambda: ops.correlate([1.0], [1.0], mode="circular"), "argument `mode` of `correlate`"),
    (lambda: ops.meshgrid([1.0], indexing="xx"), "argument `indexing`"),
    (lambda: ops.normalize([1.0], order=0), "argument `order`"),
    (lambda: ops.stft(ops.ones((8,)), 4, 2, 4, window="boxcar"), "argument `window`"),
    (lambda: ops.scatter_update(ops.zeros((2,)), np.array([[0]]), [1.0], reduction="sum"), "argument `reduction`"),
    (lambda: ops.glu(ops.ones((2, 3))), "even length"),
    (lambda: ops.take_along_axis(ops.ones((2, 3)), np.array([0]), axis=1), "rank"),
    (lambda: ops.rearrange(ops.ones((2, 3)), "a b -> a c"), "same axes"),
    (lambda: ops.cross(ops.ones((4,)), ops.ones((4,))), "length 2 or 3"),
])
def test_bad_arguments_are_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_type_errors():
    with pytest.raises(TypeError, match="integer exponents"):
        ops.ldexp([1.0], [1.0])
    with pytest.raises(TypeError, match="integer indices"):
        ops.take_along_axis(ops.ones((2, 3)), np.array([[0.5]]))
    with pytest.raises(TypeError, match="float32 or float64"):
        ops.stft(np.ones(8, dtype=np.int32), 4, 2, 4)
