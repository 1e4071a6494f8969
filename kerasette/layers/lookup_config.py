"""Argument checks, configs and vocabulary assets of the lookup layers (StringLookup, IntegerLookup).

Saving: Keras keeps a vocabulary given as an argument in the layer config, and writes a learned one
(``adapt``) to ``assets/.../vocabulary.txt`` in a ``.keras`` file. Kerasette writes every vocabulary
into the config (with the idf weights, and ``has_input_vocabulary=False`` for a learned one, a key
Keras's constructors accept), so the vocabulary survives every format (``.keras``, ``.h5``, JSON) and
real Keras rebuilds the same layer from it. ``save_assets``/``load_assets`` read and write Keras's
``vocabulary.txt`` too.
"""

import numbers
import os

import numpy as np

from kerasette.layers import validation
from kerasette.layers.lookup_vocabulary import read_vocabulary_file

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_arguments(layer, max_tokens, num_oov_indices, output_mode, invert, sparse, pad_to_max_tokens,
                    idf_weights, oov_method, vocabulary_dtype):
    """Raise a ValueError naming the argument for any invalid lookup-layer argument (Keras's rules).

    Args:
        layer: the layer being constructed.
        max_tokens: None or an int > 1.
        num_oov_indices: an int >= 0.
        output_mode: one of ``OUTPUT_MODES``.
        invert: bool; only with ``output_mode="int"``.
        sparse: must be False: kerasette has no sparse tensors.
        pad_to_max_tokens: bool; needs ``max_tokens``.
        idf_weights: only with ``output_mode="tf_idf"``.
        oov_method: ``"floormod"`` or ``"farmhash"``.
        vocabulary_dtype: ``"string"`` or ``"int64"``.
    """
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, numbers.Integral)
                                   or max_tokens <= 1):
        raise validation.invalid(layer, "max_tokens", "None or an int greater than 1", max_tokens)
    if pad_to_max_tokens and max_tokens is None:
        raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}")
    if isinstance(num_oov_indices, bool) or not isinstance(num_oov_indices, numbers.Integral) or num_oov_indices < 0:
        raise validation.invalid(layer, "num_oov_indices", "an int >= 0", num_oov_indices)
    if output_mode not in OUTPUT_MODES:
        raise validation.invalid(layer, "output_mode", f"one of {OUTPUT_MODES}", output_mode)
    if oov_method not in ("floormod", "farmhash"):
        raise validation.invalid(layer, "oov_method", "'floormod' or 'farmhash'", oov_method)
    if vocabulary_dtype not in ("string", "int64"):
        raise validation.invalid(layer, "vocabulary_dtype", "'int64' (the only integer dtype Keras supports)",
                                 vocabulary_dtype)
    if invert and output_mode != "int":
        raise ValueError(f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}")
    if sparse:
        raise validation.invalid(layer, "sparse", "False: kerasette has no sparse tensors (Keras supports "
                                 "`sparse=True` only with the TensorFlow backend)", sparse)
    if idf_weights is not None and output_mode != "tf_idf":
        raise ValueError(f"`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                         f"idf_weights={idf_weights} and output_mode={output_mode}")


def check_salt(layer, salt, integer_floormod):
    """``salt`` as None or a list of two ints, as Keras normalizes it.

    Args:
        layer: the layer being constructed.
        salt: None, an int (used for both key words) or a pair of ints.
        integer_floormod: the layer maps integer OOV terms with floormod, which takes no salt.

    Returns:
        None or ``[k0, k1]``.
    """
    if salt is None:
        return None
    if integer_floormod:
        raise ValueError("`salt` can only be used when `oov_method='farmhash'`. Received: oov_method=floormod")
    if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(_is_int(s) for s in salt):
        return [int(s) for s in salt]
    if _is_int(salt):
        return [int(salt), int(salt)]
    raise validation.invalid(layer, "salt", "None, an int, or a tuple of 2 ints", salt)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def lookup_config(layer):
    """The lookup-specific entries of ``layer.get_config()``, under Keras's keys.

    Args:
        layer: an ``IndexLookup``.

    Returns:
        A dict. ``vocabulary`` is the one given as a list, else the whole current vocabulary (special
        tokens first); ``idf_weights`` likewise; ``has_input_vocabulary`` is False for a learned one.
    """
    vocabulary, weights = _listify(layer.input_vocabulary), _listify(layer.input_idf_weights)
    config = {"invert": layer.invert, "max_tokens": layer.max_tokens, "num_oov_indices": layer.num_oov_indices,
              "oov_token": layer.oov_token, "mask_token": layer.mask_token, "output_mode": layer.output_mode,
              "sparse": layer.sparse, "pad_to_max_tokens": layer.pad_to_max_tokens,
              "vocabulary_dtype": layer.vocabulary_dtype}
    if vocabulary is None and layer._terms is not None:
        vocabulary = layer.get_vocabulary()
        if layer.output_mode == "tf_idf" and layer.idf_weights is not None:
            weights = [float(w) for w in layer.idf_weights[:len(vocabulary)]]
        if not layer._has_input_vocabulary:
            config["has_input_vocabulary"] = False
    config.update({"idf_weights": weights, "vocabulary": vocabulary, "vocabulary_size": layer._frozen_vocab_size,
                   "oov_method": layer.oov_method, "salt": layer.salt})
    return config


def _listify(value):
    if value is None:
        return None
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value).tolist() if not isinstance(value, list) else list(value)


def checked_config(config):
    """A copy of a lookup layer's config for its constructor; a vocabulary given as a file path is refused.

    A config (from a file) naming a path would make loading read that file, so only lists are accepted.

    Args:
        config: the config dict.

    Returns:
        A new dict.
    """
    config = dict(config)
    if isinstance(config.get("vocabulary"), str):
        raise ValueError(f"The config names a vocabulary file ({config['vocabulary']!r}); a layer rebuilt from a "
                         "config takes its vocabulary as a list only, so loading never reads a file named by the "
                         "file being loaded. Call `set_vocabulary(path)` on the rebuilt layer if you trust it.")
    return config


def save_vocabulary_asset(layer, dir_path):
    """Write ``vocabulary.txt`` (one term per line, special tokens first) as Keras's ``save_assets``.

    Nothing is written when the vocabulary was given as a list (it is in the config), as in Keras.

    Args:
        layer: an ``IndexLookup``.
        dir_path: the directory to write into.
    """
    if layer.input_vocabulary is not None:
        return
    with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(str(term) for term in layer.get_vocabulary()))


def load_vocabulary_asset(layer, dir_path):
    """Set the vocabulary from ``dir_path/vocabulary.txt`` (keeping the idf weights), as Keras's ``load_assets``.

    Args:
        layer: an ``IndexLookup``.
        dir_path: the directory holding ``vocabulary.txt``.
    """
    if layer.input_vocabulary is not None:
        return
    terms = read_vocabulary_file(os.path.join(dir_path, "vocabulary.txt"), layer.vocabulary_dtype != "string")
    weights = layer.idf_weights
    if layer.output_mode == "tf_idf" and weights is not None:
        layer.set_vocabulary(terms, idf_weights=weights[:len(terms)])
    else:
        layer.set_vocabulary(terms)
