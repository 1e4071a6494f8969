"""Symbolic tensors and the nodes that layer calls on them record.

Calling a layer on ``KerasTensor`` inputs builds the layer from their shapes,
computes the output shape, and records a ``Node`` (see models/graph.py for
running them).
"""

from kerasette.ops._operators import TensorOperators


class KerasTensor(TensorOperators):
    """A symbolic tensor: a placeholder with a shape and a dtype, but no data.

    ``Input`` returns one, and calling a layer on KerasTensors returns KerasTensors; the calls are
    recorded so that ``Model(inputs, outputs)`` can run them later on real data.

    Args:
        shape: the shape, a tuple of ints or None (None for unknown sizes, usually the batch size).
        dtype: the dtype name. Defaults to ``"float32"``.
        history: ``(layer, node_index, tensor_index)``, the layer call that produced the tensor,
            or None.
        name: optional name, the producing layer's name.

    Example:
        >>> from kerasette import layers
        >>> x = layers.Input(shape=(28, 28, 1))
        >>> x.shape, x.ndim, x.dtype
        ((None, 28, 28, 1), 4, 'float32')
    """

    def __init__(self, shape, dtype="float32", history=None, name=None):
        self.shape = tuple(None if s is None else int(s) for s in shape)
        self.dtype = dtype
        self.history = history  # (layer, node_index, tensor_index)
        self.name = name

    @property
    def ndim(self):
        """The number of axes (the batch axis included)."""
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    # Operators (TensorOperators) record op nodes (``x + y``, ``x[:, 0]``), as Keras 3's symbolic tensors do.
    # ``==`` and ``!=`` keep Python's identity meaning (the graph code compares tensors); use ``ops.equal``.
    _symbolic = True
    __hash__ = object.__hash__

    def __getitem__(self, key):
        return _ops().get_item(self, key)


