"""OpLayer: one ``keras.ops`` call on symbolic tensors, recorded in a functional model as Keras 3 records it.

In a Keras 3 functional model, ``x + y``, ``x[:, 0]`` or ``keras.ops.relu(x)`` on symbolic tensors are nodes
of the graph like layer calls. kerasette records each such call as an ``OpLayer`` node: the op's name, the
call's arguments with the tensors marked by position, and the non-tensor arguments Keras's operation class
takes in its constructor (``axis``, ``keepdims``...). Saved as ``.keras``, the node is written in Keras's form
(``{"module": "keras.src.ops.numpy", "class_name": "Add", "config": {"name": "add"}}``), and such nodes in files
Keras wrote load back as ``OpLayer`` nodes (the masks of ``Embedding(mask_zero=True)`` are one, as
``NotEqual`` and ``Any`` nodes).
"""

import numpy as np

from kerasette import ops
from kerasette.layers.keras_operations import KERAS_OPERATIONS
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor
from kerasette.ops._symbolic import NOT_RECORDED, has_symbolic


def op_function(name):
    """The ``kerasette.ops`` function called ``name`` (``"image.resize"`` for ``ops.image.resize``)."""
    target = ops
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            break
    if target is None or not callable(target) or name.split(".")[-1] in NOT_RECORDED:
        raise ValueError(f"`{name}` is not a kerasette op that can be recorded in a functional model.")
    return getattr(target, "__wrapped__", target)


class OpLayer(Layer):
    """A ``kerasette.ops`` call on symbolic tensors, as a node of a functional model.

    Users do not create it: calling an op (or an operator such as ``+``) on the tensors of ``keras.Input``
    does. It has no weights; its config holds the call.

    Args:
        op: the op's name in ``kerasette.ops`` (``"add"``, ``"get_item"``, ``"image.resize"``).
        arguments: ``{"args": [...], "kwargs": {...}}``, the call's arguments with each tensor given as
            ``{"__slot__": i}`` (the ``i``-th tensor the layer is called on); slices, ``...`` and tuples are
            encoded as ``{"__slice__": [start, stop, step]}``, ``{"__ellipsis__": true}`` and
            ``{"__tuple__": [...]}``.
        op_kwargs: the arguments Keras's operation class takes in its constructor (``axis``...).
        **kwargs: base layer arguments (``name``, ``trainable``, ``dtype``).

    Example:
        >>> import kerasette as keras
        >>> x = keras.Input((3,))
        >>> y = keras.ops.sum(x * 2.0, axis=-1)
        >>> type(y.history[0]).__name__, y.shape
        ('OpLayer', (None,))
    """

    autocast = False  # an op keeps its inputs' dtypes

    def __init__(self, op, arguments=None, op_kwargs=None, **kwargs):
        super().__init__(**kwargs)
        self._fn = op_function(op)
        self.op = op
        self.arguments = decode(arguments or {"args": [{"__slot__": 0}], "kwargs": {}})
        self.op_kwargs = dict(op_kwargs or {})
        self.output_dtypes = None
        self._output_shapes = None
        self.built = True

    def __call__(self, *args, **kwargs):
        inputs = args[0] if args else kwargs.get("inputs")
        flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(t, KerasTensor) for t in flat):
            self._output_shapes, self.output_dtypes = self._output_spec(list(flat))
        return super().__call__(*args, **kwargs)

    def call(self, inputs):
        tensors = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        args = fill(self.arguments["args"], tensors)
        kwargs = fill(self.arguments["kwargs"], tensors)
        return self._fn(*args, **{**self.op_kwargs, **kwargs})

    def _output_spec(self, symbolic):
        """Output shapes and dtypes, from running the op on placeholder values of the inputs' shapes and dtypes.

        The placeholders are ones (zeros for integers and booleans, which may be indices), so that divisions and
        logarithms stay finite. Unknown sizes are 1 in one run and 2 in another: an output size that changes
        with them is unknown too.
        """
        runs = []
        for size in (1, 2):
            values = [_placeholder(tuple(size if s is None else s for s in t.shape), t.dtype) for t in symbolic]
            with ops.stop_recording(), np.errstate(all="ignore"):
                try:
                    out = self.call(values)
                except Exception as error:  # noqa: BLE001 - any failure of the op on these shapes
                    raise ValueError(f"`ops.{self.op}` cannot be applied to symbolic inputs of shapes "
                                     f"{[t.shape for t in symbolic]}: {error}") from error
            runs.append(out if isinstance(out, (list, tuple)) else [out])
        shapes = [tuple(a if a == b else None for a, b in zip(one.shape, two.shape)) for one, two in zip(*runs)]
        dtypes = [str(o.dtype) for o in runs[0]]
        return (shapes if isinstance(out, (list, tuple)) else shapes[0]), dtypes

    def compute_output_shape(self, input_shape):
        """The output shape(s) found when the layer was called on symbolic tensors."""
        if self._output_shapes is None:
            raise ValueError(f"OpLayer `{self.name}` knows its output shape only once called on symbolic tensors.")
        return self._output_shapes

    def _attach_masks(self, inputs, outputs, previous_mask):
        pass  # an op's result carries no mask, as in Keras (its operations are not layers)

    def get_config(self):
        return {**super().get_config(), "op": self.op, "arguments": encode(self.arguments),
                "op_kwargs": encode(self.op_kwargs)}


