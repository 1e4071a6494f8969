"""``R2Score``: the coefficient of determination of regression outputs, optionally adjusted."""

import warnings

from kerasette import ops
from kerasette.losses._base import squeeze_or_expand_to_same_rank
from kerasette.metrics._base import Metric, registry, safe_divide

AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


@registry.register("r2_score")
class R2Score(Metric):
    """``1 - sum((y_true - y_pred) ** 2) / sum((y_true - mean(y_true)) ** 2)`` per output, accumulated over batches.

    Inputs are ``(batch_size, num_outputs)``. The per-output sums are created at the first
    ``update_state``.

    Args:
        class_aggregation: how the per-output scores combine: ``"uniform_average"`` (their mean),
            ``"variance_weighted_average"`` (weighted by each output's variance) or None (one per output).
        num_regressors: for the adjusted R2 score, the number of independent variables (0: plain R2).
            As in Keras, the sample count in the adjustment counts every element of ``y_true``.
        name: the metric's name.
        dtype: the dtype of the state.

    Raises:
        ValueError: for an unknown ``class_aggregation`` or a negative ``num_regressors``.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.R2Score()
        >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
        >>> round(float(m.result()), 4)
        0.5714
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of {AGGREGATIONS}. "
                             f"Received: class_aggregation={class_aggregation!r}")
        if isinstance(num_regressors, bool) or not isinstance(num_regressors, int) or num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected an int >= 0. Received: "
                             f"num_regressors={num_regressors!r}")
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        self.num_samples = self.add_variable(name="num_samples")
        self._seen = 0  # the same count on the host, so result() can choose its formula without a device read
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                             f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        size = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=size, name="squared_sum")
        self.sum = self.add_variable(shape=size, name="sum")
        self.total_mse = self.add_variable(shape=size, name="residual")
        self.count = self.add_variable(shape=size, name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's sums per output.

        Args:
            y_true: the targets, ``(batch_size, num_outputs)``.
            y_pred: the predictions, the same shape.
            sample_weight: per-sample weights (``(batch_size,)``) or per-element weights, or None.
        """
        with ops.stop_recording():
            y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
            if not self._built:
                self._build(y_true.shape, y_pred.shape)
            weight = ops.convert_to_tensor(1.0 if sample_weight is None else sample_weight, dtype=self.dtype)
            if len(weight.shape) == 1:
                weight = ops.expand_dims(weight, 1)
            weight = ops.broadcast_to(weight, y_true.shape)
            weighted = ops.multiply(y_true, weight)
            residual = ops.multiply(ops.square(ops.subtract(y_true, y_pred)), weight)
            for variable, values in ((self.sum, weighted), (self.squared_sum, ops.multiply(y_true, weighted)),
                                     (self.total_mse, residual), (self.count, weight)):
                variable.assign(ops.add(variable, ops.sum(values, axis=0)))
            size = 1
            for dim in y_true.shape:
                size *= dim
            self.num_samples.assign(ops.add(self.num_samples, float(size)))
            self._seen += size

    def result(self):
        """The score: a scalar, or one per output with ``class_aggregation=None`` (0 before any update)."""
        if not self._built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        total = ops.subtract(self.squared_sum, ops.multiply(self.sum, safe_divide(self.sum, self.count)))
        # Keras's 1 - mse / total, where a constant target (total 0) gives -inf -> 0, or NaN when mse is 0 too.
        constant = ops.equal(total, 0.0)
        raw = ops.subtract(1.0, ops.divide(self.total_mse, ops.where(constant, 1.0, total)))
        undefined = ops.cast(ops.where(ops.equal(self.total_mse, 0.0), float("nan"), 0.0), raw.dtype)
        raw = ops.where(constant, undefined, raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            weight = ops.sum(total)
            score = ops.where(ops.equal(weight, 0.0), ops.cast(float("nan"), raw.dtype),
                              safe_divide(ops.sum(ops.multiply(total, raw)), weight))
        else:
            score = raw
        if self.num_regressors:
            if self.num_regressors > self._seen - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            elif self.num_regressors == self._seen - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.", stacklevel=2)
            else:
                n, p = float(self._seen), float(self.num_regressors)
                score = ops.subtract(1.0, ops.divide(ops.multiply(ops.subtract(1.0, score), n - 1.0), n - p - 1.0))
        return score

    def reset_state(self):
        """Forget everything accumulated so far."""
        super().reset_state()
        self._seen = 0

    def get_config(self):
        """The base config plus ``class_aggregation`` and ``num_regressors``."""
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
