"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, Cropping, ZeroPadding and UpSampling.

Every value a converter receives holds the Keras (channels-last) layout: after a convolution it is the output
of the Transpose back to channels-last, which these layers read as it is. So Flatten after a convolution
flattens height, width, channels in Keras's order, and the Dense weights that follow fit.
"""

from kerasette import layers
from kerasette.export.registry import register_converter

_INT64_MAX = 2 ** 63 - 1


@register_converter(layers.Flatten)
def flatten(call):
    """Flatten: ONNX Flatten(axis=1); ``data_format="channels_first"`` moves the channels last first, as Keras."""
    b, x = call.builder, call.input
    rank = len(call.input_shape)
    if call.layer.data_format == "channels_first" and rank > 2:
        x = b.transpose(x, [0, *range(2, rank), 1])
    return b.op("Flatten", [x], axis=1)


@register_converter(layers.Reshape)
def reshape(call):
    """Reshape: ONNX Reshape to ``(batch, *target_shape)`` (0 keeps the batch size, -1 is inferred)."""
    return call.builder.reshape(call.input, [0, *call.layer.target_shape])


@register_converter(layers.Permute)
def permute(call):
    """Permute: ONNX Transpose with the batch axis kept first."""
    return call.builder.transpose(call.input, [0, *call.layer.dims])


@register_converter(layers.RepeatVector)
def repeat_vector(call):
    """RepeatVector: ``(batch, features)`` -> ``(batch, n, features)`` by Unsqueeze and Tile."""
    b = call.builder
    return b.op("Tile", [b.unsqueeze(call.input, [1]), b.int64s([1, call.layer.n, 1], "repeats")])


@register_converter(layers.Cropping1D, layers.Cropping2D, layers.Cropping3D)
def cropping(call):
    """Cropping1D/2D/3D: one Slice over the spatial axes (ends counted from the end, so sizes may be unknown)."""
    pairs = call.layer.cropping
    axes = list(range(1, len(pairs) + 1))
    starts = [before for before, _ in pairs]
    ends = [-after if after else _INT64_MAX for _, after in pairs]
    return call.builder.slice(call.input, starts, ends, axes)


@register_converter(layers.ZeroPadding1D, layers.ZeroPadding2D, layers.ZeroPadding3D)
def zero_padding(call):
    """ZeroPadding1D/2D/3D: ONNX Pad (constant 0) on the spatial axes."""
    pairs = call.layer.padding
    pads = [0, *(before for before, _ in pairs), 0, 0, *(after for _, after in pairs), 0]
    return call.builder.op("Pad", [call.input, call.builder.int64s(pads, "pads")], mode="constant")


@register_converter(layers.UpSampling1D, layers.UpSampling2D, layers.UpSampling3D)
def up_sampling(call):
    """UpSampling1D/2D/3D (nearest): ONNX Resize by integer scales, each output pixel copying ``floor(i / s)``."""
    b, layer = call.builder, call.layer
    size = (layer.size,) if isinstance(layer.size, int) else tuple(layer.size)
    scales = b.constant([1.0, *(float(s) for s in size), 1.0], "scales")
    return b.op("Resize", [call.input, "", scales], mode="nearest", coordinate_transformation_mode="asymmetric",
                nearest_mode="floor")
