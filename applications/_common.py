"""What every bundled application shares: argument checks, the input, the pooling head, weights, labels.

The pretrained weights are package data (``applications/weights/*.weights.h5``), so they load
offline. Each file is checked against the sha256 its builder module records before it is opened.
A pretrained model is built by loading the shipped file into the reference architecture (28x28x1
input, classifier on top) and copying each layer's weights by name into the requested model, which
is how ``include_top=False``, other input sizes and 3-channel inputs reuse the same file.
"""

import hashlib
import os

import numpy as np

WEIGHTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights")
PRETRAINED = "fashion_mnist"
DEFAULT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

# Pixel statistics of the Fashion-MNIST training set, on the [0, 1] scale.
FASHION_MNIST_MEAN = 0.2860
FASHION_MNIST_STD = 0.3530


# ----- the builders' docstring ------------------------------------------------------------------
_BUILDER_DOC = """Instantiate {title}, optionally with weights trained on Fashion-MNIST (shipped, offline).

    Args:
        include_top: whether to include {top}.
        weights: ``None`` (random initialization), ``"fashion_mnist"`` (the bundled weights) or the path
            of a weights file to load.
        input_tensor: optional symbolic tensor (from ``kerasette.Input``) to use as the image input.
        input_shape: ``(height, width, channels)``, default ``(28, 28, 1)``; {sizes}
        pooling: with ``include_top=False``: ``None`` (the 4-D feature map), ``"avg"`` or ``"max"``
            (global pooling to a vector of {features}).
        classes: number of classes when ``include_top=True`` (10 with the bundled weights).
        classifier_activation: activation of the last layer (``"softmax"`` or ``None`` for logits with
            pretrained weights).
        name: the model's name.

    Returns:
        A functional ``Model``.

    Raises:
        ValueError: an invalid combination of arguments (see ``check_arguments``).
    """


ANY_SIZE = "at least 8x8, any size with\n            the bundled weights (channels 1 or 3)."


def builder_doc(title, top, sizes, features):
    """The docstring of an application builder: the arguments are Keras's, only these details differ."""
    return _BUILDER_DOC.format(title=title, top=top, sizes=sizes, features=features)


# ----- arguments ------------------------------------------------------------------------------
def check_arguments(name, include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation):
    """Validate the Keras application arguments; returns ``pretrained`` (True for the bundled weights).

    Raises:
        ValueError / TypeError: with the argument's name, what is expected and what was received.
    """
    if not isinstance(include_top, bool):
        raise TypeError(f"Invalid value for argument `include_top` of `{name}`. Expected a bool. "
                        f"Received: include_top={include_top!r}")
    pretrained = weights == PRETRAINED
    if not (weights is None or pretrained or (isinstance(weights, (str, os.PathLike))
                                               and os.path.exists(weights))):
        raise ValueError(
            f"The `weights` argument of `{name}` should be either `None` (random initialization), "
            f"'{PRETRAINED}' (pre-training on Fashion-MNIST, shipped with kerasette), or the path to an "
            f"existing weights file. Received: weights={weights!r}"
        )
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 1:
        raise ValueError(f"Invalid value for argument `classes` of `{name}`. Expected a positive int. "
                         f"Received: classes={classes!r}")
    if pretrained and include_top and classes != NUM_CLASSES:
        raise ValueError(
            f"If using `weights='{PRETRAINED}'` with `include_top=True`, `classes` should be {NUM_CLASSES} "
            f"(the Fashion-MNIST classes). Received: classes={classes}. To train a new classifier on "
            f"{classes} classes, use `include_top=False` and add your own head (see "
            "examples/transfer_learning.py), or pass `weights=None`."
        )
    if pooling not in (None, "avg", "max"):
        raise ValueError(f"Invalid value for argument `pooling` of `{name}`. Expected None, 'avg' or 'max'. "
                         f"Received: pooling={pooling!r}")
    if weights is not None and include_top and classifier_activation not in (None, "softmax"):
        raise ValueError(
            f"Only `None` and 'softmax' are allowed for `classifier_activation` of `{name}` when loading "
            f"pretrained weights. Received: classifier_activation={classifier_activation!r}"
        )
    if input_tensor is not None and not _is_symbolic(input_tensor):
        raise TypeError(f"Invalid value for argument `input_tensor` of `{name}`. Expected a symbolic tensor "
                        f"from `kerasette.Input` (or a layer called on one). Received: {input_tensor!r}")
    return pretrained


