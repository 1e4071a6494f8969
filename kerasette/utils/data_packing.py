"""``pack_x_y_sample_weight``: the tuple forms ``fit`` and ``train_step`` use (its inverse: ``models.data_adapter``)."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Pack data into the tuple ``fit`` understands: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.

    A single ``x`` that is not a tuple or list is returned as is; a tuple or list ``x`` is wrapped as
    ``(x,)`` so it is not mistaken for ``(x, y)``.

    Args:
        x: the inputs.
        y: the targets, or None.
        sample_weight: the sample weights, or None.

    Returns:
        ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.

    Example:
        >>> pack_x_y_sample_weight([1, 2]), pack_x_y_sample_weight(1, 2)
        (([1, 2],), (1, 2))
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)

