"""Dtype policies (`keras.DTypePolicy`, `keras.dtype_policies`, `keras.config.set_dtype_policy`) against Keras 3."""

import numpy as np
import pytest

import kerasette as ks
from kerasette import dtype_policies


@pytest.fixture
def keras():
    from keras_reference import keras

    yield keras
    keras.config.set_dtype_policy("float32")


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "int32", "bool"])
def test_policy_attributes_config_and_serialization_match_keras(keras, name):
    ours, theirs = ks.DTypePolicy(name), keras.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, repr(ours)) == (
        theirs.name, theirs.compute_dtype, theirs.variable_dtype, repr(theirs))
    assert ours.get_config() == theirs.get_config() and ours.quantization_mode is theirs.quantization_mode is None
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours
    assert ks.DTypePolicy.from_config(theirs.get_config()) == ours


def test_float_dtype_policy_is_an_alias(keras):
    ours, theirs = ks.FloatDTypePolicy("float64"), keras.FloatDTypePolicy("float64")
    assert repr(ours) == repr(theirs) == '<DTypePolicy "float64">'
    assert ours == ks.DTypePolicy("float64") and isinstance(ours, ks.DTypePolicy)
    assert ks.dtype_policies.FloatDTypePolicy is ks.FloatDTypePolicy
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert ours != ks.DTypePolicy("float32") and ours != "float64"


def test_get_reads_names_configs_dtypes_and_policies(keras):
    policy = ks.DTypePolicy("float16")
    for identifier in ["float64", {"class_name": "FloatDTypePolicy", "config": {"name": "float64"}}, np.float64,
                       np.dtype("float64")]:
        assert repr(dtype_policies.get(identifier)) == repr(keras.dtype_policies.get(identifier))
    assert dtype_policies.get(policy) is policy and dtype_policies.get(None) == ks.config.dtype_policy()
    assert repr(ks.config.dtype_policy()) == repr(keras.config.dtype_policy()) == '<DTypePolicy "float32">'


def test_layers_take_a_policy_and_report_it_as_keras_does(keras, backend):
    for dtype in [ks.DTypePolicy("float64"), "float64", {"class_name": "DTypePolicy", "config": {"name": "float64"}}]:
        ours = ks.layers.Dense(2, dtype=dtype)
        theirs = keras.layers.Dense(2, dtype=keras.dtype_policies.get(dtype) if isinstance(dtype, dict) else
                                    keras.DTypePolicy("float64"))
        assert (ours.dtype, ours.compute_dtype, ours.variable_dtype, repr(ours.dtype_policy)) == (
            theirs.dtype, theirs.compute_dtype, theirs.variable_dtype, repr(theirs.dtype_policy))
        out = ours(np.ones((3, 4), dtype="float32"))
        assert out.dtype == "float64" and ours.kernel.dtype == "float64"


def test_set_dtype_policy_sets_the_default_of_new_layers_as_keras_does(keras, backend):
    for lib in (ks, keras):
        lib.config.set_dtype_policy(lib.DTypePolicy("float64") if lib is ks else "float64")
    assert repr(ks.config.dtype_policy()) == repr(keras.config.dtype_policy()) == '<DTypePolicy "float64">'
    before = ks.layers.Dense(1, dtype="float32")
    inputs, keras_inputs = ks.Input((3,)), keras.Input((3,))
    assert inputs.dtype == keras_inputs.dtype == "float32"  # inputs stay floatx
    layer, keras_layer = ks.layers.Dense(2), keras.layers.Dense(2)
    assert layer.dtype == keras_layer.dtype == "float64" and before.dtype == "float32"
    model = ks.Model(inputs, layer(inputs))
    assert model.dtype == keras.Model(keras_inputs, keras_layer(keras_inputs)).dtype == "float64"
    assert model.outputs[0].dtype == "float64" and ks.config.floatx() == keras.config.floatx() == "float32"
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    assert model.predict(np.ones((2, 3), "float32"), verbose=0).dtype == np.float64
    ks.backend.clear_session()
    keras.backend.clear_session()
    assert repr(ks.config.dtype_policy()) == repr(keras.config.dtype_policy()) == '<DTypePolicy "float32">'
    assert ks.layers.Dense(1).dtype == "float32"


