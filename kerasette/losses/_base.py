"""The ``Loss`` base class: per-sample ``call``, sample weights, masks and reductions."""

import numpy as np

from kerasette import ops
from kerasette.registry import Registry
from kerasette.utils import naming

registry = Registry("loss")
REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    """Validate ``reduction`` against Keras's set of names.

    Args:
        reduction: one of ``"sum_over_batch_size"``, ``"sum"``, ``"none"``, None, ``"mean"`` or
            ``"mean_with_sample_weight"``.

    Returns:
        ``reduction`` unchanged.

    Raises:
        ValueError: for any other value.
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Line up ranks that differ by one trailing unit axis, as Keras does.

    ``(N,)`` against ``(N, 1)`` becomes ``(N, 1)`` and ``(N, 1)``, so a
    regression target never broadcasts into an (N, N) matrix.

    Args:
        x1: a Tensor.
        x2: a Tensor.
        expand_rank_1: when one operand has rank 1 and the other a trailing axis of 1, expand the
            vector (True) rather than squeeze the other (False).

    Returns:
        The pair ``(x1, x2)``, adjusted; other rank differences are left alone.

    Example:
        >>> from kerasette import losses, ops
        >>> a, b = losses.squeeze_or_expand_to_same_rank(ops.zeros((4,)), ops.zeros((4, 1)))
        >>> a.shape, b.shape
        ((4, 1), (4, 1))
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

    Args:
        values: a Tensor of per-sample (or per-element) losses.
        sample_weight: weights broadcastable to ``values`` (a trailing axis of 1 may differ), or None.
        mask: a 0/1 (or boolean) tensor shaped like ``values`` marking the values to keep, or None.
        reduction: as for ``Loss``.

    Returns:
        A scalar Tensor, or the weighted ``values`` for reduction ``"none"``/None.

    Raises:
        ValueError: for an unknown ``reduction``.

    Example:
        >>> from kerasette import losses, ops
        >>> values = ops.convert_to_tensor([1.0, 2.0, 3.0, 4.0])
        >>> float(losses.reduce_weighted_values(values, sample_weight=[1.0, 1.0, 0.0, 0.0]))
        0.75
        >>> float(losses.reduce_weighted_values(values, reduction="sum"))
        10.0
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


def _to_float32(y_pred):
    """Float16 predictions (a mixed-precision model) cast to float32, with the logits a softmax or sigmoid kept."""
    cast = ops.cast(y_pred, "float32")
    if y_pred.logits is not None:
        cast.logits, cast.logits_from = ops.cast(y_pred.logits, "float32"), y_pred.logits_from
    return cast


@registry.register()
class Loss:
    """Base class for losses.

    Subclasses implement ``call(y_true, y_pred)``, returning one loss per
    sample; ``__call__(y_true, y_pred, sample_weight=None)`` applies
    ``sample_weight``, the mask from ``compute_mask`` and the reduction.

    Args:
        name: the loss's name (default: the class name in snake_case).
        reduction: ``"sum_over_batch_size"`` (mean over loss values), ``"sum"``,
            ``"none"``/None (per-sample values), ``"mean"`` or ``"mean_with_sample_weight"``.
        dtype: compute dtype (None: ``y_pred``'s own dtype, float32 for float16 predictions).

    Raises:
        ValueError: for an unknown ``reduction``.

    Example:
        >>> from kerasette import losses, ops
        >>> class MeanFourthPower(losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ops.mean(ops.power(ops.subtract(y_pred, y_true), 4.0), axis=-1)
        >>> float(MeanFourthPower()([[0.0, 0.0]], [[1.0, 2.0]]))
        8.5
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss: a scalar Tensor (per-sample values for reduction "none").

        Steps the predictions' mask leaves out (``Embedding(mask_zero=True)``, ``Masking``) do not count, as
        in Keras.
        """
        in_mask = getattr(y_pred, "_keras_mask", None)
        if not ops.is_tensor(y_pred) or (self.dtype is not None and y_pred.dtype != self.dtype):
            y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        elif self.dtype is None and y_pred.dtype == "float16":
            y_pred = _to_float32(y_pred)  # mixed precision: the loss is computed in float32, as in Keras
        y_true = ops.convert_to_tensor(y_true)
        values = self.call(y_true, y_pred)
        mask = self.compute_mask(y_true, y_pred)
        if in_mask is not None:
            mask = in_mask if mask is None else ops.logical_and(ops.cast(mask, "bool"), in_mask)
        return reduce_weighted_values(values, sample_weight, mask, self.reduction)

    def call(self, y_true, y_pred):
        """Per-sample losses (shape ``y_pred.shape[:-1]`` for the built-in losses).

        Args:
            y_true: the targets, a Tensor.
            y_pred: the predictions, a Tensor.

        Returns:
            A Tensor of unreduced losses.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def compute_mask(self, y_true, y_pred):
        """A 0/1 tensor shaped like ``call``'s output marking values to keep, or None.

        Args:
            y_true: the targets, a Tensor.
            y_pred: the predictions, a Tensor.

        Returns:
            A tensor, or None to keep every value (the default).
        """
        return None

    def check_targets(self, y_true, output_shape):
        """Validate the user's host targets before training (see ``losses._checks``).

        Args:
            y_true: the targets as a numpy array.
            output_shape: the model output's shape, batch as None.

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
        """Rebuild a loss from ``get_config()``'s output.

        Args:
            config: a dict from ``get_config``.

        Returns:
            A new loss.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


@registry.register()
class LossFunctionWrapper(Loss):
    """Wraps a function ``fn(y_true, y_pred, **kwargs)`` giving per-sample losses.

    Args:
        fn: the loss function, returning one loss per sample.
        reduction: as for ``Loss``.
        name: the loss's name (default: ``fn.__name__``).
        dtype: compute dtype (None: ``y_pred``'s own dtype).
        **kwargs: passed to ``fn`` on every call.

    Example:
        >>> from kerasette import losses, ops
        >>> def mean_cube(y_true, y_pred):
        ...     return ops.mean(ops.power(ops.abs(ops.subtract(y_true, y_pred)), 3.0), axis=-1)
        >>> loss = losses.LossFunctionWrapper(mean_cube)
        >>> loss.name, float(loss([[0.0, 0.0]], [[1.0, 1.0]]))
        ('mean_cube', 1.0)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        """``fn(y_true, y_pred, **kwargs)``, after lining up ranks that differ by a trailing axis of 1 (as Keras)."""
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        """The base config plus ``fn`` (the function's name) and the keyword arguments."""
        return {**super().get_config(), "fn": getattr(self.fn, "__name__", None), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config):
        """Rebuild the wrapper; ``fn`` must name a function of ``kerasette.losses``.

        Raises:
            ValueError: when ``fn`` names no such function.
        """
        from kerasette import losses

        config = dict(config)
        fn = config.pop("fn")
        if not callable(getattr(losses, str(fn), None)):
            raise ValueError(f"Cannot rebuild a LossFunctionWrapper around unknown function {fn!r}.")
        return cls(getattr(losses, fn), **config)
