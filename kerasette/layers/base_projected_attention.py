"""The base of MultiHeadAttention and GroupQueryAttention.

What they share: the call with ``(query, value, key)``, the masks, the masked softmax, and the arguments of their
projections.
"""

import inspect

from kerasette import constraints, initializers, ops, regularizers
from kerasette.layers import validation
from kerasette.layers.attention_masks import causal_mask, combine, input_mask, sliding_window_mask
from kerasette.layers.layer import Layer
from kerasette.layers.rnn.nesting import prefix_paths


class BaseProjectedAttention(Layer):
    """Base of the attention layers that project ``query``, ``key`` and ``value`` with ``EinsumDense`` sublayers.

    Args:
        dropout: float in [0, 1), the dropout rate of the attention probabilities.
        use_bias: bool, whether the projections have biases.
        sliding_window: None or a positive int: each query position attends only to the key positions less than
            ``sliding_window`` away (combine with ``use_causal_mask`` for a causal window).
        flash_attention: None or False; kerasette has no flash-attention kernel, so True raises.
        kernel_initializer: initializer of the projection kernels (each projection gets its own copy).
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: optional regularizer of the projection kernels.
        bias_regularizer: optional regularizer of the projection biases.
        activity_regularizer: optional regularizer of each projection's output (as in Keras).
        kernel_constraint: optional constraint of the projection kernels.
        bias_constraint: optional constraint of the projection biases.
        use_gate: bool, whether a sigmoid projection of the query (sublayer ``gate``) multiplies the attention
            output before the output projection (gated attention).
        seed: optional int, the seed of the dropout's random stream.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).
    """

    supports_masking = True  # the output keeps the query's mask

    def __init__(self, dropout=0.0, use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        super().__init__(**kwargs)  # activity_regularizer goes to the projections, not to this layer
        if flash_attention:
            raise validation.invalid(self, "flash_attention", "None or False (kerasette has no flash-attention "
                                     "kernel)", flash_attention)
        self._flash_attention = flash_attention
        self._dropout = validation.number(self, "dropout", dropout, "a float in [0, 1)", 0, 1, high_open=True)
        self._use_bias, self._use_gate = bool(use_bias), bool(use_gate)
        if sliding_window is not None:
            sliding_window = validation.positive_int(self, "sliding_window", sliding_window)
        self._sliding_window = sliding_window
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._shapes_dict = None

    # ----- calling with (query, value, key) ---------------------------------------------------------
    def __call__(self, *args, **kwargs):
        """Call the layer on ``query`` and ``value`` (and optionally ``key``), positionally or by name.

        Args:
            *args: ``query``, ``value``, ``key``, then the other arguments of ``call`` in order.
            **kwargs: the arguments of ``call`` by name.

        Returns:
            The attention output, and with ``return_attention_scores=True`` also the attention scores.
        """
        names = list(inspect.signature(type(self).call).parameters)[1:]
        if len(args) > len(names):
            raise TypeError(f"Layer `{self.name}` takes at most {len(names)} positional arguments "
                            f"({', '.join(names)}); received {len(args)}.")
        for name, arg in zip(names, args):
            if name in kwargs:
                raise TypeError(f"Layer `{self.name}` got multiple values for argument `{name}`.")
            kwargs[name] = arg
        if "inputs" in kwargs and "query" not in kwargs:
            kwargs["query"] = kwargs.pop("inputs")
        query, value = kwargs.pop("query", None), kwargs.pop("value", None)
        if query is None or value is None:
            raise ValueError(f"Layer `{self.name}` ({type(self).__name__}) must be called with `query` and `value` "
                             f"tensors: layer(query, value) or layer(query, value, key). Received: query={query!r}, "
                             f"value={value!r}")
        if kwargs.get("key") is None:
            kwargs.pop("key", None)
        if not self.built:
            key = kwargs.get("key")
            self.build(_shape(query), _shape(value), None if key is None else _shape(key))
        return super().__call__(query, value, **kwargs)

    def _track_shapes(self, query_shape, value_shape, key_shape):
        self._shapes_dict = {"query_shape": tuple(query_shape), "value_shape": tuple(value_shape)}
        if key_shape is not None:
            self._shapes_dict["key_shape"] = tuple(key_shape)
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"Layer `{self.name}`: all dimensions of `value` and `key`, except the last one, must be "
                             f"equal. Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}")
        return tuple(query_shape), tuple(value_shape), tuple(key_shape)

    def get_build_config(self):
        """The shapes of the first call, as Keras 3 stores them: ``{"shapes_dict": {"query_shape": ...}}``.

        Returns:
            The dict, or None if the layer is not built.
        """
        if self._shapes_dict is None:
            return None
        return {"shapes_dict": {key: list(shape) for key, shape in self._shapes_dict.items()}}

    def build_from_config(self, config):
        """Build from ``get_build_config()``'s output (or ``{"input_shape": [query, value(, key)]}``).

        Args:
            config: the build config, or None (nothing to do).
        """
        if not config:
            return
        if "shapes_dict" in config:
            shapes = config["shapes_dict"]
            self.build(shapes["query_shape"], shapes["value_shape"], shapes.get("key_shape"))
        elif "input_shape" in config:
            self.build(*config["input_shape"])

    def _sublayer_kwargs(self):
        """The arguments every projection gets; each gets its own copy of the initializers (as Keras does)."""
        return dict(kernel_initializer=_copy(self._kernel_initializer), bias_initializer=_copy(self._bias_initializer),
                    kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
                    activity_regularizer=self._activity_regularizer, kernel_constraint=self._kernel_constraint,
                    bias_constraint=self._bias_constraint, dtype=self.dtype)

    def _built_sublayer(self, layer, input_shape):
        layer.build(input_shape)
        prefix_paths(self, layer)  # "mha/query/kernel", as Keras's name scopes give
        return layer

    # ----- masks -------------------------------------------------------------------------------------
    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None, key_mask=None,
                                attention_mask=None, use_causal_mask=False):
        """The boolean mask of shape ``(B, T, S)`` (or broadcastable to it) of the allowed (query, key) pairs.

        The query mask ``(B, T)`` becomes ``(B, T, 1)``, the value and key masks ``(B, S)`` become ``(B, 1, S)``,
        the causal and sliding-window masks are ``(1, T, S)``; all are combined with ``attention_mask`` by AND.
        """
        masks = [input_mask(query_mask, -1), input_mask(value_mask, -2), input_mask(key_mask, -2)]
        if use_causal_mask:
            masks.append(self._compute_causal_mask(query, value))
        if self._sliding_window is not None:
            masks.append(self._compute_sliding_window_mask(query, value))
        return combine(input_mask(attention_mask), *masks)

    def _compute_causal_mask(self, query, value=None):
        """``(1, T, S)``: query position ``i`` may attend to key positions ``j <= i``."""
        return causal_mask(query, value)

    def _compute_sliding_window_mask(self, query, value=None):
        """``(1, T, S)``: query position ``i`` may attend to key positions ``j`` with ``|i - j| < sliding_window``."""
        return sliding_window_mask(query, value, self._sliding_window)

    def _masked_softmax(self, scores, attention_mask=None):
        """Softmax of ``scores`` over the key axes; masked pairs get 0 (whole masked rows too, as in Keras)."""
        if attention_mask is None:
            return self._softmax(scores)
        for _ in range(len(scores.shape) - len(attention_mask.shape)):
            attention_mask = ops.expand_dims(attention_mask, self._mask_expansion_axis)
        if len(attention_mask.shape) != len(scores.shape) or any(
                m not in (1, s) for m, s in zip(attention_mask.shape, scores.shape)):
            raise ValueError(f"Layer `{self.name}`: the attention mask of shape {tuple(attention_mask.shape)} does not "
                             f"broadcast to the attention scores of shape {tuple(scores.shape)}. Pass "
                             "`attention_mask` of shape (batch, query length, key length).")
        probabilities = self._softmax(scores, mask=attention_mask)
        return ops.where(attention_mask, probabilities, ops.zeros((), probabilities.dtype))

    def _common_config(self):
        return {
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }


def _shape(x):
    shape = getattr(x, "shape", None)
    return tuple(ops.convert_to_tensor(x).shape if shape is None else shape)


def _copy(initializer):
    if hasattr(initializer, "get_config") and hasattr(type(initializer), "from_config"):
        return type(initializer).from_config(initializer.get_config())
    return initializer
