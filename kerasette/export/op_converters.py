"""OpLayer: the ``keras.ops`` calls people write in functional models (``x + 1.0``, ``ops.mean(x, axis=1)``...).

An ``OpLayer`` node records the op's name and its arguments, tensors marked by position; the converter binds
them to the op's signature and writes the matching ONNX node. Arithmetic follows the op's output dtype: each
operand (tensor or constant) is cast to it first, as the op promotes them. Any other op is refused, naming it.
"""

import inspect

import numpy as np

from kerasette.export.registry import register_converter
from kerasette.layers.op_layer import OpLayer, fill

_ELEMENT_TYPES = {"float32": 1, "uint8": 2, "int8": 3, "uint16": 4, "int16": 5, "int32": 6, "int64": 7, "bool": 9,
                  "float16": 10, "float64": 11, "uint32": 12, "uint64": 13}
_ARITHMETIC = {"add": "Add", "subtract": "Sub", "multiply": "Mul", "divide": "Div", "true_divide": "Div",
               "maximum": "Max", "minimum": "Min"}
_UNARY = {"negative": "Neg", "relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "exp": "Exp", "log": "Log",
          "sqrt": "Sqrt", "abs": "Abs"}
_REDUCTIONS = {"mean": "ReduceMean", "sum": "ReduceSum", "max": "ReduceMax", "min": "ReduceMin"}
_STRUCTURAL = ("matmul", "transpose", "reshape", "concatenate", "softmax", "expand_dims", "squeeze", "cast", "square",
               "get_item")
_END = np.iinfo(np.int64).max  # Slice's "to the end" (and, negated, "to before the start")


class _Value:
    """A tensor argument of the recorded call: its ONNX value name, Keras shape and dtype."""

    def __init__(self, name, shape, dtype):
        self.name, self.shape, self.dtype = name, tuple(shape), str(dtype)


def exportable_ops():
    """The names of the ``kerasette.ops`` functions an ``OpLayer`` node may call in an exported model."""
    return sorted([*_ARITHMETIC, *_UNARY, *_REDUCTIONS, *_STRUCTURAL])


