"""Identity: returns its inputs unchanged (a placeholder layer)."""

from kerasette.layers.layer import Layer


class Identity(Layer):
    """Identity layer: returns its inputs unchanged.

    Useful as a placeholder, e.g. to keep a model's structure when a block is switched off.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape, or a list of tensors.

    Output shape:
        The same as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layers.Identity()(np.array([1.0, 2.0])).numpy().tolist()
        [1.0, 2.0]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
