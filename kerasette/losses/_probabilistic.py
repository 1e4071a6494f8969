"""Losses between distributions and counts: Kullback-Leibler divergence and Poisson."""

from kerasette import config, ops
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry


def kl_divergence(y_true, y_pred):
    """Per-sample ``sum(y_true * log(y_true / y_pred))`` over the last axis.

    Both are clipped to [1e-7, 1] first, as Keras does, so zeros cost nothing and never divide by 0.

    Args:
        y_true: the target distribution.
        y_pred: the predicted distribution.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> [round(v, 4) for v in losses.kl_divergence([[0.0, 1.0]], [[0.4, 0.6]]).numpy().tolist()]
        [0.5108]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.clip(ops.convert_to_tensor(y_true, dtype=y_pred.dtype), config.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, config.epsilon(), 1.0)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """Per-sample ``mean(y_pred - y_true * log(y_pred + 1e-7))`` over the last axis.

    Args:
        y_true: observed counts.
        y_pred: predicted rates (positive).

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> [round(v, 4) for v in losses.poisson([[1.0, 3.0]], [[1.0, 2.0]]).numpy().tolist()]
        [0.4603]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, ops.log(ops.add(y_pred, config.epsilon())))), axis=-1)


@registry.register("kl_divergence", "kld", "KLD")
class KLDivergence(AlignedLoss):
    """Kullback-Leibler divergence from the predicted to the target distribution; see ``kl_divergence``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.KLDivergence()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
        0.4581
    """

    _function = staticmethod(kl_divergence)

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)


@registry.register("poisson")
class Poisson(AlignedLoss):
    """Poisson negative log-likelihood (without the constant term) of counts given rates; see ``poisson``.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.Poisson()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])), 4)
        0.5
    """

    _function = staticmethod(poisson)

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
