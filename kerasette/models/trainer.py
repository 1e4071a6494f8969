"""compile / fit / evaluate / predict, and the public steps they loop over.

``fit`` is a loop over ``train_step(data)``, ``evaluate`` over ``test_step``
and ``predict`` over ``predict_step``; the steps compute through the public
``compute_loss`` and ``compute_metrics``, so overriding any of them changes
training as it does in Keras 3.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any, Dict, List, Optional, Union

import numpy as np

from kerasette import config, ops
from kerasette.layers.layer import held_in_attributes
from kerasette.models import compile_utils, training_hooks
from kerasette.models import data_adapter as da
from kerasette.models import data_adapters as adapters
from kerasette.utils.step_counters import StepCounters


class Trainer:
    """Mixin giving a Model Keras's training and inference loop."""

    def __init__(self):
        self.optimizer = None
        self.loss = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._compile_args = None
        self._compiled_state = None
        self._trainable_snapshot = None
        self._trainable_warned = False
        self._initial_epoch = None
        # Shuffling: epoch k of the model's life (over all fit calls) uses the order drawn from
        # (seed, k); the seed comes from numpy's global generator at the first fit. Both are saved with
        # the model, so a resumed run shuffles as an uninterrupted one would.
        self._shuffle_seed = None
        self._epochs_run = 0
        self.epochs_trained = 0  # index of the next epoch; saved with the model, so resuming is
        # model.fit(..., initial_epoch=model.epochs_trained)

    # ----- compile ---------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None,
                metrics: Any = None, weighted_metrics: Any = None, run_eagerly: bool = False,
                steps_per_execution: int = 1, jit_compile: Any = "auto", auto_scale_loss: bool = True) -> None:
        """Configure the model for training.

        >>> import kerasette as keras
        >>> model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
        >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        >>> model.metrics_names
        ['loss', 'accuracy']

        Args:
            optimizer: an optimizer name (``"adam"``) or instance.
            loss: a loss name, function or ``keras.losses.Loss`` instance; for several
                outputs, a list (by position) or a dict keyed by output name.
            loss_weights: a scale per output's loss (a list or a dict), for models with
                several outputs; the training loss is the weighted sum.
            metrics: metric names, functions or instances (a list for every output; a
                list of lists or a dict for per-output metrics). ``"accuracy"`` resolves
                to the accuracy that fits the loss, as in Keras.
            weighted_metrics: metrics weighted by ``sample_weight``/``class_weight``.
            run_eagerly: kerasette always runs eagerly; accepted for compatibility.
            steps_per_execution: batches per call of the training function; kerasette
                runs one batch per step.
            jit_compile: kerasette does not compile to XLA; accepted for compatibility.
            auto_scale_loss: if True (the default) and the model's dtype policy is
                ``"mixed_float16"``, the optimizer is wrapped in a ``LossScaleOptimizer``
                (dynamic loss scaling against float16 gradient underflow), as in Keras.
        """
        from kerasette import optimizers

        compile_utils.check_compile_args(loss, loss_weights, metrics, weighted_metrics)
        _check_execution_arguments(run_eagerly, steps_per_execution, jit_compile)
        resolved_optimizer = optimizers.get(optimizer)
        if not isinstance(auto_scale_loss, bool):
            raise ValueError(f"Invalid value for argument `auto_scale_loss`. Expected a bool. "
                             f"Received: auto_scale_loss={auto_scale_loss!r}")
        if auto_scale_loss and self.dtype_policy.name == "mixed_float16" and not isinstance(
                resolved_optimizer, optimizers.LossScaleOptimizer):
            resolved_optimizer = optimizers.LossScaleOptimizer(resolved_optimizer, name="loss_scale_optimizer")
        self.optimizer, self.loss = resolved_optimizer, loss
        self._compile_args = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                              "weighted_metrics": weighted_metrics}
        self._compiled_state = None  # resolved once the outputs are known
        self._trainable_snapshot = None
        self._trainable_warned = False
        self.compiled = True
        if self.built and self._input_specs() is not None:
            self._resolve_compiled(None)

    def _output_names(self):
        return [name for name, _ in self._output_specs()]

    def _compiles_outputs(self):
        """Whether compile named a loss or metrics (which need the model's outputs to resolve)."""
        args = self._compile_args or {}
        return any(_names_something(args.get(key)) for key in ("loss", "metrics", "weighted_metrics"))

    def _resolve_compiled(self, ys):
        if self._compiled_state is None and not self._compiles_outputs():
            self._compiled_state = compile_utils.CompiledState([])  # a model with its own train_step
        if self._compiled_state is None:
            args = self._compile_args
            specs = self._output_specs()
            targets = [None] * len(specs) if ys is None else [y.shape for y in ys]
            entries = compile_utils.resolve_outputs(args["loss"], args["loss_weights"], args["metrics"],
                                                    [n for n, _ in specs], [s for _, s in specs], targets,
                                                    weighted_metrics=args.get("weighted_metrics"))
            self._compiled_state = compile_utils.CompiledState(entries)
        return self._compiled_state

    @property
    def metrics_names(self) -> List[str]:
        """The log keys of ``evaluate``'s results: ``loss``, then per-output losses and metrics."""
        state = self._compiled_state
        return ["loss"] if state is None else [name for name, _ in state.log_trackers()]

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()` on model `{self.name}`.")

    # ----- data --------------------------------------------------------------
    def _adapt(self, x, y=None, sample_weight=None, argument="x", need_y=True):
        """Check and convert user data: lists of host arrays aligned with inputs and outputs."""
        xs = [da.as_array(v, argument, allow_strings=True)
              for v in da.structured(x, self._input_names(), "inputs", argument)]
        self._build_from_data(xs)
        if y is not None or self._compiles_outputs():
            self._learn_outputs(xs)
        da.check_inputs(xs, self._input_specs(), argument)
        xs = da.cast_inputs(xs, self._input_dtypes(len(xs)), self._input_names(), argument)
        if y is None:
            if need_y and self._resolve_compiled(None).has_loss:
                raise ValueError("Targets `y` are required (the model's loss compares predictions with them).")
            if sample_weight is not None:
                raise ValueError("`sample_weight` needs targets `y`: it weights the loss of each sample.")
            return xs, None, None
        y_argument = "y" if argument == "x" else argument
        ys = [da.as_array(v, y_argument) for v in da.structured(y, self._output_names(), "outputs", y_argument)]
        sw = None
        if sample_weight is not None:
            sw_argument = "sample_weight" if argument == "x" else argument
            sw = da.as_array(sample_weight, sw_argument)
            da.check_sample_weight(sw, sw_argument)
            sw = sw.astype("float32")
        da.check_same_length(len(xs[0]), ys + [sw], ["y"] * len(ys) + ["sample_weight"])
        da.check_targets(ys, y_argument)
        state = self._resolve_compiled(ys)
        for entry, target, (_, shape) in zip(state.entries, ys, self._output_specs()):
            if entry.loss is not None:
                try:
                    entry.loss.check_targets(target, shape)
                except ValueError as error:
                    if argument == "x":
                        raise
                    raise ValueError(f"Invalid value for argument `{argument}`: {error}") from None
        return xs, ys, sw

    # ----- the steps -----------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                     training: bool = True) -> Any:
        """The scalar loss of one batch: the compiled losses plus the model's ``losses`` (regularization).

        Args:
            x: the batch's inputs.
            y: its targets (a tensor, or a list/dict of them for several outputs).
            y_pred: the model's predictions for ``x``.
            sample_weight: per-sample weights, or None.
            training: whether this is a training step.

        Returns:
            A scalar tensor (recorded on the tape when one is open).
        """
        state = self._compiled_state
        total = None
        if state is not None and state.has_loss and y is not None:
            ys, preds = da.flatten(y), da.flatten(y_pred)
            total, parts = state.loss(ys, preds, sample_weight)
            state.track_output_losses(parts, len(ys[0]))
        penalties = self.losses
        if penalties:
            penalty = ops.sum(ops.stack([ops.reshape(ops.cast(p, "float32"), ()) for p in penalties]))
            total = penalty if total is None else ops.add(total, penalty)
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> Dict[str, float]:
        """Update the compiled metrics with one batch and return every metric's result.

        Args:
            x: the batch's inputs.
            y: its targets.
            y_pred: the model's predictions for ``x``.
            sample_weight: per-sample weights, or None.

        Returns:
            A dict from log name (``loss``, ``accuracy``, ``<output>_accuracy``...) to a float.
        """
        if y is not None:
            with ops.stop_recording():
                self._compiled_state.update_metrics(da.flatten(y), da.flatten(y_pred), sample_weight)
        return self.get_metrics_result()

    @property
    def metrics(self) -> List[Any]:
        """The model's metric objects, as Keras 3 lists them.

        The loss tracker, per-output loss trackers and compiled metrics, then the metrics held in the
        model's attributes and in those of its layers (a custom ``keras.metrics.Mean`` tracker, say).
        """
        from kerasette.metrics import Metric

        state = self._compiled_state
        found = [] if state is None else [metric for _, metric in state.log_trackers()]
        seen = {id(metric) for metric in found}
        for layer in self._flatten_layers():
            if layer is not self and getattr(layer, "_is_model_class", False):
                continue  # a nested model's metrics are its own business, as in Keras
            found += held_in_attributes(layer, Metric, seen=seen, in_dicts=False)
        return found

    def reset_metrics(self) -> None:
        """Reset the state of every metric in ``metrics``."""
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> Dict[str, float]:
        """Every metric's current result as a Python float (one host read for all of them)."""
        state = self._compiled_state
        named = {} if state is None else {id(metric): name for name, metric in state.log_trackers()}
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[named.get(id(metric), metric.name)] = result
        return logs_to_host(logs)

    def train_step(self, data: Any) -> Dict[str, float]:
        """One gradient step on one batch; ``fit`` calls it for every batch.

        Override it to customize training (call ``self.compute_loss``, take gradients
        with ``keras.GradientTape`` and apply them with ``self.optimizer.apply``).

        Args:
            data: the batch: ``(x, y, sample_weight)``, ``(x, y)`` or ``x``.

        Returns:
            The logs: a dict from metric name to value, as ``History`` records them.
        """
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        variables = self._variables_to_train()
        with ops.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            scaled = self.optimizer.scale_loss(loss)  # loss scaling, undone by apply (LossScaleOptimizer)
        grads = tape.gradient(scaled, variables)
        self.optimizer.apply(grads, variables)
        self._compiled_state.track_loss(loss, len(da.flatten(x)[0]))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data: Any) -> Dict[str, float]:
        """Loss and metrics of one batch, without updating weights; ``evaluate`` calls it.

        Args:
            data: the batch: ``(x, y, sample_weight)``, ``(x, y)`` or ``x``.

        Returns:
            The logs: a dict from metric name to value.
        """
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._compiled_state.track_loss(loss, len(da.flatten(x)[0]))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for one batch; ``predict`` calls it.

        Args:
            data: the batch: ``x`` or a tuple starting with it.

        Returns:
            The outputs as tensors (one, a list or a dict, as the model returns them).
        """
        x, _, _ = da.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _variables_to_train(self):
        if self._trainable_snapshot is None:
            self._trainable_snapshot = self.trainable_weights
        return self._trainable_snapshot

    def _warn_if_trainable_changed(self):
        """Warn once per compile when ``trainable`` flags changed after training started (Keras 3 behaviour)."""
        snapshot = self._trainable_snapshot
        if snapshot is None or self._trainable_warned:
            return
        if [id(v) for v in self.trainable_weights] != [id(v) for v in snapshot]:
            self._trainable_warned = True
            warnings.warn(f"The `trainable` attribute of model `{self.name}` (or of one of its layers) has been "
                          "changed since the last compile. Call `compile()` again for the change to take effect: "
                          "until then, training updates the weights that were trainable at compile time.",
                          stacklevel=3)

    # ----- fit ---------------------------------------------------------------
    def fit(self, x: Any = None, y: Any = None, batch_size: Optional[int] = None, epochs: int = 1,
            verbose: Union[str, int] = "auto", callbacks: Any = None, validation_split: float = 0.0,
            validation_data: Any = None, shuffle: bool = True, class_weight: Optional[Dict[int, float]] = None,
            sample_weight: Any = None, initial_epoch: int = 0, steps_per_epoch: Optional[int] = None,
            validation_steps: Optional[int] = None, validation_batch_size: Optional[int] = None,
            validation_freq: int = 1) -> Any:
        """Train the model for a number of epochs over mini-batches of the data.

        Each batch goes through ``train_step``; callbacks see the logs after every
        batch and every epoch.

        Args:
            x: the inputs: an array, a list of arrays (several inputs) or a dict keyed
                by input name; h5py datasets and numpy memmaps are read batch by batch. Or
                a ``keras.utils.PyDataset`` or a generator yielding ``(x, y)`` /
                ``(x, y, sample_weight)`` batches (then ``y`` and ``sample_weight`` are not
                passed).
            y: the targets: an array, a list or a dict keyed by output name.
            batch_size: samples per gradient step (default 32; a PyDataset or a generator
                makes its own batches).
            epochs: the index of the epoch to stop before (training runs from
                ``initial_epoch`` to ``epochs``).
            verbose: 0 silent, 1 a progress bar per epoch, 2 one line per epoch;
                ``"auto"`` is 1.
            callbacks: ``keras.callbacks.Callback`` instances.
            validation_split: the fraction of the data (taken from the end, before
                shuffling) to hold out for validation.
            validation_data: ``(x_val, y_val)``, ``(x_val, y_val, sample_weight)``, a
                PyDataset or a generator, evaluated at the end of each epoch; overrides
                ``validation_split``.
            shuffle: shuffle the training data (a PyDataset's batch order) before each
                epoch; ``"batch"`` shuffles whole batches (cheap reads from disk).
            class_weight: ``{class index: weight}`` scaling the loss per class (models
                with one output).
            sample_weight: per-sample weights for the loss.
            initial_epoch: the epoch to start from (to resume training).
            steps_per_epoch: batches per epoch (wrapping around the data, or continuing a
                generator); default one pass over it (a generator: until it ends).
            validation_steps: batches per validation; default one pass.
            validation_batch_size: samples per validation batch (default ``batch_size``).
            validation_freq: validate every ``validation_freq`` epochs.

        Returns:
            The ``History`` callback: ``history.history`` maps each log key (``loss``,
            ``accuracy``, ``val_loss``...) to its value per epoch.
        """
        from kerasette.callbacks import CallbackList

        self._require_compiled("fit")
        self._warn_if_trainable_changed()
        da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        da.check_epochs(epochs, initial_epoch)
        if config.max_epochs() is not None:  # keras.config.set_max_epochs / KERAS_MAX_EPOCHS
            epochs = min(epochs, config.max_epochs())
        shuffle = da.check_shuffle(shuffle)
        if class_weight is not None:
            da.check_class_weight(class_weight)
        if steps_per_epoch is not None:
            da.check_batch_size(steps_per_epoch, "steps_per_epoch")
        # Arrays, HDF5 datasets/memmaps, a PyDataset or a generator (kerasette.models.data_adapters).
        batches, val_batches = adapters.fit_adapters(self, x, y, sample_weight, batch_size, shuffle, class_weight,
                                                     steps_per_epoch, validation_split, validation_data,
                                                     validation_steps, validation_batch_size)
        if shuffle and self._shuffle_seed is None:
            self._shuffle_seed = int(np.random.randint(2**31))  # set_random_seed makes it repeatable
        batches.seed = self._shuffle_seed
        training_hooks.prepare_data(self, batches)  # kerasette.distribute takes this process's part

        try:
            cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                               verbose=verbose, epochs=epochs, steps=batches.num_batches)
            training_hooks.prepare_callbacks(self, cbs)
            self.stop_training = False
            logs = {}
            self._initial_epoch = None
            cbs.on_train_begin()
            step_counters = StepCounters()
            if self._initial_epoch is not None:  # BackupAndRestore found a backup to resume from
                initial_epoch = self._initial_epoch
            for epoch in range(initial_epoch, epochs):
                if batches.exhausted:  # a generator that ended in an earlier epoch
                    adapters.warn_ran_out()
                    break
                self.reset_metrics()
                cbs.on_epoch_begin(epoch)
                feed = batches.epoch(self._epochs_run)  # prepares batches in a thread, ahead of the steps
                self._epochs_run += 1
                for step, host in enumerate(_capped(feed)):
                    cbs.on_train_batch_begin(step)
                    step_counters.start()  # the step's cost includes uploading its batch
                    logs = logs_to_host(self.train_step(feed.data(host)))
                    step_counters.stop(step)
                    cbs.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
                feed.close()
                if feed.ran_out:  # a generator that ended before steps_per_epoch batches
                    adapters.warn_ran_out()
                    self.stop_training = True
                epoch_logs = dict(logs)
                if val_batches is not None and (epoch + 1) % validation_freq == 0:
                    val_logs = self._evaluate_batches(val_batches, cbs)
                    epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
                self.epochs_trained = epoch + 1
                cbs.on_epoch_end(epoch, epoch_logs)
                if self.stop_training:
                    break
            self.optimizer.finalize_variable_values(self._variables_to_train())  # the EMA weights, with use_ema
            cbs.on_train_end(logs)
        finally:  # also on errors and Ctrl-C: no data thread or worker process outlives fit
            batches.close()
            if val_batches is not None:
                val_batches.close()
        return self.history

    # ----- evaluate / predict --------------------------------------------------
    def _evaluate_batches(self, batches, cbs=None):
        if batches.exhausted:  # a validation generator used up by earlier epochs
            adapters.warn_ran_out("validation")
            return {}
        self.reset_metrics()
        if cbs is not None:
            cbs.on_test_begin()
        logs = {}
        with ops.stop_recording():
            feed = batches.epoch()
            for step, host in enumerate(_capped(feed)):
                if cbs is not None:
                    cbs.on_test_batch_begin(step)
                logs = logs_to_host(self.test_step(feed.data(host)))
                if cbs is not None:
                    cbs.on_test_batch_end(step, logs)
            feed.close()
        if feed.ran_out:
            adapters.warn_ran_out("evaluation")
        if cbs is not None:
            cbs.on_test_end(logs)
        return logs

    def evaluate(self, x: Any = None, y: Any = None, batch_size: Optional[int] = None,
                 verbose: Union[str, int] = "auto", sample_weight: Any = None, steps: Optional[int] = None,
                 callbacks: Any = None, return_dict: bool = False) -> Any:
        """The loss and metrics of the model on the given data, computed in batches.

        Args:
            x: the inputs (as for ``fit``).
            y: the targets (as for ``fit``).
            batch_size: samples per batch (default 32).
            verbose: 0 silent, 1 a progress bar, 2 one line; ``"auto"`` is 1.
            sample_weight: per-sample weights for the loss.
            steps: batches to evaluate (default: one pass over the data).
            callbacks: callbacks to call during evaluation.
            return_dict: return a dict keyed by metric name instead of a list.

        Returns:
            The loss (a float) when the model has no metrics, else a list ordered as
            ``metrics_names``, or a dict with ``return_dict=True``.
        """
        from kerasette.callbacks import CallbackList

        self._require_compiled("evaluate")
        da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        batches = adapters.evaluate_adapter(self, x, y, sample_weight, batch_size, steps)
        try:
            cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                               steps=batches.num_batches)
            logs = self._evaluate_batches(batches, cbs)
        finally:
            batches.close()
        return _format_results(logs, return_dict)

    def predict(self, x: Any, batch_size: Optional[int] = None, verbose: Union[str, int] = "auto",
                steps: Optional[int] = None, callbacks: Any = None) -> Any:
        """The model's outputs for ``x``, computed in batches through ``predict_step``.

        Args:
            x: the inputs (as for ``fit``).
            batch_size: samples per batch (default 32).
            verbose: 0 silent, 1 a progress bar, 2 one line; ``"auto"`` is 1.
            steps: batches to predict (default: one pass over the data).
            callbacks: callbacks to call during prediction.

        Returns:
            A numpy array, or a list (or dict) of them for a model with several outputs.
        """
        from kerasette.callbacks import CallbackList

        da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        batches = adapters.predict_adapter(self, x, batch_size, steps)
        try:
            cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                               steps=batches.num_batches)
            cbs.on_predict_begin()
            outputs, structure = [], None
            with ops.stop_recording():
                feed = batches.epoch()
                for step, host in enumerate(_capped(feed)):
                    cbs.on_predict_batch_begin(step)
                    result = self.predict_step(feed.data(host))
                    structure = result
                    outputs.append([np.asarray(p) for p in da.flatten(result)])
                    cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
                feed.close()
            if feed.ran_out:
                adapters.warn_ran_out("prediction")
            cbs.on_predict_end()
        finally:
            batches.close()
        return _pack_like(structure, [np.concatenate(parts) for parts in zip(*outputs)])

    # ----- single batches ------------------------------------------------------
    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: Optional[Dict[int, float]] = None, return_dict: bool = False) -> Any:
        """One gradient step on one batch of data.

        Args:
            x: the batch's inputs.
            y: its targets.
            sample_weight: per-sample weights.
            class_weight: ``{class index: weight}``.
            return_dict: return a dict keyed by metric name instead of a list.

        Returns:
            The running loss and metrics (a float, a list or a dict, as ``evaluate``).
        """
        self._require_compiled("train_on_batch")
        self._warn_if_trainable_changed()
        xs, ys, sw = self._adapt(x, y, sample_weight)
        if class_weight is not None:
            da.check_class_weight(class_weight)
            cw = da.class_weights_to_sample_weights(ys[0], class_weight)
            sw = cw if sw is None else sw * cw
        batches = da.ArrayBatches(xs, ys, sw)
        logs = self.train_step(batches.batch(np.arange(len(xs[0]))))
        return _format_results(logs, return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False) -> Any:
        """The loss and metrics on one batch, without updating weights.

        Args:
            x: the batch's inputs.
            y: its targets.
            sample_weight: per-sample weights.
            return_dict: return a dict keyed by metric name instead of a list.

        Returns:
            A float, a list or a dict, as ``evaluate``.
        """
        self._require_compiled("test_on_batch")
        xs, ys, sw = self._adapt(x, y, sample_weight)
        logs = self._evaluate_batches(adapters.ArrayAdapter(xs, ys, sw, batch_size=len(xs[0])))
        return _format_results(logs, return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs for one batch, as numpy arrays.

        Args:
            x: the batch's inputs.

        Returns:
            A numpy array, or a list (or dict) of them for several outputs.
        """
        xs, _, _ = self._adapt(x, need_y=False)
        with ops.stop_recording():
            preds = self.predict_step(da.ArrayBatches(xs).batch(np.arange(len(xs[0]))))
        return _pack_like(preds, [np.asarray(p) for p in da.flatten(preds)])


def _capped(batches):
    """``batches`` cut to ``keras.config.max_steps_per_epoch()`` when that is set."""
    cap = config.max_steps_per_epoch()
    return batches if cap is None else itertools.islice(batches, cap)


def logs_to_host(logs):
    """``logs`` with every tensor value read to the host.

    Scalars become floats (one read for all of them), other shapes numpy arrays; plain numbers pass through.
    """
    scalars = [k for k, v in logs.items() if ops.is_tensor(v) and v.ndim == 0]
    if not scalars and all(not ops.is_tensor(v) for v in logs.values()):
        return dict(logs)
    out = dict(logs)
    if scalars:
        values = ops.stack([ops.cast(logs[k], "float32") for k in scalars]).numpy()
        out.update({k: float(v) for k, v in zip(scalars, values)})
    for key, value in logs.items():
        if ops.is_tensor(value) and value.ndim:
            out[key] = value.numpy()
    return out


def _pack_like(structure, arrays):
    """Concatenated per-output arrays in the structure ``predict_step`` returned (one, a list or a dict)."""
    if isinstance(structure, dict):
        return dict(zip(structure, arrays))
    if isinstance(structure, (list, tuple)):
        return list(arrays)
    return arrays[0]


def _names_something(value):
    """Whether a compile argument (a value, or a list/dict of them) names at least one loss or metric."""
    if isinstance(value, dict):
        return any(_names_something(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_names_something(v) for v in value)
    return value is not None


def _check_execution_arguments(run_eagerly, steps_per_execution, jit_compile):
    """Check the execution arguments; warn where kerasette (eager, one batch per step) differs."""
    if not isinstance(run_eagerly, bool):
        raise ValueError(f"Invalid value for argument `run_eagerly`. Expected a bool. Received: {run_eagerly!r}")
    if isinstance(steps_per_execution, bool) or not isinstance(steps_per_execution, int) or steps_per_execution < 1:
        raise ValueError(f"Invalid value for argument `steps_per_execution`. Expected a positive int. "
                         f"Received: {steps_per_execution!r}")
    if steps_per_execution != 1:
        warnings.warn(f"compile(steps_per_execution={steps_per_execution}): kerasette runs one batch per step "
                      "(there is no compiled function to amortize), so this setting has no effect.", stacklevel=3)
    if jit_compile not in ("auto", False, True):
        raise ValueError(f'Invalid value for argument `jit_compile`. Expected "auto", True or False. '
                         f"Received: {jit_compile!r}")
    if jit_compile is True:
        warnings.warn("compile(jit_compile=True): kerasette has no XLA-style compiler; the model runs eagerly.",
                      stacklevel=3)


def _format_results(logs, return_dict):
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
