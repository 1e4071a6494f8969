"""Resampling at computed coordinates: ``affine_transform``, ``perspective_transform``, ``map_coordinates``.

``affine_transform`` (and ``perspective_transform``, a projective transform) runs the backend's
``affine_transform`` primitive, a single gather; its gradient with respect to the images is the
primitive's backward. ``map_coordinates`` (any rank, coordinates per output element) is composed of
ops: integer taps, the fill-mode index mapping, ``take`` and a weighted sum, so it is differentiable
with respect to the inputs and the coordinates. The fill modes and interpolation rules are those of
Keras (``backends/numpy/image_ops.py`` states them).
"""

from __future__ import annotations

import functools
import itertools
from typing import Sequence

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_tensor
from kerasette.ops._image_common import as_batch, back_to_dtype, check_data_format, to_float, unbatch
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.elementwise import (
    abs,
    add,
    clip,
    greater_equal,
    less,
    logical_and,
    multiply,
    subtract,
    where,
)
from kerasette.ops.keras_forms import reshape
from kerasette.ops.rounding import floor, mod
from kerasette.ops.rounding import round as round_half_even
from kerasette.ops.shapes import broadcast_to, take
from kerasette.ops.tensor import Tensor

INTERPOLATIONS = {"nearest": 0, "bilinear": 1}
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def check_interpolation(interpolation: str, op: str) -> None:
    """Raise a ValueError unless ``interpolation`` is "nearest" or "bilinear".

    Args:
        interpolation: the value received.
        op: the op's name, for the message.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Invalid value for argument `interpolation` of `{op}`. Expected one of "
                         f"{tuple(INTERPOLATIONS)}. Received: interpolation={interpolation!r}")


def check_fill_mode(fill_mode: str, op: str) -> None:
    """Raise a ValueError unless ``fill_mode`` is one of ``FILL_MODES``.

    Args:
        fill_mode: the value received.
        op: the op's name, for the message.
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Invalid value for argument `fill_mode` of `{op}`. Expected one of {FILL_MODES}. "
                         f"Received: fill_mode={fill_mode!r}")


def affine_transform(
    images: TensorLike,
    transform: TensorLike,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0,
    data_format: str = None,
) -> Tensor:
    """Apply affine (or projective) transforms to images, as ``keras.ops.image.affine_transform``.

    ``transform`` is ``[a0, a1, a2, b0, b1, b2, c0, c1]`` per image: output pixel ``(y, x)`` reads the
    input at ``x' = (a0 x + a1 y + a2) / k``, ``y' = (b0 x + b1 y + b2) / k``, ``k = c0 x + c1 y + 1``
    (it maps output points to input points). Samples outside the image read through ``fill_mode``:
    "constant" (``fill_value``), "nearest" (the edge pixel), "wrap" (the image tiled), "mirror"
    (d c b | a b c d | c b a) or "reflect" (d c b a | a b c d | d c b a). The gradient flows to the
    images; ``transform`` gets none.

    Args:
        images: rank 3 or 4 (NHWC) tensor.
        transform: (8,) or (N, 8) tensor; one transform is applied to every image.
        interpolation: "nearest" (halves round to even) or "bilinear".
        fill_mode: how samples outside the image are read.
        fill_value: the value read outside the image with "constant".
        data_format: "channels_last" or None.

    Returns:
        The transformed images, of the input's shape and dtype (integers rounded back).

    Raises:
        ValueError: for a bad rank, transform shape, interpolation or fill mode.

    Example:
        >>> from kerasette import ops
        >>> x = ops.reshape(ops.arange(4, dtype="float32"), (1, 1, 4, 1))
        >>> shift = [1.0, 0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0]  # read x - 1: content moves right
        >>> ops.image.affine_transform(x, shift, fill_mode="constant")[0, 0, :, 0].numpy().tolist()
        [0.0, 0.0, 1.0, 2.0]
    """
    check_interpolation(interpolation, "affine_transform")
    check_fill_mode(fill_mode, "affine_transform")
    check_data_format(data_format, "affine_transform")
    images, single = as_batch(images, "affine_transform")
    transform = convert_to_tensor(transform)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError("Invalid transform shape for `affine_transform`: expected (8,) or (batch, 8). Received "
                         f"transform.shape={transform.shape}")
    dtype = images.dtype
    x = to_float(images)
    transform = cast(reshape(transform, (-1, 8)), x.dtype)
    if transform.shape[0] != x.shape[0]:
        if transform.shape[0] != 1:
            raise ValueError(f"`affine_transform` got {transform.shape[0]} transforms for {x.shape[0]} images.")
        transform = broadcast_to(transform, (x.shape[0], 8))
    backend = _backend()
    t = _data(transform)

    def grad(g):
        return Tensor(backend.affine_transform_backward(g.data, t, interpolation, fill_mode))

    out = make_tensor(backend.affine_transform(_data(x), t, interpolation, fill_mode, float(fill_value)), (x,),
                      [grad])
    return unbatch(back_to_dtype(out, dtype), single)


