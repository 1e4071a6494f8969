"""InputLayer and ``Input``: the entry points of a model graph."""

from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor, Node


class InputLayer(Layer):
    """Holds a model input's shape and dtype; its output is a symbolic tensor."""

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None, name=None,
                 input_shape=None, batch_input_shape=None, sparse=None, ragged=None, **kwargs):
        batch_shape = batch_shape or batch_input_shape
        if batch_shape is None:
            shape = shape if shape is not None else input_shape
            if shape is None:
                raise ValueError("InputLayer needs `shape` (without the batch dimension) or `batch_shape`.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        for size in batch_shape[1:]:
            if size is not None and (not isinstance(size, int) or size <= 0):
                raise ValueError(
                    f"Invalid value for argument `shape` of layer `{name or 'input_layer'}`. Expected "
                    f"positive ints or None. Received: shape={tuple(batch_shape[1:])}"
                )
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.batch_shape = tuple(batch_shape)
        self.built = True
        output = KerasTensor(self.batch_shape, dtype=self.dtype, history=(self, 0, 0), name=self.name)
        self._inbound_nodes.append(Node(self, [], False, {}, [output], False))

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"batch_input_shape": list(self.batch_shape), "dtype": self.dtype, "sparse": False,
                "ragged": False, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, name=None, batch_shape=None):
    """A symbolic tensor to start a model from: ``x = Input(shape=(28, 28, 1))``."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, batch_shape=batch_shape)
    return layer.output