def test_float16_where_the_backend_has_it(backend):
    if backend.name == "opencl":
        with pytest.raises(ValueError, match="The dtype policy 'float16' is not supported by the active backend "
                                             "'opencl'"):
            ks.config.set_dtype_policy("float16")
        assert ks.config.dtype_policy().name == "float32"
        return
    ks.config.set_dtype_policy("float16")
    layer = ks.layers.Dense(2, kernel_initializer="ones")
    out = layer(np.full((1, 3), 0.1, dtype="float32"))
    assert out.dtype == "float16" and layer.kernel.dtype == "float16"
    np.testing.assert_allclose(out.numpy(), [[0.3, 0.3]], rtol=1e-3)


@pytest.mark.parametrize("name, error, message", [
    ("mixed_bfloat16", ValueError, "'mixed_bfloat16': kerasette's backends have no bfloat16"),
    ("bfloat16", ValueError, "kerasette's backends cannot compute in bfloat16"),
    ("float8_e4m3fn", ValueError, "cannot compute in float8_e4m3fn"),
    ("float", ValueError, "Cannot convert 'float' to a DTypePolicy"),
    (3, TypeError, "'name' must be a string"),
])
def test_unsupported_policies_raise(name, error, message):
    with pytest.raises(error, match=message):
        ks.DTypePolicy(name)
    with pytest.raises(error, match=message):
        ks.layers.Dense(1, dtype=ks.DTypePolicy(name))


def test_set_dtype_policy_and_get_refuse_what_keras_refuses_and_what_kerasette_lacks(keras):
    with pytest.raises(ValueError, match="Invalid `policy` argument") as ours:
        ks.config.set_dtype_policy(3)
    with pytest.raises(ValueError, match="Invalid `policy` argument"):
        keras.config.set_dtype_policy(3)
    assert "Received: policy=3 (of type <class 'int'>)" in str(ours.value)
    with pytest.raises(ValueError, match="does not take a quantized global policy"):
        ks.config.set_dtype_policy("int8_from_float32")
    assert dtype_policies.get("int8_from_float32").name == "int8_from_float32"  # a layer's policy after quantize
    with pytest.raises(NotImplementedError, match="'int4' is not implemented by kerasette"):
        dtype_policies.get("int4_from_float32")
    with pytest.raises(ValueError, match="no bfloat16"):
        dtype_policies.get("float8_from_mixed_bfloat16")
    assert ks.config.dtype_policy().name == "float32"
    with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
        dtype_policies.get(3.5)
    with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
        keras.dtype_policies.get(3.5)


def test_quantized_policy_classes_other_than_int8_are_named_as_missing():
    for name in ["QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy", "AWQDTypePolicy",
                 "DTypePolicyMap"]:
        assert not hasattr(ks.dtype_policies, name)
        with pytest.raises(AttributeError, match=f"{name} is not implemented"):
            getattr(ks.dtype_policies, name)
    with pytest.raises(ValueError, match="'QuantizedFloat8DTypePolicy' is not supported by kerasette"):
        dtype_policies.deserialize({"class_name": "QuantizedFloat8DTypePolicy", "config": {"mode": "float8",
                                                                                           "source_name": "float32"}})
    policy = dtype_policies.deserialize({"class_name": "QuantizedDTypePolicy",
                                         "config": {"mode": "int8", "source_name": "float32"}})
    assert policy == ks.dtype_policies.QuantizedDTypePolicy("int8", "float32")
    with pytest.raises(ValueError, match="Unknown dtype policy class 'Policy'"):
        dtype_policies.deserialize({"class_name": "Policy", "config": {"name": "float32"}})
    with pytest.raises(TypeError, match="Expected a DTypePolicy"):
        dtype_policies.serialize("float32")


def test_a_keras_layer_config_with_a_policy_loads():
    config = ks.layers.Dense(3, dtype="float64").get_config()
    config["dtype"] = dtype_policies.serialize(ks.DTypePolicy("float64"))
    layer = ks.layers.Dense.from_config(config)
    assert layer.dtype_policy == ks.DTypePolicy("float64")


def test_text_inputs_have_a_string_policy_that_no_computing_layer_or_default_takes():
    # Keras reports the global policy for any InputLayer (its `dtype` says "string"); kerasette's layers report
    # the policy of their own dtype, so reading `dtype_policy` on every layer of a text model works.
    ours = ks.layers.InputLayer(shape=(), dtype="string").dtype_policy
    assert repr(ours) == '<DTypePolicy "string">'
    with pytest.raises(ValueError, match="Invalid dtype <DTypePolicy \"string\">. Expected a numeric dtype"):
        ks.layers.Dense(2, dtype=ours)
    with pytest.raises(ValueError, match="The dtype policy 'string' is not supported by the active backend"):
        ks.config.set_dtype_policy("string")
