"""`SwapEMAWeights`: validation, `evaluate` and `predict` run with the optimizer's moving averages, and
training goes on with the training weights, on every backend."""

import numpy as np
import pytest

import kerasette as ks
from kerasette.callbacks import LambdaCallback, SwapEMAWeights


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    return x, (x[:, 0] - x[:, 1] > 0).astype("int64")


def _model(optimizer=None):
    ks.utils.set_random_seed(0)
    model = ks.Sequential([
        ks.Input((4,)), ks.layers.Dense(6, activation="relu"), ks.layers.Dense(2, activation="softmax"),
    ])
    start = [np.random.default_rng(i).normal(scale=0.5, size=w.shape).astype("float32")
             for i, w in enumerate(model.get_weights())]
    model.set_weights(start)
    model.compile(optimizer or ks.optimizers.SGD(0.2, use_ema=True, ema_momentum=0.8),
                  loss="sparse_categorical_crossentropy")
    return model


def _averages(model):
    optimizer = getattr(model.optimizer, "inner_optimizer", model.optimizer)
    return [a.numpy() for a in optimizer._model_variables_moving_average]


def _loss_with(model, weights, x, y):
    saved = model.get_weights()
    model.set_weights(weights)
    loss = model.evaluate(x, y, verbose=0)
    model.set_weights(saved)
    return loss


def test_validation_uses_the_averages_and_training_keeps_its_weights(backend):
    x, y = _data()
    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    model = _model()
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, validation_data=(x, y),
                        callbacks=[SwapEMAWeights()])
    for got, expected in zip(model.get_weights(), reference.get_weights()):  # the swaps leave training alone
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    # fit ends by finalizing the weights to their averages (as Keras's fit does with use_ema), so the
    # model now holds the averages the last validation ran with.
    averages = _averages(model)
    for a, w in zip(averages, model.get_weights()):
        np.testing.assert_allclose(a, w, rtol=1e-6, atol=1e-7)
    assert history.history["val_loss"][-1] == pytest.approx(_loss_with(model, averages, x, y), rel=1e-5)
    assert history.history["val_loss"][-1] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)
    assert history.history["val_loss"][-1] != pytest.approx(history.history["loss"][-1], rel=1e-3)


def test_evaluate_and_predict_swap_in_and_back(backend):
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    weights, averages = model.get_weights(), _averages(model)
    loss = model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])
    assert loss == pytest.approx(_loss_with(model, averages, x, y), rel=1e-5)
    predictions = model.predict(x, verbose=0, callbacks=[SwapEMAWeights()])
    model.set_weights(averages)
    np.testing.assert_allclose(predictions, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    model.set_weights(weights)
    # After predict the training weights are back (Keras 3.15 leaves the averages in the model there).
    model.predict(x, verbose=0, callbacks=[SwapEMAWeights()])
    for got, expected in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, expected)


def test_swap_on_epoch_shows_the_averages_to_later_callbacks():
    x, y = _data()
    seen, averages_then = [], []
    model = _model()

    def record(epoch, logs):
        seen.append(model.get_weights())
        averages_then.append(_averages(model))

    reference = _model()
    reference.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0,
              callbacks=[SwapEMAWeights(swap_on_epoch=True), LambdaCallback(on_epoch_end=record)])
    reference_averages = _averages(reference)
    for got, expected in zip(seen[-1], reference_averages):  # the averages, in the model, at epoch end
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    for got, expected in zip(averages_then[0], seen[0]):  # ...while the slots hold the training weights
        assert not np.allclose(got, expected)
    # The model ends with the averages (Keras's fit would put them there too); training was not disturbed.
    for got, expected in zip(model.get_weights(), reference_averages):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_through_a_loss_scale_optimizer():
    x, y = _data()
    model = _model(ks.optimizers.LossScaleOptimizer(ks.optimizers.Adam(0.05, use_ema=True)))
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, validation_data=(x, y), callbacks=[SwapEMAWeights()])
    assert history.history["val_loss"][-1] == pytest.approx(_loss_with(model, _averages(model), x, y), rel=1e-5)


def test_refuses_an_optimizer_without_ema():
    x, y = _data()
    model = _model(ks.optimizers.SGD(0.1))
    with pytest.raises(ValueError, match=r"needs an optimizer created with `use_ema=True`.*Received: optimizer `sgd`"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[SwapEMAWeights()])
    assert model.optimizer.iterations.numpy() == 0  # refused before any step


def test_evaluate_before_training_is_a_clear_error():
    x, y = _data()
    model = _model()
    with pytest.raises(ValueError, match="has no moving averages yet"):
        model.evaluate(x, y, verbose=0, callbacks=[SwapEMAWeights()])


def test_swap_on_epoch_must_be_a_bool():
    with pytest.raises(TypeError, match="argument `swap_on_epoch` of callback `SwapEMAWeights`. Expected a bool"):
        SwapEMAWeights(swap_on_epoch="yes")
