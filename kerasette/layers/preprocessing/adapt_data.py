"""What ``adapt`` accepts: an array or tensor, a PyDataset, or an iterable of batches (``(x, y)`` tuples too)."""

import numpy as np

from kerasette import ops


def _x_of(batch):
    return batch[0] if isinstance(batch, tuple) else batch


def _host(batch, layer_name):
    batch = _x_of(batch)
    if isinstance(batch, ops.Tensor):
        return batch.numpy()
    if not hasattr(batch, "shape"):
        raise TypeError(f"adapt() of layer `{layer_name}` expects batches that are arrays or tensors (with a "
                        f"`.shape`). Received an element of type {type(batch).__name__}.")
    return np.asarray(batch)


def adapt_batches(data, layer_name):
    """The batches of ``data`` as numpy arrays, and the shape of the first one.

    Args:
        data: an array or tensor (one batch); an object with ``__getitem__`` and ``__len__`` (a
            ``PyDataset`` or ``Sequence``: batches ``0 .. len - 1``); or any other iterable of batches.
        layer_name: for the messages.

    Returns:
        ``(batches, first_shape)``: a list of numpy arrays, and a shape tuple.

    Raises:
        TypeError: for data of another kind.
        ValueError: for an empty iterable.
    """
    if isinstance(data, (np.ndarray, ops.Tensor)):
        batches = [_host(data, layer_name)]
    elif hasattr(data, "__getitem__") and hasattr(data, "__len__") and not isinstance(data, (list, tuple, dict)):
        count = getattr(data, "num_batches", None) or len(data)
        batches = [_host(data[i], layer_name) for i in range(count)]
    elif hasattr(data, "__iter__") and not isinstance(data, (str, bytes, dict)):
        batches = [_host(batch, layer_name) for batch in data]
    else:
        raise TypeError(f"Unsupported data type: {type(data)}. `adapt` of layer `{layer_name}` supports numpy "
                        "arrays, tensors, `PyDataset`s and iterables of batches (e.g. a list or a generator).")
    if not batches:
        raise ValueError(f"adapt() of layer `{layer_name}` received an empty iterable (no batches). Expected at "
                         "least one batch.")
    return batches, tuple(batches[0].shape)
