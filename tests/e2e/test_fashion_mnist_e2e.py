"""End-to-end: the examples' models learn real Fashion-MNIST (small subsets, so CI stays fast).

The full runs (examples/*.py on all 60,000 images) reach the accuracies in the README; these
subsets check the same code paths learn, with bounds set well below what they reach.
"""

import numpy as np
import pytest
from example_scripts import load_example, scaled_fashion_mnist_or_skip

import kerasette as ks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fashion():
    return scaled_fashion_mnist_or_skip()


def test_mlp_reaches_080_on_one_epoch_of_the_training_set(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    ks.utils.set_random_seed(0)
    model = load_example("fashion_mnist_mlp").build_model()
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
    history = model.fit(x_train.reshape(-1, 784), ks.utils.to_categorical(y_train, 10), batch_size=128,
                        epochs=1, validation_split=0.1, verbose=0)
    _, accuracy = model.evaluate(x_test.reshape(-1, 784), ks.utils.to_categorical(y_test, 10), verbose=0)
    assert history.history["val_accuracy"][0] > 0.78
    assert accuracy > 0.80


def test_cnn_reaches_075_on_a_6000_image_subset(fashion):
    (x_train, y_train), (x_test, y_test) = fashion
    ks.utils.set_random_seed(0)
    model = load_example("fashion_mnist_cnn").build_model()
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(np.expand_dims(x_train[:6000], -1), y_train[:6000], batch_size=128, epochs=2, verbose=0)
    _, accuracy = model.evaluate(np.expand_dims(x_test[:2000], -1), y_test[:2000], verbose=0)
    assert accuracy > 0.75
