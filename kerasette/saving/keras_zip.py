"""The Keras 3 ``.keras`` format: a zip of ``metadata.json``, ``config.json`` and ``model.weights.h5``.

Members are stored uncompressed, as Keras writes them. Reading opens members
by exact name only (nothing is ever extracted to disk), refuses duplicated
names, encrypted or oddly compressed members, and sizes that do not add up
(a stored member whose declared size differs from its stored size, a member
reaching past the end of the archive, an implausible compression ratio), and
checks that each member really has the declared size.

Sizes are bounded before anything is inflated (``limits``): the JSON members
by ``limits.max_config_bytes()``; ``model.weights.h5``, when compressed, by
what the model its config builds can need, and when stored, not copied at
all (HDF5 reads it in place through a ``safe_h5.FileWindow``). Members are
read through a reader that stops at the declared size, whatever the stream
holds.
"""

import datetime
import io
import json
import os
import struct
import zipfile

import h5py
import numpy as np

from kerasette.models.training_state import check_training_state, get_training_state, set_training_state
from kerasette.registry import user_defined
from kerasette.saving import compile_config as cc
from kerasette.saving import config_serialization as cs
from kerasette.saving import keras_assets, limits, safe_h5, weights_h5
from kerasette.saving.atomic import atomic_path, check_destination
from kerasette.saving.budget import WeightBudget
from kerasette.saving.errors import InvalidFileError, UnsafeFileError
from kerasette.saving.plan import LoadPlan

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
WRITTEN_KERAS_VERSION = "3.15.1"  # the .keras layout written here
MAX_DEFLATE_RATIO = 1100  # deflate cannot compress beyond ~1032:1
MEMBER_MARGIN = 16 * 1024**2  # HDF5's own structures around the weights
READ_BLOCK = 1024**2


def save_keras(model, filepath, overwrite=True, include_optimizer=True):
    """Write ``model`` as a ``.keras`` zip (config with compile config, weights, optimizer state)."""
    import kerasette

    check_destination(filepath, overwrite)
    config = cs.k3_model_config(model)
    compile_config = cc.training_config(model, k3=True) if include_optimizer else None
    if compile_config is not None:
        config["compile_config"] = compile_config
    metadata = {"keras_version": WRITTEN_KERAS_VERSION, "kerasette_version": kerasette.__version__,
                "kerasette_epochs_trained": int(getattr(model, "epochs_trained", 0)),
                "kerasette_training_state": get_training_state(model),
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        weights_h5.write_weights(h5file, model, include_optimizer)
    with atomic_path(filepath, overwrite) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(METADATA, json.dumps(metadata))
            archive.writestr(CONFIG, cs.dumps(config))
            archive.writestr(WEIGHTS, buffer.getvalue())


def _open_archive(filepath, source):
    path = os.fspath(filepath)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: {source}.")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise InvalidFileError(f"Cannot load {source}: it starts like a zip archive but is truncated or "
                                   "corrupted.", source)
        if head.startswith(safe_h5.HDF5_SIGNATURE):
            raise InvalidFileError(f"Cannot load {source}: it is an HDF5 file, not a .keras zip; name it `.h5`.",
                                   source)
        raise InvalidFileError(f"Cannot load {source}: " + safe_h5.describe_non_hdf5(head, source).replace(
            "not an HDF5 file (it does not start with the HDF5 signature)", "not a .keras zip archive"), source)
    try:
        archive = zipfile.ZipFile(path)
        archive.infolist()
    except Exception as error:  # noqa: BLE001 - BadZipFile, OSError, UnicodeDecodeError, NotImplementedError...
        raise InvalidFileError(f"Cannot load {source}: corrupted zip archive ({type(error).__name__}: {error}).",
                               source) from None
    return archive, os.path.getsize(path)


def weights_member_cap():
    """The most a ``model.weights.h5`` member may declare before the model is known.

    The weights of a model within ``limits.max_model_bytes()``, twice more for
    an optimizer's slots (Adam keeps two per weight) and a margin for HDF5's
    own structures.
    """
    return 4 * limits.max_model_bytes() + MEMBER_MARGIN


def weights_member_need(model):
    """What a ``model.weights.h5`` member for ``model`` can need: its weights, optimizer slots, a margin."""
    weights = list(model.weights)
    nbytes = sum(int(np.prod(v.shape, dtype=np.int64)) * np.dtype(v.dtype).itemsize for v in weights)
    return 4 * nbytes + MEMBER_MARGIN + 64 * 1024 * len(weights)


