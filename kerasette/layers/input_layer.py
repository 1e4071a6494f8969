"""InputLayer and ``Input``: the entry points of a model graph."""

from kerasette.layers.layer import Layer
from kerasette.layers.node import KerasTensor, Node


class InputLayer(Layer):
    """The layer behind ``Input``: holds a model input's shape and dtype.

    Its ``output`` is the symbolic tensor (``KerasTensor``) a model graph starts from. Users normally
    call ``Input``; ``InputLayer`` appears in ``Sequential`` models and in saved configs. Calling the
    layer returns its inputs unchanged.

    Args:
        shape: tuple of ints or None (an int means a 1-tuple), the input's shape without the batch
            axis; None entries are unknown sizes.
        batch_size: optional int, a fixed batch size.
        dtype: the dtype of the input, as a string (``"float32"``, ``"int32"``...). Defaults to
            ``"float32"``.
        batch_shape: optional tuple, the shape including the batch axis; when given, ``shape`` and
            ``batch_size`` are not used.
        name: optional str, the layer's (and the input's) name. If None, one is generated.
        input_shape: the tf.keras 2 name of ``shape``, used when ``shape`` is None.
        batch_input_shape: the tf.keras 2 name of ``batch_shape``.
        sparse: must be False or None (kerasette's tensors are always dense); True raises a ValueError.
        ragged: must be False or None (kerasette's tensors are never ragged); True raises a ValueError.
        **kwargs: base layer arguments (``trainable``). Keras's ``input_tensor`` and ``optional`` are
            not supported and raise a TypeError.

    Input shape:
        ``batch_shape`` (the layer holds no data; calling it passes its inputs through).

    Output shape:
        ``batch_shape``.

    Raises:
        ValueError: if neither ``shape`` nor ``batch_shape`` is given, or a non-batch size is not a
            positive int or None.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None, name=None,
                 input_shape=None, batch_input_shape=None, sparse=None, ragged=None, **kwargs):
        if sparse:
            raise ValueError(f"InputLayer `{name or 'input_layer'}`: sparse=True is not supported; kerasette's "
                             "tensors are dense. Received: sparse=True")
        if ragged:
            raise ValueError(f"InputLayer `{name or 'input_layer'}`: ragged=True is not supported; kerasette's "
                             "tensors are never ragged. Received: ragged=True")
        given_shape = shape is not None or input_shape is not None
        if given_shape and (batch_shape is not None or batch_input_shape is not None):
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time. "
                             f"Received: shape={shape or input_shape}, batch_shape={batch_shape or batch_input_shape}")
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
        string_input = dtype in ("string", "str")
        # Without a dtype an input is floatx (float32), whatever the global dtype policy, as in Keras.
        super().__init__(name=name, dtype="float32" if string_input or dtype is None else dtype, **kwargs)
        if string_input:
            self.dtype = "string"  # raw text for TextVectorization and the lookup layers, kept on the host
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
    """Create a symbolic tensor to start a functional model from.

    The result (a ``KerasTensor``) has a shape and a dtype but no data. Calling layers on it records
    the graph that ``Model(inputs, outputs)`` turns into a model.

    Args:
        shape: tuple of ints or None, the input's shape without the batch axis; for instance
            ``shape=(32,)`` means batches of 32-dimensional vectors. None entries are sizes that may
            vary (e.g. a sequence length).
        batch_size: optional int, a fixed batch size.
        dtype: the dtype of the input, as a string (``"float32"``, ``"int32"``...). Defaults to
            ``"float32"``. ``"string"`` makes a text input: numpy string arrays fed to it stay on the host
            for the layers that take text (``TextVectorization``, ``StringLookup``, ``Hashing``).
        name: optional str, the name of the input (unique in a model). If None, one is generated.
        batch_shape: optional tuple, the shape including the batch axis (instead of ``shape`` and
            ``batch_size``).

    Keras's ``sparse``, ``ragged``, ``tensor`` and ``optional`` arguments are not supported: passing
    them raises a TypeError.

    Returns:
        A ``KerasTensor``.

    Raises:
        ValueError: if neither ``shape`` nor ``batch_shape`` is given, or a non-batch size is not a
            positive int or None.

    Example:
        >>> import numpy as np
        >>> import kerasette as ks
        >>> from kerasette import layers
        >>> x = layers.Input(shape=(32,))
        >>> x.shape
        (None, 32)
        >>> y = layers.Dense(16, activation="softmax")(x)
        >>> y.shape
        (None, 16)
        >>> model = ks.Model(x, y)  # a logistic regression
        >>> model.predict(np.zeros((2, 32)), verbose=0).shape
        (2, 16)
        >>> layers.Input(batch_shape=(8, 10), dtype="int32").dtype
        'int32'
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, batch_shape=batch_shape)
    return layer.output
