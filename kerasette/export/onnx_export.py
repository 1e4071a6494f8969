"""``to_onnx``: write a functional or Sequential model as an ONNX file that onnxruntime (or any runtime) can run.

The graph's inputs carry the names of the model's Input layers, its outputs those of the layers producing them
(or the keys of a dict of outputs), the batch axis is dynamic (``"batch"``), the IR
version is the lowest that the chosen opset needs (so older runtimes read the file), and the model is
checked with ``onnx.checker.check_model(full_check=True)`` before it is written.
"""

import os

from kerasette.export import (  # noqa: F401  (importing a converter module registers its converters)
    activation_converters,
    attention_converters,
    convolution_converters,
    core_converters,
    graph_walk,
    merging_converters,
    normalization_converters,
    op_converters,
    pooling_converters,
    preprocessing_converters,
    projected_attention_converters,
    reshaping_converters,
    rnn_converters,
)
from kerasette.export.graph_builder import MAX_OPSET, MIN_OPSET, GraphBuilder
from kerasette.export.onnx_package import require_onnx

BATCH_DIM = "batch"

_ELEMENT_TYPES = {"float32": 1, "uint8": 2, "int8": 3, "uint16": 4, "int16": 5, "int32": 6, "int64": 7, "bool": 9,
                  "float16": 10, "float64": 11, "uint32": 12, "uint64": 13}


def to_onnx(model, filepath=None, opset=17, fold_batch_norm=True, input_signature=None, metadata=None,
            verbose=False):
    """Export a functional or Sequential model (nested models included) to ONNX.

    The exported graph computes what ``model.predict`` computes: Dropout and noise layers disappear,
    BatchNormalization uses its moving statistics (folded into the convolution or Dense layer before it,
    unless ``fold_batch_norm=False``), and channels-last tensors stay channels-last around Flatten and
    Reshape. A layer with no ONNX form is a ValueError naming the layer and its class.

    Example:
        >>> import numpy as np, tempfile, os
        >>> import kerasette as keras
        >>> model = keras.Sequential([keras.Input((4,), name="features"), keras.layers.Dense(2, name="scores")])
        >>> proto = keras.export.to_onnx(model, os.path.join(tempfile.mkdtemp(), "model.onnx"))
        >>> [i.name for i in proto.graph.input], [o.name for o in proto.graph.output], proto.ir_version
        (['features'], ['scores'], 8)

    Args:
        model: a functional or Sequential kerasette model.
        filepath: where to write the ``.onnx`` file (None: only return the model proto).
        opset: the ONNX opset, from 13 to 21. Defaults to 17.
        fold_batch_norm: fold each BatchNormalization into the Dense or convolution layer before it when that
            layer has no activation and feeds nothing else (otherwise it is an ONNX BatchNormalization).
        input_signature: optional list (one per model input) of shapes, or of objects with ``shape`` and
            ``dtype`` (``keras.InputSpec``, ``keras.Input(...)`` tensors), to declare other input shapes than the
            model's, such as a fixed batch size; sizes the model knows must match.
        metadata: optional ``{key: value}`` strings stored in the file's ``metadata_props``.
        verbose: print where the file was written.

    Returns:
        The ``onnx.ModelProto``.

    Raises:
        ImportError: the ``onnx`` package is missing (``pip install "kerasette[onnx]"``).
        ValueError: an opset out of range, a layer that cannot be exported, a subclassed or unbuilt model,
            or an input signature that does not fit the model.
    """
    onnx = require_onnx()
    if isinstance(opset, bool) or not isinstance(opset, int) or not MIN_OPSET <= opset <= MAX_OPSET:
        raise ValueError(f"Invalid value for argument `opset` of `to_onnx`. Expected an int from {MIN_OPSET} to "
                         f"{MAX_OPSET}. Received: opset={opset!r}")
    graph = graph_walk.functional_graph(model)
    builder = GraphBuilder(opset)
    input_names = _unique([t.history[0].name for t in graph.inputs], set())  # as predict reads a dict
    output_names = _unique(_public_names(graph.output_structure, graph.outputs), set(input_names))
    shapes = _input_shapes(model, graph, input_signature)
    values, input_infos = {}, []
    for name, tensor, (shape, dtype) in zip(input_names, graph.inputs, shapes):
        values[id(tensor)] = builder.reserve(name)
        input_infos.append(_value_info(onnx, name, dtype, shape))
    for name in output_names:
        builder.reserve(name)
    graph_walk.convert_graph(builder, graph, values, fold_batch_norm, {}, model.name)
    outputs = [(values[id(t)], onnx.helper.make_tensor_value_info(name, 0, None))  # declared after inference
               for name, t in zip(output_names, graph.outputs)]
    proto = _model_proto(onnx, builder.finish(model.name, input_infos, outputs), opset, metadata)
    _declare_outputs(onnx, proto, graph.outputs)
    onnx.checker.check_model(proto, full_check=True)
    if filepath is not None:
        _write(proto, filepath)
        if verbose:
            print(f"Saved ONNX model `{model.name}` (opset {opset}, {len(proto.graph.node)} nodes) to {filepath}")
    return proto


