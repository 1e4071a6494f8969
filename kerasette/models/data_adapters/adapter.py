"""``DataAdapter``, the interface the training loop uses, and ``EpochFeed``, one pass over an adapter's batches.

An adapter makes the batches of one input form (arrays, HDF5/memmap arrays, a PyDataset, a
generator) in two stages:

- ``host_batches(epoch, stop)``: host work (reading, decoding, gathering, checking), producing
  ``(xs, ys, sample_weight)`` numpy batches. It runs in a background thread, ``depth`` batches
  ahead of training (on the main thread when ``depth`` is 0).
- ``to_data(host, position)``: on the main thread, just before the step: the conversion to
  tensors (``ops.convert_to_tensor``) and any ``PyDataset.map`` functions.

On the OpenCL backend the data thread also uploads each batch to the device (``device_upload``;
``upload_ahead = False`` turns that off), so ``to_data`` receives device tensors in place of the
numeric host arrays; ``KERASETTE_DEBUG=2`` still counts those transfers in the step that uses the batch.

The loop::

    feed = adapter.epoch(epoch)
    for step, host in enumerate(feed):
        logs = model.train_step(feed.data(host))
    feed.close()
    ...
    adapter.close()  # in a finally: stops threads and worker processes
"""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional

import numpy as np

from kerasette import ops
from kerasette.models import data_adapter as da
from kerasette.models.data_adapters import device_upload
from kerasette.models.data_adapters.prefetch import Prefetcher


class DataAdapter:
    """Base class of the adapters: batches epoch by epoch, prepared ahead of the step.

    Subclasses set ``num_batches`` (None: until the data runs out) and implement ``host_batches``;
    they may override ``to_data``, ``on_epoch_begin``, ``on_epoch_end`` and ``close``.
    """

    num_batches: Optional[int] = None
    depth = 2  # batches prepared ahead in the data thread (0: made on the main thread)
    exhausted = False  # a stream (generator) that has run out: no later epoch gets a batch
    upload_ahead = True  # with a data thread on OpenCL, it uploads the batches to the device too

    def host_batches(self, epoch: int, stop: threading.Event) -> Iterator[Any]:
        """Yield the host batches of epoch number ``epoch`` (in the data thread).

        Args:
            epoch: the epoch's number over the model's life (it keys the shuffled order).
            stop: set when the consumer stops early; a long wait should give up when it is set.
        """
        raise NotImplementedError

    def to_data(self, host: Any, position: int) -> Any:
        """The step's ``data`` (tensors) from a host batch, on the main thread.

        Args:
            host: ``(xs, ys, sample_weight)`` from ``host_batches``.
            position: the batch's number in the epoch.
        """
        return to_step_data(*host)

    def on_epoch_begin(self) -> None:
        """Called before an epoch's first batch is made."""

    def on_epoch_end(self) -> None:
        """Called after an epoch's last batch was made (not after an error)."""

    def push_back(self, items: list) -> None:
        """Batches made but not used (the epoch stopped early); streams keep them for the next epoch.

        Args:
            items: host batches, in order.
        """

    def close(self) -> None:
        """Stop an epoch still running (its threads); subclasses also release workers and files.

        Called once, in a ``finally`` at the end of fit/evaluate/predict (after an error or Ctrl-C too).
        """
        feed = getattr(self, "_feed", None)
        if feed is not None:
            feed.close(end_epoch=False)

    def epoch(self, epoch: int = 0) -> "EpochFeed":
        """One pass over the batches of epoch number ``epoch``.

        Args:
            epoch: the epoch's number over the model's life.
        """
        self._feed = EpochFeed(self, epoch)
        return self._feed


class EpochFeed:
    """The batches of one epoch: iterate for host batches, ``data(host)`` for the step's tensors.

    Args:
        adapter: the adapter whose batches are fed.
        epoch: the epoch's number.
    """

    def __init__(self, adapter: DataAdapter, epoch: int) -> None:
        self.adapter = adapter
        self.count = 0
        self._closed = False
        self._finished = False
        adapter.on_epoch_begin()
        self._stop = threading.Event()
        source = adapter.host_batches(epoch, self._stop)
        # One batch (a predict on one sample, say) has nothing to overlap: no thread, no latency for one.
        ahead = adapter.depth if getattr(adapter, "num_batches", None) not in (0, 1) else 0
        self._device = device_upload.uploader() if ahead and adapter.upload_ahead else None
        if self._device is not None:
            source = device_upload.UploadAhead(source, self._device)
        self._prefetch = Prefetcher(source, ahead, self._stop) if ahead else None
        self._iterator = self._prefetch if self._prefetch is not None else source

    def __iter__(self) -> "EpochFeed":
        return self

    def __next__(self) -> Any:
        if self._closed:
            raise StopIteration
        try:
            host = next(self._iterator)
        except StopIteration:
            self._finished = True
            self.close()
            raise
        self.count += 1
        return host

    def data(self, host: Any) -> Any:
        """The step's ``data`` for a host batch from this feed (uploaded here, on the main thread).

        Args:
            host: a batch this feed yielded.
        """
        if isinstance(host, device_upload.DeviceBatch):
            self._device.count(host.transfers)  # the batch's upload, made ahead, counted in its step
            host = host.parts
        return self.adapter.to_data(host, self.count - 1)

    @property
    def ran_out(self) -> bool:
        """Whether the data ended before the epoch's ``num_batches`` (a generator that stopped early)."""
        expected = self.adapter.num_batches
        return self._finished and expected is not None and self.count < expected

    def close(self, end_epoch: bool = True) -> None:
        """Stop making batches (joining the data thread), then end the epoch.

        Args:
            end_epoch: call the adapter's ``on_epoch_end`` (False when stopping after an error).
        """
        if self._closed:
            return
        self._closed = True
        if self._prefetch is not None:
            left = self._prefetch.close()
            if self._device is not None:
                self._device.count(sum(getattr(item, "transfers", 0) for item in left))  # uploaded, not used
                left = [device_upload.host_of(item) for item in left]
        else:
            left = []
            close = getattr(self._iterator, "close", None)
            if close is not None:
                close()
        if left:
            self.adapter.push_back(left)
        if end_epoch:
            self.adapter.on_epoch_end()


def to_step_data(xs: list, ys: Optional[list] = None, sample_weight: Any = None) -> Any:
    """The ``data`` a step receives, as tensors: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.

    Text inputs (numpy str/bytes/object arrays, for ``dtype="string"`` model inputs) stay host
    arrays, as ``ArrayBatches.batch`` leaves them.

    Args:
        xs: one host array per model input.
        ys: one per model output, or None.
        sample_weight: per-sample weights, or None.
    """
    x = da.pack([a if isinstance(a, np.ndarray) and a.dtype.kind in "USO" else ops.convert_to_tensor(a) for a in xs])
    y = None if ys is None else da.pack([ops.convert_to_tensor(a) for a in ys])
    sw = None if sample_weight is None else ops.convert_to_tensor(sample_weight)
    return da.pack_x_y_sample_weight(x, y, sw)
