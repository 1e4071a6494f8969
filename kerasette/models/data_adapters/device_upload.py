"""Batches uploaded ahead: on the OpenCL backend the data thread also copies the next batch to the device.

``UploadAhead`` wraps an adapter's ``host_batches`` in the data thread: each host batch (a tuple of
parts: ``(xs, ys, sample_weight)``, or a PyDataset's batch before its ``map`` functions) comes out as a
``DeviceBatch`` whose numeric numpy arrays are already on the device (text arrays, and arrays the
device cannot hold, stay on the host and are converted on the main thread as before). The step
sees the same values: the bytes are copied as they are, with the dtype ``ops.convert_to_tensor``
gives a numpy array. The upload's transfers are counted on the main thread when the step takes the
batch, so ``KERASETTE_DEBUG=2`` still shows each step's batch. On a backend without a device (numpy)
nothing changes.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

import numpy as np

from kerasette import backends
from kerasette.ops.tensor import Tensor


class DeviceBatch:
    """A host batch and its parts with the numeric arrays already uploaded.

    Args:
        host: the batch as the adapter made it, ``(xs, ys, sample_weight)``.
        parts: the same structure, with device tensors in place of the uploaded arrays.
        transfers: the host-to-device transfers the upload made.

    Example:
        >>> import numpy as np
        >>> host = ([np.ones((2, 3), "float32")], [np.zeros(2, "int64")], None)
        >>> DeviceBatch(host, host, 0).transfers
        0
    """

    __slots__ = ("host", "parts", "transfers")

    def __init__(self, host: Any, parts: Any, transfers: int) -> None:
        self.host = host
        self.parts = parts
        self.transfers = transfers


def uploader() -> Optional[Any]:
    """The active backend's uploader for the data thread (made here, on the main thread), or None.

    Returns:
        An object with ``upload(array)`` and ``count(transfers)`` on the OpenCL backend; None elsewhere.

    Example:
        >>> from kerasette import backends
        >>> uploader() is None or backends.backend() == "opencl"
        True
    """
    if backends.backend() != "opencl":
        return None
    from kerasette.backends.opencl import memory

    return memory.ThreadUploader()


class UploadAhead:
    """An iterator of ``DeviceBatch`` from an iterator of host batches; it runs in the data thread.

    Args:
        source: the host batches.
        device: the uploader from ``uploader()``.

    Example:
        >>> import numpy as np
        >>> class Copying:  # stands in for the OpenCL uploader: (device array, transfers)
        ...     def upload(self, array):
        ...         return array.copy(), 1
        >>> host = ([np.ones((2, 3), "float32")], [np.zeros(2, "int64")], None)
        >>> batch = next(UploadAhead(iter([host]), Copying()))
        >>> batch.transfers, type(batch.parts[0][0]).__name__, batch.host is host
        (2, 'Tensor', True)
    """

    def __init__(self, source: Iterator[Any], device: Any) -> None:
        self._source = iter(source)
        self._device = device
        self._transfers = 0  # of the batch being uploaded

    def __iter__(self) -> "UploadAhead":
        return self

    def __next__(self) -> Any:
        host = next(self._source)
        if not isinstance(host, tuple):
            return host  # not a batch of parts: the main thread converts it, as before
        self._transfers = 0
        parts = tuple(self._part(part) for part in host)
        return DeviceBatch(host, parts, self._transfers)

    def _part(self, part):
        # One level down, as to_step_data and PyDataset.map's as_tensors convert: the lists of inputs and
        # targets of (xs, ys, sample_weight), or the dict/list/tuple parts of a batch before its map functions.
        if isinstance(part, dict):
            return {key: self._one(value) for key, value in part.items()}
        if isinstance(part, (list, tuple)):
            return type(part)(self._one(value) for value in part)
        return self._one(part)

    def _one(self, array):
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
            return array
        done = self._device.upload(array)
        if done is None:
            return array
        device_array, transfers = done
        self._transfers += transfers
        return Tensor(device_array)

    def close(self) -> None:
        """Close the source (a generator's ``finally`` runs)."""
        close = getattr(self._source, "close", None)
        if close is not None:
            close()


def host_of(item: Any) -> Any:
    """The host batch of an item of ``UploadAhead`` (what ``push_back`` keeps for a later epoch).

    Args:
        item: a ``DeviceBatch`` or a host batch.

    Returns:
        The host batch.

    Example:
        >>> import numpy as np
        >>> host = ([np.zeros((2, 3), "float32")], None, None)
        >>> host_of(DeviceBatch(host, host, 0)) is host, host_of(host) is host
        (True, True)
    """
    return item.host if isinstance(item, DeviceBatch) else item
