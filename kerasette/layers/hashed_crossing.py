"""HashedCrossing: crosses of categorical features with the hashing trick, in Keras's bins."""

import numpy as np

from kerasette.layers import validation
from kerasette.layers.host_encoding import encode_indices
from kerasette.layers.host_preprocessing import HostPreprocessingLayer, host_array, is_text
from kerasette.layers.string_hashing import CROSS_HASH_KEY, fingerprint64, fingerprint_cat64

_MASK = (1 << 64) - 1


class HashedCrossing(HostPreprocessingLayer):
    """A preprocessing layer which crosses features using the "hashing trick".

    Conceptually ``hash(concatenate(features)) % num_bins``; exactly, the bins of TensorFlow's
    ``tf.sparse.cross_hashed`` that Keras uses (each string feature fingerprinted with FarmHash64, each
    integer taken as is, chained with ``FingerprintCat64`` from the key ``0xDECAFCAFFE``), so a model's
    crossed features carry over. Inputs are scalars or batches of scalars: shapes ``()``, ``(batch,)``
    or ``(batch, 1)``. The layer runs on the host, without TensorFlow.

    Args:
        num_bins: positive int, the number of hash bins.
        output_mode: ``"int"`` (the default: bin indices) or ``"one_hot"``.
        sparse: must be False: kerasette has no sparse tensors.
        name: optional name of the layer.
        dtype: the output dtype; ``"int64"`` by default in ``"int"`` mode, float32 in ``"one_hot"`` mode.
        **kwargs: base layer arguments.

    Input shape:
        A list or tuple of at least two arrays of equal shape ``()``, ``(batch,)`` or ``(batch, 1)``,
        each of strings or integers.

    Output shape:
        ``"int"``: the inputs' shape. ``"one_hot"``: ``(batch, num_bins)``.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.HashedCrossing(num_bins=5)
        >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102]))).numpy().tolist()
        [1, 4, 1, 1, 3]
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if dtype is None:
            dtype = "int64" if output_mode == "int" else "float32"
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.num_bins = validation.positive_int(self, "num_bins", num_bins)
        if output_mode not in ("int", "one_hot"):
            raise validation.invalid(self, "output_mode", "'int' or 'one_hot'", output_mode)
        if sparse:
            raise validation.invalid(self, "sparse", "False: kerasette has no sparse tensors", sparse)
        self.output_mode, self.sparse = output_mode, sparse

    def check_symbolic_input(self, tensor):
        """Refuse a symbolic input that holds neither strings nor integers.

        Args:
            tensor: one of the ``KerasTensor`` inputs.
        """
        if tensor.dtype != "string" and not tensor.dtype.startswith(("int", "uint")):
            raise TypeError(f"All `HashedCrossing` inputs should have an integer or string dtype. Layer `{self.name}` "
                            f"received a symbolic input of dtype {tensor.dtype!r}.")

    def convert_inputs(self, inputs):
        """The inputs as a list of host arrays, checked (at least two, equal shapes of rank <= 2)."""
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"`HashedCrossing` should be called on a list or tuple of inputs. Received: "
                             f"inputs={inputs!r}")
        if len(inputs) < 2:
            raise ValueError(f"`HashedCrossing` should be called on at least two inputs. Received: inputs={inputs!r}")
        arrays = [host_array(x) for x in inputs]
        first = arrays[0].shape
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(f"All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or "
                             f"`(batch_size, 1)`. Received shapes {[a.shape for a in arrays]}")
        if any(a.shape != first for a in arrays[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. Received shapes "
                             f"{[a.shape for a in arrays]}")
        if not all(is_text(a) or np.issubdtype(a.dtype, np.integer) for a in arrays):
            raise ValueError(f"All `HashedCrossing` inputs should have an integer or string dtype. Received dtypes "
                             f"{[str(a.dtype) for a in arrays]}")
        return arrays

    def call(self, inputs):
        """Cross a list of host arrays (see ``convert_inputs``) into bins, one-hot encoded if asked."""
        shape = inputs[0].shape
        columns = [a.reshape(-1).tolist() for a in inputs]
        codes = []
        for row in zip(*columns):
            value = CROSS_HASH_KEY
            for feature in row:
                feature_hash = fingerprint64(feature.encode("utf-8")) if isinstance(feature, str) else \
                    int(feature) & _MASK
                value = fingerprint_cat64(value, feature_hash)
            codes.append(value % self.num_bins)
        bins = np.array(codes, dtype=np.int64).reshape(shape)
        return encode_indices(bins, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) < 2:
            raise ValueError(f"Expected as input a list/tuple of at least 2 tensors. Received input_shape="
                             f"{input_shape}")
        if any(tuple(s) != tuple(input_shape[0]) for s in input_shape[1:]):
            raise ValueError(f"Expected the input tensors to have identical shapes. Received input_shape={input_shape}")
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        return (shape[:-1] if shape and shape[-1] == 1 else shape) + (self.num_bins,)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse}
