"""The examples in the callbacks' docstrings run and print what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "callback", "callback_list", "history", "lambda_callback", "_format",
    "early_stopping", "reduce_lr_on_plateau", "learning_rate_scheduler",
    "terminate_on_nan", "csv_logger", "progbar_logger", "swap_ema_weights", "remote_monitor",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"kerasette.callbacks.{name}")
    result = doctest.testmod(module)
    assert result.failed == 0
