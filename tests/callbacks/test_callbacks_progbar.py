"""ProgbarLogger: what fit/evaluate/predict print for each verbose mode."""

import io
import re
import sys

import pytest
from callback_fakes import run_fit

from kerasette.callbacks import CallbackList, ProgbarLogger, progbar_logger
from kerasette.callbacks._format import format_duration, format_logs, format_value

LOGS = [
    {"loss": 0.54321, "accuracy": 0.81234, "val_loss": 0.6, "val_accuracy": 0.75},
    {"loss": 0.43219, "accuracy": 0.85, "val_loss": 0.55, "val_accuracy": 0.8},
]
TIME = r"\d+(s|ms|us)"


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_verbose_1_without_terminal_prints_one_plain_line_per_epoch(capsys):
    run_fit([], LOGS, verbose=1, steps=3)
    out = capsys.readouterr().out
    assert "\r" not in out
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(
        rf"Epoch 1/2 - {TIME} - loss: 0\.5432 - accuracy: 0\.8123 - val_loss: 0\.6000 - "
        r"val_accuracy: 0\.7500", lines[0])
    assert lines[1].startswith("Epoch 2/2 - ")
    assert lines[1].endswith("loss: 0.4322 - accuracy: 0.8500 - val_loss: 0.5500 - val_accuracy: 0.8000")


def test_verbose_2_prints_one_line_per_epoch_with_time(capsys):
    run_fit([], LOGS, verbose=2, steps=3)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"Epoch 2/2 - {TIME} - loss: 0\.4322 - accuracy: 0\.8500 - .*", lines[1])


def test_verbose_2_on_a_terminal_is_still_one_line(monkeypatch):
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term)
    run_fit([], LOGS, verbose=2, steps=3)
    assert "\r" not in term.getvalue()
    assert len(term.getvalue().splitlines()) == 2


def test_verbose_0_prints_nothing(capsys):
    run_fit([], LOGS, verbose=0)
    run_fit([ProgbarLogger()], LOGS, verbose=0)
    assert capsys.readouterr().out == ""


def test_verbose_1_on_a_terminal_draws_a_bar(monkeypatch):
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term)
    run_fit([], LOGS, verbose=1, steps=4)
    out = term.getvalue()
    assert "Epoch 1/2\n" in out and "Epoch 2/2\n" in out
    assert "\r" in out
    final_lines = [line.split("\r")[-1].rstrip() for line in out.split("\n") if "\r" in line]
    assert len(final_lines) == 2
    last = final_lines[1]
    assert last.startswith("4/4 |")
    assert "step/s" in last
    assert last.endswith("loss: 0.4322 - accuracy: 0.8500 - val_loss: 0.5500 - val_accuracy: 0.8000")


def test_bar_redraws_are_rate_limited(monkeypatch):
    calls = []

    def counting_format(logs):
        calls.append(dict(logs or {}))
        return format_logs(logs)

    monkeypatch.setattr(progbar_logger, "format_logs", counting_format)
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    bar = ProgbarLogger(refresh_interval=60.0)
    run_fit([bar], [{"loss": 1.0}], verbose=1, steps=200)
    # Only the last batch (forced) and the epoch end are formatted, not all 200.
    assert len(calls) == 2


def test_validation_inside_fit_prints_no_extra_lines(capsys):
    run_fit([], LOGS, verbose=1, steps=2, validation_steps=3)
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_unknown_steps_uses_the_count_seen(monkeypatch):
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term)
    bar = ProgbarLogger()
    run_fit([bar], LOGS, verbose=1, steps=None)
    assert bar.target == 2
    assert term.getvalue().split("\n")[-2].split("\r")[-1].startswith("2/2 |")


def drive_evaluate(verbose, steps=3):
    cbs = CallbackList([], add_progbar=True, verbose=verbose, epochs=1, steps=steps)
    cbs.on_test_begin()
    for batch in range(steps):
        cbs.on_test_batch_begin(batch)
        cbs.on_test_batch_end(batch, {"loss": 0.25, "accuracy": 0.5})
    cbs.on_test_end({"loss": 0.25, "accuracy": 0.5})


def drive_predict(verbose, steps=3):
    cbs = CallbackList([], add_progbar=True, verbose=verbose, epochs=1, steps=steps)
    cbs.on_predict_begin()
    for batch in range(steps):
        cbs.on_predict_batch_begin(batch)
        cbs.on_predict_batch_end(batch, {"outputs": [0.0]})
    cbs.on_predict_end()


@pytest.mark.parametrize("verbose", [1, 2])
def test_evaluate_prints_one_line(verbose, capsys):
    drive_evaluate(verbose)
    out = capsys.readouterr().out
    assert re.fullmatch(rf"3/3 - {TIME} - loss: 0\.2500 - accuracy: 0\.5000\n", out)


def test_predict_prints_count_and_time(capsys):
    drive_predict(1)
    assert re.fullmatch(rf"3/3 - {TIME}\n", capsys.readouterr().out)


def test_evaluate_and_predict_bars_on_a_terminal(monkeypatch):
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term)
    drive_evaluate(1)
    drive_predict(1)
    lines = [line.split("\r")[-1].rstrip() for line in term.getvalue().split("\n") if line]
    assert len(lines) == 2
    assert lines[0].startswith("3/3 |") and lines[0].endswith("loss: 0.2500 - accuracy: 0.5000")
    assert lines[1].startswith("3/3 |")


def test_params_come_from_the_callback_list():
    bar = ProgbarLogger()
    CallbackList([bar], verbose=2, epochs=7, steps=11)
    assert (bar.verbose, bar.epochs, bar.target) == (2, 7, 11)
    CallbackList([bar], verbose="auto", epochs=1, steps=None)
    assert bar.verbose == 1


@pytest.mark.parametrize("value, text", [
    (0.54321, "0.5432"), (1.0, "1.0000"), (123.456789, "123.4568"), (-0.25, "-0.2500"),
    (0.0001234, "1.2340e-04"), (0.0, "0.0000e+00"), (float("nan"), "nan"), ("n/a", "n/a"),
])
def test_format_value(value, text):
    assert format_value(value) == text


@pytest.mark.parametrize("seconds, text", [(12.4, "12s"), (1.0, "1s"), (0.25, "250ms"), (5e-5, "50us")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
