"""Padding arithmetic and argument errors of conv and pooling (values are in op_specs.py)."""

import numpy as np
import pytest

from kerasette import ops


@pytest.mark.parametrize(
    "size, window, stride, dilation, expected",
    [
        (5, 3, 1, 1, (1, 1)),  # output 5: 2 pixels of padding, split evenly
        (5, 3, 2, 1, (1, 1)),  # output 3: (3-1)*2 + 3 - 5 = 2
        (6, 3, 2, 1, (0, 1)),  # output 3: (3-1)*2 + 3 - 6 = 1, the odd pixel goes after
        (5, 2, 2, 1, (0, 1)),
        (7, 3, 1, 2, (2, 2)),  # dilation 2: the window spans 5 pixels
        (4, 1, 1, 1, (0, 0)),
        (3, 5, 4, 1, (1, 1)),  # output 1: 5 - 3 = 2
    ],
)
def test_same_padding(size, window, stride, dilation, expected):
    pads = ops.explicit_padding("same", (size, size), (window, window), (stride, stride), (dilation, dilation))
    assert pads == (expected, expected)


def test_valid_padding_is_zero():
    assert ops.explicit_padding("valid", (7, 9), (3, 3), (2, 2)) == ((0, 0), (0, 0))


def test_bad_padding_and_data_format():
    x, k = ops.ones((1, 4, 4, 1)), ops.ones((2, 2, 1, 1))
    with pytest.raises(ValueError, match="padding"):
        ops.conv(x, k, padding="full")
    with pytest.raises(ValueError, match="channels_last"):
        ops.conv(x, k, data_format="channels_first")
    with pytest.raises(ValueError, match="strides"):
        ops.conv(x, k, strides=(1, 1, 1))


def test_inputs_smaller_than_the_window_are_refused():
    with pytest.raises(ValueError, match="at least 3 pixels"):
        ops.conv(ops.ones((1, 2, 5, 1)), ops.ones((3, 3, 1, 1)))
    with pytest.raises(ValueError, match="at least 5 pixels"):
        ops.conv(ops.ones((1, 4, 5, 1)), ops.ones((3, 3, 1, 1)), dilation_rate=2)
    with pytest.raises(ValueError, match="max_pool"):
        ops.max_pool(ops.ones((1, 2, 2, 1)), 3)
    with pytest.raises(ValueError, match="average_pool"):
        ops.average_pool(ops.ones((1, 2, 2, 1)), 3)
    assert ops.max_pool(ops.ones((1, 2, 2, 1)), 3, padding="same").shape == (1, 1, 1, 1)


def test_padding_names_are_case_insensitive():
    x = ops.convert_to_tensor(np.arange(25.0).reshape(1, 5, 5, 1))
    np.testing.assert_array_equal(
        ops.max_pool(x, 2, padding="SAME").numpy(), ops.max_pool(x, 2, padding="same").numpy()
    )


def test_max_pool_gradient_goes_to_one_maximum_per_window():
    x = ops.zeros((1, 2, 2, 1), "float64")  # four tied maxima
    with ops.GradientTape() as tape:
        tape.watch(x)
        y = ops.max_pool(x, 2)
    (g,) = tape.gradient(y, [x])
    assert g.numpy().sum() == 1.0 and g.numpy()[0, 0, 0, 0] == 1.0


def test_shape_mismatches_are_clear_errors():
    with pytest.raises(ValueError, match="matching `in`.*\\(1, 5, 5, 3\\).*\\(3, 3, 4, 2\\)"):
        ops.conv(ops.ones((1, 5, 5, 3)), ops.ones((3, 3, 4, 2)))
    with pytest.raises(ValueError, match="as many axes as the inputs.*\\(5, 5, 3\\).*\\(3, 3, 3, 2\\)"):
        ops.conv(ops.ones((5, 5, 3)), ops.ones((3, 3, 3, 2)))
    with pytest.raises(ValueError, match="rank 3, 4 or 5"):
        ops.max_pool(ops.ones((5, 3)), 2)
