"""``keras.ops`` calls in functional models (OpLayer nodes) exported to ONNX: onnxruntime equals ``model.predict``
within 1e-4 on every backend; ops without a converter are refused, naming the op."""

import numpy as np
import pytest
from onnx_cases import random_weights
from onnx_helpers import max_difference, onnx

import kerasette as ks
from kerasette import layers, ops
from kerasette.export import to_onnx

RNG = np.random.default_rng(21)


def one_input(build, shape=(3, 4)):
    x = ks.Input(shape, name="x")
    return ks.Model(x, build(x)), [RNG.normal(0.0, 1.5, (2, *shape)).astype("float32")]


def two_inputs(build, shapes=((3, 4), (3, 4))):
    x, y = ks.Input(shapes[0], name="x"), ks.Input(shapes[1], name="y")
    data = [RNG.normal(0.0, 1.5, (2, *s)).astype("float32") for s in shapes]
    data[1] = np.where(np.abs(data[1]) < 0.3, 1.0, data[1]).astype("float32")  # no division by ~0
    return ks.Model([x, y], build(x, y)), data


CASES = {
    "add-tensors": lambda: two_inputs(lambda x, y: x + y),
    "subtract-from-constant": lambda: one_input(lambda x: 1.0 - x),
    "multiply-constant-array": lambda: one_input(lambda x: ops.multiply(x, np.arange(4, dtype="float32"))),
    "divide-tensors": lambda: two_inputs(lambda x, y: x / y),
    "divide-constant-by": lambda: two_inputs(lambda x, y: 2.0 / y),
    "negative": lambda: one_input(lambda x: -x),
    "matmul-tensors": lambda: two_inputs(ops.matmul, ((3, 4), (4, 2))),
    "matmul-constant": lambda: one_input(lambda x: ops.matmul(x, RNG.normal(size=(4, 5)).astype("float32"))),
    "transpose-axes": lambda: one_input(lambda x: ops.transpose(x, (0, 2, 1))),
    "transpose-reversed": lambda: one_input(lambda x: ops.transpose(ops.transpose(x)), (3, 4)),
    "reshape": lambda: one_input(lambda x: ops.reshape(x, (-1, 2, 6))),
    "concatenate": lambda: two_inputs(lambda x, y: ops.concatenate([x, y], axis=1)),
    "concatenate-last": lambda: two_inputs(lambda x, y: ops.concatenate([x, y * 2.0], axis=-1), ((3, 4), (3, 2))),
    "mean-axis": lambda: one_input(lambda x: ops.mean(x, axis=-1)),
    "mean-keepdims": lambda: one_input(lambda x: ops.mean(x, axis=1, keepdims=True)),
    "sum-two-axes": lambda: one_input(lambda x: ops.sum(x, axis=(1, 2))),
    "relu-sigmoid-tanh": lambda: one_input(lambda x: ops.relu(x) + ops.sigmoid(x) * ops.tanh(x)),
    "softmax": lambda: one_input(lambda x: ops.softmax(x)),
    "softmax-axis1": lambda: one_input(lambda x: ops.softmax(x, axis=1)),
    "expand-squeeze": lambda: one_input(lambda x: ops.squeeze(ops.expand_dims(x, 1), axis=1) + ops.expand_dims(
        ops.mean(x, axis=1), 1)),
    "cast-int-and-back": lambda: one_input(lambda x: ops.cast(ops.cast(x * 3.0, "int32"), "float32")),
    "exp-log-sqrt-abs-square": lambda: one_input(lambda x: ops.log(ops.sqrt(ops.abs(x) + 1.0)) + ops.exp(
        ops.square(x) * -0.5)),
    "maximum-minimum": lambda: two_inputs(lambda x, y: ops.maximum(x, y) - ops.minimum(x, 0.25)),
    "max-min-reductions": lambda: one_input(lambda x: ops.max(x, axis=1, keepdims=True) - ops.min(x, axis=-1)
                                            [:, :, None]),
    "get-item-int": lambda: one_input(lambda x: x[:, 0]),
    "get-item-last": lambda: one_input(lambda x: x[:, -1, :]),
    "get-item-slices": lambda: one_input(lambda x: x[:, 1:3, ::2], (4, 5)),
    "get-item-reversed-ellipsis": lambda: one_input(lambda x: x[..., ::-1], (2, 3, 4)),
    "get-item-new-axis": lambda: one_input(lambda x: x[:, None, 1, -3:-1], (3, 4)),
}


@pytest.mark.parametrize("case_id", list(CASES))
def test_op_exports_and_onnxruntime_matches_predict(backend, case_id):
    model, data = CASES[case_id]()
    proto = to_onnx(model)
    onnx.checker.check_model(proto, full_check=True)
    assert max_difference(proto, model, data) <= 1e-4


def test_ops_between_layers_with_a_dynamic_batch(backend):
    x = ks.Input((5, 4), name="x")
    h = layers.Dense(6)(x)
    h = ops.relu(h - ops.mean(h, axis=-1, keepdims=True)) * 0.5
    model = ks.Model(x, layers.Dense(3)(ops.reshape(ops.transpose(h, (0, 2, 1)), (-1, 30))))
    random_weights(model, np.random.default_rng(2))
    proto = to_onnx(model)
    for batch in (1, 4):
        assert max_difference(proto, model, [RNG.normal(size=(batch, 5, 4)).astype("float32")]) <= 1e-4


def test_an_op_without_a_converter_is_refused_naming_it():
    x = ks.Input((3,))
    model = ks.Model(x, ops.cumsum(x, axis=1))
    with pytest.raises(ValueError, match="\\(OpLayer\\) to ONNX: `ops.cumsum` .*has no ONNX converter; the ops "
                                         "that export are abs, add, cast, concatenate"):
        to_onnx(model)


def test_squeeze_without_an_axis_is_refused():
    x = ks.Input((1, 3))
    model = ks.Model(x, ops.squeeze(x))
    with pytest.raises(ValueError, match="`ops.squeeze` without `axis`.*give `axis`"):
        to_onnx(model)


def test_indexing_with_a_tensor_is_refused():
    x, i = ks.Input((4,)), ks.Input((), dtype="int32")
    model = ks.Model([x, i], ops.take(x, i, axis=1))
    with pytest.raises(ValueError, match="`ops.take` .*has no ONNX converter"):
        to_onnx(model)
