"""The Fashion-MNIST convnet of ``examples/fashion_mnist_cnn.py`` trains under ``mixed_float16`` as well as in
float32: the same seed, data and steps, test accuracy within 1 point (a real-data subset, about a minute)."""

import numpy as np
import pytest
from example_scripts import fashion_mnist_or_skip, load_example
from mixed_helpers import CPU_WARNING

import kerasette as ks

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings(CPU_WARNING)]


@pytest.fixture(scope="module")
def fashion():
    (x_train, y_train), (x_test, y_test) = fashion_mnist_or_skip()
    prepare = lambda x: np.expand_dims(x.astype("float32") / 255, -1)  # noqa: E731
    return (prepare(x_train[:4000]), y_train[:4000]), (prepare(x_test[:2000]), y_test[:2000])


def _train(policy, fashion):
    """The example's convnet, its final softmax in float32 as Keras advises; test loss and accuracy."""
    (x_train, y_train), (x_test, y_test) = fashion
    ks.mixed_precision.set_global_policy(policy)
    ks.utils.set_random_seed(0)
    model = load_example("fashion_mnist_cnn").build_model(float32_softmax=True)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=128, epochs=2, verbose=0)
    ks.mixed_precision.set_global_policy("float32")
    return model, model.evaluate(x_test, y_test, verbose=0)


def test_mixed_float16_cnn_is_within_one_point_of_float32(mixed_backend, fashion):
    plain, (_, plain_accuracy) = _train("float32", fashion)
    mixed, (mixed_loss, mixed_accuracy) = _train("mixed_float16", fashion)
    print(f"\n[mixed precision] test accuracy float32 {plain_accuracy:.4f}, mixed_float16 {mixed_accuracy:.4f}")
    assert plain_accuracy > 0.70  # it learned (10 classes: chance is 0.10)
    assert abs(mixed_accuracy - plain_accuracy) <= 0.01
    assert np.isfinite(mixed_loss)
    assert isinstance(mixed.optimizer, ks.optimizers.LossScaleOptimizer)
    assert mixed.layers[0].compute_dtype == "float16"
    assert {w.dtype for w in mixed.weights} == {"float32"}
    assert int(mixed.optimizer.iterations.numpy()) == int(plain.optimizer.iterations.numpy())  # no step skipped
