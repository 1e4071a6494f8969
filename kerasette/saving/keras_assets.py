"""The ``assets/`` of a Keras 3 ``.keras`` file: files some layers keep outside the config and the weights.

Keras writes the vocabulary a lookup layer learned with ``adapt`` (``TextVectorization``,
``StringLookup``, ``IntegerLookup``) to ``assets/<layer path>/vocabulary.txt``, where the layer path is
the one of the weights tree (``layers/text_vectorization``, ``layers/string_lookup_1``...). Kerasette
itself writes every vocabulary into the layer config (see ``kerasette.layers.lookup_config``), so its
own files need no assets; reading them lets a model saved by Keras load with its learned vocabulary.

Members are read with the checks of ``keras_zip.read_member`` and bounded by
``limits.max_config_bytes()``. A layer's ``load_assets(dir_path)`` takes a directory, as in Keras: the
members of that layer (plain file names only) are written into a private temporary directory, under
their checked names, for the call, and the directory is removed afterwards.
"""

import os
import re
import tempfile

from kerasette.registry import is_model_class
from kerasette.saving import limits
from kerasette.saving.errors import UnsafeFileError

ASSETS = "assets/"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def read_assets(archive, archive_size, model, source):
    """The asset files of each layer of ``model`` that has ``load_assets``, read (not yet applied).

    Args:
        archive: the open ``zipfile.ZipFile``.
        archive_size: the archive's size in bytes.
        model: the model rebuilt from the archive's config.
        source: the file, for messages.

    Returns:
        A list of ``(layer, {file name: bytes})``; empty when the archive has no assets.

    Raises:
        UnsafeFileError: an asset name that is not a plain file name, or a member the zip checks refuse.
    """
    from kerasette.saving.keras_zip import read_member

    names = [name for name in archive.namelist() if name.startswith(ASSETS)]
    staged = []
    if not names:
        return staged
    for path, layer in _layers_by_path(model, "layers"):
        prefix = f"{ASSETS}{path}/"
        members = [name for name in names if name.startswith(prefix) and "/" not in name[len(prefix):]]
        members = [name for name in members if name[len(prefix):]]
        if not members or not hasattr(layer, "load_assets"):
            continue
        files = {}
        for name in members:
            base = name[len(prefix):]
            if not _PLAIN_NAME.fullmatch(base):
                raise UnsafeFileError(f"Refusing member {name!r} of {source}: not a plain asset file name.", source,
                                      f"member {name!r}")
            files[base] = read_member(archive, archive_size, name, source, limits.max_config_bytes())
        staged.append((layer, files))
    return staged


def apply_assets(staged):
    """Call each layer's ``load_assets`` with a temporary directory holding its asset files.

    Args:
        staged: what ``read_assets`` returned.
    """
    for layer, files in staged:
        with tempfile.TemporaryDirectory(prefix="kerasette-assets-") as directory:
            for base, data in files.items():
                with open(os.path.join(directory, base), "wb") as handle:
                    handle.write(data)
            layer.load_assets(directory)


def _layers_by_path(model, prefix):
    from kerasette.saving.weights_h5 import container_entries

    for key, layer in container_entries(model):
        path = f"{prefix}/{key}"
        if is_model_class(type(layer)):
            yield from _layers_by_path(layer, f"{path}/layers")
        else:
            yield path, layer
