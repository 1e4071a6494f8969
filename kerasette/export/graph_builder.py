"""GraphBuilder: the ONNX nodes and initializers of a model being exported, with a few helpers.

Converters add nodes through it (``op``, ``constant``, ``transpose``, ``reduce``...), never through ``onnx``
itself, so the opset-dependent spellings (reduction axes as an attribute before opset 18, as an input
from 18) live in one place. ``transpose`` cancels a transpose of a transpose, and ``unary`` applies an
elementwise op before a pending transpose rather than after it, so the channels-first islands that
convolutions need join up across activations instead of bouncing back to channels-last between layers.
Nodes nobody reads are dropped when the graph is finished.
"""

import numpy as np

from kerasette.export.onnx_package import require_onnx

MIN_OPSET, MAX_OPSET = 13, 21


class GraphBuilder:
    """Collects the nodes, initializers and value names of one ONNX graph.

    Args:
        opset: the ONNX opset the graph targets (``MIN_OPSET`` to ``MAX_OPSET``).

    Attributes:
        opset: the target opset.
        nodes: the ``NodeProto`` list, in the order added.
        initializers: ``{name: numpy array}`` of the constant tensors (weights and small constants).
    """

    def __init__(self, opset):
        self.onnx = require_onnx()
        self.opset = opset
        self.nodes = []
        self.initializers = {}
        self._names = set()
        self._producer = {}  # value name -> node
        self._transposed = {}  # value name -> (source value name, perm) for Transpose outputs
        self._small_constants = {}  # (dtype, shape, bytes) -> name, so repeated scalars are stored once
        self.scope = "model"

    # ----- names -----------------------------------------------------------
    def fresh(self, hint):
        """A value or node name not used yet, built from ``hint`` under the current scope."""
        base = f"{self.scope}/{hint}" if self.scope else hint
        name, count = base, 1
        while name in self._names:
            name, count = f"{base}_{count}", count + 1
        self._names.add(name)
        return name

    def reserve(self, name):
        """Claim an exact name (a graph input), or raise if something already has it.

        Args:
            name: the name.

        Raises:
            ValueError: the name is taken.
        """
        if name in self._names:
            raise ValueError(f"Two graph inputs or outputs would both be named {name!r}.")
        self._names.add(name)
        return name

    # ----- nodes and constants ---------------------------------------------
    def op(self, op_type, inputs, outputs=1, **attributes):
        """Add one node and return its output name (a list of names when ``outputs`` > 1).

        Args:
            op_type: the ONNX operator (``"Conv"``, ``"Relu"``...).
            inputs: the input value names ("" for an omitted optional input).
            outputs: how many outputs the node has.
            **attributes: the node's attributes; None values are left out.

        Returns:
            The output name, or a list of them.
        """
        names = [self.fresh(op_type) for _ in range(outputs)]
        attrs = {k: v for k, v in attributes.items() if v is not None}
        node = self.onnx.helper.make_node(op_type, list(inputs), names, name=self.fresh(f"{op_type}_node"), **attrs)
        self.nodes.append(node)
        for name in names:
            self._producer[name] = node
        return names[0] if outputs == 1 else names

    def constant(self, value, hint="const", dtype=np.float32):
        """Add a constant tensor (an initializer) and return its name.

        Args:
            value: an array-like.
            hint: a name hint (``"kernel"``).
            dtype: the numpy dtype stored.

        Returns:
            The initializer's name.
        """
        array = np.ascontiguousarray(np.asarray(value, dtype=dtype))
        key = None
        if array.size <= 16:
            key = (array.dtype.str, array.shape, array.tobytes())
            if key in self._small_constants:
                return self._small_constants[key]
        name = self.fresh(hint)
        self.initializers[name] = array
        if key is not None:
            self._small_constants[key] = name
        return name

    def int64s(self, values, hint="shape"):
        """A 1-D int64 constant (shapes, axes, pads)."""
        return self.constant(list(values), hint, np.int64)

    def scalar(self, value, hint="scalar"):
        """A float32 scalar constant."""
        return self.constant(value, hint, np.float32)

    # ----- layout ----------------------------------------------------------
    def transpose(self, x, perm):
        """``x`` with its axes permuted by ``perm``, cancelling against a Transpose that produced ``x``.

        Args:
            x: the value name.
            perm: the permutation (output axis ``i`` is input axis ``perm[i]``).

        Returns:
            The permuted value's name (``x`` itself for the identity permutation).
        """
        perm = [int(p) for p in perm]
        if perm == sorted(perm):
            return x
        if x in self._transposed:
            source, first = self._transposed[x]
            combined = [first[p] for p in perm]
            if combined == sorted(combined):
                return source
            return self.transpose(source, combined)
        y = self.op("Transpose", [x], perm=perm)
        self._transposed[y] = (x, perm)
        return y

    def elementwise(self, x, build):
        """``build(x)`` for an elementwise function ``build``, run before the Transpose that produced ``x``.

        Args:
            x: the input value.
            build: a function of one value name that adds elementwise nodes (constants in them must be
                scalars) and returns the result's name.

        Returns:
            The output value's name.
        """
        if x in self._transposed:
            source, perm = self._transposed[x]
            return self.transpose(build(source), perm)
        return build(x)

    def unary(self, op_type, x, extra_inputs=(), **attributes):
        """One elementwise op on ``x`` (see ``elementwise``).

        Args:
            op_type: an elementwise ONNX operator (``"Relu"``, ``"Clip"``...).
            x: the input value.
            extra_inputs: further inputs that are scalars (such as Clip's bounds).
            **attributes: the node's attributes.

        Returns:
            The output value's name.
        """
        return self.elementwise(x, lambda v: self.op(op_type, [v, *extra_inputs], **attributes))

    def binary(self, op_type, a, b):
        """An elementwise op on two values of equal rank, done before a Transpose both share (if any)."""
        if a in self._transposed and b in self._transposed:
            (source_a, perm_a), (source_b, perm_b) = self._transposed[a], self._transposed[b]
            if perm_a == perm_b:
                return self.transpose(self.op(op_type, [source_a, source_b]), perm_a)
        return self.op(op_type, [a, b])

    # ----- opset-dependent spellings ---------------------------------------
    def reduce(self, op_type, x, axes, keepdims=True):
        """``ReduceMean``/``ReduceMax``/``ReduceSum``... over ``axes`` (attribute or input, by opset)."""
        keep = int(bool(keepdims))
        if op_type == "ReduceSum" or self.opset >= 18:
            return self.op(op_type, [x, self.int64s(axes, "axes")], keepdims=keep)
        return self.op(op_type, [x], axes=[int(a) for a in axes], keepdims=keep)

    def reduce_logical(self, op_type, x, axes, keepdims=True):
        """``reduce`` over ``x``'s ``axes``, done on the value before a pending Transpose (if any).

        A global pooling after a convolution then reduces the channels-first result directly.
        """
        if x not in self._transposed:
            return self.reduce(op_type, x, axes, keepdims)
        source, perm = self._transposed[x]
        rank = len(perm)
        axes = sorted(a % rank for a in axes)
        reduced = self.reduce(op_type, source, [perm[a] for a in axes], keepdims)
        if keepdims:
            return self.transpose(reduced, perm)
        kept = [perm[a] for a in range(rank) if a not in axes]  # source axes, in the logical order
        remaining = sorted(kept)
        return self.transpose(reduced, [remaining.index(s) for s in kept])

    def concat(self, values, axis, rank):
        """``values`` joined along ``axis``, before a Transpose they all share (if any)."""
        axis %= rank
        sources = [self._transposed.get(v) for v in values]
        if all(s is not None for s in sources) and all(s[1] == sources[0][1] for s in sources):
            perm = sources[0][1]
            return self.transpose(self.op("Concat", [s[0] for s in sources], axis=perm[axis]), perm)
        return self.op("Concat", list(values), axis=axis)

    def unsqueeze(self, x, axes):
        """``x`` with new size-1 axes at ``axes`` (of the output)."""
        return self.op("Unsqueeze", [x, self.int64s(axes, "axes")])

    def squeeze(self, x, axes):
        """``x`` without the size-1 axes ``axes``."""
        return self.op("Squeeze", [x, self.int64s(axes, "axes")])

    def reshape(self, x, shape):
        """``x`` reshaped to ``shape`` (0 copies the input's size on that axis, -1 is inferred)."""
        return self.op("Reshape", [x, self.int64s(shape, "shape")])

    def slice(self, x, starts, ends, axes, steps=None):
        """``x[starts:ends]`` along ``axes`` (``steps`` defaults to 1)."""
        inputs = [x, self.int64s(starts, "starts"), self.int64s(ends, "ends"), self.int64s(axes, "axes")]
        if steps is not None:
            inputs.append(self.int64s(steps, "steps"))
        return self.op("Slice", inputs)

    # ----- finishing -------------------------------------------------------
    def finish(self, name, inputs, outputs, doc=""):
        """The ``GraphProto``: outputs renamed to their public names, unused nodes and constants dropped.

        Args:
            name: the graph's name.
            inputs: ``ValueInfoProto`` list of the graph inputs.
            outputs: ``[(value name, ValueInfoProto)]``, the value each public output holds.
            doc: the graph's doc string.

        Returns:
            A ``GraphProto``.
        """
        helper = self.onnx.helper
        input_names = {info.name for info in inputs}
        renamed = {}  # internal value -> the public output name it now has
        for value, info in outputs:
            if value in renamed or value in input_names or value not in self._producer:
                source = renamed.get(value, value)  # a value already output (or an input) is copied
                self.nodes.append(helper.make_node("Identity", [source], [info.name],
                                                   name=self.fresh("Identity_node")))
            else:
                self._rename(value, info.name)
                renamed[value] = info.name
        nodes = self._needed_nodes({info.name for _, info in outputs})
        read = {name for node in nodes for name in node.input}
        initializers = [self.onnx.numpy_helper.from_array(array, name)
                        for name, array in self.initializers.items() if name in read]
        return helper.make_graph(nodes, name, inputs, [info for _, info in outputs], initializer=initializers,
                                 doc_string=doc)

    def _rename(self, old, new):
        for node in self.nodes:
            for field in (node.input, node.output):
                for i, value in enumerate(field):
                    if value == old:
                        field[i] = new
        self._producer[new] = self._producer.pop(old)

    def _needed_nodes(self, outputs):
        needed, keep = set(outputs), []
        for node in reversed(self.nodes):
            if any(name in needed for name in node.output):
                keep.append(node)
                needed.update(name for name in node.input if name)
        return keep[::-1]
