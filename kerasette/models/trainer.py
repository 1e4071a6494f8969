"""compile / fit / evaluate / predict: the training API every Model has."""

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
        self._initial_epoch = None
        self.epochs_trained = 0  # index of the next epoch; saved with the model, so resuming is
        # model.fit(..., initial_epoch=model.epochs_trained)

    # ----- compile ---------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        """Bind an optimizer, a loss (per output: a value, a list or a dict) and metrics."""
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
        if getattr(self, "_graph", None) is not None:
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
        state = self._compiled_state
        return ["loss"] if state is None else [name for name, _ in state.log_trackers()]

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{method}()` on model `{self.name}`.")

    # ----- data --------------------------------------------------------------
    def _prepare(self, x, y=None, sample_weight=None, argument="x", need_y=True):
        """Check and convert user data: lists of host arrays aligned with inputs and outputs."""
        xs = [da.as_array(v, argument) for v in self._structured(x, "inputs", argument)]
        self._ensure_graph(xs)
        da.check_inputs(self, xs, argument)
        xs = [v.astype(dtype, copy=False) for v, dtype in zip(xs, self._input_dtypes(len(xs)))]
        if y is None:
            if need_y:
                raise ValueError("Targets `y` are required (the model's loss compares predictions with them).")
            return xs, None, None
        ys = [da.as_array(v, "y") for v in self._structured(y, "outputs", "y")]
        sw = None if sample_weight is None else da.as_array(sample_weight, "sample_weight").astype("float32")
        da.check_same_length(len(xs[0]), ys + [sw], ["y"] * len(ys) + ["sample_weight"])
        for target in ys:
            if np.issubdtype(target.dtype, np.floating) and not np.isfinite(target).all():
                raise ValueError("Invalid value for argument `y`: the targets contain NaN or infinite values.")
        state = self._resolve_compiled(ys)
        for entry, target, (_, shape) in zip(state.entries, ys, self._output_specs()):
            if entry.loss is not None:
                entry.loss.check_targets(target, shape)
        return xs, ys, sw

    def _structured(self, value, what, argument):
        """``value`` as a list aligned with the model's inputs or outputs (dicts by name)."""
        if what == "inputs":
            tensors = [t.history[0].name for t in self.inputs] if getattr(self, "_graph", None) else None
        else:
            tensors = self._output_names()
        if isinstance(value, dict):
            if tensors is None:
                raise ValueError(f"`{argument}` is a dict, but the model's {what} are not known yet.")
            names = tensors
            missing = [n for n in names if n not in value]
            if missing:
                raise ValueError(f"`{argument}` has no entry for the model {what} {missing}. "
                                 f"Expected keys {names}; received {sorted(value)}.")
            return [value[n] for n in names]
        if isinstance(value, (list, tuple)) and tensors is not None and len(tensors) > 1:
            if len(value) != len(tensors):
                raise ValueError(f"The model has {len(tensors)} {what}, but `{argument}` is a list of "
                                 f"{len(value)} arrays.")
            return list(value)
        if tensors is not None and len(tensors) > 1:
            raise ValueError(f"The model has {len(tensors)} {what}; pass `{argument}` as a list or a dict.")
        return [value]

    def _ensure_graph(self, xs):
        if getattr(self, "_graph", None) is None:
            self._ensure_built(xs)

    # ----- steps -------------------------------------------------------------
    def _variables_to_train(self):
        if self._trainable_snapshot is None:
            self._trainable_snapshot = self.trainable_weights
        return self._trainable_snapshot

    def _warn_if_trainable_changed(self):
        """Warn once per compile when ``trainable`` flags changed after training started (Keras 3 behaviour)."""
        snapshot = self._trainable_snapshot
        if snapshot is None or getattr(self, "_trainable_warned", False):
            return
        if [id(v) for v in self.trainable_weights] != [id(v) for v in snapshot]:
            self._trainable_warned = True
            warnings.warn(f"The `trainable` attribute of model `{self.name}` (or of one of its layers) has been "
                          "changed since the last compile. Call `compile()` again for the change to take effect: "
                          "until then, training updates the weights that were trainable at compile time.",
                          stacklevel=3)

    def _call_flat(self, xs, training):
        out = self(xs[0] if len(xs) == 1 else xs, training=training)
        if isinstance(out, dict):
            return [out[name] for name in self._output_names()]
        return list(out) if isinstance(out, (list, tuple)) else [out]

    def _forward_loss(self, xs, ys, sample_weight, training):
        """Predictions, the scalar loss (regularization included, as in Keras 3) and per-output losses."""
        preds = self._call_flat(xs, training)
        total, parts = self._compiled_state.loss(ys, preds, sample_weight)
        penalties = self.losses
        if penalties:
            total = ops.add(total, ops.sum(ops.stack([ops.reshape(p, ()) for p in penalties])))
        return preds, total, parts

    def _train_batch(self, xs, ys, sample_weight):
        variables = self._variables_to_train()
        with ops.GradientTape() as tape:
            preds, total, parts = self._forward_loss(xs, ys, sample_weight, training=True)
        grads = tape.gradient(total, variables)
        self.optimizer.apply(grads, variables)
        self._compiled_state.update(ys, preds, total, parts, sample_weight, len(ys[0]))

    def _read_logs(self):
        """All metric results as Python floats: one host read per call."""
        pairs = self._compiled_state.log_trackers()
        values = ops.stack([ops.cast(ops.reshape(m.result(), ()), "float32") for _, m in pairs]).numpy()
        return {name: float(v) for (name, _), v in zip(pairs, values)}

    @staticmethod
    def _batch(arrays, index):
        return [ops.convert_to_tensor(a[index]) for a in arrays]

    @staticmethod
    def _weights_batch(sw, index):
        return None if sw is None else ops.convert_to_tensor(sw[index])

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
        verbose = _check_verbose(verbose)
        if not isinstance(epochs, int) or epochs < 0 or not isinstance(initial_epoch, int) or initial_epoch < 0:
            raise ValueError(
                f"Invalid epochs={epochs!r} / initial_epoch={initial_epoch!r}. Expected non-negative ints."
            )
        if steps_per_epoch is not None:
            da.check_batch_size(steps_per_epoch, "steps_per_epoch")
        xs, ys, sw = self._prepare(x, y, sample_weight)
        if class_weight is not None:
            if len(ys) > 1:
                raise ValueError("`class_weight` is only supported for models with a single output.")
            cw = da.class_weights_to_sample_weights(ys[0], class_weight)
            sw = cw if sw is None else sw * cw
        val = None
        if validation_data is not None:
            val = self._prepare_validation(validation_data)
        elif validation_split:
            (xs, ys, sw), val = da.split_validation([xs, ys, None if sw is None else [sw]], validation_split)
            sw = None if sw is None else sw[0]
            val[2] = None if val[2] is None else val[2][0]

        count = len(xs[0])
        steps = steps_per_epoch or -(-count // batch_size)
        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                           verbose=verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        logs = {}
        self._initial_epoch = None
        cbs.on_train_begin()
        step_counters = StepCounters()
        if self._initial_epoch is not None:  # BackupAndRestore found a backup to resume from
            initial_epoch = self._initial_epoch
        for epoch in range(initial_epoch, epochs):
            self._compiled_state.reset()
            cbs.on_epoch_begin(epoch)
            for step, index in enumerate(da.batch_indices(count, batch_size, shuffle, steps_per_epoch)):
                cbs.on_train_batch_begin(step)
                step_counters.start()
                self._train_batch(self._batch(xs, index), self._batch(ys, index), self._weights_batch(sw, index))
                logs = self._read_logs()
                step_counters.stop(step)
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_arrays(*val, validation_batch_size or batch_size, cbs, validation_steps)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            self.epochs_trained = epoch + 1
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(logs)
        return self.history

    def _prepare_validation(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight).")
        return list(self._prepare(*validation_data, argument="validation_data"))

    # ----- evaluate / predict --------------------------------------------------
    def _evaluate_arrays(self, xs, ys, sw, batch_size, cbs=None, steps=None):
        state = self._compiled_state
        state.reset()
        if cbs is not None:
            cbs.on_test_begin()
        with ops.stop_recording():
            for step, index in enumerate(da.batch_indices(len(xs[0]), batch_size, False, steps)):
                if cbs is not None:
                    cbs.on_test_batch_begin(step)
                y_batch, sw_batch = self._batch(ys, index), self._weights_batch(sw, index)
                preds, total, parts = self._forward_loss(self._batch(xs, index), y_batch, sw_batch, training=False)
                state.update(y_batch, preds, total, parts, sw_batch, len(index))
                if cbs is not None:
                    cbs.on_test_batch_end(step, self._read_logs())
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
        xs, ys, sw = self._prepare(x, y, sample_weight)
        count_steps = steps or -(-len(xs[0]) // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                           steps=count_steps)
        logs = self._evaluate_arrays(xs, ys, sw, batch_size, cbs, steps)
        return _format_results(logs, return_dict)

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
                outputs.append([p.numpy() for p in self._call_flat(self._batch(xs, index), training=False)])
                cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
        cbs.on_predict_end()
        return self._pack_outputs([np.concatenate(parts) for parts in zip(*outputs)])

    def _pack_outputs(self, arrays):
        if len(arrays) == 1:
            return arrays[0]
        structure = getattr(self, "_output_struct", ("list", len(arrays)))
        return dict(zip(structure[1], arrays)) if structure[0] == "dict" else arrays

    # ----- single batches ------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient step on one batch; returns the running loss and metrics."""
        self._require_compiled("train_on_batch")
        self._warn_if_trainable_changed()
        xs, ys, sw = self._prepare(x, y, sample_weight)
        if class_weight is not None:
            cw = da.class_weights_to_sample_weights(ys[0], class_weight)
            sw = cw if sw is None else sw * cw
        whole = np.arange(len(xs[0]))
        self._train_batch(self._batch(xs, whole), self._batch(ys, whole), self._weights_batch(sw, whole))
        return _format_results(self._read_logs(), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on one batch, without updating weights."""
        self._require_compiled("test_on_batch")
        xs, ys, sw = self._prepare(x, y, sample_weight)
        return _format_results(self._evaluate_arrays(xs, ys, sw, len(xs[0])), return_dict)

    def predict_on_batch(self, x):
        """Model outputs for one batch as numpy."""
        xs, _, _ = self._prepare(x, need_y=False)
        with ops.stop_recording():
            preds = self._call_flat([ops.convert_to_tensor(v) for v in xs], training=False)
        return self._pack_outputs([p.numpy() for p in preds])


def _check_verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f'Invalid value for argument `verbose`. Expected 0, 1, 2 or "auto". Received: {verbose!r}')
    return verbose


def _format_results(logs, return_dict):
    if return_dict:
        return dict(logs)
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
