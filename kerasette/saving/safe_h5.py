"""Opening and walking HDF5 files defensively.

Every group and dataset is reached through hard links only (no SoftLink or
ExternalLink, which can point into other files); datasets stored outside the
file (external storage) or assembled from other files (virtual datasets) are
refused; a dataset whose declared size is far larger than what the file
stores (a "shape bomb") is refused before anything is allocated; a
dataset's shape is compared with the shape the caller expects before any of
its data is read; and an attribute's size is checked before it is read
(``h5_attributes`` reads the lengths a variable-length attribute declares
from the file's bytes, because HDF5 allocates them before checking them).

The shape-bomb rule starts from Keras's (``keras/src/saving/saving_lib.py``:
declared size over 4 GiB *and* more than 1000x the stored bytes) and
tightens the floor to 16 MiB, since kerasette also uses the declared sizes
of a file's datasets to bound the model a config may build. Compressed or
sparsely written weights up to 1000:1 stay legitimate; the real guard is
stricter still: every dataset kerasette reads has an expected shape (the
layer's variable or the optimizer slot) and is refused when the shapes
differ, so a large declared size can only be read when the model itself is
that large.

Every error is an ``InvalidFileError`` (``UnsafeFileError`` for refused
content) naming the file and the HDF5 path.
"""

import contextlib
import io
import os

import h5py
import numpy as np

from kerasette.saving import h5_attributes, limits
from kerasette.saving.errors import InvalidFileError, UnsafeFileError  # noqa: F401 - UnsafeFileError re-exported

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
BOMB_MIN_BYTES = 16 * 1024**2
BOMB_RATIO = 1000
MAX_OBJECTS = 1_000_000  # groups and datasets visited when taking a file's inventory
_OPEN = {}  # fileno -> _RawAccess for the files opened by open_h5


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


class _NamedBytes(io.BytesIO):
    """An in-memory file whose ``repr`` (what h5py reports as its file name) is the label given."""

    def __init__(self, data, label):
        super().__init__(data)
        self._label = label

    def __repr__(self):
        return self._label


class FileWindow(io.RawIOBase):
    """A read-only view of ``size`` bytes at ``start`` of a file, e.g. a zip member stored uncompressed.

    HDF5 reads it in place, so only what is actually read is loaded. Its
    ``repr`` (what h5py reports as the file name) is ``label``.
    """

    def __init__(self, path, start, size, label):
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._start, self._size, self._position, self._label = start, size, 0, label

    def readable(self):
        """True: the window can be read."""
        return True

    def seekable(self):
        """True: the window supports random access."""
        return True

    def seek(self, offset, whence=0):
        """Move to ``offset`` (from the start, the current position or the end, as ``whence`` says)."""
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        self._position = max(base + offset, 0)
        return self._position

    def tell(self):
        """The position inside the window."""
        return self._position

    def readinto(self, buffer):
        """Read into ``buffer`` from the current position; returns the number of bytes read."""
        count = max(min(len(buffer), self._size - self._position), 0)
        if not count:
            return 0
        self._file.seek(self._start + self._position)
        data = self._file.read(count)
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self):
        """Close the underlying file."""
        if not self.closed:
            self._file.close()
        super().close()

    def __repr__(self):
        return self._label


class _RawAccess:
    """What attribute checks need: the file's bytes, where addresses start, address and length sizes."""

    def __init__(self, raw, h5file, label):
        plist = h5file.id.get_create_plist()
        self.raw, self.label = raw, label
        self.base = plist.get_userblock()
        self.sizeof_addr, self.sizeof_size = plist.get_sizes()