def _public_names(structure, tensors):
    """The model's names for its outputs: dict keys (as ``predict`` returns them), else the layers' names."""
    kind, keys = structure
    if kind == "dict":
        return [str(k) for k in keys]
    return _unique([t.history[0].name for t in tensors], set())


def _unique(names, taken):
    result = []
    for name in names:
        candidate, count = name, 1
        while candidate in taken:
            candidate, count = f"{name}_{count}", count + 1
        taken.add(candidate)
        result.append(candidate)
    return result


def _input_shapes(model, graph, signature):
    """``[(shape, dtype)]`` per input: the model's, or the signature's after checking it fits."""
    if signature is None:
        return [(t.shape, t.dtype) for t in graph.inputs]
    specs = list(signature) if isinstance(signature, (list, tuple)) and not _is_shape(signature) else [signature]
    if len(specs) != len(graph.inputs):
        raise ValueError(f"Invalid value for argument `input_signature`: model `{model.name}` has "
                         f"{len(graph.inputs)} input(s). Received {len(specs)} spec(s): {signature!r}")
    result = []
    for spec, tensor in zip(specs, graph.inputs):
        shape = tuple(spec) if _is_shape(spec) else tuple(getattr(spec, "shape", None) or ())
        dtype = getattr(spec, "dtype", None) or tensor.dtype
        fits = len(shape) == len(tensor.shape) and all(
            known is None or size is None or known == size for known, size in zip(tensor.shape, shape))
        if not fits or dtype != tensor.dtype:
            raise ValueError(f"Invalid value for argument `input_signature`: input `{tensor.history[0].name}` of "
                             f"model `{model.name}` has shape {tensor.shape} and dtype {tensor.dtype}. "
                             f"Received shape {shape} and dtype {dtype}.")
        result.append((tuple(k if s is None else s for k, s in zip(tensor.shape, shape)), dtype))
    return result


def _is_shape(value):
    return isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value)


def _element_type(name, dtype):
    if dtype not in _ELEMENT_TYPES:
        raise ValueError(f"Cannot export the model's input or output `{name}` to ONNX: dtype {dtype} has no ONNX "
                         "element type here.")
    return _ELEMENT_TYPES[dtype]


def _value_info(onnx, name, dtype, shape):
    dims = None if shape is None else [_dim(name, i, size) for i, size in enumerate(shape)]
    return onnx.helper.make_tensor_value_info(name, _element_type(name, dtype), dims)


def _dim(name, axis, size):
    """A declared dimension: the size when known, else a symbol (``"batch"`` for axis 0)."""
    if size is not None:
        return int(size)
    return BATCH_DIM if axis == 0 else f"{name}_dim{axis}"


def _declare_outputs(onnx, proto, tensors):
    """Give each output the model's shape and dtype, where ONNX shape inference agrees with them.

    A size or element type that shape inference derives from the graph wins over the model's symbolic one
    (which can be wrong: ``Activation("glu")``'s symbolic output keeps the input's size, and a Discretization's
    says float32 where the layer returns int32); where inference finds none, the model's size or a symbol is
    declared.
    """
    inferred = {info.name: info for info in onnx.shape_inference.infer_shapes(proto).graph.output}
    for info, tensor in zip(proto.graph.output, tensors):
        found, keras_shape = inferred.get(info.name), tensor.shape
        if found is not None and found.type.tensor_type.elem_type:
            info.type.tensor_type.elem_type = found.type.tensor_type.elem_type
        else:
            info.type.tensor_type.elem_type = _element_type(info.name, tensor.dtype)
        has_shape = found is not None and found.type.tensor_type.HasField("shape")
        dims = list(found.type.tensor_type.shape.dim) if has_shape else []
        if len(dims) != len(keras_shape):
            dims = [None] * len(keras_shape)
        declared = []
        for axis, (dim, size) in enumerate(zip(dims, keras_shape)):
            if dim is not None and dim.HasField("dim_value"):
                declared.append(int(dim.dim_value))
            else:
                declared.append(_dim(info.name, axis, size))
        info.type.tensor_type.shape.Clear()
        for value in declared:
            entry = info.type.tensor_type.shape.dim.add()
            if isinstance(value, int):
                entry.dim_value = value
            else:
                entry.dim_param = value


def _model_proto(onnx, graph, opset, metadata):
    import kerasette

    opsets = [onnx.helper.make_opsetid("", opset)]
    proto = onnx.helper.make_model(graph, opset_imports=opsets, producer_name="kerasette",
                                   producer_version=kerasette.__version__,
                                   ir_version=onnx.helper.find_min_ir_version_for(opsets))
    for key, value in (metadata or {}).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = str(key), str(value)
    return proto


def _write(proto, filepath):
    from kerasette.saving.atomic import atomic_path

    with atomic_path(os.fspath(filepath)) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(proto.SerializeToString())
