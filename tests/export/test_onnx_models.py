"""Whole models through the ONNX export: layout around Flatten/Reshape, names, dynamic batch, nested models,
BatchNormalization folding, opsets, the file itself, ``Model.export`` and recurrent states
(test_onnx_refusals.py has what the export refuses)."""

import os

import numpy as np
import pytest
from onnx_cases import random_weights
from onnx_helpers import max_difference, onnx, run, session

import kerasette as ks
from kerasette import layers
from kerasette.export import to_onnx

RNG = np.random.default_rng(3)


def randomized(model):
    random_weights(model, np.random.default_rng(11))
    return model


def images(batch=4, shape=(6, 5, 3)):
    return RNG.normal(0.0, 1.0, (batch, *shape)).astype("float32")


def op_types(proto):
    return [node.op_type for node in proto.graph.node]


# ----- layout -----------------------------------------------------------------------------------
@pytest.mark.parametrize("head", [
    lambda: [],
    lambda: [layers.Reshape((-1, 4)), layers.Flatten(name="first_flatten")],
    lambda: [layers.Reshape((30, 4)), layers.Conv1D(2, 3)],
    lambda: [layers.Permute((2, 1, 3)), layers.Reshape((5, 6, 4))],
], ids=["flatten", "reshape", "reshape-conv1d", "permute"])
def test_channels_last_order_is_kept_around_flatten_and_reshape(backend, head):
    # height != width and channels > 1: flattening channels-first data would scramble the features
    model = randomized(ks.Sequential([ks.Input((6, 5, 3)), layers.Conv2D(4, 3, padding="same"), *head(),
                                      layers.Flatten(), layers.Dense(7)]))
    assert max_difference(to_onnx(model), model, [images()]) <= 1e-4


