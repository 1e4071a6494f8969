"""Preprocessing layers, as ``model.predict`` runs them (inference).

Random augmentations (RandomFlip, RandomRotation...) do nothing in inference, so they export as a cast to
the layer's float dtype. Rescaling, Normalization, CenterCrop, Resizing, RandomCrop (its inference resize),
AutoContrast, Discretization and CategoryEncoding compute what their ``call`` does. Resizing is exact for
every interpolation: each spatial axis is a linear map, and its matrix is read off ``ops.image.resize`` applied
to the unit vectors, then applied with Einsum; the input's spatial size must be known.
"""

import numpy as np

from kerasette import layers, ops
from kerasette.export.registry import mark_not_exportable, register_class_rule, register_converter
from kerasette.layers.preprocessing import base_image_layer

_IMAGE_BASE = base_image_layer.BaseImagePreprocessingLayer


def _present(*names):
    """The preprocessing layer classes of these names that kerasette has.

    The family is still growing: a class without a converter is caught by tests/export/test_onnx_coverage.py,
    and a renamed one does not break ``import kerasette``.
    """
    return [getattr(layers, name) for name in names if hasattr(layers, name)]


def _as_float(call, x=None):
    """The input cast to float32 (images often arrive as uint8)."""
    x = call.input if x is None else x
    return x if call.input_dtypes[0] == "float32" else call.builder.op("Cast", [x], to=1)


def _inactive_in_inference(cls):
    """An image layer that only transforms in training (its ``call`` and ``transform_images`` are the base's)."""
    return (issubclass(cls, _IMAGE_BASE) and not cls._ALWAYS_ACTIVE and cls.call is _IMAGE_BASE.call
            and cls.transform_images is _IMAGE_BASE.transform_images)


def inference_cast(call):
    """A layer that returns its input (in its float dtype) in inference."""
    return _as_float(call)


register_class_rule(_inactive_in_inference, inference_cast)
register_converter(*_present("MaxNumBoundingBoxes"))(inference_cast)  # pads bounding boxes; images pass through


@register_converter(*_present("Rescaling"))
def rescaling(call):
    """Rescaling: ``x * scale + offset`` (scalars or per-channel lists)."""
    b, layer = call.builder, call.layer
    return b.op("Add", [b.op("Mul", [_as_float(call), b.constant(layer.scale, "scale")]),
                        b.constant(layer.offset, "offset")])


def _normalization_statistics(layer, shape):
    """The mean and variance broadcast against ``shape``, as the layer computes them."""
    rank = len(shape)
    keep = sorted(a % rank for a in layer.axis)
    broadcast = [shape[d] if d in keep else 1 for d in range(rank)]
    if layer.input_mean is None:
        weights = {v.name: v.numpy() for v in layer.weights}
        return [weights[name].reshape(broadcast) for name in ("mean", "variance")]
    stats = []
    for value in (layer.input_mean, layer.input_variance):
        value = np.asarray(value, dtype=np.float64)
        expanded = [1] * rank
        for i in range(1, value.ndim + 1):
            expanded[keep[-i]] = value.shape[-i]
        stats.append(np.broadcast_to(value.reshape(expanded), broadcast))
    return stats


@register_converter(*_present("Normalization"))
def normalization(call):
    """Normalization: ``(x - mean) / max(sqrt(variance), 1e-7)`` (or its inverse with ``invert=True``)."""
    b, layer = call.builder, call.layer
    mean, variance = _normalization_statistics(layer, call.input_shape)
    std = np.maximum(np.sqrt(variance.astype(np.float32)), np.float32(1e-7))
    mean, std = b.constant(mean, "mean"), b.constant(std, "std")
    x = _as_float(call)
    if layer.invert:
        return b.op("Add", [mean, b.op("Mul", [x, std])])
    return b.op("Div", [b.op("Sub", [x, mean]), std])


def _axis_matrix(size_in, size_out, axis, interpolation, antialias):
    """The ``(size_in, size_out)`` matrix of ``ops.image.resize`` along one spatial axis."""
    basis = np.eye(size_in, dtype=np.float32)
    if axis == 1:
        images, size = basis.reshape(size_in, size_in, 1, 1), (size_out, 1)
    else:
        images, size = basis.reshape(size_in, 1, size_in, 1), (1, size_out)
    resized = ops.image.resize(ops.convert_to_tensor(images), size, interpolation=interpolation,
                               antialias=antialias).numpy()
    return resized.reshape(size_in, size_out)


