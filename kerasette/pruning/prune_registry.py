"""Which built-in layers can be pruned, and which of their weights are pruned (TF-MOT's ``PruneRegistry``).

A layer class maps to the names of the attributes holding its prunable weights: ``Dense`` ->
``["kernel"]``; layers without weights worth pruning (pooling, normalization, activations...)
map to ``[]``: they are wrapped, so a whole model can be pruned, but keep their weights.
Recurrent layers are looked up through their cells. As in TF-MOT the lookup is by exact class:
a subclass of ``Dense`` implements ``get_prunable_weights`` (see ``PrunableLayer``) instead.
"""

from kerasette import layers
from kerasette.layers.op_layer import OpLayer
from kerasette.pruning.prunable_layer import PrunableLayer

_WEIGHTLESS = [
    "ELU", "LeakyReLU", "ReLU", "Softmax", "Cropping1D", "Cropping2D", "Cropping3D", "DepthwiseConv2D",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Activation",
    "ActivityRegularization", "Dropout", "Flatten", "Lambda", "Masking", "Permute", "RepeatVector", "Reshape",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Add", "Average", "Concatenate", "Dot", "Maximum",
    "Minimum", "Multiply", "Subtract", "AlphaDropout", "GaussianDropout", "GaussianNoise", "BatchNormalization",
    "LayerNormalization", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
    "GlobalMaxPooling3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Rescaling", "Identity",
]
_KERNELS = {
    "Conv1D": ["kernel"], "Conv2D": ["kernel"], "Conv3D": ["kernel"], "Conv1DTranspose": ["kernel"],
    "Conv2DTranspose": ["kernel"], "Conv3DTranspose": ["kernel"], "SeparableConv1D": ["pointwise_kernel"],
    "SeparableConv2D": ["pointwise_kernel"], "Dense": ["kernel"], "EinsumDense": ["kernel"],
    "Embedding": ["embeddings"],
}
_CELLS = {"GRUCell": ["kernel", "recurrent_kernel"], "LSTMCell": ["kernel", "recurrent_kernel"],
          "SimpleRNNCell": ["kernel", "recurrent_kernel"]}
_RNN_LAYERS = ["GRU", "LSTM", "RNN", "SimpleRNN"]


def _classes(names):
    return {getattr(layers, name) for name in names if hasattr(layers, name)}


LAYERS_WEIGHTS_MAP = {getattr(layers, name): [] for name in _WEIGHTLESS if hasattr(layers, name)}
LAYERS_WEIGHTS_MAP.update({getattr(layers, name): attrs for name, attrs in _KERNELS.items()})
LAYERS_WEIGHTS_MAP[OpLayer] = []  # a kerasette op on symbolic tensors (TF-MOT's TensorFlowOpLayer)
RNN_CELLS_WEIGHTS_MAP = {getattr(layers, name): attrs for name, attrs in _CELLS.items()}
RNN_LAYERS = frozenset(_classes(_RNN_LAYERS))


def _rnn_cells(layer):
    cell = layer.cell
    return list(cell.cells) if isinstance(cell, layers.StackedRNNCells) else [cell]


def _custom(layer):
    return isinstance(layer, PrunableLayer) or callable(getattr(layer, "get_prunable_weights", None))


def supports(layer):
    """Whether ``layer`` can be wrapped by ``PruneLowMagnitude``.

    True for the built-in layers of the registry (recurrent layers when each cell is a built-in
    cell or prunable) and for layers that implement ``get_prunable_weights``.

    Args:
        layer: a layer instance.

    Returns:
        A bool.
    """
    if _custom(layer) or type(layer) in LAYERS_WEIGHTS_MAP:
        return True
    if type(layer) in RNN_LAYERS:
        return all(type(cell) in RNN_CELLS_WEIGHTS_MAP or _custom(cell) for cell in _rnn_cells(layer))
    return False


def get_prunable_weights(layer):
    """The variables of a built ``layer`` that pruning sets to zero.

    Args:
        layer: a supported, built layer.

    Returns:
        A list of variables: ``layer.get_prunable_weights()`` for custom layers, else those the
        registry names (``[]`` for layers without prunable weights).

    Raises:
        ValueError: the layer is not supported.
    """
    if _custom(layer):
        return list(layer.get_prunable_weights())
    if type(layer) in LAYERS_WEIGHTS_MAP:
        return [getattr(layer, name) for name in LAYERS_WEIGHTS_MAP[type(layer)]]
    if supports(layer):  # a recurrent layer: the weights of its cells
        found = []
        for cell in _rnn_cells(layer):
            if _custom(cell):
                found += list(cell.get_prunable_weights())
            else:
                found += [getattr(cell, name) for name in RNN_CELLS_WEIGHTS_MAP[type(cell)]]
        return found
    raise ValueError(f"Layer {type(layer)} is not supported.")