class Node:
    """One call of a layer on symbolic inputs, as recorded in the model graph.

    Args:
        layer: the layer called.
        input_tensors: every KerasTensor the call received, flat: the first argument's, then those of
            the other positional arguments, then those of the keyword arguments.
        inputs_are_list: bool, whether the first argument was a list (rather than one tensor).
        kwargs: the keyword arguments of the call (such as a fixed ``training``); tensors in them are
            ``TensorSlot`` placeholders for entries of ``input_tensors``.
        output_tensors: the list of output KerasTensors.
        outputs_are_list: bool, whether the layer returned a list.
        args: the positional arguments after the first, with ``TensorSlot`` placeholders.
    """

    def __init__(self, layer, input_tensors, inputs_are_list, kwargs, output_tensors, outputs_are_list, args=()):
        self.layer = layer
        self.input_tensors = input_tensors
        self.inputs_are_list = inputs_are_list
        self.kwargs = kwargs
        self.output_tensors = output_tensors
        self.outputs_are_list = outputs_are_list
        self.args = tuple(args)
        # One tensor as the only input and no tensors among the other arguments: the common node, which
        # ``call_arguments`` fills without walking the arguments (it runs once per node per model call).
        self._single_input = (not inputs_are_list and not self.args and len(input_tensors) == 1
                              and not any(_slots(v) for v in kwargs.values()))

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs (none for an ``InputLayer`` node)."""
        return [t.history[0]._inbound_nodes[t.history[1]] for t in self.input_tensors if t.history]

    @property
    def first_input_count(self):
        """How many of ``input_tensors`` belong to the first argument."""
        taken = sum(len(_slots(a)) for a in self.args) + sum(len(_slots(v)) for v in self.kwargs.values())
        return len(self.input_tensors) - taken

    def call_arguments(self, values):
        """``(first argument, other positional args, kwargs)`` with ``values`` (one per input tensor) filled in."""
        if self._single_input:
            return values[0], (), dict(self.kwargs)
        count = self.first_input_count
        first = list(values[:count]) if self.inputs_are_list else values[0]
        args = tuple(_fill(a, values) for a in self.args)
        kwargs = {k: _fill(v, values) for k, v in self.kwargs.items()}
        return first, args, kwargs


class TensorSlot:
    """Stands for the ``index``-th input tensor of a node inside its recorded arguments."""

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return f"TensorSlot({self.index})"


def _slots(value):
    if isinstance(value, TensorSlot):
        return [value]
    if isinstance(value, (list, tuple)):
        return [slot for item in value for slot in _slots(item)]
    if isinstance(value, dict):
        return [slot for item in value.values() for slot in _slots(item)]
    return []


def _fill(value, values):
    if isinstance(value, TensorSlot):
        return values[value.index]
    if isinstance(value, (list, tuple)):
        return type(value)(_fill(v, values) for v in value)
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def _template(value, tensors):
    """``value`` with each KerasTensor appended to ``tensors`` and replaced by its ``TensorSlot``."""
    if isinstance(value, KerasTensor):
        tensors.append(value)
        return TensorSlot(len(tensors) - 1)
    if isinstance(value, (list, tuple)):
        return type(value)(_template(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _template(v, tensors) for k, v in value.items()}
    return value


def record_call(layer, inputs, kwargs, args=()):
    """Build ``layer`` from symbolic ``inputs``, record the call as a ``Node`` and return symbolic outputs.

    Args:
        layer: the layer called.
        inputs: a KerasTensor or a list of them (the first argument).
        kwargs: the other keyword arguments of the call (they may hold KerasTensors).
        args: the other positional arguments of the call (they may hold KerasTensors).

    Returns:
        A KerasTensor, or a list of them if the layer's output shape is a list.
    """
    inputs_are_list = isinstance(inputs, (list, tuple))
    flat = list(inputs) if inputs_are_list else [inputs]
    shapes = [t.shape for t in flat] if inputs_are_list else flat[0].shape
    tensors = list(flat)
    args_template = tuple(_template(a, tensors) for a in args)
    kwargs_template = {k: _template(v, tensors) for k, v in kwargs.items()}
    layer._maybe_build(shapes)
    if len(tensors) > len(flat):  # several tensor arguments: find the output shapes by running the layer
        out_shapes = _output_shapes_by_running(layer, inputs, args, kwargs)
    else:
        out_shapes = layer.compute_output_shape(shapes, **_shape_arguments(layer, kwargs))
    outputs_are_list = isinstance(out_shapes, list)
    out_shapes = out_shapes if outputs_are_list else [out_shapes]
    node_index = len(layer._inbound_nodes)
    outputs = [
        KerasTensor(shape, dtype=_output_dtype(layer, i), history=(layer, node_index, i), name=layer.name)
        for i, shape in enumerate(out_shapes)
    ]
    layer._inbound_nodes.append(
        Node(layer, tensors, inputs_are_list, kwargs_template, outputs, outputs_are_list, args_template))
    return outputs if outputs_are_list else outputs[0]


def _shape_arguments(layer, kwargs):
    """The call's plain keyword arguments that ``layer.compute_output_shape`` also takes (``reverse=True``...)."""
    if not kwargs:
        return {}
    import inspect

    try:
        accepted = set(list(inspect.signature(layer.compute_output_shape).parameters)[1:])
    except (TypeError, ValueError):
        return {}
    return {k: v for k, v in kwargs.items() if k in accepted and not isinstance(v, KerasTensor)}


def _output_shapes_by_running(layer, inputs, args, kwargs):
    """Output shape(s) of ``layer`` called on zeros shaped like its symbolic arguments (batch 1)."""
    from kerasette import ops

    def zeros(value):
        if isinstance(value, KerasTensor):
            return ops.zeros(tuple(1 if s is None else s for s in value.shape), value.dtype)
        if isinstance(value, (list, tuple)):
            return type(value)(zeros(v) for v in value)
        if isinstance(value, dict):
            return {k: zeros(v) for k, v in value.items()}
        return value

    from kerasette.ops.tensor import discarding_assignments

    first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
    with ops.stop_recording(), discarding_assignments():  # placeholder data must not change state
        out = layer(zeros(inputs), *zeros(tuple(args)), **zeros(dict(kwargs)))
    if isinstance(out, (list, tuple)):
        return [(first.shape[0],) + tuple(o.shape[1:]) for o in out]
    return (first.shape[0],) + tuple(out.shape[1:])


def _output_dtype(layer, index):
    """The dtype of a layer's ``index``-th output: its compute dtype, unless it says otherwise (op nodes)."""
    dtypes = getattr(layer, "output_dtypes", None)
    return dtypes[index] if dtypes else getattr(layer, "compute_dtype", layer.dtype)


def _ops():
    from kerasette import ops

    return ops
