"""LeNet-5 (LeCun et al., 1998) for 28x28 grayscale images, with ReLU and max pooling.

Two 5x5 convolutions (6 and 16 filters, each followed by 2x2 max pooling) and a 120-84-10
classifier: the classic layout, with the rectifiers and max pooling modern re-implementations use.
"""

from kerasette.applications import _common

WEIGHTS_FILE = "lenet5_fashion_mnist.weights.h5"
WEIGHTS_SHA256 = "fcef6f4b1d313dfab1cea372fbaecbb9b066793166af91792157838bc360012d"
TEST_ACCURACY = 0.9029  # top-1 on the Fashion-MNIST test set, measured by applications/evaluate.py
MIN_SIZE = 12


# The docstring is the shared template, filled in below (LeNet5.__doc__ = _common.builder_doc(...)).
def LeNet5(include_top=True, weights="fashion_mnist", input_tensor=None, input_shape=None, pooling=None,  # noqa: D103
           classes=10, classifier_activation="softmax", name="lenet5"):
    from kerasette import Model, layers

    pretrained = _common.check_arguments("LeNet5", include_top, weights, input_tensor, input_shape, pooling,
                                         classes, classifier_activation)
    shape = _common.resolve_input_shape("LeNet5", input_shape, input_tensor, pretrained, include_top,
                                        MIN_SIZE, fixed_size=True)
    img_input, inputs = _common.model_input(shape, input_tensor)
    x = layers.Conv2D(6, 5, padding="same", activation="relu", name="conv1")(img_input)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(16, 5, activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(2, name="pool2")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(120, activation="relu", name="fc1")(x)
        x = layers.Dense(84, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.pooling_head(x, pooling)
    model = Model(inputs, x, name=name)
    return _common.load_weights(model, weights, _reference, WEIGHTS_FILE, WEIGHTS_SHA256)


LeNet5.__doc__ = _common.builder_doc(
    "LeNet-5",
    "the 120-84-``classes`` classifier",
    "at least 12x12. With\n"
    '            ``weights="fashion_mnist"`` the channels are 1 or 3, and with ``include_top=True`` the size is\n'
    "            28x28 (the classifier reads the flattened 5x5x16 feature map).",
    16,
)


def _reference():
    """The architecture the bundled weights were saved from (28x28x1, with its top)."""
    return LeNet5(weights=None)


def preprocess_input(x, data_format=None):
    """Scale pixel values for LeNet-5.

    Args:
        x: images with pixel values in [0, 255] (uint8 or float), shaped (N, 28, 28), (N, 28, 28, 1),
            (28, 28) or (N, H, W, 3) for a 3-channel model.
        data_format: only ``None`` or ``"channels_last"``.

    Returns:
        float32 array in [0, 1] (``x / 255``), with a channel axis added to grayscale input.
    """
    _common.check_data_format(data_format)
    return _common.to_unit_range(x, "lenet5")


# The docstring is _common.decode_predictions's, copied below.
def decode_predictions(preds, top=5):  # noqa: D103
    return _common.decode_predictions(preds, top=top)


decode_predictions.__doc__ = _common.decode_predictions.__doc__
