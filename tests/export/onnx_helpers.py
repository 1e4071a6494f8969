"""Run an exported model with onnxruntime (importing this module skips a test module without onnx/onnxruntime)."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def session(proto_or_path):
    """An onnxruntime CPU session for a ModelProto or a file path."""
    source = proto_or_path.SerializeToString() if hasattr(proto_or_path, "SerializeToString") else proto_or_path
    return ort.InferenceSession(source, providers=["CPUExecutionProvider"])


def run(proto_or_path, inputs):
    """The outputs (a list of arrays) for ``inputs`` (a list, in the graph's input order)."""
    sess = session(proto_or_path)
    feeds = {info.name: np.asarray(x) for info, x in zip(sess.get_inputs(), inputs)}
    return sess.run(None, feeds)


def predicted(model, inputs):
    """``model.predict`` as a list of arrays."""
    out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


def max_difference(proto, model, inputs):
    """The largest |onnxruntime - model.predict| over every output (shapes must match)."""
    ours, theirs = run(proto, inputs), predicted(model, inputs)
    assert [o.shape for o in ours] == [t.shape for t in theirs]
    return max(float(np.max(np.abs(o - t))) if o.size else 0.0 for o, t in zip(ours, theirs))
