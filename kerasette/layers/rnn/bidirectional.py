"""Bidirectional: a recurrent layer run forwards and a copy run backwards, outputs merged."""

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.rnn import nesting
from kerasette.layers.rnn.rnn_loop import flatten
from kerasette.layers.wrapper import Wrapper

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed(layer, prefix, **changes):
    """A fresh copy of ``layer`` (from its config) named ``<prefix>_<name>``, with config ``changes``."""
    from kerasette.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(layer)
    config.pop("build_config", None)
    name = layer.name[len(prefix) + 1:] if layer.name.startswith(prefix + "_") else layer.name
    config["config"].update(changes, name=f"{prefix}_{name}")
    return deserialize_keras_object(config)


class Bidirectional(Wrapper):
    """Bidirectional wrapper for RNNs: runs ``layer`` forwards and a copy of it backwards, then merges.

    The forward layer is a fresh copy of ``layer`` named ``forward_<name>``; the backward one a copy
    with ``go_backwards=True`` named ``backward_<name>``, or ``backward_layer``. With
    ``return_sequences`` the backward outputs are flipped back to the input's time order before
    merging, and masked steps output zeros in both directions. Weights list the forward layer's first
    (Keras's order, so Keras files load as they are).

    Args:
        layer: an ``RNN`` instance (``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN(cell)``...).
        merge_mode: how the two outputs combine: ``"concat"`` (the default), ``"sum"``, ``"mul"``,
            ``"ave"``, or None (return both, as a list).
        weights: optional list of initial weight arrays, the forward layer's then the backward
            layer's, set when the layer is built.
        backward_layer: optional recurrent layer for the backward direction (it must have
            ``go_backwards=True`` and the forward layer's ``return_sequences``, ``return_state`` and
            ``stateful``).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).

    Call arguments:
        sequences: a (batch, timesteps, features) tensor.
        initial_state: optional list of the forward layer's initial states then the backward layer's.
        mask: optional (batch, timesteps) boolean tensor.
        training: passed to both layers.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> x = np.ones((2, 5, 3), "float32")
        >>> layers.Bidirectional(layers.LSTM(4, return_sequences=True))(x).shape
        (2, 5, 8)
        >>> layers.Bidirectional(layers.GRU(4), merge_mode="sum")(x).shape
        (2, 4)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: "
                             f"{backward_layer!r}")
        # Layer's constructor, not Wrapper's: the wrapped layer itself is not kept (it would count as a
        # sublayer); its forward and backward copies are.
        Layer.__init__(self, **kwargs)
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Invalid value for argument `merge_mode` of layer `{self.name}`. Expected one of "
                             f"{{'sum', 'mul', 'ave', 'concat', None}}. Received: merge_mode={merge_mode!r}")
        for attribute in ("go_backwards", "return_sequences", "return_state", "stateful"):
            if not hasattr(layer, attribute):
                raise ValueError(f"Layer `{self.name}` needs a recurrent layer (with `{attribute}`). Received: "
                                 f"{type(layer).__name__} `{layer.name}`.")
        self.forward_layer = _renamed(layer, "forward")
        self.backward_layer = _renamed(layer, "backward", go_backwards=True) if backward_layer is None else \
            backward_layer
        for sublayer in (self.forward_layer, self.backward_layer):
            if hasattr(layer, "use_cudnn"):
                sublayer.use_cudnn = layer.use_cudnn
            if hasattr(sublayer, "zero_output_for_mask"):
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self._verify_layers()
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layers(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(f"Forward layer and backward layer should have different `go_backwards` value (layer "
                             f"`{self.name}`). Received: forward_layer.go_backwards={forward.go_backwards}, "
                             f"backward_layer.go_backwards={backward.go_backwards}")
        for attribute in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(f"Forward layer and backward layer are expected to have the same value for "
                                 f'attribute "{attribute}" (layer `{self.name}`), got "{getattr(forward, attribute)}" '
                                 f'for forward layer and "{getattr(backward, attribute)}" for backward layer')

    def build(self, sequences_shape, initial_state_shape=None):
        for sublayer in (self.forward_layer, self.backward_layer):
            if not sublayer.built:
                sublayer.build(tuple(sequences_shape))
            nesting.prefix_paths(self, sublayer)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (None if shape[-1] is None else 2 * shape[-1],)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return outputs + states + states
        return outputs if self.merge_mode is None else shape

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._accepts_training():
            kwargs["training"] = training
        if self.forward_layer._accepts("mask"):
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = [ops.concatenate([y, y_rev], axis=-1)]
        elif self.merge_mode == "sum":
            output = [ops.add(y, y_rev)]
        elif self.merge_mode == "ave":
            output = [ops.divide(ops.add(y, y_rev), 2.0)]
        elif self.merge_mode == "mul":
            output = [ops.multiply(y, y_rev)]
        else:
            output = [y, y_rev]
        if self.return_state or self.merge_mode is None:
            return output + states
        return output[0]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            count = len(flatten(self.forward_layer.state_size)) if hasattr(self.forward_layer, "state_size") else 0
            return masks + [None] * (2 * count)
        return masks if self.merge_mode is None else output_mask

    @property
    def states(self):
        """The forward then backward layers' state variables (stateful layers), else None."""
        if self.forward_layer.states and self.backward_layer.states:
            return list(self.forward_layer.states) + list(self.backward_layer.states)
        return None

    def reset_state(self, states=None):
        """Reset both layers' states (stateful layers only).

        Args:
            states: optional list of arrays: the forward layer's states, then the backward layer's.

        Raises:
            AttributeError: the layer is not stateful.
        """
        if not self.stateful:
            raise AttributeError(f"Layer `{self.name}` must be stateful.")
        half = None if states is None else len(states) // 2
        self.forward_layer.reset_state(None if states is None else states[:half])
        self.backward_layer.reset_state(None if states is None else states[half:])

    def reset_states(self, states=None):
        """Alias of ``reset_state``.

        Args:
            states: optional list of arrays.
        """
        self.reset_state(states)

    def get_config(self):
        return {**Layer.get_config(self), "merge_mode": self.merge_mode,
                "layer": nesting.serialize_sublayer(self.forward_layer),
                "backward_layer": nesting.serialize_sublayer(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the wrapper, deserializing the forward (and backward) layers.

        Args:
            config: the output of ``get_config``.
            custom_objects: optional dict of custom classes by name.

        Returns:
            A new, unbuilt layer.
        """
        from kerasette.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_keras_object(config["backward_layer"], custom_objects=custom_objects)
        return super().from_config(config, custom_objects=custom_objects)
