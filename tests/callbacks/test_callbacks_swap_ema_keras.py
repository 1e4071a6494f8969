"""`SwapEMAWeights` and `use_ema` against real Keras 3 (torch backend, when installed, as in CI): the same
model, weights and data give the same validation losses (computed with the moving averages) and the
same averages."""

import os

import numpy as np
import pytest

import kerasette as ks

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

pytestmark = pytest.mark.filterwarnings("ignore")


def _run(lib, swap_on_epoch):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x[:, 0] - x[:, 1] > 0).astype("int64")
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(6, activation="relu"),
                            lib.layers.Dense(2, activation="softmax")])
    model.set_weights([np.random.default_rng(i).normal(scale=0.5, size=w.shape).astype("float32")
                       for i, w in enumerate(model.get_weights())])
    model.compile(lib.optimizers.SGD(0.2, momentum=0.5, use_ema=True, ema_momentum=0.8),
                  loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, validation_data=(x, y),
                        callbacks=[lib.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)])
    averages = [np.asarray(lib.ops.convert_to_numpy(a)) if lib is keras else a.numpy()
                for a in model.optimizer._model_variables_moving_average]
    return history.history["val_loss"], averages, [np.asarray(w) for w in model.get_weights()]


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_validation_losses_and_averages_match_keras(swap_on_epoch):
    our_losses, our_averages, our_weights = _run(ks, swap_on_epoch)
    their_losses, their_averages, their_weights = _run(keras, swap_on_epoch)
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-5)
    for a, b in zip(our_averages, their_averages):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    if swap_on_epoch:  # both end with the averages in the model
        for a, b in zip(our_weights, their_weights):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
