"""TimeDistributed: apply a layer to every temporal slice of an input."""

from kerasette import ops
from kerasette.layers.batch_normalization import BatchNormalization
from kerasette.layers.layer import Layer
from kerasette.layers.rnn import nesting
from kerasette.layers.wrapper import Wrapper


def _shape(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ")"


class TimeDistributed(Wrapper):
    """This wrapper allows to apply a layer to every temporal slice of an input.

    Every input should be at least 3D, and the dimension of index one of the first input will be
    considered to be the temporal dimension: ``(batch, timesteps, ...)`` gives ``(batch, timesteps,
    ...layer's output)``, the same layer (and weights) for every step. The steps run as one call of
    the layer on ``(batch * timesteps, ...)``, which gives the numbers of Keras's loop over steps;
    a ``BatchNormalization`` in training, and a layer taking a ``mask`` when a mask comes, run step
    by step as in Keras (their results depend on what a call sees together).

    Args:
        layer: a ``Layer`` instance.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Call arguments:
        inputs: a tensor of shape (batch, timesteps, ...).
        training: passed to the layer if it takes it.
        mask: optional (batch, timesteps) boolean tensor, passed to the layer if it takes one.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> frames = np.ones((4, 10, 8, 8, 3), "float32")
        >>> layers.TimeDistributed(layers.Conv2D(6, 3))(frames).shape
        (4, 10, 6, 6, 6)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer!r}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _child_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions "
                             f"(layer `{self.name}`), received: {input_shape}")
        return (input_shape[0],) + tuple(input_shape[2:])

    def build(self, input_shape):
        child = self._child_shape(tuple(input_shape))
        if not self.layer.built:
            self.layer.build(child)
            self.layer.built = True
        nesting.prefix_paths(self, self.layer)

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_shape(tuple(input_shape)))
        return (child[0], input_shape[1]) + tuple(child[1:])

    def _check_mask(self, mask, shape):
        if mask is None:
            return None
        mask = ops.convert_to_tensor(mask)
        if len(mask.shape) < 2:
            raise ValueError(f"The `mask` passed to the `TimeDistributed` layer `{self.name}` must be at least 2D "
                             f"(e.g., `(batch_size, timesteps)`), but it has {len(mask.shape)} dimension(s) with "
                             f"shape {_shape(mask.shape)}.")
        if tuple(mask.shape[:2]) != tuple(shape[:2]):
            raise ValueError(f"The `mask` passed to the `TimeDistributed` layer `{self.name}` has a shape "
                             f"{_shape(mask.shape)} that is incompatible with the input shape {_shape(shape)}. The "
                             "first two dimensions of the mask (batch size and timesteps) must match the input's first "
                             f"two dimensions. Expected mask shape prefix: ({shape[0]}, {shape[1]}).")
        return mask

    def call(self, inputs, training=None, mask=None):
        mask = self._check_mask(mask, inputs.shape)
        kwargs = {"training": training} if self.layer._accepts_training() else {}
        pass_mask = mask is not None and self.layer._accepts("mask")
        batch, steps = inputs.shape[:2]
        if pass_mask or (isinstance(self.layer, BatchNormalization) and training):
            outputs = []
            for t in range(steps):
                step_kwargs = dict(kwargs, mask=mask[:, t]) if pass_mask else kwargs
                outputs.append(self.layer(inputs[:, t], **step_kwargs))
            return ops.stack(outputs, axis=1)
        merged = ops.reshape(inputs, (batch * steps,) + tuple(inputs.shape[2:]))
        outputs = self.layer(merged, **kwargs)
        return ops.reshape(outputs, (batch, steps) + tuple(outputs.shape[1:]))