def member_info(archive, archive_size, name, limit, source):
    """The ``ZipInfo`` of member ``name`` after checking its header (None if absent); nothing is inflated.

    Raises:
        InvalidFileError: duplicated, encrypted, oddly compressed, larger than ``limit``, an impossible
            compression ratio, or running past the end of the archive.
    """
    infos = [info for info in archive.infolist() if info.filename == name]
    if not infos:
        return None
    where = f"member {name!r}"
    if len(infos) > 1:
        raise UnsafeFileError(f"Refusing {source}: it contains {len(infos)} members named {name!r}.", source, where)
    info = infos[0]
    problem = None
    if info.flag_bits & 0x1:
        problem = "it is encrypted"
    elif info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        problem = f"it is stored uncompressed but declares {info.file_size} bytes for {info.compress_size} stored"
    elif info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > MAX_DEFLATE_RATIO * info.compress_size + 1024:
        problem = f"it declares {info.file_size} bytes from {info.compress_size} compressed (impossible ratio)"
    elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        problem = f"it uses unsupported compression method {info.compress_type}"
    elif info.header_offset + info.compress_size > archive_size:
        problem = f"it claims {info.compress_size} bytes that run past the end of the {archive_size}-byte archive"
    elif info.file_size > limit:
        problem = (f"it declares {info.file_size} bytes, more than the {limits.show(limit)} it may hold "
                   f"({limits.CONFIG_VARIABLE if name != WEIGHTS else limits.MODEL_VARIABLE} raises the limit)")
    if problem:
        raise UnsafeFileError(f"Refusing member {name!r} of {source}: {problem}.", source, where)
    return info


def read_member(archive, archive_size, name, source, limit, required=True, info=None):
    """The bytes of member ``name`` after the header checks, read through a reader bounded by its declared size.

    Returns None if the member is absent and not ``required``.
    """
    info = info or member_info(archive, archive_size, name, limit, source)
    if info is None:
        if required:
            raise InvalidFileError(f"Cannot load {source}: the archive has no {name!r} (members: "
                                   f"{archive.namelist()[:20]}).", source, f"member {name!r}")
        return None
    chunks, total = [], 0
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(min(READ_BLOCK, info.file_size + 1 - total))
                if not block:
                    break
                chunks.append(block)
                total += len(block)
                if total > info.file_size:
                    break
    except Exception as error:  # noqa: BLE001 - BadZipFile (CRC), zlib.error, EOFError, NotImplementedError...
        raise InvalidFileError(f"Cannot read member {name!r} of {source}: {type(error).__name__}: {error}", source,
                               f"member {name!r}") from None
    if total != info.file_size:
        raise UnsafeFileError(f"Refusing member {name!r} of {source}: it declares {info.file_size} bytes but holds "
                              f"{'more' if total > info.file_size else total}.", source, f"member {name!r}")
    return b"".join(chunks)


