"""STFTSpectrogram: a short-time Fourier transform of 1-D signals done as a (trainable) convolution."""

import math
import numbers
import warnings

from kerasette import ops
from kerasette.config import epsilon
from kerasette.initializers import STFT
from kerasette.layers import validation
from kerasette.layers.input_spec import InputSpec
from kerasette.layers.layer import Layer

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrograms of ``(batch, time, channels)`` signals by a short-time Fourier transform, as a 1-D convolution.

    The transform's cosine (``real_kernel``) and sine (``imag_kernel``) kernels, windowed and scaled by
    the ``STFT`` initializer, slide over each channel with stride ``frame_step``; since they are weights,
    the transform can be fine-tuned (``trainable=True``), as in Keras. ``mode`` chooses the output:
    ``"log"`` (natural log of the magnitude), ``"magnitude"``, ``"psd"`` (power spectral density, the
    non-edge bins doubled), ``"real"``, ``"imag"``, ``"angle"`` or ``"stft"`` (real then imaginary bins).

    Args:
        mode: one of the modes above. Defaults to ``"log"``.
        frame_length: int, the window length. Defaults to 256.
        frame_step: int in [1, frame_length], the step between frames; None means ``frame_length // 2``.
        fft_length: int >= frame_length, the transform length; None means the next power of two.
        window: ``"hann"`` (the default), ``"hamming"``, an array of ``frame_length`` values, or None.
        periodic: bool, a periodic window rather than a symmetric one. Defaults to False.
        scaling: ``"density"`` (the default), ``"spectrum"`` or None (see ``initializers.STFT``).
        padding: ``"valid"`` (the default) or ``"same"``.
        expand_dims: bool; True returns ``(batch, frames, bins, channels)`` instead of merging channels and
            bins into ``(batch, frames, channels * bins)``.
        data_format: ``"channels_last"`` or None (the only layout kerasette supports).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        ``(batch, time, channels)``, float.

    Output shape:
        ``(batch, frames, channels * bins)`` (``bins = fft_length // 2 + 1``, doubled for ``"stft"``), or
        ``(batch, frames, bins, channels)`` with ``expand_dims``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> signal = np.random.default_rng(0).normal(size=(2, 1000, 1)).astype("float32")
        >>> layers.STFTSpectrogram(frame_length=128, frame_step=64)(signal).shape
        (2, 14, 65)
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann",
                 periodic=False, scaling="density", padding="valid", expand_dims=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.frame_length = validation.positive_int(self, "frame_length", frame_length)
        if frame_step is not None and (isinstance(frame_step, bool) or not isinstance(frame_step, numbers.Integral)
                                       or frame_step > frame_length or frame_step < 1):
            raise ValueError("`frame_step` should be a positive integer not greater than `frame_length`. Received "
                             f"frame_step={frame_step}, frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("`fft_length` should be not less than `frame_length`. Received "
                             f"fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(f"`fft_length` is recommended to be a power of two. Received fft_length={fft_length}",
                          stacklevel=2)
        if mode not in _MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(_MODES)}. Received: mode={mode}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding}")
        STFT("real", window, scaling, periodic)  # checks window and scaling
        self.mode, self.frame_step, self.fft_length = mode, frame_step, fft_length
        self._frame_step = frame_step or self.frame_length // 2
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window, self.periodic, self.scaling, self.padding = window, bool(periodic), scaling, padding
        self.expand_dims = bool(expand_dims)
        self.data_format = validation.data_format(self, data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(shape, STFT("real", self.window, self.scaling, self.periodic),
                                               name="real_kernel")
        if self.mode != "real":
            self.imag_kernel = self.add_weight(shape, STFT("imag", self.window, self.scaling, self.periodic),
                                               name="imag_kernel")

    def _transform(self, inputs, kernel):
        """``(batch, channels, bins, frames)``: the kernel convolved with every channel on its own."""
        batch, steps, channels = inputs.shape
        signals = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (batch * channels, steps, 1))
        kernel = kernel if kernel.dtype == inputs.dtype else ops.cast(kernel, inputs.dtype)
        out = ops.conv(signals, kernel, strides=self._frame_step, padding=self.padding)
        frames, bins = out.shape[1], out.shape[2]
        return ops.reshape(ops.transpose(out, (0, 2, 1)), (batch, channels, bins, frames))

    def _arrange(self, outputs):
        batch, channels, bins, frames = outputs.shape
        if self.expand_dims:
            return ops.transpose(outputs, (0, 3, 2, 1))
        return ops.transpose(ops.reshape(outputs, (batch, channels * bins, frames)), (0, 2, 1))

    def call(self, inputs):
        if inputs.dtype not in ("float16", "float32", "float64"):
            raise TypeError(f"Invalid input type. Expected `float16`, `float32` or `float64`. Received: input "
                            f"type={inputs.dtype}")
        real = self._transform(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._transform(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(ops.concatenate([real, imag], axis=2))
        power = ops.add(ops.square(real), ops.square(imag))
        if self.mode == "psd":
            return self._arrange(ops.add(power, ops.pad(power[:, :, 1:-1, :], [[0, 0], [0, 0], [1, 1], [0, 0]])))
        magnitude = self._arrange(ops.sqrt(ops.maximum(power, epsilon())))
        return magnitude if self.mode == "magnitude" else ops.log(ops.maximum(magnitude, epsilon()))

    def compute_output_shape(self, input_shape):
        batch, steps, channels = input_shape
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        if steps is None:
            frames = None
        elif self.padding == "same":
            frames = -(-steps // self._frame_step)
        else:
            frames = (steps - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            return (batch, frames, bins, channels)
        return (batch, frames, None if channels is None else channels * bins)

    def get_config(self):
        window = self.window.tolist() if hasattr(self.window, "tolist") else self.window
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length, "window": window,
                "periodic": self.periodic, "scaling": self.scaling, "padding": self.padding,
                "data_format": self.data_format, "expand_dims": self.expand_dims}
