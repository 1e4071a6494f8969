"""Specs for the ops added for Keras 3's full ``keras.ops`` (issue 13), in the format of ``op_specs.py``.

``op_specs.py`` appends ``MORE_SPECS`` to its ``SPECS`` and merges ``MORE_NOT_SPECCED`` into ``NOT_SPECCED``;
the harness (``test_op_specs.py``) runs each on every backend: forward against plain numpy, float64
finite-difference gradients, float32 in -> float32 out. Ops without a gradient have forward tests in
``test_ops_forward_extra.py``.
"""

import math

import numpy as np
from op_specs import OpSpec, away, grid, nonzero, normal, uniform

from kerasette import ops


def positive(*shape, low=0.5, high=2.0):
    return uniform(*shape, low=low, high=high)


def indices(*values):
    return lambda rng: np.array(values, dtype=np.int64)


def spd(n, batch=()):
    """Symmetric positive definite matrices, well conditioned."""

    def draw(rng):
        a = rng.standard_normal(batch + (n, n))
        return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)

    return draw


def lower_triangular(n):
    def draw(rng):
        return np.tril(rng.standard_normal((n, n))) + 3.0 * np.eye(n)

    return draw


def well_conditioned(*shape):
    def draw(rng):
        return rng.standard_normal(shape) + 3.0 * np.eye(shape[-1])

    return draw


def with_nan(*shape, every=3):
    def draw(rng):
        x = grid(*shape)(rng)
        x.reshape(-1)[::every] = np.nan
        return x

    return draw


def _erfinv(y):
    """Bisection on math.erf: slow and plain, good to 1e-15."""
    out = np.empty_like(y)
    for i, v in np.ndenumerate(y):
        low, high = -6.0, 6.0
        for _ in range(200):
            mid = (low + high) / 2
            low, high = (mid, high) if math.erf(mid) < v else (low, mid)
        out[i] = (low + high) / 2
    return out


_erfc = np.vectorize(math.erfc, otypes=[float])


def _elementwise_specs():
    table = [
        ("sin", ops.sin, np.sin, normal(3, 4)),
        ("cos", ops.cos, np.cos, normal(3, 4)),
        ("tan", ops.tan, np.tan, uniform(3, 4, low=-1.2, high=1.2)),
        ("arcsin", ops.arcsin, np.arcsin, uniform(3, 4, low=-0.9, high=0.9)),
        ("arccos", ops.arccos, np.arccos, uniform(3, 4, low=-0.9, high=0.9)),
        ("arctan", ops.arctan, np.arctan, normal(3, 4, scale=2.0)),
        ("sinh", ops.sinh, np.sinh, normal(3, 4)),
        ("cosh", ops.cosh, np.cosh, normal(3, 4)),
        ("arcsinh", ops.arcsinh, np.arcsinh, normal(3, 4, scale=2.0)),
        ("arccosh", ops.arccosh, np.arccosh, uniform(3, 4, low=1.2, high=4.0)),
        ("arctanh", ops.arctanh, np.arctanh, uniform(3, 4, low=-0.9, high=0.9)),
        ("expm1", ops.expm1, np.expm1, normal(3, 4)),
        ("exp2", ops.exp2, np.exp2, normal(3, 4)),
        ("log2", ops.log2, np.log2, positive(3, 4)),
        ("log10", ops.log10, np.log10, positive(3, 4)),
        ("cbrt", ops.cbrt, np.cbrt, nonzero(3, 4)),
        ("erfc", ops.erfc, _erfc, uniform(3, 4, low=-3.0, high=5.0)),
        ("erfinv", ops.erfinv, _erfinv, uniform(3, 4, low=-0.99, high=0.99)),
        ("i0", ops.i0, np.i0, uniform(3, 4, low=-4.0, high=4.0)),
        ("reciprocal", ops.reciprocal, np.reciprocal, nonzero(3, 4)),
        ("rsqrt", ops.rsqrt, lambda x: 1.0 / np.sqrt(x), positive(3, 4)),
        ("deg2rad", ops.deg2rad, np.deg2rad, normal(3, 4, scale=90.0)),
        ("rad2deg", ops.rad2deg, np.rad2deg, normal(3, 4)),
        ("sinc", ops.sinc, np.sinc, away(3, 4, kinks=(), low=-3.0, high=3.0)),
        ("fabs", ops.fabs, np.fabs, away(3, 4)),
        ("absolute", ops.absolute, np.absolute, away(3, 4)),
        ("floor", ops.floor, np.floor, away(3, 4, kinks=(-2.0, -1.0, 0.0, 1.0, 2.0), low=-2.5, high=2.5)),
        ("ceil", ops.ceil, np.ceil, away(3, 4, kinks=(-2.0, -1.0, 0.0, 1.0, 2.0), low=-2.5, high=2.5)),
        ("trunc", ops.trunc, np.trunc, away(3, 4, kinks=(-2.0, -1.0, 0.0, 1.0, 2.0), low=-2.5, high=2.5)),
        ("round", ops.round, np.round, away(3, 4, kinks=(-1.5, -0.5, 0.5, 1.5), low=-2.0, high=2.0)),
        ("celu", ops.celu, lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0)), away(3, 4)),
        ("hard_shrink", ops.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
         away(3, 4, kinks=(-0.5, 0.5))),
        ("hard_sigmoid", ops.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1),
         away(3, 4, kinks=(-3.0, 3.0), low=-5.0, high=5.0)),
        ("hard_silu", ops.hard_silu, lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
         away(3, 4, kinks=(-3.0, 3.0), low=-5.0, high=5.0)),
        ("hard_swish", ops.hard_swish, lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
         away(3, 4, kinks=(-3.0, 3.0), low=-5.0, high=5.0)),
        ("hard_tanh", ops.hard_tanh, lambda x: np.clip(x, -1, 1), away(3, 4, kinks=(-1.0, 1.0))),
        ("log_sigmoid", ops.log_sigmoid, lambda x: -np.logaddexp(0.0, -x), normal(3, 4, scale=3.0)),
        ("soft_shrink", ops.soft_shrink, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)),
         away(3, 4, kinks=(-0.5, 0.5))),
        ("softsign", ops.softsign, lambda x: x / (1 + np.abs(x)), away(3, 4)),
        ("sparse_plus", ops.sparse_plus, lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
         away(3, 4, kinks=(-1.0, 1.0))),
        ("sparse_sigmoid", ops.sparse_sigmoid, lambda x: np.clip((x + 1) / 2, 0, 1), away(3, 4, kinks=(-1.0, 1.0))),
        ("squareplus", ops.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2, normal(3, 4)),
        ("tanh_shrink", ops.tanh_shrink, lambda x: x - np.tanh(x), normal(3, 4)),
        ("threshold", lambda x: ops.threshold(x, 0.3, -1.0), lambda x: np.where(x > 0.3, x, -1.0),
         away(3, 4, kinks=(0.3,))),
        ("nan_to_num", ops.nan_to_num, np.nan_to_num, normal(3, 4)),
        ("angle", ops.angle, np.angle, away(3, 4)),
        ("real", ops.real, np.real, normal(3, 4)),
        ("conj", ops.conj, np.conj, normal(3, 4)),
        ("conjugate", ops.conjugate, np.conjugate, normal(3, 4)),
        ("copy", ops.copy, np.copy, normal(3, 4)),
    ]
    specs = [OpSpec(name, op, (gen,), reference) for name, op, reference, gen in table]
    binary = [
        ("arctan2", ops.arctan2, np.arctan2, normal(3, 4), normal(4)),
        ("hypot", ops.hypot, np.hypot, normal(3, 4), normal(3, 1)),
        ("logaddexp", ops.logaddexp, np.logaddexp, normal(3, 4), normal(4)),
        ("logaddexp2", ops.logaddexp2, np.logaddexp2, normal(3, 4), normal(3, 4)),
        ("fmod", ops.fmod, np.fmod, uniform(3, 4, low=-4.0, high=4.0), uniform(3, 4, low=0.7, high=1.3)),
        ("mod", ops.mod, np.mod, grid(3, 4), lambda rng: np.array([0.7, -0.9, 1.3, -1.1])),
        ("floor_divide", ops.floor_divide, np.floor_divide, grid(3, 4, offset=0.05), lambda rng: np.array([0.3])),

        ("fmax", ops.fmax, np.fmax, grid(3, 4), lambda rng: grid(3, 4, offset=0.05)(rng) * np.array([1, np.nan, 1, 1])),
        ("fmin", ops.fmin, np.fmin, grid(3, 4), lambda rng: grid(3, 4, offset=0.05)(rng) * np.array([1, np.nan, 1, 1])),
    ]
    specs += [OpSpec(name, op, (ga, gb), reference) for name, op, reference, ga, gb in binary]
    specs += [
        OpSpec("ldexp", lambda x, e: ops.ldexp(x, e), (normal(3, 4), indices(-2, 0, 3, 1)), np.ldexp),
        OpSpec("heaviside", ops.heaviside, (lambda rng: np.array([[-1.0, 0.0, 2.0, 0.0]]), normal(4)), np.heaviside,
               wrt=(1,)),
        # the divisor's zero is a pole: differentiate the numerator only
        OpSpec("divide_no_nan", ops.divide_no_nan, (normal(3, 4), lambda rng: np.array([0.5, 0.0, -2.0, 1.5])),
               lambda a, b: np.where(b == 0, 0.0, a / np.where(b == 0, 1, b)), wrt=(0,)),
    ]
    return specs


