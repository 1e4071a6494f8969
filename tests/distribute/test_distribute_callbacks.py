"""The Horovod-style callbacks and BatchNormalization(synchronized=True), in one process."""

import numpy as np
import pytest

import kerasette as keras
from kerasette import distribute as hvd
from kerasette.distribute import fit_hook


def _model(learning_rate=0.1, momentum=0.9):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum), loss="mse")
    return model


def test_schedule_callback_sets_initial_lr_times_multiplier_from_start_epoch():
    model = _model()
    callback = hvd.callbacks.LearningRateScheduleCallback(0.4, multiplier=0.5, start_epoch=1, end_epoch=3)
    callback.set_model(model)
    callback.on_train_begin()
    rates = []
    for epoch in range(4):
        callback.on_epoch_begin(epoch)
        callback.on_train_batch_begin(0)
        callback.on_train_batch_end(0)
        logs = {}
        callback.on_epoch_end(epoch, logs)
        rates.append(logs["learning_rate"])
    np.testing.assert_allclose(rates, [0.1, 0.2, 0.1, 0.1])  # untouched before 1 and from 3 on


def test_schedule_callback_corrects_momentum_for_the_batch_the_rate_changes():
    model = _model(learning_rate=0.1, momentum=0.9)
    callback = hvd.callbacks.LearningRateScheduleCallback(0.2, multiplier=lambda epoch: 1.0)
    callback.set_model(model)
    callback.on_epoch_begin(0)
    callback.on_train_batch_begin(0)
    assert model.optimizer.momentum == pytest.approx(1.8)  # 0.9 * 0.2 / 0.1 for this batch
    callback.on_train_batch_end(0)
    assert model.optimizer.momentum == 0.9


def test_warmup_in_one_process_keeps_the_rate_and_runs_inside_fit():
    model = _model(learning_rate=0.05)
    warmup = hvd.callbacks.LearningRateWarmupCallback(0.05, warmup_epochs=2)
    history = model.fit(np.zeros((8, 2)), np.zeros((8, 1)), batch_size=4, epochs=3, verbose=0, callbacks=[warmup])
    assert warmup.steps_per_epoch == 2  # read from fit
    np.testing.assert_allclose(history.history["learning_rate"], [0.05, 0.05, 0.05])


def test_warmup_multiplier_follows_horovods_formula(monkeypatch):
    monkeypatch.setattr(hvd.callbacks._runtime, "is_initialized", lambda: True)
    monkeypatch.setattr(hvd.callbacks._runtime, "size", lambda: 4)
    warmup = hvd.callbacks.LearningRateWarmupCallback(0.4, warmup_epochs=2, steps_per_epoch=10)
    # at the end of batch b of epoch e the rate is initial / size * (e' * (size - 1) / warmup + 1), e' = e + (b+1)/10
    assert warmup.multiplier(0.0) == pytest.approx(0.25 * (0.1 * 3 / 2 + 1))
    assert warmup.multiplier(1.9) == pytest.approx(1.0)  # the full rate at the end of the warm-up


@pytest.mark.parametrize("make, words", [
    (lambda: hvd.callbacks.LearningRateScheduleCallback(None, 0.5), "`initial_lr` .* is required"),
    (lambda: hvd.callbacks.LearningRateScheduleCallback(0.1, "x"), "multiplier"),
    (lambda: hvd.callbacks.LearningRateWarmupCallback(0.1, warmup_epochs=0), "warmup_epochs"),
    (lambda: hvd.callbacks.BroadcastGlobalVariablesCallback(-1), "root_rank"),
    (lambda: hvd.callbacks.MetricAverageCallback(device="/gpu:0"), "device"),
])
def test_callbacks_reject_bad_arguments(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_on_every_rank_marks_a_callback_the_hook_would_otherwise_drop_off_rank_0(monkeypatch):
    monkeypatch.setattr(fit_hook._runtime, "size", lambda: 2)
    monkeypatch.setattr(fit_hook._runtime, "rank", lambda: 1)
    kept = hvd.callbacks.on_every_rank(keras.callbacks.CSVLogger("a.csv"))
    cbs = keras.callbacks.CallbackList([keras.callbacks.CSVLogger("b.csv"), kept,
                                        keras.callbacks.EarlyStopping()], add_history=True, add_progbar=True)
    fit_hook.DistributeHook().prepare_callbacks(None, cbs)
    names = [type(cb).__name__ for cb in cbs]
    assert names == ["CSVLogger", "EarlyStopping", "History", "StepSync"] and cbs.callbacks[0] is kept
    with pytest.raises(TypeError, match="Expected a Callback"):
        hvd.callbacks.on_every_rank("csv")


# ----- BatchNormalization(synchronized=True) ------------------------------------------------------
def test_synchronized_batch_norm_in_one_process_is_plain_batch_norm():
    x = np.random.default_rng(0).normal(size=(6, 3, 3, 2)).astype("float32")
    plain = keras.layers.BatchNormalization(momentum=0.5)
    synced = keras.layers.BatchNormalization(momentum=0.5, synchronized=True)
    np.testing.assert_array_equal(plain(x, training=True).numpy(), synced(x, training=True).numpy())
    np.testing.assert_array_equal(plain.moving_variance.numpy(), synced.moving_variance.numpy())
    config = synced.get_config()
    assert config["synchronized"] is True
    assert keras.layers.BatchNormalization.from_config(config).synchronized is True


def test_synchronized_must_be_a_bool():
    with pytest.raises(ValueError, match="Invalid value for argument `synchronized`.*Received: synchronized='yes'"):
        keras.layers.BatchNormalization(synchronized="yes")


def test_the_hook_shards_arrays_and_warns_that_a_generator_is_read_whole(monkeypatch):
    from kerasette.models.data_adapters import ArrayAdapter, GeneratorAdapter

    monkeypatch.setattr(fit_hook._runtime, "size", lambda: 2)
    monkeypatch.setattr(fit_hook._runtime, "rank", lambda: 1)
    hook = fit_hook.DistributeHook()
    arrays = ArrayAdapter([np.zeros((10, 1))], batch_size=2, shuffle=True, seed=5)
    hook.prepare_data(None, arrays)
    assert (arrays.sharding.rank, arrays.sharding.size, arrays.num_batches) == (1, 2, 3)
    generator = GeneratorAdapter.__new__(GeneratorAdapter)
    with pytest.warns(UserWarning, match="is not sharded: every rank reads all of it"):
        hook.prepare_data(None, generator)
