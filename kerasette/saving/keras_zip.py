"""The Keras 3 ``.keras`` format: a zip of ``metadata.json``, ``config.json`` and ``model.weights.h5``.

Members are stored uncompressed, as Keras writes them. Reading opens members
by exact name only (nothing is ever extracted to disk), refuses duplicated
names, encrypted or oddly compressed members, and sizes that do not add up
(a stored member whose declared size differs from its stored size, a member
reaching past the end of the archive, an implausible compression ratio), and
checks that each member really has the declared size.
"""

import datetime
import io
import json
import os
import zipfile

import h5py

from kerasette.saving import compile_config as cc
from kerasette.saving import config_serialization as cs
from kerasette.saving import safe_h5, weights_h5
from kerasette.saving.atomic import atomic_path, check_destination
from kerasette.saving.safe_h5 import UnsafeFileError

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
WRITTEN_KERAS_VERSION = "3.15.1"  # the .keras layout written here
MAX_JSON_BYTES = 256 * 1024**2
MAX_WEIGHTS_BYTES = 64 * 1024**3  # beyond the stored size only when deflated, and then within the ratio check
MAX_DEFLATE_RATIO = 1100  # deflate cannot compress beyond ~1032:1


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
            raise UnsafeFileError(f"Cannot load {source}: it starts like a zip archive but is truncated or corrupted.")
        if head.startswith(safe_h5.HDF5_SIGNATURE):
            raise UnsafeFileError(f"Cannot load {source}: it is an HDF5 file, not a .keras zip; name it `.h5`.")
        raise UnsafeFileError(f"Cannot load {source}: " + safe_h5.describe_non_hdf5(head, source).replace(
            "not an HDF5 file (it does not start with the HDF5 signature)", "not a .keras zip archive"))
    try:
        return zipfile.ZipFile(path), os.path.getsize(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsafeFileError(f"Cannot load {source}: corrupted zip archive ({error}).") from None


def _member_info(archive, archive_size, name, limit, source):
    infos = [info for info in archive.infolist() if info.filename == name]
    if not infos:
        return None
    if len(infos) > 1:
        raise UnsafeFileError(f"Refusing {source}: it contains {len(infos)} members named {name!r}.")
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
        problem = f"it declares {info.file_size} bytes (limit {limit})"
    if problem:
        raise UnsafeFileError(f"Refusing member {name!r} of {source}: {problem}.")
    return info


def read_member(archive, archive_size, name, source, limit, required=True):
    """The bytes of member ``name``, after the size checks; None if absent and not required."""
    info = _member_info(archive, archive_size, name, limit, source)
    if info is None:
        if required:
            raise ValueError(f"Cannot load {source}: the archive has no {name!r} (members: {archive.namelist()[:20]}).")
        return None
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise UnsafeFileError(f"Cannot read member {name!r} of {source}: {error}") from None
    if len(data) != info.file_size:
        raise UnsafeFileError(f"Refusing member {name!r} of {source}: it declares {info.file_size} bytes but holds "
                              f"{len(data)}.")
    return data


def load_keras(filepath, custom_objects=None, compile=True, source=None):
    """Rebuild a model from a ``.keras`` zip: config, weights, and (with ``compile``) the training state."""
    source = source or repr(str(filepath))
    archive, size = _open_archive(filepath, source)
    with archive:
        config_bytes = read_member(archive, size, CONFIG, source, MAX_JSON_BYTES)
        weights = read_member(archive, size, WEIGHTS, source, MAX_WEIGHTS_BYTES)
        metadata_bytes = read_member(archive, size, METADATA, source, MAX_JSON_BYTES, required=False)
    config = cs.loads(config_bytes.decode("utf8", errors="replace"), source, CONFIG)
    model = cs.model_from_config(config, custom_objects, source)
    if metadata_bytes:
        metadata = cs.loads(metadata_bytes.decode("utf8", errors="replace"), source, METADATA)
        epochs = metadata.get("kerasette_epochs_trained", 0) if isinstance(metadata, dict) else 0
        model.epochs_trained = epochs if isinstance(epochs, int) and epochs >= 0 else 0
    inner = f"{source}/{WEIGHTS}"
    with safe_h5.open_h5(weights, inner) as h5file:
        weights_h5.assign(weights_h5.read_model_tree(h5file, model, inner, check_names=True))
        compile_config = config.get("compile_config")
        if compile and compile_config:
            if cc.compile_from_config(model, compile_config, custom_objects, source):
                weights_h5.restore_optimizer_tree(h5file, model, inner)
    return model


def load_weights_from_keras(model, filepath, source=None):
    """``model.load_weights("x.keras")``: the weights inside a ``.keras`` zip."""
    source = source or repr(str(filepath))
    archive, size = _open_archive(filepath, source)
    with archive:
        weights = read_member(archive, size, WEIGHTS, source, MAX_WEIGHTS_BYTES)
    inner = f"{source}/{WEIGHTS}"
    with safe_h5.open_h5(weights, inner) as h5file:
        weights_h5.load_weights_file(model, h5file, inner)
