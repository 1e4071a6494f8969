"""The masks of the attention layers: masks carried by tensors, causal and sliding-window masks, and their AND."""

import contextlib

from kerasette import ops


def input_masks(query, value, key, query_mask, value_mask, key_mask):
    """The masks a call uses: the given ones, else those the tensors carry (``key`` None: not given).

    Args:
        query: the query tensor.
        value: the value tensor.
        key: the key tensor, or None.
        query_mask: the ``query_mask`` argument, or None.
        value_mask: the ``value_mask`` argument, or None.
        key_mask: the ``key_mask`` argument, or None.

    Returns:
        ``(query_mask, value_mask, key_mask)``, each None where there is none.
    """
    def carried(tensor, given):
        return given if given is not None else getattr(tensor, "_keras_mask", None)

    return carried(query, query_mask), carried(value, value_mask), carried(key, key_mask)


@contextlib.contextmanager
def masks_detached(*tensors):
    """Hide the Keras masks of ``tensors`` while the projections run (the attention layer applies them itself).

    Args:
        *tensors: the tensors; their masks are back when the block ends.

    Yields:
        None.
    """
    saved = [(t, t._keras_mask) for t in tensors if getattr(t, "_keras_mask", None) is not None]
    for tensor, _ in saved:
        tensor._keras_mask = None
    try:
        yield
    finally:
        for tensor, mask in saved:
            tensor._keras_mask = mask


def input_mask(mask, axis=None):
    """``mask`` as a boolean tensor (nonzero: True), with a new axis at ``axis`` if given; None stays None.

    Args:
        mask: a mask (tensor, array, nested lists), or None.
        axis: None, or where to insert an axis (-1: a query mask ``(B, T, 1)``; -2: a key mask ``(B, 1, S)``).

    Returns:
        A boolean tensor, or None.
    """
    if mask is None:
        return None
    mask = ops.cast(ops.convert_to_tensor(mask), "bool")
    return mask if axis is None else ops.expand_dims(mask, axis)


def combine(*masks):
    """The logical AND of the masks that are not None (broadcast together), or None if all are None.

    Args:
        *masks: boolean tensors or None.

    Returns:
        A boolean tensor, or None.
    """
    combined = None
    for mask in masks:
        if mask is not None:
            combined = mask if combined is None else ops.logical_and(combined, mask)
    return combined


def causal_mask(query, value=None):
    """``(1, T, S)``: query position ``i`` may attend key positions ``j <= i`` (positions along axis 1).

    Args:
        query: the query, ``(B, T, ...)``.
        value: the value, ``(B, S, ...)``; None: the query.

    Returns:
        A boolean tensor.

    Example:
        >>> from kerasette import ops
        >>> causal_mask(ops.zeros((1, 3, 2))).numpy().astype(int).tolist()
        [[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]
    """
    rows, cols = _positions(query, value)
    return ops.expand_dims(ops.greater_equal(rows, cols), 0)


def sliding_window_mask(query, value, window):
    """``(1, T, S)``: query position ``i`` may attend key positions ``j`` with ``|i - j| < window``.

    Args:
        query: the query, ``(B, T, ...)``.
        value: the value, ``(B, S, ...)``; None: the query.
        window: a positive int.

    Returns:
        A boolean tensor.
    """
    rows, cols = _positions(query, value)
    return ops.expand_dims(ops.less(ops.abs(ops.subtract(rows, cols)), window), 0)


def _positions(query, value):
    rows = ops.expand_dims(ops.arange(query.shape[1], dtype="int32"), 1)
    cols = ops.expand_dims(ops.arange((query if value is None else value).shape[1], dtype="int32"), 0)
    return rows, cols
