"""The builders take Keras's application arguments: heads, pooling, input shapes and tensors, and clear errors."""

import numpy as np
import pytest
from apps_fixtures import BUILDERS, FEATURES, FLATTEN_TOP, NAMES

import kerasette as ks
from kerasette import applications, layers


def test_all_lists_the_builders():
    for name in NAMES:
        assert name in applications.__all__
        assert callable(getattr(applications, name))


@pytest.mark.parametrize("name", NAMES)
def test_fresh_model_with_keras_defaults(name):
    model = BUILDERS[name][0](weights=None)
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    probabilities = model.predict(np.zeros((2, 28, 28, 1), "float32"), verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_new_classes_and_logits_with_fresh_weights(name):
    model = BUILDERS[name][0](weights=None, classes=3, classifier_activation=None)
    assert model.output_shape == (None, 3)
    logits = model.predict(np.random.default_rng(0).random((2, 28, 28, 1), dtype=np.float32), verbose=0)
    assert not np.allclose(logits.sum(axis=1), 1.0)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pooling", [None, "avg", "max"])
def test_feature_extractor_and_pooling(name, pooling):
    model = BUILDERS[name][0](include_top=False, weights=None, pooling=pooling)
    if pooling is None:
        assert len(model.output_shape) == 4 and model.output_shape[-1] == FEATURES[name]
    else:
        assert model.output_shape == (None, FEATURES[name])
        assert model.layers[-1].name == f"{pooling}_pool"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(32, 32, 1), (40, 36, 3), (20, 20, 2)])
def test_other_input_shapes_with_fresh_weights(name, shape):
    model = BUILDERS[name][0](weights=None, input_shape=shape)
    assert model.input_shape == (None,) + shape
    out = model.predict(np.zeros((1,) + shape, "float32"), verbose=0)
    assert out.shape == (1, 10)


@pytest.mark.parametrize("name", NAMES)
def test_input_smaller_than_the_architecture_allows(name):
    with pytest.raises(ValueError, match="Input size must be at least"):
        BUILDERS[name][0](weights=None, input_shape=(3, 3, 1))


@pytest.mark.parametrize("name", NAMES)
def test_input_tensor_is_used_and_its_source_becomes_the_input(name):
    raw = ks.Input(shape=(24, 24, 1))
    padded = layers.ZeroPadding2D(2)(raw)
    model = BUILDERS[name][0](weights=None, input_tensor=padded)
    assert model.inputs[0] is raw
    assert model.predict(np.zeros((2, 24, 24, 1), "float32"), verbose=0).shape == (2, 10)


def test_input_tensor_must_be_symbolic_and_agree_with_input_shape():
    with pytest.raises(TypeError, match="input_tensor"):
        applications.LeNet5(weights=None, input_tensor=np.zeros((1, 28, 28, 1)))
    with pytest.raises(ValueError, match="does not match"):
        applications.LeNet5(weights=None, input_tensor=ks.Input((28, 28, 1)), input_shape=(32, 32, 1))


@pytest.mark.parametrize("name", NAMES)
def test_pretrained_top_needs_ten_classes(name):
    with pytest.raises(ValueError, match="`classes` should be 10"):
        BUILDERS[name][0](classes=5)
    model = BUILDERS[name][0](include_top=False, classes=5)  # classes only matters with the top
    assert len(model.output_shape) == 4


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("arguments, error, match", [
    ({"weights": "imagenet"}, ValueError, "`weights` argument"),
    ({"weights": "/no/such/file.weights.h5"}, ValueError, "`weights` argument"),
    ({"pooling": "sum", "include_top": False}, ValueError, "pooling"),
    ({"classes": 0, "weights": None}, ValueError, "classes"),
    ({"include_top": "yes"}, TypeError, "include_top"),
    ({"input_shape": (28, 28, 2)}, ValueError, "1 channel"),
    ({"input_shape": (28, 28)}, ValueError, "input_shape"),
    ({"classifier_activation": "relu"}, ValueError, "classifier_activation"),
])
def test_argument_errors(name, arguments, error, match):
    with pytest.raises(error, match=match):
        BUILDERS[name][0](**arguments)


@pytest.mark.parametrize("name", sorted(FLATTEN_TOP))
def test_flatten_top_with_weights_needs_28x28(name):
    with pytest.raises(ValueError, match="28x28"):
        BUILDERS[name][0](input_shape=(32, 32, 1))
    assert BUILDERS[name][0](include_top=False, input_shape=(32, 32, 1)).output_shape[-1] == FEATURES[name]


@pytest.mark.parametrize("name", NAMES)
def test_save_and_load_an_application(name, tmp_path):
    model = BUILDERS[name][0](weights=None)
    path = str(tmp_path / "app.keras")
    model.save(path)
    restored = ks.models.load_model(path)
    x = np.random.default_rng(2).random((2, 28, 28, 1), dtype=np.float32)
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_architectures_use_the_named_blocks():
    resnet = applications.ResNetSmall(weights=None)
    kinds = {type(layer).__name__ for layer in resnet.layers}
    assert {"Add", "BatchNormalization", "Conv2D"} <= kinds
    mobilenet = applications.MobileNetSmall(weights=None)
    kinds = {type(layer).__name__ for layer in mobilenet.layers}
    assert {"DepthwiseConv2D", "BatchNormalization", "ReLU"} <= kinds
    assert all(layer.max_value == 6.0 for layer in mobilenet.layers if isinstance(layer, layers.ReLU))
