"""Checking the arguments of fit/evaluate/predict, and batching the host arrays they are given.

Everything here runs before the first step, so bad input raises a
ValueError while the model and its weights are still untouched. Batches
come out as ``(x, y, sample_weight)`` tuples of tensors, the ``data`` that
``Model.train_step``/``test_step``/``predict_step`` receive.
"""

import numbers

import numpy as np

from kerasette import ops


def as_array(value, argument, allow_strings=False):
    """A numeric numpy array from user data (or, with ``allow_strings``, an array of text), or a clear error."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Invalid value for argument `{argument}`: could not convert it to an array ({error})."
        ) from error
    if allow_strings and is_text_array(array):
        return array
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"Invalid value for argument `{argument}`. Expected numeric data. "
                         f"Received an array of dtype {array.dtype}.")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise ValueError(f"Invalid value for argument `{argument}`. Expected real numbers; complex values would "
                         f"lose their imaginary part. Received an array of dtype {array.dtype}.")
    return array


def is_text_array(array):
    """Whether a host array holds text: a numpy str/bytes array, or an object array of str/bytes only."""
    if array.dtype.kind in "US":
        return True
    return array.dtype == object and array.size > 0 and all(isinstance(v, (str, bytes)) for v in array.flat)


def cast_inputs(xs, dtypes, names, argument="x"):
    """Each input array in its model input's dtype; text goes only to inputs made with ``dtype="string"``.

    Args:
        xs: host arrays, one per model input.
        dtypes: the model inputs' dtypes.
        names: the model inputs' names (None when the model does not name them), for messages.
        argument: the argument's name, for messages.
    """
    cast = []
    for index, (x, dtype) in enumerate(zip(xs, dtypes)):
        name = names[index] if names else f"#{index}"
        text = is_text_array(x)
        if dtype == "string" and not text:
            raise ValueError(f"Invalid value for argument `{argument}`: the model input `{name}` takes strings "
                             f"(dtype 'string'), but the data has dtype {x.dtype}.")
        if dtype != "string" and text:
            raise ValueError(f"Invalid value for argument `{argument}`: the data holds strings, but the model input "
                             f"`{name}` takes {dtype} numbers. A model that reads raw text starts with "
                             "`Input(shape=(1,), dtype=\"string\")` followed by a layer that takes text "
                             "(`TextVectorization`, `StringLookup`, `Hashing`).")
        cast.append(x if text else x.astype(dtype, copy=False))
    return cast


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_finite(array, argument, what="data"):
    """NaN, infinite values, and float64 values beyond float32's range (they would become inf in training)."""
    if not np.issubdtype(array.dtype, np.floating) or array.size == 0:
        return
    if not np.isfinite(array).all():
        raise ValueError(f"Invalid value for argument `{argument}`: found NaN or infinite values in the {what}.")
    if array.dtype.itemsize > 4 and float(np.abs(array).max()) > _FLOAT32_MAX:
        raise ValueError(f"Invalid value for argument `{argument}`: found values beyond float32's range "
                         f"(|value| > {_FLOAT32_MAX:.4g}) in the {what}; they would become infinite in training.")


def check_sample_weight(weights, argument="sample_weight"):
    """Per-sample weights must be finite and non-negative."""
    check_finite(weights, argument, "weights")
    if weights.size and float(weights.min()) < 0:
        raise ValueError(f"Invalid value for argument `{argument}`: weights must be non-negative. "
                         f"Received a minimum of {float(weights.min())}.")


def check_class_weight(class_weight):
    """``{class index: weight}`` with non-negative int keys and finite, non-negative weights."""
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(f"Invalid value for argument `class_weight`. Expected a non-empty dict "
                         f"{{class index: weight}}. Received: class_weight={class_weight!r}")
    for label, weight in class_weight.items():
        if isinstance(label, bool) or not isinstance(label, numbers.Integral) or label < 0:
            raise ValueError(f"Invalid value for argument `class_weight`: keys must be class indices (ints >= 0). "
                             f"Received key {label!r}.")
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not np.isfinite(weight) or weight < 0:
            raise ValueError(f"Invalid value for argument `class_weight`: the weight of class {label} must be a "
                             f"finite number >= 0. Received {weight!r}.")


