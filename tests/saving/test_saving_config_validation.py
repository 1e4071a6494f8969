"""Issue 12 item 6: configs are validated as strictly as constructor arguments, at load time."""

import json
import math
import zipfile

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import InvalidFileError


def functional():
    x = ks.Input((4,), name="x")
    h = ks.layers.Dense(3, name="hidden")(x)
    h = ks.layers.BatchNormalization(name="bn")(h)
    h = ks.layers.LayerNormalization(name="ln")(h)
    h = ks.layers.Dropout(0.1, noise_shape=(None, 3), name="drop")(h)
    model = ks.Model(x, ks.layers.Dense(2, name="out")(h), name="f")
    model.compile("adam", "mse")
    model.fit(np.ones((4, 4), "float32"), np.ones((4, 2), "float32"), verbose=0)
    return model


def layer(config, name):
    """The entry of layer ``name`` in a Keras 2 or Keras 3 functional config."""
    return next(spec for spec in config["config"]["layers"] if spec["name"] == name)


def edit_h5_config(path, edit):
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        training = json.loads(f.attrs["training_config"])
        edit(config, training, None)
        f.attrs["model_config"] = json.dumps(config, allow_nan=True).encode()
        f.attrs["training_config"] = json.dumps(training, allow_nan=True).encode()


def edit_keras_config(path, edit):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config, metadata = json.loads(members["config.json"]), json.loads(members["metadata.json"])
    edit(config, config.get("compile_config"), metadata)
    members["config.json"] = json.dumps(config, allow_nan=True).encode()
    members["metadata.json"] = json.dumps(metadata).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def setter(name, key, value):
    return lambda config, training, metadata: layer(config, name)["config"].__setitem__(key, value)


def inbound(config, name):
    """The first tensor reference of layer ``name``'s first call, as a mutable list (either dialect)."""
    node = layer(config, name)["inbound_nodes"][0]
    if isinstance(node, dict):
        return node["args"][0]["config"]["keras_history"]
    return node[0]


def kwargs_of(config, name):
    node = layer(config, name)["inbound_nodes"][0]
    return node["kwargs"] if isinstance(node, dict) else node[0][3]


def rename(spec, name):
    spec["name"] = spec["config"]["name"] = name


def optimizer_of(training):
    return training.get("optimizer_config") or training["optimizer"]


CASES = {
    "nan_epsilon": (setter("bn", "epsilon", math.nan), "epsilon.*layer `bn`.*nan"),
    "negative_epsilon": (setter("ln", "epsilon", -1.0), "epsilon.*layer `ln`"),
    "noise_shape_not_a_shape": (setter("drop", "noise_shape", "abc"), "noise_shape.*layer `drop`"),
    "noise_shape_wrong_rank": (setter("drop", "noise_shape", [None, 3, 1]), "noise_shape=.*does not broadcast"),
    "mixed_bfloat16_policy": (setter("hidden", "dtype", {"module": "keras", "class_name": "DTypePolicy",
                                                         "config": {"name": "mixed_bfloat16"},
                                                         "registered_name": None}), "mixed_bfloat16"),
    "complex_dtype": (setter("hidden", "dtype", "complex64"), "Invalid dtype 'complex64'"),
    "string_dtype": (setter("hidden", "dtype", "str"), "Invalid dtype 'str'"),
    "duplicate_names": (lambda c, t, m: rename(layer(c, "out"), "hidden"),
                        r"name\(s\) \['hidden'\] are used by more than one layer"),
    "tensor_index_out_of_range": (lambda c, t, m: inbound(c, "bn").__setitem__(2, 3),
                                  "output tensor 3 of layer 'hidden', which has 1 output"),
    "node_index_out_of_range": (lambda c, t, m: inbound(c, "bn").__setitem__(1, 5), "call 5 of layer 'hidden'"),
    "negative_tensor_index": (lambda c, t, m: inbound(c, "bn").__setitem__(2, -1), "malformed tensor reference"),
    "unknown_layer_in_node": (lambda c, t, m: inbound(c, "bn").__setitem__(0, "ghost"), "layer 'ghost'"),
    "number_with_400_digits": (setter("hidden", "units", 10**400), "401 digits"),
    "float_infinity_units": (setter("hidden", "units", math.inf), "units.*layer `hidden`"),
    "class_name_not_a_string": (lambda c, t, m: layer(c, "hidden").__setitem__("class_name", ["Dense"]),
                                "`class_name`.*should be a string"),
    "compile_config_wrong_type": (None, "compile configuration.*should be a JSON object"),
    "optimizer_config_wrong_type": (lambda c, t, m: optimizer_of(t).__setitem__("config", [1, 2]),
                                    "optimizer config.*should be a JSON object"),
    "call_kwargs_the_layer_does_not_take": (lambda c, t, m: kwargs_of(c, "out").__setitem__("alpha", 1),
                                            "argument `alpha`, which Dense.call does not take"),
}


