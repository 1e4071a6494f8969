"""Cross-entropies that down-weight easy examples: binary and categorical focal, and generalized cross-entropy.

The focal losses multiply each cross-entropy term by ``(1 - p) ** gamma``, where
``p`` is the probability given to the right answer, so well-classified samples
count for little (Lin et al., 2017). Like the plain cross-entropies they use
the logits of a sigmoid/softmax output for the logarithms, so they stay finite.
"""

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._aligned import AlignedLoss
from kerasette.losses._base import registry
from kerasette.losses._crossentropy import _validate_smoothing
from kerasette.losses._stable import binary_elements, categorical_log_probs, same_rank


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Per-sample binary focal cross-entropy, averaged over ``axis``.

    Each element costs ``(1 - p_t) ** gamma * bce``, where ``p_t`` is the predicted
    probability of the true label; with ``apply_class_balancing`` positives are
    further weighted by ``alpha`` and negatives by ``1 - alpha``.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities (or logits with ``from_logits=True``).
        apply_class_balancing: whether to weight by ``alpha`` / ``1 - alpha``.
        alpha: the weight of the positive class when balancing.
        gamma: the focusing exponent (0 gives plain binary cross-entropy).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.

    Returns:
        A tensor of shape ``y_pred.shape`` without ``axis``.

    Example:
        >>> from kerasette import losses
        >>> values = losses.binary_focal_crossentropy([[0.0, 1.0]], [[0.4, 0.6]], gamma=2.0)
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.0817]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    bce = binary_elements(y_true, y_pred, from_logits)
    probs = ops.sigmoid(y_pred) if from_logits and getattr(y_pred, "logits_from", None) != "sigmoid" else y_pred
    p_t = ops.add(ops.multiply(y_true, probs), ops.multiply(ops.subtract(1.0, y_true), ops.subtract(1.0, probs)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        focal = ops.multiply(ops.add(ops.multiply(y_true, alpha), ops.multiply(ops.subtract(1.0, y_true), 1.0 - alpha)),
                             focal)
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Per-sample categorical focal cross-entropy: ``sum(alpha * (1 - p) ** gamma * -y_true * log(p))``.

    Args:
        y_true: one-hot (or soft) targets, the shape of ``y_pred``.
        y_pred: probabilities (or logits with ``from_logits=True``).
        alpha: a weight on every term, or a list of one weight per class.
        gamma: the focusing exponent (0 gives ``alpha`` times categorical cross-entropy).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Returns:
        A tensor of shape ``y_pred.shape`` without ``axis``.

    Raises:
        ValueError: when the shapes differ.

    Example:
        >>> from kerasette import losses
        >>> values = losses.categorical_focal_crossentropy([[0.0, 1.0, 0.0]], [[0.1, 0.5, 0.4]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.0433]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(
            "`categorical_focal_crossentropy` expects `y_true` and `y_pred` of the same shape. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}."
        )
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / y_pred.shape[axis])
    log_probs = categorical_log_probs(y_pred, from_logits, axis, "categorical_focal_crossentropy")
    if isinstance(alpha, (list, tuple)):
        alpha = ops.convert_to_tensor(alpha, dtype=y_pred.dtype)
    modulating = ops.multiply(ops.power(ops.subtract(1.0, ops.exp(log_probs)), gamma), alpha)
    return ops.negative(ops.sum(ops.multiply(modulating, ops.multiply(y_true, log_probs)), axis=axis))


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Per-sample generalized cross-entropy ``(1 - p ** q) / q`` of integer labels (Zhang & Sabuncu, 2018).

    ``p`` is the probability of the true class. ``q`` near 0 approaches
    cross-entropy; ``q = 1`` is mean absolute error, which tolerates noisy labels.

    Args:
        y_true: integer class labels of shape ``y_pred.shape[:-1]`` (a trailing axis of 1 is allowed).
        y_pred: class probabilities, classes on the last axis.
        q: in (0, 1).

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Example:
        >>> from kerasette import losses
        >>> values = losses.categorical_generalized_cross_entropy([1], [[0.2, 0.8]], q=0.5)
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.2111]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    targets = ops.one_hot(ops.cast(y_true, "int32"), y_pred.shape[-1], dtype=y_pred.dtype)
    p = ops.sum(ops.multiply(y_pred, targets), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(p, q)), q)


