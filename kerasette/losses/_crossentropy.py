"""Cross-entropy losses: categorical, sparse categorical and binary.

All three are numerically stable. With ``from_logits=True`` they use
``log_softmax`` or the softplus form of sigmoid cross-entropy. With
probabilities that came straight from ``ops.softmax``/``ops.sigmoid`` (the
tensor's ``logits`` attribute is set) they use those logits the same way,
so a softmax output layer trains as well as logits do even at +-1000.
Otherwise probabilities are clipped to [1e-7, 1 - 1e-7], as Keras does.
"""

from kerasette import ops
from kerasette.losses import _checks
from kerasette.losses._base import Loss, registry
from kerasette.losses._stable import binary_elements, categorical_log_probs, same_rank


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Per-sample ``-sum(y_true * log(y_pred))`` for one-hot (or soft) targets.

    Args:
        y_true: one-hot targets, same shape as ``y_pred``.
        y_pred: probabilities (or logits with ``from_logits=True``).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Returns:
        A tensor of shape ``y_pred.shape`` without ``axis``.

    Raises:
        ValueError: when the shapes differ.

    Example:
        >>> from kerasette import losses
        >>> values = losses.categorical_crossentropy([[0.0, 1.0, 0.0]], [[0.05, 0.9, 0.05]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.1054]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(
            "`categorical_crossentropy` expects `y_true` and `y_pred` of the same shape. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}. For integer class labels use "
            "`sparse_categorical_crossentropy`."
        )
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / y_pred.shape[axis])
    log_probs = categorical_log_probs(y_pred, from_logits, axis, "categorical_crossentropy")
    return ops.negative(ops.sum(ops.multiply(y_true, log_probs), axis=axis))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Per-sample cross-entropy for integer class labels.

    Args:
        y_true: class indices of shape ``y_pred.shape[:-1]`` (or with a trailing 1), int or float.
        y_pred: probabilities (or logits with ``from_logits=True``); classes on the last axis.
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label value whose samples get loss 0 (and are left out of the mean).
        axis: must be the last axis.

    Returns:
        A tensor of shape ``y_pred.shape[:-1]``.

    Raises:
        ValueError: for a non-last ``axis`` or labels of the wrong shape.

    Example:
        >>> from kerasette import losses
        >>> values = losses.sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.0513, 2.3026]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if axis not in (-1, len(y_pred.shape) - 1):
        raise ValueError(f"`sparse_categorical_crossentropy` supports only the last axis. Received: axis={axis}")
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    if tuple(y_true.shape) != tuple(y_pred.shape[:-1]):
        raise ValueError(
            "`sparse_categorical_crossentropy` expects integer labels of shape y_pred.shape[:-1]. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}. For one-hot labels use "
            "`categorical_crossentropy`."
        )
    labels = y_true
    if ignore_class is not None:
        valid = ops.not_equal(y_true, ignore_class)
        labels = ops.where(valid, y_true, ops.zeros_like(y_true))
    targets = ops.one_hot(labels, y_pred.shape[-1], dtype=y_pred.dtype)
    log_probs = categorical_log_probs(y_pred, from_logits, -1, "sparse_categorical_crossentropy")
    losses = ops.negative(ops.sum(ops.multiply(targets, log_probs), axis=-1))
    if ignore_class is not None:
        losses = ops.where(valid, losses, ops.zeros_like(losses))
    return losses


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Per-sample binary cross-entropy, averaged over ``axis``.

    Args:
        y_true: targets in [0, 1], the shape of ``y_pred`` (a trailing axis of 1 may differ).
        y_pred: probabilities (or logits with ``from_logits=True``).
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; targets become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.

    Returns:
        A tensor of shape ``y_pred.shape`` without ``axis``.

    Raises:
        ValueError: when the shapes cannot be lined up.

    Example:
        >>> from kerasette import losses
        >>> values = losses.binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]])
        >>> [round(v, 4) for v in values.numpy().tolist()]
        [0.5108]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(
            "`binary_crossentropy` expects `y_true` and `y_pred` of the same shape. Received: "
            f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}."
        )
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    return ops.mean(binary_elements(y_true, y_pred, from_logits), axis=axis)


def _validate_smoothing(label_smoothing):
    if not isinstance(label_smoothing, (int, float)) or not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            "Invalid value for argument `label_smoothing`. Expected a float in [0, 1]. "
            f"Received: label_smoothing={label_smoothing!r}"
        )
    return float(label_smoothing)


