"""`TensorBoard`: write training logs as TensorBoard event files, in Keras's layout and tag names."""

from __future__ import annotations

import os
import time
import warnings
from typing import Any, Dict, Optional, Union

import numpy as np

from kerasette.callbacks import _tensorboard_args as check
from kerasette.callbacks._tensorboard_images import weight_image
from kerasette.callbacks._tensorboard_projector import check_metadata, embedding_metadata, write_embeddings
from kerasette.callbacks._tensorboard_writer import EventWriter, import_tensorboardx
from kerasette.callbacks.callback import Callback, Logs


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes event files that `tensorboard --logdir <log_dir>` shows as a Keras run does: the
    training run in `<log_dir>/train/`, the validation run in `<log_dir>/validation/`, and
    these tags:

    - `epoch_<key>` for each log key at every epoch (`epoch_loss`, `epoch_accuracy`, ...) and
      `epoch_learning_rate` (the optimizer's; `epoch_learning_rate_<name>` for each optimizer
      of a `MultiOptimizer`) in `train/`; the `val_` keys go to `validation/` without their
      prefix, so `epoch_loss` of both runs share one chart. Steps are epochs.
    - `evaluation_<key>_vs_iterations` in `validation/` whenever the model is evaluated
      (validation inside `fit`, or `evaluate`), at step `model.optimizer.iterations`.
    - `batch_<key>` in `train/` every `update_freq` batches (the running means the progress
      bar shows), at the global batch step counted from 1 since `on_train_begin`.
    - `epoch_steps_per_second` (and `batch_steps_per_second` with an integer `update_freq`)
      with `write_steps_per_second=True`.
    - `<weight path>/histogram` for every weight (`dense/kernel/histogram`; non-finite
      values left out) every `histogram_freq` epochs, and `<weight path>/image` with `write_images=True` (see
      below).
    - The model graph, with `write_graph=True`, for the Graphs dashboard: the layers as nodes
      and their connections as edges (the run's graph), and the Keras model config under the
      tag `keras` (the "conceptual graph", as Keras writes it). A subclassed model has no
      layer graph; a warning says so.

    Event files are written with tensorboardX, installed by the `kerasette[tensorboard]`
    extra (`pip install "kerasette[tensorboard]"`); view them with the `tensorboard` package.

    Weight images: a bias is a column, a Dense kernel a matrix (transposed if taller than
    wide), a Conv kernel a grid of `kh x kw` tiles (one per filter, or `in x out` of them);
    each image is scaled from the weight's minimum (black) to its maximum (white). Keras writes
    raw values that TensorBoard clips to [0, 1], and draws 4-D kernels only when they have 1, 3
    or 4 output channels.

    Embeddings (`embeddings_freq`): each `Embedding` layer's table is written as a TSV file
    under `<log_dir>/embeddings/` and listed in `<log_dir>/projector_config.pbtxt`, which
    TensorBoard's Projector reads without TensorFlow (Keras saves `.weights.h5` checkpoints
    the Projector cannot open).

    Args:
        log_dir: the directory the event files go under (in `train/` and `validation/`).
            It should not be shared with other callbacks.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model graph when the callback is attached to a model.
        write_images: with `histogram_freq`, also write each weight as an image (alone it
            has no effect, and a warning says so).
        write_steps_per_second: log the training speed in steps per second.
        update_freq: `"epoch"` (scalars once per epoch), `"batch"` (also after every batch)
            or an integer `N` (also every `N` batches).
        profile_batch: must be 0: profiling needs TensorFlow's or JAX's profiler, so a
            non-zero value raises (Keras refuses it on its numpy and torch backends too).
        embeddings_freq: write the `Embedding` layers' tables every this many epochs
            (0: never).
        embeddings_metadata: a metadata file (one label per row, for every table), or a
            dict mapping Embedding layer names to metadata files; relative paths are read
            from `log_dir`. Used with `embeddings_freq` (alone, a warning says it has no effect).

    Raises:
        ImportError: if tensorboardX (the `kerasette[tensorboard]` extra) is not installed.
        ValueError: for a negative frequency, an unknown `update_freq`, a non-zero
            `profile_batch`, or `embeddings_metadata` naming a layer that is not an Embedding
            layer of the model (when the model is set).
        TypeError: for a flag that is not a bool, or `embeddings_metadata` that is not a path or
            a dict of them.

    Example:
        >>> import kerasette as keras
        >>> tensorboard_callback = keras.callbacks.TensorBoard(log_dir="./logs")
        >>> # model.fit(x_train, y_train, epochs=2, callbacks=[tensorboard_callback])
        >>> # then: tensorboard --logdir ./logs
    """

    def __init__(
        self,
        log_dir: Union[str, "os.PathLike[str]"] = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: Union[str, int] = "epoch",
        profile_batch: Union[int, str, tuple] = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Union[None, str, Dict[str, str]] = None,
    ) -> None:
        super().__init__()
        import_tensorboardx()  # fail now, naming the extra, rather than after the first epoch
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = check.non_negative_int("histogram_freq", histogram_freq)
        self.write_graph = check.flag("write_graph", write_graph)
        self.write_images = check.flag("write_images", write_images)
        self.write_steps_per_second = check.flag("write_steps_per_second", write_steps_per_second)
        self.update_freq = check.update_freq(update_freq)
        check.profile_batch(profile_batch)
        self.embeddings_freq = check.non_negative_int("embeddings_freq", embeddings_freq)
        self.embeddings_metadata = check_metadata(embeddings_metadata)
        if self.write_images and not self.histogram_freq:
            _warn_no_effect("write_images", "histogram_freq", "weights are logged")
        if embeddings_metadata and not self.embeddings_freq:
            _warn_no_effect("embeddings_metadata", "embeddings_freq", "embeddings are logged")
        self._writers: Dict[str, EventWriter] = {}
        self._global_train_batch = 0
        self._training = False
        self._graph_pending = False
        self._embedding_entries: list = []
        self._embedding_layers: list = []
        self._embedding_paths: Dict[str, Optional[str]] = {}
        self._warned_keys: set = set()
        self._epoch_start = (time.perf_counter(), 0)  # (time, iterations) at the epoch's start
        self._batch_start = time.perf_counter()

    # ----- writers -----------------------------------------------------------------------
    def _writer(self, run: str) -> EventWriter:
        if run not in self._writers:
            self._writers[run] = EventWriter(os.path.join(self.log_dir, run))
        return self._writers[run]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()

    def set_model(self, model: Any) -> None:
        """Attaches the model, starts new event files and writes its graph (with `write_graph`)."""
        super().set_model(model)
        self._close_writers()
        self._writers = {}
        self._graph_pending = self.write_graph
        self._write_graph()
        if self.embeddings_freq:
            from kerasette.layers import Embedding

            self._embedding_layers = [layer for layer in getattr(model, "layers", []) if isinstance(layer, Embedding)]
            self._embedding_paths = embedding_metadata(self._embedding_layers, self.embeddings_metadata)

    def _write_graph(self) -> None:
        from kerasette.models import Functional

        if not self._graph_pending:
            return
        if not isinstance(self.model, Functional):
            self._graph_pending = False
            warnings.warn(
                f"`TensorBoard` cannot write the graph of model `{getattr(self.model, 'name', self.model)}`: "
                "only functional and Sequential models have a layer graph. Pass `write_graph=False` to "
                "silence this warning.",
                UserWarning,
                stacklevel=3,
            )
            return
        if self.model.graph is None:  # a Sequential model not built yet: try again after a batch
            return
        from kerasette.callbacks._tensorboard_graph import layer_graph_def

        self._graph_pending = False
        writer = self._writer("train")
        writer.graph(layer_graph_def(self.model))
        writer.keras_model("keras", self.model.to_json(), step=0)
        writer.flush()

    # ----- hooks -------------------------------------------------------------------------
    def on_train_begin(self, logs: Logs = None) -> None:
        """Restarts the global batch count."""
        self._global_train_batch = 0
        self._training = True

    def on_train_end(self, logs: Logs = None) -> None:
        """Flushes and closes the event files."""
        self._training = False
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Notes the time and the optimizer's iterations, for `epoch_steps_per_second`."""
        if self.write_steps_per_second:
            self._epoch_start = (time.perf_counter(), _iterations(self.model) or 0)

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Counts the batch and starts its clock."""
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Writes `batch_*` scalars every `update_freq` batches (and a delayed graph)."""
        self._write_graph()
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        step = self._global_train_batch
        writer = self._writer("train")
        if self.write_steps_per_second:
            writer.scalar("batch_steps_per_second", 1.0 / max(time.perf_counter() - self._batch_start, 1e-9), step)
        for name, value in self._scalars(logs).items():
            writer.scalar(f"batch_{name}", value, step)

    def on_test_end(self, logs: Logs = None) -> None:
        """Writes `evaluation_*_vs_iterations` to `validation/` at the optimizer's iteration count.

        After `evaluate` on its own (not validation inside `fit`) the event files are closed.
        """
        iterations = _iterations(self.model)
        if iterations is None:
            return
        writer = self._writer("validation")
        for name, value in self._scalars(logs).items():
            writer.scalar(f"evaluation_{name}_vs_iterations", value, iterations)
        if self._training:
            writer.flush()
        else:  # `evaluate` on its own: its run is over
            self._close_writers()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Writes the epoch's scalars, then histograms, images and embeddings when due."""
        scalars = self._scalars(logs)
        train = {k: v for k, v in scalars.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in scalars.items() if k.startswith("val_")}
        train.update(_learning_rates(self.model))
        if self.write_steps_per_second:
            start_time, start_iterations = self._epoch_start
            steps = (_iterations(self.model) or 0) - start_iterations
            train["steps_per_second"] = steps / max(time.perf_counter() - start_time, 1e-9)
        for run, values in (("train", train), ("validation", val)):
            for name, value in values.items():
                self._writer(run).scalar(f"epoch_{name}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0 and self._embedding_layers:
            write_embeddings(self.log_dir, self._embedding_layers, self._embedding_paths, epoch,
                             self._embedding_entries)
        for writer in self._writers.values():
            writer.flush()

    # ----- helpers -----------------------------------------------------------------------
    def _scalars(self, logs: Logs) -> Dict[str, float]:
        """The numeric scalar entries of `logs`; other entries are left out with a warning, once per key."""
        scalars = {}
        for name, value in (logs or {}).items():
            array = np.asarray(value)
            if array.size == 1 and array.dtype.kind in "biuf":
                scalars[name] = float(array.reshape(()))
            elif name not in self._warned_keys:
                self._warned_keys.add(name)
                warnings.warn(
                    f"`TensorBoard` writes scalars only; the log entry `{name}` has shape {array.shape} and "
                    f"dtype {array.dtype} and is not written.",
                    UserWarning,
                    stacklevel=3,
                )
        return scalars

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                values = np.asarray(weight.numpy())
                finite = values[np.isfinite(values)]
                if finite.size:
                    writer.histogram(f"{name}/histogram", finite, epoch)
                if self.write_images:
                    image = weight_image(values)
                    if image is not None:
                        writer.image(f"{name}/image", image, epoch)


def _warn_no_effect(name: str, needs: str, when: str) -> None:
    warnings.warn(f"`TensorBoard` argument `{name}` has no effect with `{needs}=0`: it applies when {when}.",
                  UserWarning, stacklevel=3)


def _iterations(model: Any) -> Optional[int]:
    """`model.optimizer.iterations` as an int, or None without an optimizer."""
    optimizer = getattr(model, "optimizer", None)
    iterations = getattr(optimizer, "iterations", None)
    if iterations is None:
        return None
    return int(np.asarray(iterations.numpy() if hasattr(iterations, "numpy") else iterations))


def _learning_rates(model: Any) -> Dict[str, float]:
    """`{"learning_rate": lr}`, or `{"learning_rate_<name>": lr}` per optimizer of a MultiOptimizer."""
    optimizer = getattr(model, "optimizer", None)
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if optimizer is None:
        return {}
    if hasattr(type(optimizer), "optimizers"):
        return {f"learning_rate_{opt.name}": float(opt.learning_rate) for opt in optimizer.optimizers}
    learning_rate = getattr(optimizer, "learning_rate", None)
    return {} if learning_rate is None else {"learning_rate": float(learning_rate)}
