"""Discrete Fourier transforms, short-time Fourier transforms, framing and window functions.

Complex values travel as ``(real, imag)`` pairs of float tensors, as in ``keras.ops``. The transforms are
backend primitives (numpy's FFT; on OpenCL computed on the host) with gradients written as transforms
too: the adjoint of a DFT is ``n`` times the inverse DFT.
"""

from __future__ import annotations

import math
from typing import Optional, Tuple, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_tensor, floatx
from kerasette.ops._promote import tensor, to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.elementwise import divide, greater, multiply, where
from kerasette.ops.linalg import matmul
from kerasette.ops.padding import pad as _mode_pad
from kerasette.ops.shapes import pad, reshape, take
from kerasette.ops.shapes import slice as _slice_stops
from kerasette.ops.tensor import Tensor

Complex = Tuple[TensorLike, TensorLike]


def _pair(x, op):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"`{op}` takes a tuple (real, imag) of two tensors. Received: {type(x).__name__}")
    real, imag = to_float(x[0]), to_float(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"`{op}`: the real and imaginary parts must have the same shape. Received {real.shape} "
                         f"and {imag.shape}.")
    if real.dtype != imag.dtype:
        dtype = np.result_type(np.dtype(real.dtype), np.dtype(imag.dtype)).name
        real, imag = cast(real, dtype), cast(imag, dtype)
    return real, imag


def _dft(real, imag, axes, inverse):
    """The DFT over ``axes`` of ``(real, imag)``, differentiable (both outputs, both inputs)."""
    B = _backend()
    out_real, out_imag = B.fft(_data(real), _data(imag), axes, inverse)
    n = math.prod(real.shape[a] for a in axes)
    scale = 1.0 / n if inverse else float(n)  # the adjoint of the DFT is n * its inverse (and vice versa)
    cache = {}

    def adjoint(g, output, part):
        if cache.get("g") is not g or cache.get("output") != output:  # one transform serves both inputs
            zero = multiply(g, 0.0)
            ar, ai = _dft(*((g, zero) if output == 0 else (zero, g)), axes, not inverse)
            cache.update(g=g, output=output, value=(multiply(ar, scale), multiply(ai, scale)))
        return cache["value"][part]

    y_real = make_tensor(out_real, (real, imag), [lambda g: adjoint(g, 0, 0), lambda g: adjoint(g, 0, 1)])
    y_imag = make_tensor(out_imag, (real, imag), [lambda g: adjoint(g, 1, 0), lambda g: adjoint(g, 1, 1)])
    return y_real, y_imag


def fft(x: Complex) -> Tuple[Tensor, Tensor]:
    """The discrete Fourier transform along the last axis.

    Args:
        x: a tuple ``(real, imag)`` of float tensors of one shape.

    Returns:
        ``(real, imag)`` of the transform.

    Example:
        >>> from kerasette import ops
        >>> real, imag = ops.fft(([1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]))
        >>> real.numpy().tolist(), imag.numpy().tolist()
        ([1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0])
    """
    real, imag = _pair(x, "fft")
    return _dft(real, imag, (real.ndim - 1,), False)


def fft2(x: Complex) -> Tuple[Tensor, Tensor]:
    """The 2-D discrete Fourier transform over the last two axes.

    Args:
        x: a tuple ``(real, imag)`` of float tensors of rank >= 2.

    Returns:
        ``(real, imag)`` of the transform.
    """
    real, imag = _pair(x, "fft2")
    return _dft(real, imag, (real.ndim - 2, real.ndim - 1), False)


def ifft2(x: Complex) -> Tuple[Tensor, Tensor]:
    """The inverse 2-D discrete Fourier transform over the last two axes (scaled by ``1 / n``).

    Args:
        x: a tuple ``(real, imag)`` of float tensors of rank >= 2.

    Returns:
        ``(real, imag)`` of the inverse transform.
    """
    real, imag = _pair(x, "ifft2")
    return _dft(real, imag, (real.ndim - 2, real.ndim - 1), True)


