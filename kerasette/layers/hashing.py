"""Hashing: strings or integers -> hash bins (FarmHash64, or SipHash64 with a salt), as Keras bins them."""

import numbers

import numpy as np

from kerasette.layers import validation
from kerasette.layers.host_encoding import OUTPUT_MODES, encode_indices, encoded_shape
from kerasette.layers.host_preprocessing import HostPreprocessingLayer
from kerasette.layers.string_hashing import as_hash_bytes, fingerprint64, siphash64


class Hashing(HostPreprocessingLayer):
    """A preprocessing layer which hashes and bins categorical features.

    Each value (a string, or an integer hashed as its decimal string, as Keras does; floats are
    truncated to integers first) goes to bin ``hash(value) % num_bins``, with FarmHash64 (TensorFlow's
    ``Fingerprint64``) or, given a ``salt``, SipHash64 keyed by it: the same bins as Keras on every
    platform. With ``mask_value``, bin 0 is kept for it and the others hash into ``num_bins - 1`` bins.
    The layer runs on the host, without TensorFlow, and returns tensors.

    Args:
        num_bins: positive int, the number of bins (the mask bin included).
        mask_value: the value that stands for masked input, mapped to bin 0; None (the default) for none.
        salt: None (FarmHash64), an int, or a pair of ints: the SipHash64 key (an int is used for both
            halves, as in Keras).
        output_mode: ``"int"`` (the default: bin indices), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: must be False: kerasette has no sparse tensors.
        **kwargs: base layer arguments. ``dtype`` is the output dtype: ``"int64"`` (or ``"int32"``) in
            ``"int"`` mode, by default ``"int64"``; float32 by default in the other modes.

    Input shape:
        Strings or integers of any shape.

    Output shape:
        ``"int"``: the input's shape. ``"one_hot"``: a ``num_bins`` axis added (replacing a last axis of
        size 1). ``"multi_hot"``, ``"count"``: the last axis becomes the ``num_bins`` axis.

    Example:
        >>> from kerasette import layers
        >>> layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).numpy().tolist()
        [[1], [0], [1], [1], [2]]
        >>> layers.Hashing(num_bins=3, salt=[133, 137])([["A"], ["B"], ["C"], ["D"], ["E"]]).numpy().ravel().tolist()
        [1, 2, 1, 0, 2]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        self.num_bins = validation.positive_int(self, "num_bins", num_bins)
        if output_mode not in OUTPUT_MODES:
            raise validation.invalid(self, "output_mode", f"one of {OUTPUT_MODES}", output_mode)
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise validation.invalid(self, "dtype", "'int32' or 'int64' when output_mode='int'", self.dtype)
        if sparse:
            raise validation.invalid(self, "sparse", "False: kerasette has no sparse tensors", sparse)
        self.mask_value, self.output_mode, self.sparse = mask_value, output_mode, sparse
        self.strong_hash = salt is not None
        self.salt = _salt(self, salt)

    def call(self, inputs):
        """Hash a numpy array of strings or numbers and encode the bins."""
        if self.output_mode == "one_hot" and inputs.ndim and inputs.shape[-1] == 1:
            inputs = inputs[..., 0]
        bins = self.hash_values(inputs)
        return encode_indices(bins, self.output_mode, self.num_bins, self.dtype)

    def hash_values(self, values):
        """The bin of each value of ``values`` (a numpy array), as Keras's ``_hash_values_to_bins``.

        Args:
            values: a numpy array of strings (object) or numbers.

        Returns:
            An int64 array of the same shape.
        """
        hash_bins, masked = self.num_bins, None
        flat = values.reshape(-1).tolist()
        if self.mask_value is not None and hash_bins > 1:
            hash_bins -= 1
            masked = np.array([v == self.mask_value for v in flat], dtype=bool)
        if self.strong_hash:
            codes = [siphash64(self.salt, _hash_input(v)) % hash_bins for v in flat]
        else:
            codes = [fingerprint64(_hash_input(v)) % hash_bins for v in flat]
        bins = np.array(codes, dtype=np.int64)
        if masked is not None:
            bins = np.where(masked, 0, bins + 1)
        return bins.reshape(values.shape)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}


def _hash_input(value):
    if isinstance(value, (bool, np.bool_)):
        return b"true" if value else b"false"  # tf.strings.as_string of a bool
    return as_hash_bytes(value)


def _salt(layer, salt):
    if salt is None:
        return None
    if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in salt):
        return [int(s) for s in salt]
    if isinstance(salt, numbers.Integral) and not isinstance(salt, bool):
        return [int(salt), int(salt)]
    raise ValueError(f"The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a single integer. "
                     f"Received: salt={salt}.")
