"""check_targets: wrong labels for a loss are a clear ValueError before training starts."""

import re

import numpy as np
import pytest

from kerasette import losses

SCCE, CCE, BCE = (losses.SparseCategoricalCrossentropy(), losses.CategoricalCrossentropy(),
                  losses.BinaryCrossentropy())
MSE = losses.MeanSquaredError()


@pytest.mark.parametrize(
    "loss, y, output_shape",
    [
        (SCCE, np.array([0, 3, 9, 1]), (None, 10)),
        (SCCE, np.array([[0], [3], [9]]), (None, 10)),
        (SCCE, np.array([0.0, 3.0, 9.0]), (None, 10)),
        (SCCE, np.zeros((5, 7), dtype=np.int64), (None, 7, 4)),  # per-timestep labels
        (losses.SparseCategoricalCrossentropy(ignore_class=-1), np.array([0, -1, 2]), (None, 3)),
        (CCE, np.eye(10)[[1, 4, 2]], (None, 10)),
        (CCE, np.array([[0.2, 0.8], [0.5, 0.5]]), (None, 2)),  # soft labels
        (BCE, np.array([0, 1, 1, 0]), (None, 1)),
        (BCE, np.array([[0.0], [1.0]]), (None, 1)),
        (BCE, np.array([[0, 1, 1], [1, 0, 0]]), (None, 3)),  # multi-label
        (MSE, np.array([1.5, -2.0]), (None, 1)),
        (MSE, np.array([[1.5, -2.0, 3.0]]), (None, 3)),
        (losses.Huber(), np.array([[1.0]]), (None,)),
        (losses.MeanAbsoluteError(), [[1.0, 2.0]], (None, 2)),  # a plain list
    ],
)
def test_valid_targets_pass(loss, y, output_shape):
    loss.check_targets(y, output_shape)


def test_sparse_out_of_range_message():
    with pytest.raises(ValueError) as info:
        SCCE.check_targets(np.array([0, 5, 12, 3]), (None, 10))
    assert str(info.value) == (
        "Invalid labels for loss `sparse_categorical_crossentropy`: expected integer class indices in [0, 10). "
        "Received values in [0, 12]."
    )


@pytest.mark.parametrize(
    "y, output_shape, pattern",
    [
        (np.array([-1, 0, 2]), (None, 3), r"in \[0, 3\)\. Received values in \[-1, 2\]"),
        (np.array([1, 2, 3]), (None, 3), r"look 1-based"),
        (np.array([0, 1]), (None, 1), r"single output unit.*binary_crossentropy"),
        (np.array([0.0, 1.5, 2.0]), (None, 3), r"non-integer values such as 1\.5"),
        (np.eye(4)[[0, 2, 3]], (None, 4), r"look one-hot encoded.*categorical_crossentropy"),
        (np.zeros((3, 2, 2)), (None, 4), r"expected integer class indices of shape \(N,\)"),
        (np.array(["cat", "dog"]), (None, 2), r"expected numeric targets"),
        (np.array([0.0, np.nan, 1.0]), (None, 2), r"contain NaN \(1 of 3 values\)"),
        (np.array([0.0, np.inf]), (None, 2), r"infinite"),
    ],
)
def test_sparse_errors(y, output_shape, pattern):
    with pytest.raises(ValueError, match=r"^Invalid labels for loss `sparse_categorical_crossentropy`: ") as info:
        SCCE.check_targets(y, output_shape)
    assert re.search(pattern, str(info.value)), str(info.value)


def test_sparse_ignore_class_is_excluded_from_the_range():
    losses.SparseCategoricalCrossentropy(ignore_class=255).check_targets(np.array([0, 255, 2]), (None, 3))
    with pytest.raises(ValueError, match=r"Received values in \[0, 4\]"):
        losses.SparseCategoricalCrossentropy(ignore_class=255).check_targets(np.array([0, 255, 4]), (None, 3))


@pytest.mark.parametrize(
    "y, output_shape, pattern",
    [
        (np.array([3, 1, 0]), (None, 10),
         r"expected one-hot targets of shape \(N, 10\).*Received targets of shape \(3,\)\. For integer class labels "
         r'use loss="sparse_categorical_crossentropy", or one-hot encode them with `to_categorical\(y, '
         r"num_classes=10\)`"),
        (np.array([[3], [1]]), (None, 10), r"sparse_categorical_crossentropy"),
        (np.eye(12)[[0, 1]], (None, 10), r"shape \(N, 10\).*Received targets of shape \(2, 12\)"),
        (np.array([[0.0, 2.0], [1.0, 0.0]]), (None, 2), r"values in \[0, 1\]\. Received values in \[0, 2\]"),
        (np.array([[1.0], [0.0]]), (None, 1), r"single unit.*binary_crossentropy"),
        (np.array([[np.nan, 1.0]]), (None, 2), r"NaN"),
    ],
)
def test_categorical_errors(y, output_shape, pattern):
    with pytest.raises(ValueError, match=r"^Invalid labels for loss `categorical_crossentropy`: ") as info:
        CCE.check_targets(y, output_shape)
    assert re.search(pattern, str(info.value)), str(info.value)


@pytest.mark.parametrize(
    "y, output_shape, pattern",
    [
        (np.array([0, 1, 9]), (None, 1), r"expected values in \[0, 1\]\. Received values in \[0, 9\]\. For integer "
         r'class labels use loss="sparse_categorical_crossentropy"'),
        (np.array([-1.0, 1.0]), (None, 1), r"Received values in \[-1, 1\]"),
        (np.array([[0, 1], [1, 0]]), (None, 1), r"targets of shape \(2, 2\) do not match the model output \(None, 1\)"),
    ],
)
def test_binary_errors(y, output_shape, pattern):
    with pytest.raises(ValueError, match=r"^Invalid labels for loss `binary_crossentropy`: ") as info:
        BCE.check_targets(y, output_shape)
    assert re.search(pattern, str(info.value)), str(info.value)


@pytest.mark.parametrize("loss", [MSE, losses.MeanAbsoluteError(), losses.Huber()], ids=lambda loss: loss.name)
def test_regression_shape_mismatch(loss):
    with pytest.raises(ValueError, match=rf"^Invalid targets for loss `{loss.name}`: targets of shape \(4, 1\) do "
                       r"not match the model output shape \(None, 3\)"):
        loss.check_targets(np.zeros((4, 1)), (None, 3))


def test_regression_nan_targets():
    with pytest.raises(ValueError, match=r"mean_squared_error.*NaN \(2 of 4 values\)"):
        MSE.check_targets(np.array([1.0, np.nan, np.nan, 2.0]), (None, 1))


def test_custom_loss_gets_the_generic_checks():
    loss = losses.get(lambda y_true, y_pred: ops_free(y_true, y_pred))
    loss.check_targets(np.array([1.0, 2.0]), (None, 1))
    with pytest.raises(ValueError, match="NaN"):
        loss.check_targets(np.array([np.nan]), (None, 1))


def ops_free(y_true, y_pred):
    return y_pred
