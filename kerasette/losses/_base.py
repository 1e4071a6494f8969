"""The ``Loss`` base class: per-sample ``call``, sample weights, masks and reductions."""

import numpy as np

from kerasette import ops
from kerasette.registry import Registry
from kerasette.utils import naming

registry = Registry("loss")
REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    """Validate ``reduction`` against Keras's set of names."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Line up ranks that differ by one trailing unit axis, as Keras does.

    ``(N,)`` against ``(N, 1)`` becomes ``(N, 1)`` and ``(N, 1)``, so a
    regression target never broadcasts into an (N, N) matrix.
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size"):
    """Weight per-sample ``values`` by ``sample_weight`` and ``mask``, then reduce.

    ``sum_over_batch_size`` divides the weighted sum by the number of loss
    values; with a mask, by the number of unmasked ones.
    """
    reduction = standardize_reduction(reduction)
    if mask is not None:
        mask = ops.cast(mask, values.dtype)
        if reduction in ("sum_over_batch_size", "mean"):
            total = float(np.prod(mask.shape))
            mask = ops.multiply(mask, ops.divide(total, ops.maximum(ops.sum(mask), 1.0)))
        sample_weight = mask if sample_weight is None else ops.multiply(_align(sample_weight, mask), mask)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    if reduction in (None, "none") or values.shape == ():
        return values
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return ops.divide(loss, ops.maximum(ops.sum(sample_weight), 1e-12))
    count = int(np.prod(values.shape))
    return ops.divide(loss, float(count)) if count else loss


def _align(sample_weight, mask):
    sample_weight = ops.convert_to_tensor(sample_weight, dtype=mask.dtype)
    return squeeze_or_expand_to_same_rank(sample_weight, mask, expand_rank_1=False)[0]


@registry.register()
class Loss:
    """Base class for losses.

    Subclasses implement ``call(y_true, y_pred)``, returning one loss per
    sample; ``__call__`` applies ``sample_weight`` and the reduction.

    Args:
        name: the loss's name (default: the class name in snake_case).
        reduction: ``"sum_over_batch_size"`` (mean over loss values), ``"sum"``,
            ``"none"``/None (per-sample values), ``"mean"`` or ``"mean_with_sample_weight"``.
        dtype: compute dtype (None: ``y_pred``'s own dtype).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss: a scalar Tensor (per-sample values for reduction "none")."""
        if not ops.is_tensor(y_pred) or (self.dtype is not None and y_pred.dtype != self.dtype):
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true)
        values = self.call(y_true, y_pred)
        return reduce_weighted_values(values, sample_weight, self.compute_mask(y_true, y_pred), self.reduction)

    def call(self, y_true, y_pred):
        """Per-sample losses (shape ``y_pred.shape[:-1]`` for the built-in losses)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def compute_mask(self, y_true, y_pred):
        """A 0/1 tensor shaped like ``call``'s output marking values to keep, or None."""
        return None

    def check_targets(self, y_true, output_shape):
        """Validate the user's host targets before training (see ``losses._checks``).

        Raises:
            ValueError: when ``y_true`` cannot be targets for this loss.
        """
        from kerasette.losses import _checks

        _checks.check_common(self.name, y_true)

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        config = {"name": self.name, "reduction": self.reduction}
        if self.dtype is not None:
            config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config):
        """Rebuild a loss from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


@registry.register()
class LossFunctionWrapper(Loss):
    """Wraps a function ``fn(y_true, y_pred, **kwargs)`` giving per-sample losses."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), "fn": getattr(self.fn, "__name__", None), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        from kerasette import losses

        config = dict(config)
        fn = config.pop("fn")
        if not callable(getattr(losses, str(fn), None)):
            raise ValueError(f"Cannot rebuild a LossFunctionWrapper around unknown function {fn!r}.")
        return cls(getattr(losses, fn), **config)
