"""Masking: marks the timesteps whose features all equal ``mask_value`` as padding."""

from kerasette import ops
from kerasette.layers.layer import Layer


class Masking(Layer):
    """Masks a sequence's timesteps whose every feature equals ``mask_value``.

    The output is the input with those timesteps set to 0, and it carries a mask
    (True where a timestep is kept) that mask-aware layers downstream use: recurrent
    layers skip the masked steps, ``GlobalAveragePooling1D`` averages over the kept
    ones, losses and metrics leave them out.

    Args:
        mask_value: the value that marks a padding timestep. Defaults to 0.0.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Input shape:
        A tensor of rank >= 2, ``(batch_size, timesteps, features)`` typically.

    Output shape:
        The same as the input.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
        >>> out = layers.Masking(mask_value=0.0)(x)
        >>> out._keras_mask.numpy().tolist()
        [[True, False, True]]
    """

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = ops.multiply(inputs, ops.cast(keep, inputs.dtype))
        outputs._keras_mask = ops.squeeze(keep, axis=-1)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
