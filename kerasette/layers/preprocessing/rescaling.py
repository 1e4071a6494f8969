"""Rescaling: multiply inputs by ``scale`` and add ``offset`` (e.g. pixel values to [0, 1])."""

import numbers

import numpy as np

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.validation import invalid


def _check_factor(layer, argument, value):
    """A number or an array of numbers (per channel), as the config stores it (a float or a list)."""
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":  # Keras's config of an array
        value = np.array(value["config"]["value"], dtype=value["config"].get("dtype"))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    array = np.asarray(value.numpy() if isinstance(value, ops.Tensor) else value)
    if array.dtype.kind not in "iuf" or array.size == 0 or not np.all(np.isfinite(array)):
        raise invalid(layer, argument, "a number or an array of numbers (broadcast against the last axes)", value)
    return array.astype(np.float64).tolist()


class Rescaling(Layer):
    """A preprocessing layer which rescales input values to a new range: ``inputs * scale + offset``.

    Integer inputs (e.g. uint8 images) are cast to the layer's dtype first. ``scale`` and ``offset``
    may be arrays that broadcast against the last axes (one value per channel). The layer is
    differentiable and active in training and inference alike.

    Args:
        scale: the scale to apply to the inputs: a float or an array (e.g. one value per channel).
        offset: the offset to apply after scaling: a float or an array.
        **kwargs: base layer arguments (``name``, ``dtype``...).

    Input shape:
        Any.

    Output shape:
        The input's shape (broadcast against ``scale`` and ``offset``).

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Rescaling(1.0 / 127.5, offset=-1.0)(np.array([0, 255], "uint8")).numpy().tolist()
        [-1.0, 1.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _check_factor(self, "scale", scale)
        self.offset = _check_factor(self, "offset", offset)

    def call(self, inputs):
        x = ops.cast(inputs, self.dtype) if inputs.dtype != self.dtype else inputs
        scale = ops.convert_to_tensor(np.asarray(self.scale, dtype=self.dtype))
        offset = ops.convert_to_tensor(np.asarray(self.offset, dtype=self.dtype))
        return ops.add(ops.multiply(x, scale), offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