def _check_positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a non-negative float. Received: "
                         f"{name}={value!r}")
    return float(value)


@registry.register("binary_focal_crossentropy")
class BinaryFocalCrossentropy(AlignedLoss):
    """Binary cross-entropy that focuses on hard examples; see ``binary_focal_crossentropy``.

    Args:
        apply_class_balancing: whether to weight positives by ``alpha`` and negatives by ``1 - alpha``.
        alpha: the positive-class weight when balancing, in [0, 1].
        gamma: the focusing exponent, >= 0.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a float in [0, 1]; targets become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for a negative ``gamma``, an ``alpha`` or ``label_smoothing`` outside [0, 1].

    Example:
        >>> from kerasette import losses
        >>> loss = losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)
        >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[-18.6, 0.51], [2.94, -12.8]])), 4)
        0.6912
    """

    _function = staticmethod(binary_focal_crossentropy)
    _arguments = ("apply_class_balancing", "alpha", "gamma", "from_logits", "label_smoothing", "axis")
    _check = staticmethod(_checks.check_binary)

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.apply_class_balancing, self.from_logits, self.axis = bool(apply_class_balancing), bool(from_logits), axis
        self.alpha = _validate_fraction("alpha", alpha)
        self.gamma = _check_positive("gamma", gamma)
        self.label_smoothing = _validate_smoothing(label_smoothing)


@registry.register("categorical_focal_crossentropy")
class CategoricalFocalCrossentropy(AlignedLoss):
    """Categorical cross-entropy that focuses on hard examples; see ``categorical_focal_crossentropy``.

    Args:
        alpha: a weight on every term (Keras's default 0.25), or a list of one weight per class.
        gamma: the focusing exponent, >= 0.
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: a float in [0, 1]; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for a negative ``alpha`` or ``gamma``, or a ``label_smoothing`` outside [0, 1].

    Example:
        >>> from kerasette import losses
        >>> loss = losses.CategoricalFocalCrossentropy()
        >>> round(float(loss([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.1, 0.5, 0.4], [0.1, 0.8, 0.1]])), 4)
        0.2548
    """

    _function = staticmethod(categorical_focal_crossentropy)
    _arguments = ("alpha", "gamma", "from_logits", "label_smoothing", "axis")
    _check = staticmethod(_checks.check_categorical)

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits, self.axis = bool(from_logits), axis
        if isinstance(alpha, (list, tuple)):
            self.alpha = [_check_positive("alpha", a) for a in alpha]
        else:
            self.alpha = _check_positive("alpha", alpha)
        self.gamma = _check_positive("gamma", gamma)
        self.label_smoothing = _validate_smoothing(label_smoothing)

    def call(self, y_true, y_pred):
        """Per-sample focal cross-entropy (no rank alignment: targets are one-hot, like ``y_pred``)."""
        return categorical_focal_crossentropy(y_true, y_pred, self.alpha, self.gamma, self.from_logits,
                                              self.label_smoothing, self.axis)


@registry.register("categorical_generalized_cross_entropy")
class CategoricalGeneralizedCrossEntropy(AlignedLoss):
    """Generalized cross-entropy for integer labels, robust to label noise.

    See ``categorical_generalized_cross_entropy`` for the per-sample formula.

    Args:
        q: in (0, 1): near 0 behaves like cross-entropy, near 1 like mean absolute error.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for a ``q`` outside (0, 1).

    Example:
        >>> from kerasette import losses
        >>> round(float(losses.CategoricalGeneralizedCrossEntropy(q=0.5)([1, 0], [[0.2, 0.8], [0.36, 0.64]])), 4)
        0.5056
    """

    _function = staticmethod(categorical_generalized_cross_entropy)
    _arguments = ("q",)

    def __init__(self, q=0.5, reduction="sum_over_batch_size", name="categorical_generalized_cross_entropy",
                 dtype=None):
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 1:
            raise ValueError(f"Invalid value for argument `q`. Expected a float in (0, 1). Received: q={q!r}")
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.q = float(q)

    def check_targets(self, y_true, output_shape):
        """Validate integer labels against the output (see ``Loss.check_targets``)."""
        _checks.check_sparse(self.name, y_true, output_shape)


def _validate_fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a float in [0, 1]. Received: {name}={value!r}")
    return float(value)
