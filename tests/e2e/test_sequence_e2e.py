"""End-to-end: the recurrent layers learn (small runs, so CI stays fast).

A Fashion-MNIST subset read row by row by an LSTM (the example ``examples/fashion_mnist_lstm.py`` on
all 60,000 images reaches the test accuracy in the README), and the adding problem (Hochreiter &
Schmidhuber, 1997): a sequence of random numbers, two of them marked; the target is their sum.
Predicting the mean scores a mean squared error of about 0.167; only a model that remembers the
marked numbers across the steps goes far below.
"""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers

pytestmark = pytest.mark.slow


def adding_problem(n, steps, seed):
    rng = np.random.default_rng(seed)
    values = rng.uniform(size=(n, steps))
    marks = np.zeros((n, steps))
    first = rng.integers(0, steps // 2, n)
    second = rng.integers(steps // 2, steps, n)
    marks[np.arange(n), first] = marks[np.arange(n), second] = 1.0
    x = np.stack([values, marks], axis=-1).astype("float32")
    return x, (values * marks).sum(axis=1, keepdims=True).astype("float32")


@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_adding_problem_is_learned_far_below_the_mean_baseline(cell, backend):
    ks.utils.set_random_seed(0)
    x, y = adding_problem(3000, 20, seed=0)
    x_test, y_test = adding_problem(500, 20, seed=1)
    model = ks.Sequential([ks.Input((20, 2)), getattr(layers, cell)(24), layers.Dense(1)])
    model.compile(optimizer=ks.optimizers.Adam(1e-2), loss="mse")
    model.fit(x, y, batch_size=64, epochs=12, verbose=0)
    baseline = float(np.mean((y_test - y.mean()) ** 2))
    assert baseline > 0.1
    assert model.evaluate(x_test, y_test, verbose=0) < 0.02


def test_lstm_reads_fashion_mnist_rows_to_070_on_a_6000_image_subset():
    try:
        (x_train, y_train), (x_test, y_test) = ks.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:  # no copy of the data on this machine
        pytest.skip(f"Fashion-MNIST not available: {error}")
    ks.utils.set_random_seed(0)
    model = ks.Sequential([ks.Input((28, 28)), layers.LSTM(64), layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(x_train[:6000] / 255.0, y_train[:6000], batch_size=64, epochs=3, verbose=0)
    _, accuracy = model.evaluate(x_test[:2000] / 255.0, y_test[:2000], verbose=0)
    assert accuracy > 0.70