@contextlib.contextmanager
def open_h5(source, name=None):
    """Open an HDF5 file (a path or bytes) read-only, with a clear error when it is not one.

    Use it as a context manager: ``with open_h5(path) as f: ...``.

    Args:
        source: a path, the file's bytes (e.g. a member read from a zip), or a ``FileWindow``.
        name: how to refer to the file in errors (``'m.keras'/model.weights.h5`` for a member).

    Yields:
        An open ``h5py.File``, closed when the block ends.

    Raises:
        FileNotFoundError: the path does not exist.
        InvalidFileError: empty, truncated, not HDF5 (LFS pointer, HTML page...).
    """
    in_memory = isinstance(source, (bytes, bytearray, memoryview))
    window = isinstance(source, FileWindow)
    if in_memory:
        name = name or "<bytes>"
        data = bytes(source)
        head, size = data[:4096], len(data)
    elif window:
        name = name or repr(source)
        size = source.seek(0, 2)
        source.seek(0)
        head = source.read(4096)
    else:
        path = os.fspath(source)
        name = name or repr(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"No such file: {name}.")
        if os.path.isdir(path):
            raise InvalidFileError(f"{name} is a directory, not an HDF5 file.", name)
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(4096)
    if not _has_signature(head, size):
        raise InvalidFileError(f"Cannot load {name}: " + describe_non_hdf5(head, name), name)
    try:
        if in_memory:
            h5file = h5py.File(_NamedBytes(data, name), "r")
        else:
            h5file = h5py.File(source if window else path, "r")
    except Exception as error:  # noqa: BLE001 - h5py raises OSError, RuntimeError, ValueError... for damage
        raise InvalidFileError(
            f"Cannot load {name}: it starts like an HDF5 file but cannot be opened; it is probably truncated "
            f"or corrupted (an interrupted download or copy?). HDF5 said: {error}", name
        ) from None
    raw, fileno = None, None
    try:
        if in_memory:
            raw = h5_attributes.RawFile(data=data)
        else:
            raw = h5_attributes.RawFile(handle=source) if window else h5_attributes.RawFile(path=path)
        fileno = h5file.id.fileno
        _OPEN[fileno] = _RawAccess(raw, h5file, name)
        yield h5file
    finally:
        _OPEN.pop(fileno, None)
        if raw is not None:
            raw.close()
        h5file.close()


def _access(obj):
    try:
        return _OPEN.get(obj.id.fileno)
    except (AttributeError, ValueError, RuntimeError):
        return None


def file_label(obj):
    """How errors name the file holding ``obj``: the label given to ``open_h5``, else its file name."""
    access = _access(obj)
    if access is not None:
        return access.label
    try:
        return repr(obj.file.filename)
    except (AttributeError, ValueError, RuntimeError):
        return "the file"


def _name(obj):
    try:
        return obj.name or "/"
    except (AttributeError, ValueError, RuntimeError):
        return "?"


def _refuse(obj, where, problem, unsafe=False):
    cls = UnsafeFileError if unsafe else InvalidFileError
    label = file_label(obj)
    return cls(f"{'Refusing' if unsafe else 'Cannot read'} `{where}` in {label}: {problem}", label, where)


def _child(parent, name, where):
    """``parent[name]`` for a single path component, reached through a hard link only."""
    try:
        link = parent.get(name, getlink=True)
    except Exception as error:  # noqa: BLE001 - h5py's errors for damaged link tables vary
        raise _refuse(parent, where, f"{type(error).__name__}: {error}") from None
    if link is None:
        raise _refuse(parent, where, "it is missing.")
    if isinstance(link, h5py.SoftLink):
        raise _refuse(parent, where, f"it is an HDF5 soft link (to {link.path!r}); kerasette only follows hard "
                                     "links.", unsafe=True)
    if isinstance(link, h5py.ExternalLink):
        raise _refuse(parent, where, f"it is an HDF5 external link to {link.filename!r}:{link.path!r}; a model "
                                     "file may not point into other files.", unsafe=True)
    if not isinstance(link, h5py.HardLink):
        raise _refuse(parent, where, f"unsupported link type {link!r}.", unsafe=True)
    try:
        return parent[name]
    except Exception as error:  # noqa: BLE001
        raise _refuse(parent, where, f"{type(error).__name__}: {error}") from None


def _walk(parent, path):
    obj = parent
    parts = [p for p in str(path).split("/") if p]
    if not parts:
        raise _refuse(parent, str(path), "empty HDF5 path.")
    base = _name(parent).rstrip("/")
    for i, part in enumerate(parts):
        where = f"{base}/{'/'.join(parts[:i + 1])}"
        if not isinstance(obj, h5py.Group):
            raise _refuse(parent, where, f"`{base}/{'/'.join(parts[:i])}` is not a group.")
        obj = _child(obj, part, where)
    return obj