def _fit(x, length):
    """``x`` cut or zero-padded along its last axis to ``length``."""
    n = x.shape[-1]
    if n > length:
        return _slice_stops(x, [0] * x.ndim, list(x.shape[:-1]) + [length])
    if n < length:
        return pad(x, [(0, 0)] * (x.ndim - 1) + [(0, length - n)])
    return x


def rfft(x: TensorLike, fft_length: Optional[int] = None) -> Tuple[Tensor, Tensor]:
    """The discrete Fourier transform of real ``x`` along its last axis: ``fft_length // 2 + 1`` frequencies.

    Args:
        x: a float tensor.
        fft_length: the transform length (``x`` is cut or zero-padded to it; None: ``x``'s length).

    Returns:
        ``(real, imag)`` of shape ``x.shape[:-1] + (fft_length // 2 + 1,)``.

    Example:
        >>> from kerasette import ops
        >>> real, imag = ops.rfft([1.0, 2.0, 3.0, 4.0])
        >>> real.numpy().tolist(), imag.numpy().tolist()
        ([10.0, -2.0, -2.0], [0.0, 2.0, 0.0])
    """
    x = to_float(x)
    n = x.shape[-1] if fft_length is None else int(fft_length)
    x = _fit(x, n)
    out_real, out_imag = _backend().rfft(_data(x), n)
    m = n // 2 + 1

    def grad(g_real, g_imag):
        # Re(n * ifft(c)) with c the gradient zero-extended to n frequencies
        widths = [(0, 0)] * (x.ndim - 1) + [(0, n - m)]
        real, _ = _dft(pad(g_real, widths), pad(g_imag, widths), (x.ndim - 1,), True)
        return multiply(real, float(n))

    zeros = lambda g: multiply(g, 0.0)  # noqa: E731
    return (make_tensor(out_real, (x,), [lambda g: grad(g, zeros(g))]),
            make_tensor(out_imag, (x,), [lambda g: grad(zeros(g), g)]))