def _placeholder(shape, dtype):
    return ops.ones(shape, dtype) if "float" in str(dtype) else ops.zeros(shape, dtype)


# ----- recording a call --------------------------------------------------------------------------
def record_op(name, fn, args, kwargs):
    """Record ``fn(*args, **kwargs)`` (an op called on symbolic tensors) as an ``OpLayer`` node.

    Arguments that Keras's operation class takes in its constructor go to the layer's config; the
    others stay call arguments, tensors replaced by slots.

    Returns:
        The symbolic output(s).
    """
    import inspect

    parameters = inspect.signature(fn).parameters
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except TypeError as error:
        raise TypeError(f"ops.{name}(): {error}") from None
    constructor = KERAS_OPERATIONS.get(name, (None, None, ()))[2]
    tensors, call_args, call_kwargs, op_kwargs = [], [], {}, {}
    positional = True
    for key, value in bound.arguments.items():
        kind = parameters[key].kind
        if key in constructor and not has_symbolic((value,), {}):
            op_kwargs[key] = value
            positional = False  # later arguments go by name, so they still land on the right parameter
        elif kind == inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(_slot(v, tensors) for v in value)
        elif kind == inspect.Parameter.VAR_KEYWORD:
            call_kwargs.update({k: _slot(v, tensors) for k, v in value.items()})
        elif positional and kind != inspect.Parameter.KEYWORD_ONLY:
            call_args.append(_slot(value, tensors))
        else:
            call_kwargs[key] = _slot(value, tensors)
    from kerasette.utils import naming

    layer = OpLayer(name, {"args": call_args, "kwargs": call_kwargs}, op_kwargs,
                    name=naming.unique_name(name.split(".")[-1]))
    return layer(tensors if len(tensors) > 1 else tensors[0])


def _slot(value, tensors):
    if isinstance(value, KerasTensor):
        tensors.append(value)
        return {"__slot__": len(tensors) - 1}
    if isinstance(value, list):
        return [_slot(v, tensors) for v in value]
    if isinstance(value, tuple):
        return tuple(_slot(v, tensors) for v in value)
    if isinstance(value, dict):
        return {k: _slot(v, tensors) for k, v in value.items()}
    return value


def fill(value, tensors):
    """``value`` with each ``{"__slot__": i}`` replaced by ``tensors[i]``."""
    if isinstance(value, dict):
        if set(value) == {"__slot__"}:
            return tensors[value["__slot__"]]
        return {k: fill(v, tensors) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, tensors) for v in value]
    if isinstance(value, tuple):
        return tuple(fill(v, tensors) for v in value)
    return value


# ----- JSON form -----------------------------------------------------------------------------------
def encode(value):
    """A call argument in JSON form: slices, ``...``, tuples and numpy values become plain JSON."""
    if isinstance(value, slice):
        return {"__slice__": [encode(value.start), encode(value.stop), encode(value.step)]}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def decode(value):
    """The inverse of ``encode``; also reads Keras's ``__slice__``/``__ellipsis__`` envelopes."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"__slice__"}:
        return slice(*[decode(v) for v in value["__slice__"]])
    if set(value) == {"__ellipsis__"}:
        return Ellipsis
    if set(value) == {"__tuple__"}:
        return tuple(decode(v) for v in value["__tuple__"])
    if value.get("class_name") == "__slice__" and isinstance(value.get("config"), dict):
        config = value["config"]
        return slice(config.get("start"), config.get("stop"), config.get("step"))
    if value.get("class_name") == "__ellipsis__":
        return Ellipsis
    return {k: decode(v) for k, v in value.items()}
