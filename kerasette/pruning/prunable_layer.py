"""``PrunableLayer``: the interface a custom layer implements to be pruned."""

import abc


class PrunableLayer(abc.ABC):
    """Abstract base class for making your own layer prunable.

    A custom layer becomes prunable by ``prune_low_magnitude`` when it inherits from this class
    (next to ``kerasette.layers.Layer``) or simply defines a ``get_prunable_weights`` method. The
    weights it returns get a mask and a threshold in the ``PruneLowMagnitude`` wrapper. Each must be
    a variable the layer holds in one of its attributes (``self.kernel``): the wrapper computes the
    layer with the masked value in that attribute, so the gradients of pruned weights are zero.

    Example:
        >>> from kerasette import layers, ops, pruning
        >>> class Scale(layers.Layer, pruning.PrunableLayer):
        ...     def build(self, input_shape):
        ...         self.scale = self.add_weight((input_shape[-1],), initializer="ones", name="scale")
        ...     def call(self, inputs):
        ...         return ops.multiply(inputs, self.scale)
        ...     def get_prunable_weights(self):
        ...         return [self.scale]
        >>> pruning.prune_low_magnitude(Scale(name="scale")).name
        'prune_low_magnitude_scale'
    """

    @abc.abstractmethod
    def get_prunable_weights(self):
        """The weight variables of the layer that pruning may set to zero.

        Returns:
            A list of ``Variable`` objects owned by the layer.
        """
        raise NotImplementedError("Must be implemented in subclasses.")