def irfft(x: Complex, fft_length: Optional[int] = None) -> Tensor:
    """The inverse of ``rfft`` along the last axis: ``fft_length`` real samples.

    Args:
        x: a tuple ``(real, imag)`` of ``m`` frequencies.
        fft_length: the output length (None: ``2 * (m - 1)``).

    Returns:
        A float Tensor of shape ``x.shape[:-1] + (fft_length,)``.

    Example:
        >>> from kerasette import ops
        >>> ops.irfft(([10.0, -2.0, -2.0], [0.0, 2.0, 0.0])).numpy().tolist()
        [1.0, 2.0, 3.0, 4.0]
    """
    real, imag = _pair(x, "irfft")
    m = real.shape[-1]
    n = 2 * (m - 1) if fft_length is None else int(fft_length)
    data = _backend().irfft(_data(real), _data(imag), n)
    kept = min(m, n // 2 + 1)
    weights = np.full(kept, 2.0)
    weights[0] = 1.0
    if n % 2 == 0 and kept == n // 2 + 1:
        weights[-1] = 1.0
    cache = {}

    def grad(g, part):
        if cache.get("g") is not g:
            r, i = rfft(g, n)
            scale = convert_to_tensor((weights / n).astype(real.dtype))
            parts = [_fit(multiply(_fit(v, kept), scale), m) for v in (r, i)]
            cache.clear()
            cache["g"], cache["parts"] = g, parts
        return cache["parts"][part]

    return make_tensor(data, (real, imag), [lambda g: grad(g, 0), lambda g: grad(g, 1)])


def extract_sequences(x: TensorLike, sequence_length: int, sequence_stride: int) -> Tensor:
    """Overlapping frames of ``sequence_length`` samples every ``sequence_stride`` samples, along the last axis.

    Args:
        x: a tensor ``(..., length)``.
        sequence_length: the frame length.
        sequence_stride: the step between frame starts.

    Returns:
        A Tensor ``(..., frames, sequence_length)`` with ``frames = 1 + (length - sequence_length) // stride``.

    Example:
        >>> from kerasette import ops
        >>> ops.extract_sequences([1.0, 2.0, 3.0, 4.0, 5.0], 3, 2).numpy().tolist()
        [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]
    """
    x = tensor(x)
    length, size, stride = x.shape[-1], int(sequence_length), int(sequence_stride)
    if size < 1 or stride < 1:
        raise ValueError(f"`extract_sequences` needs positive sequence_length and sequence_stride. Received "
                         f"{size} and {stride}.")
    frames = max((length - size) // stride + 1, 0) if length >= size else 0
    index = (np.arange(frames)[:, None] * stride + np.arange(size)[None, :]).astype(np.int64)
    return take(x, convert_to_tensor(index), axis=x.ndim - 1)


def _window(window, sequence_length, fft_length, dtype, op):
    """The analysis window centred in ``fft_length`` samples (zeros around it)."""
    if window is None:
        values = np.ones(sequence_length)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f'Invalid value for argument `window` of `{op}`. Expected "hann", "hamming", None or '
                             f"a tensor. Received: window={window!r}")
        k = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        values = a - (1.0 - a) * np.cos(2.0 * np.pi * k / sequence_length)  # periodic, as scipy's get_window
    else:
        values = np.asarray(window.numpy() if isinstance(window, Tensor) else window, dtype=np.float64)
        if values.shape != (sequence_length,):
            raise ValueError(f"`{op}`: the window must have shape ({sequence_length},). Received {values.shape}.")
    left = (fft_length - sequence_length) // 2
    full = np.zeros(fft_length)
    full[left:left + sequence_length] = values
    return full.astype(dtype)


def stft(x: TensorLike, sequence_length: int, sequence_stride: int, fft_length: int,
         window: Union[str, TensorLike, None] = "hann", center: bool = True) -> Tuple[Tensor, Tensor]:
    """The short-time Fourier transform along the last axis.

    Frames of ``fft_length`` samples every ``sequence_stride`` samples, each multiplied by the window
    (``sequence_length`` long, centred in the frame) and transformed with ``rfft``; as Keras (scipy's
    ``stft`` without its scaling).

    Args:
        x: a float32 or float64 tensor ``(..., length)``.
        sequence_length: the window length.
        sequence_stride: the step between frames.
        fft_length: the frame and transform length (>= ``sequence_length``).
        window: ``"hann"``, ``"hamming"`` (periodic), a tensor of ``sequence_length`` values, or None (ones).
        center: pad ``fft_length // 2`` samples on each side by reflection first, so frames centre on samples.

    Returns:
        ``(real, imag)`` of shape ``(..., frames, fft_length // 2 + 1)``.

    Raises:
        TypeError: for a non-float ``x``.
        ValueError: for ``fft_length < sequence_length`` or an unknown window.

    Example:
        >>> from kerasette import ops
        >>> real, imag = ops.stft(ops.ones((16,)), 8, 4, 8)
        >>> real.shape
        (5, 5)
    """
    x = tensor(x)
    if x.dtype not in ("float32", "float64"):
        raise TypeError(f"`stft` needs a float32 or float64 input. Received dtype {x.dtype}.")
    if fft_length < sequence_length:
        raise ValueError(f"`stft`: fft_length ({fft_length}) must be >= sequence_length ({sequence_length}).")
    win = _window(window, int(sequence_length), int(fft_length), x.dtype, "stft")
    if center:
        x = _mode_pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)], mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    return rfft(multiply(frames, convert_to_tensor(win)), fft_length)


