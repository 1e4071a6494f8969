"""IndexLookup: the shared base of StringLookup and IntegerLookup (terms <-> vocabulary indices).

Index layout, as in Keras: in ``"int"`` mode the mask token (if any) is index 0, then the
``num_oov_indices`` OOV indices, then the vocabulary; in the other modes the mask token has no index
(masked items are dropped) and the OOV indices come first.
"""

import numpy as np

from kerasette.layers import lookup_config
from kerasette.layers import lookup_vocabulary as lv
from kerasette.layers.host_encoding import encode_indices, encoded_shape
from kerasette.layers.host_preprocessing import HostPreprocessingLayer, host_array
from kerasette.layers.lookup_adapt import LookupAdaptMixin
from kerasette.layers.string_hashing import as_hash_bytes, fingerprint64, siphash64


class IndexLookup(LookupAdaptMixin, HostPreprocessingLayer):
    """Maps terms to integer indices through a vocabulary (or back, with ``invert``); not a public layer.

    The arguments are those of ``StringLookup`` and ``IntegerLookup``, which document them; the
    vocabulary is given (``vocabulary``, ``set_vocabulary``) or learned with ``adapt``.

    Args:
        max_tokens: int > 1 or None, the largest vocabulary, special tokens included.
        num_oov_indices: int >= 0, the number of OOV indices (0: unknown terms raise).
        mask_token: the mask term, or None.
        oov_token: the term an inverse lookup returns for OOV indices.
        vocabulary_dtype: ``"string"`` or ``"int64"``.
        vocabulary: a list of terms, or the path of a file with one term per line, or None.
        idf_weights: the idf weights of ``vocabulary`` (``output_mode="tf_idf"`` only).
        invert: map indices to terms instead.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: must be False (kerasette has no sparse tensors).
        pad_to_max_tokens: make the encoded axis ``max_tokens`` wide.
        oov_method: ``"floormod"`` or ``"farmhash"``: how integer OOV terms pick one of several OOV indices.
        salt: None, an int or a pair of ints: hash OOV terms with SipHash keyed by it.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).
    """

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, **kwargs):
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        lookup_config.check_arguments(self, max_tokens, num_oov_indices, output_mode, invert, sparse,
                                      pad_to_max_tokens, idf_weights, oov_method, vocabulary_dtype)
        self.invert, self.max_tokens, self.num_oov_indices = invert, max_tokens, num_oov_indices
        self.mask_token, self.oov_token, self.output_mode = mask_token, oov_token, output_mode
        self.sparse, self.pad_to_max_tokens, self.vocabulary_dtype = sparse, pad_to_max_tokens, vocabulary_dtype
        self.oov_method = oov_method
        self.salt = lookup_config.check_salt(self, salt, vocabulary_dtype != "string" and oov_method != "farmhash")
        # What the user gave (a file's terms and a learned vocabulary restored from a config are state).
        given = has_input_vocabulary and not isinstance(vocabulary, str)
        self.input_vocabulary = vocabulary if given else None
        self.input_idf_weights = idf_weights if given else None
        self._has_input_vocabulary = bool(has_input_vocabulary)
        self._frozen_vocab_size = frozen_size
        self._terms, self._index, self.idf_weights = None, {}, None
        self._counter = lv.TokenCounter()
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` "
                             "argument must also be provided.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ----- the vocabulary ----------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _special_tokens(self):
        return [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices

    def get_vocabulary(self, include_special_tokens=True):
        """Return the vocabulary, index by index.

        Args:
            include_special_tokens: if True (the default), the mask and OOV tokens come first, so a
                term's position is its index; if False, only the terms.

        Returns:
            A list of terms (``str`` for StringLookup, ``int`` for IntegerLookup).
        """
        terms = list(self._terms or [])
        return self._special_tokens() + terms if include_special_tokens else terms

    def vocabulary_size(self):
        """Return the size of the vocabulary, the mask and OOV indices included.

        Returns:
            An int.
        """
        return self._token_start_index() + len(self._terms or [])

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and, in ``tf_idf`` mode, the idf weights) directly, replacing any other.

        Args:
            vocabulary: a list, tuple or 1-D array of terms, optionally starting with exactly the
                special tokens ``get_vocabulary()`` starts with; or the path of a text file with one
                term per line.
            idf_weights: the inverse document frequency of each entry of ``vocabulary``; required in
                ``tf_idf`` mode, refused otherwise. The OOV slots get their mean unless the vocabulary
                starts with the special tokens.

        Raises:
            ValueError: a missing or unexpected ``idf_weights``, an empty vocabulary, a repeated term,
                a misplaced special token, more terms than ``max_tokens`` allows, or weights of another
                length.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary from file.")
            vocabulary = lv.read_vocabulary_file(vocabulary, self.vocabulary_dtype != "string")
        vocabulary = self._as_terms(vocabulary)
        terms, found = lv.split_special_tokens(self, vocabulary, self._special_tokens())
        size = self._token_start_index() + len(terms)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(f"Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary "
                             f"size is {size}; `max_tokens` is {self.max_tokens}.")
        if idf_weights is not None:
            idf_weights = np.asarray(idf_weights, dtype=np.float32)
            if idf_weights.ndim != 1 or len(idf_weights) != len(vocabulary):
                raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                                 f"{len(idf_weights)}; len(vocabulary) is {len(vocabulary)}")
        self._set_terms(terms)
        if idf_weights is not None:
            self.idf_weights = lv.full_idf_weights(idf_weights, found, self._token_start_index(), self._pad_depth())

    def _as_terms(self, vocabulary):
        values = host_array(vocabulary)
        if values.ndim != 1:
            raise ValueError(f"The vocabulary of layer `{self.name}` must be 1-D. Received shape {values.shape}.")
        if self.vocabulary_dtype == "string":
            return values.tolist()
        if not np.issubdtype(values.dtype, np.integer):
            raise ValueError(f"The vocabulary of layer `{self.name}` must hold integers. Received dtype "
                             f"{values.dtype}.")
        return [int(v) for v in values.tolist()]

    def _set_terms(self, terms):
        size = self._token_start_index() + len(terms)
        if (self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size is not None
                and size != self._frozen_vocab_size):
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                               f"vocabulary size cannot be changed after the layer is called. Old vocab size is "
                               f"{self._frozen_vocab_size}, new vocab size is {size}")
        start = self._token_start_index()
        self._terms = list(terms)
        self._index = {term: start + i for i, term in enumerate(self._terms)}
        self._frozen_vocab_size = size

    def _pad_depth(self):
        return self.max_tokens if self.pad_to_max_tokens else None

    # ----- calling -----------------------------------------------------------------------------
    def _host_values(self, data):
        return host_array(data, getattr(self, "encoding", "utf-8"))

    def call(self, inputs):
        """Look ``inputs`` up (a numpy array of terms, or of indices with ``invert``) and encode the result."""
        self._check_input_values(inputs)
        if self.invert:
            return self._invert(inputs)
        self.require_vocabulary()
        indices = self.lookup_indices(inputs)
        if self.output_mode == "int":
            return indices
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        if self.output_mode == "tf_idf":
            return encode_indices(indices, "count", depth, self.output_dtype, count_weights=self.idf_weights)
        return encode_indices(indices, self.output_mode, depth, self.output_dtype)

    def require_vocabulary(self, owner=None):
        """Raise a RuntimeError if the layer has no vocabulary yet (neither given nor adapted).

        Args:
            owner: the name of the layer to name in the message (a TextVectorization holding this one).
        """
        if self._terms is None:
            raise RuntimeError(f"Layer `{owner or self.name}` has no vocabulary yet. Either pass a `vocabulary` "
                               "argument to the layer, or call `adapt` with some sample data.")

    def lookup_indices(self, values):
        """The index of each term of ``values`` (a numpy array), before any encoding.

        OOV terms get OOV indices; mask terms get 0 in ``"int"`` mode and -1 (dropped by the encodings)
        otherwise.

        Args:
            values: a numpy array of terms.

        Returns:
            An int64 array of the same shape.

        Raises:
            ValueError: an OOV term when ``num_oov_indices=0``.
        """
        flat = values.reshape(-1).tolist()
        index = self._index
        indices = np.fromiter((index.get(v, -1) for v in flat), dtype=np.int64, count=len(flat))
        oov = indices < 0
        if self.mask_token is not None:
            is_mask = np.fromiter((v == self.mask_token for v in flat), dtype=bool, count=len(flat))
            oov &= ~is_mask
            indices[is_mask] = 0 if self.output_mode == "int" else -1  # dropped by the encodings
        if oov.any():
            if self.num_oov_indices == 0:
                unknown = [v for v, o in zip(flat, oov) if o]
                raise ValueError(f"When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
                                 f"{unknown[:10]}, consider setting `num_oov_indices=1`.")
            indices[oov] = [self._oov_index(v) for v, o in zip(flat, oov) if o]
        return indices.reshape(values.shape)

    def _oov_index(self, term):
        start, count = self._oov_start_index(), self.num_oov_indices
        if count == 1:
            return start
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            return start + int(term) % count
        data = as_hash_bytes(term, getattr(self, "encoding", "utf-8"))
        return start + (siphash64(self.salt, data) if self.salt is not None else fingerprint64(data)) % count

    def _invert(self, indices):
        vocabulary = self.get_vocabulary()
        size, start = len(vocabulary), self._token_start_index()
        default = self.oov_token
        flat = [vocabulary[i] if start <= i < size else default for i in indices.reshape(-1).tolist()]
        if self.mask_token is not None:
            flat = [self.mask_token if i == 0 else term for i, term in zip(indices.reshape(-1).tolist(), flat)]
        dtype = object if self.vocabulary_dtype == "string" else np.int64
        return np.array(flat, dtype=dtype).reshape(indices.shape)

    def _check_input_values(self, values):
        """Subclasses check the kind of values they take (strings or integers)."""

    @property
    def output_dtype(self):
        """``int64`` indices in ``"int"`` mode (the terms with ``invert``), else the layer's float dtype."""
        if self.output_mode == "int":
            return "string" if self.invert and self.vocabulary_dtype == "string" else "int64"
        return self.dtype if self.dtype.startswith("float") else "float32"

    def compute_output_shape(self, input_shape):
        """The output shape: the input's in ``"int"`` mode, else with a vocabulary-sized last axis.

        Args:
            input_shape: the input's shape.

        Returns:
            The output shape (the encoded axis is None while the vocabulary size is unknown).
        """
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        return encoded_shape(input_shape, mode, depth)

    # ----- saving --------------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments; the vocabulary and idf weights travel in it (see ``lookup_config``)."""
        return {**super().get_config(), **lookup_config.lookup_config(self)}

    @classmethod
    def from_config(cls, config):
        """Create a layer from ``get_config()``'s output (a vocabulary file path is refused).

        Args:
            config: the dict ``get_config`` returned (or Keras wrote).

        Returns:
            A new layer with the config's vocabulary.
        """
        return cls(**lookup_config.checked_config(config))

    def save_own_variables(self, store):
        """Write the idf weights (``tf_idf`` mode) as Keras does, under the key ``idf_weights``.

        Args:
            store: the layer's ``vars`` store.
        """
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store):
        """Read the idf weights ``save_own_variables`` wrote (the vocabulary comes from the config).

        Args:
            store: the layer's ``vars`` store.
        """
        if self.output_mode == "tf_idf" and "idf_weights" in store.keys():
            self.idf_weights = np.asarray(store["idf_weights"], dtype=np.float32)

    def save_assets(self, dir_path):
        """Write the vocabulary to ``dir_path/vocabulary.txt`` (Keras's asset), unless it is in the config.

        Args:
            dir_path: an existing directory.
        """
        lookup_config.save_vocabulary_asset(self, dir_path)

    def load_assets(self, dir_path):
        """Read the vocabulary from ``dir_path/vocabulary.txt`` (a Keras ``.keras`` file's asset).

        Args:
            dir_path: the directory holding ``vocabulary.txt``.
        """
        lookup_config.load_vocabulary_asset(self, dir_path)
