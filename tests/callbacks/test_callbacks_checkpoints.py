"""ModelCheckpoint and BackupAndRestore against real fit and real files."""

import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import callbacks, layers


def model_and_data(seed=0):
    ks.utils.set_random_seed(seed)
    model = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                           layers.Dense(3, activation="softmax")])
    model.compile(optimizer=ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60, 4)).astype("float32")
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)
    return model, x, y


def test_filepath_template_writes_one_file_per_epoch(tmp_path):
    model, x, y = model_and_data()
    template = str(tmp_path / "w.{epoch:02d}-{val_loss:.2f}.weights.h5")
    history = model.fit(x, y, epochs=3, validation_split=0.2, verbose=0, shuffle=False,
                        callbacks=[callbacks.ModelCheckpoint(template, save_weights_only=True)])
    names = sorted(os.listdir(tmp_path))
    expected = sorted(f"w.{e + 1:02d}-{v:.2f}.weights.h5" for e, v in enumerate(history.history["val_loss"]))
    assert names == expected
    clone, _, _ = model_and_data(seed=1)
    clone.load_weights(str(tmp_path / names[-1]))  # epoch 3, the last one written
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_best_only_keeps_the_best_model(tmp_path):
    model, x, y = model_and_data()
    path = str(tmp_path / "best.keras")
    saved_at = []

    class Spy(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            saved_at.append(os.path.getmtime(path) if os.path.exists(path) else None)

    checkpoint = callbacks.ModelCheckpoint(path, monitor="val_accuracy", save_best_only=True)
    history = model.fit(x, y, epochs=6, validation_split=0.2, verbose=0, callbacks=[checkpoint, Spy()])
    best = max(history.history["val_accuracy"])
    assert checkpoint.best == pytest.approx(best)
    restored = ks.models.load_model(path)
    assert restored.evaluate(x[48:], y[48:], verbose=0)[1] == pytest.approx(best, abs=1e-6)


def test_save_freq_in_batches(tmp_path):
    model, x, y = model_and_data()
    template = str(tmp_path / "b{epoch}-{batch}.weights.h5")
    model.fit(x, y, epochs=2, batch_size=10, verbose=0,
              callbacks=[callbacks.ModelCheckpoint(template, save_weights_only=True, save_freq=4)])
    assert sorted(os.listdir(tmp_path)) == ["b1-4.weights.h5", "b2-2.weights.h5", "b2-6.weights.h5"]


def test_missing_monitor_key_warns_with_available_keys(tmp_path):
    model, x, y = model_and_data()
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_loss", save_best_only=True)
    with pytest.warns(UserWarning, match="val_loss.*Available metrics are: loss, accuracy"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[checkpoint])
    assert not os.path.exists(tmp_path / "m.keras")


def test_bad_checkpoint_arguments():
    with pytest.raises(ValueError, match="filepath"):
        callbacks.ModelCheckpoint("model.txt")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ModelCheckpoint("m.keras", save_freq=0)


class Crash(callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt("simulated interruption")


def test_backup_and_restore_resumes_an_interrupted_fit(tmp_path):
    reference, x, y = model_and_data()
    reference.fit(x, y, epochs=4, batch_size=10, shuffle=False, verbose=0)

    model, _, _ = model_and_data()
    backup = callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=4, batch_size=10, shuffle=False, verbose=0, callbacks=[backup, Crash(2)])

    fresh, _, _ = model_and_data(seed=5)  # a new process would start from other weights
    history = fresh.fit(x, y, epochs=4, batch_size=10, shuffle=False, verbose=0, callbacks=[backup])
    assert history.epoch == [2, 3]
    for a, b in zip(reference.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert os.listdir(tmp_path / "backup") == []  # deleted after the fit completed
