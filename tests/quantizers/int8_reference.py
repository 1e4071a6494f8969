"""A numpy reference of Keras's int8 arithmetic, written to be checked by eye: abs-max quantization in
float32 (as the layers compute the scales), integer sums in int64, one float division at the end."""

import numpy as np

EPS = np.float32(1e-7)


def abs_max(values, axis):
    """``(q, scale)``: ``scale = 127 / (max |values| + eps)`` over ``axis`` (kept), ``q = round(values * scale)``."""
    values = np.asarray(values, np.float32)
    scale = np.float32(127) / (np.max(np.abs(values), axis=axis, keepdims=True) + EPS)
    return np.clip(np.round(values * scale), -127, 127).astype(np.int64), scale.astype(np.float32)


def windows(x, kh, kw, stride, padding):
    """NHWC ``x`` as (N, OH, OW, kh, kw, C) windows, TensorFlow's "same" padding (extra on the right)."""
    n, h, w, c = x.shape
    if padding == "same":
        oh, ow = -(-h // stride), -(-w // stride)
        ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    view = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))  # (N, H', W', C, kh, kw)
    return view[:, ::stride, ::stride].transpose(0, 1, 2, 4, 5, 3)


def conv(x, kernel, stride, padding):
    """Cross-correlation of NHWC ``x`` with a (kh, kw, C, O) kernel."""
    return np.einsum("nijpqc,pqco->nijo", windows(x, *kernel.shape[:2], stride, padding), kernel)


def depthwise_conv(x, kernel, stride, padding):
    """Depthwise cross-correlation with a (kh, kw, C, M) kernel: output channel c * M + m."""
    out = np.einsum("nijpqc,pqcm->nijcm", windows(x, *kernel.shape[:2], stride, padding), kernel)
    return out.reshape(out.shape[:3] + (-1,))
