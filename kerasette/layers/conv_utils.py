"""What the convolution-like layers share: output sizes, window arguments and their config."""

from kerasette.layers import validation


def conv_output_length(size, window, padding, stride, dilation=1):
    """Output length of a window sliding over ``size`` (None stays None)."""
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return max((size - (window - 1) * dilation - 1) // stride + 1, 0)


def set_window_arguments(layer, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier):
    """Validate and store the arguments the depthwise and separable layers share."""
    layer.kernel_size = validation.int_tuple(layer, "kernel_size", kernel_size)
    layer.strides = validation.int_tuple(layer, "strides", strides)
    layer.padding = validation.padding(layer, padding)
    layer.data_format = validation.data_format(layer, data_format)
    layer.dilation_rate = validation.int_tuple(layer, "dilation_rate", dilation_rate)
    layer.depth_multiplier = validation.positive_int(layer, "depth_multiplier", depth_multiplier)
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(f"Layer `{layer.name}`: strides > 1 cannot be combined with dilation_rate > 1.")


def window_config(layer):
    return {
        "kernel_size": list(layer.kernel_size),
        "strides": list(layer.strides),
        "padding": layer.padding,
        "data_format": layer.data_format,
        "dilation_rate": list(layer.dilation_rate),
        "depth_multiplier": layer.depth_multiplier,
    }


def input_channels(layer, input_shape):
    if input_shape[-1] is None:
        raise ValueError(f"Layer `{layer.name}` needs a known channel dimension. Received {tuple(input_shape)}.")
    return int(input_shape[-1])


def window_output_shape(layer, input_shape, channels):
    """(batch, h, w, channels) after the layer's window, or a clear error when the input is too small."""
    validation.input_rank(layer, input_shape, 4)
    h, w = (
        conv_output_length(size, k, layer.padding, s, d)
        for size, k, s, d in zip(input_shape[1:3], layer.kernel_size, layer.strides, layer.dilation_rate)
    )
    if (h is not None and h <= 0) or (w is not None and w <= 0):
        raise ValueError(
            f"Layer `{layer.name}`: input of shape {tuple(input_shape)} is too small for kernel_size "
            f"{layer.kernel_size} with padding={layer.padding!r} (output would be {h}x{w})."
        )
    return (input_shape[0], h, w, channels)