def _is_symbolic(tensor):
    from kerasette.layers.node import KerasTensor

    return isinstance(tensor, KerasTensor)


def resolve_input_shape(name, input_shape, input_tensor, pretrained, include_top, min_size, fixed_size):
    """The (height, width, channels) the model takes, checked against what the architecture allows.

    Args:
        name: the builder's name, for messages.
        input_shape: the ``input_shape`` argument, or None.
        input_tensor: the ``input_tensor`` argument, or None.
        pretrained: whether the bundled weights will be loaded.
        include_top: the ``include_top`` argument.
        min_size: the smallest height and width the architecture accepts.
        fixed_size: True when the classifier sees a flattened feature map, so pretrained weights with
            ``include_top=True`` need the 28x28 size they were trained on.

    Returns:
        The shape, ``(28, 28, 1)`` when neither ``input_shape`` nor ``input_tensor`` gives one.

    Raises:
        ValueError: for a malformed shape, one that disagrees with ``input_tensor``, one below
            ``min_size``, or one the pretrained weights cannot take.
    """
    if input_shape is None and input_tensor is not None:
        input_shape = tuple(input_tensor.shape[1:])
    if input_shape is None:
        return DEFAULT_SHAPE
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = None
    if shape is None or len(shape) != 3 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in shape):
        raise ValueError(f"Invalid value for argument `input_shape` of `{name}`. Expected a tuple "
                         f"(height, width, channels) of positive ints. Received: input_shape={input_shape!r}")
    shape = tuple(int(s) for s in shape)
    if input_tensor is not None and tuple(input_tensor.shape[1:]) != shape:
        raise ValueError(f"`input_shape` {shape} of `{name}` does not match the shape of `input_tensor` "
                         f"{tuple(input_tensor.shape[1:])}.")
    height, width, channels = shape
    if height < min_size or width < min_size:
        raise ValueError(f"Input size must be at least {min_size}x{min_size} for `{name}`. "
                         f"Received: input_shape={shape}")
    if pretrained:
        if channels not in (1, 3):
            raise ValueError(
                f"The '{PRETRAINED}' weights of `{name}` take 1 channel (grayscale) or 3 (the grayscale filters "
                f"repeated over RGB). Received: input_shape={shape}. Pass `weights=None` for other inputs."
            )
        if include_top and fixed_size and (height, width) != DEFAULT_SHAPE[:2]:
            raise ValueError(
                f"When setting `include_top=True` and loading '{PRETRAINED}' weights, `input_shape` of `{name}` "
                f"should have a 28x28 image size (its classifier reads a flattened feature map). Received: "
                f"input_shape={shape}. Use `include_top=False` for other sizes."
            )
    return shape


def model_input(input_shape, input_tensor):
    """``(img_input, model_inputs)``: the tensor layers are called on, and what the Model is built from."""
    import kerasette

    if input_tensor is None:
        tensor = kerasette.Input(shape=input_shape, name="input_layer")
        return tensor, tensor
    return input_tensor, source_inputs(input_tensor)


def source_inputs(tensor):
    """The ``Input`` tensors ``tensor`` was computed from (``keras.utils.get_source_inputs``)."""
    from kerasette.layers.input_layer import InputLayer

    found, stack = [], [tensor]
    while stack:
        current = stack.pop()
        layer, node_index, _ = current.history
        if isinstance(layer, InputLayer):
            if not any(current is seen for seen in found):
                found.append(current)
            continue
        stack.extend(reversed(layer._inbound_nodes[node_index].input_tensors))
    return found[0] if len(found) == 1 else found


def pooling_head(x, pooling, prefix=""):
    """``include_top=False``: the feature map, or a vector with ``pooling="avg"|"max"``."""
    from kerasette import layers

    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=prefix + "avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=prefix + "max_pool")(x)
    return x


