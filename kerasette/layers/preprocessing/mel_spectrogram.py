"""MelSpectrogram: audio waveforms to (log-)mel spectrograms, as ``keras.layers.MelSpectrogram``."""

import numbers

import numpy as np

from kerasette import ops
from kerasette.layers import validation
from kerasette.layers.layer import Layer

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    """Frequencies in Hz on the HTK mel scale: ``1127 * ln(1 + f / 700)``."""
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate, lower_edge_hertz,
                                upper_edge_hertz, dtype="float32"):
    """The ``(num_spectrogram_bins, num_mel_bins)`` matrix of triangular mel filters (peak 1), HTK convention.

    The spectrogram bins cover ``[0, sampling_rate / 2]`` linearly; the mel bands are ``num_mel_bins``
    triangles whose edges are evenly spaced on the mel scale between ``lower_edge_hertz`` and
    ``upper_edge_hertz``. The DC bin gets no weight (as in Keras and TensorFlow).

    Args:
        num_mel_bins: int, the number of mel bands.
        num_spectrogram_bins: int, ``fft_length // 2 + 1``.
        sampling_rate: the audio's samples per second.
        lower_edge_hertz: the lower edge of the lowest band.
        upper_edge_hertz: the upper edge of the highest band.
        dtype: the matrix's dtype.

    Returns:
        A numpy array; right-multiply a spectrogram ``(..., num_spectrogram_bins)`` by it.
    """
    compute = np.dtype(dtype).type
    nyquist = compute(sampling_rate) / compute(2.0)
    linear = np.linspace(compute(0.0), nyquist, num_spectrogram_bins, dtype=dtype)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(compute(lower_edge_hertz)), _hertz_to_mel(compute(upper_edge_hertz)),
                        num_mel_bins + 2, dtype=dtype)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = np.maximum(compute(0.0), np.minimum(lower_slopes, upper_slopes))
    return np.pad(weights, [[1, 0], [0, 0]]).astype(dtype)


def _positive_int(layer, argument, value):
    return validation.positive_int(layer, argument, value)


def _real(layer, argument, value, low=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (low is not None and value < low):
        raise validation.invalid(layer, argument, "a number" + (f" >= {low}" if low is not None else ""), value)
    return float(value)


class MelSpectrogram(Layer):
    """A preprocessing layer that turns audio waveforms into mel spectrograms (log-scaled in dB by default).

    Each waveform is cut into frames of ``fft_length`` samples every ``sequence_stride`` samples
    (centred, as ``ops.stft`` with ``center=True``), windowed and transformed; the magnitudes raised to
    ``mag_exp`` are mapped onto ``num_mel_bins`` triangular mel bands between ``min_freq`` and
    ``max_freq``. With ``power_to_db`` the result is ``10 * log10(max(power, min_power) / ref_power)``,
    clipped to ``top_db`` below the batch's maximum (as Keras does). Not trainable; the same in training
    and inference.

    Args:
        fft_length: int, the frame and FFT length. Defaults to 2048.
        sequence_stride: int, the step between frames. Defaults to 512.
        sequence_length: int, the window length (at most ``fft_length``); None means ``fft_length``.
        window: ``"hann"`` (the default), ``"hamming"`` or None (no window).
        sampling_rate: the audio's samples per second. Defaults to 16000.
        num_mel_bins: int, the number of mel bands. Defaults to 128.
        min_freq: the lowest band's lower edge in Hz. Defaults to 20.
        max_freq: the highest band's upper edge in Hz; None means ``sampling_rate / 2``.
        power_to_db: bool, whether to convert to decibels. Defaults to True.
        top_db: the dynamic range kept below the maximum, in dB. Defaults to 80.
        mag_exp: the exponent of the magnitudes (2: power). Defaults to 2.
        min_power: the smallest power before the logarithm. Defaults to 1e-10.
        ref_power: the power that maps to 0 dB. Defaults to 1.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        ``(samples,)`` or ``(batch, samples)``.

    Output shape:
        ``(num_mel_bins, frames)`` or ``(batch, num_mel_bins, frames)``, with
        ``frames = 1 + samples // sequence_stride``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> audio = np.sin(np.linspace(0, 2000, 16000)).astype("float32")[None]
        >>> layers.MelSpectrogram(num_mel_bins=64)(audio).shape
        (1, 64, 32)
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None, window="hann",
                 sampling_rate=16000, num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True, top_db=80.0,
                 mag_exp=2.0, min_power=1e-10, ref_power=1.0, **kwargs):
        super().__init__(**kwargs)
        self.fft_length = _positive_int(self, "fft_length", fft_length)
        self.sequence_stride = _positive_int(self, "sequence_stride", sequence_stride)
        self.sequence_length = _positive_int(self, "sequence_length", sequence_length or fft_length)
        if self.fft_length < self.sequence_length:
            raise ValueError(f"`fft_length` must be greater than or equal to `sequence_length` (layer `{self.name}`). "
                             f"Received: `sequence_length`={self.sequence_length}, `fft_length`={self.fft_length}.")
        if window not in ("hann", "hamming", None):
            raise validation.invalid(self, "window", '"hann", "hamming" or None', window)
        self.window = window
        self.sampling_rate = _real(self, "sampling_rate", sampling_rate, low=0)
        self.sampling_rate = int(sampling_rate) if float(sampling_rate).is_integer() else self.sampling_rate
        self.num_mel_bins = _positive_int(self, "num_mel_bins", num_mel_bins)
        self.min_freq = _real(self, "min_freq", min_freq, low=0)
        self.max_freq = _real(self, "max_freq", max_freq) if max_freq is not None else int(self.sampling_rate / 2)
        if self.max_freq <= self.min_freq:
            raise validation.invalid(self, "max_freq", f"a frequency above min_freq={self.min_freq}", max_freq)
        self.power_to_db = bool(power_to_db)
        self.top_db = _real(self, "top_db", top_db, low=0)
        self.mag_exp = _real(self, "mag_exp", mag_exp)
        self.min_power = _real(self, "min_power", min_power, low=0)
        self.ref_power = _real(self, "ref_power", ref_power)

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        x = ops.cast(inputs, dtype) if inputs.dtype != dtype else inputs
        real, imag = ops.stft(x, sequence_length=self.sequence_length, sequence_stride=self.sequence_stride,
                              fft_length=self.fft_length, window=self.window, center=True)
        spectrum = ops.power(ops.sqrt(ops.add(ops.square(real), ops.square(imag))), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, spectrum.shape[-1], self.sampling_rate,
                                             self.min_freq, self.max_freq, dtype)
        outputs = ops.tensordot(spectrum, ops.convert_to_tensor(matrix), axes=1)
        if self.power_to_db:
            outputs = self._decibels(outputs)
        outputs = ops.swapaxes(outputs, -1, -2)
        return outputs if outputs.dtype == self.compute_dtype else ops.cast(outputs, self.compute_dtype)

    def _decibels(self, power):
        log_spec = ops.multiply(10.0, ops.log10(ops.maximum(power, self.min_power)))
        log_spec = ops.subtract(log_spec, 10.0 * np.log10(max(abs(self.ref_power), self.min_power)))
        return ops.maximum(log_spec, ops.subtract(ops.max(log_spec), self.top_db))

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride
        return tuple(input_shape[:-1]) + (self.num_mel_bins, frames)

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window, "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins, "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db, "mag_exp": self.mag_exp,
                "min_power": self.min_power, "ref_power": self.ref_power}
