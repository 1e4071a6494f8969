"""Event files for TensorBoard, written through tensorboardX (the `kerasette[tensorboard]` extra).

Why tensorboardX: it is maintained, pure Python, and needs only numpy, packaging and protobuf,
so writing logs pulls in no TensorFlow and no server. The `tensorboard` package itself could
also write event files, but installing it brings the web server and its dependencies (grpcio,
werkzeug, markdown, the Rust data server), which a training job does not need; it stays the
reader and server (the `test` extra installs it to read our files back).

Only tensorboardX's event-file writer and its protocol-buffer classes are used: images are
encoded to PNG here (so pillow is not needed), and the Keras model summary (the graph plugin's
"conceptual graph") is built as TensorFlow's `keras_model_summary` builds it.
"""

from __future__ import annotations

import itertools
import os
import struct
import time
import zlib
from typing import Any, Optional

import numpy as np

_EXTRA_HINT = 'pip install "kerasette[tensorboard]"'


def import_tensorboardx() -> Any:
    """Returns the `tensorboardX` module, or raises an ImportError naming the extra.

    Raises:
        ImportError: if tensorboardX is not installed.
    """
    try:
        import tensorboardX
    except ImportError as error:
        raise ImportError(
            "The `TensorBoard` callback writes event files with the `tensorboardX` package, which is "
            f"not installed. Install kerasette's TensorBoard extra: {_EXTRA_HINT}"
        ) from error
    return tensorboardX


def png_bytes(image: np.ndarray) -> bytes:
    """Encodes an `(height, width, channels)` uint8 array (1, 3 or 4 channels) as PNG.

    Args:
        image: the pixels, uint8.

    Returns:
        The PNG file's bytes.
    """
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]  # grey, RGB, RGBA
    rows = b"".join(b"\x00" + image[row].tobytes() for row in range(height))  # filter 0 per row

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class EventWriter:
    """One run directory's event file (`train/` or `validation/`), created on first use.

    Writes are synchronous (tensorboardX's `EventsWriter`, not its queue-and-thread
    `FileWriter`), so after `flush()` every event is on disk for TensorBoard to read.

    Args:
        logdir: the run directory.
    """

    _files_opened = itertools.count()

    def __init__(self, logdir: str) -> None:
        self.logdir = logdir
        self._writer: Optional[Any] = None
        import_tensorboardx()
        from tensorboardX import summary

        self._summary = summary

    @property
    def file_writer(self) -> Any:
        """The tensorboardX `EventsWriter`, opened (with its directory) on first use.

        The file is `events.out.tfevents.<time>.<host>.<pid>.<n>`: the process id and a counter
        keep two files opened within one second apart.
        """
        if self._writer is None:
            from tensorboardX.event_file_writer import EventsWriter

            os.makedirs(self.logdir, exist_ok=True)
            suffix = f".{os.getpid()}.{next(self._files_opened)}"
            self._writer = EventsWriter(os.path.join(self.logdir, "events"), suffix)
        return self._writer

    def _add(self, step: Optional[int] = None, **fields: Any) -> None:
        from tensorboardX.proto.event_pb2 import Event

        event = Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(step)
        self.file_writer.write_event(event)

    def scalar(self, tag: str, value: Any, step: int) -> None:
        """Writes one scalar point.

        Args:
            tag: the series name (`epoch_loss`).
            value: a number.
            step: the x coordinate (epoch or global batch).
        """
        self._add(step, summary=self._summary.scalar(tag, float(value)))

    def histogram(self, tag: str, values: np.ndarray, step: int) -> None:
        """Writes a histogram of `values` with TensorFlow's default exponential buckets.

        Args:
            tag: the series name (`dense/kernel/histogram`).
            values: any array.
            step: the epoch.
        """
        values = np.asarray(values, dtype=np.float64).ravel()
        self._add(step, summary=self._summary.histogram(tag, values, _default_bins()))

    def image(self, tag: str, pixels: np.ndarray, step: int) -> None:
        """Writes one image.

        Args:
            tag: the series name (`dense/kernel/image`).
            pixels: `(height, width, channels)` uint8.
            step: the epoch.
        """
        from tensorboardX.proto.summary_pb2 import Summary

        height, width, channels = pixels.shape
        image = Summary.Image(height=height, width=width, colorspace=channels, encoded_image_string=png_bytes(pixels))
        self._add(step, summary=Summary(value=[Summary.Value(tag=tag, image=image)]))

    def keras_model(self, tag: str, model_json: str, step: int = 0) -> None:
        """Writes the model's Keras JSON for the graph plugin's conceptual graph, as Keras does.

        Args:
            tag: the summary tag (Keras uses `keras`).
            model_json: `model.to_json()`.
            step: the step (Keras uses 0).
        """
        from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboardX.proto.tensor_pb2 import TensorProto
        from tensorboardX.proto.types_pb2 import DT_STRING

        metadata = SummaryMetadata(
            plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1")
        )
        tensor = TensorProto(dtype=DT_STRING, string_val=[model_json.encode("utf-8")])
        value = Summary.Value(tag=tag, metadata=metadata, tensor=tensor)
        self._add(step, summary=Summary(value=[value]))

    def graph(self, graph_def: Any) -> None:
        """Writes a `GraphDef` as the run's graph (the graph plugin's default view).

        Args:
            graph_def: a tensorboardX `GraphDef` protocol buffer.
        """
        self._add(graph_def=graph_def.SerializeToString())

    def flush(self) -> None:
        """Writes pending events to disk."""
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        """Flushes and closes the file (a later write opens a new one)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __del__(self) -> None:
        try:  # a run cut short (an exception in `fit`, `predict` only): close the file quietly
            self.close()
        except Exception:  # interpreter shutdown may have torn modules down
            pass


_BINS: Optional[list] = None


def _default_bins() -> list:
    """TensorFlow's default histogram bucket limits: +-1e-12 growing by 10% up to 1e20, and 0."""
    global _BINS
    if _BINS is None:
        limits, value = [], 1e-12
        while value < 1e20:
            limits.append(value)
            value *= 1.1
        _BINS = [-v for v in reversed(limits)] + [0.0] + limits
    return _BINS