class _SmoothedCrossentropy(Loss):
    """What the categorical and binary cross-entropies share: from_logits, label_smoothing and axis.

    Subclasses name their loss function (``_function``) and their target check (``_check``).
    """

    _function = None
    _check = None

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name=None, dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits, self.axis = bool(from_logits), axis
        self.label_smoothing = _validate_smoothing(label_smoothing)

    def call(self, y_true, y_pred):
        """Per-sample cross-entropy from the loss function with this loss's settings."""
        return type(self)._function(y_true, y_pred, self.from_logits, self.label_smoothing, self.axis)

    def check_targets(self, y_true, output_shape):
        """Validate the user's host targets for this cross-entropy (see ``Loss.check_targets``)."""
        type(self)._check(self.name, y_true, output_shape)

    def get_config(self):
        """The base config plus ``from_logits``, ``label_smoothing`` and ``axis``."""
        return {
            **super().get_config(),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


@registry.register("categorical_crossentropy")
class CategoricalCrossentropy(_SmoothedCrossentropy):
    """Cross-entropy between one-hot (or soft) targets and predicted class probabilities.

    Use it when there are two or more classes and labels are one-hot vectors; for integer labels use
    ``SparseCategoricalCrossentropy``. See ``categorical_crossentropy`` for the per-sample formula.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities. A softmax output of
            ``ops.softmax`` is recognised and handled as stably as logits either way.
        label_smoothing: a float in [0, 1]; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for a ``label_smoothing`` outside [0, 1] or an unknown ``reduction``.

    Example:
        >>> from kerasette import losses
        >>> loss = losses.CategoricalCrossentropy()
        >>> round(float(loss([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    _function = staticmethod(categorical_crossentropy)
    _check = staticmethod(_checks.check_categorical)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="categorical_crossentropy", dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)


@registry.register("sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy between integer class labels and predicted class probabilities.

    Use it when there are two or more classes and labels are integers (shape ``(N,)`` or ``(N, 1)``);
    for one-hot labels use ``CategoricalCrossentropy``. See ``sparse_categorical_crossentropy`` for the
    per-sample formula. With ``ignore_class``, those samples are masked out and the mean runs over the rest.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities. A softmax output of
            ``ops.softmax`` is recognised and handled as stably as logits either way.
        ignore_class: a label value to ignore (e.g. a padding class), or None.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        axis: the class axis; only the last axis is supported.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for an unknown ``reduction``.

    Example:
        >>> from kerasette import losses
        >>> loss = losses.SparseCategoricalCrossentropy()
        >>> round(float(loss([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])), 3)
        1.177
        >>> logits = [[2.0, 0.0, -2.0]]
        >>> round(float(losses.SparseCategoricalCrossentropy(from_logits=True)([0], logits)), 4)
        0.1429
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits, self.ignore_class, self.axis = bool(from_logits), ignore_class, axis

    def call(self, y_true, y_pred):
        """Per-sample cross-entropy (see ``sparse_categorical_crossentropy``)."""
        return sparse_categorical_crossentropy(y_true, y_pred, self.from_logits, self.ignore_class, self.axis)

    def compute_mask(self, y_true, y_pred):
        """False where the label is ``ignore_class`` (None without one)."""
        if self.ignore_class is None:
            return None
        if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
            y_true = ops.squeeze(y_true, -1)
        return ops.not_equal(y_true, self.ignore_class)

    def check_targets(self, y_true, output_shape):
        """Validate integer labels against the output (see ``Loss.check_targets``)."""
        _checks.check_sparse(self.name, y_true, output_shape, self.ignore_class)

    def get_config(self):
        """The base config plus ``from_logits`` and ``ignore_class``."""
        return {**super().get_config(), "from_logits": self.from_logits, "ignore_class": self.ignore_class}


@registry.register("binary_crossentropy", "bce", "BCE")
class BinaryCrossentropy(_SmoothedCrossentropy):
    """Cross-entropy between 0/1 targets and predicted probabilities, averaged over the last axis.

    Use it for binary (two-class) and multi-label problems, with one sigmoid unit per label. See
    ``binary_crossentropy`` for the per-sample formula.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities. A sigmoid output of
            ``ops.sigmoid`` is recognised and handled as stably as logits either way.
        label_smoothing: a float in [0, 1]; targets become ``y * (1 - s) + s / 2``.
        axis: the axis averaged over.
        reduction: ``"sum_over_batch_size"`` (default: the mean), ``"sum"``, ``"none"``/None, ``"mean"`` or
            ``"mean_with_sample_weight"``; see ``Loss``.
        name: the loss's name.
        dtype: compute dtype (None: ``y_pred``'s own dtype).

    Raises:
        ValueError: for a ``label_smoothing`` outside [0, 1] or an unknown ``reduction``.

    Example:
        >>> from kerasette import losses
        >>> loss = losses.BinaryCrossentropy()
        >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        0.815
    """

    _function = staticmethod(binary_crossentropy)
    _check = staticmethod(_checks.check_binary)

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_crossentropy", dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)
