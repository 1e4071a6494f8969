"""The base of the preprocessing layers that compute on the host: strings or integers in, tensors out.

Kerasette tensors hold numbers only, so ``TextVectorization``, the lookup layers and the hashing
layers take their inputs as Python strings, lists, numpy arrays (string, bytes, object or integer)
or tensors, compute with numpy and Python on the host, and return numeric tensors on the active
backend. Called on a symbolic input (``Input(shape=(1,), dtype="string")``), they record a node of
the model graph like any layer, so a model can start from raw text.
"""

import numpy as np

from kerasette import ops
from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor, record_call


class HostPreprocessingLayer(Layer):
    """A layer whose ``call`` runs on host values (numpy arrays) instead of tensors.

    Subclasses implement ``call(inputs)`` on numpy arrays (strings as object arrays of ``str``) and
    return a numpy array; ``__call__`` converts the inputs, and converts a numeric result to a tensor
    of ``output_dtype``. They have no weights and no training behaviour.

    Args:
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``...).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    @property
    def output_dtype(self):
        """The dtype of the layer's outputs (its ``dtype`` unless a subclass says otherwise)."""
        return self.dtype

    def check_symbolic_input(self, tensor):
        """Raise if a symbolic input's dtype cannot feed this layer; subclasses override. The default accepts all.

        Args:
            tensor: the ``KerasTensor`` the layer is called on.
        """

    def convert_inputs(self, inputs):
        """The host value(s) ``call`` receives for ``inputs`` (one array; subclasses may take several).

        Args:
            inputs: what the layer was called with.

        Returns:
            A numpy array (strings as an object array of ``str``).
        """
        return host_array(inputs, getattr(self, "encoding", "utf-8"))

    def __call__(self, *args, **kwargs):
        """Run the layer on host values, or record it on symbolic ones.

        Args:
            *args: the inputs, as for any layer.
            **kwargs: ``training`` (ignored: the layer behaves the same in training and inference).

        Returns:
            A tensor of ``output_dtype`` (a numpy string array for an inverse string lookup), or a
            ``KerasTensor`` for symbolic inputs.

        Raises:
            TypeError: another argument than the inputs and ``training``.
        """
        inputs, args, kwargs, _ = self._split_call_arguments(args, kwargs)
        kwargs.pop("mask", None)  # no mask comes in or goes out: the outputs' zeros are the padding
        if args or kwargs:
            raise TypeError(f"Layer `{self.name}` takes only its inputs (and `training`). Received other "
                            f"arguments: {sorted(kwargs) or len(args)}")
        flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(x, KerasTensor) for x in flat):
            for tensor in flat:
                self.check_symbolic_input(tensor)
            outputs = record_call(self, inputs, {})
            outputs.dtype = self.output_dtype
            return outputs
        result = self.call(self.convert_inputs(inputs))
        if result.dtype == object:
            return result
        return ops.convert_to_tensor(result, dtype=self.output_dtype)

    def compute_output_shape(self, input_shape):
        """Subclasses give the output shape from the input shape; the default keeps it.

        Args:
            input_shape: the input's shape (None for unknown sizes).

        Returns:
            The output shape.
        """
        return tuple(input_shape)


def host_array(value, encoding="utf-8"):
    """``value`` as a numpy array on the host; text as an object array of ``str``.

    Args:
        value: a string, a (nested) list or tuple, a numpy array, or a tensor.
        encoding: the encoding of ``bytes`` values, decoded to ``str``.

    Returns:
        A numpy array: numeric arrays keep their dtype; strings and bytes become ``str`` objects.

    Raises:
        ValueError: the value cannot form an array (ragged nested lists).
    """
    if isinstance(value, ops.Tensor):
        value = value.numpy()
    elif isinstance(value, (str, bytes)):
        value = np.array(value, dtype=object)
    try:
        array = np.asarray(value) if isinstance(value, np.ndarray) else np.array(value, dtype=_list_dtype(value))
    except ValueError as error:
        raise ValueError(f"Could not make an array of the inputs (nested lists must have equal lengths): "
                         f"{error}") from None
    if array.dtype.kind in "US" or array.dtype == object:
        return _as_str_objects(array, encoding)
    return array


def is_text(array):
    """Whether a host array holds text (an object array of ``str``)."""
    return array.dtype == object


def is_batch_iterable(data):
    """Whether ``adapt`` data is an iterable of batches (a generator...) rather than one array or list.

    Args:
        data: what ``adapt`` was given.

    Returns:
        True for iterables other than lists, tuples, strings, numpy arrays and tensors.
    """
    return hasattr(data, "__iter__") and not isinstance(data, (list, tuple, np.ndarray, str, bytes)) and \
        not isinstance(data, ops.Tensor)


def _list_dtype(value):
    """``object`` for nested lists of strings (so long texts are not copied into fixed-width arrays)."""
    probe = value
    while isinstance(probe, (list, tuple)) and probe:
        probe = probe[0]
    return object if isinstance(probe, (str, bytes)) else None


def _as_str_objects(array, encoding):
    flat = array.ravel()
    out = np.empty(flat.shape, dtype=object)
    for index, item in enumerate(flat.tolist()):
        if isinstance(item, bytes):
            item = item.decode(encoding)
        elif isinstance(item, np.str_):
            item = str(item)
        elif not isinstance(item, str):
            raise TypeError(f"Expected strings, but the inputs mix strings with {type(item).__name__} values "
                            f"({item!r}).")
        out[index] = item
    return out.reshape(array.shape)
