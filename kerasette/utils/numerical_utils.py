"""Label encodings."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encode integer class labels, as ``keras.utils.to_categorical``.

    A trailing axis of size 1 is dropped first, so labels of shape (N,) and (N, 1)
    both give (N, num_classes).

    >>> to_categorical([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]

    Args:
        x: array-like of non-negative integer labels (integral floats such as 2.0 are
            accepted).
        num_classes: the number of classes; defaults to ``max(x) + 1``.

    Returns:
        A float32 numpy array of shape ``x.shape + (num_classes,)`` (less a trailing 1).

    Raises:
        ValueError: labels are negative, not integers, or not below ``num_classes``;
            ``num_classes`` is not a positive integer, or cannot be inferred from no labels.
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
