"""``split_dataset``: arrays cut into a left part and a right part (train / validation)."""

import numbers
import random

import numpy as np


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """Split arrays into a left and a right part, with Keras's size rules.

    Keras returns ``tf.data`` or torch datasets; kerasette has neither, so the parts are numpy arrays
    in the structure of ``dataset`` (an array, a tuple or list of arrays, or a dict of arrays), ready
    for ``fit``. The left part holds the first ``left_size`` samples and the right part the last
    ``right_size`` ones (after shuffling, if asked), as in Keras; samples in between (when the sizes
    add up to less than the total) are in neither.

    Args:
        dataset: a numpy array (or list of samples), a tuple/list of arrays of one length, or a dict of
            such arrays.
        left_size: a float in (0, 1): the fraction of samples on the left; an int: their number; None:
            the complement of ``right_size``.
        right_size: the same for the right part.
        shuffle: shuffle the samples before splitting.
        seed: the shuffling seed (None: a random one).
        preferred_backend: Keras's choice of dataset type; only None, ``"numpy"`` or ``"opencl"``
            (kerasette's backends) are accepted, all giving numpy arrays.

    Returns:
        ``(left, right)``, each in the structure of ``dataset``.

    Raises:
        TypeError: ``dataset`` is not arrays, or a size is not an int, a float or None.
        ValueError: both sizes are None, a size is out of range, the parts would be empty or larger
            than the data, the arrays have different lengths, or ``preferred_backend`` is another
            engine.

    Example:
        >>> left, right = split_dataset(np.arange(10), left_size=0.8)
        >>> left.tolist(), right.tolist()
        ([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])
    """
    if preferred_backend not in (None, "numpy", "opencl"):
        raise ValueError(f"split_dataset(preferred_backend={preferred_backend!r}): kerasette returns numpy arrays; "
                         "it has no tf.data or torch datasets. Pass preferred_backend=None.")
    arrays, rebuild = _flatten(dataset)
    total = len(arrays[0])
    if any(len(a) != total for a in arrays):
        raise ValueError(f"The arrays of `dataset` have different lengths: {[len(a) for a in arrays]}.")
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. "
                         "Received: left_size=None and right_size=None")
    left_size, right_size = _split_sizes(left_size, right_size, total)
    order = list(range(total))
    if shuffle:
        random.Random(seed if seed is not None else random.randrange(10**6)).shuffle(order)
    order = np.asarray(order, dtype=np.int64)
    left, right = order[:left_size], order[total - right_size:]
    return rebuild([a[left] for a in arrays]), rebuild([a[right] for a in arrays])


def _flatten(dataset):
    """The arrays of ``dataset`` and a function putting same-structured arrays back together."""
    if isinstance(dataset, dict):
        keys = list(dataset)
        return [np.asarray(dataset[k]) for k in keys], lambda parts: dict(zip(keys, parts))
    if isinstance(dataset, tuple) or (isinstance(dataset, list) and dataset and all(
            isinstance(a, np.ndarray) for a in dataset)):
        kind = type(dataset)
        return [np.asarray(a) for a in dataset], lambda parts: kind(parts)
    if isinstance(dataset, (np.ndarray, list)):
        return [np.asarray(dataset)], lambda parts: parts[0]
    raise TypeError(f"`dataset` must be a numpy array, a list of samples, a tuple/list of arrays or a dict of "
                    f"arrays (kerasette has no tf.data or torch datasets). Received: {type(dataset).__name__}")


def _size_kind(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, numbers.Real)):
        raise TypeError(f"Invalid `{name}` type. Expected an int, a float or None. Received: "
                        f"type({name})={type(value).__name__}")
    return int if isinstance(value, numbers.Integral) else float


def _split_sizes(left_size, right_size, total):
    """The two sizes as sample counts, checked as Keras checks them."""
    kinds = {"left_size": _size_kind(left_size, "left_size"), "right_size": _size_kind(right_size, "right_size")}
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the split sizes must be "
                         "non-zero.")
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        kind = kinds[name]
        if (kind is int and not 0 < value < total) or (kind is float and not 0 < value < 1):
            raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float within "
                             f"the range `[0, 1]`. Received: {name}={value}")
    if kinds["left_size"] is float and kinds["right_size"] is float and left_size + right_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal "
                         "to 1.")
    counts = {}
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        counts[name] = None if value is None else round(value * total) if kinds[name] is float else int(value)
    left = total - counts["right_size"] if counts["left_size"] is None else counts["left_size"]
    right = total - left if counts["right_size"] is None else counts["right_size"]
    if left + right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the {total} samples. "
                         f"Received: left_size + right_size = {left + right}")
    for count, side in ((left, "left"), (right, "right")):
        if count == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={left_size} and `right_size`="
                             f"{right_size}, the {side} side split would be empty. Adjust the sizes.")
    return left, right
