"""Probabilistic metrics: the cross-entropies, Kullback-Leibler divergence and Poisson, averaged over samples.

Each is the mean of the loss function of the same name over every sample seen
(see ``kerasette.losses`` for the formulas).
"""

from kerasette import losses, ops
from kerasette.metrics._base import Mean, MeanMetricWrapper, registry

binary_crossentropy = losses.binary_crossentropy
categorical_crossentropy = losses.categorical_crossentropy
sparse_categorical_crossentropy = losses.sparse_categorical_crossentropy
kl_divergence = losses.kl_divergence
poisson = losses.poisson


@registry.register("binary_crossentropy", "bce", "BCE")
class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary cross-entropy between 0/1 targets and predicted probabilities.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        from_logits: whether predictions are logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / 2``.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.8149
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


@registry.register("categorical_crossentropy")
class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical cross-entropy between one-hot targets and predicted class probabilities.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        from_logits: whether predictions are logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.CategoricalCrossentropy()
        >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


@registry.register("sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean cross-entropy between integer labels and predicted class probabilities.

    With ``ignore_class``, samples with that label count as 0. As in Keras, they still count in the
    mean when no ``sample_weight`` is given, and get weight 0 when one is.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.
        from_logits: whether predictions are logits.
        ignore_class: a label value to leave out, or None.
        axis: the class axis (the last one).

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SparseCategoricalCrossentropy()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's cross-entropies; with weights, samples labelled ``ignore_class`` get weight 0.

        Args:
            y_true: integer labels.
            y_pred: class probabilities (or logits).
            sample_weight: per-sample weights, or None.
        """
        ignore_class = self._fn_kwargs["ignore_class"]
        if ignore_class is None or sample_weight is None:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        with ops.stop_recording():
            labels = ops.convert_to_tensor(y_true, dtype=self.dtype)
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
            values = self._fn(labels, y_pred, **self._fn_kwargs)
            if len(labels.shape) == len(y_pred.shape) and labels.shape[-1] == 1:
                labels = ops.squeeze(labels, -1)
            keep = ops.cast(ops.not_equal(labels, float(ignore_class)), self.dtype)
            weight = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
            keep = ops.multiply(keep, ops.reshape(weight, keep.shape) if weight.shape != keep.shape else weight)
        Mean.update_state(self, values, sample_weight=keep)


@registry.register("kl_divergence", "kld", "KLD")
class KLDivergence(MeanMetricWrapper):
    """Mean Kullback-Leibler divergence between target and predicted distributions.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.KLDivergence()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.4581
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, dtype=dtype)


@registry.register("poisson")
class Poisson(MeanMetricWrapper):
    """Mean Poisson loss ``y_pred - y_true * log(y_pred)`` of predicted rates.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Poisson()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name=name, dtype=dtype)
