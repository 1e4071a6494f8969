"""`timeseries_dataset_from_array`: the windows, targets and batches Keras 3 gives, shuffling, errors, training."""

import numpy as np
import pytest

import kerasette as ks
from kerasette.utils import PyDataset, timeseries_dataset_from_array

DATA = np.arange(20) * 3 + 1
TARGETS = np.arange(20) * 10

# Keras 3.15.1's batches for DATA and TARGETS (keras.utils.timeseries_dataset_from_array(..., format="grain"),
# the format that runs without TensorFlow; its windows and order are those of format="tf" without shuffle).
KERAS_BATCHES = [
    (dict(sequence_length=4, sequence_stride=3, sampling_rate=2, batch_size=3),
     [([[1, 7, 13, 19], [10, 16, 22, 28], [19, 25, 31, 37]], [0, 30, 60]),
      ([[28, 34, 40, 46], [37, 43, 49, 55]], [90, 120])]),
    (dict(sequence_length=3, start_index=4, end_index=15, batch_size=4),
     [([[13, 16, 19], [16, 19, 22], [19, 22, 25], [22, 25, 28]], [40, 50, 60, 70]),
      ([[25, 28, 31], [28, 31, 34], [31, 34, 37], [34, 37, 40]], [80, 90, 100, 110]),
      ([[37, 40, 43]], [120])]),
    (dict(sequence_length=3, sequence_stride=2, start_index=3, batch_size=5),
     [([[10, 13, 16], [16, 19, 22], [22, 25, 28], [28, 31, 34], [34, 37, 40]], [30, 50, 70, 90, 110]),
      ([[40, 43, 46], [46, 49, 52], [52, 55, 58]], [130, 150, 170])]),
    (dict(sequence_length=5, sequence_stride=4, batch_size=None),
     [([1, 4, 7, 10, 13], 0), ([13, 16, 19, 22, 25], 40), ([25, 28, 31, 34, 37], 80), ([37, 40, 43, 46, 49], 120)]),
]


@pytest.mark.parametrize("arguments, expected", KERAS_BATCHES)
def test_batches_match_keras(arguments, expected):
    data = timeseries_dataset_from_array(DATA, TARGETS, **arguments)
    assert isinstance(data, PyDataset) and len(data) == len(expected)
    for (windows, targets), (keras_windows, keras_targets) in zip(data, expected):
        assert windows.tolist() == keras_windows and np.asarray(targets).tolist() == keras_targets
        assert windows.dtype == DATA.dtype and np.asarray(targets).dtype == TARGETS.dtype


@pytest.mark.parametrize("arguments, expected", KERAS_BATCHES)
def test_without_targets_yields_windows_only(arguments, expected):
    data = timeseries_dataset_from_array(DATA, None, **arguments)
    assert [windows.tolist() for windows in data] == [keras_windows for keras_windows, _ in expected]


def test_multichannel_windows_keep_trailing_axes_and_dtype():
    data = np.arange(60, dtype="float32").reshape(20, 3)
    windows, targets = timeseries_dataset_from_array(data, TARGETS, sequence_length=4, batch_size=8)[1]
    assert windows.shape == (8, 4, 3) and windows.dtype == np.float32
    np.testing.assert_array_equal(windows[0], data[8:12])
    assert targets.tolist() == TARGETS[8:16].tolist()


def test_temporal_regression_example_from_keras_docs():
    """Keras's example 2: the past 10 steps predict the next one."""
    series = np.sin(np.arange(100) / 5.0).astype("float32")
    data = timeseries_dataset_from_array(series[:-10], series[10:], sequence_length=10)
    inputs, targets = data[0]
    np.testing.assert_array_equal(inputs[0], series[:10])
    assert targets[0] == series[10] and len(data) == 1 and inputs.shape == (81, 10)


