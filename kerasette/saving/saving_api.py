"""``save_model`` / ``load_model`` and the weights-only pair, choosing the format by name or content.

Formats: ``.keras`` (Keras 3 zip), ``.h5``/``.hdf5`` (the legacy Keras HDF5
layout), and for weights only ``.weights.h5`` (Keras 3) or ``.h5`` (tf.keras 2).
Loading looks at the file's content, not its name, so a misnamed file still
loads and a file that is no model at all (an LFS pointer, an HTML page)
gets an error saying what it is.
"""

import os

from kerasette.saving import keras_zip, legacy_h5, safe_h5, weights_h5
from kerasette.saving.errors import InvalidFileError, reading


def _path(filepath, argument="filepath"):
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"Invalid value for argument `{argument}`. Expected a path (str or os.PathLike). "
                        f"Received: {filepath!r}")
    return os.fspath(filepath)


def _check_model(model):
    from kerasette.models.model import Model

    if not isinstance(model, Model):
        raise TypeError(f"Expected a kerasette Model. Received: {model!r}")


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Save a model (architecture, weights and, when compiled, the training state) to one file.

    Args:
        model: a functional or Sequential model (built).
        filepath: ends in ``.keras`` (Keras 3 zip) or ``.h5``/``.hdf5`` (legacy Keras HDF5, readable by
            tf.keras 2 and Keras 3).
        overwrite: if False and the file exists, raise and write nothing.
        include_optimizer: save the compile configuration and the optimizer state (needed to resume).

    Raises:
        ValueError: an unsupported file name, or a model that cannot be saved.
        FileExistsError: the file exists and ``overwrite`` is False.
    """
    _check_model(model)
    path = _path(filepath)
    lower = path.lower()
    if lower.endswith(".weights.h5"):
        raise ValueError(f"{path!r} names a weights-only file; use `model.save_weights({path!r})`, or save the "
                         "whole model under a name ending in `.keras` or `.h5`.")
    if lower.endswith(".keras"):
        keras_zip.save_keras(model, path, overwrite, include_optimizer)
    elif lower.endswith((".h5", ".hdf5")):
        legacy_h5.save_model_h5(model, path, overwrite, include_optimizer)
    else:
        raise ValueError(f"Invalid filepath extension for saving: {path!r}. Use `.keras` (Keras 3 format) or "
                         "`.h5` (legacy HDF5 format).")


def _exists(path, source):
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: {source}.")


def _sniff(path, source):
    _exists(path, source)
    if os.path.isdir(path):
        raise InvalidFileError(f"Cannot load {source}: it is a directory (unzipped .keras folders are not "
                               "supported).", source)
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK"):
        return "zip"
    return "h5"  # open_h5 explains what the file is when it is not HDF5


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved by kerasette, Keras 3 or tf.keras 2 (``.keras`` or ``.h5``).

    Args:
        filepath: the file.
        custom_objects: ``{name: class or function}`` for your own layers, losses, ...
        compile: restore the compile configuration and optimizer state when the file has them.
        safe_mode: accepted for Keras compatibility. kerasette never runs code from a file (Lambda
            layers are always refused), so there is no unsafe mode.

    Returns:
        The model, compiled if the file recorded a compile configuration and ``compile`` is True.

    Raises:
        FileNotFoundError: no such file.
        InvalidFileError (a ValueError, from ``kerasette.saving``): anything wrong with the file: not a model
            file, corrupted, unknown classes, invalid arguments, mismatched weights, sizes over the limits
            (``kerasette.saving.limits``), refused content (``UnsafeFileError``, a subclass). The message names
            the file and the place inside it.
    """
    path = _path(filepath)
    if not isinstance(safe_mode, bool):
        raise TypeError(f"Invalid value for argument `safe_mode`. Expected a bool. Received: {safe_mode!r}")
    source = repr(path)
    _exists(path, source)
    with reading(source):
        if _sniff(path, source) == "zip":
            return keras_zip.load_keras(path, custom_objects, compile, source)
        return legacy_h5.load_model_h5(path, custom_objects, compile, source)


def save_weights(model, filepath, overwrite=True):
    """Save the weights only: ``.weights.h5`` in the Keras 3 layout, ``.h5`` in the tf.keras 2 layout."""
    _check_model(model)
    path = _path(filepath)
    lower = path.lower()
    if lower.endswith(".weights.h5"):
        weights_h5.save_weights_file(model, path, overwrite)
    elif lower.endswith((".h5", ".hdf5")):
        legacy_h5.save_weights_h5(model, path, overwrite)
    else:
        raise ValueError(f"Invalid filepath for save_weights: {path!r}. The name must end in `.weights.h5` "
                         "(Keras 3 layout) or `.h5` (tf.keras 2 layout); use `model.save(...)` for `.keras`.")


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    """Load weights into an existing model from ``.weights.h5``, ``.h5`` (weights or full model) or ``.keras``.

    ``by_name`` and ``skip_mismatch`` apply to the legacy ``.h5`` layout, as in Keras.

    Loading is all or nothing: every weight (and, for a compiled model, the
    optimizer state the file holds) is read and checked before any is
    assigned, so a file that fails leaves the model and its optimizer as
    they were.

    Raises:
        FileNotFoundError: no such file.
        InvalidFileError (a ValueError, from ``kerasette.saving``): anything wrong with the file: mismatched
            layers or shapes, corrupted or refused content. The message names the file and the place inside it.
        ValueError: options the format does not support, or a model that is not built.
    """
    _check_model(model)
    path = _path(filepath)
    source = repr(path)
    if not model.built and not model.weights:
        raise ValueError(f"Model `{model.name}` is not built yet, so it has no weights to load into. Build it "
                         "(give it an Input, call it on data or call `model.build(input_shape)`) first.")
    _exists(path, source)
    with reading(source):
        kind = _sniff(path, source)
    if kind == "zip":
        if by_name or skip_mismatch:
            raise ValueError("`by_name` and `skip_mismatch` are only supported for legacy `.h5` weight files.")
        with reading(source):
            keras_zip.load_weights_from_keras(model, path, source)
        return
    with reading(source), safe_h5.open_h5(path, source) as f:
        legacy = safe_h5.read_names_attr(f, "layer_names") is not None or safe_h5.has(f, "model_weights")
        if not legacy and (by_name or skip_mismatch):
            raise InvalidFileError(f"{source} uses the Keras 3 weights layout; `by_name` and `skip_mismatch` are "
                                   "only supported for legacy `.h5` weight files.", source)
        if legacy:
            plan = legacy_h5.plan_weights_file(f, model, by_name, skip_mismatch, source)
        else:
            plan = weights_h5.plan_weights_file(model, f, source)
        plan.apply()