def check_shuffle(shuffle):
    """``shuffle`` must be True, False or ``"batch"`` (shuffle whole batches, for data read from disk)."""
    if shuffle not in (True, False, "batch") or isinstance(shuffle, (int, float)) and not isinstance(shuffle, bool):
        raise ValueError(f'Invalid value for argument `shuffle`. Expected True, False or "batch". '
                         f"Received: shuffle={shuffle!r}")
    return shuffle


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
    """``epochs`` and ``initial_epoch`` must be non-negative ints."""
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
        check_finite(x, argument)
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


def check_targets(ys, argument="y"):
    """Targets must be finite (a NaN label would silently turn every weight into NaN)."""
    for target in ys:
        check_finite(target, argument, "targets")


def check_same_length(x_count, arrays, names):
    """Every array in ``arrays`` (None skipped) has ``x_count`` samples; the error names the argument."""
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
    missing = sorted(int(label) for label in set(np.unique(labels)) - set(class_weight))
    if missing:
        raise ValueError(f"`class_weight` has no entry for class(es) {missing}. Give a weight for every class.")
    lookup = np.zeros(max(class_weight) + 1, dtype=np.float32)
    for label, weight in class_weight.items():
        lookup[label] = weight
    return lookup[labels]


# ----- batches -----------------------------------------------------------------------------------
def batch_indices(count, batch_size, shuffle, steps=None, seed=None, epoch=0):
    """Index arrays for one epoch (``steps`` batches, wrapping around, when given).

    ``shuffle=True`` permutes the samples, ``"batch"`` permutes whole batches of
    consecutive samples (cheap to read from disk). A shuffled order depends only on
    ``(seed, epoch)``, so an epoch's batches are the same whether training ran
    straight through or resumed from a saved model.
    """
    batches = [np.arange(start, min(start + batch_size, count)) for start in range(0, count, batch_size)]
    if shuffle == "batch":
        batches = [batches[i] for i in np.random.default_rng([int(seed), int(epoch)]).permutation(len(batches))]
    elif shuffle:
        order = np.random.default_rng([int(seed), int(epoch)]).permutation(count)
        batches = [order[s : s + batch_size] for s in range(0, count, batch_size)]
    if steps is None:
        return batches
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
        seed: the shuffling seed (each epoch's order comes from ``(seed, epoch)``).
    """

    def __init__(self, xs, ys=None, sample_weight=None, batch_size=32, shuffle=False, steps=None, seed=0):
        self.xs, self.ys, self.sample_weight = xs, ys, sample_weight
        self.batch_size, self.shuffle, self.steps, self.seed = batch_size, shuffle, steps, seed

    @property
    def num_samples(self):
        """The number of samples in one pass over the data."""
        return len(self.xs[0])

    @property
    def num_batches(self):
        """Batches per epoch: ``steps``, or enough to cover every sample once."""
        return self.steps or -(-self.num_samples // self.batch_size)

    def epoch(self, epoch=0):
        """Yield ``(x, y, sample_weight)`` per batch: x and y a tensor per input/output, packed by ``pack``."""
        for index in self.epoch_indices(epoch):
            yield self.batch(index)

    def epoch_indices(self, epoch=0):
        """The sample indices of each batch of epoch number ``epoch`` (its own order when shuffling)."""
        return batch_indices(self.num_samples, self.batch_size, self.shuffle, self.steps, self.seed, epoch)

    def batch(self, index):
        """The ``data`` of the samples at ``index`` for a step, as ``pack_x_y_sample_weight`` packs it.

        The tensors are made (uploaded, on a device backend) here.
        """
        x = pack([a[index] if a.dtype.kind in "USO" else ops.convert_to_tensor(a[index]) for a in self.xs])
        y = None if self.ys is None else pack([ops.convert_to_tensor(a[index]) for a in self.ys])
        sw = None if self.sample_weight is None else ops.convert_to_tensor(self.sample_weight[index])
        return pack_x_y_sample_weight(x, y, sw)


def pack(values):
    """One value as itself, several as a list (how a model takes its inputs and targets)."""
    return values[0] if len(values) == 1 else list(values)


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The ``data`` a step receives, as Keras packs it.

    ``x`` alone (``(x,)`` when ``x`` is a list or tuple), ``(x, y)`` or ``(x, y, sample_weight)``.
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from the ``data`` a step receives, as Keras's ``unpack_x_y_sample_weight``.

    ``data`` is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; missing parts are None.
    """
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
