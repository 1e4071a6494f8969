"""``StaticAbsMaxQuantizer``: one fixed input scale per layer, measured on sample data by ``calibrate``.

A kerasette extension: Keras quantizes a layer's inputs dynamically (a scale per row, at each call). A
layer given this quantizer writes it into its config under ``kerasette.quantizers``, so a calibrated
model's file is kerasette's own (Keras cannot load it); an uncalibrated model keeps Keras's layout.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from kerasette import ops
from kerasette.quantizers.quantizers import _EPSILON, Quantizer


class StaticAbsMaxQuantizer(Quantizer):
    """Quantize with a fixed absolute maximum: ``q = clip(round(x * scale), *value_range)``, one scale.

    ``scale = value_range[1] / (amax + epsilon)``; values beyond ``amax`` are clipped. Unlike
    ``AbsMaxQuantizer``, no reduction runs at call time and a sample's result does not depend on the other
    values of its row.

    Args:
        amax: the absolute value mapped to ``value_range[1]`` (``calibrate`` measures it), a positive float.
        value_range: ``(min, max)`` of the quantized values. Defaults to ``(-127, 127)``.
        epsilon: added to ``amax`` before dividing. Defaults to 1e-7.
        output_dtype: the dtype of the quantized values. Defaults to ``"int8"``.

    Raises:
        ValueError: ``amax`` is not a positive finite number, or ``value_range`` is not a pair.

    Example:
        >>> quantizer = StaticAbsMaxQuantizer(amax=2.0)
        >>> q, scale = quantizer(ops.convert_to_tensor([[1.0, -3.0]]))
        >>> q.numpy().tolist(), float(scale.numpy().ravel()[0])
        ([[64, -127]], 63.5)
    """

    def __init__(self, amax: float, value_range: Sequence[int] = (-127, 127), epsilon: float = _EPSILON,
                 output_dtype: str = "int8") -> None:
        super().__init__(output_dtype=output_dtype)
        if isinstance(amax, bool) or not isinstance(amax, (int, float, np.floating)) or not np.isfinite(amax) \
                or amax <= 0:
            raise ValueError(f"Invalid value for argument `amax` of StaticAbsMaxQuantizer. Expected a positive finite "
                             f"float. Received: amax={amax!r}")
        if len(tuple(value_range)) != 2:
            raise ValueError(f"Invalid value for argument `value_range` of StaticAbsMaxQuantizer. Expected a pair "
                             f"(min, max). Received: value_range={value_range!r}")
        self.amax = float(amax)
        self.value_range = tuple(value_range)
        self.epsilon = epsilon

    def __call__(self, x: Any, axis: Any = None, to_numpy: bool = False) -> tuple:
        """Quantize ``x`` with the fixed scale.

        Args:
            x: the tensor.
            axis: ignored in the arithmetic (one scale for every element); accepted because layers pass the
                axes a dynamic quantizer would reduce.
            to_numpy: compute on the host with numpy.

        Returns:
            ``(quantized, scale)``; ``scale`` has ``x``'s rank with every axis of size 1.
        """
        x = ops.convert_to_tensor(x)
        scale = np.full((1,) * len(x.shape), np.float32(self.value_range[1]) / np.float32(self.amax + self.epsilon),
                        dtype=x.dtype)
        if to_numpy:
            values = np.asarray(ops.convert_to_numpy(x))
            q = np.clip(np.round(values * scale), *self.value_range).astype(self.output_dtype)
            return ops.convert_to_tensor(q), ops.convert_to_tensor(scale)
        scale = ops.convert_to_tensor(scale)
        q = ops.clip(ops.round(ops.multiply(x, scale)), self.value_range[0], self.value_range[1])
        return ops.cast(q, self.output_dtype), scale

    def get_config(self) -> dict:
        """``amax``, ``value_range``, ``epsilon`` and ``output_dtype``.

        Returns:
            A dict.
        """
        return {"amax": self.amax, "value_range": self.value_range, "epsilon": self.epsilon,
                "output_dtype": self.output_dtype}
