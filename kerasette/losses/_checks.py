"""Host-side checks of the user's targets, run once before training.

They turn the classic silent mistakes (one-hot labels with a sparse loss,
class indices out of range, 0..9 labels with a binary loss, a target shape
that would broadcast) into a ValueError naming the loss and the fix.
"""

import numpy as np


def _fmt(value):
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


def _shape_str(shape):
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _fail(kind, name, message):
    raise ValueError(f"Invalid {kind} for loss `{name}`: {message}")


def check_common(name, y_true):
    """Targets must be numeric, finite, and at least one-dimensional. Returns them as numpy."""
    y = np.asarray(y_true)
    if y.dtype.kind not in "biuf":
        _fail("labels", name, f"expected numeric targets. Received an array of dtype {y.dtype}.")
    if y.ndim == 0:
        _fail(
            "labels",
            name,
            "expected one target per sample (an array with a batch dimension). Received a scalar.",
        )
    if y.dtype.kind == "f":
        bad = np.isnan(y)
        if bad.any():
            _fail(
                "labels",
                name,
                f"the targets contain NaN ({int(bad.sum())} of {y.size} values). "
                "Remove or impute them before training.",
            )
        bad = np.isinf(y)
        if bad.any():
            _fail("labels", name, f"the targets contain infinite values ({int(bad.sum())} of {y.size} values).")
    return y


def compatible_shapes(target_shape, output_shape):
    """Whether targets line up with outputs (ignoring batch) after Keras's unit-axis squeeze/expand."""
    t, o = tuple(target_shape[1:]), tuple(output_shape[1:])
    if len(t) == len(o) + 1 and t and t[-1] == 1:
        t = t[:-1]
    elif len(o) == len(t) + 1 and o and o[-1] == 1:
        o = o[:-1]
    return len(t) == len(o) and all(b is None or a == b for a, b in zip(t, o))


def _check_label_shape(name, y, output_shape):
    if not compatible_shapes(y.shape, output_shape):
        _fail("labels", name, f"targets of shape {y.shape} do not match the model output {_shape_str(output_shape)}.")


def check_sparse(name, y_true, output_shape, ignore_class=None):
    y = check_common(name, y_true)
    classes = output_shape[-1]
    expected = _shape_str(("N",) + tuple(output_shape[1:-1]))
    if y.ndim == len(output_shape) and y.shape[-1] != 1:
        if y.shape[-1] == classes:
            _fail(
                "labels",
                name,
                f"expected integer class indices of shape {expected} for a model output of "
                f"shape {_shape_str(output_shape)}. Received targets of shape {y.shape}, which look one-hot "
                'encoded: use loss="categorical_crossentropy", or pass the indices (`y.argmax(axis=-1)`).',
            )
    t, o = tuple(y.shape[1:]), tuple(output_shape[1:-1])
    if len(t) == len(o) + 1 and t[-1] == 1:
        t = t[:-1]
    if len(t) != len(o) or any(b is not None and a != b for a, b in zip(t, o)):
        _fail(
            "labels",
            name,
            f"expected integer class indices of shape {expected} for a model output of shape "
            f"{_shape_str(output_shape)}. Received targets of shape {y.shape}.",
        )
    values = y if ignore_class is None else y[y != ignore_class]
    if values.size == 0:
        return
    expected_range = "integer class indices" + ("" if classes is None else f" in [0, {classes})")
    if y.dtype.kind == "f" and not np.all(values == np.round(values)):
        example = values[values != np.round(values)][0]
        _fail("labels", name, f"expected {expected_range}. Received non-integer values such as {_fmt(example)}.")
    low, high = values.min(), values.max()
    if low < 0 or (classes is not None and high >= classes):
        hint = ""
        if classes == 1:
            hint = (
                " The model has a single output unit: for two classes use a sigmoid output with "
                'loss="binary_crossentropy", or give the last layer one unit per class.'
            )
        elif classes is not None and low >= 1 and high == classes:
            hint = " The labels look 1-based: subtract 1 so they start at 0."
        _fail(
            "labels",
            name,
            f"expected {expected_range}. Received values in [{_fmt(low)}, {_fmt(high)}].{hint}",
        )


def check_categorical(name, y_true, output_shape):
    y = check_common(name, y_true)
    classes = output_shape[-1]
    if classes == 1:
        _fail(
            "labels",
            name,
            "the model output has a single unit, so a softmax cross-entropy is always 0. "
            'Use loss="binary_crossentropy" with a sigmoid output, or one output unit per class.',
        )
    if y.ndim != len(output_shape) or (classes is not None and y.shape[-1] != classes):
        expected = _shape_str(("N",) + tuple(output_shape[1:]))
        hint = ""
        if y.ndim == len(output_shape) - 1 or (y.ndim == len(output_shape) and y.shape[-1] == 1):
            count = classes if classes is not None else "num_classes"
            hint = (
                ' For integer class labels use loss="sparse_categorical_crossentropy", or one-hot encode '
                f"them with `to_categorical(y, num_classes={count})`."
            )
        _fail(
            "labels",
            name,
            f"expected one-hot targets of shape {expected} to match the model output "
            f"{_shape_str(output_shape)}. Received targets of shape {y.shape}.{hint}",
        )
    _check_label_shape(name, y, output_shape)
    if y.size and (y.min() < 0 or y.max() > 1):
        _fail(
            "labels",
            name,
            "expected one-hot (or probability) targets with values in [0, 1]. "
            f"Received values in [{_fmt(y.min())}, {_fmt(y.max())}].",
        )


def check_binary(name, y_true, output_shape):
    y = check_common(name, y_true)
    _check_label_shape(name, y, output_shape)
    if y.size and (y.min() < 0 or y.max() > 1):
        hint = ""
        if y.dtype.kind in "biu" or np.all(y == np.round(y)):
            hint = (
                ' For integer class labels use loss="sparse_categorical_crossentropy" with one softmax '
                "output unit per class."
            )
        _fail(
            "labels",
            name,
            f"expected values in [0, 1]. Received values in [{_fmt(y.min())}, {_fmt(y.max())}].{hint}",
        )


def check_regression(name, y_true, output_shape):
    y = check_common(name, y_true)
    if not compatible_shapes(y.shape, output_shape):
        _fail(
            "targets",
            name,
            f"targets of shape {y.shape} do not match the model output shape "
            f"{_shape_str(output_shape)} (after ignoring the batch dimension and a trailing axis of size 1). "
            "They would broadcast and average the wrong pairs.",
        )
