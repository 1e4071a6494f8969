"""Label encodings."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encode integer class labels, as ``keras.utils.to_categorical``.

    A trailing axis of size 1 is dropped first, so labels of shape (N,) and (N, 1)
    both give (N, num_classes).

    Args:
        x: array-like of non-negative integer labels (integral floats such as 2.0 are
            accepted).
        num_classes: the number of classes; defaults to ``max(x) + 1``.

    Returns:
        A float32 numpy array of shape ``x.shape + (num_classes,)`` (less a trailing 1).

    Raises:
        ValueError: labels are negative, not integers, or not below ``num_classes``;
            ``num_classes`` is not a positive integer, or cannot be inferred from no labels.

    Example:
        >>> to_categorical([0, 2, 1]).tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
        >>> to_categorical([[1], [0]], num_classes=3).shape
        (2, 3)
    """
    labels = np.asarray(x)
    integer, floating = np.issubdtype(labels.dtype, np.integer), np.issubdtype(labels.dtype, np.floating)
    if labels.dtype == bool or not (integer or floating):
        raise ValueError(f"Expected integer class labels. Received an array of dtype {labels.dtype}.")
    if floating:
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            bad = labels[~np.isfinite(labels) | (labels != np.round(labels))].reshape(-1)[0]
            raise ValueError(f"Expected integer class labels. Received a non-integer label: {bad}")
    if labels.size and labels.min() < 0:
        raise ValueError(f"Expected non-negative class labels. Received a label of {labels.min()}.")
    labels = labels.astype(np.int64)
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("Cannot infer `num_classes` from an empty array of labels: pass num_classes.")
        num_classes = int(labels.max()) + 1
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"Expected `num_classes` to be a positive integer. Received: num_classes={num_classes!r}")
    num_classes = int(num_classes)
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"Class label {labels.max()} is out of range for num_classes={num_classes} (labels must be below it)."
        )
    categorical = np.zeros((labels.size, num_classes), dtype=np.float32)
    categorical[np.arange(labels.size), labels] = 1.0
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Divide ``x`` by its ``order``-norm along ``axis``, as ``keras.utils.normalize``.

    A numpy array (or list) gives a numpy array, where zero norms are left as 1 (those slices stay
    zero); a kerasette Tensor gives a Tensor computed with ``kerasette.ops`` (differentiable), where
    norms below ``keras.config.epsilon()`` are raised to it, as ``keras.ops.normalize`` does.

    Args:
        x: a numpy array, list or Tensor.
        axis: the axis along which to normalize. Defaults to -1.
        order: the norm's order: a positive number (2: Euclidean, 1: sum of absolute values), or
            ``np.inf`` (largest absolute value). Defaults to 2.

    Returns:
        The normalized copy, of the same shape.

    Raises:
        ValueError: ``axis`` is not an int, or ``order`` is not a positive number or ``np.inf``.

    Example:
        >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6, 0.8], [0.0, 0.0]]
    """
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"Invalid value for argument `axis` of normalize. Expected an int. Received: axis={axis!r}")
    if isinstance(order, bool) or not isinstance(order, (int, float, np.number)) or not order > 0:
        raise ValueError(f"Invalid value for argument `order` of normalize. Expected a positive number or np.inf. "
                         f"Received: order={order!r}")
    from kerasette.ops import Tensor

    if isinstance(x, Tensor):
        return _normalize_tensor(x, int(axis), order)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def _normalize_tensor(x, axis, order):
    from kerasette import config, ops

    magnitude = ops.abs(x)
    if order == np.inf:
        norm = ops.max(magnitude, axis=axis, keepdims=True)
    elif order == 1:
        norm = ops.sum(magnitude, axis=axis, keepdims=True)
    elif order == 2:
        norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    else:
        norm = ops.power(ops.sum(ops.power(magnitude, float(order)), axis=axis, keepdims=True), 1.0 / order)
    return ops.divide(x, ops.maximum(norm, config.epsilon()))
