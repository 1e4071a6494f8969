"""``Metric`` (stateful, device-side) and the averaging metrics built on it.

State lives in non-trainable ``ops.Variable`` objects updated with ops, so
``update_state`` never reads the device; the training loop reads ``result()``
at most once per step.
"""

from kerasette import initializers, ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank
from kerasette.registry import Registry
from kerasette.utils import naming

registry = Registry("metric")


def safe_divide(numerator, denominator):
    """``numerator / denominator``, and 0 where the denominator is 0."""
    empty = ops.equal(denominator, 0.0)
    return ops.where(empty, 0.0, ops.divide(numerator, ops.where(empty, 1.0, denominator)))


@registry.register()
class Metric:
    """Base class for stateful metrics.

    Subclasses create state with ``add_variable`` in ``__init__`` and implement
    ``update_state(...)`` and ``result()``. ``reset_state()`` restores every
    variable to its initial value.

    Args:
        name: the metric's name, used as its key in ``History`` logs.
        dtype: the dtype of its state (default float32).
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.dtype = dtype or "float32"
        self._tracked = []

    def add_variable(self, shape=(), initializer="zeros", dtype=None, name="variable"):
        """A new non-trainable state variable, reset to ``initializer`` by ``reset_state``."""
        initializer = initializers.get(initializer)
        dtype = dtype or self.dtype
        variable = ops.Variable(initializer(shape, dtype), name=name, trainable=False, path=f"{self.name}/{name}")
        self._tracked.append((variable, initializer))
        return variable

    @property
    def variables(self):
        """The state variables, in creation order."""
        return [variable for variable, _ in self._tracked]

    def update_state(self, *args, **kwargs):
        """Accumulate statistics from one batch."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state`.")

    def result(self):
        """The metric's current value as a scalar Tensor."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result`.")

    def reset_state(self):
        """Forget everything accumulated so far."""
        for variable, initializer in self._tracked:
            variable.assign(initializer(variable.shape, variable.dtype))

    def __call__(self, *args, **kwargs):
        """``update_state(...)`` then ``result()``."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Rebuild a metric from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


def reduce_to_samplewise_values(values, sample_weight, dtype):
    """One value per sample (mean over non-batch axes), weighted as Keras weights metrics."""
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, value_rank = len(sample_weight.shape), len(values.shape)
        if value_rank > weight_rank:
            values = ops.mean(values, axis=tuple(range(weight_rank, value_rank)))
        sample_weight = ops.broadcast_to(sample_weight, values.shape)
        values = ops.multiply(values, sample_weight)
        if weight_rank > 1:
            sample_weight = ops.mean(sample_weight, axis=tuple(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = ops.mean(values, axis=tuple(range(1, len(values.shape))))
    return values, sample_weight


@registry.register()
class Mean(Metric):
    """The (weighted) mean of every value passed to ``update_state``.

    >>> m = Mean()
    >>> m.update_state([1.0, 3.0]); m.update_state([5.0])
    >>> float(m.result())
    3.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None):
        with ops.stop_recording():
            if isinstance(sample_weight, (int, float)) and not isinstance(sample_weight, bool):
                # A plain number (the loss tracker's batch size) stays on the host: no upload per step.
                values, _ = reduce_to_samplewise_values(values, None, self.dtype)
                count = float(sample_weight) * (values.shape[0] if values.shape else 1)
                self.total.assign(ops.add(self.total, ops.multiply(ops.sum(values), float(sample_weight))))
                self.count.assign(ops.add(self.count, count))
                return
            values, sample_weight = reduce_to_samplewise_values(values, sample_weight, self.dtype)
            if sample_weight is not None:
                count = ops.sum(sample_weight)
            else:
                count = float(values.shape[0]) if values.shape else 1.0
            self.total.assign(ops.add(self.total, ops.sum(values)))
            self.count.assign(ops.add(self.count, count))

    def result(self):
        return safe_divide(self.total, self.count)


@registry.register()
class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over every sample seen.

    Args:
        fn: a function returning one value per sample (or per element).
        name: the metric's name (default: ``fn.__name__``).
        dtype: the dtype of the state; ``y_true`` and ``y_pred`` are cast to it.
        **kwargs: passed to ``fn``.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config):
        if cls is not MeanMetricWrapper:
            return cls(**config)
        from kerasette import metrics

        config = dict(config)
        fn = getattr(metrics, str(config.pop("fn", None)), None)
        if not callable(fn):
            raise ValueError(f"Cannot rebuild a MeanMetricWrapper around an unknown function: {config!r}")
        return cls(fn, **config)
