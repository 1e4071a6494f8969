"""``Function``: the graph of ops between symbolic inputs and outputs, as a reusable callable (``keras.Function``).

Like a functional ``Model`` without the Layer machinery: no weights of its own, no ``fit``. The ops and
layers called on the symbolic tensors run again, in order, on the values the function is called with.
"""

from __future__ import annotations

from typing import Any

from kerasette.layers.node import KerasTensor
from kerasette.models.graph import nodes_between, run_nodes
from kerasette.operation import Operation, _flatten, _pack


class Function(Operation):
    """A computation graph of kerasette ops and layers, from symbolic inputs to outputs, as ``keras.Function``.

    Record the graph by calling ops (or layers) on symbolic tensors (``keras.KerasTensor(shape)`` or
    ``keras.Input``), then call the function on arrays or tensors, given in the structure of
    ``inputs`` (one tensor, a list or tuple, or a dict, nested as needed). Called on symbolic tensors,
    it returns symbolic outputs (and records a node), so functions compose.

    Args:
        inputs: a ``KerasTensor``, or a list, tuple or dict of them.
        outputs: a ``KerasTensor``, or a list, tuple or dict of them, computable from ``inputs`` alone.
        name: the function's name.

    Raises:
        TypeError: an input or output is not a ``KerasTensor``.
        ValueError: no inputs or outputs, or an output that needs a tensor missing from ``inputs``.

    Example:
        >>> import numpy as np
        >>> import kerasette as keras
        >>> a, b = keras.KerasTensor((None, 2)), keras.KerasTensor((None, 2))
        >>> fn = keras.Function(inputs=[a, b], outputs=keras.ops.maximum(a, b) * 2.0)
        >>> fn([np.array([[1.0, 4.0]]), np.array([[3.0, 2.0]])]).numpy().tolist()
        [[6.0, 8.0]]
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._inputs, self._outputs = _flatten(inputs), _flatten(outputs)
        for what, group, given in (("inputs", self._inputs, inputs), ("outputs", self._outputs, outputs)):
            if not group:
                raise ValueError(f"`{what}` argument cannot be empty. Received:\ninputs={inputs}\noutputs={outputs}")
            for tensor in group:
                if not isinstance(tensor, KerasTensor):
                    raise TypeError(f"All `{what}` of a Function must be KerasTensors (from keras.KerasTensor, "
                                    f"keras.Input or an op on them). Received: {what}={given!r}")
        try:
            self._nodes = nodes_between(self._inputs, self._outputs)
        except ValueError as error:
            raise ValueError(f"Function `{self.name}`: the outputs cannot be computed from `inputs` alone. {error}") \
                from None

    @property
    def inputs(self) -> list:
        """The flat list of the symbolic inputs."""
        return self._inputs

    @property
    def outputs(self) -> list:
        """The flat list of the symbolic outputs."""
        return self._outputs

    @property
    def operations(self) -> list:
        """The layers and op nodes the function runs, in execution order (each once)."""
        seen = []
        for node in self._nodes:
            if all(node.layer is not layer for layer in seen):
                seen.append(node.layer)
        return seen

    def call(self, inputs: Any) -> Any:
        """The outputs (in the structure of ``outputs``) for input values in the structure of ``inputs``.

        Args:
            inputs: arrays or tensors, structured as the function's ``inputs``.
        """
        values = self._check_inputs(inputs)
        computed = run_nodes(self._nodes, self._inputs, values)
        return _pack(self._outputs_struct, iter(computed[id(t)] for t in self._outputs))

    def compute_output_spec(self, inputs: Any) -> Any:
        """Symbolic outputs for symbolic ``inputs``: the recorded shapes when the input shapes are the same.

        Args:
            inputs: ``KerasTensor`` objects, structured as the function's ``inputs``.
        """
        values = self._check_inputs(inputs)
        if all(tuple(x.shape) == tuple(ref.shape) for x, ref in zip(values, self._inputs)):
            return _pack(self._outputs_struct, iter(KerasTensor(t.shape, dtype=t.dtype) for t in self._outputs))
        return super().compute_output_spec(inputs)

    def _check_inputs(self, inputs):
        """The flat input values, after checking their structure and shapes against ``inputs``."""
        if not _same_structure(inputs, self._inputs_struct):
            raise ValueError(f"Function was called with an invalid input structure. Expected input structure: "
                             f"{self._inputs_struct}\nReceived input structure: {inputs!r}")
        values = _flatten(inputs)
        for index, (value, ref) in enumerate(zip(values, self._inputs)):
            shape = tuple(getattr(value, "shape", ()))
            if len(shape) != len(ref.shape) or any(r is not None and s is not None and s != r
                                                   for s, r in zip(shape, ref.shape)):
                which = f"'{ref.name}'" if ref.name else str(index)
                raise ValueError(f"{type(self).__name__} was passed incompatible inputs. For input {which}, "
                                 f"expected shape {ref.shape}, but received instead a tensor with shape {shape}.")
        return values

    def __repr__(self) -> str:
        return f"<Function name={self.name}>"


def _same_structure(value, reference):
    if isinstance(reference, (list, tuple)):
        return isinstance(value, (list, tuple)) and len(value) == len(reference) and all(
            _same_structure(v, r) for v, r in zip(value, reference))
    if isinstance(reference, dict):
        return isinstance(value, dict) and set(value) == set(reference) and all(
            _same_structure(value[k], reference[k]) for k in reference)
    return not isinstance(value, (list, tuple, dict))
