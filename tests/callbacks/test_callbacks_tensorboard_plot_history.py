"""examples/plot_history.py: History curves to PNG with matplotlib, and a clear message without it."""

import sys

import numpy as np
import pytest
from example_scripts import load_example

HISTORY = {"loss": [0.9, 0.6, 0.5], "accuracy": [0.6, 0.7, 0.8], "val_loss": [1.0, 0.8, 0.7],
           "val_accuracy": [0.5, 0.6, 0.7], "learning_rate": [0.01, 0.01, 0.005]}


def test_one_panel_per_metric_saved_as_png(tmp_path):
    image = pytest.importorskip("matplotlib.image")
    path = tmp_path / "history.png"
    plotted = load_example("plot_history").plot_history(HISTORY, path, title="run")
    assert plotted == ["loss", "accuracy", "learning_rate"]
    pixels = image.imread(path)
    assert pixels.shape[1] > 2 * pixels.shape[0] and pixels.shape[2] in (3, 4)  # three panels side by side
    assert len(np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0)) > 20  # something was drawn


def test_without_matplotlib_a_clear_message(tmp_path, monkeypatch, capsys):
    example = load_example("plot_history")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="needs matplotlib, which kerasette does not install: pip install matplotlib"):
        example.plot_history(HISTORY, tmp_path / "h.png")
    assert example.main(["--out", str(tmp_path / "h.png")]) == 1
    assert "pip install matplotlib" in capsys.readouterr().err
    assert not (tmp_path / "h.png").exists()


def test_the_script_trains_plots_and_logs(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, logdir = tmp_path / "history.png", tmp_path / "logs"
    arguments = ["--epochs", "2", "--limit", "256", "--out", str(out), "--logdir", str(logdir)]
    assert load_example("plot_history").main(arguments) == 0
    assert out.stat().st_size > 1000
    assert sorted(p.name for p in logdir.iterdir()) == ["train", "validation"]
    assert "saved" in capsys.readouterr().out
