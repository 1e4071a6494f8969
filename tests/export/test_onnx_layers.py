"""Every exportable layer configuration: onnxruntime's output equals ``model.predict`` within 1e-4, on every
backend that loads (numpy and OpenCL compute the reference)."""

import pytest
from onnx_cases import CASES, build_case
from onnx_helpers import max_difference, onnx

from kerasette.export import to_onnx


@pytest.mark.parametrize("case_id, make, shapes, kwargs, kind", CASES, ids=[c[0] for c in CASES])
def test_layer_exports_and_onnxruntime_matches_predict(backend, case_id, make, shapes, kwargs, kind):
    model, data = build_case(make, shapes, kwargs, kind)
    proto = to_onnx(model)
    onnx.checker.check_model(proto, full_check=True)
    assert max_difference(proto, model, data) <= 1e-4
