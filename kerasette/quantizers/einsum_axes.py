"""Where an int8 ``EinsumDense`` keeps its scales: the axes Keras 3 derives from the einsum equation.

The kernel is quantized over its contracted axes (one scale per kernel axis that reaches the output) and the
inputs over theirs; both scales are then laid out to broadcast against the output. Keras 3 computes those
layouts (``_analyze_quantization_info`` in ``keras/src/layers/core/einsum_dense.py``) and stores the kernel
scale in the output-aligned shape, so a file's ``kernel_scale`` has that shape. This module derives the same
axes, step for step, so files move both ways.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple, Sequence

import numpy as np

from kerasette import ops


class QuantizationAxes(NamedTuple):
    """The axes of an equation's int8 arithmetic (the names of Keras's ``_analyze_quantization_info``)."""

    input_reduced: list
    kernel_reduced: list
    input_transpose: list
    kernel_transpose: list
    input_expand: list
    kernel_expand: list
    input_squeeze: list
    kernel_squeeze: list
    gradient_equation: str  # upstream, kernel -> inputs: the inputs' gradient through the dequantized kernel


def _specs(equation: str, rank: int):
    labels = re.sub(r"\.\.\.", "0", equation)
    plain = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", labels)
    if plain is not None:
        return plain.groups()
    spare = None
    for pattern, left in (("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
                          ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False)):
        found = re.match(pattern, labels)
        if found is None:
            continue
        x, k, out = found.groups()
        spare = sorted(set(string.ascii_letters) - set(x) - set(k) - set(out))
        for i in range(rank - len(x)):
            x, out = (spare[i] + x, spare[i] + out) if left else (x + spare[i], out + spare[i])
        return x, k, out
    raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
                     "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def analyze(equation: str, input_rank: int) -> QuantizationAxes:
    """The quantization axes of ``equation`` for inputs of rank ``input_rank``, exactly as Keras 3.15 derives them.

    Args:
        equation: the layer's einsum equation.
        input_rank: the rank of the layer's inputs (batch axis included).

    Returns:
        A ``QuantizationAxes``.

    Example:
        >>> axes = analyze("abc,cde->abde", 3)
        >>> axes.kernel_reduced, kernel_scale_shape(axes, (16, 4, 8))
        ([0], [1, 1, 4, 8])
    """
    x_spec, k_spec, out_spec = _specs(equation, input_rank)
    index = -1  # Keras reuses one variable here; its stale value matters below (kept for identical layouts)
    x_reduced, k_reduced = [], []
    for i, label in enumerate(x_spec):
        index = out_spec.find(label)
        if index == -1:
            x_reduced.append(i)
    for i, label in enumerate(k_spec):
        index = out_spec.find(label)
        if index == -1:
            k_reduced.append(i)
    x_expand = [i for i, label in enumerate(out_spec) if x_spec.find(label) == -1]
    k_expand = [i for i, label in enumerate(out_spec) if k_spec.find(label) == -1]
    x_transpose = [x_spec.find(label) for label in out_spec if x_spec.find(label) != -1]
    k_transpose = [k_spec.find(label) for label in out_spec if k_spec.find(label) != -1]
    x_squeeze, k_squeeze = [], []
    for reduced, expand, squeeze, transpose in ((x_reduced, x_expand, x_squeeze, x_transpose),
                                                (k_reduced, k_expand, k_squeeze, k_transpose)):
        for axis in reduced:
            if expand:
                index = expand.pop(0)
            else:
                squeeze.append(axis)
            transpose.insert(index, axis)
    return QuantizationAxes(x_reduced, k_reduced, x_transpose, k_transpose, x_expand, k_expand, x_squeeze,
                            k_squeeze, f"{out_spec},{k_spec}->{x_spec}")


def _aligned_shape(shape: Sequence[int], transpose: list, expand: list, squeeze: list, strict: bool) -> list:
    """A keepdims scale's shape after Keras's transpose, expand_dims and squeeze."""
    shape = [shape[a] for a in transpose]
    for axis in sorted(expand):
        shape.insert(axis, 1)
    for axis in sorted(squeeze, reverse=True):
        if strict or shape[axis] == 1:  # torch's squeeze leaves an axis that is not of size 1
            shape.pop(axis)
    return shape


def kernel_scale_shape(axes: QuantizationAxes, kernel_shape: Sequence[int]) -> list:
    """The shape of ``kernel_scale`` for a kernel of ``kernel_shape`` (Keras's ``_get_kernel_scale_shape``).

    Args:
        axes: the equation's ``QuantizationAxes``.
        kernel_shape: the kernel's shape.

    Returns:
        The list of sizes.
    """
    keepdims = [1 if i in axes.kernel_reduced else int(n) for i, n in enumerate(kernel_shape)]
    return _aligned_shape(keepdims, axes.kernel_transpose, axes.kernel_expand, axes.kernel_squeeze, strict=True)


def align_kernel_scale(axes: QuantizationAxes, scale):
    """A keepdims kernel scale laid out as Keras stores it (``_adjust_scale_for_quant(scale, "kernel")``).

    Args:
        axes: the equation's ``QuantizationAxes``.
        scale: the scale, shaped like the kernel with its reduced axes of size 1 (numpy or tensor).

    Returns:
        The scale in ``kernel_scale_shape``.
    """
    shape = _aligned_shape(list(scale.shape), axes.kernel_transpose, axes.kernel_expand, axes.kernel_squeeze, True)
    return ops.reshape(ops.transpose(scale, axes.kernel_transpose), shape)


def align_input_scale(axes: QuantizationAxes, scale):
    """A keepdims input scale laid out to broadcast against the output (``_adjust_scale_for_quant(.., "input")``).

    Args:
        axes: the equation's ``QuantizationAxes``.
        scale: the scale, shaped like the inputs with the reduced axes of size 1.

    Returns:
        The scale, broadcastable against the layer's output.
    """
    shape = _aligned_shape(list(scale.shape), axes.input_transpose, axes.input_expand, axes.input_squeeze, False)
    return ops.reshape(ops.transpose(scale, axes.input_transpose), shape)


def kernel_scale_for_kernel(axes: QuantizationAxes, kernel_shape: Sequence[int], scale):
    """The stored ``kernel_scale`` laid out like the kernel again (Keras's ``_adjust_scale_for_dequant``).

    Args:
        axes: the equation's ``QuantizationAxes``.
        kernel_shape: the kernel's shape.
        scale: the stored scale.

    Returns:
        The scale shaped like the kernel with its reduced axes of size 1.
    """
    keepdims = [1 if i in axes.kernel_reduced else int(n) for i, n in enumerate(kernel_shape)]
    transposed = [keepdims[a] for a in axes.kernel_transpose]
    inverse = list(np.argsort(axes.kernel_transpose))
    return ops.transpose(ops.reshape(scale, transposed), inverse)
