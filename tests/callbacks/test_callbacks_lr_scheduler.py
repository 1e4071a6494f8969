"""LearningRateScheduler: sets the learning rate each epoch and logs it."""

import pytest
from callback_fakes import FakeModel, run_fit

from kerasette.callbacks import LambdaCallback, LearningRateScheduler


def test_sets_learning_rate_at_epoch_begin_and_logs_it():
    seen = []
    spy = LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(model.optimizer.learning_rate))
    model = FakeModel(learning_rate=1.0)
    scheduler = LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr * 0.5)
    _, history = run_fit([scheduler, spy], [{"loss": 1.0}] * 3, model=model)
    assert seen == [1.0, 0.5, 0.25]
    assert history.history["learning_rate"] == [1.0, 0.5, 0.25]
    assert model.optimizer.learning_rate == 0.25


def test_schedule_receives_epoch_and_current_lr():
    calls = []

    def schedule(epoch, lr):
        calls.append((epoch, lr))
        return 0.1

    run_fit([LearningRateScheduler(schedule)], [{"loss": 1.0}] * 2, model=FakeModel(learning_rate=0.3))
    assert calls == [(0, 0.3), (1, 0.1)]


def test_one_argument_schedule_is_accepted():
    model = FakeModel()
    _, history = run_fit([LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1))],
                         [{"loss": 1.0}] * 3, model=model)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.2, 0.3])


def test_integer_result_is_converted_to_float():
    model = FakeModel()
    run_fit([LearningRateScheduler(lambda epoch, lr: 1)], [{"loss": 1.0}], model=model)
    assert model.optimizer.learning_rate == 1.0
    assert isinstance(model.optimizer.learning_rate, float)


def test_non_numeric_result_raises():
    with pytest.raises(ValueError, match="should be a float"):
        run_fit([LearningRateScheduler(lambda epoch, lr: "fast")], [{"loss": 1.0}])


def test_non_callable_schedule_raises():
    with pytest.raises(ValueError, match="schedule"):
        LearningRateScheduler(0.1)


def test_schedule_optimizer_raises_type_error():
    with pytest.raises(TypeError):
        run_fit([LearningRateScheduler(lambda e, lr: lr)], [{"loss": 1.0}],
                model=FakeModel(schedule=True))


def test_verbose_message(capsys):
    run_fit([LearningRateScheduler(lambda e, lr: 0.5, verbose=1)], [{"loss": 1.0}])
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in capsys.readouterr().out
