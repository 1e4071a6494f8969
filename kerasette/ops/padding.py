"""``pad`` with every mode of ``keras.ops.pad`` (numpy's).

The modes: constant, edge, reflect, symmetric, wrap, linear_ramp, maximum, minimum, mean, median and empty.

Index modes (edge, reflect, symmetric, wrap) gather with ``take`` along each axis, the index arrays coming
from ``np.pad`` of the positions; statistic modes concatenate the statistic of each axis; all are
differentiable.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from kerasette.ops._helpers import cast, convert_to_tensor
from kerasette.ops._promote import tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.elementwise import multiply
from kerasette.ops.shapes import broadcast_to, concatenate, take
from kerasette.ops.shapes import pad as _constant_pad
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor

_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")
_STAT_MODES = ("maximum", "minimum", "mean", "median")
_MODES = ("constant", "empty", "linear_ramp") + _INDEX_MODES + _STAT_MODES


def _widths(pad_width, ndim):
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (ndim, 2))
    if (widths < 0).any():
        raise ValueError(f"Invalid value for argument `pad_width` of `pad`: widths must be non-negative. "
                         f"Received: pad_width={pad_width}")
    return [(int(b), int(a)) for b, a in widths]


def _along(x, axis, start, stop):
    starts, stops = [0] * x.ndim, list(x.shape)
    starts[axis], stops[axis] = start, stop
    return _slice_stops(x, starts, stops)


def _block(value, x, axis, length):
    shape = list(x.shape)
    shape[axis] = length
    return broadcast_to(value, shape)


def _statistic(x, axis, mode):
    from kerasette.ops import reductions, statistics

    if mode == "maximum":
        return reductions.max(x, axis=axis, keepdims=True)
    if mode == "minimum":
        return reductions.min(x, axis=axis, keepdims=True)
    if mode == "mean":
        out = reductions.mean(x, axis=axis, keepdims=True)
    else:
        out = statistics.median(x, axis=axis, keepdims=True)
    if x.dtype != out.dtype:  # numpy rounds the statistic of an integer array back to its dtype
        from kerasette.ops.rounding import round as _round

        out = cast(_round(out), x.dtype)
    return out


def pad(x: TensorLike, pad_width: Any, mode: str = "constant", constant_values: Optional[float] = None) -> Tensor:
    """Pad ``x`` along each axis, as ``np.pad``.

    Modes: ``"constant"`` (``constant_values``, default 0), ``"edge"`` (repeat the border), ``"reflect"``
    (mirror without the border), ``"symmetric"`` (mirror with it), ``"wrap"`` (periodic), ``"linear_ramp"``
    (from the border to 0), ``"maximum"`` / ``"minimum"`` / ``"mean"`` / ``"median"`` (of the whole axis),
    ``"empty"`` (here: zeros).

    Args:
        x: the input tensor.
        pad_width: ``((before, after), ...)`` with one pair per axis, or one pair or int for all axes.
        mode: the padding mode.
        constant_values: the padding value of mode ``"constant"`` (only that mode takes it).

    Returns:
        A Tensor, larger by ``before + after`` along each axis.

    Raises:
        ValueError: for an unknown ``mode``, ``constant_values`` with another mode, or a mirror mode on an
            empty axis.

    Example:
        >>> from kerasette import ops
        >>> ops.pad([1.0, 2.0, 3.0], (2, 1), mode="reflect").numpy().tolist()
        [3.0, 2.0, 1.0, 2.0, 3.0, 2.0]
        >>> ops.pad([[1.0, 2.0]], ((0, 0), (1, 1)), constant_values=9.0).numpy().tolist()
        [[9.0, 1.0, 2.0, 9.0]]
    """
    if mode not in _MODES:
        raise ValueError(f"Invalid value for argument `mode` of `pad`. Expected one of {_MODES}. "
                         f"Received: mode={mode!r}")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"Argument `constant_values` of `pad` applies to mode 'constant' only. Received: "
                         f"mode={mode!r}, constant_values={constant_values}")
    x = tensor(x)
    widths = _widths(pad_width, x.ndim)
    if mode in ("constant", "empty"):
        return _constant_pad(x, widths, 0 if constant_values is None else constant_values)
    for axis, (before, after) in enumerate(widths):
        if before == 0 and after == 0:
            continue
        n = x.shape[axis]
        if n == 0:
            raise ValueError(f"`pad` with mode={mode!r} cannot pad an empty axis (axis {axis} of shape {x.shape}).")
        if mode in _INDEX_MODES:
            index = np.pad(np.arange(n), (before, after), mode=mode)
            x = take(x, convert_to_tensor(index.astype(np.int64)), axis=axis)
        elif mode in _STAT_MODES:
            value = _statistic(x, axis, mode)
            x = concatenate([_block(value, x, axis, before), x, _block(value, x, axis, after)], axis=axis)
        else:  # linear_ramp: from 0 at the outer end towards the border value (the border itself excluded)
            floating = x.dtype.startswith("float")
            parts = [x]
            for side, length in ((0, before), (1, after)):
                if not length:
                    continue
                edge = _along(x, axis, 0, 1) if side == 0 else _along(x, axis, n - 1, n)
                steps = np.arange(length) if side == 0 else np.arange(length - 1, -1, -1)
                shape = [1] * x.ndim
                shape[axis] = length
                weights = convert_to_tensor((steps / length).reshape(shape).astype(x.dtype if floating else "float64"))
                values = multiply(edge, weights)
                if not floating:  # numpy's integer linspace rounds down
                    from kerasette.ops.rounding import floor

                    values = cast(floor(values), x.dtype)
                parts.insert(0 if side == 0 else len(parts), values)
            x = concatenate(parts, axis=axis)
    return x

