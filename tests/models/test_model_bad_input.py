"""Bad input raises a clear ValueError before any step, and leaves the model unchanged."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers


def model_and_data():
    model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(8, activation="relu", name="hidden"),
                           layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(20, 4)).astype("float32")
    y = np.arange(20) % 3
    return model, x, y


def assert_unchanged(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(model.optimizer.iterations.numpy()) == 0


@pytest.mark.parametrize(
    "mutate,match",
    [
        (lambda x, y: (x[:, :3], y), r"expected shape \(None, 4\).*\(None, 3\)"),
        (lambda x, y: (x, y + 5), r"sparse_categorical_crossentropy.*\[0, 3\)"),
        (lambda x, y: (np.where(x > 1, np.nan, x), y), "NaN"),
        (lambda x, y: (x[:0], y[:0]), "empty"),
        (lambda x, y: (x, y[:10]), "same number of samples"),
        (lambda x, y: (x, y + 0.5), "integer"),
    ],
    ids=["input-shape", "labels-out-of-range", "nan", "empty", "length-mismatch", "float-labels"],
)
def test_fit_rejects_bad_data_before_training(mutate, match):
    model, x, y = model_and_data()
    before = model.get_weights()
    bad_x, bad_y = mutate(x.copy(), y.copy())
    with pytest.raises(ValueError, match=match):
        model.fit(bad_x, bad_y, epochs=1, verbose=0)
    assert_unchanged(model, before)


def test_input_shape_error_names_the_input_layer():
    model, x, y = model_and_data()
    with pytest.raises(ValueError, match="Input of layer `input_layer"):
        model.fit(x[:, :3], y, verbose=0)


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, "32"])
def test_bad_batch_size(batch_size):
    model, x, y = model_and_data()
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(x, y, batch_size=batch_size, verbose=0)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"loss": "no_such_loss"}, "no_such_loss"),
        ({"loss": "mse", "optimizer": "no_such_optimizer"}, "no_such_optimizer"),
    ],
)
def test_unknown_names_in_compile(kwargs, match):
    model, _, _ = model_and_data()
    with pytest.raises(ValueError, match=match):
        model.compile(**kwargs)


def test_unknown_activation_names_the_argument():
    with pytest.raises(ValueError, match="no_such_activation"):
        layers.Dense(3, activation="no_such_activation")


def test_fit_before_compile():
    model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(2)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((2, 4)), np.zeros((2, 2)), verbose=0)


def test_layer_argument_errors_follow_the_template():
    with pytest.raises(ValueError, match=r"Invalid value for argument `rate` of layer `dropout.*`\. "
                                         r"Expected a float in \[0, 1\)\. Received: rate=1\.5"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(4, 3, padding="full")
    with pytest.raises(TypeError, match="unitz"):
        layers.Dense(3, unitz=4)


def test_incompatible_layer_in_sequential_is_rejected_and_model_kept():
    model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(8)])
    with pytest.raises(ValueError, match="conv2d.*ndim=4"):
        model.add(layers.Conv2D(2, 3))
    assert len(model.layers) == 1
    assert model.output_shape == (None, 8)


def test_calling_a_built_layer_on_the_wrong_channel_count():
    dense = layers.Dense(3, name="head")
    dense(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"head.*\(None, 4\).*\(2, 5\)|head"):
        dense(np.zeros((2, 5), "float32"))


def test_validation_split_out_of_range():
    model, x, y = model_and_data()
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)