def test_consecutive_convolutions_share_one_channels_first_island():
    x = ks.Input((8, 8, 3))
    y = layers.Conv2D(4, 3, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU(6.0)(y)
    y = layers.DepthwiseConv2D(3, padding="same")(y)
    y = layers.MaxPooling2D()(y)
    z = layers.Conv2D(4, 1, activation="relu")(y)
    y = layers.Add()([y, z])
    y = layers.GlobalAveragePooling2D()(y)
    model = randomized(ks.Model(x, layers.Dense(3)(y)))
    proto = to_onnx(model)
    assert op_types(proto).count("Transpose") == 1  # into channels-first once; the pooling reduces it there
    assert max_difference(proto, model, [images(3, (8, 8, 3))]) <= 1e-4


# ----- names, batch, file -----------------------------------------------------------------------
def two_in_two_out():
    image, meta = ks.Input((6, 5, 3), name="image"), ks.Input((2,), name="meta")
    features = layers.GlobalMaxPooling2D()(layers.Conv2D(3, 3, activation="relu")(image))
    joined = layers.Concatenate()([features, layers.Dense(3)(meta)])
    return randomized(ks.Model([image, meta], [layers.Dense(4, activation="softmax", name="label")(joined),
                                               layers.Dense(1, name="score")(joined)]))


def test_input_and_output_names_come_from_the_model():
    proto = to_onnx(two_in_two_out())
    assert [i.name for i in proto.graph.input] == ["image", "meta"]
    assert [o.name for o in proto.graph.output] == ["label", "score"]


def test_dict_outputs_are_named_by_their_keys_and_inputs_by_their_layers():
    a, b = ks.Input((3,), name="a"), ks.Input((3,), name="b")
    model = randomized(ks.Model({"left": a, "right": b}, {"total": layers.Add()([a, b]), "first": layers.Dense(2)(a)}))
    proto = to_onnx(model)
    assert [i.name for i in proto.graph.input] == ["a", "b"]  # the keys model.predict reads a dict by
    assert [o.name for o in proto.graph.output] == ["total", "first"]
    data = {"a": RNG.normal(size=(2, 3)).astype("float32"), "b": RNG.normal(size=(2, 3)).astype("float32")}
    expected = model.predict(data, verbose=0)
    total, first = session(proto).run(None, data)
    np.testing.assert_allclose(total, expected["total"], atol=1e-5)
    np.testing.assert_allclose(first, expected["first"], atol=1e-5)


@pytest.mark.parametrize("batch", [1, 9])
def test_the_batch_axis_is_dynamic(backend, batch):
    model = two_in_two_out()
    proto = to_onnx(model)
    dims = [[d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in proto.graph.input]
    assert dims == [["batch", 6, 5, 3], ["batch", 2]]
    assert [d.dim_param or d.dim_value for d in proto.graph.output[0].type.tensor_type.shape.dim] == ["batch", 4]
    assert max_difference(proto, model, [images(batch), RNG.normal(size=(batch, 2)).astype("float32")]) <= 1e-4


def test_the_file_checks_and_sets_the_ir_version_of_its_opset(tmp_path):
    path = str(tmp_path / "model.onnx")
    to_onnx(two_in_two_out(), path)
    onnx.checker.check_model(path, full_check=True)
    loaded = onnx.load(path)
    assert loaded.ir_version == 8 and [(o.domain, o.version) for o in loaded.opset_import] == [("", 17)]
    assert to_onnx(two_in_two_out(), opset=13).ir_version == 7
    assert loaded.producer_name == "kerasette"


def test_metadata_and_input_signature(tmp_path):
    model = two_in_two_out()
    proto = to_onnx(model, input_signature=[(2, 6, 5, 3), ks.InputSpec(shape=(2, 2))],
                    metadata={"preprocessing": "x / 255"})
    assert [d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim] == [2, 6, 5, 3]
    assert {p.key: p.value for p in proto.metadata_props} == {"preprocessing": "x / 255"}
    with pytest.raises(ValueError, match="input_signature.*`image`.*Received shape \\(2, 7, 5, 3\\)"):
        to_onnx(model, input_signature=[(2, 7, 5, 3), (2, 2)])
    with pytest.raises(ValueError, match="has 2 input"):
        to_onnx(model, input_signature=[(2, 6, 5, 3)])


# ----- nested and shared ------------------------------------------------------------------------
def test_nested_models_and_shared_layers_are_inlined(backend):
    block = ks.Sequential([ks.Input((6,)), layers.Dense(6, activation="relu"), layers.Dropout(0.5),
                           layers.Dense(6)], name="block")
    inner_in = ks.Input((6,))
    inner = ks.Model(inner_in, layers.Add()([block(inner_in), inner_in]), name="residual")
    shared = layers.Dense(6, activation="tanh", name="shared")
    x = ks.Input((6,), name="x")
    y = shared(inner(shared(x)))
    model = randomized(ks.Model(x, ks.Sequential([layers.Dense(3)], name="head")(y)))
    for nested in (block, inner, model.layers[-1]):
        randomized(nested)
    proto = to_onnx(model)
    assert max_difference(proto, model, [RNG.normal(size=(5, 6)).astype("float32")]) <= 1e-4
    assert any(node.name.startswith("residual/block/") or "/residual/block/" in node.name for node in proto.graph.node)


# ----- BatchNormalization -----------------------------------------------------------------------
def conv_bn_model(activation=None, branch=False):
    x = ks.Input((6, 5, 3))
    conv = layers.Conv2D(4, 3, use_bias=False, activation=activation)(x)
    y = layers.ReLU()(layers.BatchNormalization()(conv))
    if branch:
        y = layers.Add()([y, conv])
    y = layers.BatchNormalization()(layers.Dense(3)(layers.Flatten()(y)))
    return randomized(ks.Model(x, y))


@pytest.mark.parametrize("fold", [True, False])
def test_batch_normalization_folded_or_as_onnx_batch_normalization(backend, fold):
    model = conv_bn_model()
    proto = to_onnx(model, fold_batch_norm=fold)
    assert op_types(proto).count("BatchNormalization") == (0 if fold else 2)
    assert max_difference(proto, model, [images()]) <= 1e-4


FOLDABLE = [
    ("dense", lambda: layers.Dense(4, use_bias=False), (5,)),
    ("conv1d", lambda: layers.Conv1D(4, 3), (6, 2)),
    ("conv2d", lambda: layers.Conv2D(3, 3, padding="same", use_bias=False), (5, 4, 2)),
    ("conv3d", lambda: layers.Conv3D(2, 2), (3, 3, 3, 2)),
    ("depthwise-conv1d", lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), (6, 2)),
    ("depthwise-conv2d", lambda: layers.DepthwiseConv2D(3, depth_multiplier=3), (5, 4, 2)),
    ("separable-conv1d", lambda: layers.SeparableConv1D(3, 3), (6, 2)),
    ("separable-conv2d", lambda: layers.SeparableConv2D(3, 3, use_bias=False), (5, 4, 2)),
    ("conv1d-transpose", lambda: layers.Conv1DTranspose(3, 3, strides=2), (4, 2)),
    ("conv2d-transpose", lambda: layers.Conv2DTranspose(3, 3, strides=2, use_bias=False), (3, 4, 2)),
    ("conv3d-transpose", lambda: layers.Conv3DTranspose(2, 2), (2, 3, 2, 2)),
]


@pytest.mark.parametrize("make, shape", [f[1:] for f in FOLDABLE], ids=[f[0] for f in FOLDABLE])
def test_batch_normalization_folds_into_every_foldable_layer(backend, make, shape):
    x = ks.Input(shape)
    model = randomized(ks.Model(x, layers.BatchNormalization()(make()(x))))
    proto = to_onnx(model)
    assert "BatchNormalization" not in op_types(proto)
    assert max_difference(proto, model, [RNG.normal(size=(3, *shape)).astype("float32")]) <= 1e-4


@pytest.mark.parametrize("activation, branch", [("relu", False), (None, True)])
def test_batch_normalization_is_not_folded_across_an_activation_or_a_branch(activation, branch):
    model = conv_bn_model(activation, branch)
    proto = to_onnx(model)
    assert op_types(proto).count("BatchNormalization") == 1  # the Dense one still folds
    assert max_difference(proto, model, [images()]) <= 1e-4


# ----- opsets -----------------------------------------------------------------------------------
@pytest.mark.parametrize("opset", [13, 17, 18, 21])
def test_every_supported_opset(opset):
    x = ks.Input((5, 4))
    y = layers.LayerNormalization()(layers.Conv1D(4, 2, padding="same")(x))
    y = layers.GlobalAveragePooling1D()(layers.UnitNormalization()(y))
    y = layers.Activation("glu")(layers.Dense(6)(layers.Reshape((2, 2))(y)))
    model = randomized(ks.Model(x, layers.Softmax()(y)))
    proto = to_onnx(model, opset=opset)
    assert ("LayerNormalization" in op_types(proto)) == (opset >= 17)
    assert max_difference(proto, model, [RNG.normal(size=(3, 5, 4)).astype("float32")]) <= 1e-4


@pytest.mark.parametrize("opset", [12, 22, "17", True])
def test_an_opset_out_of_range_is_refused(opset):
    with pytest.raises(ValueError, match="argument `opset` of `to_onnx`.*from 13 to 21"):
        to_onnx(two_in_two_out(), opset=opset)


# ----- Model.export -----------------------------------------------------------------------------
def test_model_export_writes_onnx(tmp_path, capsys):
    model = two_in_two_out()
    path = str(tmp_path / "model.onnx")
    assert model.export(path, format="onnx") is None
    assert path in capsys.readouterr().out
    inputs = [images(2), RNG.normal(size=(2, 2)).astype("float32")]
    np.testing.assert_allclose(run(path, inputs)[1], model.predict(inputs, verbose=0)[1], atol=1e-4)
    model.export(path, format="onnx", verbose=False, opset=13)
    assert onnx.load(path).opset_import[0].version == 13 and capsys.readouterr().out == ""


@pytest.mark.parametrize("fmt", ["tf_saved_model", "openvino", "ONNX"])
def test_model_export_refuses_other_formats(tmp_path, fmt):
    with pytest.raises(ValueError, match=f"argument `format` of `export`.*only 'onnx'.*format='{fmt}'"):
        two_in_two_out().export(str(tmp_path / "m"), format=fmt)
    assert os.listdir(tmp_path) == []


# ----- recurrent --------------------------------------------------------------------------------
def test_an_encoder_decoder_passes_its_states_as_initial_state(backend):
    source, target = ks.Input((5, 3), name="source"), ks.Input((4, 2), name="target")
    _, h, c = layers.LSTM(6, return_state=True)(source)
    decoded = layers.LSTM(6, return_sequences=True)(target, initial_state=[h, c])
    gru_state = layers.GRU(6)(source)
    decoded = layers.GRU(6, return_sequences=True, go_backwards=True)(decoded, gru_state)  # positional state
    model = randomized(ks.Model([source, target], layers.Dense(2)(decoded)))
    inputs = [RNG.normal(size=(3, 5, 3)).astype("float32"), RNG.normal(size=(3, 4, 2)).astype("float32")]
    proto = to_onnx(model)
    assert sorted(set(op_types(proto)) & {"LSTM", "GRU"}) == ["GRU", "LSTM"]
    assert max_difference(proto, model, inputs) <= 1e-4