def resize_images(call, x, in_size, out_size, interpolation="bilinear", antialias=False, crop=False, pad=False,
                  fill_value=0.0):
    """``ops.image.resize`` of NHWC ``x`` with spatial size ``in_size`` to ``out_size``, as ONNX nodes."""
    b = call.builder
    if None in in_size:
        raise call.error(f"resizing needs a known image size; the input's is {call.input_shape}")
    height, width = in_size
    if crop:
        crop_h = max(min(height, int(float(width * out_size[0]) / out_size[1])), 1)
        crop_w = max(min(width, int(float(height * out_size[1]) / out_size[0])), 1)
        top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
        x = b.slice(x, [top, left], [top + crop_h, left + crop_w], [1, 2])
        height, width = crop_h, crop_w
    elif pad:
        pad_h = max(height, int(float(width * out_size[0]) / out_size[1]))
        pad_w = max(width, int(float(height * out_size[1]) / out_size[0]))
        top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
        if top or left:  # a band of `top` rows on both sides, then `left` columns on both sides, as resize pads
            pads = b.int64s([0, top, left, 0, 0, top, left, 0], "pads")
            x = b.op("Pad", [x, pads, b.scalar(fill_value)], mode="constant")
            height, width = height + 2 * top, width + 2 * left
    for axis, (size_in, size_out) in ((1, (height, out_size[0])), (2, (width, out_size[1]))):
        if size_in != size_out or interpolation not in ("nearest", "bilinear", "bicubic"):
            matrix = b.constant(_axis_matrix(size_in, size_out, axis, interpolation, antialias), "resize")
            x = b.op("Einsum", [x, matrix], equation="nhwc,ho->nowc" if axis == 1 else "nhwc,wo->nhoc")
    return x


def _float_images(call):
    if not call.input_dtypes[0].startswith("float"):
        raise call.error(f"the export resizes float images; this input is {call.input_dtypes[0]}")
    return _as_float(call)


@register_converter(*_present("Resizing"))
def resizing(call):
    """Resizing (every interpolation, antialias, crop_to_aspect_ratio, pad_to_aspect_ratio)."""
    layer = call.layer
    return resize_images(call, _float_images(call), call.input_shape[1:3], (layer.height, layer.width),
                         layer.interpolation, layer.antialias, layer.crop_to_aspect_ratio, layer.pad_to_aspect_ratio,
                         layer.fill_value)


@register_converter(*_present("CenterCrop"))
def center_crop(call):
    """CenterCrop: the centered window, or (for a smaller image) a resize cropped to the aspect ratio."""
    layer, (height, width) = call.layer, call.input_shape[1:3]
    x = _as_float(call)
    if height is not None and width is not None and height >= layer.height and width >= layer.width:
        top, left = (height - layer.height) // 2, (width - layer.width) // 2
        return call.builder.slice(x, [top, left], [top + layer.height, left + layer.width], [1, 2])
    return resize_images(call, x, (height, width), (layer.height, layer.width), crop=True)


@register_converter(*_present("RandomCrop"))
def random_crop(call):
    """RandomCrop in inference: a bilinear resize cropped to the aspect ratio (no random window)."""
    layer = call.layer
    return resize_images(call, _as_float(call), call.input_shape[1:3], (layer.height, layer.width), crop=True)


@register_converter(*_present("AutoContrast"))
def auto_contrast(call):
    """AutoContrast: each image's channels stretched to the full value range (flat ones left as they are)."""
    b, (low_in, high_in) = call.builder, call.layer.value_range
    images = _as_float(call)
    scale_in = 255.0 / (float(high_in) - float(low_in))
    scaled = b.op("Mul", [b.op("Sub", [images, b.scalar(float(low_in))]), b.scalar(scale_in)])
    low, high = b.reduce("ReduceMin", scaled, [1, 2]), b.reduce("ReduceMax", scaled, [1, 2])
    spread = b.op("Sub", [high, low])
    flat = b.op("LessOrEqual", [spread, b.scalar(0.0)])
    scale = b.op("Div", [b.scalar(255.0), b.op("Where", [flat, b.scalar(1.0), spread])])
    stretched = b.op("Clip", [b.op("Mul", [b.op("Sub", [scaled, low]), scale]), b.scalar(0.0), b.scalar(255.0)])
    back = b.op("Add", [b.op("Mul", [stretched, b.scalar(1.0 / scale_in)]), b.scalar(float(low_in))])
    return b.op("Where", [flat, images, back])


