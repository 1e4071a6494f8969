"""TerminateOnNaN: stops at the first non-finite training loss."""

import math

import pytest
from callback_fakes import run_fit

from kerasette.callbacks import TerminateOnNaN


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_stops_at_the_bad_batch(bad, capsys):
    def batch_loss(epoch, batch):
        return bad if (epoch, batch) == (1, 2) else 1.0

    model, history = run_fit([TerminateOnNaN()], [{"loss": 1.0}] * 4, steps=5, batch_loss=batch_loss)
    assert model.stop_training is True
    assert model.trained_batches == 5 + 3
    assert history.epoch == [0, 1]
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_losses_run_to_the_end(capsys):
    model, history = run_fit([TerminateOnNaN()], [{"loss": 1.0}] * 3, steps=4)
    assert model.stop_training is False
    assert history.epoch == [0, 1, 2]
    assert capsys.readouterr().out == ""


def test_ignores_logs_without_loss():
    cb = TerminateOnNaN()
    cb.on_train_batch_end(0, {"accuracy": math.nan})
    cb.on_train_batch_end(0, None)
