"""What the convolution-like layers share: window arguments, their config, and output shapes.

One place checks the window arguments (``set_window_arguments``) for BaseConv and the depthwise and separable
convolutions; output sizes come from ``conv_output_length``, the formula the ops and backends use too.
"""

from kerasette.backends.sliding_window import conv_output_length
from kerasette.layers import validation


def set_window_arguments(layer, rank, kernel_size, strides, padding, data_format, dilation_rate, groups=1,
                         depth_multiplier=None):
    """Validate and store a convolution's window arguments on ``layer``.

    Stores ``kernel_size``, ``strides`` and ``dilation_rate`` as tuples of ``rank`` positive ints, ``padding``,
    ``data_format`` and, when given, ``depth_multiplier``.

    Args:
        layer: the layer being constructed (its ``name`` goes into error messages).
        rank: int, the number of spatial axes.
        kernel_size: int or sequence of ``rank`` ints.
        strides: int or sequence of ``rank`` ints.
        padding: ``"valid"`` or ``"same"``, case-insensitive.
        data_format: ``"channels_last"`` or None.
        dilation_rate: int or sequence of ``rank`` ints.
        groups: must be 1.
        depth_multiplier: positive int for the depthwise and separable convolutions, else None.

    Raises:
        ValueError: for an invalid argument, for ``groups`` other than 1 (grouped convolution is not
            supported) and for strides > 1 combined with dilation_rate > 1.
    """
    layer.kernel_size = validation.int_tuple(layer, "kernel_size", kernel_size, rank)
    layer.strides = validation.int_tuple(layer, "strides", strides, rank)
    layer.padding = validation.padding(layer, padding)
    layer.data_format = validation.data_format(layer, data_format)
    layer.dilation_rate = validation.int_tuple(layer, "dilation_rate", dilation_rate, rank)
    if groups != 1:
        raise validation.invalid(layer, "groups", "1 (grouped convolution is not supported)", groups)
    if depth_multiplier is not None:
        layer.depth_multiplier = validation.positive_int(layer, "depth_multiplier", depth_multiplier)
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(f"Layer `{layer.name}`: strides > 1 cannot be combined with dilation_rate > 1.")


def window_config(layer):
    """The config keys of the window arguments, in Keras's order.

    Args:
        layer: a layer on which ``set_window_arguments`` ran.

    Returns:
        A dict with ``kernel_size``, ``strides``, ``padding``, ``data_format`` and ``dilation_rate``.
    """
    return {
        "kernel_size": list(layer.kernel_size),
        "strides": list(layer.strides),
        "padding": layer.padding,
        "data_format": layer.data_format,
        "dilation_rate": list(layer.dilation_rate),
    }


def input_channels(layer, input_shape):
    """The (known) channel count of channels_last ``input_shape``.

    Args:
        layer: the layer being built (named in the error message).
        input_shape: a channels_last shape tuple.

    Returns:
        The last size, as an int.

    Raises:
        ValueError: if the channel count is unknown (None).
    """
    if input_shape[-1] is None:
        raise ValueError(f"Layer `{layer.name}` needs a known channel dimension. Received {tuple(input_shape)}.")
    return int(input_shape[-1])


def window_output_sizes(input_shape, window, padding, strides, dilation=None):
    """The output sizes of a window sliding over the spatial axes of a channels_last shape.

    Args:
        input_shape: a channels_last shape tuple; its spatial axes are every axis between the batch
            and the channels.
        window: the window size per spatial axis.
        padding: ``"valid"`` or ``"same"``.
        strides: the step per spatial axis.
        dilation: the dilation per spatial axis; None means 1 everywhere.

    Returns:
        A tuple of output sizes, None where the input size is unknown.
    """
    dilation = dilation or (1,) * len(window)
    return tuple(
        conv_output_length(size, k, padding, s, d)
        for size, k, s, d in zip(input_shape[1:-1], window, strides, dilation)
    )


def window_output_shape(layer, input_shape, channels):
    """The shape ``(batch, *spatial, channels)`` after the layer's kernel window.

    Args:
        layer: a layer on which ``set_window_arguments`` ran.
        input_shape: a channels_last shape tuple of rank ``len(layer.kernel_size) + 2``.
        channels: the output's channel count (None if unknown).

    Returns:
        The output shape tuple.

    Raises:
        ValueError: for an input of the wrong rank, or one too small for the window.
    """
    validation.input_rank(layer, input_shape, len(layer.kernel_size) + 2)
    sizes = window_output_sizes(input_shape, layer.kernel_size, layer.padding, layer.strides, layer.dilation_rate)
    if any(size is not None and size <= 0 for size in sizes):
        raise ValueError(
            f"Layer `{layer.name}`: input of shape {tuple(input_shape)} is too small for kernel_size "
            f"{layer.kernel_size} with padding={layer.padding!r} (output would be {'x'.join(map(str, sizes))})."
        )
    return (input_shape[0], *sizes, channels)