# ----- weights --------------------------------------------------------------------------------
def sha256_of(path):
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified_weights_path(file_name, sha256):
    """The path of a shipped weights file after checking its sha256.

    Raises:
        FileNotFoundError: the file is not in the installed package.
        ValueError: the file's bytes are not the ones kerasette was released with.
    """
    path = os.path.join(WEIGHTS_DIR, file_name)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"The pretrained weights file {file_name!r} is missing from {WEIGHTS_DIR}. It ships inside the "
            "kerasette package; reinstall kerasette (or run applications/training/train.py to rebuild it)."
        )
    actual = sha256_of(path)
    if actual != sha256:
        raise ValueError(
            f"The pretrained weights file {path} is corrupted or was replaced: its sha256 is {actual}, "
            f"expected {sha256}. Reinstall kerasette; nothing was loaded."
        )
    return path


def load_pretrained(model, reference_builder, file_name, sha256):
    """Copy the shipped weights into ``model`` layer by layer (matched by name).

    ``reference_builder()`` builds the architecture the file was saved from (28x28x1, with its top).
    A first convolution that sees 3 channels gets the grayscale kernel repeated over them and divided
    by 3, so an RGB image of a gray picture gives the same features as the picture itself.
    """
    path = verified_weights_path(file_name, sha256)
    reference = reference_builder()
    reference.load_weights(path)
    source = {layer.name: layer for layer in reference.layers}
    for layer in model.layers:
        if not layer.weights or layer.name not in source:
            continue  # layers of the caller's own, in front of ``input_tensor``, keep their weights
        values = source[layer.name].get_weights()
        targets = layer.get_weights()
        if values and targets and values[0].ndim == 4 and values[0].shape[2] != targets[0].shape[2]:
            values = [_repeat_channels(values[0], targets[0].shape[2])] + values[1:]
        layer.set_weights(values)
    return model


def _repeat_channels(kernel, channels):
    """A (kh, kw, 1, out) kernel spread over ``channels`` input channels, with the same response to gray."""
    if kernel.shape[2] != 1:
        raise ValueError(f"Cannot adapt a kernel with {kernel.shape[2]} input channels to {channels}.")
    return np.repeat(kernel, channels, axis=2) / np.float32(channels)


def load_weights(model, weights, reference_builder, file_name, sha256):
    """Apply the ``weights`` argument: the shipped file, a user's file, or nothing for ``None``."""
    if weights == PRETRAINED:
        return load_pretrained(model, reference_builder, file_name, sha256)
    if weights is not None:
        model.load_weights(os.fspath(weights))
    return model


# ----- inputs and outputs -----------------------------------------------------------------------
def check_data_format(data_format):
    if data_format not in (None, "channels_last"):
        raise ValueError("Invalid value for argument `data_format`. kerasette applications are channels_last; "
                         f"expected None or 'channels_last'. Received: data_format={data_format!r}")


def to_unit_range(x, name):
    """Pixel values in [0, 255] as float32 in [0, 1], with a channel axis added to (N, H, W) input."""
    array = np.asarray(x)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"`{name}.preprocess_input` expects numeric pixel values. Received dtype {array.dtype}.")
    if array.ndim == 2 or array.ndim == 3 and array.shape[-1] not in (1, 3):
        array = array[..., None]  # (H, W) or (N, H, W) grayscale
    if array.ndim not in (3, 4):
        raise ValueError(f"`{name}.preprocess_input` expects images of shape (H, W), (N, H, W), (H, W, C) or "
                         f"(N, H, W, C). Received shape {array.shape}.")
    return array.astype("float32") / np.float32(255.0)


def decode_predictions(preds, top=5):
    """The ``top`` most likely Fashion-MNIST classes of each prediction.

    Args:
        preds: array of shape (samples, 10): probabilities (or logits) from a model with ``include_top=True``.
        top: how many classes to return per sample (1 to 10).

    Returns:
        A list with one list per sample of ``(class_index, class_name, score)`` tuples, best first.

    Raises:
        ValueError: ``preds`` is not a batch of 10 scores, or ``top`` is out of range.
    """
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != NUM_CLASSES:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, {NUM_CLASSES})). Received array with shape: {preds.shape}")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or not 1 <= top <= NUM_CLASSES:
        raise ValueError(f"Invalid value for argument `top`. Expected an int in [1, {NUM_CLASSES}]. "
                         f"Received: top={top!r}")
    results = []
    for row in preds:
        order = np.argsort(-row, kind="stable")[:top]
        results.append([(int(i), CLASS_NAMES[i], float(row[i])) for i in order])
    return results
