"""The functional API: many inputs and outputs, shared layers, nested models, configs, errors."""

import json

import numpy as np
import pytest

import kerasette as ks
from kerasette import layers


def two_input_two_output_model():
    image = ks.Input(shape=(8, 8, 1), name="image")
    features = ks.Input(shape=(6,), name="features")
    x = layers.Conv2D(4, 3, activation="relu")(image)
    x = layers.GlobalAveragePooling2D()(x)
    shared = layers.Dense(8, activation="relu", name="shared")
    from_image = shared(layers.Dense(6, name="image_proj")(x))
    from_features = shared(features)
    merged = layers.Concatenate(name="concat")([layers.Add(name="add")([from_image, from_features]), from_image])
    cls = layers.Dense(3, activation="softmax", name="cls")(merged)
    reg = layers.Dense(1, name="reg")(merged)
    return ks.Model(inputs=[image, features], outputs={"cls": cls, "reg": reg})


def data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(n, 8, 8, 1)).astype("float32")
    features = rng.normal(size=(n, 6)).astype("float32")
    label = (features[:, 0] > 0).astype(int) + (image.mean(axis=(1, 2, 3)) > 0).astype(int)
    target = features[:, :2].sum(axis=1, keepdims=True)
    return [image, features], {"cls": label, "reg": target}


def test_two_inputs_shared_layer_add_concatenate_two_named_outputs_train():
    model = two_input_two_output_model()
    assert len(model.get_layer("shared").weights) == 2  # one set of weights for both calls
    model.compile(optimizer=ks.optimizers.Adam(0.01),
                  loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"]})
    x, y = data()
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert {"loss", "cls_loss", "reg_loss", "cls_accuracy"} <= set(history.history)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    expected_total = history.history["cls_loss"][-1] + 0.5 * history.history["reg_loss"][-1]
    assert history.history["loss"][-1] == pytest.approx(expected_total, rel=1e-4)

    clone = ks.Model.from_config(json.loads(json.dumps(model.get_config())))
    clone.set_weights(model.get_weights())
    original, restored = model.predict(x, verbose=0), clone.predict(x, verbose=0)
    assert set(original) == {"cls", "reg"}
    for key in original:
        np.testing.assert_array_equal(original[key], restored[key])


def test_outputs_as_list_take_targets_as_list():
    inputs = ks.Input(shape=(3,))
    a = layers.Dense(2, name="a")(inputs)
    b = layers.Dense(1, name="b")(inputs)
    model = ks.Model(inputs, [a, b])
    model.compile(optimizer="sgd", loss=["mse", "mae"])
    x = np.ones((4, 3), "float32")
    logs = model.evaluate(x, [np.zeros((4, 2)), np.zeros((4, 1))], verbose=0, return_dict=True)
    assert set(logs) == {"loss", "a_loss", "b_loss"}
    assert isinstance(model.predict(x, verbose=0), list)


def test_model_used_as_a_layer_and_feature_extractor():
    base = ks.Sequential([ks.Input(shape=(4,)), layers.Dense(5, name="features"), layers.Dense(2, name="logits")])
    inputs = ks.Input(shape=(4,))
    outer = ks.Model(inputs, layers.Softmax()(base(inputs)))
    assert len(outer.trainable_weights) == 4
    x = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(outer.predict(x, verbose=0).sum(axis=1), 1.0, rtol=1e-6)

    extractor = ks.Model(base.input, base.get_layer("features").output)
    expected = x @ base.layers[0].kernel.numpy() + base.layers[0].bias.numpy()
    np.testing.assert_allclose(extractor.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_sequential_called_on_a_symbolic_tensor_inside_a_functional_model():
    block = ks.Sequential([layers.Dense(3, activation="relu"), layers.Dense(2)])
    inputs = ks.Input(shape=(5,))
    model = ks.Model(inputs, block(inputs))
    assert model.output_shape == (None, 2)
    assert model.predict(np.ones((2, 5), "float32"), verbose=0).shape == (2, 2)


def test_disconnected_graph_names_the_missing_input():
    a, b = ks.Input(shape=(3,), name="a"), ks.Input(shape=(3,), name="b")
    out = layers.Add()([a, b])
    with pytest.raises(ValueError, match="Graph disconnected.*`b`"):
        ks.Model(a, out)


def test_duplicate_layer_names_are_rejected():
    inputs = ks.Input(shape=(3,))
    x = layers.Dense(2, name="same")(inputs)
    with pytest.raises(ValueError, match="same"):
        ks.Model(inputs, layers.Dense(2, name="same")(x))


def test_mismatched_loss_dict_keys_name_the_outputs():
    model = two_input_two_output_model()
    with pytest.raises(ValueError, match=r"\['clss'\].*\['cls', 'reg'\]"):
        model.compile(optimizer="sgd", loss={"clss": "mse", "reg": "mse"})


def test_wrong_rank_at_model_building_names_layer_and_shape():
    inputs = ks.Input(shape=(8,))
    with pytest.raises(ValueError, match=r"conv2d.*ndim=4.*\(None, 8\)"):
        layers.Conv2D(2, 3)(inputs)


def test_summary_shows_connections_and_counts(capsys):
    model = two_input_two_output_model()
    model.summary()
    text = capsys.readouterr().out
    assert "Connected to" in text
    assert "image_proj[0][0], features[0][0]" in text
    assert f"Total params: {model.count_params():,}" in text


def test_plot_model_writes_dot_and_png(tmp_path):
    model = two_input_two_output_model()
    dot_path = ks.utils.plot_model(model, to_file=str(tmp_path / "model.dot"), show_shapes=True)
    with open(dot_path) as f:
        source = f.read()
    assert "shared (Dense)" in source and "(None, 8, 8, 1)" in source and source.count("->") >= 10
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed; the PNG path is not exercised")
    png = ks.utils.plot_model(model, to_file=str(tmp_path / "model.png"))
    with open(png, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_layers_serialize_and_deserialize_every_family_member_round_trips():
    model = two_input_two_output_model()
    for layer in model.layers:
        clone = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
        assert type(clone) is type(layer)
        assert clone.get_config() == layer.get_config()