def has(parent, path):
    """True if ``path`` exists under ``parent`` (links other than hard links are refused, not followed)."""
    obj = parent
    base = _name(parent).rstrip("/")
    parts = [p for p in str(path).split("/") if p]
    for i, part in enumerate(parts):
        if not isinstance(obj, h5py.Group):
            return False
        try:
            exists = obj.get(part, getlink=True) is not None
        except Exception as error:  # noqa: BLE001
            raise _refuse(parent, f"{base}/{'/'.join(parts[:i + 1])}", f"{type(error).__name__}: {error}") from None
        if not exists:
            return False
        obj = _child(obj, part, f"{base}/{'/'.join(parts[:i + 1])}")
    return True


def get_group(parent, path):
    """The group at ``path`` (relative to ``parent``), refusing links other than hard links."""
    obj = _walk(parent, path)
    if not isinstance(obj, h5py.Group):
        raise _refuse(parent, _name(obj), "it is a dataset, expected a group.")
    return obj


def keys(group):
    """The link names in ``group`` (nothing is followed)."""
    try:
        return list(group.keys())
    except Exception as error:  # noqa: BLE001
        raise _refuse(group, _name(group), f"cannot list its members ({type(error).__name__}: {error}).") from None


def _declared_bytes(dataset):
    count = 1
    for size in dataset.shape or ():
        count *= int(size)
    return count * dataset.dtype.itemsize if dataset.shape is not None else 0


def check_dataset(dataset):
    """Refuse external storage, virtual datasets, non-numeric types and shape bombs (nothing is read).

    Returns:
        The number of bytes the dataset declares.
    """
    where = _name(dataset)
    try:
        external, virtual = dataset.external, dataset.is_virtual
        dtype, shape, chunks = dataset.dtype, dataset.shape, dataset.chunks
        stored = dataset.id.get_storage_size()
    except Exception as error:  # noqa: BLE001 - unknown types, damaged layout messages...
        raise _refuse(dataset, where, f"cannot read its description ({type(error).__name__}: {error}).") from None
    if external:
        raise _refuse(dataset, where, f"its data is stored in external file(s) {[e[0] for e in external]}; a model "
                                      "file may not read other files.", unsafe=True)
    if virtual:
        raise _refuse(dataset, where, "it is a virtual dataset (mapped from other files or datasets).", unsafe=True)
    if dtype.kind not in "biuf" or dtype.shape:
        raise _refuse(dataset, where, f"it has non-numeric type {dtype}.")
    if shape is None:
        raise _refuse(dataset, where, "it has no data (an empty dataspace).")
    declared = _declared_bytes(dataset)
    if declared > BOMB_MIN_BYTES and declared > BOMB_RATIO * stored:
        raise _refuse(dataset, where, f"it declares shape {shape} ({declared} bytes) but the file stores only "
                                      f"{stored} bytes for it (a 'shape bomb' that would exhaust memory).", unsafe=True)
    if chunks is not None:
        chunk_bytes = int(np.prod(chunks, dtype=object)) * dtype.itemsize
        if chunk_bytes > max(2 * declared, 1024**2):
            raise _refuse(dataset, where, f"its chunks of shape {chunks} are larger than the dataset {shape}.",
                          unsafe=True)
    return declared


def open_dataset(parent, path):
    """The dataset at ``path`` after the link, storage, type and shape-bomb checks; nothing is read yet."""
    obj = _walk(parent, path)
    if not isinstance(obj, h5py.Dataset):
        raise _refuse(parent, _name(obj), "it is a group, expected a dataset.")
    check_dataset(obj)
    return obj


