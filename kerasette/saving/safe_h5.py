"""Opening and walking HDF5 files defensively.

Every group and dataset is reached through hard links only (no SoftLink or
ExternalLink, which can point into other files); datasets stored outside the
file (external storage) or assembled from other files (virtual datasets) are
refused; a dataset whose declared size is far larger than what the file
stores (a "shape bomb") is refused before anything is allocated; and a
dataset's shape is compared with the shape the caller expects before any of
its data is read.

The shape-bomb rule is Keras's (``keras/src/saving/saving_lib.py``):
declared size over 4 GiB *and* more than 1000x the stored bytes. It is kept
that loose because compressed or sparsely written weights are legitimate;
the real guard here is stricter: every dataset kerasette reads has an
expected shape (the layer's variable or the optimizer slot) and is refused
when the shapes differ, so a large declared size can only be read when the
model itself is that large.
"""

import io
import os

import h5py
import numpy as np

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
BOMB_MIN_BYTES = 4 * 1024**3
BOMB_RATIO = 1000


class UnsafeFileError(ValueError):
    """A file kerasette refuses to read: a security problem, or content that is not what it claims."""


def describe_non_hdf5(head, name):
    """A human explanation of what a file that is not HDF5 looks like (``head`` is its first bytes)."""
    if not head:
        return f"{name} is empty (0 bytes)."
    text = head[:512].lstrip().lower()
    if text.startswith(b"version https://git-lfs"):
        return (f"{name} is a Git LFS pointer file, not the model itself. Fetch the real file "
                "with `git lfs pull` (or download it again).")
    if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        return (f"{name} is an HTML/XML page, not a model file (a download probably returned an error or "
                "login page instead of the file).")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return f"{name} is a zip archive, not an HDF5 file (a `.keras` file?)."
    return f"{name} is not an HDF5 file (it does not start with the HDF5 signature)."


def _has_signature(head, size):
    # HDF5 allows a user block, which puts the superblock at 0, 512, 1024, 2048, ...
    offset = 0
    while offset + len(HDF5_SIGNATURE) <= size:
        if head[offset:offset + 8] == HDF5_SIGNATURE:
            return True
        offset = 512 if offset == 0 else offset * 2
        if offset >= len(head):
            return False
    return False


def open_h5(source, name=None):
    """Open an HDF5 file (a path or bytes) read-only, with a clear error when it is not one.

    Args:
        source: a path, or the file's bytes (e.g. a member read from a zip).
        name: how to refer to the file in errors.

    Returns:
        An open ``h5py.File`` (the caller closes it).

    Raises:
        FileNotFoundError: the path does not exist.
        UnsafeFileError: empty, truncated, not HDF5 (LFS pointer, HTML page...).
    """
    if isinstance(source, (bytes, bytearray)):
        name = name or "<bytes>"
        head, size = bytes(source[:4096]), len(source)
    else:
        path = os.fspath(source)
        name = name or repr(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"No such file: {name}.")
        if os.path.isdir(path):
            raise UnsafeFileError(f"{name} is a directory, not an HDF5 file.")
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(4096)
    if not _has_signature(head, size):
        raise UnsafeFileError(f"Cannot load {name}: " + describe_non_hdf5(head, name))
    try:
        if isinstance(source, (bytes, bytearray)):
            return h5py.File(io.BytesIO(bytes(source)), "r")
        return h5py.File(path, "r")
    except OSError as error:
        raise UnsafeFileError(
            f"Cannot load {name}: it starts like an HDF5 file but cannot be opened; it is probably truncated "
            f"or corrupted (an interrupted download or copy?). HDF5 said: {error}"
        ) from None


def file_label(obj):
    try:
        return repr(obj.file.filename)
    except (AttributeError, ValueError):
        return "the file"


def _child(parent, name, where):
    """``parent[name]`` for a single path component, reached through a hard link only."""
    try:
        link = parent.get(name, getlink=True)
    except (KeyError, OSError, RuntimeError) as error:
        raise UnsafeFileError(f"Cannot read `{where}` in {file_label(parent)}: {error}") from None
    if link is None:
        raise KeyError(f"`{where}` is missing from {file_label(parent)}.")
    if isinstance(link, h5py.SoftLink):
        raise UnsafeFileError(
            f"Refusing `{where}` in {file_label(parent)}: it is an HDF5 soft link (to {link.path!r}); "
            "kerasette only follows hard links."
        )
    if isinstance(link, h5py.ExternalLink):
        raise UnsafeFileError(
            f"Refusing `{where}` in {file_label(parent)}: it is an HDF5 external link to "
            f"{link.filename!r}:{link.path!r}; a model file may not point into other files."
        )
    if not isinstance(link, h5py.HardLink):
        raise UnsafeFileError(f"Refusing `{where}` in {file_label(parent)}: unsupported link type {link!r}.")
    try:
        return parent[name]
    except (KeyError, OSError, RuntimeError) as error:
        raise UnsafeFileError(f"Cannot read `{where}` in {file_label(parent)}: {error}") from None


