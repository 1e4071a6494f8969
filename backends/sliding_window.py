"""Sliding-window arithmetic: the output length of a convolution or pooling window, in one place.

Layers (``compute_output_shape``), ops (``explicit_padding``) and every backend's convolution and pooling
primitives take their output sizes from ``conv_output_length``. It is plain integer arithmetic and imports
nothing, so any module can use it without an import cycle and without reaching past its own layer.
"""


def conv_output_length(size, window, padding, stride, dilation=1):
    """The number of positions a window takes along one axis.

    Args:
        size: the input length along the axis, or None when unknown.
        window: the window (kernel or pool) length.
        padding: ``"valid"``, ``"same"`` (Keras's meaning: ``ceil(size / stride)`` outputs) or an explicit
            ``(before, after)`` pair of padding pixels.
        stride: the step between windows.
        dilation: the step between the window's taps.

    Returns:
        The output length, never negative (0 when the dilated window is longer than the padded input), or
        None when ``size`` is None.

    Raises:
        ValueError: for a padding string other than "valid" and "same".

    >>> conv_output_length(7, 3, "valid", 2), conv_output_length(7, 3, "same", 2), conv_output_length(7, 3, (1, 1), 1)
    (3, 4, 7)
    """
    if size is None:
        return None
    if isinstance(padding, str):
        if padding == "same":
            return -(-size // stride)
        if padding != "valid":
            raise ValueError(
                f'Expected `padding` to be "valid", "same" or a (before, after) pair. Received: padding={padding!r}'
            )
        before = after = 0
    else:
        before, after = padding
    return max((size + before + after - (window - 1) * dilation - 1) // stride + 1, 0)
