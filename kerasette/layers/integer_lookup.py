"""IntegerLookup: integers -> vocabulary indices (or encodings), and back with ``invert``."""

import numpy as np

from kerasette.layers.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded) indices.

    Each integer is replaced by its index in a vocabulary, given with ``vocabulary`` or learned with
    ``adapt``. In ``"int"`` mode the mask token (when set) is index 0, then come the OOV indices, then
    the vocabulary; in the other modes the OOV indices come first and mask tokens are dropped. With
    several OOV indices an unknown integer picks one by ``floormod`` (the default) or by FarmHash64 of
    its decimal string (``oov_method="farmhash"``, SipHash64 with a ``salt``), as in Keras.

    Args:
        max_tokens: the largest vocabulary ``adapt`` learns, the mask and OOV tokens included; None for
            no limit.
        num_oov_indices: the number of OOV indices (default 1); 0 makes unknown integers raise.
        mask_token: the integer that stands for masked input, or None (the default).
        oov_token: the integer an inverse lookup returns for OOV indices. Defaults to -1.
        vocabulary: a list (or 1-D array) of integers, or the path of a text file with one per line.
        vocabulary_dtype: must be ``"int64"`` (as in Keras).
        idf_weights: with ``output_mode="tf_idf"``, the inverse document frequency of each term.
        invert: if True, map indices back to integers (``output_mode="int"`` only).
        output_mode: ``"int"`` (the default), ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: must be False: kerasette has no sparse tensors.
        pad_to_max_tokens: make the encoded axis ``max_tokens`` wide (not ``"int"`` mode).
        oov_method: ``"floormod"`` (the default) or ``"farmhash"``.
        salt: None, an int or a pair of ints: the SipHash key (only with ``oov_method="farmhash"``).
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Input shape:
        Integers of any shape.

    Output shape:
        As ``StringLookup``'s.

    Example:
        >>> import numpy as np
        >>> from kerasette import layers
        >>> layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy().tolist()
        [[1, 3, 4], [4, 0, 2]]
        >>> layer = layers.IntegerLookup()
        >>> layer.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
        >>> layer.get_vocabulary()
        [-1, 42, 1138, 1000, 36, 12]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name, **kwargs)

    def check_symbolic_input(self, tensor):
        """Refuse a symbolic input that does not hold integers.

        Args:
            tensor: the ``KerasTensor``.
        """
        if not tensor.dtype.startswith(("int", "uint")):
            raise TypeError(f"Layer `{self.name}` (IntegerLookup) expects integer inputs. Received a symbolic input "
                            f"of dtype {tensor.dtype!r}; create it with `Input(..., dtype='int64')`.")

    def _check_input_values(self, values):
        if not np.issubdtype(values.dtype, np.integer):
            raise TypeError(f"Layer `{self.name}` (IntegerLookup) expects integers. Received values of dtype "
                            f"{values.dtype}.")

    def _host_values(self, data):
        values = super()._host_values(data)
        self._check_input_values(values)
        return values

    def get_config(self):
        """The constructor arguments under Keras's keys (tokens and vocabulary as Python ints)."""
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
