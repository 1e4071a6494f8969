"""TextVectorization: raw strings -> token indices (or multi-hot, counts, TF-IDF), without TensorFlow."""


import numpy as np

from kerasette.layers import text_processing
from kerasette.layers.host_encoding import encode_indices
from kerasette.layers.host_preprocessing import HostPreprocessingLayer, host_array, is_text
from kerasette.layers.lookup_adapt import adapt_in_batches
from kerasette.layers.lookup_config import checked_config
from kerasette.layers.string_lookup import StringLookup
from kerasette.layers.text_vectorization_config import check_arguments, config_callable, ngram_widths


class TextVectorization(HostPreprocessingLayer):
    """A preprocessing layer which maps text features to integer sequences.

    Each string is standardized (lowercased, punctuation stripped), split into tokens (words),
    optionally recombined into n-grams, and each token is replaced by its index in a vocabulary
    learned with ``adapt`` (or given with ``vocabulary``): most frequent tokens first, index 0 for
    padding and 1 for out-of-vocabulary tokens (``"[UNK]"``) in ``"int"`` mode. The string steps
    follow TensorFlow's, which Keras uses (ASCII lowercasing, ASCII punctuation and whitespace), so a
    vocabulary carries over. The layer runs on the host, in pure Python: it takes Python strings,
    lists, numpy string/bytes/object arrays, and returns tensors; in a model it follows
    ``Input(shape=(1,), dtype="string")``.

    Args:
        max_tokens: the largest vocabulary, the padding and OOV tokens included; None for no limit.
        standardize: ``"lower_and_strip_punctuation"`` (the default), ``"lower"``,
            ``"strip_punctuation"``, None, or a callable taking and returning a numpy array of strings.
        split: ``"whitespace"`` (the default), ``"character"``, None (each string is one token), or a
            callable taking a 1-D numpy array of strings and returning a list of token lists.
        ngrams: None, an int n (all n-grams of 1 to n tokens), or a tuple of widths.
        output_mode: ``"int"`` (the default: token indices), ``"multi_hot"``, ``"count"``, ``"tf_idf"``,
            or ``"one_hot"`` (with ``split=None`` only).
        output_sequence_length: ``"int"`` mode only: pad (with 0, at the end) or cut every sequence to
            this length. None pads to the longest sequence of the batch.
        pad_to_max_tokens: not ``"int"`` mode: make the output ``max_tokens`` wide.
        vocabulary: a list of strings, or the path of a file with one per line.
        idf_weights: ``"tf_idf"`` mode with ``vocabulary``: the inverse document frequency of each term.
        sparse: must be False: kerasette has no sparse tensors (Keras allows it on TensorFlow only).
        ragged: must be False: kerasette has no ragged tensors (Keras allows it on TensorFlow only).
        encoding: the encoding of ``bytes`` inputs. Defaults to ``"utf-8"``.
        **kwargs: base layer arguments (``name``, ``dtype``, ``trainable``).

    Input shape:
        A batch of strings, ``(batch,)`` or ``(batch, 1)``, or a single string.

    Output shape:
        ``"int"``: ``(batch, output_sequence_length)``, int64. Other modes: ``(batch, vocabulary size)``
        (``max_tokens`` with ``pad_to_max_tokens``), float32.

    Example:
        >>> from kerasette import layers
        >>> layer = layers.TextVectorization(max_tokens=5000, output_sequence_length=4)
        >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']
        >>> layer([["foo qux bar"], ["qux baz"]]).numpy().tolist()
        [[4, 1, 3, 0], [1, 2, 0, 0]]
        >>> layers.TextVectorization(output_mode="count", vocabulary=["foo", "bar", "baz"])(
        ...     ["foo bar", "baz foo foo"]).numpy().tolist()
        [[0.0, 1.0, 1.0, 0.0], [0.0, 2.0, 0.0, 1.0]]
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        check_arguments(self, standardize, split, ngrams, output_mode, output_sequence_length, sparse, ragged)
        self._standardize, self._split, self._ngrams_arg = standardize, split, ngrams
        self._ngrams = ngram_widths(ngrams)
        self._output_mode, self._output_sequence_length = output_mode, output_sequence_length
        self._ragged, self._encoding = ragged, encoding
        self._has_input_vocabulary = has_input_vocabulary
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode, sparse=sparse,
            has_input_vocabulary=has_input_vocabulary, encoding=encoding, vocabulary_size=vocabulary_size)

    @property
    def output_dtype(self):
        """``int64`` in ``"int"`` mode, else the layer's float dtype."""
        return self._lookup_layer.output_dtype

    def check_symbolic_input(self, tensor):
        """Refuse a symbolic input that does not hold strings.

        Args:
            tensor: the ``KerasTensor``.
        """
        if tensor.dtype != "string":
            raise TypeError(f"Layer `{self.name}` (TextVectorization) expects strings. Received a symbolic input of "
                            f"dtype {tensor.dtype!r}; create it with `Input(shape=(1,), dtype='string')`.")

    # ----- the vocabulary ----------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary (and the idf weights in ``"tf_idf"`` mode) from a corpus.

        Tokens are sorted by count, most frequent first (ties: the token that sorts last first); with
        ``max_tokens``, only the most frequent are kept.

        Args:
            data: a list or array of strings (one document each), or an iterable of such batches (a
                generator).
            batch_size: accepted for Keras compatibility; arrays are read in one pass.
            steps: with an iterable of batches, the most batches to read (None: all).

        Raises:
            ValueError: the layer was given its vocabulary with the ``vocabulary`` argument.
        """
        adapt_in_batches(self, data, steps, self._texts)

    def update_state(self, data):
        """Count the tokens of one batch of strings.

        Args:
            data: a list or array of strings.
        """
        self._lookup_layer.update_documents(self._documents(self._texts(data)))

    def finalize_state(self):
        """Turn the counts into the vocabulary."""
        self._lookup_layer.finalize_state()

    def reset_state(self):
        """Forget the counts of an adapt in progress."""
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """Return the vocabulary: a token's position is its index.

        Args:
            include_special_tokens: if True (the default), start with the padding token ``""`` (``"int"``
                mode) and the OOV token ``"[UNK]"``.

        Returns:
            A list of strings.
        """
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """Return the number of indices, the padding and OOV indices included.

        Returns:
            An int.
        """
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and idf weights in ``"tf_idf"`` mode) directly, as ``StringLookup.set_vocabulary``.

        Args:
            vocabulary: a list or 1-D array of strings, or the path of a file with one per line.
            idf_weights: the inverse document frequency of each term (``"tf_idf"`` mode only).
        """
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ----- calling -----------------------------------------------------------------------------
    def _texts(self, data):
        texts = host_array(data, self._encoding)
        if not is_text(texts):
            raise TypeError(f"Layer `{self.name}` (TextVectorization) expects strings. Received values of dtype "
                            f"{texts.dtype}.")
        if self._split is not None and texts.ndim > 1:
            if texts.shape[-1] != 1 or texts.ndim > 2:
                raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 or "
                                 f"the last shape dimension must be 1. Received: inputs.shape={texts.shape} with "
                                 f"rank={texts.ndim}")
            texts = texts[..., 0]
        return texts

    def _documents(self, texts):
        """One token list per string of ``texts`` (a 1-D array; with ``split=None``, a 2-D one of rows)."""
        if callable(self._standardize):
            texts = host_array(self._standardize(np.array(texts.tolist(), dtype=str)), self._encoding)
        elif self._standardize is not None:
            texts = text_processing.standardize(texts, self._standardize)
        if self._split is None:
            rows = texts.reshape(len(texts), -1).tolist() if texts.ndim else [[texts.item()]]
        elif callable(self._split):
            rows = [[str(t) for t in tokens] for tokens in self._split(np.array(texts.tolist(), dtype=str))]
        else:
            rows = [text_processing.split(text, self._split) for text in texts.tolist()]
        if self._ngrams is not None:
            rows = [text_processing.ngrams(tokens, self._ngrams) for tokens in rows]
        return rows

    def call(self, inputs):
        """Vectorize a numpy array of strings (see the class docstring)."""
        texts = self._texts(inputs)
        scalar = texts.ndim == 0
        rows = self._documents(texts.reshape(1) if scalar and self._split is not None else texts)
        lookup = self._lookup_layer
        width = max((len(r) for r in rows), default=0)
        if self._output_mode == "int" and self._output_sequence_length is not None:
            width = self._output_sequence_length
        flat = np.empty(sum(len(r) for r in rows), dtype=object)
        flat[:] = [token for r in rows for token in r]
        lookup.require_vocabulary(self.name)
        indices = lookup.lookup_indices(flat)
        padded = np.full((len(rows), width), 0 if self._output_mode == "int" else -1, dtype=np.int64)
        start = 0
        for i, r in enumerate(rows):
            n = min(len(r), width)
            padded[i, :n] = indices[start:start + n]
            start += len(r)
        if self._output_mode != "int":
            padded = self._encode(padded)
        return padded[0] if scalar else padded

    def _encode(self, indices):
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup.vocabulary_size()
        if self._output_mode == "tf_idf":
            return encode_indices(indices, "count", depth, self.output_dtype, count_weights=lookup.idf_weights)
        return encode_indices(indices, self._output_mode, depth, self.output_dtype)

    def compute_output_shape(self, input_shape):
        """``(batch, output_sequence_length)`` in ``"int"`` mode, else ``(batch, depth)``.

        Args:
            input_shape: the input's shape.

        Returns:
            The output shape (None where unknown).
        """
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length) if input_shape else (self._output_sequence_length,)
        shape = tuple(input_shape)[:1] + (None,) if input_shape else (None,)
        return self._lookup_layer.compute_output_shape(shape)

    # ----- saving --------------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments under Keras's keys, the vocabulary included (see ``lookup_config``)."""
        lookup = self._lookup_layer.get_config()
        config = {"max_tokens": lookup["max_tokens"], "standardize": self._standardize, "split": self._split,
                  "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
                  "output_sequence_length": self._output_sequence_length,
                  "pad_to_max_tokens": lookup["pad_to_max_tokens"], "sparse": lookup["sparse"],
                  "ragged": self._ragged, "vocabulary": lookup["vocabulary"], "idf_weights": lookup["idf_weights"],
                  "encoding": self._encoding, "vocabulary_size": self.vocabulary_size()}
        if "has_input_vocabulary" in lookup:
            config["has_input_vocabulary"] = False
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        """Create a layer from ``get_config()``'s output (callables by their registered names).

        Args:
            config: the dict ``get_config`` returned (or Keras wrote).

        Returns:
            A new layer with the config's vocabulary.
        """
        config = dict(config)
        for key in ("standardize", "split"):
            config[key] = config_callable(config.get(key), key)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**checked_config(config))

    def save_own_variables(self, store):
        """Write the idf weights (``"tf_idf"`` mode) as Keras does.

        Args:
            store: the layer's ``vars`` store.
        """
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        """Read what ``save_own_variables`` wrote.

        Args:
            store: the layer's ``vars`` store.
        """
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        """Write ``vocabulary.txt`` into ``dir_path`` as Keras does (nothing for a vocabulary given as a list).

        Args:
            dir_path: an existing directory.
        """
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        """Read ``vocabulary.txt`` from ``dir_path`` (an asset of a Keras ``.keras`` file).

        Args:
            dir_path: the directory holding ``vocabulary.txt``.
        """
        self._lookup_layer.load_assets(dir_path)
