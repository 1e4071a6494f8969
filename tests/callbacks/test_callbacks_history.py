"""History: per-epoch log lists, epoch indices, model.history."""

from callback_fakes import FakeModel, run_fit

from kerasette.callbacks import History, ReduceLROnPlateau


def test_history_records_each_epoch():
    logs = [
        {"loss": 0.9, "accuracy": 0.5, "val_loss": 1.0, "val_accuracy": 0.4},
        {"loss": 0.7, "accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.5},
        {"loss": 0.5, "accuracy": 0.7, "val_loss": 0.7, "val_accuracy": 0.6},
    ]
    model, history = run_fit([], logs)
    assert isinstance(history, History)
    assert model.history is history
    assert history.epoch == [0, 1, 2]
    assert history.history == {
        "loss": [0.9, 0.7, 0.5],
        "accuracy": [0.5, 0.6, 0.7],
        "val_loss": [1.0, 0.8, 0.7],
        "val_accuracy": [0.4, 0.5, 0.6],
    }


def test_history_sees_keys_added_by_user_callbacks():
    model = FakeModel(learning_rate=0.1)
    _, history = run_fit([ReduceLROnPlateau(patience=1, factor=0.5)],
                         [{"loss": 1.0, "val_loss": 1.0}] * 3, model=model)
    assert history.history["learning_rate"] == [0.1, 0.1, 0.05]


def test_each_fit_gets_a_new_history():
    model = FakeModel()
    _, first = run_fit([], [{"loss": 1.0}], model=model)
    _, second = run_fit([], [{"loss": 2.0}, {"loss": 1.5}], model=model)
    assert first is not second
    assert first.history == {"loss": [1.0]}
    assert second.history == {"loss": [2.0, 1.5]}