def _walk(parent, path):
    obj = parent
    parts = [p for p in str(path).split("/") if p]
    if not parts:
        raise KeyError(f"Empty HDF5 path {path!r}.")
    for i, part in enumerate(parts):
        if not isinstance(obj, h5py.Group):
            raise UnsafeFileError(f"`{'/'.join(parts[:i])}` in {file_label(parent)} is not a group.")
        obj = _child(obj, part, f"{parent.name.rstrip('/')}/{'/'.join(parts[:i + 1])}")
    return obj


def has(parent, path):
    """True if ``path`` exists under ``parent`` (links are not followed to find out)."""
    obj = parent
    for part in [p for p in str(path).split("/") if p]:
        if not isinstance(obj, h5py.Group) or obj.get(part, getlink=True) is None:
            return False
        obj = _child(obj, part, part)
    return True


def get_group(parent, path):
    """The group at ``path`` (relative to ``parent``), refusing links other than hard links."""
    obj = _walk(parent, path)
    if not isinstance(obj, h5py.Group):
        raise UnsafeFileError(f"`{obj.name}` in {file_label(parent)} is a dataset, expected a group.")
    return obj


def check_dataset(dataset):
    """Refuse external storage, virtual datasets and shape bombs (nothing is read)."""
    where = f"dataset `{dataset.name}` in {file_label(dataset)}"
    if dataset.external:
        raise UnsafeFileError(
            f"Refusing {where}: its data is stored in external file(s) {[e[0] for e in dataset.external]}; "
            "a model file may not read other files."
        )
    if dataset.is_virtual:
        raise UnsafeFileError(
            f"Refusing {where}: it is a virtual dataset (mapped from other files or datasets)."
        )
    declared = int(np.prod(dataset.shape, dtype=np.float64)) * dataset.dtype.itemsize if dataset.shape else 0
    stored = dataset.id.get_storage_size()
    if declared > BOMB_MIN_BYTES and declared > BOMB_RATIO * stored:
        raise UnsafeFileError(
            f"Refusing {where}: it declares shape {dataset.shape} ({declared} bytes) but the file stores only "
            f"{stored} bytes for it (a 'shape bomb' that would exhaust memory)."
        )


def open_dataset(parent, path):
    """The dataset at ``path`` after the link, storage and shape-bomb checks; nothing is read yet."""
    obj = _walk(parent, path)
    if not isinstance(obj, h5py.Dataset):
        raise UnsafeFileError(f"`{obj.name}` in {file_label(parent)} is a group, expected a dataset.")
    check_dataset(obj)
    if obj.dtype.kind not in "biuf":
        raise UnsafeFileError(f"Dataset `{obj.name}` in {file_label(parent)} has non-numeric type {obj.dtype}.")
    return obj


def read_dataset(dataset, expected_shape=None, what=None):
    """Read an ``open_dataset`` result, comparing its shape with ``expected_shape`` first.

    Raises:
        ValueError: the shape differs from ``expected_shape`` (nothing was read).
        UnsafeFileError: the data cannot be read (truncated or corrupted file).
    """
    if expected_shape is not None and tuple(dataset.shape) != tuple(expected_shape):
        raise ValueError(
            f"Shape mismatch for {what or 'a weight'}: {file_label(dataset)} has `{dataset.name}` with shape "
            f"{tuple(dataset.shape)}, but the model expects {tuple(expected_shape)}. Nothing was loaded."
        )
    try:
        return np.asarray(dataset[()])
    except (OSError, RuntimeError) as error:
        raise UnsafeFileError(
            f"Cannot read dataset `{dataset.name}` in {file_label(dataset)} (truncated or corrupted?): {error}"
        ) from None


def get_dataset(parent, path, expected_shape=None, what=None):
    """``read_dataset(open_dataset(parent, path), expected_shape, what)``: checked, then read."""
    return read_dataset(open_dataset(parent, path), expected_shape, what)


def _decode(value):
    return value.decode("utf8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def read_text_attr(obj, name, default=None):
    """A scalar string attribute as ``str`` (h5py gives bytes or str depending on how it was written)."""
    if name not in obj.attrs:
        return default
    value = obj.attrs[name]
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise UnsafeFileError(f"Attribute `{name}` of `{obj.name}` in {file_label(obj)} is not a string.")
        value = value.reshape(()).item()
    return _decode(value)


def read_names_attr(obj, name):
    """A list-of-strings attribute, joining Keras's chunks ``name0``, ``name1``, ... when split.

    An empty (float64) array, as Keras writes for weight-less layers, gives [].
    Returns None if the attribute is absent.
    """
    if name in obj.attrs:
        chunks = [obj.attrs[name]]
    elif f"{name}0" in obj.attrs:
        chunks, index = [], 0
        while f"{name}{index}" in obj.attrs:
            chunks.append(obj.attrs[f"{name}{index}"])
            index += 1
    else:
        return None
    names = []
    for chunk in chunks:
        array = np.asarray(chunk)
        if array.size == 0:
            continue
        if array.dtype.kind not in "SUO":
            raise UnsafeFileError(
                f"Attribute `{name}` of `{obj.name}` in {file_label(obj)} should hold strings, "
                f"found {array.dtype}."
            )
        names.extend(_decode(item) for item in array.reshape(-1))
    return names