def test_shuffle_deals_keras_windows_in_keras_seed_order_then_anew_each_epoch():
    plain = timeseries_dataset_from_array(DATA, TARGETS, sequence_length=4, sequence_stride=2, batch_size=3)
    data = timeseries_dataset_from_array(DATA, TARGETS, sequence_length=4, sequence_stride=2, batch_size=3,
                                         shuffle=True, seed=42)

    def windows_of(dataset):
        return [tuple(w) + (t,) for windows, targets in dataset for w, t in zip(windows.tolist(), targets.tolist())]

    expected_starts = np.arange(0, 17, 2)
    np.random.RandomState(42).shuffle(expected_starts)  # Keras shuffles its window starts with this generator
    first = windows_of(data)
    assert [t // 10 for *_, t in first] == expected_starts.tolist()
    assert sorted(first) == sorted(windows_of(plain)) and first != windows_of(plain)
    data.on_epoch_end()
    second = windows_of(data)
    assert sorted(second) == sorted(first) and second != first
    again = timeseries_dataset_from_array(DATA, TARGETS, sequence_length=4, sequence_stride=2, batch_size=3,
                                          shuffle=True, seed=42)
    assert windows_of(again) == first


def test_matches_live_keras_when_grain_is_installed():
    """Against real Keras over a grid of arguments (Keras needs Grain or TensorFlow to build its dataset)."""
    pytest.importorskip("grain")
    from keras_reference import keras, quiet

    data = np.arange(60, dtype="float32").reshape(30, 2)
    for length, stride, rate, batch, start, end in [(3, 1, 1, 4, None, None), (4, 2, 3, 5, 2, 27),
                                                    (6, 5, 2, None, 1, None), (2, 7, 1, 1, None, 20)]:
        arguments = dict(sequence_length=length, sequence_stride=stride, sampling_rate=rate, batch_size=batch,
                         start_index=start, end_index=end)
        theirs = quiet(lambda arguments=arguments: list(keras.utils.timeseries_dataset_from_array(
            data, TARGETS.repeat(2), format="grain", **arguments)))
        ours = list(timeseries_dataset_from_array(data, TARGETS.repeat(2), **arguments))
        assert len(ours) == len(theirs)
        for (windows, targets), (keras_windows, keras_targets) in zip(ours, theirs):
            np.testing.assert_array_equal(windows, np.asarray(keras_windows))
            np.testing.assert_array_equal(targets, np.asarray(keras_targets))


def test_too_few_timesteps_give_an_empty_dataset_as_in_keras():
    assert len(timeseries_dataset_from_array(DATA, None, sequence_length=25, batch_size=4)) == 0


def test_tensors_are_accepted():
    data = timeseries_dataset_from_array(ks.ops.convert_to_tensor(DATA), None, sequence_length=2, batch_size=2)
    assert data[0].tolist() == [[1, 4], [4, 7]]


@pytest.mark.parametrize("arguments, message", [
    (dict(start_index=-1), "`start_index` must be 0 or greater"),
    (dict(start_index=20), "`start_index` must be lower than the length of the data"),
    (dict(start_index=5, end_index=5), "`end_index` must be higher than `start_index`"),
    (dict(end_index=20), "`end_index` must be lower than the length of the data"),
    (dict(end_index=-3), "`end_index` must be higher than 0"),
    (dict(sampling_rate=0), "`sampling_rate` must be higher than 0"),
    (dict(sampling_rate=20), "`sampling_rate` must be lower than the length of the data"),
    (dict(sequence_stride=0), "`sequence_stride` must be higher than 0"),
    (dict(sequence_stride=25), "`sequence_stride` must be lower than the length of the data"),
    (dict(sequence_length=0), "`sequence_length` must be higher than 0"),
    (dict(batch_size=0), "`batch_size` must be higher than 0"),
    (dict(format="torch"), '`format` should be either "tf" or "grain"'),
])
def test_invalid_arguments_raise_keras_messages(arguments, message):
    arguments = {"sequence_length": 3, **arguments}
    with pytest.raises(ValueError, match=message):
        timeseries_dataset_from_array(DATA, TARGETS, **arguments)


def test_targets_shorter_than_the_windows_need_raise():
    with pytest.raises(ValueError, match=r"`targets` is too short.*targets\[8\]"):
        timeseries_dataset_from_array(DATA, TARGETS[:5], sequence_length=3, start_index=4)


def test_unknown_keyword_and_grain_format():
    with pytest.raises(TypeError, match="unexpected keyword arguments: \\['shuffle_buffer'\\]"):
        timeseries_dataset_from_array(DATA, None, 3, shuffle_buffer=8)
    with pytest.warns(UserWarning, match="returns a PyDataset"):
        data = timeseries_dataset_from_array(DATA, None, 3, format="grain")
    assert len(data) == 1


def test_fit_on_windows_learns_a_linear_recurrence(backend):
    """A user's workflow: windows of a series train a model that predicts the next value."""
    series = np.linspace(0.0, 1.0, 200).astype("float32")
    data = timeseries_dataset_from_array(series[:-4], series[4:], sequence_length=4, batch_size=16, shuffle=True,
                                         seed=1)
    model = ks.Sequential([ks.Input((4,)), ks.layers.Dense(1)])
    model.compile(optimizer=ks.optimizers.Adam(0.05), loss="mse")
    history = model.fit(data, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 20
    windows, targets = timeseries_dataset_from_array(series[:-4], series[4:], sequence_length=4, batch_size=8)[0]
    np.testing.assert_allclose(model.predict(windows, verbose=0)[:, 0], targets, atol=0.05)
