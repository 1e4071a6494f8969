"""VGGSmall: a VGG-style network (Simonyan & Zisserman, 2014) sized for 28x28 grayscale images.

Two blocks of two 3x3 convolutions (16 then 32 filters), each convolution followed by
BatchNormalization and ReLU, each block by 2x2 max pooling; then a dropout, a 128-unit dense layer,
a dropout and the classifier.
"""

from kerasette.applications import _common

WEIGHTS_FILE = "vgg_small_fashion_mnist.weights.h5"
WEIGHTS_SHA256 = "ec20932e4edee15fd1e8d306bd299d7cb6850f0bcc94c6b948f45342862f01cf"
TEST_ACCURACY = 0.9199  # top-1 on the Fashion-MNIST test set, measured by applications/evaluate.py
MIN_SIZE = 4
FILTERS = (16, 32)


# The docstring is the shared template, filled in below (VGGSmall.__doc__ = _common.builder_doc(...)).
def VGGSmall(include_top=True, weights="fashion_mnist", input_tensor=None, input_shape=None, pooling=None,  # noqa: D103
             classes=10, classifier_activation="softmax", name="vgg_small"):
    from kerasette import Model, layers

    pretrained = _common.check_arguments("VGGSmall", include_top, weights, input_tensor, input_shape, pooling,
                                         classes, classifier_activation)
    shape = _common.resolve_input_shape("VGGSmall", input_shape, input_tensor, pretrained, include_top,
                                        MIN_SIZE, fixed_size=True)
    img_input, inputs = _common.model_input(shape, input_tensor)
    x = img_input
    for block, filters in enumerate(FILTERS, start=1):
        for conv in (1, 2):
            prefix = f"block{block}_"
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{prefix}conv{conv}")(x)
            x = layers.BatchNormalization(name=f"{prefix}bn{conv}")(x)
            x = layers.ReLU(name=f"{prefix}relu{conv}")(x)
        x = layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dropout(0.3, name="dropout1")(x)
        x = layers.Dense(128, activation="relu", name="fc1")(x)
        x = layers.Dropout(0.3, name="dropout2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooling_head(x, pooling)
    model = Model(inputs, x, name=name)
    return _common.load_weights(model, weights, _reference, WEIGHTS_FILE, WEIGHTS_SHA256)


VGGSmall.__doc__ = _common.builder_doc(
    "VGGSmall",
    "the dense classifier (flatten, 128 units, ``classes`` outputs)",
    "at least 4x4. With\n"
    '            ``weights="fashion_mnist"`` the channels are 1 or 3, and with ``include_top=True`` the size is\n'
    "            28x28 (the classifier reads the flattened 7x7x32 feature map).",
    32,
)


def _reference():
    return VGGSmall(weights=None)


def preprocess_input(x, data_format=None):
    """Scale pixel values for VGGSmall.

    Args:
        x: images with pixel values in [0, 255] (uint8 or float), shaped (N, H, W), (N, H, W, 1),
            (H, W) or (N, H, W, 3) for a 3-channel model.
        data_format: only ``None`` or ``"channels_last"``.

    Returns:
        float32 array in [0, 1] (``x / 255``), with a channel axis added to grayscale input.
    """
    _common.check_data_format(data_format)
    return _common.to_unit_range(x, "vgg_small")


# The docstring is _common.decode_predictions's, copied below.
def decode_predictions(preds, top=5):  # noqa: D103
    return _common.decode_predictions(preds, top=top)


decode_predictions.__doc__ = _common.decode_predictions.__doc__
