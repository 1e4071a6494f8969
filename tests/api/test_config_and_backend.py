"""keras.config and keras.backend names: settings, refusals that name what is unsupported, dtype rules vs Keras."""

import itertools
import os

import numpy as np
import pytest

import kerasette as ks
from kerasette import backend, backends, config

os.environ.setdefault("KERAS_BACKEND", "torch")
DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64"]


def test_floatx_epsilon_image_data_format_defaults_equal_keras():
    keras = pytest.importorskip("keras")
    for ours, theirs in ((config, keras.config), (backend, keras.backend)):
        assert (ours.floatx(), ours.epsilon(), ours.image_data_format()) == (
            theirs.floatx(), theirs.epsilon(), theirs.image_data_format())


def test_set_floatx_and_image_data_format_refuse_what_kerasette_lacks():
    config.set_floatx("float32")
    with pytest.raises(NotImplementedError, match=r"dtype='float64'"):
        config.set_floatx("float64")
    with pytest.raises(ValueError, match="Unknown `floatx`"):
        backend.set_floatx("float8")
    config.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="channels_last"):
        backend.set_image_data_format("channels_first")
    with pytest.raises(ValueError, match="Unknown `data_format`"):
        config.set_image_data_format("nhwc")
    assert config.floatx() == "float32" and config.image_data_format() == "channels_last"


def test_set_epsilon():
    try:
        backend.set_epsilon(1e-4)
        assert config.epsilon() == 1e-4
    finally:
        config.set_epsilon(1e-7)
    with pytest.raises(ValueError, match="float >= 0"):
        config.set_epsilon(-1.0)


def test_backend_names_and_set_backend(monkeypatch):
    monkeypatch.setattr(backends, "_active", backends.current())
    assert config.backend() == backend.backend() == backends.backend()
    config.set_backend("numpy")
    assert config.backend() == "numpy"
    for name in ("tensorflow", "jax", "torch"):
        with pytest.raises(ValueError, match=r"\['numpy', 'opencl'\]"):
            config.set_backend(name)
    with pytest.raises(ValueError, match="Unknown backend"):
        config.set_backend("cuda")


def test_switches_that_kerasette_cannot_honour_say_so():
    with pytest.warns(UserWarning, match="never runs code from files"):
        config.enable_unsafe_deserialization()
    with pytest.raises(NotImplementedError, match="flash-attention"):
        config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    with pytest.warns(UserWarning, match="does not filter tracebacks"):
        config.enable_traceback_filtering()
    config.disable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False and config.is_nnx_enabled() is False


def test_lambda_models_stay_refused_after_enable_unsafe_deserialization():
    model = ks.Sequential([ks.Input((2,)), ks.layers.Dense(1)])
    text = model.to_json().replace('"class_name": "Dense"', '"class_name": "Lambda"')
    with pytest.warns(UserWarning):
        config.enable_unsafe_deserialization()
    with pytest.raises(ValueError, match="Lambda"):
        ks.models.model_from_json(text)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_result_type_equals_keras_for_every_pair_and_python_scalars():
    keras = pytest.importorskip("keras")
    for a, b in itertools.product(DTYPES + [int, float, None], repeat=2):
        try:
            expected = keras.backend.result_type(a, b)
        except ValueError:
            with pytest.raises(ValueError):
                backend.result_type(a, b)
            continue
        assert backend.result_type(a, b) == expected, (a, b)
    for dtypes in [(), ("int8", "uint8", "float16"), (int,), (float, int, "bool"), ("bool",)]:
        assert backend.result_type(*dtypes) == keras.backend.result_type(*dtypes), dtypes
    with pytest.raises(ValueError, match="float8"):
        backend.result_type("float8_e4m3fn", "float32")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_standardize_and_classify_dtypes_equal_keras():
    keras = pytest.importorskip("keras")
    for dtype in DTYPES + [int, float, bool, np.float32, np.dtype("int16"), None, "string"]:
        assert backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype), dtype
        if dtype != "string":
            assert backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype), dtype
            assert backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype), dtype
    assert ks.utils.standardize_dtype is backend.standardize_dtype
    with pytest.raises(ValueError, match="Invalid dtype"):
        backend.standardize_dtype("float")


def test_clear_session_get_uid_and_is_keras_tensor():
    first = ks.layers.Dense(1)
    assert backend.get_uid("block") == 1 and backend.get_uid("block") == 2 and backend.get_uid() == 1
    backend.clear_session()
    assert backend.get_uid("block") == 1
    second = ks.layers.Dense(1)
    assert first.name == second.name == "dense"
    ks.utils.clear_session(free_memory=False)
    assert ks.layers.Dense(1).name == "dense"
    assert backend.is_keras_tensor(ks.Input((2,))) and not backend.is_keras_tensor(ks.ops.ones((2,)))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_set_epsilon_reaches_losses_and_constraints_as_in_keras():
    keras = pytest.importorskip("keras")
    y_true, y_pred = np.array([[1.0, 0.0]], "float32"), np.array([[0.0, 1.0]], "float32")
    cases = [("categorical_crossentropy", y_true, y_pred), ("kl_divergence", y_true, y_pred),
             ("mean_absolute_percentage_error", np.array([[0.0, 2.0]], "float32"), y_pred)]
    try:
        for value in (1e-4, 1e-7):
            config.set_epsilon(value)
            keras.config.set_epsilon(value)
            for name, t, p in cases:
                ours = float(np.asarray(getattr(ks.losses, name)(t, p)).ravel()[0])
                theirs = float(keras.ops.convert_to_numpy(getattr(keras.losses, name)(t, p)).ravel()[0])
                assert ours == pytest.approx(theirs, rel=1e-4), (name, value)
            w = np.zeros((2, 2), "float32")
            w[0, 0] = 3.0
            ours = ks.constraints.UnitNorm()(ks.ops.convert_to_tensor(w)).numpy()
            theirs = keras.ops.convert_to_numpy(keras.constraints.UnitNorm()(keras.ops.convert_to_tensor(w)))
            np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    finally:
        config.set_epsilon(1e-7)
        keras.config.set_epsilon(1e-7)
