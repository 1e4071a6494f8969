"""Argument checks and config helpers of TextVectorization."""

import numbers

from kerasette.layers import validation
from kerasette.registry import get_registered_object

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_arguments(layer, standardize, split, ngrams, output_mode, output_sequence_length, sparse, ragged):
    """Raise a ValueError naming the argument for an invalid TextVectorization argument.

    Args:
        layer: the layer being constructed.
        standardize: one of ``STANDARDIZE``, None or a callable.
        split: one of ``SPLIT``, None or a callable.
        ngrams: None, a positive int, or a tuple of positive ints.
        output_mode: one of ``OUTPUT_MODES`` (``"one_hot"`` only with ``split=None``).
        output_sequence_length: None or a positive int; ``"int"`` mode only.
        sparse: must be False.
        ragged: must be False.
    """
    if not (standardize is None or callable(standardize) or standardize in STANDARDIZE):
        raise validation.invalid(layer, "standardize", f"one of {STANDARDIZE}, None or a callable", standardize)
    if not (split is None or callable(split) or split in SPLIT):
        raise validation.invalid(layer, "split", f"one of {SPLIT}, None or a callable", split)
    if ngram_widths(ngrams) is None and ngrams is not None:
        raise validation.invalid(layer, "ngrams", "None, a positive int, or a tuple of positive ints", ngrams)
    if output_mode not in OUTPUT_MODES:
        raise validation.invalid(layer, "output_mode", f"one of {OUTPUT_MODES}", output_mode)
    if output_mode == "one_hot" and split is not None:
        raise ValueError(f"Layer `{layer.name}`: output_mode='one_hot' needs split=None (one token per string): "
                         "split strings have different numbers of tokens, and kerasette has no ragged tensors. Use "
                         "'multi_hot' or 'count' to encode split text.")
    if output_sequence_length is not None:
        if output_mode != "int":
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                             f"Received output_sequence_length={output_sequence_length}.")
        validation.positive_int(layer, "output_sequence_length", output_sequence_length)
    for argument, value in (("sparse", sparse), ("ragged", ragged)):
        if value:
            raise validation.invalid(layer, argument, f"False: kerasette has no {argument} tensors (Keras supports "
                                     f"`{argument}=True` only with the TensorFlow backend)", value)


def ngram_widths(ngrams):
    """The n-gram widths for ``ngrams`` (an int n means 1 to n), or None for no n-grams or an invalid value.

    Args:
        ngrams: None, a positive int, or a tuple (or list, from a config) of positive ints.

    Returns:
        A tuple of ints, or None.
    """
    def positive(value):
        return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0

    if positive(ngrams):
        return tuple(range(1, int(ngrams) + 1))
    if isinstance(ngrams, (tuple, list)) and ngrams and all(positive(n) for n in ngrams):
        return tuple(int(n) for n in ngrams)
    return None


def config_callable(value, argument):
    """A ``standardize``/``split`` config entry as the constructor takes it.

    Strings and None stay; a function (or Keras's serialized form of one,
    ``{"class_name": "function", "config": name}``) resolves through the registry of
    ``register_keras_serializable`` functions: code is never read from a config.

    Args:
        value: the config's entry.
        argument: ``"standardize"`` or ``"split"``, for messages.

    Returns:
        The string, None, or the registered function.

    Raises:
        ValueError: a function name that is not registered.
    """
    if value is None or isinstance(value, str) or callable(value):
        if isinstance(value, str) and value not in STANDARDIZE + SPLIT:
            found = get_registered_object(value)
            if found is not None:
                return found
        return value
    if isinstance(value, dict) and value.get("class_name") == "function":
        found = get_registered_object(str(value.get("config")))
        if found is None:
            raise ValueError(f"The `{argument}` function {value.get('config')!r} of this TextVectorization config is "
                             "not registered. Register it with @kerasette.saving.register_keras_serializable() "
                             "before loading.")
        return found
    raise ValueError(f"Invalid `{argument}` in a TextVectorization config: {value!r}.")
