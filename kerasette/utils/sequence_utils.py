"""``pad_sequences``: a list of variable-length sequences as one padded 2-D (or higher) array."""

import numbers

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pad (or cut) sequences to one length, as ``keras.utils.pad_sequences``.

    Sequences shorter than ``maxlen`` (default: the longest one) are filled with ``value``;
    longer ones are cut. ``padding`` and ``truncating`` say at which end (``"pre"``: the start,
    the default for both).

    Args:
        sequences: a list of sequences (lists or arrays; items may themselves be arrays of one shape).
        maxlen: the output length (None: the longest sequence's length).
        dtype: the output dtype. Defaults to ``"int32"``; use ``object`` (or a string dtype) for strings.
        padding: ``"pre"`` or ``"post"``: where to pad.
        truncating: ``"pre"`` or ``"post"``: where to cut sequences longer than ``maxlen``.
        value: the padding value (a number, or a string for string dtypes). Defaults to 0.

    Returns:
        A numpy array of shape ``(len(sequences), maxlen) + item_shape``.

    Raises:
        ValueError: ``sequences`` is not a list of sequences, items have different shapes, ``padding``
            or ``truncating`` is not "pre"/"post", ``maxlen`` is negative, or a string ``value`` comes with
            a numeric ``dtype``.

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]]).tolist()
        [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post").tolist()
        [[1, 0], [2, 3], [5, 6]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences. Received: {type(sequences).__name__}")
    for name, choice in (("padding", padding), ("truncating", truncating)):
        if choice not in ("pre", "post"):
            raise ValueError(f'Invalid value for argument `{name}`. Expected "pre" or "post". '
                             f"Received: {name}={choice!r}")
    lengths, item_shape = [], None
    for index, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError:
            raise ValueError(f"`sequences` must be a list of iterables. Found a non-iterable at position {index}: "
                             f"{sequence!r}") from None
        if item_shape is None and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    elif isinstance(maxlen, bool) or not isinstance(maxlen, numbers.Integral) or maxlen < 0:
        raise ValueError(f"Invalid value for argument `maxlen`. Expected a non-negative int or None. "
                         f"Received: maxlen={maxlen!r}")
    text_dtype = dtype is object or np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype), np.bytes_)
    if isinstance(value, str) and not text_dtype:
        raise ValueError(f"`dtype` {dtype} is not compatible with the string `value` {value!r}: use dtype=object for "
                         "variable-length strings.")
    out = np.full((len(sequences), int(maxlen)) + tuple(item_shape), value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence) or not maxlen:
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {index} is different from "
                             f"expected shape {tuple(item_shape)}")
        if padding == "post":
            out[index, :len(kept)] = kept
        else:
            out[index, -len(kept):] = kept
    return out
