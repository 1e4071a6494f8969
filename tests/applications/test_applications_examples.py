"""The serving and transfer-learning examples run (tiny settings here; the README has the full figures)."""

import importlib.util
import os

import numpy as np
import pytest
from apps_fixtures import fashion_test_set

import kerasette as ks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", os.path.join(ROOT, "examples", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_predict_prints_top3_for_test_images(capsys):
    fashion_test_set()
    results = load_example("predict").main(["--application", "LeNet5", "--images", "4"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("test image")]
    assert len(lines) == 4 and all(line.count(",") == 2 for line in lines)
    assert len(results) == 4 and all(len(ranked) == 3 for ranked in results)
    assert lines[0].startswith("test image 0 (true: Ankle boot): Ankle boot")  # the first test image


def test_predict_serves_a_saved_model(tmp_path, capsys):
    fashion_test_set()
    model = ks.Sequential([ks.Input((28, 28, 1)), ks.layers.Flatten(), ks.layers.Dense(10, activation="softmax")])
    path = str(tmp_path / "served.keras")
    model.save(path)
    results = load_example("predict").main(["--model", path, "--images", "2", "--top", "3"])
    assert len(results) == 2 and len(results[0]) == 3
    assert path in capsys.readouterr().out


def test_predict_reads_pictures_with_pillow(tmp_path, capsys):
    image_module = pytest.importorskip("PIL.Image")
    picture = np.full((56, 56), 255, np.uint8)  # a dark item on a white background, twice the size
    picture[10:46, 20:36] = 30
    path = str(tmp_path / "item.png")
    image_module.fromarray(picture).save(path)
    results = load_example("predict").main(["--application", "ResNetSmall", path])
    assert len(results) == 1 and "item.png" in capsys.readouterr().out


@pytest.mark.slow
def test_transfer_learning_example_runs_on_a_tiny_budget(capsys):
    fashion_test_set()
    results = load_example("transfer_learning").main(["--limit", "256", "--epochs", "1", "--budget", "64",
                                                      "--finetune-epochs", "1"])
    first, second = results["part1"]
    transfer, scratch = results["part2"]
    assert all(0.0 <= value <= 1.0 for value in (first, second, transfer, scratch))
    out = capsys.readouterr().out
    assert "classifier only on classes 5-9" in out and "from scratch" in out