@pytest.mark.parametrize("filename", ["m.h5", "m.keras"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_configs_are_refused_at_load(tmp_path, filename, case):
    edit, pattern = CASES[case]
    path = tmp_path / filename
    functional().save(path)
    if case == "compile_config_wrong_type":
        if filename.endswith(".h5"):
            with h5py.File(path, "r+") as f:
                f.attrs["training_config"] = b"[1, 2]"
        else:
            edit_keras_config(path, lambda c, t, m: c.__setitem__("compile_config", [1, 2]))
    elif filename.endswith(".h5"):
        edit_h5_config(path, edit)
    else:
        edit_keras_config(path, edit)
    with pytest.raises(InvalidFileError, match=pattern) as info:
        ks.models.load_model(path)
    assert filename in str(info.value)


@pytest.mark.parametrize("value", [-1, 2.5, "3", True])
def test_epoch_count_must_be_a_non_negative_integer(tmp_path, value):
    path = tmp_path / "m.keras"
    functional().save(path)

    def edit(config, training, metadata):
        metadata["kerasette_epochs_trained"] = value
        metadata.pop("kerasette_training_state", None)

    edit_keras_config(path, edit)
    with pytest.raises(InvalidFileError, match="m.keras.*non-negative integer"):
        ks.models.load_model(path)


@pytest.mark.parametrize("value", [-3, 1.5, float("nan")])
def test_optimizer_iteration_must_be_a_non_negative_integer(tmp_path, value):
    path = tmp_path / "m.h5"
    functional().save(path)
    with h5py.File(path, "r+") as f:
        group = f["optimizer_weights"]
        name = group.attrs["weight_names"][0]
        name = name.decode() if isinstance(name, bytes) else name
        del group[name]
        group[name] = np.float64(value) if isinstance(value, float) else np.int64(value)
    with pytest.raises(InvalidFileError, match="m.h5.*`iteration`.*non-negative integer"):
        ks.models.load_model(path)


def test_the_constructors_give_the_same_errors_to_code():
    with pytest.raises(ValueError, match="epsilon"):
        ks.layers.BatchNormalization(epsilon=math.nan)
    with pytest.raises(ValueError, match="epsilon"):
        ks.layers.LayerNormalization(epsilon=math.inf)
    with pytest.raises(ValueError, match="noise_shape"):
        ks.layers.Dropout(0.5, noise_shape=[None, 0])
    with pytest.raises(ValueError, match="mixed_bfloat16"):
        ks.layers.Dense(2, dtype="mixed_bfloat16")
    with pytest.raises(ValueError, match="Invalid dtype"):
        ks.layers.Dense(2, dtype="complex64")
    with pytest.raises(ValueError, match="does not broadcast"):
        ks.Sequential([ks.Input((3, 4)), ks.layers.Dropout(0.5, noise_shape=(None, 2, 1))])