def istft(x: Complex, sequence_length: int, sequence_stride: int, fft_length: int, length: Optional[int] = None,
          window: Union[str, TensorLike, None] = "hann", center: bool = True) -> Tensor:
    """The inverse of ``stft``: inverse transforms of the frames, windowed and overlap-added.

    The sum is divided by the overlap-added squared window (where it exceeds 1e-10), as scipy's ``istft``
    that Keras's numpy backend uses.

    Args:
        x: a tuple ``(real, imag)`` of shape ``(..., frames, fft_length // 2 + 1)``.
        sequence_length: the window length.
        sequence_stride: the step between frames.
        fft_length: the frame and transform length.
        length: the output length (None: everything, less the ``center`` padding).
        window: ``"hann"``, ``"hamming"``, a tensor of ``sequence_length`` values, or None (ones).
        center: whether ``stft`` padded the signal (its ``fft_length // 2`` first samples are dropped).

    Returns:
        A float Tensor ``(..., samples)``.

    Example:
        >>> from kerasette import ops
        >>> import numpy as np
        >>> signal = np.sin(np.arange(32.0))
        >>> restored = ops.istft(ops.stft(signal, 8, 2, 8), 8, 2, 8, length=32)
        >>> bool(np.allclose(restored.numpy(), signal))
        True
    """
    real, imag = _pair(x, "istft")
    frames = irfft((real, imag), fft_length)  # (..., count, fft_length)
    count = frames.shape[-2]
    win = _window(window, int(sequence_length), int(fft_length), frames.dtype, "istft")
    total = fft_length + sequence_stride * (count - 1)
    # overlap-add as a product with a 0/1 placement matrix: (count * fft_length) -> total samples
    placement = np.zeros((count * fft_length, total), dtype=frames.dtype)
    for f in range(count):
        placement[f * fft_length + np.arange(fft_length), f * sequence_stride + np.arange(fft_length)] = 1.0
    windowed = reshape(multiply(frames, convert_to_tensor(win)), frames.shape[:-2] + (count * fft_length,))
    summed = matmul(windowed, convert_to_tensor(placement))
    norm = np.zeros(total)
    for f in range(count):
        norm[f * sequence_stride:f * sequence_stride + fft_length] += win.astype(np.float64) ** 2
    norm_tensor = convert_to_tensor(norm.astype(frames.dtype))
    signal = where(greater(norm_tensor, 1e-10), divide(summed, where(greater(norm_tensor, 1e-10), norm_tensor, 1.0)),
                   summed)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    elif center:
        end = total - fft_length // 2
    else:
        end = total
    end = min(end, total)
    return _slice_stops(signal, [0] * (signal.ndim - 1) + [start], list(signal.shape[:-1]) + [end])


def _window_function(values):
    return convert_to_tensor(values.astype(floatx()))


def bartlett(x: int) -> Tensor:
    """The Bartlett (triangular) window of ``x`` points, as ``np.bartlett``.

    Args:
        x: the number of points.

    Returns:
        A float32 vector.

    Example:
        >>> from kerasette import ops
        >>> ops.bartlett(5).numpy().tolist()
        [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return _window_function(np.bartlett(int(x)))


def blackman(x: int) -> Tensor:
    """The Blackman window of ``x`` points, as ``np.blackman``.

    Args:
        x: the number of points.

    Returns:
        A float32 vector.
    """
    return _window_function(np.blackman(int(x)))


def hamming(x: int) -> Tensor:
    """The Hamming window of ``x`` points, as ``np.hamming``.

    Args:
        x: the number of points.

    Returns:
        A float32 vector.
    """
    return _window_function(np.hamming(int(x)))


def hanning(x: int) -> Tensor:
    """The Hann window of ``x`` points, as ``np.hanning``.

    Args:
        x: the number of points.

    Returns:
        A float32 vector.
    """
    return _window_function(np.hanning(int(x)))


def kaiser(x: int, beta: float) -> Tensor:
    """The Kaiser window of ``x`` points with shape ``beta``, as ``np.kaiser``.

    Args:
        x: the number of points.
        beta: the shape parameter (0: rectangular; larger: narrower).

    Returns:
        A float32 vector.
    """
    return _window_function(np.kaiser(int(x), float(beta)))