def compute_homography_matrix(start_points: TensorLike, end_points: TensorLike) -> Tensor:
    """The projective transforms that map ``end_points`` to ``start_points`` (solved on the host).

    Args:
        start_points: (N, 4, 2) corner (x, y) points of the input.
        end_points: (N, 4, 2) where those corners land in the output.

    Returns:
        An (N, 8) float tensor ``[a0, a1, a2, b0, b1, b2, c0, c1]`` per pair, as ``affine_transform`` reads.
    """
    start = np.asarray(convert_to_tensor(start_points).numpy(), np.float64).reshape(-1, 4, 2)
    end = np.asarray(convert_to_tensor(end_points).numpy(), np.float64).reshape(-1, 4, 2)
    rows = np.zeros((start.shape[0], 8, 8))
    for i in range(4):
        (sx, sy), (ex, ey) = start[:, i].T, end[:, i].T
        one, zero = np.ones_like(ex), np.zeros_like(ex)
        rows[:, 2 * i] = np.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1)
        rows[:, 2 * i + 1] = np.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1)
    return convert_to_tensor(np.linalg.solve(rows, start.reshape(-1, 8, 1))[..., 0].astype("float32"))


def perspective_transform(
    images: TensorLike,
    start_points: TensorLike,
    end_points: TensorLike,
    interpolation: str = "bilinear",
    fill_value: float = 0,
    data_format: str = None,
) -> Tensor:
    """Warp images so that the four ``start_points`` land on the ``end_points``, as Keras's op.

    Samples outside the image read ``fill_value``.

    Args:
        images: rank 3 or 4 (NHWC) tensor.
        start_points: (4, 2) or (N, 4, 2) corner (x, y) points in the input.
        end_points: the same shape: where those points go in the output.
        interpolation: "nearest" or "bilinear".
        fill_value: the value read outside the image.
        data_format: "channels_last" or None.

    Returns:
        The warped images.

    Raises:
        ValueError: for points not of shape (4, 2) / (N, 4, 2) or of different shapes.

    Example:
        >>> from kerasette import ops
        >>> x = ops.ones((1, 4, 4, 1))
        >>> corners = [[0, 0], [3, 0], [0, 3], [3, 3]]
        >>> bool(ops.all(ops.equal(ops.image.perspective_transform(x, corners, corners), 1.0)))
        True
    """
    check_interpolation(interpolation, "perspective_transform")
    shapes = [np.shape(p.numpy() if isinstance(p, Tensor) else p) for p in (start_points, end_points)]
    for name, shape in zip(("start_points", "end_points"), shapes):
        if tuple(shape[-2:]) != (4, 2) or len(shape) not in (2, 3):
            raise ValueError(f"Invalid {name} shape for `perspective_transform`: expected (4, 2) for a single image "
                             f"or (N, 4, 2) for a batch. Received shape: {tuple(shape)}")
    if shapes[0] != shapes[1]:
        raise ValueError("start_points and end_points must have the same shape. Received start_points.shape="
                         f"{tuple(shapes[0])}, end_points.shape={tuple(shapes[1])}")
    transform = compute_homography_matrix(start_points, end_points)
    return affine_transform(images, transform, interpolation, "constant", fill_value, data_format)


def fix_index(index: Tensor, size: int, fill_mode: str) -> Tensor:
    """Integer indices (as floats) mapped into [0, size) the way ``fill_mode`` reads outside the input.

    Args:
        index: a float tensor of whole numbers.
        size: the length of the axis.
        fill_mode: one of ``FILL_MODES``.

    Returns:
        A float tensor of indices in [0, size).
    """
    if fill_mode in ("constant", "nearest"):
        return clip(index, 0.0, float(size - 1))
    if fill_mode == "wrap":
        return mod(index, float(size))
    if fill_mode == "mirror":
        if size == 1:
            return multiply(index, 0.0)
        s = float(size - 1)
        return abs(subtract(mod(add(index, s), 2 * s), s))
    s = float(2 * size)  # reflect
    mirrored = abs(subtract(mod(add(multiply(index, 2.0), 1.0 + s), 2 * s), s))
    return floor(multiply(subtract(mirrored, 1.0), 0.5))


def _axis_taps(coordinate, size, order, fill_mode):
    if order == 0:
        raw = [(round_half_even(coordinate), None)]
    else:
        lower = floor(coordinate)
        upper_weight = subtract(coordinate, lower)
        raw = [(lower, subtract(1.0, upper_weight)), (add(lower, 1.0), upper_weight)]
    taps = []
    for index, weight in raw:
        valid = None
        if fill_mode == "constant":
            valid = logical_and(greater_equal(index, 0.0), less(index, float(size)))
        taps.append((fix_index(index, size, fill_mode), weight, valid))
    return taps


