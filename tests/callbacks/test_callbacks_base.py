"""Callback base class and CallbackList: hooks, params, model, default callbacks."""

import pytest
from callback_fakes import FakeModel, run_fit

from kerasette.callbacks import Callback, CallbackList, EarlyStopping, History, ProgbarLogger


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_batch_begin(self, batch, logs=None):
        self.events.append(("batch_begin", batch))

    def on_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, dict(logs)))


def test_base_hooks_exist_and_do_nothing():
    cb = Callback()
    for name in ["on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                 "on_predict_begin", "on_predict_end"]:
        assert getattr(cb, name)({}) is None
    for name in ["on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
                 "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                 "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end"]:
        assert getattr(cb, name)(0, {}) is None
    assert cb.model is None and cb.params is None


def test_set_model_and_params():
    cb, model = Callback(), FakeModel()
    cb.set_model(model)
    cb.set_params({"epochs": 3})
    assert cb.model is model
    assert cb.params == {"epochs": 3}


def test_subclass_without_super_init_still_works():
    class Lazy(Callback):
        def __init__(self):
            pass

    cb = Lazy()
    assert cb.model is None
    cb.set_model("m")
    assert cb.model == "m"


def test_train_batch_hooks_forward_to_legacy_batch_hooks():
    rec = Recorder()
    run_fit([rec], [{"loss": 1.0}], steps=2)
    assert [e for e in rec.events if e[0] != "epoch_end"] == [
        ("batch_begin", 0), ("batch_end", 0), ("batch_begin", 1), ("batch_end", 1)]


def test_callback_list_adds_history_then_progbar_after_user_callbacks():
    rec = Recorder()
    cbs = CallbackList([rec], add_history=True, add_progbar=True)
    assert cbs.callbacks[0] is rec
    assert isinstance(cbs.callbacks[1], History)
    assert isinstance(cbs.callbacks[2], ProgbarLogger)


def test_callback_list_keeps_user_history_and_progbar():
    history, progbar = History(), ProgbarLogger()
    cbs = CallbackList([progbar, history], add_history=True, add_progbar=True)
    assert cbs.callbacks == [progbar, history]
    assert cbs.history is history and cbs.progbar is progbar


def test_callback_list_sets_model_history_and_params():
    model, rec = FakeModel(), Recorder()
    cbs = CallbackList([rec], add_history=True, model=model, verbose=0, epochs=4, steps=7)
    assert model.history is cbs.history
    assert rec.model is model and cbs.history.model is model
    assert rec.params == {"verbose": 0, "epochs": 4, "steps": 7}


def test_callback_list_accepts_none_single_and_nested_and_copies():
    assert len(CallbackList(None)) == 0
    single = Callback()
    assert CallbackList(single).callbacks == [single]
    a, b = Callback(), Callback()
    user = [a, [b]]
    cbs = CallbackList(user, add_history=True)
    assert cbs.callbacks[:2] == [a, b]
    assert user == [a, [b]]


def test_callback_list_rejects_non_callbacks():
    with pytest.raises(TypeError, match="Callback"):
        CallbackList([object()])


def test_callback_list_passes_one_logs_dict_that_callbacks_can_extend():
    class AddKey(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["extra"] = 1.0

    rec = Recorder()
    logs = {"loss": 0.5}
    cbs = CallbackList([AddKey(), rec])
    cbs.on_epoch_end(0, logs)
    assert rec.events[-1] == ("epoch_end", 0, {"loss": 0.5, "extra": 1.0})
    assert logs["extra"] == 1.0
    cbs.on_epoch_end(1)  # None logs become a dict
    assert rec.events[-1] == ("epoch_end", 1, {"extra": 1.0})


def test_callbacks_can_be_reused_across_fits():
    stopper = EarlyStopping(monitor="val_loss", patience=0)
    model = FakeModel()
    run_fit([stopper], [{"val_loss": 1.0}, {"val_loss": 2.0}, {"val_loss": 0.5}], model=model)
    assert stopper.stopped_epoch == 1
    _, history = run_fit([stopper], [{"val_loss": 1.0}, {"val_loss": 0.5}], model=model)
    assert stopper.stopped_epoch == 0
    assert history.epoch == [0, 1]
