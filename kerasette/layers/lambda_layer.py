"""Lambda: wraps a Python function as a layer (built in code; never loaded from a file)."""

import inspect

from kerasette.layers import validation
from kerasette.layers.layer import Layer
from kerasette.registry import get_registered_name, get_registered_object


class Lambda(Layer):
    """Wraps an arbitrary function (written with ``kerasette.ops``) as a ``Layer`` object.

    For simple stateless computations in a ``Sequential`` or functional model; anything with weights or state
    should be a ``Layer`` subclass. The function's gradients come from the tape like any other op's.

    Saving: kerasette never writes or runs Python code from a file. ``get_config`` stores the function's
    registered name (``@kerasette.saving.register_keras_serializable()``) or plain name, and ``from_config``
    finds it again among the registered objects, so a Lambda can be cloned in memory. Loading a model file that
    contains a Lambda layer is refused (rebuild the model in Python and load its weights instead); a config
    naming an anonymous ``lambda`` cannot be written at all.

    Args:
        function: the function to evaluate, taking the input tensor (or list of tensors) as its first
            argument; if it declares ``training`` or ``mask`` parameters, they are passed too.
        output_shape: the output's shape without the batch axis (a tuple), or a function of the input shape
            returning the full output shape. None (the default) infers it by running the function on zeros.
        mask: None, a mask to return from ``compute_mask``, or a function ``mask(inputs, previous_mask)``.
        arguments: optional dict of keyword arguments passed to ``function``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``, ``input_shape``...).

    Input shape:
        Whatever ``function`` accepts.

    Output shape:
        ``output_shape``, or what ``function`` returns.

    Raises:
        TypeError: if ``function`` is not callable.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers, ops
        >>> layer = layers.Lambda(lambda x, power: ops.power(x, power), arguments={"power": 2.0})
        >>> layer(np.array([[1.0, 3.0]])).numpy().tolist()
        [[1.0, 9.0]]
    """

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Invalid value for argument `function` of layer `{self.name}`. Expected a callable. "
                            f"Received: function={function!r}")
        if arguments is not None and not isinstance(arguments, dict):
            raise validation.invalid(self, "arguments", "a dict of keyword arguments or None", arguments)
        self.function, self.mask, self.arguments = function, mask, dict(arguments or {})
        self._output_shape = tuple(output_shape) if isinstance(output_shape, (list, tuple)) else output_shape
        parameters = inspect.signature(function).parameters
        self._wants_training, self._wants_mask = "training" in parameters, "mask" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._wants_mask:
            kwargs["mask"] = mask
        if self._wants_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        """Return ``mask(inputs, mask)`` when the layer's ``mask`` is a function, else the layer's ``mask``.

        Args:
            inputs: the layer's inputs.
            mask: the incoming mask.

        Returns:
            The output mask (None when the layer has no ``mask``).
        """
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        batch = input_shape[0][0] if isinstance(input_shape, list) else input_shape[0]
        return (batch,) + self._output_shape

    def get_config(self):
        config = {**super().get_config(), "function": self._function_name(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (self._function_name(self._output_shape) if callable(self._output_shape)
                                      else list(self._output_shape))
        if self.mask is not None:
            config["mask"] = self._function_name(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = dict(self.arguments)
        return config

    def _function_name(self, fn):
        name = get_registered_name(fn)
        if name == "<lambda>":
            raise ValueError(
                f"Layer `{self.name}` (Lambda) wraps an anonymous Python lambda, which a config cannot name: "
                "kerasette never stores code. Use a named function registered with "
                "@kerasette.saving.register_keras_serializable(), or a Layer subclass."
            )
        return name

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            if isinstance(config.get(key), str):
                found = get_registered_object(config[key])
                if found is None:
                    raise ValueError(
                        f"Lambda config names the function {config[key]!r} ({key}), which is not registered. "
                        "Register it with @kerasette.saving.register_keras_serializable() (or pass it in "
                        "`custom_objects`) before rebuilding the layer."
                    )
                config[key] = found
        return cls(**config)
