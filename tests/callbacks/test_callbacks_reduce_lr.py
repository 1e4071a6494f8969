"""ReduceLROnPlateau: when the learning rate drops, cooldown, min_lr, logged values."""

import pytest
from callback_fakes import FakeModel, run_fit, val_loss_logs

from kerasette.callbacks import ReduceLROnPlateau


def fit_lrs(callback, values, lr=1.0, key="val_loss"):
    model = FakeModel(learning_rate=lr)
    model, history = run_fit([callback], val_loss_logs(values, key=key), model=model)
    return history.history["learning_rate"], model.optimizer.learning_rate


def test_reduces_after_patience_epochs_on_plateau():
    logged, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=2), [1.0] * 6)
    assert logged == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    assert final == 0.25


def test_improvement_resets_patience():
    logged, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=2), [1.0, 1.0, 0.5, 0.5, 0.5])
    assert logged == [1.0] * 5
    assert final == 0.5


def test_cooldown_delays_next_reduction():
    logged, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=1), [1.0] * 4)
    assert logged == [1.0, 1.0, 0.5, 0.25]
    logged, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2), [1.0] * 6)
    assert logged == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert final == 0.125


def test_min_lr_is_a_floor():
    logged, final = fit_lrs(ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.05), [1.0] * 5)
    assert logged == pytest.approx([1.0, 1.0, 0.1, 0.05, 0.05])
    assert final == pytest.approx(0.05)


def test_min_delta_needs_a_real_improvement():
    values = [1.0, 0.99995, 0.99993, 0.99991]
    _, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=3), values)
    assert final == 0.5
    _, final = fit_lrs(ReduceLROnPlateau(factor=0.5, patience=3, min_delta=0), values)
    assert final == 1.0


def test_max_mode_for_accuracy():
    callback = ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=1)
    assert callback.mode == "max"
    _, final = fit_lrs(callback, [0.5, 0.6, 0.7], key="val_accuracy")
    assert final == 1.0
    _, final = fit_lrs(callback, [0.7, 0.6, 0.7], key="val_accuracy")
    assert final == 0.25


def test_state_resets_between_fits():
    callback = ReduceLROnPlateau(factor=0.5, patience=2)
    fit_lrs(callback, [0.1, 1.0])
    _, final = fit_lrs(callback, [1.0, 1.0])
    assert final == 1.0


def test_verbose_message(capsys):
    fit_lrs(ReduceLROnPlateau(factor=0.5, patience=1, verbose=1), [1.0, 1.0])
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5." in capsys.readouterr().out


def test_missing_monitor_warns_with_available_keys():
    model = FakeModel(learning_rate=1.0)
    with pytest.warns(UserWarning, match="Available metrics are: loss, learning_rate"):
        run_fit([ReduceLROnPlateau(patience=0)], [{"loss": 1.0}] * 2, model=model)
    assert model.optimizer.learning_rate == 1.0


@pytest.mark.parametrize("factor", [1.0, 2.0])
def test_factor_at_least_one_is_rejected(factor):
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(factor=factor)


def test_invalid_mode_is_rejected():
    with pytest.raises(ValueError, match="mode"):
        ReduceLROnPlateau(mode="down")


def test_schedule_optimizer_raises_type_error_on_reduction():
    model = FakeModel(learning_rate=1.0, schedule=True)
    with pytest.raises(TypeError):
        run_fit([ReduceLROnPlateau(patience=1)], val_loss_logs([1.0, 1.0]), model=model)
