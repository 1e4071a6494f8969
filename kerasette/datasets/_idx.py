"""Reading IDX files (the MNIST format), gzipped or not, with every field checked.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number
of dimensions), one big-endian uint32 per dimension, then the values in C
order, big-endian. Errors name the file and what was wrong with it.
"""

import gzip
import math
import struct
import zlib

import numpy as np

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_DATA_BYTES = 1 << 30  # refuse headers promising more than 1 GiB (a corrupt or hostile file)


def _read_exactly(f, count, path, what):
    data = f.read(count)
    if len(data) != count:
        raise ValueError(f"IDX file {path} is truncated: it ends inside the {what} ({len(data)} of {count} bytes).")
    return data


def read_idx(path, ndim=None):
    """Read one IDX file (``.gz`` files are decompressed) into a numpy array.

    Args:
        path: the file.
        ndim: the number of dimensions the file must have, or None for any.

    Returns:
        A writable numpy array in native byte order (uint8 for MNIST-style files).

    Raises:
        ValueError: the file is not valid IDX: bad gzip stream, bad magic number,
            unexpected number of dimensions, or a data section that is shorter or
            longer than the dimensions say. The message names the file.
    """
    path = str(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        try:
            magic = _read_exactly(f, 4, path, "magic number")
            if magic[0] != 0 or magic[1] != 0 or magic[2] not in _TYPES:
                raise ValueError(
                    f"IDX file {path} has a bad magic number 0x{magic.hex()}: expected 0x0000TTNN with "
                    f"type code TT in {sorted(hex(t) for t in _TYPES)} and NN dimensions."
                )
            dtype, dims = np.dtype(_TYPES[magic[2]]), magic[3]
            if ndim is not None and dims != ndim:
                raise ValueError(f"IDX file {path} has {dims} dimensions; expected {ndim}.")
            shape = struct.unpack(f">{dims}I", _read_exactly(f, 4 * dims, path, "dimension sizes"))
            count = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
            if count > MAX_DATA_BYTES:
                raise ValueError(
                    f"IDX file {path} claims shape {shape}: {count} bytes is more than this reader accepts."
                )
            data = f.read(count + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"IDX file {path} could not be decompressed or read: {error}") from error
    if len(data) < count:
        raise ValueError(
            f"IDX file {path} is truncated: shape {shape} needs {count} bytes of data, found {len(data)}."
        )
    if len(data) > count:
        raise ValueError(f"IDX file {path} has data beyond the {count} bytes its shape {shape} needs.")
    return np.frombuffer(data, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def load_image_classification(paths):
    """``(x_train, y_train), (x_test, y_test)`` from the four MNIST-layout files.

    Args:
        paths: dict from the canonical file names (``train-images-idx3-ubyte.gz``, ...) to paths.

    Raises:
        ValueError: a file is invalid, images are not uint8 (N, rows, cols), labels not
            uint8 (N,), or a split's image and label counts differ.
    """
    splits = []
    for prefix in ("train", "t10k"):
        images_path, labels_path = paths[f"{prefix}-images-idx3-ubyte.gz"], paths[f"{prefix}-labels-idx1-ubyte.gz"]
        images, labels = read_idx(images_path, ndim=3), read_idx(labels_path, ndim=1)
        for array, path in ((images, images_path), (labels, labels_path)):
            if array.dtype != np.uint8:
                raise ValueError(f"IDX file {path} holds {array.dtype} values; expected unsigned bytes (type 0x08).")
        if len(images) != len(labels):
            raise ValueError(
                f"{images_path} has {len(images)} images but {labels_path} has {len(labels)} labels."
            )
        splits.append((images, labels))
    return tuple(splits)
