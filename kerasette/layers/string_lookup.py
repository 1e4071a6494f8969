"""StringLookup: strings -> vocabulary indices (or encodings), and back with ``invert``."""

import numpy as np

from kerasette.layers.host_preprocessing import is_text
from kerasette.layers.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    Each string is replaced by its index in a vocabulary, given with ``vocabulary`` or learned with
    ``adapt``. In ``"int"`` mode the mask token (when set) is index 0, then come the OOV indices
    (``num_oov_indices``, default 1), then the vocabulary; in the other modes the OOV indices come
    first and mask tokens are dropped. Strings outside the vocabulary take an OOV index (with several,
    chosen by FarmHash64, or SipHash64 with a ``salt``, as Keras does). The layer runs on the host,
    without TensorFlow: it takes Python strings, lists, numpy string/bytes/object arrays, and returns
    tensors.

    Args:
        max_tokens: the largest vocabulary ``adapt`` learns, the mask and OOV tokens included; None for
            no limit.
        num_oov_indices: the number of OOV indices (default 1); 0 makes unknown strings raise.
        mask_token: the string that stands for masked input, or None (the default).
        oov_token: the string an inverse lookup returns for OOV indices. Defaults to ``"[UNK]"``.
        vocabulary: a list (or 1-D array) of strings, or the path of a text file with one per line.
        idf_weights: with ``output_mode="tf_idf"``, the inverse document frequency of each term.
        invert: if True, map indices back to strings (``output_mode="int"`` only).
        output_mode: ``"int"`` (the default), ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: make the encoded axis ``max_tokens`` wide (not ``"int"`` mode).
        sparse: must be False: kerasette has no sparse tensors (Keras allows it on TensorFlow only).
        encoding: the encoding of ``bytes`` inputs. Defaults to ``"utf-8"``.
        salt: None, an int or a pair of ints: the SipHash key used to spread OOV strings.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``); Keras's ``oov_method``.

    Input shape:
        Strings of any shape (integer indices with ``invert``).

    Output shape:
        ``"int"``: the input's shape, int64. ``"one_hot"``: a vocabulary-sized axis added (replacing a
        last axis of size 1). ``"multi_hot"``, ``"count"``, ``"tf_idf"``: the last axis becomes the
        vocabulary-sized axis (float32).

    Example:
        >>> from kerasette import layers
        >>> layer = layers.StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer([["a", "c", "d"], ["d", "z", "b"]]).numpy().tolist()
        [[1, 3, 4], [4, 0, 2]]
        >>> layer = layers.StringLookup()
        >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
        >>> layer.get_vocabulary()
        ['[UNK]', 'd', 'z', 'c', 'b', 'a']
        >>> layers.StringLookup(vocabulary=["a", "b"], invert=True)([[1, 0, 2]]).tolist()
        [['a', '[UNK]', 'b']]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, salt=salt,
                         vocabulary_dtype="string", name=name, **kwargs)

    def check_symbolic_input(self, tensor):
        """Refuse a symbolic input that cannot hold strings (or, with ``invert``, integer indices).

        Args:
            tensor: the ``KerasTensor``.
        """
        wanted = "an integer dtype" if self.invert else "dtype 'string'"
        ok = tensor.dtype.startswith(("int", "uint")) if self.invert else tensor.dtype == "string"
        if not ok:
            raise TypeError(f"Layer `{self.name}` (StringLookup) expects inputs of {wanted}. Received a symbolic "
                            f"input of dtype {tensor.dtype!r}; create it with `Input(..., dtype="
                            f"{'int64' if self.invert else 'string'!r})`.")

    def _check_input_values(self, values):
        if self.invert and not np.issubdtype(values.dtype, np.integer):
            raise TypeError(f"Layer `{self.name}` (StringLookup, invert=True) expects integer indices. Received "
                            f"values of dtype {values.dtype}.")
        if not self.invert and not is_text(values):
            raise TypeError(f"Layer `{self.name}` (StringLookup) expects strings. Received values of dtype "
                            f"{values.dtype}.")

    def get_config(self):
        """The constructor arguments under Keras's keys (``encoding``; no ``vocabulary_dtype``)."""
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
