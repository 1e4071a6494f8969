"""The image-folder example learns from PNG files it writes from the real Fashion-MNIST (a small run)."""

import os
import sys

import pytest

import kerasette as ks

pytestmark = pytest.mark.slow
pytest.importorskip("PIL")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "examples"))

import image_folder_training  # noqa: E402


def test_the_example_trains_from_an_image_folder_with_augmentation(tmp_path, capsys):
    try:
        ks.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:  # no copy of the data on this machine
        pytest.skip(f"Fashion-MNIST not available: {error}")
    folder = tmp_path / "pngs"
    accuracy = image_folder_training.main(["--per-class", "150", "--epochs", "4", "--folder", str(folder)])
    assert accuracy > 0.55  # 1,200 training images, 4 epochs (0.68 measured); chance is 0.10
    assert sorted(os.listdir(folder)) == sorted(image_folder_training.CLASS_NAMES)
    assert sum(len(os.listdir(folder / name)) for name in os.listdir(folder)) == 1500
    out = capsys.readouterr().out
    assert "Found 1500 files belonging to 10 classes." in out and "test accuracy" in out