def _reduction_specs():
    specs = []
    for axis, keepdims in ((None, False), (1, True), ((0, 2), False)):
        label = f"_axis{axis}_keepdims{keepdims}"
        specs += [
            OpSpec("prod" + label, lambda x, a=axis, k=keepdims: ops.prod(x, a, k),
                   (nonzero(2, 3, 4, low=0.7, high=1.3),),
                   lambda x, a=axis, k=keepdims: np.prod(x, axis=a, keepdims=k)),
            OpSpec("amax" + label, lambda x, a=axis, k=keepdims: ops.amax(x, a, k), (grid(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.amax(x, axis=a, keepdims=k)),
            OpSpec("amin" + label, lambda x, a=axis, k=keepdims: ops.amin(x, a, k), (grid(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.amin(x, axis=a, keepdims=k)),
            OpSpec("ptp" + label, lambda x, a=axis, k=keepdims: ops.ptp(x, a, k), (grid(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.ptp(x, axis=a, keepdims=k)),
            OpSpec("logsumexp" + label, lambda x, a=axis, k=keepdims: ops.logsumexp(x, a, k), (normal(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.log(np.sum(np.exp(x), axis=a, keepdims=k))),
            OpSpec("nansum" + label, lambda x, a=axis, k=keepdims: ops.nansum(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nansum(x, axis=a, keepdims=k)),
            OpSpec("nanmean" + label, lambda x, a=axis, k=keepdims: ops.nanmean(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanmean(x, axis=a, keepdims=k)),
            OpSpec("nanvar" + label, lambda x, a=axis, k=keepdims: ops.nanvar(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanvar(x, axis=a, keepdims=k)),
            OpSpec("nanstd" + label, lambda x, a=axis, k=keepdims: ops.nanstd(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanstd(x, axis=a, keepdims=k)),
            OpSpec("nanmax" + label, lambda x, a=axis, k=keepdims: ops.nanmax(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanmax(x, axis=a, keepdims=k)),
            OpSpec("nanmin" + label, lambda x, a=axis, k=keepdims: ops.nanmin(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanmin(x, axis=a, keepdims=k)),
            OpSpec("nanprod" + label, lambda x, a=axis, k=keepdims: ops.nanprod(x, a, k),
                   (lambda rng: np.where(np.isnan(with_nan(2, 3, 4)(rng)), np.nan, rng.uniform(0.7, 1.3, (2, 3, 4))),),
                   lambda x, a=axis, k=keepdims: np.nanprod(x, axis=a, keepdims=k)),
            OpSpec("median" + label, lambda x, a=axis, k=keepdims: ops.median(x, a, k), (grid(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.median(x, axis=a, keepdims=k)),
            OpSpec("nanmedian" + label, lambda x, a=axis, k=keepdims: ops.nanmedian(x, a, k), (with_nan(2, 3, 4),),
                   lambda x, a=axis, k=keepdims: np.nanmedian(x, axis=a, keepdims=k)),
        ]
    specs += [
        OpSpec("prod_with_zeros", lambda x: ops.prod(x, axis=1),
               (lambda rng: np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.5], [1.1, 0.9, 2.0]]),),
               lambda x: np.prod(x, axis=1)),
        OpSpec("max_initial", lambda x: ops.max(x, axis=1, initial=0.1), (grid(3, 4),),
               lambda x: np.max(x, axis=1, initial=0.1)),
        OpSpec("min_initial", lambda x: ops.min(x, axis=0, initial=-0.05), (grid(3, 4, offset=0.05),),
               lambda x: np.min(x, axis=0, initial=-0.05)),
        OpSpec("average_weights", lambda x, w: ops.average(x, axis=1, weights=w), (normal(3, 4), positive(4)),
               lambda x, w: np.average(x, axis=1, weights=w)),
        OpSpec("average_full_weights", lambda x, w: ops.average(x, weights=w), (normal(3, 4), positive(3, 4)),
               lambda x, w: np.average(x, weights=w)),
    ]
    for method in ("linear", "lower", "higher", "midpoint", "nearest"):
        specs.append(OpSpec(f"quantile_{method}",
                            lambda x, m=method: ops.quantile(x, [0.2, 0.5, 0.9], axis=1, method=m), (grid(3, 6),),
                            lambda x, m=method: np.quantile(x, [0.2, 0.5, 0.9], axis=1, method=m)))
    specs += [
        OpSpec("percentile", lambda x: ops.percentile(x, 30, axis=0), (grid(5, 3),),
               lambda x: np.percentile(x, 30, axis=0)),
        OpSpec("nanquantile", lambda x: ops.nanquantile(x, [0.25, 0.75], axis=1), (with_nan(3, 5),),
               lambda x: np.nanquantile(x, [0.25, 0.75], axis=1)),
        OpSpec("nanpercentile", lambda x: ops.nanpercentile(x, 60, axis=-1, keepdims=True), (with_nan(3, 5),),
               lambda x: np.nanpercentile(x, 60, axis=-1, keepdims=True)),
        OpSpec("corrcoef", ops.corrcoef, (normal(3, 6),), np.corrcoef),
    ]
    return specs


def _scan_specs():
    specs = []
    for axis in (None, 0, 1):
        specs += [
            OpSpec(f"cumsum_axis{axis}", lambda x, a=axis: ops.cumsum(x, a), (normal(3, 4),),
                   lambda x, a=axis: np.cumsum(x, axis=a)),
            OpSpec(f"cumprod_axis{axis}", lambda x, a=axis: ops.cumprod(x, a), (nonzero(3, 4, low=0.7, high=1.3),),
                   lambda x, a=axis: np.cumprod(x, axis=a)),
        ]
    zeros = lambda rng: np.array([[1.5, 0.0, 2.0, 0.5], [0.0, 1.2, 0.0, 0.9], [0.8, 1.1, 1.3, 0.0]])  # noqa: E731
    specs += [
        OpSpec("cumprod_with_zeros", lambda x: ops.cumprod(x, axis=1), (zeros,), lambda x: np.cumprod(x, axis=1)),
        OpSpec("nancumsum", lambda x: ops.nancumsum(x, axis=1), (with_nan(3, 4),), lambda x: np.nancumsum(x, axis=1)),
        OpSpec("nancumprod", lambda x: ops.nancumprod(x, axis=0),
               (lambda rng: np.where(np.isnan(with_nan(3, 4)(rng)), np.nan, rng.uniform(0.7, 1.3, (3, 4))),),
               lambda x: np.nancumprod(x, axis=0)),
        OpSpec("diff", ops.diff, (normal(3, 5),), np.diff),
        OpSpec("diff_n2_axis0", lambda x: ops.diff(x, n=2, axis=0), (normal(4, 3),), lambda x: np.diff(x, n=2, axis=0)),
        OpSpec("trapezoid", ops.trapezoid, (normal(3, 5),), np.trapezoid),
        OpSpec("trapezoid_x", lambda y, x: ops.trapezoid(y, x, axis=0), (normal(4, 3), normal(4)),
               lambda y, x: np.trapezoid(y, x, axis=0)),
    ]
    return specs


def _sorting_indexing_specs():
    take_idx = lambda rng: np.array([[2, 0, 1, 2], [0, 0, 3, 1], [3, 2, 1, 0]])  # noqa: E731
    return [
        OpSpec("sort", ops.sort, (grid(3, 5),), np.sort),
        OpSpec("sort_axis0", lambda x: ops.sort(x, axis=0), (grid(4, 3),), lambda x: np.sort(x, axis=0)),
        OpSpec("top_k_values", lambda x: ops.top_k(x, 2)[0], (grid(3, 5),), lambda x: -np.sort(-x, axis=-1)[..., :2]),
        OpSpec("take_along_axis", lambda x, i: ops.take_along_axis(x, i, axis=1), (normal(3, 4), take_idx),
               lambda x, i: np.take_along_axis(x, i, axis=1)),
        OpSpec("take_along_axis_broadcast", lambda x, i: ops.take_along_axis(x, i, axis=0),
               (normal(4, 3), indices([3], [0], [0])), lambda x, i: np.take_along_axis(x, i, axis=0)),
        OpSpec("scatter", lambda i, v: ops.scatter(i, v, (3, 4)), (indices([0, 1], [2, 3], [0, 1]), normal(3)),
               lambda i, v: _scatter_reference(i, v, (3, 4))),
        OpSpec("scatter_update", lambda x, i, u: ops.scatter_update(x, i, u), (normal(3, 4), indices([0, 1], [2, 3]),
                                                                                 normal(2)),
               lambda x, i, u: _scatter_update_reference(x, i, u)),
        OpSpec("slice_update", lambda x, u: ops.slice_update(x, (1, 2), u), (normal(3, 5), normal(2, 2)),
               lambda x, u: _slice_update_reference(x, (1, 2), u)),
        OpSpec("segment_sum", lambda d, s: ops.segment_sum(d, s, num_segments=3),
               (normal(5, 2), indices(0, 2, 0, 1, 2)),
               lambda d, s: np.stack([d[s == k].sum(0) for k in range(3)])),
        OpSpec("segment_max", lambda d, s: ops.segment_max(d, s), (grid(5, 2), indices(0, 1, 0, 1, 1)),
               lambda d, s: np.stack([d[s == k].max(0) for k in range(2)])),
        OpSpec("segment_min", lambda d, s: ops.segment_min(d, s), (grid(5, 2), indices(0, 1, 0, 1, 1)),
               lambda d, s: np.stack([d[s == k].min(0) for k in range(2)])),
        OpSpec("segment_prod", lambda d, s: ops.segment_prod(d, s), (positive(5, 2), indices(0, 1, 0, 1, 1)),
               lambda d, s: np.stack([d[s == k].prod(0) for k in range(2)])),
        OpSpec("select", lambda c1, c2, a, b: ops.select([c1, c2], [a, b], default=0.5),
               (lambda rng: rng.random((3, 4)) < 0.4, lambda rng: rng.random((3, 4)) < 0.5, normal(3, 4), normal(4)),
               lambda c1, c2, a, b: np.select([c1, c2], [a, np.broadcast_to(b, (3, 4))], default=0.5)),
        OpSpec("get_item", lambda x: ops.get_item(x, (1, slice(0, 2))), (normal(3, 4),), lambda x: x[1, 0:2]),
    ]


def _scatter_reference(i, v, shape):
    out = np.zeros(shape)
    np.add.at(out, tuple(i.T), v)
    return out


def _scatter_update_reference(x, i, u):
    out = x.copy()
    out[tuple(i.T)] = u
    return out


def _slice_update_reference(x, start, u):
    out = x.copy()
    out[start[0]:start[0] + u.shape[0], start[1]:start[1] + u.shape[1]] = u
    return out


def _manipulation_specs():
    return [
        OpSpec("tile", lambda x: ops.tile(x, (2, 1, 3)), (normal(2, 3),), lambda x: np.tile(x, (2, 1, 3))),
        OpSpec("repeat_int_axis1", lambda x: ops.repeat(x, 2, axis=1), (normal(2, 3),), lambda x: np.repeat(x, 2, 1)),
        OpSpec("repeat_counts_flat", lambda x: ops.repeat(x, [1, 0, 2, 1, 3, 1]), (normal(2, 3),),
               lambda x: np.repeat(x, [1, 0, 2, 1, 3, 1])),
        OpSpec("split_sections", lambda x: ops.split(x, 2, axis=1)[1], (normal(3, 4),), lambda x: np.split(x, 2, 1)[1]),
        OpSpec("split_indices", lambda x: ops.split(x, [1, 3])[1], (normal(5, 2),), lambda x: np.split(x, [1, 3])[1]),
        OpSpec("array_split", lambda x: ops.array_split(x, 3)[0], (normal(5, 2),), lambda x: np.array_split(x, 3)[0]),
        OpSpec("hsplit", lambda x: ops.hsplit(x, 2)[0], (normal(2, 4),), lambda x: np.hsplit(x, 2)[0]),
        OpSpec("vsplit", lambda x: ops.vsplit(x, 2)[1], (normal(4, 2),), lambda x: np.vsplit(x, 2)[1]),
        OpSpec("dsplit", lambda x: ops.dsplit(x, 2)[1], (normal(2, 2, 4),), lambda x: np.dsplit(x, 2)[1]),
        OpSpec("unstack", lambda x: ops.unstack(x, axis=1)[2], (normal(2, 3),), lambda x: x[:, 2]),
        OpSpec("flip", ops.flip, (normal(2, 3),), np.flip),
        OpSpec("flip_axis1", lambda x: ops.flip(x, 1), (normal(2, 3),), lambda x: np.flip(x, 1)),
        OpSpec("fliplr", ops.fliplr, (normal(2, 3),), np.fliplr),
        OpSpec("flipud", ops.flipud, (normal(2, 3),), np.flipud),
        OpSpec("roll", lambda x: ops.roll(x, 2), (normal(2, 3),), lambda x: np.roll(x, 2)),
        OpSpec("roll_axes", lambda x: ops.roll(x, (1, -1), (0, 1)), (normal(2, 3),),
               lambda x: np.roll(x, (1, -1), (0, 1))),
        OpSpec("rot90", lambda x: ops.rot90(x, 1), (normal(2, 3),), lambda x: np.rot90(x, 1)),
        OpSpec("rot90_k3_axes12", lambda x: ops.rot90(x, 3, (1, 2)), (normal(2, 3, 4),),
               lambda x: np.rot90(x, 3, (1, 2))),
        OpSpec("moveaxis", lambda x: ops.moveaxis(x, 0, -1), (normal(2, 3, 4),), lambda x: np.moveaxis(x, 0, -1)),
        OpSpec("swapaxes", lambda x: ops.swapaxes(x, 0, 2), (normal(2, 3, 4),), lambda x: np.swapaxes(x, 0, 2)),
        OpSpec("ravel", ops.ravel, (normal(2, 3),), np.ravel),
        OpSpec("hstack", lambda a, b: ops.hstack([a, b]), (normal(2, 3), normal(2, 1)), lambda a, b: np.hstack([a, b])),
        OpSpec("vstack", lambda a, b: ops.vstack([a, b]), (normal(3), normal(2, 3)), lambda a, b: np.vstack([a, b])),
        OpSpec("dstack", lambda a, b: ops.dstack([a, b]), (normal(2, 3), normal(2, 3)), lambda a, b: np.dstack([a, b])),
        OpSpec("append", lambda a, b: ops.append(a, b), (normal(2, 3), normal(2)), lambda a, b: np.append(a, b)),
        OpSpec("append_axis0", lambda a, b: ops.append(a, b, axis=0), (normal(2, 3), normal(1, 3)),
               lambda a, b: np.append(a, b, axis=0)),
        OpSpec("diagonal", lambda x: ops.diagonal(x, 1, 0, 2), (normal(3, 2, 4),), lambda x: np.diagonal(x, 1, 0, 2)),
        OpSpec("diag_vector", lambda x: ops.diag(x, -1), (normal(3),), lambda x: np.diag(x, -1)),
        OpSpec("diag_matrix", lambda x: ops.diag(x, 1), (normal(3, 4),), lambda x: np.diag(x, 1)),
        OpSpec("diagflat", ops.diagflat, (normal(2, 2),), np.diagflat),
        OpSpec("trace", ops.trace, (normal(3, 4),), np.trace),
        OpSpec("tril", lambda x: ops.tril(x, -1), (normal(2, 3, 4),), lambda x: np.tril(x, -1)),
        OpSpec("triu", ops.triu, (normal(3, 4),), np.triu),
        OpSpec("meshgrid", lambda a, b: ops.meshgrid(a, b)[1], (normal(3), normal(2)),
               lambda a, b: np.meshgrid(a, b)[1], wrt=(1,)),
        OpSpec("meshgrid_ij", lambda a, b: ops.meshgrid(a, b, indexing="ij")[0], (normal(3), normal(2)),
               lambda a, b: np.meshgrid(a, b, indexing="ij")[0], wrt=(0,)),
        OpSpec("full_like", lambda x, v: ops.full_like(x, v), (normal(2, 3), normal(3)),
               lambda x, v: np.broadcast_to(v, (2, 3)), wrt=(1,)),
        OpSpec("linspace", lambda a, b: ops.linspace(a, b, 5), (normal(2), normal(2)),
               lambda a, b: np.linspace(a, b, 5)),
        OpSpec("linspace_no_endpoint_axis1", lambda a, b: ops.linspace(a, b, 4, endpoint=False, axis=1),
               (normal(3), normal(3)), lambda a, b: np.linspace(a, b, 4, endpoint=False, axis=1)),
        OpSpec("logspace", lambda a, b: ops.logspace(a, b, 4), (normal(2), normal(2)),
               lambda a, b: np.logspace(a, b, 4)),
        OpSpec("geomspace", lambda a, b: ops.geomspace(a, b, 4, dtype=a.dtype), (positive(2), positive(2)),
               lambda a, b: np.geomspace(a, b, 4)),
        OpSpec("vander", lambda x: ops.vander(x, 4), (normal(3),), lambda x: np.vander(x, 4)),
        OpSpec("vander_increasing_with_zero", lambda x: ops.vander(x, increasing=True),
               (lambda rng: np.array([0.0, 1.5, -0.5]),), lambda x: np.vander(x, increasing=True)),
        OpSpec("rearrange", lambda x: ops.rearrange(x, "b (h w) c -> b c h w", h=2), (normal(2, 6, 3),),
               lambda x: x.reshape(2, 2, 3, 3).transpose(0, 3, 1, 2)),
        OpSpec("depth_to_space", lambda x: ops.depth_to_space(x, 2), (normal(1, 2, 3, 8),),
               lambda x: x.reshape(1, 2, 3, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(1, 4, 6, 2)),
        OpSpec("space_to_depth", lambda x: ops.space_to_depth(x, 2), (normal(1, 4, 2, 3),),
               lambda x: x.reshape(1, 2, 2, 1, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(1, 2, 1, 12)),
        OpSpec("expand_dims_tuple", lambda x: ops.expand_dims(x, (0, 3)), (normal(2, 3),),
               lambda x: np.expand_dims(x, (0, 3))),
    ]


def _pad_specs():
    specs = []
    for mode in ("edge", "reflect", "symmetric", "wrap", "linear_ramp", "maximum", "minimum", "mean", "median"):
        specs.append(OpSpec(f"pad_{mode}", lambda x, m=mode: ops.pad(x, ((1, 2), (2, 1)), mode=m), (grid(3, 4),),
                            lambda x, m=mode: np.pad(x, ((1, 2), (2, 1)), mode=m)))
    return specs


def _product_specs():
    return [
        OpSpec("tensordot", lambda a, b: ops.tensordot(a, b, axes=([1, 2], [1, 0])), (normal(2, 3, 4), normal(4, 3, 2)),
               lambda a, b: np.tensordot(a, b, axes=([1, 2], [1, 0]))),
        OpSpec("tensordot_int_axes", lambda a, b: ops.tensordot(a, b, axes=1), (normal(2, 3), normal(3, 2)),
               lambda a, b: np.tensordot(a, b, axes=1)),
        OpSpec("einsum_matmul", lambda a, b: ops.einsum("ij,jk->ik", a, b), (normal(2, 3), normal(3, 2)),
               lambda a, b: np.einsum("ij,jk->ik", a, b)),
        OpSpec("einsum_batched_ellipsis", lambda a, b: ops.einsum("...ij,...jk", a, b), (normal(2, 2, 3), normal(3, 2)),
               lambda a, b: np.einsum("...ij,...jk", a, b)),
        OpSpec("einsum_trace_and_outer", lambda a, b: ops.einsum("ii,j->j", a, b), (normal(3, 3), normal(2)),
               lambda a, b: np.einsum("ii,j->j", a, b)),
        OpSpec("einsum_three", lambda a, b, c: ops.einsum("ab,bc,cd->ad", a, b, c), (normal(2, 3), normal(3, 2),
                                                                                      normal(2, 2)),
               lambda a, b, c: np.einsum("ab,bc,cd->ad", a, b, c)),
        OpSpec("inner", ops.inner, (normal(2, 3), normal(4, 3)), np.inner),
        OpSpec("outer", ops.outer, (normal(3), normal(2, 2)), np.outer),
        OpSpec("vdot", ops.vdot, (normal(2, 3), normal(2, 3)), np.vdot),
        OpSpec("kron", ops.kron, (normal(2, 2), normal(3, 1)), np.kron),
        OpSpec("cross", ops.cross, (normal(4, 3), normal(4, 3)), np.cross),
        OpSpec("cross_axisc0", lambda a, b: ops.cross(a, b, axisc=0), (normal(4, 3), normal(3)),
               lambda a, b: np.cross(a, b, axisc=0)),
        OpSpec("cdist", ops.cdist, (normal(3, 2), normal(4, 2)),
               lambda a, b: np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))),
        OpSpec("correlate_valid", ops.correlate, (normal(5), normal(3)), np.correlate),
        OpSpec("correlate_same", lambda a, b: ops.correlate(a, b, "same"), (normal(3), normal(5)),
               lambda a, b: np.correlate(a, b, "same")),
        OpSpec("correlate_full", lambda a, b: ops.correlate(a, b, "full"), (normal(4), normal(3)),
               lambda a, b: np.correlate(a, b, "full")),
        OpSpec("dot_rank3", ops.dot, (normal(2, 3, 2), normal(3, 2, 4)), np.dot),
        OpSpec("dot_scalar", lambda a: ops.dot(a, 2.5), (normal(2, 3),), lambda a: np.dot(a, 2.5)),
    ]


def _linalg_specs():
    return [
        OpSpec("inv", ops.inv, (well_conditioned(2, 3, 3),), np.linalg.inv),
        OpSpec("det", ops.det, (well_conditioned(2, 3, 3),), np.linalg.det),
        OpSpec("slogdet_logabsdet", lambda x: ops.slogdet(x)[1], (well_conditioned(3, 3),),
               lambda x: np.linalg.slogdet(x)[1]),
        OpSpec("logdet", ops.logdet, (spd(3),), lambda x: np.log(np.linalg.det(x))),
        OpSpec("solve", ops.solve, (well_conditioned(2, 3, 3), normal(2, 3, 2)), np.linalg.solve),
        OpSpec("solve_vector", ops.solve, (well_conditioned(3, 3), normal(3)), np.linalg.solve),
        OpSpec("solve_triangular_lower", lambda a, b: ops.solve_triangular(a, b, lower=True),
               (well_conditioned(3, 3), normal(3, 2)), lambda a, b: np.linalg.solve(np.tril(a), b)),
        OpSpec("solve_triangular_upper_vector", ops.solve_triangular, (well_conditioned(3, 3), normal(3)),
               lambda a, b: np.linalg.solve(np.triu(a), b)),
        OpSpec("cholesky", ops.cholesky, (spd(3, (2,)),), np.linalg.cholesky),
        OpSpec("cholesky_upper", lambda x: ops.cholesky(x, upper=True), (spd(3),),
               lambda x: np.linalg.cholesky(x).T),
        OpSpec("cholesky_inverse", ops.cholesky_inverse, (lower_triangular(3),),
               lambda x: np.linalg.inv(x @ x.T)),
        OpSpec("eigh_values", lambda x: ops.eigh(x)[0], (spd(3),), lambda x: np.linalg.eigh(x)[0]),
        OpSpec("eigh_vectors", lambda x: ops.eigh(x)[1], (spd(3),), lambda x: np.linalg.eigh(x)[1]),
        OpSpec("qr_q", lambda x: ops.qr(x)[0], (normal(4, 3),), lambda x: np.linalg.qr(x)[0]),
        OpSpec("qr_r", lambda x: ops.qr(x)[1], (normal(4, 3),), lambda x: np.linalg.qr(x)[1]),
        OpSpec("svd_values", lambda x: ops.svd(x, compute_uv=False), (normal(3, 4),),
               lambda x: np.linalg.svd(x, compute_uv=False)),
        OpSpec("svd_u", lambda x: ops.svd(x, full_matrices=False)[0], (normal(4, 3),),
               lambda x: np.linalg.svd(x, full_matrices=False)[0]),
        OpSpec("svd_vh", lambda x: ops.svd(x, full_matrices=False)[2], (normal(2, 4),),
               lambda x: np.linalg.svd(x, full_matrices=False)[2]),
        OpSpec("pinv", ops.pinv, (normal(4, 3),), np.linalg.pinv),
        OpSpec("lstsq", ops.lstsq, (normal(4, 3), normal(4)), lambda a, b: np.linalg.lstsq(a, b)[0]),
        OpSpec("norm", ops.norm, (normal(3, 4),), np.linalg.norm),
        OpSpec("norm_l1_axis1", lambda x: ops.norm(x, ord=1, axis=1), (away(3, 4),),
               lambda x: np.linalg.norm(x, ord=1, axis=1)),
        OpSpec("norm_p3_keepdims", lambda x: ops.norm(x, ord=3, axis=0, keepdims=True), (away(3, 4),),
               lambda x: np.linalg.norm(x, ord=3, axis=0, keepdims=True)),
        OpSpec("norm_nuc", lambda x: ops.norm(x, ord="nuc"), (normal(3, 4),), lambda x: np.linalg.norm(x, "nuc")),
        OpSpec("norm_2_matrix", lambda x: ops.norm(x, ord=2), (normal(3, 4),), lambda x: np.linalg.norm(x, 2)),
        OpSpec("norm_inf_matrix", lambda x: ops.norm(x, ord=np.inf), (grid(3, 4),),
               lambda x: np.linalg.norm(x, np.inf)),
    ]


def _signal_specs():
    return [
        OpSpec("fft_real", lambda r, i: ops.fft((r, i))[0], (normal(2, 5), normal(2, 5)),
               lambda r, i: np.fft.fft(r + 1j * i).real),
        OpSpec("fft_imag", lambda r, i: ops.fft((r, i))[1], (normal(2, 5), normal(2, 5)),
               lambda r, i: np.fft.fft(r + 1j * i).imag),
        OpSpec("fft2", lambda r, i: ops.fft2((r, i))[1], (normal(3, 4), normal(3, 4)),
               lambda r, i: np.fft.fft2(r + 1j * i).imag),
        OpSpec("ifft2", lambda r, i: ops.ifft2((r, i))[0], (normal(3, 4), normal(3, 4)),
               lambda r, i: np.fft.ifft2(r + 1j * i).real),
        OpSpec("rfft_imag", lambda x: ops.rfft(x)[1], (normal(2, 6),), lambda x: np.fft.rfft(x).imag),
        OpSpec("rfft_padded_real", lambda x: ops.rfft(x, 7)[0], (normal(2, 5),), lambda x: np.fft.rfft(x, 7).real),
        OpSpec("irfft", lambda r, i: ops.irfft((r, i)), (normal(2, 4), normal(2, 4)),
               lambda r, i: np.fft.irfft(r + 1j * i)),
        OpSpec("irfft_odd_length", lambda r, i: ops.irfft((r, i), 5), (normal(2, 4), normal(2, 4)),
               lambda r, i: np.fft.irfft(r + 1j * i, 5)),
        OpSpec("extract_sequences", lambda x: ops.extract_sequences(x, 3, 2), (normal(2, 7),),
               lambda x: np.stack([x[:, k:k + 3] for k in range(0, 5, 2)], axis=1)),
        OpSpec("stft_real", lambda x: ops.stft(x, 4, 2, 6)[0], (normal(2, 10),),
               lambda x: _stft_reference(x, 4, 2, 6).real),
        OpSpec("stft_imag_no_center", lambda x: ops.stft(x, 6, 3, 6, window="hamming", center=False)[1],
               (normal(12),), lambda x: _stft_reference(x, 6, 3, 6, "hamming", False).imag),
        OpSpec("istft", lambda r, i: ops.istft((r, i), 4, 2, 4), (normal(2, 5, 3), normal(2, 5, 3)),
               lambda r, i: _istft_reference(r + 1j * i, 4, 2, 4)),
    ]


def _window(name, length, fft_length):
    k = np.arange(length)
    a = 0.5 if name == "hann" else 0.54
    w = a - (1 - a) * np.cos(2 * np.pi * k / length)
    left = (fft_length - length) // 2
    return np.pad(w, (left, fft_length - length - left))


def _stft_reference(x, length, stride, fft_length, window="hann", center=True):
    """Frames of the (reflect-padded) signal times the window, then rfft: scipy's stft times its window sum."""
    if center:
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)], mode="reflect")
    w = _window(window, length, fft_length)
    count = (x.shape[-1] - fft_length) // stride + 1
    frames = np.stack([x[..., k * stride:k * stride + fft_length] for k in range(count)], axis=-2)
    return np.fft.rfft(frames * w, fft_length)


def _istft_reference(z, length, stride, fft_length, window="hann"):
    frames = np.fft.irfft(z, fft_length) * _window(window, length, fft_length)
    count = z.shape[-2]
    total = fft_length + stride * (count - 1)
    signal, norm = np.zeros(z.shape[:-2] + (total,)), np.zeros(total)
    for k in range(count):
        signal[..., k * stride:k * stride + fft_length] += frames[..., k, :]
        norm[k * stride:k * stride + fft_length] += _window(window, length, fft_length) ** 2
    signal = np.where(norm > 1e-10, signal / np.where(norm > 1e-10, norm, 1.0), signal)
    return signal[..., fft_length // 2:total - fft_length // 2]


def _nn_specs():
    def sparsemax_reference(x):
        z = -np.sort(-x, axis=-1)
        k = np.arange(1, x.shape[-1] + 1)
        support = 1 + k * z > np.cumsum(z, axis=-1)
        count = support.sum(-1, keepdims=True)
        tau = (np.take_along_axis(np.cumsum(z, axis=-1), count - 1, -1) - 1) / count
        return np.maximum(x - tau, 0)

    def layer_norm_reference(x, g, b, axis=-1):
        mean, var = x.mean(axis, keepdims=True), x.var(axis, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-7) * g + b

    targets = lambda rng: rng.uniform(0.0, 1.0, (3, 4))  # noqa: E731
    probs = lambda rng: rng.uniform(0.1, 0.9, (3, 4))  # noqa: E731
    onehot = lambda rng: np.eye(4)[[1, 3, 0]]  # noqa: E731
    return [
        OpSpec("glu", ops.glu, (normal(3, 4),), lambda x: x[:, :2] / (1 + np.exp(-x[:, 2:]))),
        OpSpec("sparsemax", ops.sparsemax, (grid(3, 5),), sparsemax_reference),
        OpSpec("binary_crossentropy", ops.binary_crossentropy, (targets, probs),
               lambda t, o: -(t * np.log(o) + (1 - t) * np.log(1 - o))),
        OpSpec("binary_crossentropy_from_logits", lambda t, o: ops.binary_crossentropy(t, o, from_logits=True),
               (targets, normal(3, 4)), lambda t, o: t * np.logaddexp(0, -o) + (1 - t) * np.logaddexp(0, o)),
        OpSpec("categorical_crossentropy", ops.categorical_crossentropy, (onehot, probs),
               lambda t, o: -np.sum(t * np.log(o / o.sum(-1, keepdims=True)), -1), wrt=(1,)),
        OpSpec("categorical_crossentropy_from_logits",
               lambda t, o: ops.categorical_crossentropy(t, o, from_logits=True),
               (targets, normal(3, 4)), lambda t, o: -np.sum(t * (o - np.log(np.exp(o).sum(-1, keepdims=True))), -1)),
        OpSpec("sparse_categorical_crossentropy", lambda o, t: ops.sparse_categorical_crossentropy(t, o),
               (probs, indices(1, 3, 0)), lambda o, t: -np.log((o / o.sum(-1, keepdims=True))[np.arange(3), t])),
        OpSpec("psnr", lambda a, b: ops.psnr(a, b, 2.0), (normal(2, 3), normal(2, 3)),
               lambda a, b: 20 * np.log10(2.0) - 10 * np.log10(np.mean((a - b) ** 2))),
        OpSpec("ctc_loss", lambda t, o: ops.ctc_loss(t, o, np.array([2, 1]), np.array([4, 3])),
               (indices([1, 2], [2, 0]), normal(2, 4, 3)), lambda t, o: _ctc_reference(t, o, [2, 1], [4, 3])),
        OpSpec("batch_normalization", lambda x, m, v, o, s: ops.batch_normalization(x, m, v, 1, o, s),
               (normal(2, 3), normal(3), positive(3), normal(3), normal(3)),
               lambda x, m, v, o, s: (x - m) / np.sqrt(v + 1e-3) * s + o),
        OpSpec("layer_normalization", ops.layer_normalization, (normal(3, 4), normal(4), normal(4)),
               layer_norm_reference),
        OpSpec("rms_normalization", lambda x, s: ops.rms_normalization(x, s), (normal(3, 4), normal(4)),
               lambda x, s: x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-7) * s),
        OpSpec("normalize", ops.normalize, (normal(3, 4),), lambda x: x / np.sqrt((x * x).sum(-1, keepdims=True))),
        OpSpec("normalize_order1_axis0", lambda x: ops.normalize(x, axis=0, order=1), (away(3, 4),),
               lambda x: x / np.abs(x).sum(0, keepdims=True)),
        OpSpec("moments_variance", lambda x: ops.moments(x, axes=(0, 2))[1], (normal(2, 3, 4),),
               lambda x: x.var(axis=(0, 2))),
        OpSpec("adaptive_average_pool", lambda x: ops.adaptive_average_pool(x, (2, 3)), (normal(1, 5, 7, 2),),
               lambda x: _adaptive_reference(x, (2, 3), np.mean)),
        OpSpec("adaptive_max_pool_channels_first", lambda x: ops.adaptive_max_pool(x, 2, data_format="channels_first"),
               (grid(1, 2, 5),), lambda x: _adaptive_reference(x.transpose(0, 2, 1), (2,), np.max).transpose(0, 2, 1)),
        OpSpec("unfold", lambda x: ops.unfold(x, 2, padding=1, stride=2), (normal(1, 2, 3, 4),),
               lambda x: _unfold_reference(x, 2, 1, 2)),
        OpSpec("fold", lambda x: ops.fold(x, (3, 4), 2, padding=1, stride=2), (normal(1, 8, 6),),
               lambda x: _fold_reference(x, (3, 4), 2, 1, 2)),
        OpSpec("dot_product_attention", ops.dot_product_attention, (normal(1, 3, 2, 4), normal(1, 5, 2, 4),
                                                                     normal(1, 5, 2, 3)),
               lambda q, k, v: _attention_reference(q, k, v, 0.5)),
        OpSpec("dot_product_attention_causal_gqa", lambda q, k, v: ops.dot_product_attention(q, k, v, is_causal=True),
               (normal(1, 3, 4, 2), normal(1, 3, 2, 2), normal(1, 3, 2, 2)),
               lambda q, k, v: _attention_reference(q, np.repeat(k, 2, 2), np.repeat(v, 2, 2), 2 ** -0.5, causal=True)),
        OpSpec("custom_gradient", _log1pexp, (normal(3, 4),), lambda x: np.log1p(np.exp(x))),
    ]


@ops.custom_gradient
def _log1pexp(x):
    e = ops.exp(x)

    def grad(upstream):
        return ops.multiply(upstream, 1.0 - 1.0 / (1.0 + e))

    return ops.log(1.0 + e), grad


def _ctc_reference(targets, logits, target_lengths, output_lengths):
    """Sum over all alignments, enumerated (tiny inputs only)."""
    import itertools

    out = []
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    for b in range(logits.shape[0]):
        label = list(targets[b, :target_lengths[b]])
        total = 0.0
        for path in itertools.product(range(logits.shape[2]), repeat=int(output_lengths[b])):
            collapsed = [c for k, c in enumerate(path) if c != 0 and (k == 0 or path[k - 1] != c)]
            if collapsed == label:
                total += np.exp(sum(log_p[b, t, c] for t, c in enumerate(path)))
        out.append(-np.log(total))
    return np.array(out)


def _adaptive_reference(x, sizes, reduce):
    for axis, out in enumerate(sizes, start=1):
        n = x.shape[axis]
        parts = [reduce(np.take(x, range(i * n // out, -(-(i + 1) * n // out)), axis=axis), axis=axis, keepdims=True)
                 for i in range(out)]
        x = np.concatenate(parts, axis=axis)
    return x


def _unfold_reference(x, k, p, s):
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    n, c, h, w = xp.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    cols = [xp[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c * k * k) for i in range(oh) for j in range(ow)]
    return np.stack(cols, axis=-1)


def _fold_reference(cols, size, k, p, s):
    n, ck, _ = cols.shape
    c = ck // (k * k)
    h, w = size[0] + 2 * p, size[1] + 2 * p
    out = np.zeros((n, c, h, w))
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    for b, (i, j) in enumerate((i, j) for i in range(oh) for j in range(ow)):
        out[:, :, i * s:i * s + k, j * s:j * s + k] += cols[:, :, b].reshape(n, c, k, k)
    return out[:, :, p:p + size[0], p:p + size[1]]


def _attention_reference(q, k, v, scale, causal=False):
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if causal:
        logits = np.where(np.tril(np.ones(logits.shape[-2:], bool)), logits, -1e30)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", p, v)


def _control_flow_specs():
    return [
        OpSpec("scan", lambda x: ops.scan(lambda c, v: (c * v + 1.0, c * v), 1.0, x)[1], (normal(4, 2),),
               lambda x: _scan_reference(x)),
        OpSpec("scan_reverse_carry", lambda x: ops.scan(lambda c, v: (c + v * v, None), 0.0, x, reverse=True)[0],
               (normal(3, 2),), lambda x: (x * x).sum(0)),
        OpSpec("map", lambda x: ops.map(lambda row: ops.sum(ops.square(row)), x), (normal(3, 4),),
               lambda x: (x * x).sum(1)),
        OpSpec("vectorized_map", lambda x: ops.vectorized_map(lambda row: row * row[0], x), (normal(3, 2),),
               lambda x: x * x[:, :1]),
        OpSpec("vectorize", lambda a, b: ops.vectorize(lambda u, v: ops.sum(u * v), signature="(n),(n)->()")(a, b),
               (normal(3, 2), normal(2)), lambda a, b: a @ b),
        OpSpec("associative_scan", lambda x: ops.associative_scan(ops.multiply, x, axis=1), (normal(2, 4),),
               lambda x: np.cumprod(x, axis=1)),
        OpSpec("associative_scan_reverse", lambda x: ops.associative_scan(ops.add, x, reverse=True), (normal(4, 2),),
               lambda x: np.flip(np.cumsum(np.flip(x, 0), 0), 0)),
        OpSpec("fori_loop", lambda x: ops.fori_loop(0, 3, lambda i, v: v * v + float(i), x), (normal(2, 2, scale=0.5),),
               lambda x: ((x * x) ** 2 + 1.0) ** 2 + 2.0),
        OpSpec("while_loop", lambda x: ops.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, ops.sin(v)), (0, x))[1],
               (normal(3),), lambda x: np.sin(np.sin(np.sin(x)))),
        OpSpec("cond", lambda x: ops.cond(True, lambda: ops.exp(x), lambda: x), (normal(3),), np.exp),
        OpSpec("switch", lambda x: ops.switch(1, [ops.sin, ops.cos], x), (normal(3),), np.cos),
    ]


def _scan_reference(x):
    carry, ys = 1.0, []
    for v in x:
        ys.append(carry * v)
        carry = carry * v + 1.0
    return np.stack(ys)


MORE_SPECS = (_elementwise_specs() + _reduction_specs() + _scan_specs() + _sorting_indexing_specs()
              + _manipulation_specs() + _pad_specs() + _product_specs() + _linalg_specs() + _signal_specs()
              + _nn_specs() + _control_flow_specs())

# Public names without a gradient, each tested forward on every backend in test_ops_forward_extra.py.
MORE_NOT_SPECCED = {
    "not differentiable (integer, boolean or index results; forward tests in test_ops_forward_extra.py)": (
        "all", "any", "argmin", "argsort", "argpartition", "allclose", "bincount", "bitwise_and", "bitwise_invert",
        "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "count_nonzero",
        "ctc_decode", "digitize", "gcd", "histogram", "in_top_k", "isclose", "isin", "isinf", "isnan", "isneginf",
        "isposinf", "isreal", "lcm", "left_shift", "logical_or", "logical_xor", "lu_factor", "matrix_rank",
        "multi_hot", "nanargmax", "nanargmin", "nextafter", "nonzero", "right_shift", "searchsorted", "signbit",
        "unique", "unravel_index", "imag", "saturate_cast", "view", "jvp",
    ),
    "creation and tensor facts (forward tests in test_ops_forward_extra.py)": (
        "arange", "array", "empty", "empty_like", "eye", "identity", "tri", "bartlett", "blackman", "hamming",
        "hanning", "kaiser", "dtype", "ndim", "size",
    ),
}
