"""The ``mixed_float16`` policy and ``keras.mixed_precision``'s names, against Keras 3 (torch backend)."""

import json

import h5py
import numpy as np
import pytest
from mixed_helpers import CPU_WARNING

import kerasette as ks
from kerasette import dtype_policies


@pytest.fixture
def keras():
    from keras_reference import keras

    yield keras
    keras.mixed_precision.set_global_policy("float32")


def test_mixed_float16_attributes_config_and_serialization_match_keras(keras):
    ours, theirs = ks.mixed_precision.Policy("mixed_float16"), keras.mixed_precision.Policy("mixed_float16")
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, repr(ours)) == (
        theirs.name, theirs.compute_dtype, theirs.variable_dtype, repr(theirs)) == (
        "mixed_float16", "float16", "float32", '<DTypePolicy "mixed_float16">')
    assert ours.get_config() == theirs.get_config() == {"name": "mixed_float16"}
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours
    assert ks.DTypePolicy.from_config(theirs.get_config()) == ours
    assert dtype_policies.get("mixed_float16") == ours and ours.quantization_mode is None


def test_keras_mixed_precision_names():
    mp = ks.mixed_precision
    assert mp.Policy is mp.DTypePolicy is ks.DTypePolicy
    assert mp.LossScaleOptimizer is ks.optimizers.LossScaleOptimizer
    mp.set_global_policy("mixed_float16")
    assert mp.global_policy() == mp.dtype_policy() == ks.config.dtype_policy() == mp.Policy("mixed_float16")
    layer = ks.layers.Dense(2)
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == ("float32", "float16", "float32")
    mp.set_global_policy(mp.Policy("float32"))
    assert ks.layers.Dense(2).compute_dtype == "float32" and layer.compute_dtype == "float16"


def test_layer_dtype_attributes_match_keras(keras, backend):
    for dtype in ["mixed_float16", ks.DTypePolicy("mixed_float16"),
                  {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"},
                   "registered_name": None},
                  {"class_name": "Policy", "config": {"name": "mixed_float16"}}]:  # Keras 2's form
        ours, theirs = ks.layers.Dense(2, dtype=dtype), keras.layers.Dense(2, dtype="mixed_float16")
        assert (ours.dtype, ours.compute_dtype, ours.variable_dtype, repr(ours.dtype_policy)) == (
            theirs.dtype, theirs.compute_dtype, theirs.variable_dtype, repr(theirs.dtype_policy))
        config = ours.get_config()
        assert config["dtype"] == "mixed_float16"
        assert ks.layers.Dense.from_config(config).dtype_policy == ks.DTypePolicy("mixed_float16")


@pytest.mark.parametrize("make", [
    lambda: ks.DTypePolicy("mixed_bfloat16"),
    lambda: ks.mixed_precision.set_global_policy("mixed_bfloat16"),
    lambda: ks.layers.Dense(2, dtype="mixed_bfloat16"),
])
def test_mixed_bfloat16_raises_naming_the_reason(make):
    with pytest.raises(ValueError, match="'mixed_bfloat16'.*no bfloat16"):
        make()
    assert ks.config.dtype_policy().name == "float32"  # nothing changed


def test_bad_policy_arguments_raise_and_change_nothing():
    with pytest.raises(ValueError, match="Invalid `policy` argument.*Received: policy=3"):
        ks.mixed_precision.set_global_policy(3)
    with pytest.raises(TypeError, match="'name' must be a string"):
        ks.mixed_precision.Policy(16)
    with pytest.raises(ValueError, match="mixed_float32"):
        ks.layers.Dense(2, dtype="mixed_float32")
    assert ks.mixed_precision.global_policy().name == "float32"


@pytest.mark.filterwarnings(CPU_WARNING)
@pytest.mark.parametrize("fmt", ["keras", "h5"])
def test_saved_configs_keep_the_policy(tmp_path, mixed_backend, fmt):
    model = ks.Sequential([ks.Input((3,)), ks.layers.Dense(4, dtype="mixed_float16"),
                           ks.layers.Dense(2, activation="softmax")])
    path = tmp_path / f"m.{fmt}"
    model.save(path)
    loaded = ks.models.load_model(path)
    assert [layer.dtype_policy.name for layer in loaded.layers] == ["mixed_float16", "float32"]
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.filterwarnings(CPU_WARNING)
def test_keras2_policy_dicts_in_h5_configs_load(tmp_path, mixed_backend):
    """A tf.keras 2 file stores a mixed layer's dtype as ``{"class_name": "Policy", "config": {...}}``."""
    model = ks.Sequential([ks.Input((3,)), ks.layers.Dense(4), ks.layers.Dense(2)])
    path = tmp_path / "k2.h5"
    model.save(path)
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        for layer in config["config"]["layers"][1:]:
            layer["config"]["dtype"] = {"class_name": "Policy", "config": {"name": "mixed_float16"}}
        f.attrs["model_config"] = json.dumps(config)
    loaded = ks.models.load_model(path)
    assert [layer.dtype_policy.name for layer in loaded.layers] == ["mixed_float16", "mixed_float16"]
    assert loaded.layers[0].kernel.dtype == "float32"
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=2e-3, atol=2e-3)
