"""Checking the arguments of fit/evaluate/predict, and batching the host arrays they are given.

Everything here runs before the first step, so bad input raises a
ValueError while the model and its weights are still untouched. Batches
come out as ``(x, y, sample_weight)`` tuples of tensors, the ``data`` that
``Model.train_step``/``test_step``/``predict_step`` receive.
"""

import numbers

import numpy as np

from kerasette import ops


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


# ----- arguments ---------------------------------------------------------------------------------
def check_batch_size(batch_size, argument="batch_size"):
    """``batch_size`` as an int (32 when None), or a ValueError naming ``argument``."""
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size <= 0:
        raise ValueError(f"Invalid value for argument `{argument}`. Expected a positive int. "
                         f"Received: {argument}={batch_size!r}")
    return int(batch_size)


def check_verbose(verbose):
    """``verbose`` as 0, 1 or 2 (``"auto"`` is 1)."""
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f'Invalid value for argument `verbose`. Expected 0, 1, 2 or "auto". Received: {verbose!r}')
    return verbose


def check_epochs(epochs, initial_epoch):
    if not isinstance(epochs, int) or epochs < 0 or not isinstance(initial_epoch, int) or initial_epoch < 0:
        raise ValueError(
            f"Invalid epochs={epochs!r} / initial_epoch={initial_epoch!r}. Expected non-negative ints."
        )


def check_validation_data(validation_data):
    """``validation_data`` as a list ``[x, y]`` or ``[x, y, sample_weight]``."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError("`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight).")
    return list(validation_data)


def structured(value, names, what, argument):
    """``value`` as a list aligned with the model's inputs or outputs (dicts read by ``names``).

    Args:
        value: the user's data: an array, a list of arrays or a dict keyed by name.
        names: the model's input or output names, or None when they are not known yet.
        what: ``"inputs"`` or ``"outputs"``, for messages.
        argument: the argument's name, for messages.
    """
    if isinstance(value, dict):
        if names is None:
            raise ValueError(f"`{argument}` is a dict, but the model's {what} are not known yet.")
        missing = [n for n in names if n not in value]
        if missing:
            raise ValueError(f"`{argument}` has no entry for the model {what} {missing}. "
                             f"Expected keys {names}; received {sorted(value)}.")
        return [value[n] for n in names]
    if isinstance(value, (list, tuple)) and names is not None and len(names) > 1:
        if len(value) != len(names):
            raise ValueError(f"The model has {len(names)} {what}, but `{argument}` is a list of "
                             f"{len(value)} arrays.")
        return list(value)
    if names is not None and len(names) > 1:
        raise ValueError(f"The model has {len(names)} {what}; pass `{argument}` as a list or a dict.")
    return [value]


def check_inputs(xs, specs, argument="x"):
    """Check sample counts, emptiness, NaNs and per-sample shapes against the model inputs.

    Args:
        xs: host arrays, one per model input.
        specs: ``[(input layer name, shape)]`` per input, or None when the model does not declare them.
        argument: the argument's name, for messages.
    """
    counts = {len(x) if x.ndim else 0 for x in xs}
    if 0 in counts:
        raise ValueError(f"Invalid value for argument `{argument}`: the data is empty (0 samples).")
    if len(counts) > 1:
        raise ValueError(f"All input arrays in `{argument}` must have the same number of samples. "
                         f"Received sizes {sorted(counts)}.")
    for x in xs:
        if np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
            raise ValueError(f"Invalid value for argument `{argument}`: the data contains NaN or infinite values.")
    if specs is None:
        return
    if len(specs) != len(xs):
        raise ValueError(f"The model expects {len(specs)} input(s), but `{argument}` has {len(xs)}.")
    for (name, shape), x in zip(specs, xs):
        received = (None,) + tuple(x.shape[1:])
        compatible = len(shape) == len(received) and all(
            e is None or e == r for e, r in zip(shape[1:], received[1:])
        )
        if not compatible:
            raise ValueError(
                f"Input of layer `{name}` is incompatible with the data: expected shape "
                f"{_show(shape)}, but `{argument}` has shape {_show(received)}."
            )


def check_targets(ys):
    """Targets must be finite (a NaN label would silently turn every weight into NaN)."""
    for target in ys:
        if np.issubdtype(target.dtype, np.floating) and not np.isfinite(target).all():
            raise ValueError("Invalid value for argument `y`: the targets contain NaN or infinite values.")


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


def class_weights_to_sample_weights(y, class_weight):
    """Per-sample weights from ``class_weight`` (``{class index: weight}``) and integer or one-hot labels."""
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


# ----- batches -----------------------------------------------------------------------------------
def batch_indices(count, batch_size, shuffle, steps=None):
    """Index arrays for one epoch (``steps`` batches, wrapping around, when given)."""
    order = np.random.permutation(count) if shuffle else np.arange(count)
    starts = range(0, count, batch_size)
    if steps is None:
        return [order[s : s + batch_size] for s in starts]
    batches = [order[s : s + batch_size] for s in starts]
    return [batches[i % len(batches)] for i in range(steps)]


class ArrayBatches:
    """Mini-batches of host arrays as ``(x, y, sample_weight)`` tensors, one pass per ``epoch()`` call.

    Args:
        xs: host arrays, one per model input.
        ys: host arrays, one per model output, or None (predict).
        sample_weight: a host array of per-sample weights, or None.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: draw a new order for every epoch.
        steps: batches per epoch (wrapping around the data), or None for one pass.
    """

    def __init__(self, xs, ys=None, sample_weight=None, batch_size=32, shuffle=False, steps=None):
        self.xs, self.ys, self.sample_weight = xs, ys, sample_weight
        self.batch_size, self.shuffle, self.steps = batch_size, shuffle, steps

    @property
    def num_samples(self):
        return len(self.xs[0])

    @property
    def num_batches(self):
        return self.steps or -(-self.num_samples // self.batch_size)

    def epoch(self):
        """Yield ``(x, y, sample_weight)`` per batch: x and y a tensor per input/output, packed by ``pack``."""
        for index in self.epoch_indices():
            yield self.batch(index)

    def epoch_indices(self):
        """The sample indices of each batch of one epoch (a new order per call when shuffling)."""
        return batch_indices(self.num_samples, self.batch_size, self.shuffle, self.steps)

    def batch(self, index):
        """``(x, y, sample_weight)`` tensors for the samples at ``index`` (the upload happens here)."""
        x = pack([ops.convert_to_tensor(a[index]) for a in self.xs])
        y = None if self.ys is None else pack([ops.convert_to_tensor(a[index]) for a in self.ys])
        sw = None if self.sample_weight is None else ops.convert_to_tensor(self.sample_weight[index])
        return x, y, sw


def pack(values):
    """One value as itself, several as a list (how a model takes its inputs and targets)."""
    return values[0] if len(values) == 1 else list(values)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from the ``data`` a step receives: ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)``, as Keras's ``unpack_x_y_sample_weight``."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`. "
                     f"Received a tuple of {len(data)} elements.")


def flatten(value):
    """A structure of tensors (one, a list/tuple, or a dict) as a flat list."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _show(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
