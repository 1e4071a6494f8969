"""LambdaCallback: the functions passed are called as the hooks."""

import pytest
from callback_fakes import run_fit

from kerasette.callbacks import LambdaCallback


def test_hooks_are_called_in_fit_order_with_arguments():
    events = []
    cb = LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: events.append(("epoch_begin", epoch)),
        on_train_batch_begin=lambda batch, logs: events.append(("batch_begin", batch)),
        on_train_batch_end=lambda batch, logs: events.append(("batch_end", batch, logs["loss"])),
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, logs["val_loss"])),
        on_train_end=lambda logs: events.append("train_end"),
        on_test_end=lambda logs: events.append(("test_end", logs["loss"])),
    )
    run_fit([cb], [{"loss": 0.5, "val_loss": 0.25}], steps=2)
    assert events == [
        "train_begin",
        ("epoch_begin", 0),
        ("batch_begin", 0), ("batch_end", 0, 0.5),
        ("batch_begin", 1), ("batch_end", 1, 0.5),
        ("test_end", 0.25),
        ("epoch_end", 0, 0.25),
        "train_end",
    ]


def test_unset_hooks_do_nothing():
    cb = LambdaCallback()
    run_fit([cb], [{"loss": 1.0}])


def test_legacy_batch_hook_by_keyword():
    seen = []
    run_fit([LambdaCallback(on_batch_end=lambda batch, logs: seen.append(batch))], [{"loss": 1.0}], steps=3)
    assert seen == [0, 1, 2]


def test_unknown_hook_name_raises():
    with pytest.raises(TypeError, match="on_epoch_ends"):
        LambdaCallback(on_epoch_ends=lambda epoch, logs: None)


def test_non_callable_raises():
    with pytest.raises(TypeError, match="callable"):
        LambdaCallback(on_epoch_end=3)
