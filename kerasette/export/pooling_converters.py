"""Pooling: windowed (ONNX MaxPool/AveragePool), global (reductions) and adaptive (slices and reductions).

Average pooling with ``"same"`` padding leaves the padding out of the mean, as Keras does and as ONNX
AveragePool does by default (``count_include_pad=0``).
"""

from kerasette import layers
from kerasette.export.convolution_converters import channels_first_window
from kerasette.export.registry import register_converter

_MAX = (layers.MaxPooling1D, layers.MaxPooling2D, layers.MaxPooling3D)
_AVERAGE = (layers.AveragePooling1D, layers.AveragePooling2D, layers.AveragePooling3D)


@register_converter(*_MAX, *_AVERAGE)
def pooling(call):
    """Max/AveragePooling1D/2D/3D: ONNX MaxPool/AveragePool on channels-first data."""
    layer = call.layer
    op_type = "MaxPool" if isinstance(layer, _MAX) else "AveragePool"
    return channels_first_window(call, op_type, [call.input], layer.pool_size, layer.strides,
                                 padding=layer.padding)


@register_converter(layers.GlobalAveragePooling1D, layers.GlobalAveragePooling2D, layers.GlobalAveragePooling3D,
                    layers.GlobalMaxPooling1D, layers.GlobalMaxPooling2D, layers.GlobalMaxPooling3D)
def global_pooling(call):
    """Global pooling: ReduceMean/ReduceMax over the spatial axes (of the channels-first data when pending)."""
    layer = call.layer
    op_type = "ReduceMax" if "Max" in type(layer).__name__ else "ReduceMean"
    axes = list(range(1, layer.rank + 1))
    return call.builder.reduce_logical(op_type, call.input, axes, keepdims=layer.keepdims)


@register_converter(layers.AdaptiveAveragePooling1D, layers.AdaptiveAveragePooling2D,
                    layers.AdaptiveAveragePooling3D, layers.AdaptiveMaxPooling1D, layers.AdaptiveMaxPooling2D,
                    layers.AdaptiveMaxPooling3D)
def adaptive_pooling(call):
    """Adaptive pooling: bin ``i`` of ``out`` over ``n`` inputs covers ``[floor(i n / out), ceil((i + 1) n / out))``.

    Each bin is a Slice and a reduction, joined by Concat, axis by axis (as ``ops.adaptive_*_pool`` computes
    it), so the spatial sizes must be known.
    """
    b, layer = call.builder, call.layer
    op_type = "ReduceMax" if "Max" in type(layer).__name__ else "ReduceMean"
    first_axis = 2 if layer.data_format == "channels_first" else 1
    x = call.input
    for offset, out in enumerate(layer.output_size):
        axis = first_axis + offset
        n = call.input_shape[axis]
        if n is None:
            raise call.error(f"adaptive pooling needs known spatial sizes; axis {axis} of the input "
                             f"{call.input_shape} is unknown")
        parts = []
        for i in range(out):
            start, stop = (i * n) // out, -(-((i + 1) * n) // out)
            parts.append(b.reduce(op_type, b.slice(x, [start], [stop], [axis]), [axis], keepdims=True))
        x = b.op("Concat", parts, axis=axis) if len(parts) > 1 else parts[0]
    return x