def gather_interpolated(table, coordinates, sizes, strides, order, fill_mode, fill_value, base=None):
    """Interpolated reads of ``table`` rows at fractional coordinates (the core of the sampling ops).

    Args:
        table: (P, C) tensor: the input's elements, one row per position.
        coordinates: one float tensor per sampled axis, all of one shape S.
        sizes: the length of each sampled axis.
        strides: the row stride of each sampled axis in ``table``.
        order: 0 (nearest) or 1 (linear).
        fill_mode: one of ``FILL_MODES``.
        fill_value: the value read outside the input with "constant".
        base: optional row offset (a float tensor broadcastable to S), added to every read.

    Returns:
        A tensor of shape S + (C,).
    """
    shape = tuple(coordinates[0].shape)
    per_axis = [_axis_taps(c, n, order, fill_mode) for c, n in zip(coordinates, sizes)]
    result = None
    for corner in itertools.product(*per_axis):
        flat = base
        for (index, _, _), stride in zip(corner, strides):
            term = multiply(index, float(stride))
            flat = term if flat is None else add(flat, term)
        rows = take(table, reshape(cast(broadcast_to(flat, shape), "int64"), (-1,)), axis=0)
        read = reshape(rows, shape + (table.shape[1],))
        valids = [v for _, _, v in corner if v is not None]
        if valids:
            inside = functools.reduce(logical_and, valids)
            read = where(reshape(inside, shape + (1,)), read, cast(fill_value, read.dtype))
        weights = [w for _, w, _ in corner if w is not None]
        if weights:
            read = multiply(reshape(functools.reduce(multiply, weights), shape + (1,)), read)
        result = read if result is None else add(result, read)
    return result


def map_coordinates(
    inputs: TensorLike,
    coordinates: Sequence[TensorLike],
    order: int,
    fill_mode: str = "constant",
    fill_value: float = 0,
) -> Tensor:
    """Read ``inputs`` at fractional ``coordinates`` by interpolation, as ``keras.ops.image.map_coordinates``.

    Args:
        inputs: a tensor of rank R.
        coordinates: R coordinate tensors of one shape (or a tensor whose first axis has size R):
            output element ``j`` reads ``inputs`` at ``(coordinates[0][j], ..., coordinates[R-1][j])``.
        order: 0 (nearest, halves to even) or 1 (linear).
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect".
        fill_value: the value read outside ``inputs`` with "constant".

    Returns:
        A tensor of the coordinates' shape and ``inputs``'s dtype (integers rounded back).

    Raises:
        ValueError: for the wrong number of coordinates, an unknown fill mode or order.

    Example:
        >>> from kerasette import ops
        >>> x = ops.convert_to_tensor([[0.0, 1.0], [2.0, 3.0]])
        >>> ops.image.map_coordinates(x, [[0.5], [0.5]], order=1).numpy().tolist()
        [1.5]
    """
    inputs = convert_to_tensor(inputs)
    coordinates = [convert_to_tensor(c) for c in coordinates]
    if len(coordinates) != inputs.ndim:
        raise ValueError("First dim of `coordinates` must be the same as the rank of `inputs`. Received inputs with "
                         f"shape: {inputs.shape} and coordinate leading dim of {len(coordinates)}")
    if coordinates[0].ndim < 1:
        raise ValueError(f"Invalid coordinates rank: expected at least rank 2. Received input with shape: "
                         f"{(len(coordinates),) + tuple(coordinates[0].shape)}")
    check_fill_mode(fill_mode, "map_coordinates")
    if order not in (0, 1):
        raise ValueError(f"`map_coordinates` supports order 0 and 1 only. Received: order={order!r}")
    dtype = inputs.dtype
    x = to_float(inputs)
    coordinates = [cast(c, x.dtype) for c in coordinates]
    strides = [int(np.prod(inputs.shape[d + 1:])) for d in range(inputs.ndim)]
    table = reshape(x, (-1, 1))
    out = gather_interpolated(table, coordinates, inputs.shape, strides, order, fill_mode, fill_value)
    return back_to_dtype(reshape(out, tuple(coordinates[0].shape)), dtype)


def sample_images(images, ys, xs, interpolation, fill_mode, fill_value):
    """Read each image ``n`` at per-pixel coordinates ``(ys[n], xs[n])`` (used by ``elastic_transform``).

    Args:
        images: (N, H, W, C) float tensor.
        ys: (N, H', W') float tensor of row coordinates.
        xs: the same shape: column coordinates.
        interpolation: "nearest" or "bilinear".
        fill_mode: one of ``FILL_MODES``.
        fill_value: the value read outside with "constant".

    Returns:
        A tensor (N, H', W', C).
    """
    n, h, w, c = images.shape
    base = convert_to_tensor((np.arange(n) * h * w).reshape(n, 1, 1).astype(images.dtype))
    table = reshape(images, (n * h * w, c))
    return gather_interpolated(table, [ys, xs], (h, w), (w, 1), INTERPOLATIONS[interpolation], fill_mode,
                               fill_value, base=base)


__all__ = ["affine_transform", "map_coordinates", "perspective_transform", "compute_homography_matrix"]
