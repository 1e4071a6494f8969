"""to_categorical, with Keras's semantics."""

import doctest

import numpy as np
import pytest

from kerasette import ops
from kerasette.utils import numerical_utils, to_categorical


def test_one_hot_rows():
    out = to_categorical([0, 2, 1])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_trailing_axis_of_one_is_dropped():
    assert to_categorical(np.array([[1], [0], [3]])).shape == (3, 4)
    assert to_categorical(np.array([[1, 2], [0, 3]])).shape == (2, 2, 4)  # other shapes keep their axes
    assert to_categorical(np.array([[[1]], [[0]]]), num_classes=2).shape == (2, 1, 2)


def test_num_classes_and_input_kinds():
    np.testing.assert_array_equal(to_categorical([1], num_classes=4), [[0, 1, 0, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([2.0, 0.0])), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([1, 0], dtype=np.uint8)), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(ops.convert_to_tensor(np.array([1, 0]))), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(3), [0, 0, 0, 1])
    assert to_categorical(np.zeros(0, dtype=int), num_classes=3).shape == (0, 3)


@pytest.mark.parametrize(
    "labels, num_classes, message",
    [
        ([0, -1], None, "non-negative"),
        ([0.5, 1.0], None, "non-integer label: 0.5"),
        ([np.nan], None, "non-integer"),
        (["a", "b"], None, "integer class labels"),
        ([True, False], None, "integer class labels"),
        ([0, 3], 3, "out of range for num_classes=3"),
        ([0, 1], 0, "positive integer"),
        ([0, 1], 2.5, "positive integer"),
        (np.zeros(0, dtype=int), None, "empty"),
    ],
)
def test_bad_labels_are_clear_errors(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        to_categorical(labels, num_classes)


def test_docstring_examples():
    assert doctest.testmod(numerical_utils).failed == 0
