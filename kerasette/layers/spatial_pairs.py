"""The ``(before, after)`` pairs of the padding and cropping layers of any rank, as Keras accepts them."""

import numbers

from kerasette.layers import validation


def _is_count(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0


def rank_pairs(layer, argument, value, rank):
    """One ``(before, after)`` pair per spatial axis, from Keras's forms of a padding/cropping argument.

    Accepted: an int (every side), ``rank`` ints (symmetric per axis) or ``rank`` pairs; for ``rank == 1`` a
    single pair ``(before, after)`` (Keras's 1-D form). Every value is an int >= 0.

    Args:
        layer: the layer being constructed (named in the error).
        argument: the argument's name.
        value: the value received.
        rank: the number of spatial axes.

    Returns:
        A tuple of ``rank`` pairs of ints.

    Raises:
        ValueError: for any other value.
    """
    if _is_count(value):
        return ((int(value),) * 2,) * rank
    if isinstance(value, (tuple, list)):
        if rank == 1 and len(value) == 2 and all(_is_count(v) for v in value):
            return ((int(value[0]), int(value[1])),)
        if rank > 1 and len(value) == rank and all(_is_count(v) for v in value):
            return tuple((int(v), int(v)) for v in value)
        if len(value) == rank and all(
            isinstance(p, (tuple, list)) and len(p) == 2 and all(_is_count(v) for v in p) for p in value
        ):
            return tuple((int(p[0]), int(p[1])) for p in value)
    expected = ("an int >= 0 or a tuple of 2 such ints" if rank == 1 else
                f"an int >= 0, a tuple of {rank} such ints, or a tuple of {rank} tuples of 2 such ints")
    raise validation.invalid(layer, argument, expected, value)


def pairs_config(pairs):
    """The pairs as Keras writes them: ``[before, after]`` in 1-D, a list of ``[before, after]`` otherwise.

    Args:
        pairs: the tuple of pairs from ``rank_pairs``.

    Returns:
        A JSON-friendly list.
    """
    return list(pairs[0]) if len(pairs) == 1 else [list(p) for p in pairs]
