"""Small models for the saving tests, written once against the Keras API.

Each builder takes the library module (``kerasette`` or ``keras``), so the
interop tests build the very same architecture on both sides.
"""

import numpy as np


def mlp(K):
    layers = K.layers
    return K.Sequential([K.Input((6,)), layers.Dense(16, activation="relu"), layers.Dense(8, activation="tanh"),
                         layers.Dense(3, activation="softmax")], name="mlp")


def cnn(K):
    layers = K.layers
    return K.Sequential([
        K.Input((8, 8, 2)),
        layers.Conv2D(4, 3, padding="same"),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(6, 3, activation="relu"),
        layers.AveragePooling2D(2),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ], name="cnn")


def branches(K):
    """Add, Concatenate and GlobalAveragePooling2D, with branches of different depths."""
    layers = K.layers
    image = K.Input((8, 8, 3), name="image")
    deep = layers.Conv2D(4, 3, padding="same", activation="relu", name="deep_a")(image)
    deep = layers.Conv2D(4, 3, padding="same", name="deep_b")(deep)
    short = layers.Conv2D(4, 1, name="short")(image)
    added = layers.Add(name="add")([short, deep])
    joined = layers.Concatenate(name="concat")([added, short])
    pooled = layers.GlobalAveragePooling2D(name="gap")(joined)
    return K.Model(image, layers.Dense(3, activation="softmax", name="head")(pooled), name="branches")


def separable(K):
    """A MobileNet-style depthwise-separable block with ReLU6."""
    layers = K.layers
    image = K.Input((8, 8, 3), name="image")
    x = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, name="dw")(image)
    x = layers.BatchNormalization(name="dw_bn")(x)
    x = layers.ReLU(6.0, name="dw_relu6")(x)
    x = layers.Conv2D(8, 1, name="pw")(x)
    x = layers.BatchNormalization(name="pw_bn")(x)
    x = layers.ReLU(6.0, name="pw_relu6")(x)
    x = layers.SeparableConv2D(6, 3, padding="same", name="sep")(x)
    x = layers.ReLU(6.0, name="sep_relu6")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return K.Model(image, layers.Dense(3, activation="softmax", name="head")(x), name="separable")


def two_outputs(K):
    layers = K.layers
    features = K.Input((5,), name="features")
    hidden = layers.Dense(8, activation="relu", name="hidden")(features)
    cls = layers.Dense(3, activation="softmax", name="cls")(hidden)
    reg = layers.Dense(1, name="reg")(hidden)
    return K.Model(features, [cls, reg], name="two_outputs")


def nested(K):
    """A Sequential model used as a layer of a functional model."""
    layers = K.layers
    inner = K.Sequential([K.Input((6,)), layers.Dense(5, activation="relu", name="inner_a"),
                          layers.BatchNormalization(name="inner_bn"), layers.Dense(4, name="inner_b")], name="inner")
    features = K.Input((6,), name="features")
    joined = layers.Concatenate(name="cat")([inner(features), features])
    return K.Model(features, layers.Dense(2, name="head")(joined), name="nested")


BUILDERS = {"mlp": mlp, "cnn": cnn, "branches": branches, "separable": separable, "two_outputs": two_outputs,
            "nested": nested}
INPUT_SHAPES = {"mlp": (6,), "cnn": (8, 8, 2), "branches": (8, 8, 3), "separable": (8, 8, 3), "two_outputs": (5,),
                "nested": (6,)}


def inputs_for(name, n=5, seed=0):
    return np.random.default_rng(seed).normal(size=(n,) + INPUT_SHAPES[name]).astype("float32")


def randomize(model, seed=0):
    """Give every weight a distinctive value (BN statistics positive), the same way in Keras and kerasette."""
    rng = np.random.default_rng(seed)

    def visit(layers):
        for layer in layers:
            if hasattr(layer, "layers"):  # a nested model
                visit(layer.layers)
                continue
            weights = layer.get_weights()
            positive = type(layer).__name__ == "BatchNormalization"
            fresh = [rng.uniform(0.5, 1.5, w.shape) if positive else rng.normal(0, 0.4, w.shape) for w in weights]
            layer.set_weights([f.astype(w.dtype) for f, w in zip(fresh, weights)])

    visit(model.layers)
    return model


def predictions(model, x):
    out = model.predict(x, verbose=0)
    return [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]


def max_abs_diff(preds_a, preds_b):
    assert len(preds_a) == len(preds_b)
    assert all(np.isfinite(p).all() for p in list(preds_a) + list(preds_b))
    return max(float(np.max(np.abs(p - q))) for p, q in zip(preds_a, preds_b))
