"""The normalizing config reader: every Keras dialect difference the reference lists (§7), and the writers."""

import json

import h5py
import numpy as np
import pytest
import saving_models as sm

import kerasette as ks
from kerasette.saving import config_serialization as cs
from kerasette.saving import legacy_h5, safe_h5

K3_DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def k3_tensor(layer, shape):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                         "keras_history": [layer, 0, 0]}}


def dense(name, units, **extra):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": "relu", **extra}


def sequential(*layers, input_config=None):
    input_config = input_config or {"batch_input_shape": [None, 4], "dtype": "float32", "name": "in"}
    return {"class_name": "Sequential",
            "config": {"name": "seq", "layers": [{"class_name": "InputLayer", "config": input_config}, *layers]}}


@pytest.mark.parametrize("input_config", [
    {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "in"},
    {"batch_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "in", "optional": False},
    {"input_shape": [4], "dtype": "float32", "name": "in"},
])
def test_input_shape_spellings(input_config):
    model = cs.model_from_config(sequential({"class_name": "Dense", "config": dense("d", 3)},
                                            input_config=input_config))
    assert model.inputs[0].shape == (None, 4) and model.output_shape == (None, 3)


def test_first_layer_carrying_the_input_shape_and_the_old_list_form():
    spec = {"class_name": "Dense", "config": dense("d", 3, batch_input_shape=[None, 4])}
    for config in ({"class_name": "Sequential", "config": {"name": "s", "layers": [spec]}},
                   {"class_name": "Sequential", "config": [spec]}):  # Keras <= 2.2.4 stored a bare list
        assert cs.model_from_config(config).output_shape == (None, 3)


def test_keras3_envelopes_dtype_policies_and_new_keys_are_normalized():
    layer = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "build_config": {"input_shape": [None, 4]},
             "config": {"name": "d", "trainable": True, "dtype": {**K3_DTYPE, "shared_object_id": 1}, "units": 3,
                        "activation": {"module": "keras.activations", "class_name": "function", "config": "relu",
                                       "registered_name": "relu"},
                        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                               "config": {"seed": None, "input_axes": None, "output_axes": None},
                                               "registered_name": None},
                        "quantization_config": None, "lora_rank": None}}
    model = cs.model_from_config(sequential(layer))
    assert model.layers[0].dtype == "float32" and model.layers[0].activation is ks.activations.relu


def test_batch_normalization_dialects():
    keras2 = {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [1]}}
    keras3 = {"class_name": "BatchNormalization",
              "config": {"name": "bn", "axis": -1, "synchronized": False, "renorm": False, "renorm_clipping": None,
                         "renorm_momentum": 0.99}}
    assert cs.model_from_config(sequential(keras2)).layers[0].axis == 1
    assert cs.model_from_config(sequential(keras3)).layers[0].axis == -1
    keras3["config"]["renorm"] = True
    with pytest.raises(ValueError, match=r"layer 'bn' \(BatchNormalization\) sets renorm=True"):
        cs.model_from_config(sequential(keras3))


def test_depthwise_groups_key_and_unknown_keys():
    base = {"name": "dw", "kernel_size": [3, 3], "padding": "same"}
    image_input = {"batch_input_shape": [None, 5, 5, 2], "name": "in"}
    spec = {"class_name": "DepthwiseConv2D", "config": {**base, "groups": 1}}
    assert cs.model_from_config(sequential(spec, input_config=image_input)).output_shape == (None, 5, 5, 2)
    spec["config"]["groups"] = 2
    with pytest.raises(ValueError, match="groups=2"):
        cs.model_from_config(sequential(spec, input_config=image_input))
    with pytest.raises(ValueError, match=r"Cannot rebuild the model.*Dense.*flux_capacitor"):
        cs.model_from_config(sequential({"class_name": "Dense", "config": dense("d", 3, flux_capacitor=True)}))


def functional_config(node_form, class_name="Functional", single_refs=False):
    def nodes(*sources):
        if node_form == "k2":
            return [[[s, 0, 0, {}] for s in sources]]
        args = [k3_tensor(s, [None, 4]) for s in sources]
        return [{"args": [args] if len(args) > 1 else args, "kwargs": {"mask": None} if len(args) == 1 else {}}]

    layers = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "x"}, "name": "x",
         "inbound_nodes": []},
        {"class_name": "Dense", "config": dense("a", 4), "name": "a", "inbound_nodes": nodes("x")},
        {"class_name": "Dense", "config": dense("b", 4), "name": "b", "inbound_nodes": nodes("x")},
        {"class_name": "Add", "config": {"name": "add"}, "name": "add", "inbound_nodes": nodes("a", "b")},
    ]
    refs = (["x", 0, 0], ["add", 0, 0]) if single_refs else ([["x", 0, 0]], [["add", 0, 0]])
    return {"class_name": class_name, "config": {"name": "f", "layers": layers, "input_layers": refs[0],
                                                 "output_layers": refs[1]}}


