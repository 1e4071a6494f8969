"""EarlyStopping: when it stops, what it restores, and how its options change that."""

import pytest
from callback_fakes import FakeModel, run_fit, val_loss_logs

from kerasette.callbacks import EarlyStopping


def epochs_run(history):
    return len(history.epoch)


def test_stops_after_patience_epochs_without_improvement():
    stopper = EarlyStopping(monitor="val_loss", patience=2)
    _, history = run_fit([stopper], val_loss_logs([1.0, 0.9, 0.95, 0.96, 0.97, 0.5]))
    assert stopper.stopped_epoch == 3
    assert epochs_run(history) == 4
    assert stopper.best == 0.9 and stopper.best_epoch == 1


def test_patience_zero_stops_at_first_non_improvement_but_not_while_improving():
    stopper = EarlyStopping(patience=0)
    _, history = run_fit([stopper], val_loss_logs([1.0, 0.9, 0.95, 0.5]))
    assert epochs_run(history) == 3
    _, history = run_fit([stopper], val_loss_logs([1.0, 0.9, 0.8, 0.7]))
    assert epochs_run(history) == 4 and stopper.stopped_epoch == 0


def test_never_stops_on_first_epoch():
    stopper = EarlyStopping(patience=0, baseline=0.1)
    _, history = run_fit([stopper], val_loss_logs([1.0, 2.0]))
    assert stopper.stopped_epoch == 1


def test_restore_best_weights_when_stopping():
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    model, _ = run_fit([stopper], val_loss_logs([1.0, 0.5, 0.7, 0.8, 0.1]))
    assert stopper.stopped_epoch == 3
    assert model.epoch_of_weights() == 1
    assert all((w == 1).all() for w in model.weights)


def test_restore_best_weights_at_end_without_stopping():
    stopper = EarlyStopping(patience=5, restore_best_weights=True)
    model, history = run_fit([stopper], val_loss_logs([1.0, 0.5, 0.7]))
    assert epochs_run(history) == 3
    assert model.epoch_of_weights() == 1


def test_weights_kept_without_restore_best_weights():
    stopper = EarlyStopping(patience=2)
    model, _ = run_fit([stopper], val_loss_logs([1.0, 0.5, 0.7, 0.8, 0.1]))
    assert model.epoch_of_weights() == 3


def test_min_delta_ignores_small_improvements():
    logs = val_loss_logs([1.0, 0.95, 0.92, 0.91, 0.9])
    _, history = run_fit([EarlyStopping(patience=2, min_delta=0.1)], logs)
    assert epochs_run(history) == 3
    _, history = run_fit([EarlyStopping(patience=2)], logs)
    assert epochs_run(history) == 5


def test_min_delta_sign_is_ignored():
    stopper = EarlyStopping(patience=2, min_delta=-0.1)
    assert stopper.min_delta == 0.1


@pytest.mark.parametrize("monitor, mode", [
    ("val_loss", "min"), ("loss", "min"), ("val_mae", "min"),
    ("val_accuracy", "max"), ("accuracy", "max"), ("val_acc", "max"),
    ("val_auc", "max"), ("sparse_categorical_accuracy", "max"),
])
def test_auto_mode_picks_direction_from_name(monitor, mode):
    assert EarlyStopping(monitor=monitor).mode == mode


def test_auto_mode_on_accuracy_stops_when_accuracy_stops_rising():
    stopper = EarlyStopping(monitor="val_accuracy", patience=2)
    logs = val_loss_logs([0.5, 0.6, 0.55, 0.58, 0.9], key="val_accuracy")
    _, history = run_fit([stopper], logs)
    assert stopper.stopped_epoch == 3 and stopper.best == 0.6


def test_explicit_mode_overrides_name():
    stopper = EarlyStopping(monitor="val_loss", mode="max", patience=1)
    _, history = run_fit([stopper], val_loss_logs([1.0, 0.5, 2.0]))
    assert stopper.stopped_epoch == 1


def test_start_from_epoch_ignores_warm_up_epochs():
    logs = val_loss_logs([0.1, 5.0, 4.0, 3.0, 2.0])
    _, history = run_fit([EarlyStopping(patience=1)], logs)
    assert epochs_run(history) == 2
    stopper = EarlyStopping(patience=1, start_from_epoch=2)
    _, history = run_fit([stopper], logs)
    assert epochs_run(history) == 5 and stopper.best == 2.0


def test_baseline_not_reached_stops_after_patience():
    stopper = EarlyStopping(patience=2, baseline=0.5)
    _, history = run_fit([stopper], val_loss_logs([0.9, 0.8, 0.7, 0.6, 0.4]))
    assert stopper.stopped_epoch == 1
    assert epochs_run(history) == 2


def test_baseline_reached_then_patience_counts_from_best():
    stopper = EarlyStopping(patience=2, baseline=0.5)
    _, history = run_fit([stopper], val_loss_logs([0.9, 0.4, 0.45, 0.46, 0.3]))
    assert stopper.stopped_epoch == 3


def test_baseline_in_max_mode():
    stopper = EarlyStopping(monitor="val_accuracy", patience=1, baseline=0.9)
    logs = val_loss_logs([0.5, 0.6, 0.95], key="val_accuracy")
    _, history = run_fit([stopper], logs)
    assert stopper.stopped_epoch == 1


def test_missing_monitor_warns_with_available_keys_and_never_stops():
    stopper = EarlyStopping(monitor="val_accuracy", patience=0)
    logs = [{"loss": 1.0, "accuracy": 0.5}] * 3
    with pytest.warns(UserWarning, match=r"`val_accuracy`.*Available metrics are: loss, accuracy"):
        _, history = run_fit([stopper], logs)
    assert epochs_run(history) == 3


def test_verbose_messages(capsys):
    stopper = EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    run_fit([stopper], val_loss_logs([1.0, 0.5, 0.7, 0.2]))
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_silent_by_default(capsys):
    run_fit([EarlyStopping(patience=1)], val_loss_logs([1.0, 0.5, 0.7]))
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("kwargs, match", [
    ({"mode": "lowest"}, "mode"),
    ({"patience": -1}, "patience"),
    ({"start_from_epoch": -2}, "start_from_epoch"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs)


def test_restore_with_no_monitored_epoch_keeps_weights():
    stopper = EarlyStopping(monitor="val_loss", restore_best_weights=True, start_from_epoch=5)
    model = FakeModel()
    model, _ = run_fit([stopper], val_loss_logs([1.0, 0.5]), model=model)
    assert model.epoch_of_weights() == 1
