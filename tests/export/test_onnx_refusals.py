"""What the ONNX export refuses, and how it says so: the layer's name and class, and the reason."""

import sys

import numpy as np
import pytest
from onnx_cases import random_weights
from onnx_helpers import max_difference

import kerasette as ks
from kerasette import layers
from kerasette.export import register_converter, to_onnx

RNG = np.random.default_rng(5)


def random_weights_of(model):
    random_weights(model, np.random.default_rng(11))
    return model


def two_in_two_out():
    image, meta = ks.Input((6, 5, 3), name="image"), ks.Input((2,), name="meta")
    joined = layers.Concatenate()([layers.GlobalMaxPooling2D()(image), layers.Dense(3)(meta)])
    return ks.Model([image, meta], [layers.Dense(4, name="label")(joined), layers.Dense(1, name="score")(joined)])


# ----- masks ------------------------------------------------------------------------------------
def test_a_mask_nobody_reads_exports():
    x = ks.Input((4,), dtype="int32")
    embedded = layers.Embedding(9, 3, mask_zero=True)(x)
    model = random_weights_of(ks.Model(x, layers.Dense(2)(embedded)))  # Dense passes the mask on, reads nothing
    data = np.array([[1, 2, 0, 0], [3, 0, 5, 8]], "int32")
    assert max_difference(to_onnx(model), model, [data]) <= 1e-4


def test_a_layer_that_reads_a_mask_is_refused():
    x = ks.Input((4,), dtype="int32")
    model = ks.Model(x, layers.GlobalAveragePooling1D(name="pool")(layers.Embedding(9, 3, mask_zero=True,
                                                                                    name="words")(x)))
    with pytest.raises(ValueError, match="layer `pool` \\(GlobalAveragePooling1D\\).*mask that `words` attaches"):
        to_onnx(model)


# ----- errors -----------------------------------------------------------------------------------
def test_a_lambda_layer_is_refused_with_its_name_and_class():
    x = ks.Input((3,))
    model = ks.Model(x, layers.Dense(2)(layers.Lambda(lambda t: t * 2.0, name="doubler")(x)))
    with pytest.raises(ValueError, match="Cannot export layer `doubler` \\(Lambda\\) to ONNX: a Lambda layer runs "
                                         "Python code"):
        to_onnx(model)


class Scale(layers.Layer):
    def call(self, x):
        return x * 3.0

    def compute_output_shape(self, input_shape):
        return input_shape


class Shift(layers.Layer):
    def call(self, x):
        return x + 1.0

    def compute_output_shape(self, input_shape):
        return input_shape


def test_a_custom_layer_needs_a_registered_converter():
    x = ks.Input((3,))
    with pytest.raises(ValueError, match="layer `shift` \\(Shift\\).*no ONNX converter is registered for Shift.*"
                                         "register_converter"):
        to_onnx(ks.Model(x, Shift(name="shift")(x)))


def test_a_registered_converter_exports_a_custom_layer():
    @register_converter(Scale)
    def scale(call):
        return call.builder.op("Mul", [call.input, call.builder.scalar(3.0)])

    x = ks.Input((3,))
    model = random_weights_of(ks.Model(x, Scale()(layers.Dense(3)(x))))
    assert max_difference(to_onnx(model), model, [RNG.normal(size=(2, 3)).astype("float32")]) <= 1e-4


class Scaled(layers.Layer):
    def call(self, x, factor=2.0):
        return x * factor

    def compute_output_shape(self, input_shape):
        return input_shape


def test_a_call_argument_the_converter_does_not_handle_is_refused():
    register_converter(Scaled)(lambda call: call.builder.op("Mul", [call.input, call.builder.scalar(2.0)]))
    x = ks.Input((3,))
    assert to_onnx(ks.Model(x, Scaled(name="twice")(x))) is not None
    with pytest.raises(ValueError, match="layer `thrice` \\(Scaled\\).*call argument `factor`"):
        to_onnx(ks.Model(x, Scaled(name="thrice")(x, factor=3.0)))


