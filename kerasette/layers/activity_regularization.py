"""ActivityRegularization: adds an L1/L2 penalty on its inputs to the model's loss, returns them unchanged."""

from kerasette import regularizers
from kerasette.layers.layer import Layer


class ActivityRegularization(Layer):
    """Layer that applies an update to the cost function based on input activity.

    Returns its inputs unchanged and adds ``l1 * sum(|x|) + l2 * sum(x ** 2)`` (the activity regularization of
    the base ``Layer``, with an ``L1L2`` regularizer) to ``losses`` at every call; ``fit`` adds it to the loss.

    Args:
        l1: float >= 0, the L1 factor. Defaults to 0.
        l2: float >= 0, the L2 factor. Defaults to 0.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        A tensor of any shape.

    Output shape:
        The same shape as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.ActivityRegularization(l1=0.1)
        >>> layer(np.array([[1.0, -2.0]])).numpy().tolist(), len(layer.losses)
        ([[1.0, -2.0]], 1)
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # the layer's own, from l1 and l2
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = self.activity_regularizer.l1, self.activity_regularizer.l2

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {**super().get_config(), "l1": self.l1, "l2": self.l2}
        config.pop("activity_regularizer", None)
        return config
