"""The converter registry: layer class -> the function that writes one call of such a layer as ONNX nodes.

A converter receives a ``LayerCall`` (the builder, the input value names, the shapes, the weights) and returns
the output value name (a list of them for a layer with several outputs). Lookup is by exact class: a subclass
of ``Dense`` may compute something else in its own ``call``, so it needs its own converter
(``register_converter(MyDense)(dense_converter)`` reuses one that fits).
"""

_CONVERTERS = {}
_NOT_EXPORTABLE = {}
_CLASS_RULES = []  # (rule(layer class) -> bool, converter): for families of classes, such as random augmentations


def register_converter(*layer_classes, call_arguments=()):
    """Register a converter for one or more layer classes (a decorator).

    Example:
        >>> from kerasette import layers
        >>> from kerasette.export import register_converter
        >>> class Double(layers.Layer):
        ...     def call(self, x):
        ...         return x * 2.0
        >>> @register_converter(Double)
        ... def double(call):
        ...     return call.builder.op("Mul", [call.input, call.builder.scalar(2.0)])
        >>> double.__name__
        'double'

    Args:
        *layer_classes: the layer classes the converter handles (exact classes, not their subclasses).
        call_arguments: names of keyword arguments of the layer's ``call`` the converter handles (beyond
            ``training``); a call recorded with any other keyword argument is refused with a clear error.

    Returns:
        The decorator, which returns the converter unchanged.
    """

    def decorate(converter):
        for cls in layer_classes:
            _CONVERTERS[cls] = (converter, frozenset(call_arguments))
        return converter

    return decorate


def register_class_rule(rule, converter):
    """Use ``converter`` for every layer class with no converter of its own for which ``rule(cls)`` is true.

    Args:
        rule: a function of a layer class, returning a bool.
        converter: the converter (as for ``register_converter``; it accepts no call arguments).
    """
    _CLASS_RULES.append((rule, converter))


def mark_not_exportable(layer_class, reason):
    """Record why a layer class cannot be exported (the error then says why, rather than "no converter").

    Args:
        layer_class: the layer class.
        reason: a sentence fragment, such as "a Lambda layer runs Python code".
    """
    _NOT_EXPORTABLE[layer_class] = reason


def converter_for(layer):
    """``(converter, call_arguments)`` for ``layer``'s exact class.

    Args:
        layer: a layer instance.

    Returns:
        The registered pair.

    Raises:
        ValueError: no converter is registered, or the layer is quantized; the message names the layer, its
            class and the reason.
    """
    mode = getattr(layer, "quantization_mode", None)
    if mode is not None:  # the converters write float kernels; an int8 kernel exported as float would be wrong
        raise export_error(layer, f"it is quantized ({mode!r}) and the ONNX export writes float layers; export "
                                  "the model before `quantize()`")
    entry = _CONVERTERS.get(type(layer)) or _by_rule(type(layer))
    if entry is None:
        reason = _NOT_EXPORTABLE.get(type(layer))
        if reason is None:
            reason = (f"no ONNX converter is registered for {type(layer).__name__} (register one with "
                      "`kerasette.export.register_converter`)")
        raise export_error(layer, reason)
    return entry


def _by_rule(cls):
    if cls in _NOT_EXPORTABLE:
        return None
    for rule, converter in _CLASS_RULES:
        if rule(cls):
            return converter, frozenset()
    return None


def is_exportable(layer_class):
    """Whether ``layer_class`` has a converter (its own, or one of a registered class rule)."""
    return layer_class in _CONVERTERS or _by_rule(layer_class) is not None


def exportable_classes():
    """The layer classes registered with a converter of their own (a set)."""
    return set(_CONVERTERS)


def not_exportable_classes():
    """``{layer class: reason}`` for the classes known not to be exportable."""
    return dict(_NOT_EXPORTABLE)


def export_error(layer, reason):
    """The ValueError for a layer that cannot be exported: names the layer, its class and ``reason``."""
    return ValueError(f"Cannot export layer `{layer.name}` ({type(layer).__name__}) to ONNX: {reason}.")


class LayerCall:
    """One call of a layer, as a converter sees it.

    Args:
        builder: the ``GraphBuilder``.
        layer: the layer called.
        inputs: the ONNX value names of the call's input tensors (flat, in the node's order).
        input_shapes: their Keras shapes (None for unknown sizes, the batch included).
        input_dtypes: their dtype names.
        output_shapes: the Keras shapes of the outputs.
        weights: ``{weight name: numpy array}`` (BatchNormalization already folded in, when it is).
        kwargs: the other keyword arguments the call was recorded with.

    Attributes:
        builder, layer, inputs, input_shapes, input_dtypes, output_shapes, weights, kwargs: as given.
    """

    def __init__(self, builder, layer, inputs, input_shapes, input_dtypes, output_shapes, weights, kwargs):
        self.builder = builder
        self.layer = layer
        self.inputs = list(inputs)
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.input_dtypes = list(input_dtypes)
        self.output_shapes = [tuple(s) for s in output_shapes]
        self.weights = weights
        self.kwargs = kwargs

    @property
    def input(self):
        """The first input's value name."""
        return self.inputs[0]

    @property
    def input_shape(self):
        """The first input's Keras shape."""
        return self.input_shapes[0]

    @property
    def output_shape(self):
        """The first output's Keras shape."""
        return self.output_shapes[0]

    def error(self, reason):
        """The ValueError naming this layer, its class and ``reason`` (for the converter to raise)."""
        return export_error(self.layer, reason)
