"""End-to-end: the examples' models learn real Fashion-MNIST (small subsets, so CI stays fast).

The full runs (examples/*.py on all 60,000 images) reach the accuracies in the README; these
subsets check the same code paths learn, with bounds set well below what they reach.
"""

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fashion():
    try:
        (x_train, y_train), (x_test, y_test) = ks.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:  # no copy of the data on this machine
        pytest.skip(f"Fashion-MNIST not available: {error}")
    return (x_train.astype("float32") / 255, y_train), (x_test.astype("float32") / 255, y_test)


def test_mlp_reaches_080_on_one_epoch_of_the_training_set(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    ks.utils.set_random_seed(0)
    model = ks.Sequential([
        ks.Input(shape=(784,)),
        layers.Dense(512, activation="relu"), layers.Dropout(0.2),
        layers.Dense(512, activation="relu"), layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    history = model.fit(x_train.reshape(-1, 784), ks.utils.to_categorical(y_train, 10), batch_size=128,
                        epochs=1, validation_split=0.1, verbose=0)
    _, accuracy = model.evaluate(x_test.reshape(-1, 784), ks.utils.to_categorical(y_test, 10), verbose=0)
    assert history.history["val_accuracy"][0] > 0.78
    assert accuracy > 0.80


def test_cnn_reaches_075_on_a_6000_image_subset(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    ks.utils.set_random_seed(0)
    model = ks.Sequential([
        ks.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(np.expand_dims(x_train[:6000], -1), y_train[:6000], batch_size=128, epochs=2, verbose=0)
    _, accuracy = model.evaluate(np.expand_dims(x_test[:2000], -1), y_test[:2000], verbose=0)
    assert accuracy > 0.75
