"""The four bundled applications, with their Fashion-MNIST weights: onnxruntime equals ``model.predict``
within 1e-4 (numpy and OpenCL computing the reference), and the exported file is self-contained."""

import numpy as np
import pytest
from onnx_helpers import max_difference, onnx, run

from kerasette import applications
from kerasette.export import to_onnx

APPLICATIONS = [("LeNet5", applications.lenet5), ("VGGSmall", applications.vgg_small),
                ("ResNetSmall", applications.resnet_small), ("MobileNetSmall", applications.mobilenet_small)]


@pytest.mark.parametrize("name, module", APPLICATIONS, ids=[a[0] for a in APPLICATIONS])
def test_application_exports_and_matches_predict(backend, tmp_path, name, module):
    model = getattr(applications, name)(weights="fashion_mnist")
    pictures = np.random.default_rng(5).integers(0, 256, (16, 28, 28)).astype("uint8")
    x = module.preprocess_input(pictures)
    path = str(tmp_path / f"{name}.onnx")
    proto = to_onnx(model, path)
    assert max_difference(proto, model, [x]) <= 1e-4
    loaded = onnx.load(path)
    assert len(loaded.graph.initializer) > 0
    assert [i.name for i in loaded.graph.input] == [model.inputs[0].history[0].name]
    probabilities = run(path, [x])[0]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert "BatchNormalization" not in [n.op_type for n in loaded.graph.node]  # folded into the convolutions
