"""Turning ``compile(loss=..., loss_weights=..., metrics=...)`` into per-output pieces.

A single value applies to every output; a list is matched to outputs by
position; a dict by output name (the name of the layer that produced it).
Log names follow Keras: ``loss``, and with several outputs ``<output>_loss``
and ``<output>_<metric>``.
"""

from kerasette import losses as losses_module
from kerasette import metrics as metrics_module
from kerasette import ops


class OutputEntry:
    """One model output: its name, loss, loss weight, metrics and sample-weighted metrics."""

    def __init__(self, name, loss, weight, metrics, weighted_metrics=()):
        self.name, self.loss, self.weight, self.metrics = name, loss, weight, metrics
        self.weighted_metrics = list(weighted_metrics)


def _per_output(value, names, argument, default=None):
    """Spread ``value`` over outputs: dict by name, list by position, else the same for all."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"Keys {unknown} in `{argument}` do not match any model output. "
                             f"The outputs are named {names}.")
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(f"`{argument}` has {len(value)} entries but the model has {len(names)} output(s) "
                             f"({names}).")
        return list(value)
    return [value] * len(names)


def _metric_lists(metrics, names):
    if metrics is None:
        return [[] for _ in names]
    if isinstance(metrics, dict):
        per_output = _per_output(metrics, names, "metrics", default=[])
        return [m if isinstance(m, (list, tuple)) else [m] for m in per_output]
    if not isinstance(metrics, (list, tuple)):
        raise ValueError(f"Invalid value for argument `metrics`. Expected a list or a dict. Received: {metrics!r}")
    if len(names) > 1 and metrics and all(isinstance(m, (list, tuple)) for m in metrics):
        return [list(m) for m in _per_output(list(metrics), names, "metrics")]
    return [list(metrics) for _ in names]


def check_compile_args(loss, loss_weights, metrics, weighted_metrics=None):
    """Validate what can be checked before the outputs are known (names resolve, types are right)."""
    if weighted_metrics is not None and not isinstance(weighted_metrics, (list, tuple, dict)):
        raise ValueError(f"Invalid value for argument `weighted_metrics`. Expected a list or a dict. "
                         f"Received: {weighted_metrics!r}")
    for value in (loss.values() if isinstance(loss, dict) else loss if isinstance(loss, (list, tuple)) else [loss]):
        if value is not None:
            losses_module.get(value)
    if metrics is not None and not isinstance(metrics, (list, tuple, dict)):
        raise ValueError(f"Invalid value for argument `metrics`. Expected a list or a dict. Received: {metrics!r}")
    if loss_weights is not None and not isinstance(loss_weights, (list, tuple, dict)):
        raise ValueError(f"Invalid value for argument `loss_weights`. Expected a list or a dict. "
                         f"Received: {loss_weights!r}")


def resolve_outputs(loss, loss_weights, metrics, names, output_shapes, target_shapes, weighted_metrics=None):
    """One ``OutputEntry`` per model output (loss None where the output is not trained).

    ``loss=None`` for every output is allowed: the model then trains on the losses its layers add
    (``add_loss``), as a VAE does.
    """
    entries = []
    loss_per_output = _per_output(loss, names, "loss")
    weights = _per_output(loss_weights, names, "loss_weights") if loss_weights is not None else [1.0] * len(names)
    metric_lists = _metric_lists(metrics, names)
    weighted_lists = _metric_lists(weighted_metrics, names)
    for name, item, weight, specs, weighted_specs, shape, target in zip(
        names, loss_per_output, weights, metric_lists, weighted_lists, output_shapes, target_shapes
    ):
        loss_fn = losses_module.get(item) if item is not None else None
        resolved = [metrics_module.resolve(spec, loss_fn, shape, target_shape=target) for spec in specs]
        weighted = [metrics_module.resolve(spec, loss_fn, shape, target_shape=target) for spec in weighted_specs]
        entries.append(OutputEntry(name, loss_fn, 1.0 if weight is None else float(weight), resolved, weighted))
    return entries


class CompiledState:
    """Losses, metrics and their running trackers for a compiled model."""

    def __init__(self, entries):
        self.entries = entries
        self.multi = len(entries) > 1
        self.loss_tracker = metrics_module.Mean(name="loss")
        self.output_loss_trackers = [
            metrics_module.Mean(name=f"{e.name}_loss") if self.multi and e.loss is not None else None
            for e in entries
        ]

    @property
    def has_loss(self):
        """Whether any output has a compiled loss (else the model trains on ``add_loss`` losses only)."""
        return any(entry.loss is not None for entry in self.entries)

    def log_trackers(self):
        """(log name, metric) pairs in Keras's order.

        ``loss``, the per-output losses, then the metrics and the weighted metrics of each output
        (prefixed by the output's name when there are several). A repeated metric name gets
        ``_1``, ``_2``...; a weighted metric whose name is taken becomes ``weighted_<name>``, as in Keras 3.
        """
        pairs = [("loss", self.loss_tracker)]
        pairs += [(t.name, t) for t in self.output_loss_trackers if t is not None]
        counts = {}

        def unique(name):
            if name not in counts:
                counts[name] = 1
                return name
            counts[name] += 1
            return f"{name}_{counts[name] - 1}"

        for entry in self.entries:
            prefix = f"{entry.name}_" if self.multi else ""
            pairs += [(unique(prefix + m.name), m) for m in entry.metrics]
        for entry in self.entries:
            prefix = f"{entry.name}_" if self.multi else ""
            for metric in entry.weighted_metrics:
                name = prefix + metric.name
                pairs.append((unique(name if name not in counts else f"{prefix}weighted_{metric.name}"), metric))
        return pairs

    def loss(self, ys, preds, sample_weight):
        """Weighted sum of per-output losses, and the per-output values."""
        total, parts = None, []
        for entry, y, pred in zip(self.entries, ys, preds):
            if entry.loss is None:
                parts.append(None)
                continue
            value = entry.loss(y, pred, sample_weight=sample_weight)
            parts.append(value)
            weighted = value if entry.weight == 1.0 else ops.multiply(value, entry.weight)
            total = weighted if total is None else ops.add(total, weighted)
        return total, parts

    def track_loss(self, total, batch_size):
        """Add one batch's total loss to the ``loss`` tracker."""
        with ops.stop_recording():
            self.loss_tracker.update_state(total, sample_weight=batch_size)

    def track_output_losses(self, parts, batch_size):
        """Add one batch's per-output losses to their trackers (models with several outputs)."""
        with ops.stop_recording():
            for tracker, part in zip(self.output_loss_trackers, parts):
                if tracker is not None:
                    tracker.update_state(part, sample_weight=batch_size)

    def update_metrics(self, ys, preds, sample_weight):
        """Add one batch to every compiled metric.

        ``metrics`` are updated without the sample weights, ``weighted_metrics`` with them, as in Keras 3.
        Float16 predictions (mixed precision) are cast to float32 first: metrics compute in float32, as in Keras.
        """
        with ops.stop_recording():
            for entry, y, pred in zip(self.entries, ys, preds):
                if ops.is_tensor(pred) and pred.dtype == "float16":
                    pred = ops.cast(pred, "float32")
                for metric in entry.metrics:
                    metric.update_state(y, pred)
                for metric in entry.weighted_metrics:
                    metric.update_state(y, pred, sample_weight=sample_weight)
