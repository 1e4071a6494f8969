"""ResNetSmall: a small residual network (He et al., 2015) for 28x28 grayscale images.

A 3x3 stem (16 filters, BatchNormalization, ReLU, 2x2 max pooling), then three basic residual
blocks of 16, 32 and 64 filters (the last two with stride 2 and a 1x1 projection shortcut): each
block is conv-BN-ReLU-conv-BN, added to its shortcut with ``Add``, then ReLU. Global average
pooling feeds the classifier, so the network takes any image size of at least 8x8.
"""

from kerasette.applications import _common

WEIGHTS_FILE = "resnet_small_fashion_mnist.weights.h5"
WEIGHTS_SHA256 = "eb4985634ad362cb2839e18df555d8312252b58aa625ff9f11739b060ad40735"
TEST_ACCURACY = 0.9217  # top-1 on the Fashion-MNIST test set, measured by applications/evaluate.py
MIN_SIZE = 8
STAGES = ((16, 1), (32, 2), (64, 2))  # (filters, stride) of each residual block


def _block(x, filters, stride, name):
    from kerasette import layers

    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(name=name + "_0_bn")(shortcut)
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(name=name + "_1_bn")(x)
    x = layers.ReLU(name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=name + "_2_conv")(x)
    x = layers.BatchNormalization(name=name + "_2_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.ReLU(name=name + "_out")(x)


# The docstring is the shared template, filled in below (ResNetSmall.__doc__ = _common.builder_doc(...)).
def ResNetSmall(include_top=True, weights="fashion_mnist", input_tensor=None, input_shape=None, pooling=None,  # noqa: D103
                classes=10, classifier_activation="softmax", name="resnet_small"):
    from kerasette import Model, layers

    pretrained = _common.check_arguments("ResNetSmall", include_top, weights, input_tensor, input_shape,
                                         pooling, classes, classifier_activation)
    shape = _common.resolve_input_shape("ResNetSmall", input_shape, input_tensor, pretrained, include_top,
                                        MIN_SIZE, fixed_size=False)
    img_input, inputs = _common.model_input(shape, input_tensor)
    x = layers.Conv2D(16, 3, padding="same", use_bias=False, name="conv1_conv")(img_input)
    x = layers.BatchNormalization(name="conv1_bn")(x)
    x = layers.ReLU(name="conv1_relu")(x)
    x = layers.MaxPooling2D(2, name="pool1_pool")(x)
    for stage, (filters, stride) in enumerate(STAGES, start=2):
        x = _block(x, filters, stride, name=f"conv{stage}_block1")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooling_head(x, pooling)
    model = Model(inputs, x, name=name)
    return _common.load_weights(model, weights, _reference, WEIGHTS_FILE, WEIGHTS_SHA256)


ResNetSmall.__doc__ = _common.builder_doc(
    "ResNetSmall",
    "global average pooling and the ``classes``-way dense classifier",
    _common.ANY_SIZE,
    64,
)


def _reference():
    return ResNetSmall(weights=None)


def preprocess_input(x, data_format=None):
    """Standardize pixel values for ResNetSmall with the Fashion-MNIST training-set statistics.

    Args:
        x: images with pixel values in [0, 255] (uint8 or float), shaped (N, H, W), (N, H, W, 1),
            (H, W) or (N, H, W, 3) for a 3-channel model.
        data_format: only ``None`` or ``"channels_last"``.

    Returns:
        float32 array ``(x / 255 - 0.2860) / 0.3530`` (about [-0.81, 2.02]), with a channel axis added to
        grayscale input.
    """
    _common.check_data_format(data_format)
    unit = _common.to_unit_range(x, "resnet_small")
    return (unit - _common.FASHION_MNIST_MEAN) / _common.FASHION_MNIST_STD


# The docstring is _common.decode_predictions's, copied below.
def decode_predictions(preds, top=5):  # noqa: D103
    return _common.decode_predictions(preds, top=top)


decode_predictions.__doc__ = _common.decode_predictions.__doc__
