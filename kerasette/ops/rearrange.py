"""``rearrange``: einops-style axis rearrangement (reshape and transpose described by a pattern)."""

from __future__ import annotations

import math
import re
from typing import Any, List

from kerasette.ops._promote import tensor
from kerasette.ops._types import TensorLike
from kerasette.ops.shapes import reshape, transpose
from kerasette.ops.tensor import Tensor


def _parse(side: str, pattern: str) -> List[List[str]]:
    """Each axis of one side of the pattern as the list of its elementary names (a group has several)."""
    tokens = re.findall(r"\(|\)|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|1", side)
    axes, group = [], None
    for token in tokens:
        if token == "(":
            if group is not None:
                raise ValueError(f"`rearrange`: nested parentheses in {pattern!r}.")
            group = []
        elif token == ")":
            if group is None:
                raise ValueError(f"`rearrange`: unbalanced parentheses in {pattern!r}.")
            axes.append(group)
            group = None
        elif group is not None:
            group.append(token)
        else:
            axes.append([token])
    if group is not None:
        raise ValueError(f"`rearrange`: unbalanced parentheses in {pattern!r}.")
    return axes


def rearrange(tensor: TensorLike, pattern: str, **axes_lengths: Any) -> Tensor:  # noqa: F811
    """Reorder, split and merge axes as described by an einops pattern, e.g. ``"b h w c -> b (h w) c"``.

    Names on the left name the input's axes; a parenthesized group splits an axis (all but one of its
    sizes given in ``axes_lengths``); on the right, names are reordered and groups merged. ``...`` stands
    for the axes not named, ``1`` for an axis of size 1.

    Args:
        tensor: the input tensor.
        pattern: ``"left -> right"``.
        **axes_lengths: sizes of axes that a split needs.

    Returns:
        A Tensor.

    Raises:
        ValueError: for a malformed pattern or sizes that do not fit.

    Example:
        >>> from kerasette import ops
        >>> ops.rearrange(ops.zeros((2, 3, 4, 5)), "b h w c -> b (h w) c").shape
        (2, 12, 5)
        >>> ops.rearrange(ops.zeros((2, 12)), "b (h w) -> b w h", h=3).shape
        (2, 4, 3)
    """
    x = _as_tensor(tensor)
    if "->" not in pattern:
        raise ValueError(f"`rearrange` needs a pattern 'left -> right'. Received: {pattern!r}")
    left_text, right_text = pattern.split("->")
    left, right = _parse(left_text, pattern), _parse(right_text, pattern)
    if sum(axis == ["..."] for axis in left) > 1:
        raise ValueError(f"`rearrange`: at most one '...' per side. Received: {pattern!r}")
    ellipsis_rank = x.ndim - (len(left) - (1 if ["..."] in left else 0))
    if ellipsis_rank < 0 or (["..."] not in left and ellipsis_rank != 0):
        raise ValueError(f"`rearrange`: {pattern!r} names {len(left)} axes; the input has {x.ndim}.")
    spare = [f"...{k}" for k in range(ellipsis_rank)]
    left, right = _expand(left, spare), _expand(right, spare)
    sizes = {name: int(value) for name, value in axes_lengths.items()}
    elementary = []
    for axis, group in zip(x.shape, left):
        known = [n for n in group if n in sizes or n == "1"]
        unknown = [n for n in group if n not in sizes and n != "1"]
        product = math.prod(1 if n == "1" else sizes[n] for n in known)
        if len(unknown) > 1:
            raise ValueError(f"`rearrange`: give the sizes of all but one of {group} in `axes_lengths`.")
        if unknown:
            if product == 0 or axis % product:
                raise ValueError(f"`rearrange`: an axis of size {axis} does not split into {group}.")
            sizes[unknown[0]] = axis // product
        elif product != axis:
            raise ValueError(f"`rearrange`: {group} has size {product}, the axis {axis}.")
        elementary += [n for n in group if n != "1"]
    named_right = [n for group in right for n in group if n != "1"]
    if sorted(named_right) != sorted(elementary):
        raise ValueError(f"`rearrange`: both sides must name the same axes. Received: {pattern!r}")
    split = reshape(x, [sizes[n] for n in elementary]) if elementary else x
    moved = transpose(split, [elementary.index(n) for n in named_right]) if elementary else split
    return reshape(moved, [math.prod(1 if n == "1" else sizes[n] for n in group) for group in right])


def _expand(axes, spare):
    """``...`` replaced by one axis per spare name."""
    return [sub for axis in axes for sub in ([[s] for s in spare] if axis == ["..."] else [axis])]


def _as_tensor(value):
    return tensor(value)
