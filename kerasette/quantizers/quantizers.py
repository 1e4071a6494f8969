"""Quantizers, as ``keras.quantizers``: ``Quantizer``, ``AbsMaxQuantizer`` and the functions they are built on.

Keras's int8 scheme is symmetric and per axis: a tensor ``x`` is stored as
``round(x * scale)`` clipped to ``[-127, 127]``, where ``scale = 127 / (max |x| + epsilon)`` along the
reduced axes (``keepdims``); dividing by ``scale`` maps the integers back. Keras 3 stores that multiplier
(integers per unit), not its inverse, in ``kernel_scale``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from kerasette import ops

_EPSILON = 1e-7  # keras.backend.epsilon(), Keras's default for these functions
_FLOAT8 = {  # name -> (largest finite value, mantissa bits, smallest normal exponent)
    "float8_e4m3fn": (448.0, 3, -6),
    "float8_e5m2": (57344.0, 2, -14),
}


class Quantizer:
    """The base class of quantizers, as ``keras.Quantizer``: ``quantizer(x)`` returns the quantized tensor.

    Subclasses implement ``__call__`` and ``get_config``.

    Args:
        output_dtype: the dtype of the quantized values. Defaults to ``"int8"``.

    Example:
        >>> Quantizer().output_dtype
        'int8'
    """

    def __init__(self, output_dtype: str = "int8") -> None:
        self.output_dtype = output_dtype

    def __call__(self, x: Any) -> Any:
        """Return ``x`` quantized: the base class returns it unchanged.

        Args:
            x: the tensor.

        Returns:
            ``x``.
        """
        return x

    @classmethod
    def from_config(cls, config: dict) -> "Quantizer":
        """The quantizer that ``get_config`` describes.

        Args:
            config: the constructor arguments.

        Returns:
            A new quantizer.
        """
        return cls(**config)

    def get_config(self) -> dict:
        """The quantizer's constructor arguments; subclasses implement it.

        Raises:
            NotImplementedError: always, in the base class (as in Keras).
        """
        raise NotImplementedError(f"{self} does not implement get_config()")


def abs_max_quantize(inputs: Any, axis: Any, value_range: Sequence[int] = (-127, 127), dtype: str = "int8",
                     epsilon: float = _EPSILON, to_numpy: bool = False) -> tuple:
    """Quantize ``inputs`` with the absolute-maximum scheme, as ``keras.quantizers.abs_max_quantize``.

    ``scale = value_range[1] / (max(|inputs|, axis, keepdims=True) + epsilon)``, and the quantized tensor is
    ``clip(round(inputs * scale), *value_range)`` cast to ``dtype`` (round half to even).

    Args:
        inputs: the tensor (or array) to quantize.
        axis: the axis or axes the maximum is taken over (the others keep one scale each).
        value_range: ``(min, max)`` of the quantized values. Defaults to ``(-127, 127)``.
        dtype: the dtype of the quantized tensor. Defaults to ``"int8"``.
        epsilon: added to the maximum, so that an all-zero slice does not divide by zero.
        to_numpy: compute on the host with numpy (saves device memory when quantizing weights).

    Returns:
        ``(quantized, scale)``: the quantized tensor and the float scale (``inputs``'s dtype, the reduced
        axes kept with size 1).

    Example:
        >>> q, scale = abs_max_quantize(ops.convert_to_tensor([[0.5, -1.0], [2.0, 0.25]]), axis=-1)
        >>> q.numpy().tolist(), [round(s, 2) for s in scale.numpy().ravel().tolist()]
        ([[63, -127], [127, 16]], [127.0, 63.5])
    """
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    if to_numpy:
        values = np.asarray(ops.convert_to_numpy(inputs))
        scale = np.divide(value_range[1], np.add(np.max(np.abs(values), axis=axis, keepdims=True), epsilon))
        outputs = np.clip(np.round(np.multiply(values, scale)), value_range[0], value_range[1]).astype(dtype)
        return ops.convert_to_tensor(outputs), ops.convert_to_tensor(scale.astype(values.dtype))
    inputs = ops.convert_to_tensor(inputs)
    scale = ops.divide(value_range[1], ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon))
    scale = ops.cast(scale, inputs.dtype)
    outputs = ops.clip(ops.round(ops.multiply(inputs, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


class AbsMaxQuantizer(Quantizer):
    """The absolute-maximum quantizer, as ``keras.quantizers.AbsMaxQuantizer``.

    ``quantizer(x, axis)`` returns ``abs_max_quantize(x, axis, ...)``: one scale per slice along the
    axes not reduced. Keras's int8 ``Dense`` quantizes its inputs with ``AbsMaxQuantizer()`` at every call
    along the last axis, so each row (each sample of a 2-D input) gets its own scale; its kernel is
    quantized with ``AbsMaxQuantizer(axis=0)``: one scale per output unit.

    Args:
        axis: the default axis or axes of ``__call__`` (Keras deprecates it in favour of the call's
            ``axis``). None: -1.
        value_range: ``(min, max)`` of the quantized values. Defaults to ``(-127, 127)``.
        epsilon: added to the maximum before dividing. Defaults to 1e-7.
        output_dtype: the dtype of the quantized values. Defaults to ``"int8"``.

    Raises:
        ValueError: ``output_dtype`` is ``"int8"`` and ``value_range`` leaves ``[-128, 127]``.

    Example:
        >>> quantizer = AbsMaxQuantizer()
        >>> q, scale = quantizer(ops.convert_to_tensor([[1.0, -0.5]]))
        >>> q.numpy().tolist(), quantizer.get_config()
        ([[127, -63]], {'value_range': (-127, 127), 'epsilon': 1e-07, 'output_dtype': 'int8'})
    """

    def __init__(self, axis: Any = None, value_range: Sequence[int] = (-127, 127), epsilon: float = _EPSILON,
                 output_dtype: str = "int8") -> None:
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = tuple(value_range)
        if len(self.value_range) != 2:
            raise ValueError(f"Invalid value for argument `value_range` of AbsMaxQuantizer. Expected a pair "
                             f"(min, max). Received: value_range={value_range!r}")
        self.epsilon = epsilon
        if output_dtype == "int8" and (self.value_range[0] < -128 or self.value_range[1] > 127):
            raise ValueError("Quantizer with output_dtype='int8' requires value_range to be within the interval "
                             f"[-128, 127]. Received: value_range={value_range}")

    def __call__(self, x: Any, axis: Any = None, to_numpy: bool = False) -> tuple:
        """Quantize ``x``.

        Args:
            x: the tensor.
            axis: the axis or axes to reduce; None: the constructor's ``axis``, else -1.
            to_numpy: compute on the host with numpy.

        Returns:
            ``(quantized, scale)`` as ``abs_max_quantize`` returns them.
        """
        axis = self.axis if axis is None else axis
        axis = -1 if axis is None else axis
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy)

    def get_config(self) -> dict:
        """``value_range``, ``epsilon``, ``output_dtype`` (and ``axis`` when set), as Keras writes them.

        Returns:
            A dict.
        """
        config = {"value_range": self.value_range, "epsilon": self.epsilon, "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def compute_float8_scale(amax: Any, scale: Any, dtype_max: Any, margin: int = 0) -> Any:
    """The next float8 scale from an amax, as ``keras.quantizers.compute_float8_scale``.

    The new scale is ``amax / dtype_max * 2**margin``; where ``amax`` is not positive or not finite, the
    previous ``scale`` is kept (Transformer Engine's delayed-scaling rule, which Keras follows).

    Args:
        amax: the largest absolute value seen (a scalar tensor).
        scale: the current scale.
        dtype_max: the largest finite value of the float8 dtype (448 for ``float8_e4m3fn``).
        margin: extra powers of two of headroom. Defaults to 0.

    Returns:
        The new scale.

    Example:
        >>> float(compute_float8_scale(ops.convert_to_tensor(896.0), ops.convert_to_tensor(1.0), 448.0))
        2.0
    """
    scale = ops.reciprocal(scale)
    factor = ops.divide(ops.divide(dtype_max, amax), 2**margin)
    factor = ops.where(ops.greater(amax, 0.0), factor, scale)
    factor = ops.where(ops.isfinite(amax), factor, scale)
    return ops.reciprocal(factor)


def quantize_and_dequantize(inputs: Any, scale: Any, quantized_dtype: str, compute_dtype: str) -> Any:
    """Round ``inputs / scale`` to a float8 dtype and scale back, as ``keras.quantizers.quantize_and_dequantize``.

    kerasette's backends have no float8 storage, so the rounding to ``float8_e4m3fn`` or ``float8_e5m2``
    (round to nearest even, subnormals included, clipped to the largest finite value as Keras clips) is
    emulated in ``compute_dtype``; the values are the ones Keras gets by casting.

    Args:
        inputs: the tensor.
        scale: the scale (a scalar or a broadcastable tensor).
        quantized_dtype: ``"float8_e4m3fn"`` or ``"float8_e5m2"``.
        compute_dtype: the float dtype of the result.

    Returns:
        The quantized-dequantized tensor, in ``compute_dtype``.

    Raises:
        ValueError: ``quantized_dtype`` is not a float8 dtype.

    Example:
        >>> x = ops.convert_to_tensor([1.06, 500.0, -0.3])
        >>> quantize_and_dequantize(x, 1.0, "float8_e4m3fn", "float32").numpy().tolist()
        [1.0, 448.0, -0.3125]
    """
    if quantized_dtype not in _FLOAT8:
        raise ValueError(f"Invalid value for argument `quantized_dtype` of `quantize_and_dequantize`. Expected one "
                         f"of {sorted(_FLOAT8)}. Received: quantized_dtype={quantized_dtype!r}")
    largest, mantissa_bits, min_exponent = _FLOAT8[quantized_dtype]
    scale = ops.cast(scale, compute_dtype)
    x = ops.clip(ops.divide(ops.cast(inputs, compute_dtype), scale), -largest, largest)
    magnitude = ops.abs(x)
    exponent = ops.maximum(ops.floor(ops.log2(ops.maximum(magnitude, 2.0 ** (min_exponent - 1)))), min_exponent)
    step = ops.power(ops.cast(2.0, compute_dtype), ops.subtract(exponent, mantissa_bits))
    x = ops.multiply(ops.round(ops.divide(x, step)), step)
    return ops.multiply(x, scale)
