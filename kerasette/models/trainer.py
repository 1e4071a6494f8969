"""compile / fit / evaluate / predict, and the public steps they loop over.

``fit`` is a loop over ``train_step(data)``, ``evaluate`` over ``test_step``
and ``predict`` over ``predict_step``; the steps compute through the public
``compute_loss`` and ``compute_metrics``, so overriding any of them changes
training as it does in Keras 3.
"""

import warnings

import numpy as np

from kerasette import ops
from kerasette.models import compile_utils
from kerasette.models import data_adapter as da
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
        self.epochs_trained = 0  # index of the next epoch; saved with the model, so resuming is
        # model.fit(..., initial_epoch=model.epochs_trained)

    # ----- compile ---------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        """Bind an optimizer, a loss (per output: a value, a list or a dict) and metrics.

        Args:
            optimizer: an optimizer name (``"adam"``) or instance.
            loss: a loss name, function or instance; for several outputs, a list or a
                dict keyed by output name.
            loss_weights: a scale per output's loss (a list or a dict).
            metrics: metric names, functions or instances (a list; a list of lists or a
                dict for per-output metrics).
        """
        from kerasette import optimizers

        if loss is None:
            raise ValueError('`compile` needs a `loss`, e.g. loss="sparse_categorical_crossentropy".')
        compile_utils.check_compile_args(loss, loss_weights, metrics)
        resolved_optimizer = optimizers.get(optimizer)
        self.optimizer, self.loss = resolved_optimizer, loss
        self._compile_args = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics}
        self._compiled_state = None  # resolved once the outputs are known
        self._trainable_snapshot = None
        self._trainable_warned = False
        self.compiled = True
        if self.built and self._input_specs() is not None:
            self._resolve_compiled(None)

    def _output_names(self):
        return [name for name, _ in self._output_specs()]

    def _resolve_compiled(self, ys):
        if self._compiled_state is None:
            args = self._compile_args
            specs = self._output_specs()
            targets = [None] * len(specs) if ys is None else [y.shape for y in ys]
            entries = compile_utils.resolve_outputs(args["loss"], args["loss_weights"], args["metrics"],
                                                    [n for n, _ in specs], [s for _, s in specs], targets)
            self._compiled_state = compile_utils.CompiledState(entries)
        return self._compiled_state

    @property
    def metrics_names(self):
        """The log keys of ``evaluate``'s results: ``loss``, then per-output losses and metrics."""
        state = self._compiled_state
        return ["loss"] if state is None else [name for name, _ in state.log_trackers()]

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()` on model `{self.name}`.")

    # ----- data --------------------------------------------------------------
    def _adapt(self, x, y=None, sample_weight=None, argument="x", need_y=True):
        """Check and convert user data: lists of host arrays aligned with inputs and outputs."""
        xs = [da.as_array(v, argument) for v in da.structured(x, self._input_names(), "inputs", argument)]
        self._build_from_data(xs)
        da.check_inputs(xs, self._input_specs(), argument)
        xs = [v.astype(dtype, copy=False) for v, dtype in zip(xs, self._input_dtypes(len(xs)))]
        if y is None:
            if need_y:
                raise ValueError("Targets `y` are required (the model's loss compares predictions with them).")
            return xs, None, None
        ys = [da.as_array(v, "y") for v in da.structured(y, self._output_names(), "outputs", "y")]
        sw = None if sample_weight is None else da.as_array(sample_weight, "sample_weight").astype("float32")
        da.check_same_length(len(xs[0]), ys + [sw], ["y"] * len(ys) + ["sample_weight"])
        da.check_targets(ys)
        state = self._resolve_compiled(ys)
        for entry, target, (_, shape) in zip(state.entries, ys, self._output_specs()):
            if entry.loss is not None:
                entry.loss.check_targets(target, shape)
        return xs, ys, sw

    # ----- the steps -----------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
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
        ys, preds = da.flatten(y), da.flatten(y_pred)
        state = self._compiled_state
        total, parts = state.loss(ys, preds, sample_weight)
        state.track_output_losses(parts, len(ys[0]))
        penalties = self.losses
        if penalties:
            total = ops.add(total, ops.sum(ops.stack([ops.reshape(p, ()) for p in penalties])))
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with one batch and return every metric's result.

        Returns:
            A dict from log name (``loss``, ``accuracy``, ``<output>_accuracy``...) to a float.
        """
        with ops.stop_recording():
            self._compiled_state.update_metrics(da.flatten(y), da.flatten(y_pred), sample_weight)
        return self.get_metrics_result()

    @property
    def metrics(self):
        """The model's metric objects: the loss tracker, per-output loss trackers, then compiled metrics."""
        state = self._compiled_state
        return [] if state is None else [metric for _, metric in state.log_trackers()]

    def reset_metrics(self):
        """Reset the state of every metric in ``metrics``."""
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """Every metric's current result as a Python float (one host read for all of them)."""
        named = {id(metric): name for name, metric in self._compiled_state.log_trackers()}
        pairs = [(named.get(id(metric), metric.name), metric.result()) for metric in self.metrics]
        if not pairs:
            return {}
        values = ops.stack([ops.cast(ops.reshape(result, ()), "float32") for _, result in pairs]).numpy()
        return {name: float(v) for (name, _), v in zip(pairs, values)}

    def train_step(self, data):
        """One gradient step on one batch ``data = (x, y, sample_weight)``; returns the logs."""
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        variables = self._variables_to_train()
        with ops.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        grads = tape.gradient(loss, variables)
        self.optimizer.apply(grads, variables)
        self._compiled_state.track_loss(loss, len(da.flatten(x)[0]))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        """Loss and metrics of one batch ``data = (x, y, sample_weight)``, without updating weights."""
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._compiled_state.track_loss(loss, len(da.flatten(x)[0]))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's outputs for one batch (``data`` is ``x`` or a tuple starting with it)."""
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
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs over shuffled mini-batches; returns the History."""
        from kerasette.callbacks import CallbackList

        self._require_compiled("fit")
        self._warn_if_trainable_changed()
        batch_size = da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        da.check_epochs(epochs, initial_epoch)
        if steps_per_epoch is not None:
            da.check_batch_size(steps_per_epoch, "steps_per_epoch")
        xs, ys, sw = self._adapt(x, y, sample_weight)
        if class_weight is not None:
            if len(ys) > 1:
                raise ValueError("`class_weight` is only supported for models with a single output.")
            cw = da.class_weights_to_sample_weights(ys[0], class_weight)
            sw = cw if sw is None else sw * cw
        val = None
        if validation_data is not None:
            val = self._adapt(*da.check_validation_data(validation_data), argument="validation_data")
        elif validation_split:
            (xs, ys, sw), val = da.split_validation([xs, ys, None if sw is None else [sw]], validation_split)
            sw = None if sw is None else sw[0]
            val[2] = None if val[2] is None else val[2][0]
        batches = da.ArrayBatches(xs, ys, sw, batch_size, shuffle, steps_per_epoch)
        val_batches = None if val is None else da.ArrayBatches(*val, validation_batch_size or batch_size,
                                                              steps=validation_steps)

        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                           verbose=verbose, epochs=epochs, steps=batches.num_batches)
        self.stop_training = False
        logs = {}
        self._initial_epoch = None
        cbs.on_train_begin()
        step_counters = StepCounters()
        if self._initial_epoch is not None:  # BackupAndRestore found a backup to resume from
            initial_epoch = self._initial_epoch
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            for step, index in enumerate(batches.epoch_indices()):
                cbs.on_train_batch_begin(step)
                step_counters.start()  # the step's cost includes uploading its batch
                logs = self.train_step(batches.batch(index))
                step_counters.stop(step)
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if val_batches is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_batches(val_batches, cbs)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            self.epochs_trained = epoch + 1
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        return self.history

    # ----- evaluate / predict --------------------------------------------------
    def _evaluate_batches(self, batches, cbs=None):
        self.reset_metrics()
        if cbs is not None:
            cbs.on_test_begin()
        logs = {}
        with ops.stop_recording():
            for step, data in enumerate(batches.epoch()):
                if cbs is not None:
                    cbs.on_test_batch_begin(step)
                logs = self.test_step(data)
                if cbs is not None:
                    cbs.on_test_batch_end(step, logs)
        if cbs is not None:
            cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        """Loss and metrics on the given data: a scalar, a list, or a dict with ``return_dict``."""
        from kerasette.callbacks import CallbackList

        self._require_compiled("evaluate")
        batch_size = da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        batches = da.ArrayBatches(*self._adapt(x, y, sample_weight), batch_size, steps=steps)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                           steps=batches.num_batches)
        logs = self._evaluate_batches(batches, cbs)
        return _format_results(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for ``x`` as numpy arrays, computed in batches."""
        from kerasette.callbacks import CallbackList

        batch_size = da.check_batch_size(batch_size)
        verbose = da.check_verbose(verbose)
        xs, _, _ = self._adapt(x, need_y=False)
        batches = da.ArrayBatches(xs, batch_size=batch_size, steps=steps)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                           steps=batches.num_batches)
        cbs.on_predict_begin()
        outputs = []
        with ops.stop_recording():
            for step, data in enumerate(batches.epoch()):
                cbs.on_predict_batch_begin(step)
                outputs.append([p.numpy() for p in da.flatten(self.predict_step(data))])
                cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
        cbs.on_predict_end()
        return self._pack_outputs([np.concatenate(parts) for parts in zip(*outputs)])

    def _pack_outputs(self, arrays):
        if len(arrays) == 1:
            return arrays[0]
        kind, keys = self._output_structure()
        return dict(zip(keys, arrays)) if kind == "dict" else arrays

    # ----- single batches ------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on one batch; returns the running loss and metrics."""
        self._require_compiled("train_on_batch")
        self._warn_if_trainable_changed()
        xs, ys, sw = self._adapt(x, y, sample_weight)
        if class_weight is not None:
            cw = da.class_weights_to_sample_weights(ys[0], class_weight)
            sw = cw if sw is None else sw * cw
        batches = da.ArrayBatches(xs, ys, sw)
        logs = self.train_step(batches.batch(np.arange(len(xs[0]))))
        return _format_results(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch, without updating weights."""
        self._require_compiled("test_on_batch")
        xs, ys, sw = self._adapt(x, y, sample_weight)
        logs = self._evaluate_batches(da.ArrayBatches(xs, ys, sw, batch_size=len(xs[0])))
        return _format_results(logs, return_dict)

    def predict_on_batch(self, x):
        """Model outputs for one batch as numpy."""
        xs, _, _ = self._adapt(x, need_y=False)
        with ops.stop_recording():
            preds = self.predict_step(da.ArrayBatches(xs).batch(np.arange(len(xs[0]))))
        return self._pack_outputs([p.numpy() for p in da.flatten(preds)])


def _format_results(logs, return_dict):
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
