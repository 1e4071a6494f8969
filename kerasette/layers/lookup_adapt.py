"""``adapt`` for the lookup layers: count terms batch by batch, then turn the counts into a vocabulary."""

import itertools

from kerasette.layers import lookup_vocabulary as lv
from kerasette.layers.host_preprocessing import is_batch_iterable


def adapt_in_batches(layer, data, steps, as_array):
    """``layer.adapt(data)``: reset, ``update_state`` on each batch (or on all of an array), then finalize.

    Args:
        layer: a layer with ``reset_state``, ``update_state`` and ``finalize_state``.
        data: an array or (nested) list, read in one pass (a 1-D array is one item per document), or an
            iterable of batches (a generator).
        steps: with an iterable of batches, the most batches to read (None: all).
        as_array: turns ``data`` into a host numpy array.
    """
    layer.reset_state()
    if is_batch_iterable(data):
        for batch in itertools.islice(data, steps):  # never reads a batch past `steps`
            layer.update_state(batch)
    else:
        values = as_array(data)
        layer.update_state(values.reshape(-1, 1) if values.ndim == 1 else values)
    layer.finalize_state()


class LookupAdaptMixin:
    """The ``adapt``/``update_state``/``finalize_state``/``reset_state`` methods of ``IndexLookup``.

    The layer provides ``_counter`` (a ``TokenCounter``), ``_host_values``, ``_set_terms`` and the
    index layout (``_token_start_index``, ``_pad_depth``).
    """

    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary (and idf weights in ``tf_idf`` mode) from ``data``.

        Terms are sorted by count, most frequent first; ties go to the term that sorts last. With
        ``max_tokens``, only the most frequent terms are kept.

        Args:
            data: an array or (nested) list of terms, each row a document for ``tf_idf`` (a 1-D array
                is one term per document); or any other iterable of such batches (a generator).
            batch_size: accepted for Keras compatibility; arrays are read in one pass.
            steps: with an iterable of batches, the most batches to read (None: all).

        Raises:
            ValueError: the layer was given its vocabulary with the ``vocabulary`` argument.
        """
        adapt_in_batches(self, data, steps, self._host_values)

    def update_state(self, data):
        """Count the terms of one batch (rows are documents; a 1-D batch is one document).

        Args:
            data: an array or nested list of terms.
        """
        self._check_adaptable()
        values = self._host_values(data)
        values = values.reshape(1, -1) if values.ndim < 2 else values.reshape(values.shape[0], -1)
        self.update_documents(values.tolist())

    def update_documents(self, documents):
        """Count the terms of ``documents``, a list of term lists (``TextVectorization`` passes its tokens).

        Args:
            documents: a list of lists of terms, one per document.
        """
        self._check_adaptable()
        self._counter.update(documents, self.output_mode == "tf_idf")

    def finalize_state(self):
        """Turn the counts into the vocabulary (and idf weights); nothing changes if nothing was counted."""
        if self._has_input_vocabulary or not self._counter.counts:
            return
        start = self._token_start_index()
        learned = None if not self.max_tokens else self.max_tokens - start
        terms = self._counter.vocabulary(learned, {self.mask_token, self.oov_token})
        if self.output_mode == "tf_idf":
            weights = self._counter.idf_weights(terms)
            self.idf_weights = lv.full_idf_weights(weights, False, start, self._pad_depth())
        self._set_terms(terms)
        self.reset_state()

    def reset_state(self):
        """Forget the counts of an adapt in progress (the vocabulary stays)."""
        self._counter = lv.TokenCounter()

    def _check_adaptable(self):
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via `vocabulary` "
                             "argument or `set_vocabulary()` method.")