def _bound_arguments(call):
    """The recorded call's arguments by parameter name, tensors as ``_Value``."""
    layer = call.layer
    tensors = [_Value(n, s, d) for n, s, d in zip(call.inputs, call.input_shapes, call.input_dtypes)]
    args = fill(layer.arguments["args"], tensors)
    kwargs = {**layer.op_kwargs, **fill(layer.arguments["kwargs"], tensors)}
    bound = inspect.signature(layer._fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _operand(call, value, dtype):
    """``value`` (a ``_Value`` or a constant) as an ONNX value of ``dtype``."""
    b = call.builder
    if isinstance(value, _Value):
        if value.dtype == dtype:
            return value.name
        return b.op("Cast", [value.name], to=_element_type(call, dtype))
    if isinstance(value, str) or np.asarray(value).dtype == object:
        raise call.error(f"`ops.{call.layer.op}` has an argument {value!r} that is neither a tensor nor a number")
    return b.constant(np.asarray(value), "constant", np.dtype(dtype))


def _element_type(call, dtype):
    if dtype not in _ELEMENT_TYPES:
        raise call.error(f"`ops.{call.layer.op}` gives dtype {dtype}, which has no ONNX element type here")
    return _ELEMENT_TYPES[dtype]


def _tensor(call, arguments, name):
    value = arguments[name]
    if not isinstance(value, _Value):
        raise call.error(f"argument `{name}` of `ops.{call.layer.op}` is a constant; the export needs a tensor there")
    return value


def _axes(value, rank):
    """An ``axis`` argument (int, sequence or None: every axis) as a list of ints."""
    if value is None:
        return list(range(rank))
    return [int(a) for a in value] if isinstance(value, (list, tuple)) else [int(value)]


def _softmax(b, x, axes):
    if len(axes) == 1:
        return b.op("Softmax", [x], axis=axes[0])
    peak = b.reduce("ReduceMax", x, axes)
    shifted = b.op("Sub", [x, peak])
    return b.op("Exp", [b.op("Sub", [shifted, b.op("Log", [b.reduce("ReduceSum", b.op("Exp", [shifted]), axes)])])])


def _structural(call, op, arguments, dtype):
    b = call.builder
    if op == "matmul":
        return b.op("MatMul", [_operand(call, arguments["x1"], dtype), _operand(call, arguments["x2"], dtype)])
    if op == "concatenate":
        return b.op("Concat", [_operand(call, v, dtype) for v in arguments["xs"]], axis=int(arguments["axis"]))
    x = _tensor(call, arguments, "x")
    if op == "square":
        value = _operand(call, x, dtype)
        return b.op("Mul", [value, value])
    if op == "get_item":
        return _get_item(call, x, arguments["key"])
    if op == "cast":
        return b.op("Cast", [x.name], to=_element_type(call, dtype))
    if op == "transpose":
        axes = arguments["axes"]
        return b.op("Transpose", [x.name], perm=list(range(len(x.shape)))[::-1] if axes is None else list(axes))
    if op == "reshape":
        shape = arguments["newshape"]
        shape = [int(shape)] if isinstance(shape, (int, np.integer)) else [int(s) for s in shape]
        if 0 in shape:
            raise call.error("`ops.reshape` to a shape with a zero size is not exported")
        return b.reshape(x.name, shape)
    if op == "softmax":
        return _softmax(b, x.name, _axes(arguments["axis"], len(x.shape)))
    if op == "expand_dims":
        return b.unsqueeze(x.name, _axes(arguments["axis"], len(x.shape)))
    if arguments["axis"] is None:  # squeeze
        raise call.error("`ops.squeeze` without `axis` squeezes the axes of size 1 of the data (the batch too, "
                         "when it is 1), which the export cannot know; give `axis`")
    return b.squeeze(x.name, _axes(arguments["axis"], len(x.shape)))


def _get_item(call, x, key):
    """``x[key]`` for a key of ints, slices, ``None`` and ``...``: Slice, then Squeeze (ints) and Unsqueeze."""
    b = call.builder
    key = key if isinstance(key, tuple) else (key,)
    if sum(k is Ellipsis for k in key) > 1 or not all(
            k is None or k is Ellipsis or isinstance(k, (slice, int, np.integer)) and not isinstance(k, bool)
            for k in key):
        raise call.error(f"`ops.get_item` (indexing) with key {key!r} is not exported; the export takes ints, "
                         "slices, None and one `...`")
    if Ellipsis in key:
        at = key.index(Ellipsis)
        filled = len(x.shape) - sum(k is not None for k in key if k is not Ellipsis)
        key = key[:at] + (slice(None),) * filled + key[at + 1:]
    starts, ends, axes, steps, dropped, new_axes, axis = [], [], [], [], [], [], 0
    for position, k in enumerate(key):
        if k is None:
            new_axes.append(position)
            continue
        if isinstance(k, slice):
            if k != slice(None):
                step = 1 if k.step is None else int(k.step)
                starts.append((0 if step > 0 else -1) if k.start is None else int(k.start))
                ends.append((_END if step > 0 else -_END) if k.stop is None else int(k.stop))
                axes.append(axis)
                steps.append(step)
        else:
            starts.append(int(k))
            ends.append(_END if int(k) == -1 else int(k) + 1)
            axes.append(axis)
            steps.append(1)
            dropped.append(axis)
        axis += 1
    y = b.slice(x.name, starts, ends, axes, steps) if axes else x.name
    if dropped:
        y = b.squeeze(y, dropped)
    if new_axes:  # positions in the key are positions in the output, less the int-indexed axes before them
        y = b.unsqueeze(y, [p - sum(isinstance(k, (int, np.integer)) for k in key[:p]) for p in new_axes])
    return y


@register_converter(OpLayer)
def op_layer(call):
    """One recorded ``kerasette.ops`` call, for the ops in ``exportable_ops()``; any other is refused."""
    b, op = call.builder, call.layer.op
    if op not in exportable_ops():
        raise call.error(f"`ops.{op}` (a `keras.ops` call on symbolic tensors) has no ONNX converter; the ops that "
                         f"export are {', '.join(exportable_ops())}")
    if len(call.output_shapes) != 1 or not call.layer.output_dtypes:
        raise call.error(f"`ops.{op}` was recorded without its output dtype")
    dtype = call.layer.output_dtypes[0]
    arguments = _bound_arguments(call)
    if op in _ARITHMETIC:
        if op in ("divide", "true_divide") and not dtype.startswith("float"):
            raise call.error(f"`ops.{op}` gives dtype {dtype}; the export divides floats only")
        return b.op(_ARITHMETIC[op], [_operand(call, arguments["x1"], dtype), _operand(call, arguments["x2"], dtype)])
    if op in _UNARY:
        return b.op(_UNARY[op], [_operand(call, arguments["x"], dtype)])
    if op in _REDUCTIONS:
        x = _tensor(call, arguments, "x")
        if op == "mean" and not dtype.startswith("float"):
            raise call.error(f"`ops.mean` gives dtype {dtype}; the export averages floats only")
        if arguments.get("initial") is not None:
            raise call.error(f"argument `initial` of `ops.{op}` is not supported by the ONNX export")
        return b.reduce(_REDUCTIONS[op], _operand(call, x, dtype), _axes(arguments["axis"], len(x.shape)),
                        keepdims=bool(arguments["keepdims"]))
    return _structural(call, op, arguments, dtype)