def read_dataset(dataset, expected_shape=None, what=None):
    """Read an ``open_dataset`` result, comparing its shape with ``expected_shape`` first.

    Raises:
        InvalidFileError: the shape differs from ``expected_shape`` (nothing was read), or the data cannot be
            read (truncated or corrupted file).
    """
    if expected_shape is not None and tuple(dataset.shape) != tuple(expected_shape):
        label = file_label(dataset)
        raise InvalidFileError(
            f"Shape mismatch for {what or 'a weight'}: {label} has `{dataset.name}` with shape "
            f"{tuple(dataset.shape)}, but the model expects {tuple(expected_shape)}. Nothing was loaded.",
            label, dataset.name)
    try:
        return np.asarray(dataset[()])
    except Exception as error:  # noqa: BLE001 - OSError, RuntimeError, ValueError from damaged chunks
        raise _refuse(dataset, _name(dataset), f"cannot read its data (truncated or corrupted?): "
                                               f"{type(error).__name__}: {error}") from None


def get_dataset(parent, path, expected_shape=None, what=None):
    """``read_dataset(open_dataset(parent, path), expected_shape, what)``: checked, then read."""
    return read_dataset(open_dataset(parent, path), expected_shape, what)


def inventory(group):
    """``(datasets, values)``: how many weight datasets lie under ``group`` and how many values they declare.

    Every dataset is checked (``check_dataset``) without reading it; groups are
    entered through hard links only, each object once.
    """
    seen, stack, datasets, values = set(), [group], 0, 0
    while stack:
        current = stack.pop()
        for key in keys(current):
            obj = _child(current, key, f"{_name(current).rstrip('/')}/{key}")
            try:
                info = h5py.h5o.get_info(obj.id)
                identity = (info.fileno, info.addr)
            except Exception as error:  # noqa: BLE001
                raise _refuse(obj, _name(obj), f"{type(error).__name__}: {error}") from None
            if identity in seen:
                continue
            seen.add(identity)
            if len(seen) > MAX_OBJECTS:
                raise _refuse(group, _name(group), f"it holds more than {MAX_OBJECTS} objects.", unsafe=True)
            if isinstance(obj, h5py.Group):
                stack.append(obj)
            elif isinstance(obj, h5py.Dataset):
                check_dataset(obj)
                datasets += 1
                values += int(np.prod(obj.shape, dtype=object)) if obj.shape else 1
    return datasets, values


# ----- attributes --------------------------------------------------------------------------------
def has_attr(obj, name):
    """True if ``obj`` has attribute ``name`` (nothing is read)."""
    try:
        return name in obj.attrs
    except Exception as error:  # noqa: BLE001
        raise _refuse(obj, _name(obj), f"cannot look up attribute `{name}` ({type(error).__name__}: {error}).") \
            from None


def _attribute_bytes(obj, name, where):
    """What reading attribute ``name`` allocates, checked through HDF5's description and the file's bytes."""
    try:
        attr = obj.attrs.get_id(name)
        datatype, shape = attr.get_type(), attr.shape
        kind = datatype.get_class()
        variable = kind == h5py.h5t.STRING and datatype.is_variable_str()
        size = datatype.get_size()
    except Exception as error:  # noqa: BLE001
        raise _refuse(obj, where, f"cannot read its description ({type(error).__name__}: {error}).") from None
    if kind not in (h5py.h5t.STRING, h5py.h5t.INTEGER, h5py.h5t.FLOAT):
        raise _refuse(obj, where, f"unsupported attribute type (HDF5 class {kind}); expected strings or numbers.")
    if shape is None:
        raise _refuse(obj, where, "the attribute is empty (a null dataspace).")
    count = 1
    for dim in shape:
        count *= int(dim)
    if not variable:
        return count * size
    access, temporary = _access(obj), None
    try:
        if access is None:  # a file opened with h5py directly: inspect it through its path
            filename = obj.file.filename
            if not os.path.isfile(filename):
                raise _refuse(obj, where, "a variable-length attribute in a file kerasette cannot inspect (open it "
                                          "with `safe_h5.open_h5`).")
            temporary = h5_attributes.RawFile(path=filename)
            access = _RawAccess(temporary, obj.file, file_label(obj))
        found = h5_attributes.vlen_bytes(access.raw, access.base, h5_attributes.object_address(obj), name,
                                         access.sizeof_addr, access.sizeof_size)
    except InvalidFileError:
        raise
    except h5_attributes.Corrupt as error:
        raise _refuse(obj, where, f"its stored bytes are corrupted ({error}).", unsafe=True) from None
    except Exception as error:  # noqa: BLE001
        raise _refuse(obj, where, f"cannot inspect it ({type(error).__name__}: {error}).") from None
    finally:
        if temporary is not None:
            temporary.close()
    if found is None:
        raise _refuse(obj, where, "it is a variable-length attribute kept in dense or shared attribute storage, "
                                  "whose size kerasette cannot check before reading; no Keras writer stores "
                                  "attributes that way.", unsafe=True)
    total, _ = found
    if total > access.raw.size:
        raise _refuse(obj, where, f"it declares {total} bytes of variable-length data, more than the whole file "
                                  f"({access.raw.size} bytes): an 'attribute bomb'.", unsafe=True)
    return total


