"""compile / fit / evaluate / predict: the training API every Model has."""

import numpy as np

from kerasette import ops
from kerasette.models import data_adapter as da


class Trainer:
    """Mixin giving a Model Keras's training and inference loop."""

    def __init__(self):
        self.optimizer = None
        self.loss = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._compile_config = None
        self._metric_specs = []
        self._metrics = None
        self._loss_tracker = None

    # ----- compile ---------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        """Bind an optimizer, a loss and metrics to the model."""
        from kerasette import losses, optimizers

        if loss is None:
            raise ValueError("`compile` needs a `loss`, e.g. loss=\"sparse_categorical_crossentropy\".")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"Invalid value for argument `metrics`. Expected a list. Received: metrics={metrics!r}")
        resolved_optimizer = optimizers.get(optimizer)
        resolved_loss = losses.get(loss)
        self.optimizer, self.loss = resolved_optimizer, resolved_loss
        self._metric_specs = list(metrics or [])
        self._metrics = None  # resolved once the output shape is known
        self._compile_config = {"optimizer": optimizer, "loss": loss, "metrics": metrics,
                                "loss_weights": loss_weights}
        self.compiled = True
        self._trainable_snapshot = None

    def _ensure_metrics(self):
        from kerasette import metrics as metrics_module

        if self._metrics is None:
            output_shape = self.outputs[0].shape
            self._loss_tracker = metrics_module.Mean(name="loss")
            self._metrics = [metrics_module.resolve(m, self.loss, output_shape) for m in self._metric_specs]
        return self._metrics

    @property
    def metrics_names(self):
        return ["loss"] + [m.name for m in (self._metrics or [])]

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()` on model `{self.name}`.")

    # ----- data --------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, argument="x", need_y=True):
        xs = [da.as_array(v, argument) for v in (x if isinstance(x, (list, tuple)) else [x])]
        self._ensure_graph(xs[0])
        da.check_inputs(self, xs, argument)
        xs = [v.astype(t.dtype, copy=False) for v, t in zip(xs, self.inputs)]
        if y is None:
            if need_y:
                raise ValueError("Targets `y` are required (the model's loss compares predictions with them).")
            return xs, None, None
        y = da.as_array(y, "y")
        sw = None if sample_weight is None else da.as_array(sample_weight, "sample_weight").astype("float32")
        da.check_same_length(len(xs[0]), [y, sw], ["y", "sample_weight"])
        if np.issubdtype(y.dtype, np.floating) and not np.isfinite(y).all():
            raise ValueError("Invalid value for argument `y`: the targets contain NaN or infinite values.")
        self.loss.check_targets(y, self.outputs[0].shape)
        return xs, y, sw

    def _ensure_graph(self, sample):
        if getattr(self, "_graph", None) is None and hasattr(self, "_ensure_built"):
            self._ensure_built(sample)

    # ----- steps -------------------------------------------------------------
    def _trainable(self):
        if self._trainable_snapshot is None:
            self._trainable_snapshot = self.trainable_weights
        return self._trainable_snapshot

    def _forward_loss(self, x, y, sample_weight, training):
        y_pred = self(x if len(x) > 1 else x[0], training=training)
        loss = self.loss(y, y_pred, sample_weight=sample_weight)
        if training:
            penalties = self.losses
            if penalties:
                loss = ops.add(loss, ops.sum(ops.stack([ops.reshape(p, ()) for p in penalties])))
        return y_pred, loss

    def _train_batch(self, x, y, sample_weight):
        variables = self._trainable()
        with ops.GradientTape() as tape:
            y_pred, loss = self._forward_loss(x, y, sample_weight, training=True)
        grads = tape.gradient(loss, variables)
        self.optimizer.apply(grads, variables)
        self._update_metrics(y, y_pred, loss, sample_weight)

    def _update_metrics(self, y, y_pred, loss, sample_weight):
        with ops.stop_recording():
            self._loss_tracker.update_state(loss, sample_weight=len(y))
            for metric in self._metrics:
                metric.update_state(y, y_pred, sample_weight=sample_weight)

    def _reset_metrics(self):
        self._ensure_metrics()
        self._loss_tracker.reset_state()
        for metric in self._metrics:
            metric.reset_state()

    def _read_logs(self, prefix=""):
        """All metric results as Python floats: one host read per call."""
        trackers = [self._loss_tracker] + self._metrics
        values = ops.stack([ops.cast(ops.reshape(m.result(), ()), "float32") for m in trackers]).numpy()
        return {prefix + m.name: float(v) for m, v in zip(trackers, values)}

    @staticmethod
    def _batch(arrays, index):
        return [ops.convert_to_tensor(a[index]) for a in arrays]

    # ----- fit ---------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs over shuffled mini-batches; returns the History."""
        from kerasette.callbacks import CallbackList

        self._require_compiled("fit")
        batch_size = da.check_batch_size(batch_size)
        verbose = _check_verbose(verbose)
        if not isinstance(epochs, int) or epochs < 0 or not isinstance(initial_epoch, int) or initial_epoch < 0:
            raise ValueError(f"Invalid epochs={epochs!r} / initial_epoch={initial_epoch!r}. Expected non-negative ints.")
        if steps_per_epoch is not None:
            da.check_batch_size(steps_per_epoch, "steps_per_epoch")
        xs, y, sw = self._prepare(x, y, sample_weight)
        if class_weight is not None:
            cw = da.class_weights_to_sample_weights(y, class_weight)
            sw = cw if sw is None else sw * cw
        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data)
        elif validation_split:
            (xs, y, sw), (vx, vy, vsw) = da.split_validation([xs, [y], None if sw is None else [sw]],
                                                            validation_split)
            y, sw = y[0], None if sw is None else sw[0]
            val = (vx, vy[0], None if vsw is None else vsw[0])
        self._ensure_metrics()

        count = len(xs[0])
        steps = steps_per_epoch or -(-count // batch_size)
        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                           verbose=verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        logs = {}
        cbs.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            cbs.on_epoch_begin(epoch)
            for step, index in enumerate(da.batch_indices(count, batch_size, shuffle, steps_per_epoch)):
                cbs.on_train_batch_begin(step)
                self._train_batch(self._batch(xs, index), ops.convert_to_tensor(y[index]),
                                  None if sw is None else ops.convert_to_tensor(sw[index]))
                logs = self._read_logs()
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_arrays(*val, validation_batch_size or batch_size, cbs, validation_steps)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        return self.history

    def _prepare_validation(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight).")
        return self._prepare(*validation_data, argument="validation_data")

    # ----- evaluate / predict --------------------------------------------------
    def _evaluate_arrays(self, xs, y, sw, batch_size, cbs=None, steps=None):
        self._reset_metrics()
        if cbs is not None:
            cbs.on_test_begin()
        logs = {}
        with ops.stop_recording():
            for step, index in enumerate(da.batch_indices(len(xs[0]), batch_size, False, steps)):
                if cbs is not None:
                    cbs.on_test_batch_begin(step)
                x_batch, y_batch = self._batch(xs, index), ops.convert_to_tensor(y[index])
                sw_batch = None if sw is None else ops.convert_to_tensor(sw[index])
                y_pred, loss = self._forward_loss(x_batch, y_batch, sw_batch, training=False)
                self._update_metrics(y_batch, y_pred, loss, sw_batch)
                if cbs is not None:
                    logs = self._read_logs()
                    cbs.on_test_batch_end(step, logs)
        logs = self._read_logs()
        if cbs is not None:
            cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False):
        """Loss and metrics on the given data: a scalar, a list, or a dict with ``return_dict``."""
        from kerasette.callbacks import CallbackList

        self._require_compiled("evaluate")
        batch_size = da.check_batch_size(batch_size)
        verbose = _check_verbose(verbose)
        xs, y, sw = self._prepare(x, y, sample_weight)
        self._ensure_metrics()
        count_steps = steps or -(-len(xs[0]) // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                           steps=count_steps)
        logs = self._evaluate_arrays(xs, y, sw, batch_size, cbs, steps)
        return _format_results(logs, self.metrics_names, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for ``x`` as numpy arrays, computed in batches."""
        from kerasette.callbacks import CallbackList

        batch_size = da.check_batch_size(batch_size)
        verbose = _check_verbose(verbose)
        xs, _, _ = self._prepare(x, need_y=False)
        count_steps = steps or -(-len(xs[0]) // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                           steps=count_steps)
        cbs.on_predict_begin()
        outputs = []
        with ops.stop_recording():
            for step, index in enumerate(da.batch_indices(len(xs[0]), batch_size, False, steps)):
                cbs.on_predict_batch_begin(step)
                out = self(self._batch(xs, index) if len(xs) > 1 else self._batch(xs, index)[0], training=False)
                outputs.append([o.numpy() for o in out] if isinstance(out, (list, tuple)) else out.numpy())
                cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
        cbs.on_predict_end()
        if outputs and isinstance(outputs[0], list):
            return [np.concatenate(parts) for parts in zip(*outputs)]
        return np.concatenate(outputs)

    # ----- single batches ------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on one batch; returns the running loss and metrics."""
        self._require_compiled("train_on_batch")
        xs, y, sw = self._prepare(x, y, sample_weight)
        if class_weight is not None:
            cw = da.class_weights_to_sample_weights(y, class_weight)
            sw = cw if sw is None else sw * cw
        self._ensure_metrics()
        whole = np.arange(len(y))
        self._train_batch(self._batch(xs, whole), ops.convert_to_tensor(y),
                          None if sw is None else ops.convert_to_tensor(sw))
        return _format_results(self._read_logs(), self.metrics_names, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch, without updating weights."""
        self._require_compiled("test_on_batch")
        xs, y, sw = self._prepare(x, y, sample_weight)
        self._ensure_metrics()
        logs = self._evaluate_arrays(xs, y, sw, len(y))
        return _format_results(logs, self.metrics_names, return_dict)

    def predict_on_batch(self, x):
        """Model outputs for one batch as numpy."""
        xs, _, _ = self._prepare(x, need_y=False)
        with ops.stop_recording():
            out = self(xs if len(xs) > 1 else xs[0], training=False)
        return [o.numpy() for o in out] if isinstance(out, (list, tuple)) else out.numpy()


def _check_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f'Invalid value for argument `verbose`. Expected 0, 1, 2 or "auto". Received: {verbose!r}')
    return verbose


def _format_results(logs, names, return_dict):
    if return_dict:
        return dict(logs)
    values = [logs[name] for name in names if name in logs]
    return values[0] if len(values) == 1 else values
