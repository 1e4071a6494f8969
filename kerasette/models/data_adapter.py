"""Checking and batching the host arrays given to fit/evaluate/predict.

Everything here runs before the first step, so bad input raises a
ValueError while the model and its weights are still untouched.
"""

import numbers

import numpy as np


def as_array(value, argument):
    """A numeric numpy array from user data, or a clear error."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Invalid value for argument `{argument}`: could not convert it to an array ({error})."
        ) from error
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"Invalid value for argument `{argument}`. Expected numeric data. "
                         f"Received an array of dtype {array.dtype}.")
    return array


def check_batch_size(batch_size, argument="batch_size"):
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size <= 0:
        raise ValueError(f"Invalid value for argument `{argument}`. Expected a positive int. "
                         f"Received: {argument}={batch_size!r}")
    return int(batch_size)


def check_inputs(model, xs, argument="x"):
    """Check sample counts, emptiness, NaNs and per-sample shapes against the model inputs."""
    counts = {len(x) if x.ndim else 0 for x in xs}
    if 0 in counts:
        raise ValueError(f"Invalid value for argument `{argument}`: the data is empty (0 samples).")
    if len(counts) > 1:
        raise ValueError(f"All input arrays in `{argument}` must have the same number of samples. "
                         f"Received sizes {sorted(counts)}.")
    for x in xs:
        if np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
            raise ValueError(f"Invalid value for argument `{argument}`: the data contains NaN or infinite values.")
    expected = [t.shape for t in model.inputs] if getattr(model, "_graph", None) is not None else None
    if expected is None:
        return
    if len(expected) != len(xs):
        raise ValueError(f"Model `{model.name}` expects {len(expected)} input(s), but `{argument}` has {len(xs)}.")
    for tensor, shape, x in zip(model.inputs, expected, xs):
        received = (None,) + tuple(x.shape[1:])
        compatible = len(shape) == len(received) and all(
            e is None or e == r for e, r in zip(shape[1:], received[1:])
        )
        if not compatible:
            raise ValueError(
                f"Input of layer `{tensor.history[0].name}` is incompatible with the data: expected shape "
                f"{_show(shape)}, but `{argument}` has shape {_show(received)}."
            )


def check_same_length(x_count, arrays, names):
    for array, name in zip(arrays, names):
        if array is not None and len(array) != x_count:
            raise ValueError(f"`x` has {x_count} samples but `{name}` has {len(array)}. "
                             f"They must have the same number of samples.")


def split_validation(arrays, validation_split):
    """Split off the last ``validation_split`` fraction (before any shuffling, as Keras does)."""
    if not 0 <= validation_split < 1:
        raise ValueError(f"Invalid value for argument `validation_split`. Expected a float in [0, 1). "
                         f"Received: validation_split={validation_split!r}")
    count = len(arrays[0][0])
    split_at = int(count * (1 - validation_split))
    if split_at == 0 or split_at == count:
        raise ValueError(f"validation_split={validation_split} leaves no samples for "
                         f"{'training' if split_at == 0 else 'validation'} out of {count}.")

    def part(group, sl):
        return None if group is None else [a[sl] for a in group]

    train = [part(g, slice(0, split_at)) for g in arrays]
    val = [part(g, slice(split_at, None)) for g in arrays]
    return train, val


def batch_indices(count, batch_size, shuffle, steps=None):
    """Index arrays for one epoch (``steps`` batches, wrapping around, when given)."""
    order = np.random.permutation(count) if shuffle else np.arange(count)
    starts = range(0, count, batch_size)
    if steps is None:
        return [order[s : s + batch_size] for s in starts]
    batches = [order[s : s + batch_size] for s in starts]
    return [batches[i % len(batches)] for i in range(steps)]


def class_weights_to_sample_weights(y, class_weight):
    labels = y.reshape(len(y), -1)
    labels = labels[:, 0] if labels.shape[1] == 1 else labels.argmax(axis=1)
    labels = labels.astype(np.int64)
    missing = sorted(set(np.unique(labels)) - set(class_weight))
    if missing:
        raise ValueError(f"`class_weight` has no entry for class(es) {missing}. Give a weight for every class.")
    lookup = np.zeros(max(class_weight) + 1, dtype=np.float32)
    for label, weight in class_weight.items():
        lookup[label] = weight
    return lookup[labels]


def _show(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
