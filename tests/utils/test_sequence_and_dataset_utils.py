"""pad_sequences, normalize, split_dataset, pack_x_y_sample_weight, get_source_inputs, against real Keras."""

import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import utils

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside Keras's torch backend

SEQUENCES = [[1], [2, 3], [4, 5, 6, 7], []]
PAD_CASES = [
    {},
    {"maxlen": 2},
    {"maxlen": 3, "padding": "post"},
    {"maxlen": 3, "truncating": "post"},
    {"maxlen": 5, "padding": "post", "truncating": "post", "value": -1},
    {"dtype": "float32", "value": 0.5},
]


@pytest.mark.parametrize("kwargs", PAD_CASES, ids=[str(c) for c in PAD_CASES])
def test_pad_sequences_equals_keras(kwargs):
    ours, theirs = utils.pad_sequences(SEQUENCES, **kwargs), keras.utils.pad_sequences(SEQUENCES, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_of_vectors_and_strings_equal_keras():
    vectors = [np.ones((2, 3)), np.zeros((1, 3))]
    np.testing.assert_array_equal(utils.pad_sequences(vectors, dtype="float32"),
                                  keras.utils.pad_sequences(vectors, dtype="float32"))
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(utils.pad_sequences(words, dtype=object, value="<pad>"),
                                  keras.utils.pad_sequences(words, dtype=object, value="<pad>"))


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="`padding`"):
        utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="`truncating`"):
        utils.pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="non-iterable"):
        utils.pad_sequences([1, 2])
    with pytest.raises(ValueError, match="dtype=object"):
        utils.pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="expected shape"):
        utils.pad_sequences([np.ones((2, 3)), np.ones((1, 2))], dtype="float32")
    with pytest.raises(ValueError, match="`maxlen`"):
        utils.pad_sequences([[1]], maxlen=-1)


@pytest.mark.parametrize("axis,order", [(-1, 2), (1, 1), (-1, np.inf), (1, 3)])
def test_normalize_arrays_equal_keras(axis, order):
    x = np.random.default_rng(0).normal(size=(4, 5))
    x[2] = 0.0
    np.testing.assert_allclose(utils.normalize(x, axis, order), keras.utils.normalize(x, axis, order), rtol=1e-12)


def test_normalize_tensors_equal_keras_and_axis_0():
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    theirs = keras.ops.convert_to_numpy(keras.utils.normalize(keras.ops.convert_to_tensor(x), axis=0))
    ours = utils.normalize(ks.ops.convert_to_tensor(x), axis=0)
    assert isinstance(ours, ks.ops.Tensor)
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-6)
    # For numpy input Keras 3.15 divides by norms expanded at the last axis whatever `axis` is; kerasette
    # gives the same result as for tensors instead.
    np.testing.assert_allclose(utils.normalize(x, axis=0), theirs, rtol=1e-6)
    with pytest.raises(ValueError, match="`order`"):
        utils.normalize(x, order=0)


@pytest.mark.parametrize("left,right", [(0.8, None), (None, 0.25), (3, None), (None, 4), (0.33, None)])
def test_split_sizes_equal_keras(left, right):
    data = np.arange(10)
    ours = utils.split_dataset(data, left_size=left, right_size=right)
    theirs = keras.utils.split_dataset(data, left_size=left, right_size=right)
    assert (len(ours[0]), len(ours[1])) == (len(theirs[0]), len(theirs[1]))
    np.testing.assert_array_equal(ours[0], data[:len(ours[0])])  # the first samples, unshuffled
    np.testing.assert_array_equal(ours[1], data[len(data) - len(ours[1]):])  # the last samples


@pytest.mark.parametrize("left,right,sizes", [(0.5, 0.3, (5, 3)), (2, 5, (2, 5))])
def test_sizes_adding_up_to_less_than_the_data_leave_the_middle_out(left, right, sizes):
    # Keras's tf.data path does this; its torch path refuses such sizes.
    data = np.arange(10)
    ours = utils.split_dataset(data, left_size=left, right_size=right)
    assert (len(ours[0]), len(ours[1])) == sizes
    np.testing.assert_array_equal(np.concatenate(ours), np.r_[data[:sizes[0]], data[10 - sizes[1]:]])


@pytest.mark.parametrize("left,right", [(None, None), (0, 0), (1.5, None), (10, None), (0.7, 0.6), ("a", None),
                                        (0.01, None)])
def test_split_errors_where_keras_errors(left, right):
    data = np.arange(10)
    with pytest.raises((ValueError, TypeError)):
        keras.utils.split_dataset(data, left_size=left, right_size=right)
    with pytest.raises((ValueError, TypeError)):
        utils.split_dataset(data, left_size=left, right_size=right)


def test_split_structures_and_shuffle():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    (lx, ly), (rx, ry) = utils.split_dataset((x, y), left_size=0.6, shuffle=True, seed=3)
    assert lx.shape == (6, 2) and rx.shape == (4, 2)
    np.testing.assert_array_equal(lx[:, 0] // 2, ly)  # rows stay paired
    assert sorted(np.concatenate([ly, ry]).tolist()) == list(range(10)) and not np.array_equal(ly, np.arange(6))
    again = utils.split_dataset((x, y), left_size=0.6, shuffle=True, seed=3)
    np.testing.assert_array_equal(again[0][1], ly)
    left, right = utils.split_dataset({"a": x, "b": y}, right_size=2)
    assert set(left) == {"a", "b"} and right["b"].tolist() == [8, 9]
    with pytest.raises(ValueError, match="different lengths"):
        utils.split_dataset((x, y[:5]), left_size=0.5)
    with pytest.raises(ValueError, match="preferred_backend"):
        utils.split_dataset(x, left_size=0.5, preferred_backend="tensorflow")
    with pytest.raises(TypeError, match="dataset"):
        utils.split_dataset(5, left_size=0.5)


def test_pack_and_unpack_equal_keras():
    x, y, w = np.ones(3), np.zeros(3), np.full(3, 2.0)
    for args in [(x,), ([x, x],), (x, y), (x, y, w)]:
        ours, theirs = utils.pack_x_y_sample_weight(*args), keras.utils.pack_x_y_sample_weight(*args)
        assert type(ours) is type(theirs)
        if isinstance(theirs, tuple):
            assert len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs))
        else:
            assert ours is theirs
        unpacked, expected = utils.unpack_x_y_sample_weight(ours), keras.utils.unpack_x_y_sample_weight(theirs)
        assert len(unpacked) == 3 and all(a is b for a, b in zip(unpacked, expected))


def test_get_source_inputs_and_is_keras_tensor():
    a, b = ks.Input((2,), name="a"), ks.Input((2,), name="b")
    hidden = ks.layers.Dense(2)(a)
    total = ks.layers.Add()([hidden, b, hidden])
    sources = utils.get_source_inputs(total)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a)[0] is a
    assert utils.get_source_inputs(3) == 3
    assert utils.is_keras_tensor(total) and not utils.is_keras_tensor(np.ones(2))