def member_window(archive_path, info, source):
    """A ``FileWindow`` on the bytes of an uncompressed member, read in place (nothing is copied)."""
    with open(archive_path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise InvalidFileError(f"Cannot read member {info.filename!r} of {source}: bad local file header.", source,
                               f"member {info.filename!r}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    if start + info.compress_size > os.path.getsize(archive_path):
        raise InvalidFileError(f"Cannot read member {info.filename!r} of {source}: it runs past the end of the "
                               "archive.", source, f"member {info.filename!r}")
    return safe_h5.FileWindow(archive_path, start, info.compress_size, f"{source}/{info.filename}")


def weights_source(archive, archive_path, size, source, limit):
    """The weights member as something ``safe_h5.open_h5`` reads: a window when stored, else its bytes.

    A stored member is read in place (its size costs nothing until datasets
    are read); a compressed one is inflated only after its declared size
    passed ``limit``, through a reader bounded by that size.
    """
    info = member_info(archive, size, WEIGHTS, limit, source)
    if info is None:
        read_member(archive, size, WEIGHTS, source, 0)  # raises: the member is required
    if info.compress_type == zipfile.ZIP_STORED:
        return member_window(archive_path, info, source)
    return read_member(archive, size, WEIGHTS, source, limit, info=info)


def _epochs(metadata, source):
    if not isinstance(metadata, dict):
        raise InvalidFileError(f"Cannot load {source}: {METADATA} should hold a JSON object, found "
                               f"{type(metadata).__name__}.", source, f"member {METADATA!r}")
    epochs = metadata.get("kerasette_epochs_trained", 0)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise InvalidFileError(f"Cannot load {source}: `kerasette_epochs_trained` in {METADATA} should be a "
                               f"non-negative integer. Found: {str(epochs)[:40]}.", source, f"member {METADATA!r}")
    return epochs


def _training_state(metadata, epochs, source):
    """The saved training state (files from before it existed carry only the epoch count)."""
    state = metadata.get("kerasette_training_state", {"epochs_trained": epochs})
    try:
        return check_training_state(state, f"{source} ({METADATA})")
    except ValueError as error:
        raise InvalidFileError(str(error), source, f"member {METADATA!r}") from None


def load_keras(filepath, custom_objects=None, compile=True, source=None):
    """Rebuild a model from a ``.keras`` zip: config, weights, and (with ``compile``) the training state.

    Sizes are bounded before anything is inflated or allocated: the JSON
    members by ``limits.max_config_bytes()``; the model by
    ``limits.max_model_bytes()`` and by the values its weights member holds
    (read in place when stored uncompressed, as Keras writes it, and counted
    before the model is built); a compressed weights member by what the
    model built from the config can need. Every weight and the optimizer
    state are read and checked before any is assigned.
    """
    source = source or repr(str(filepath))
    path = os.fspath(filepath)
    config_source, inner = f"{source}/{CONFIG}", f"{source}/{WEIGHTS}"
    archive, size = _open_archive(filepath, source)
    with archive:
        config_bytes = read_member(archive, size, CONFIG, source, limits.max_config_bytes())
        metadata_bytes = read_member(archive, size, METADATA, source, limits.max_config_bytes(), required=False)
        info = member_info(archive, size, WEIGHTS, weights_member_cap(), source)
        if info is None:
            read_member(archive, size, WEIGHTS, source, 0)  # raises: the member is required
        config = cs.loads(config_bytes, config_source, CONFIG)
        metadata = cs.loads(metadata_bytes, source, METADATA) if metadata_bytes else {}
        state = _training_state(metadata, _epochs(metadata, source), source)
        if info.compress_type == zipfile.ZIP_STORED:  # read in place: count the weights before building
            weights = member_window(path, info, source)
            with safe_h5.open_h5(weights, inner) as h5file:
                # The whole file: Keras keeps a subclassed model's layers under their attribute names too.
                datasets, values = safe_h5.inventory(h5file)
            model = cs.model_from_config(config, custom_objects, config_source,
                                         WeightBudget(config_source, values, datasets))
        else:  # build within the limit first, then bound the member by what this model can need
            model = cs.model_from_config(config, custom_objects, config_source)
            need = weights_member_need(model)
            if info.file_size > need:
                raise UnsafeFileError(f"Refusing member {WEIGHTS!r} of {source}: it inflates to {info.file_size} "
                                      f"bytes, more than the {need} bytes the model in {CONFIG} can need.", source,
                                      f"member {WEIGHTS!r}")
            weights = read_member(archive, size, WEIGHTS, source, need, info=info)
        assets = keras_assets.read_assets(archive, size, model, source)  # a vocabulary Keras learned, say
    try:
        with safe_h5.open_h5(weights, inner) as h5file:
            # A model rebuilt from its own config names its layers afresh (dense_1 in a process that made a dense),
            # so only graph models, whose configs carry the names, are checked name by name.
            plan = LoadPlan(weights_h5.read_model_tree(h5file, model, inner,
                                                       check_names=not cs.uses_own_config(model)))
            compile_config = config.get("compile_config")
            if compile and compile_config not in (None, {}):
                if user_defined(type(model), "compile_from_config"):  # the model's own hook, as Keras calls it
                    model.compile_from_config(compile_config)
                else:
                    cc.compile_from_config(model, compile_config, custom_objects, config_source)
                plan.optimizer = weights_h5.stage_optimizer_tree(h5file, model, inner)
            plan.apply()
    finally:
        if isinstance(weights, safe_h5.FileWindow):
            weights.close()
    keras_assets.apply_assets(assets)
    set_training_state(model, state, source)
    return model


def load_weights_from_keras(model, filepath, source=None):
    """``model.load_weights("x.keras")``: the weights inside a ``.keras`` zip (all or nothing)."""
    source = source or repr(str(filepath))
    archive, size = _open_archive(filepath, source)
    with archive:
        weights = weights_source(archive, os.fspath(filepath), size, source, weights_member_need(model))
    inner = f"{source}/{WEIGHTS}"
    try:
        with safe_h5.open_h5(weights, inner) as h5file:
            weights_h5.load_weights_file(model, h5file, inner)
    finally:
        if isinstance(weights, safe_h5.FileWindow):
            weights.close()
