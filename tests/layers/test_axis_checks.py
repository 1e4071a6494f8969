"""Issue 12 item 9: axis arguments are checked against the input's rank (no silent wrap-around)."""

import pytest

import kerasette as ks
from kerasette import layers

CASES = [
    ("BatchNormalization", lambda: layers.BatchNormalization(axis=5), "axis"),
    ("BatchNormalization batch axis", lambda: layers.BatchNormalization(axis=0), "axis"),
    ("BatchNormalization negative", lambda: layers.BatchNormalization(axis=-5), "axis"),
    ("Softmax", lambda: layers.Softmax(axis=4), "axis"),
    ("Softmax tuple", lambda: layers.Softmax(axis=(1, 7)), "axis"),
    ("LayerNormalization", lambda: layers.LayerNormalization(axis=5), "axis"),
    ("Permute", lambda: layers.Permute((2, 1)), "expected ndim=3"),
]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_an_axis_outside_the_input_rank_is_refused_naming_it(name):
    make, argument = {c[0]: c[1:] for c in CASES}[name]
    layer = make()
    with pytest.raises(ValueError, match=argument):
        layer(ks.Input((3, 4, 2)))
    assert not layer.weights  # nothing was created


def test_concatenate_axis_out_of_range():
    x = ks.Input((3, 4, 2))
    with pytest.raises(ValueError, match="axis=5"):
        layers.Concatenate(axis=5)([x, x])


@pytest.mark.parametrize("axis", [-1, 3, 1, -3])
def test_axes_in_range_still_work(axis):
    x = ks.Input((3, 4, 2))
    assert layers.BatchNormalization(axis=axis)(x).shape == (None, 3, 4, 2)
    assert layers.Softmax(axis=axis)(x).shape == (None, 3, 4, 2)
