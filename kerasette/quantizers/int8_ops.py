"""The int8 products of quantized layers, as ops: exact integer sums, then one float division per output.

``int8_matmul`` calls the backend primitive of the same name (an int8 GEMM with int32 sums on OpenCL; a
float GEMM of the int8 values on numpy, exact as its docstring says). ``int8_einsum`` plans an einsum
between two int8 operands as transposes around ``int8_matmul``. ``int8_conv`` and ``int8_depthwise_conv``
run the float convolutions on the int8 values, exact for the window sizes they allow (see there). The
results carry no gradient: the layers attach Keras's straight-through rule with ``ops.custom_gradient``.
"""

from __future__ import annotations

import math
from typing import Any

from kerasette import ops
from kerasette.backends import current as _backend
from kerasette.ops._einsum import _parse
from kerasette.ops.tensor import Tensor

# Every partial sum of up to this many products of two int8 values is an integer below 2**24: exact in float32.
EXACT_FLOAT32_TERMS = 1024


def int8_matmul(a: Any, b: Any) -> Tensor:
    """``a @ b`` for int8 tensors ``a`` (..., M, K) and ``b`` (..., K, N): exact int32 sums, no gradient.

    Args:
        a: the int8 left operand.
        b: the int8 right operand (leading axes broadcast against ``a``'s).

    Returns:
        An int32 tensor (..., M, N).

    Example:
        >>> a = ops.convert_to_tensor([[127, -127]], dtype="int8")
        >>> b = ops.convert_to_tensor([[127], [127]], dtype="int8")
        >>> int8_matmul(a, b).numpy().tolist(), int8_matmul(a, ops.negative(b)).dtype
        ([[0]], 'int32')
    """
    a, b = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
    return Tensor(_backend().int8_matmul(a.data, b.data))


def int8_einsum(equation: str, a: Any, b: Any) -> Tensor:
    """``einsum(equation, a, b)`` for two int8 tensors, as exact int32 sums (no gradient).

    A label of one operand that is summed without meeting the other operand, or a product with nothing to
    sum (an outer product), runs as a float einsum of the int8 values instead (exact while the sums stay
    below 2**24, i.e. for up to 1024 terms).

    Args:
        equation: the einsum equation, ``"X,Y->Z"`` (``...`` allowed).
        a: the int8 first operand.
        b: the int8 second operand.

    Returns:
        An int32 tensor.

    Example:
        >>> a = ops.convert_to_tensor([[[1, 2], [3, 4]]], dtype="int8")
        >>> k = ops.convert_to_tensor([[1, 0, 2], [0, 1, 2]], dtype="int8")
        >>> int8_einsum("abc,cd->abd", a, k).numpy().tolist()
        [[[1, 2, 6], [3, 4, 14]]]
    """
    a, b = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
    (ta, tb), out = _parse(equation, [a, b])
    batch = [c for c in ta if c in tb and c in out]
    summed = [c for c in ta if c in tb and c not in out]
    free_a = [c for c in ta if c not in tb]
    free_b = [c for c in tb if c not in ta]
    alone = [c for c in free_a + free_b if c not in out]
    if alone or not summed or len(set(ta)) < len(ta) or len(set(tb)) < len(tb):
        product = ops.einsum(equation, ops.cast(a, "float32"), ops.cast(b, "float32"))
        return ops.cast(ops.round(product), "int32")
    sizes = dict(zip(ta, a.shape))
    sizes.update(zip(tb, b.shape))
    a = ops.transpose(a, [ta.index(c) for c in batch + free_a + summed])
    b = ops.transpose(b, [tb.index(c) for c in batch + summed + free_b])
    nb = [sizes[c] for c in batch]
    fa, fs, fb = (math.prod(sizes[c] for c in group) for group in (free_a, summed, free_b))
    product = int8_matmul(ops.reshape(a, nb + [fa, fs]), ops.reshape(b, nb + [fs, fb]))
    product = ops.reshape(product, nb + [sizes[c] for c in free_a + free_b])
    order = batch + free_a + free_b
    return ops.transpose(product, [order.index(c) for c in out])


def _exact_float(terms: int) -> str:
    """The float dtype whose sums of ``terms`` int8 products are exact."""
    return "float32" if terms <= EXACT_FLOAT32_TERMS else "float64"


def int8_conv(x: Any, kernel: Any, strides: Any, padding: str, dilation_rate: Any) -> Tensor:
    """``ops.conv`` of int8 images and an int8 (kh, kw, in, out) kernel, as exact integers (float dtype).

    The convolution runs on the int8 values in float32 when a window holds at most 1024 terms
    (``kh * kw * in``), so every sum is exact; larger windows run in float64.

    Args:
        x: int8 NHWC images.
        kernel: the int8 kernel.
        strides: as for ``ops.conv``.
        padding: as for ``ops.conv``.
        dilation_rate: as for ``ops.conv``.

    Returns:
        The integer sums, in float32 (or float64), without gradient.
    """
    dtype = _exact_float(math.prod(kernel.shape[:-1]))
    with ops.stop_recording():
        return ops.conv(ops.cast(x, dtype), ops.cast(kernel, dtype), strides, padding, dilation_rate=dilation_rate)


def int8_depthwise_conv(x: Any, kernel: Any, strides: Any, padding: str, dilation_rate: Any) -> Tensor:
    """``ops.depthwise_conv`` of int8 images and an int8 (kh, kw, in, multiplier) kernel, as exact integers.

    A window holds ``kh * kw`` terms, so float32 sums are exact up to 32x32 kernels (float64 beyond).

    Args:
        x: int8 NHWC images.
        kernel: the int8 depthwise kernel.
        strides: as for ``ops.depthwise_conv``.
        padding: as for ``ops.depthwise_conv``.
        dilation_rate: as for ``ops.depthwise_conv``.

    Returns:
        The integer sums, in float32 (or float64), without gradient.
    """
    dtype = _exact_float(math.prod(kernel.shape[:2]))
    with ops.stop_recording():
        return ops.depthwise_conv(ops.cast(x, dtype), ops.cast(kernel, dtype), strides, padding,
                                  dilation_rate=dilation_rate)