def test_an_explicit_mask_tensor_is_refused():
    x, m = ks.Input((4,)), ks.Input((4,), dtype="bool")
    model = ks.Model([x, m], layers.Softmax(name="masked_softmax")(x, mask=m))
    with pytest.raises(ValueError, match="layer `masked_softmax` \\(Softmax\\).*`mask` tensor"):
        to_onnx(model)


def test_a_recurrent_activation_without_onnx_form_is_refused():
    x = ks.Input((4, 3))
    with pytest.raises(ValueError, match="layer `smooth` \\(LSTM\\).*activation `gelu` has no ONNX recurrent form"):
        to_onnx(ks.Model(x, layers.LSTM(2, activation="gelu", name="smooth")(x)))


def test_resizing_an_image_of_unknown_size_is_refused():
    x = ks.Input((None, None, 3))
    with pytest.raises(ValueError, match="layer `resize` \\(Resizing\\).*known image size"):
        to_onnx(ks.Model(x, layers.Resizing(4, 4, name="resize")(x)))


def test_a_subclassed_model_is_refused():
    class TwoLayers(ks.Model):
        def __init__(self):
            super().__init__(name="two_layers")
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = TwoLayers()
    model(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="model `two_layers` \\(TwoLayers\\).*subclassed model"):
        to_onnx(model)


def test_an_unbuilt_sequential_model_is_refused():
    with pytest.raises(ValueError, match="not built yet"):
        to_onnx(ks.Sequential([layers.Dense(2)], name="later"))


def test_a_call_fixed_in_training_mode_is_refused():
    x = ks.Input((3,))
    model = ks.Model(x, layers.Dropout(0.5, name="always_on")(x, training=True))
    with pytest.raises(ValueError, match="layer `always_on` \\(Dropout\\).*training=True"):
        to_onnx(model)


def test_an_activation_without_onnx_form_is_refused():
    x = ks.Input((3,))
    model = ks.Model(x, layers.Dense(2, activation=lambda t: t, name="custom")(x))
    with pytest.raises(ValueError, match="layer `custom` \\(Dense\\).*activation `<lambda>` has no ONNX form"):
        to_onnx(model)


def test_a_float64_layer_is_refused():
    x = ks.Input((3,), dtype="float64")
    model = ks.Model(x, layers.Dense(2, dtype="float64", name="wide")(x))
    with pytest.raises(ValueError, match="layer `wide` \\(Dense\\).*float64"):
        to_onnx(model)


def test_missing_onnx_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match='pip install "kerasette\\[onnx\\]"'):
        to_onnx(two_in_two_out())


def test_a_stateful_rnn_is_refused():
    x = ks.Input(batch_shape=(2, 5, 3))
    model = ks.Model(x, layers.LSTM(4, stateful=True, name="memory")(x))
    with pytest.raises(ValueError, match="layer `memory` \\(LSTM\\).*stateful"):
        to_onnx(model)


def test_an_rnn_over_a_custom_cell_is_refused():
    class Cell(layers.Layer):
        state_size = 2

        def call(self, x, states):
            return x[:, :2], [x[:, :2]]

    x = ks.Input((5, 3))
    model = ks.Model(x, layers.RNN(Cell(name="my_cell"), name="loop")(x))
    with pytest.raises(ValueError, match="layer `loop` \\(RNN\\).*cell `my_cell` \\(Cell\\) runs Python code"):
        to_onnx(model)


def test_an_rnn_reading_an_embedding_mask_is_refused():
    x = ks.Input((5,), dtype="int32")
    model = ks.Model(x, layers.GRU(3, name="reader")(layers.Embedding(9, 4, mask_zero=True, name="tokens")(x)))
    with pytest.raises(ValueError, match="layer `reader` \\(GRU\\).*mask that `tokens` attaches"):
        to_onnx(model)