@pytest.mark.parametrize("node_form", ["k2", "k3"])
@pytest.mark.parametrize("class_name", ["Functional", "Model"])
def test_both_inbound_node_forms_and_model_class_names(node_form, class_name):
    model = cs.model_from_config(functional_config(node_form, class_name, single_refs=node_form == "k3"))
    assert [layer.name for layer in model.layers] == ["x", "a", "b", "add"]
    x = np.ones((2, 4), "float32")
    a, b = model.get_layer("a"), model.get_layer("b")
    expected = np.maximum(x @ a.get_weights()[0] + a.get_weights()[1], 0) + np.maximum(
        x @ b.get_weights()[0] + b.get_weights()[1], 0)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)


def test_registered_and_custom_objects_resolve_without_imports():
    @ks.saving.register_keras_serializable(package="SavingTests")
    class Doubler(ks.layers.Layer):
        def call(self, inputs):
            return ks.ops.multiply(inputs, 2.0)

    spec = {"module": "some_user_package.layers", "class_name": "Doubler", "registered_name": "SavingTests>Doubler",
            "config": {"name": "double", "trainable": True, "dtype": K3_DTYPE}}
    model = cs.model_from_config(sequential(spec))
    np.testing.assert_array_equal(model.predict(np.ones((1, 4), "float32"), verbose=0), 2 * np.ones((1, 4)))

    class Halver(ks.layers.Layer):
        def call(self, inputs):
            return ks.ops.multiply(inputs, 0.5)

    spec = {"module": "__main__", "class_name": "Halver", "config": {"name": "half"}}
    with pytest.raises(ks.saving.UnsafeFileError, match="never imports"):
        cs.model_from_config(sequential(spec))
    model = cs.model_from_config(sequential(spec), custom_objects={"Halver": Halver})
    assert isinstance(model.layers[0], Halver)


def test_string_and_bytes_attributes_and_chunked_names(tmp_path):
    names = [f"layer_with_a_rather_long_name_{i:05d}" for i in range(3000)]  # about 110 KB: chunked
    with h5py.File(tmp_path / "a.h5", "w") as f:
        legacy_h5.write_names(f, "layer_names", names)
        f.attrs["as_str"] = "hello"
        f.attrs["as_bytes"] = np.bytes_(b"hello")
        legacy_h5.write_names(f.create_group("empty"), "weight_names", [])
    with h5py.File(tmp_path / "a.h5", "r") as f:
        assert "layer_names" not in f.attrs and "layer_names0" in f.attrs and "layer_names1" in f.attrs
        assert safe_h5.read_names_attr(f, "layer_names") == names
        assert safe_h5.read_text_attr(f, "as_str") == safe_h5.read_text_attr(f, "as_bytes") == "hello"
        assert safe_h5.read_names_attr(f["empty"], "weight_names") == []
        assert f["empty"].attrs["weight_names"].dtype == np.float64  # what Keras writes for no weights


def test_model_layers_sort_by_depth_then_first_visit_as_keras_does():
    model = sm.branches(ks)
    assert [layer.name for layer in model.layers] == [
        "image", "deep_a", "short", "deep_b", "add", "concat", "gap", "head"]  # what Keras 3 lists


def test_keras2_writer_output(tmp_path):
    model = sm.separable(ks)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    config = cs.k2_model_config(model)
    layers = {spec["name"]: spec for spec in config["config"]["layers"]}
    assert config["class_name"] == "Functional"
    assert "batch_input_shape" in layers["image"]["config"] and layers["dw"]["config"]["dtype"] == "float32"
    assert "groups" not in layers["dw"]["config"] and "module" not in layers["dw"]
    assert layers["pw"]["inbound_nodes"] == [[["dw_relu6", 0, 0, {}]]]
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert json.loads(f.attrs["training_config"])["optimizer_config"]["class_name"] == "Adam"
        assert f.attrs["keras_version"] == "2.15.0"
        assert list(f["model_weights/dw"].attrs["weight_names"]) == [b"dw/kernel:0", b"dw/bias:0"]


def test_keras3_writer_output():
    model = sm.branches(ks)
    config = cs.k3_model_config(model)
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        "keras.src.models.functional", "Functional", "Functional")
    layers = {spec["name"]: spec for spec in config["config"]["layers"]}
    assert layers["image"]["config"]["batch_shape"] == [None, 8, 8, 3]
    assert layers["short"]["module"] == "keras.layers" and layers["short"]["config"]["dtype"] == K3_DTYPE
    assert layers["short"]["build_config"] == {"input_shape": [None, 8, 8, 3]}
    args = layers["add"]["inbound_nodes"][0]["args"]
    assert [t["config"]["keras_history"] for t in args[0]] == [["short", 0, 0], ["deep_b", 0, 0]]
    assert config["config"]["input_layers"] == ["image", 0, 0]
    seq = cs.k3_model_config(sm.cnn(ks))
    assert seq["class_name"] == "Sequential" and seq["config"]["layers"][0]["class_name"] == "InputLayer"


def test_tf_2_13_keras_zip_module_names_are_accepted_without_importing():
    """TF 2.13-2.15 wrote `keras.src.engine.functional`, which Keras 3 cannot import (keras-team/keras#19089)."""
    config = functional_config("k2")
    config.update(module="keras.src.engine.functional", registered_name="Functional")
    assert [layer.name for layer in cs.model_from_config(config).layers] == ["x", "a", "b", "add"]
