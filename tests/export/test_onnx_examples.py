"""examples/export_onnx.py and ``examples/predict.py --onnx``: the served file runs with onnxruntime alone."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest
from onnx_helpers import onnx  # noqa: F401  (skips without onnx/onnxruntime)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"onnx_example_{name}", os.path.join(ROOT, "examples", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def local_test_set():
    """Skip unless the Fashion-MNIST test files are on this machine (the examples must not download)."""
    predict = load_example("predict")
    try:
        return predict.fashion_mnist_test_set(8)
    except SystemExit as error:
        pytest.skip(str(error))


def run_without_kerasette(*argv):
    """Run examples/predict.py in a fresh interpreter where `import kerasette` fails."""
    code = ("import runpy, sys; sys.modules['kerasette'] = None; sys.argv = ['predict.py'] + sys.argv[1:]; "
            "runpy.run_path('examples/predict.py', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_export_example_writes_served_files_that_match_predict(tmp_path, capsys):
    local_test_set()
    rows = load_example("export_onnx").main(["--out", str(tmp_path), "--images", "64", "--only", "LeNet5",
                                             "MobileNetSmall"])
    assert [row[0] for row in rows] == ["LeNet5", "MobileNetSmall"]
    assert all(difference <= 1e-4 and agreement == 1.0 for _, difference, agreement, _ in rows)
    assert sorted(os.listdir(tmp_path)) == ["lenet5.onnx", "mobilenet_small.onnx"]
    assert "| LeNet5 |" in capsys.readouterr().out


def test_predict_serves_an_onnx_file_without_kerasette(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    served = load_example("export_onnx").served_model("ResNetSmall")[1]
    path = str(tmp_path / "resnet_small.onnx")
    served.export(path, format="onnx", verbose=False, metadata={"preprocessing": "none"})
    picture = np.full((56, 56), 255, np.uint8)  # a dark item on a white background, twice the size
    picture[10:46, 20:36] = 30
    picture_path = str(tmp_path / "item.png")
    image_module.fromarray(picture).save(picture_path)
    out = run_without_kerasette("--onnx", path, picture_path)
    line = next(line for line in out.splitlines() if line.startswith("item.png: "))
    expected = load_example("predict").main(["--application", "ResNetSmall", picture_path])[0]
    assert line == "item.png: " + ", ".join(f"{cls} {score:.3f}" for _, cls, score in expected)


def test_predict_reads_the_test_images_without_kerasette(tmp_path):
    local_test_set()
    served = load_example("export_onnx").served_model("LeNet5")[1]
    path = str(tmp_path / "lenet5.onnx")
    served.export(path, format="onnx", verbose=False, metadata={"preprocessing": "none"})
    lines = [line for line in run_without_kerasette("--onnx", path, "--images", "3").splitlines()
             if line.startswith("test image")]
    assert len(lines) == 3 and lines[0].startswith("test image 0 (true: Ankle boot): Ankle boot")


def test_predict_scales_an_exported_model_without_metadata_by_255(tmp_path):
    import kerasette as ks

    model = ks.Sequential([ks.Input((28, 28, 1)), ks.layers.Flatten(), ks.layers.Dense(10, activation="softmax")])
    path = str(tmp_path / "plain.onnx")
    model.export(path, format="onnx", verbose=False)
    served = load_example("predict").OnnxModel(path)
    pixels = np.random.default_rng(0).integers(0, 256, (2, 28, 28)).astype("uint8")
    expected = model.predict(pixels[..., None].astype("float32") / 255.0, verbose=0)
    np.testing.assert_allclose(served.predict(pixels), expected, atol=1e-5)


def test_predict_class_names_are_the_applications():
    from kerasette.applications import _common

    assert load_example("predict").CLASS_NAMES == list(_common.CLASS_NAMES)
