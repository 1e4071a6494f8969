"""Hinge metrics: the mean hinge, squared hinge and categorical hinge losses over every sample seen."""

from kerasette import losses
from kerasette.metrics._base import MeanMetricWrapper, registry

hinge = losses.hinge
squared_hinge = losses.squared_hinge
categorical_hinge = losses.categorical_hinge


@registry.register("hinge")
class Hinge(MeanMetricWrapper):
    """Mean hinge loss of -1/1 (or 0/1) labels and raw scores.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.3
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name=name, dtype=dtype)


@registry.register("squared_hinge")
class SquaredHinge(MeanMetricWrapper):
    """Mean squared hinge loss of -1/1 (or 0/1) labels and raw scores.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.SquaredHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.86
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, dtype=dtype)


@registry.register("categorical_hinge")
class CategoricalHinge(MeanMetricWrapper):
    """Mean categorical hinge loss of one-hot labels and class scores.

    Args:
        name: the metric's name (its key in ``History`` logs).
        dtype: the dtype of the state.

    Example:
        >>> from kerasette import metrics
        >>> m = metrics.CategoricalHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.4
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