def read_attr(obj, name, limit=None):
    """The value of attribute ``name`` of ``obj`` after checking what reading it allocates.

    Args:
        obj: an h5py group or dataset of a file opened with ``open_h5``.
        name: the attribute.
        limit: the most bytes it may hold (default: ``limits.max_config_bytes()``).

    Raises:
        InvalidFileError: unreadable, of an unsupported type, or larger than ``limit`` or the file.
    """
    where = f"{_name(obj).rstrip('/')}/@{name}"
    limit = limits.max_config_bytes() if limit is None else limit
    declared = _attribute_bytes(obj, name, where)
    if declared > limit:
        raise _refuse(obj, where, f"it holds {declared} bytes, over the limit of {limits.show(limit)} "
                                  f"({limits.CONFIG_VARIABLE} raises it).", unsafe=True)
    try:
        return obj.attrs[name]
    except Exception as error:  # noqa: BLE001 - OSError, TypeError "Unknown string encoding", ...
        raise _refuse(obj, where, f"cannot read it ({type(error).__name__}: {error}).") from None


def _decode(value, obj, where):
    if isinstance(value, (bytes, np.bytes_)):
        try:
            return value.decode("utf8")
        except UnicodeDecodeError as error:
            raise _refuse(obj, where, f"it is not valid UTF-8 text ({error}).") from None
    if isinstance(value, (str, np.str_)):
        return str(value)
    raise _refuse(obj, where, f"expected text, found {type(value).__name__}.")


def read_text_attr(obj, name, default=None):
    """A scalar string attribute as ``str`` (h5py gives bytes or str depending on how it was written)."""
    if not has_attr(obj, name):
        return default
    where = f"{_name(obj).rstrip('/')}/@{name}"
    value = read_attr(obj, name)
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise _refuse(obj, where, f"expected one string, found an array of shape {value.shape}.")
        value = value.reshape(()).item()
    return _decode(value, obj, where)


def read_int_attr(obj, name, default=0):
    """A scalar non-negative integer attribute (an epoch count), or ``default`` when absent."""
    if not has_attr(obj, name):
        return default
    where = f"{_name(obj).rstrip('/')}/@{name}"
    value = np.asarray(read_attr(obj, name))
    if value.size != 1 or value.dtype.kind not in "iu" or int(value.reshape(())) < 0:
        raise _refuse(obj, where, f"expected a non-negative integer, found {value.reshape(-1)[:4]!r} "
                                  f"({value.dtype}).")
    return int(value.reshape(()))


def read_names_attr(obj, name):
    """A list-of-strings attribute, joining Keras's chunks ``name0``, ``name1``, ... when split.

    An empty (float64) array, as Keras writes for weight-less layers, gives [].
    Returns None if the attribute is absent.
    """
    if has_attr(obj, name):
        chunk_names = [name]
    elif has_attr(obj, f"{name}0"):
        chunk_names, index = [], 0
        while has_attr(obj, f"{name}{index}"):
            chunk_names.append(f"{name}{index}")
            index += 1
    else:
        return None
    names, budget = [], limits.max_config_bytes()
    for chunk_name in chunk_names:
        where = f"{_name(obj).rstrip('/')}/@{chunk_name}"
        array = np.asarray(read_attr(obj, chunk_name, budget))
        budget -= array.nbytes
        if array.size == 0:
            continue
        if array.dtype.kind not in "SUO":
            raise _refuse(obj, where, f"it should hold strings, found {array.dtype}.")
        names.extend(_decode(item, obj, where) for item in array.reshape(-1))
    return names
