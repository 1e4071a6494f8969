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
    """``numerator / denominator``, and 0 where the denominator is 0.

    Args:
        numerator: a tensor.
        denominator: a tensor broadcastable against ``numerator``.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> from kerasette import metrics, ops
        >>> metrics.safe_divide(ops.convert_to_tensor([1.0, 1.0]), ops.convert_to_tensor([2.0, 0.0])).numpy().tolist()
        [0.5, 0.0]
    """
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

    Example:
        >>> from kerasette import metrics, ops
        >>> class CountPositives(metrics.Metric):
        ...     def __init__(self, name="count_positives", dtype=None):
        ...         super().__init__(name=name, dtype=dtype)
        ...         self.count = self.add_variable(name="count")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         positives = ops.sum(ops.cast(ops.greater(ops.convert_to_tensor(y_pred), 0.0), "float32"))
        ...         self.count.assign(ops.add(self.count, positives))
        ...     def result(self):
        ...         return ops.convert_to_tensor(self.count)
        >>> m = CountPositives()
        >>> m.update_state(None, [1.0, -2.0, 3.0])
        >>> float(m.result())
        2.0
        >>> m.reset_state(); float(m.result())
        0.0
    """

    def __init__(self, name=None, dtype=None):
        # As Keras's auto_name: a default name is made unique ("precision", "precision_1"...), so History keys differ.
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self.dtype = dtype or "float32"
        self._tracked = []

    def add_weight(self, shape=(), initializer="zeros", dtype=None, name="variable"):
        """Keras's older name for ``add_variable`` (tutorials use it); the same arguments and result."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def add_variable(self, shape=(), initializer="zeros", dtype=None, name="variable"):
        """A new non-trainable state variable, reset to ``initializer`` by ``reset_state``.

        Args:
            shape: the variable's shape (default: a scalar).
            initializer: an initializer or its name.
            dtype: the variable's dtype (None: the metric's).
            name: the variable's name; its path is ``<metric name>/<name>``.

        Returns:
            The new ``ops.Variable``.
        """
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
        """Accumulate statistics from one batch.

        Args:
            *args: usually ``y_true, y_pred``.
            **kwargs: usually ``sample_weight``.
        """
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
        """Rebuild a metric from ``get_config()``'s output.

        Args:
            config: a dict from ``get_config``.

        Returns:
            A new metric with fresh state.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


def reduce_to_samplewise_values(values, sample_weight, dtype, reduce_fn=ops.mean):
    """One value per sample (mean over non-batch axes), weighted as Keras weights metrics.

    Args:
        values: per-sample or per-element values.
        sample_weight: weights broadcastable to ``values``, or None.
        dtype: the dtype both are converted to.
        reduce_fn: how non-batch axes are reduced (``ops.mean``; ``Sum`` passes ``ops.sum``).

    Returns:
        The pair ``(values, sample_weight)``: weighted values of shape ``(batch,)`` and one weight per
        sample (None when none were given).
    """
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, value_rank = len(sample_weight.shape), len(values.shape)
        if value_rank > weight_rank:
            values = reduce_fn(values, axis=tuple(range(weight_rank, value_rank)))
        sample_weight = ops.broadcast_to(sample_weight, values.shape)
        values = ops.multiply(values, sample_weight)
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=tuple(range(1, len(values.shape))))
    return values, sample_weight


@registry.register()
class Mean(Metric):
    """The (weighted) mean of every value passed to ``update_state``.

    Args:
        name: the metric's name.
        dtype: the dtype of its state (default float32).

    Example:
        >>> m = Mean()
        >>> m.update_state([1.0, 3.0]); m.update_state([5.0])
        >>> float(m.result())
        3.0
        >>> m.reset_state(); m.update_state([1.0, 3.0], sample_weight=[1.0, 0.0]); float(m.result())
        1.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None):
        """Add ``values`` (and their weights) to the running total and count.

        Args:
            values: a tensor; values of rank > 1 are first averaged to one value per sample.
            sample_weight: per-sample weights, a plain number weighting every sample alike, or None.
        """
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
        """The weighted mean so far (0 before any update)."""
        return safe_divide(self.total, self.count)


@registry.register()
class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over every sample seen.

    Args:
        fn: a function returning one value per sample (or per element).
        name: the metric's name (default: ``fn.__name__``).
        dtype: the dtype of the state; ``y_true`` and ``y_pred`` are cast to it.
        **kwargs: passed to ``fn``.

    Example:
        >>> from kerasette import metrics, ops
        >>> def absolute_error(y_true, y_pred):
        ...     return ops.abs(ops.subtract(y_true, y_pred))
        >>> m = MeanMetricWrapper(absolute_error)
        >>> m.update_state([[1.0], [2.0]], [[1.5], [1.0]])
        >>> m.name, float(m.result())
        ('absolute_error', 0.75)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add ``fn(y_true, y_pred)`` of one batch to the running mean.

        Args:
            y_true: the targets.
            y_pred: the predictions.
            sample_weight: per-sample weights, or None.
        """
        mask = getattr(y_pred, "_keras_mask", None)  # masked steps do not count, as in Keras
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
            if mask is not None:
                mask = ops.cast(mask, values.dtype)
                if sample_weight is not None:
                    weights = ops.convert_to_tensor(sample_weight, dtype=values.dtype)
                    if weights.ndim < mask.ndim:
                        weights = ops.reshape(weights, tuple(weights.shape) + (1,) * (mask.ndim - weights.ndim))
                    mask = ops.multiply(mask, weights)
                sample_weight = mask
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        """The base config plus ``fn``'s keyword arguments (and ``fn``'s name on a plain wrapper)."""
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", None)
        return config

    @classmethod
    def from_config(cls, config):
        """Rebuild the metric; a plain wrapper's ``fn`` must name a function of ``kerasette.metrics``.

        Raises:
            ValueError: when ``fn`` names no such function.
        """
        if cls is not MeanMetricWrapper:
            return cls(**config)
        from kerasette import metrics

        config = dict(config)
        fn = getattr(metrics, str(config.pop("fn", None)), None)
        if not callable(fn):
            raise ValueError(f"Cannot rebuild a MeanMetricWrapper around an unknown function: {config!r}")
        return cls(fn, **config)
