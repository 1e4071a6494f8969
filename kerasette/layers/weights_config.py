"""The config keys of the layers with a kernel (or several) and a bias: Dense and the convolutions."""

from kerasette import activations, constraints, initializers, regularizers


def weights_config(layer, kernels=("kernel",)):
    """The config entries of a layer's activation and weights, in Keras's key order.

    ``activation``, ``use_bias``, then each weight's initializer and regularizer, ``activity_regularizer``,
    and each weight's constraint.

    Args:
        layer: a layer with ``activation``, ``use_bias`` and ``<name>_initializer`` /
            ``<name>_regularizer`` / ``<name>_constraint`` attributes for each kernel name and ``bias``.
        kernels: the names of the kernel weights (``"kernel"``, or ``"depthwise"``, ``"pointwise"``).

    Returns:
        A dict to merge into the layer's ``get_config``.
    """
    names = tuple(kernels) + ("bias",)
    config = {"activation": activations.serialize(layer.activation), "use_bias": layer.use_bias}
    config.update({f"{n}_initializer": initializers.serialize(getattr(layer, f"{n}_initializer")) for n in names})
    config.update({f"{n}_regularizer": regularizers.serialize(getattr(layer, f"{n}_regularizer")) for n in names})
    config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    config.update({f"{n}_constraint": constraints.serialize(getattr(layer, f"{n}_constraint")) for n in names})
    return config
