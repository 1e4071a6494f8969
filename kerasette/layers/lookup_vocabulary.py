"""Vocabularies of the lookup layers: learning one from data (``adapt``) and checking a given one.

``adapt`` counts every token; the vocabulary is the tokens sorted by count, most frequent first,
ties broken by the tokens themselves in reverse sort order (Keras's rule, so both libraries learn
the same vocabulary from the same data), cut to ``max_tokens``. In ``tf_idf`` mode each sample is a
document, and a token's weight is ``log(1 + documents / (1 + documents containing it))``.
"""

import collections
import math
import os

import numpy as np


class TokenCounter:
    """Token and document counts accumulated over the batches given to ``adapt``."""

    def __init__(self):
        self.counts = collections.Counter()
        self.document_counts = collections.Counter()
        self.num_documents = 0

    def update(self, documents, count_documents):
        """Count the tokens of ``documents`` (an iterable of token lists, one per sample).

        Args:
            documents: iterable of lists of tokens.
            count_documents: also count, per token, the documents it occurs in (``tf_idf``).
        """
        for tokens in documents:
            self.counts.update(tokens)
            if count_documents:
                self.document_counts.update(set(tokens))
                self.num_documents += 1

    def vocabulary(self, max_learned, special_tokens):
        """The learned tokens, most frequent first (ties: reverse sort order), at most ``max_learned`` of them.

        Args:
            max_learned: the most tokens to keep, or None for all.
            special_tokens: tokens never learned (the mask and OOV tokens).

        Returns:
            A list of tokens.
        """
        items = [(count, token) for token, count in self.counts.items() if token not in special_tokens]
        items.sort(reverse=True)
        tokens = [token for _, token in items]
        return tokens if max_learned is None else tokens[:max_learned]

    def idf_weights(self, tokens):
        """``log(1 + documents / (1 + document count))`` for each of ``tokens``, as float32.

        Args:
            tokens: the vocabulary's learned tokens.

        Returns:
            A float32 numpy array.
        """
        docs = self.num_documents
        return np.array([math.log(1 + docs / (1 + self.document_counts[t])) for t in tokens], dtype=np.float32)


def read_vocabulary_file(path, integer):
    """The terms of a vocabulary file, one per line (trailing empty lines dropped).

    Args:
        path: the file's path.
        integer: parse the terms as ints (``IntegerLookup``).

    Returns:
        A list of terms.

    Raises:
        ValueError: the file does not exist, or a term is not an int when ``integer``.
    """
    if not os.path.isfile(path):
        raise ValueError(f"Vocabulary file {path} does not exist.")
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    if not integer:
        return lines
    try:
        return [int(line) for line in lines]
    except ValueError as error:
        raise ValueError(f"Vocabulary file {path} must hold one integer per line: {error}") from None


def split_special_tokens(layer, vocabulary, special_tokens):
    """The terms of a given ``vocabulary`` after its special tokens, checked as Keras checks them.

    A vocabulary may start with exactly the layer's special tokens (as ``get_vocabulary()``
    returns them); otherwise it must not contain them.

    Args:
        layer: the lookup layer (for its mask and OOV tokens, ``invert`` and name).
        vocabulary: a list of terms.
        special_tokens: the layer's leading special tokens (mask, then the OOV tokens).

    Returns:
        ``(terms, found_special_tokens)``.

    Raises:
        ValueError: an empty vocabulary, a repeated term, or a special token elsewhere than at the start.
    """
    if len(vocabulary) == 0:
        raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
    found = list(vocabulary[:len(special_tokens)]) == list(special_tokens)
    terms = list(vocabulary[len(special_tokens):]) if found else list(vocabulary)
    repeated = [term for term, count in collections.Counter(terms).items() if count > 1]
    if repeated:
        raise ValueError("The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                         f"The repeated terms are: {repeated}")
    checks = [("mask_token", layer.mask_token)] + ([("oov_token", layer.oov_token)] if layer.invert else [])
    for argument, token in checks:
        if token is not None and token in terms:
            raise ValueError(
                f"Found reserved {'mask' if argument == 'mask_token' else 'OOV'} token at unexpected location in "
                "`vocabulary`. Note that passed `vocabulary` does not need to include the OOV and mask tokens. "
                "Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in "
                f"precisely this order: {list(special_tokens)}. Received: {argument}={token!r} at vocabulary index "
                f"{list(vocabulary).index(token)}")
    return terms, found


def full_idf_weights(idf_weights, found_special_tokens, token_start, depth):
    """The idf weights of every output slot: the OOV slots get the mean weight unless given, padding gets 0.

    Args:
        idf_weights: the given weights (one per vocabulary entry, special tokens included when the
            vocabulary starts with them).
        found_special_tokens: whether the vocabulary (and so the weights) start with the special tokens.
        token_start: the number of special-token slots before the terms.
        depth: the output width (``max_tokens`` with ``pad_to_max_tokens``), or None for no padding.

    Returns:
        A float32 numpy array.
    """
    weights = np.asarray(idf_weights, dtype=np.float32).reshape(-1)
    if not found_special_tokens:
        weights = np.concatenate([np.full(token_start, np.float32(np.mean(weights)), np.float32), weights])
    if depth is not None and depth > len(weights):
        weights = np.concatenate([weights, np.zeros(depth - len(weights), np.float32)])
    return weights
