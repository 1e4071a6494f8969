"""The config keys of the layers with a kernel (or several) and a bias: Dense and the convolutions."""

from kerasette import activations, initializers, regularizers


def weights_config(layer, kernels=("kernel",)):
    """``activation``, ``use_bias`` and each weight's initializer, regularizer and (unsupported, so None)
    constraint, in Keras's key order; ``kernels`` names the kernel weights (``"kernel"``, ``"depthwise"``...)."""
    names = tuple(kernels) + ("bias",)
    config = {"activation": activations.serialize(layer.activation), "use_bias": layer.use_bias}
    config.update({f"{n}_initializer": initializers.serialize(getattr(layer, f"{n}_initializer")) for n in names})
    config.update({f"{n}_regularizer": regularizers.serialize(getattr(layer, f"{n}_regularizer")) for n in names})
    config["activity_regularizer"] = None
    config.update({f"{n}_constraint": None for n in names})
    return config
