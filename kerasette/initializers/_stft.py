"""The STFT initializer: the cosine and sine kernels of a short-time Fourier transform done as a convolution."""

import numpy as np

from kerasette import ops
from kerasette.initializers._base import Initializer, _dtype, _shape, registry

_WINDOWS = ("hann", "hamming")


def window_values(window, length, periodic):
    """``length`` samples of the named window (``"hann"`` or ``"hamming"``), as scipy's ``get_window``.

    Args:
        window: ``"hann"`` or ``"hamming"``.
        length: the number of samples.
        periodic: True for the periodic window (for spectral analysis, scipy's ``fftbins=True``), False for
            the symmetric one.

    Returns:
        A float64 numpy array.
    """
    a = 0.5 if window == "hann" else 0.54
    if length == 1:
        return np.ones(1)
    period = length if periodic else length - 1
    return a - (1.0 - a) * np.cos(2.0 * np.pi * np.arange(length) / period)


@registry.register("STFT")
class STFT(Initializer):
    """The kernel of a short-time Fourier transform done as a 1-D convolution (``STFTSpectrogram``).

    For a shape ``(frame_length, 1, bins)``, entry ``(t, 0, f)`` is ``cos(-2 pi t f / n)`` (``side="real"``)
    or ``sin(-2 pi t f / n)`` (``side="imag"``) with ``n = 2 * (bins - 1)``, times the window at ``t``
    divided by the window's scaling, as Keras's ``STFT`` initializer.

    Args:
        side: ``"real"`` (the default) or ``"imag"``.
        window: ``"hann"`` (the default), ``"hamming"``, an array of ``frame_length`` values, or None (no
            window). Keras takes any scipy window name; kerasette has these two (other names raise).
        scaling: ``"density"`` (the default: divide by the window's L2 norm), ``"spectrum"`` (by its sum),
            or None.
        periodic: bool, a periodic window (True) or a symmetric one (False, the default).

    Raises:
        ValueError: for an unknown ``side``, ``window`` name or ``scaling``.

    Example:
        >>> kernel = STFT("real", window=None, scaling=None)((4, 1, 3))
        >>> kernel.shape, [round(v, 6) + 0.0 for v in kernel.numpy()[:, 0, 1].tolist()]
        ((4, 1, 3), [1.0, 0.0, -1.0, 0.0])
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str) and window not in _WINDOWS:
            raise ValueError(f"Invalid `window` {window!r}: kerasette's STFT has the windows {list(_WINDOWS)}, "
                             "an array of frame_length values, or None.")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, bool(periodic)

    def __call__(self, shape, dtype=None):
        """A new ``(frame_length, 1, bins)`` kernel of ``dtype`` (default float32)."""
        shape, dtype = _shape(shape), _dtype(dtype)
        if len(shape) != 3:
            raise ValueError(f"The STFT initializer makes kernels of shape (frame_length, channels, bins). "
                             f"Received: shape={shape}")
        frame_length, _, bins = shape
        time = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype=dtype).reshape(1, 1, bins) / np.asarray((bins - 1) * 2, dtype)
        args = (-2 * time * freq * np.asarray(np.pi, dtype)).astype(dtype)
        kernel = np.cos(args) if self.side == "real" else np.sin(args)
        if self.window is not None:
            win = self.window
            win = window_values(win, frame_length, self.periodic) if isinstance(win, str) else np.asarray(win)
            win = win.astype(dtype)
            if win.shape != (frame_length,):
                raise ValueError(f"The shape of `window` must be equal to [frame_length]. Received: window "
                                 f"shape={win.shape}")
            scaling = 1.0
            if self.scaling == "density":
                scaling = np.sqrt(np.sum(np.square(win)))
            elif self.scaling == "spectrum":
                scaling = np.sum(np.abs(win))
            kernel = kernel * win.reshape(frame_length, 1, 1) / scaling
        return ops.convert_to_tensor(np.broadcast_to(kernel, shape).astype(dtype))

    def get_config(self):
        """The initializer's arguments (a window array as a list)."""
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}
