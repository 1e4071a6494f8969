"""MobileNetSmall: a small MobileNet (Howard et al., 2017) for 28x28 grayscale images.

A 3x3 convolution (16 filters), then five depthwise-separable blocks: a 3x3 ``DepthwiseConv2D``
and a 1x1 pointwise ``Conv2D``, each followed by BatchNormalization and ReLU6, with 32, 32, 64, 64
and 128 filters (the first and third with stride 2, so the blocks work at 14x14 and 7x7). Global
average pooling, dropout and the classifier follow, so the network takes any image size of at least
8x8.
"""

from kerasette.applications import _common

WEIGHTS_FILE = "mobilenet_small_fashion_mnist.weights.h5"
WEIGHTS_SHA256 = "77755070fed7d13a9b79a2b443da4e0aa2b41d447ba6925dcb9f0c861d73a09e"
TEST_ACCURACY = 0.9019  # top-1 on the Fashion-MNIST test set, measured by applications/evaluate.py
MIN_SIZE = 8
BLOCKS = ((32, 2), (32, 1), (64, 2), (64, 1), (128, 1))  # (pointwise filters, depthwise stride)


def _separable_block(x, filters, stride, block_id):
    from kerasette import layers

    x = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(filters, 1, use_bias=False, name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


# The docstring is the shared template, filled in below (MobileNetSmall.__doc__ = _common.builder_doc(...)).
def MobileNetSmall(include_top=True, weights="fashion_mnist", input_tensor=None, input_shape=None,  # noqa: D103
                   pooling=None, classes=10, classifier_activation="softmax", name="mobilenet_small"):
    from kerasette import Model, layers

    pretrained = _common.check_arguments("MobileNetSmall", include_top, weights, input_tensor, input_shape,
                                         pooling, classes, classifier_activation)
    shape = _common.resolve_input_shape("MobileNetSmall", input_shape, input_tensor, pretrained, include_top,
                                        MIN_SIZE, fixed_size=False)
    img_input, inputs = _common.model_input(shape, input_tensor)
    x = layers.Conv2D(16, 3, padding="same", use_bias=False, name="conv1")(img_input)
    x = layers.BatchNormalization(name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(BLOCKS, start=1):
        x = _separable_block(x, filters, stride, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="global_average_pooling2d")(x)
        x = layers.Dropout(0.2, name="dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooling_head(x, pooling)
    model = Model(inputs, x, name=name)
    return _common.load_weights(model, weights, _reference, WEIGHTS_FILE, WEIGHTS_SHA256)


MobileNetSmall.__doc__ = _common.builder_doc(
    "MobileNetSmall",
    "global average pooling, dropout and the ``classes``-way classifier",
    _common.ANY_SIZE,
    128,
)


def _reference():
    return MobileNetSmall(weights=None)


def preprocess_input(x, data_format=None):
    """Scale pixel values for MobileNetSmall to [-1, 1], as Keras's MobileNet does.

    Args:
        x: images with pixel values in [0, 255] (uint8 or float), shaped (N, H, W), (N, H, W, 1),
            (H, W) or (N, H, W, 3) for a 3-channel model.
        data_format: only ``None`` or ``"channels_last"``.

    Returns:
        float32 array ``x / 127.5 - 1`` in [-1, 1], with a channel axis added to grayscale input.
    """
    _common.check_data_format(data_format)
    return _common.to_unit_range(x, "mobilenet_small") * 2.0 - 1.0


# The docstring is _common.decode_predictions's, copied below.
def decode_predictions(preds, top=5):  # noqa: D103
    return _common.decode_predictions(preds, top=top)


decode_predictions.__doc__ = _common.decode_predictions.__doc__