def _encode(call, indices, depth, mode, count_weights=None):
    """CategoryEncoding's ``encode``: one-hot, multi-hot (max over the last input axis) or counts."""
    b, rank = call.builder, len(call.input_shape)
    if mode == "one_hot" and rank > 1 and call.input_shape[-1] == 1:
        indices = b.squeeze(indices, [-1])
    encoded = b.op("OneHot", [b.op("Cast", [indices], to=7), b.int64s([depth], "depth"),
                              b.constant([0.0, 1.0], "on_off")], axis=-1)
    if mode == "one_hot":
        return encoded
    if mode == "multi_hot":
        return b.reduce("ReduceMax", encoded, [-2], keepdims=False)
    if count_weights is not None:
        encoded = b.op("Mul", [encoded, b.unsqueeze(b.op("Cast", [count_weights], to=1), [-1])])
    return b.reduce("ReduceSum", encoded, [-2], keepdims=False)


@register_converter(*_present("CategoryEncoding"), call_arguments=("count_weights",))
def category_encoding(call):
    """CategoryEncoding: ONNX OneHot, then ReduceMax (multi_hot) or ReduceSum (count, optionally weighted)."""
    layer = call.layer
    return _encode(call, call.input, layer.num_tokens, layer.output_mode, call.kwargs.get("count_weights"))


@register_converter(*_present("Discretization"))
def discretization(call):
    """Discretization: the bin index is the number of boundaries <= x (``digitize``), then its encoding."""
    b, layer = call.builder, call.layer
    if layer.bin_boundaries is None:
        raise call.error("it has no bin boundaries yet (call `adapt` first)")
    if not layer.bin_boundaries:  # one bin: every index is 0
        zero = b.onnx.numpy_helper.from_array(np.zeros(1, np.int64))
        indices = b.op("ConstantOfShape", [b.op("Shape", [call.input])], value=zero)
    else:
        above = b.op("GreaterOrEqual", [b.unsqueeze(_as_float(call), [-1]),
                                        b.constant(layer.bin_boundaries, "bin_boundaries")])
        indices = b.reduce("ReduceSum", b.op("Cast", [above], to=7), [-1], keepdims=False)
    if layer.output_mode == "int":
        return b.op("Cast", [indices], to=6)
    return _encode(call, indices, len(layer.bin_boundaries) + 1, layer.output_mode)


@register_converter(*_present("Pipeline"))
def pipeline(call):
    """Pipeline: each layer's converter in turn."""
    from kerasette.export.registry import LayerCall, converter_for

    x, shape, dtype = call.input, call.input_shape, call.input_dtypes[0]
    for layer in call.layer.layers:
        converter, _ = converter_for(layer)
        out_shape = layer.compute_output_shape(shape)
        x = converter(LayerCall(call.builder, layer, [x], [shape], [dtype], [out_shape],
                                {v.name: v.numpy() for v in layer.weights}, {}))
        shape, dtype = out_shape, layer.dtype
    return x


_HOST = "it runs on the host with {what}, which has no ONNX operator"
for _name, _what in (("Hashing", "a string hash (FarmHash/SipHash)"), ("HashedCrossing", "a string hash"),
                     ("StringLookup", "a string vocabulary"), ("IntegerLookup", "a vocabulary lookup table"),
                     ("TextVectorization", "string splitting and a vocabulary"),
                     ("Equalization", "per-image histograms"),
                     ("ContrastLimitedAdaptiveHistogramEqualization", "per-tile histograms")):
    for _cls in _present(_name):
        mark_not_exportable(_cls, _HOST.format(what=_what))
mark_not_exportable(layers.MelSpectrogram, "its converter is not written yet (ONNX's STFT and MelWeightMatrix "
                                           "operators could express it)")
mark_not_exportable(layers.STFTSpectrogram, "its converter is not written yet (a strided Conv with its two kernels)")
