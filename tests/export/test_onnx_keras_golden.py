"""Real Keras 3 as the oracle: a model built and saved by Keras, loaded by kerasette and exported to ONNX,
gives what Keras's own ``predict`` gives (convolutions with BatchNormalization folded, Flatten after a
convolution, LSTM/GRU/SimpleRNN gate layouts, go_backwards, Bidirectional)."""

import numpy as np
from keras_reference import keras, quiet
from onnx_helpers import run

import kerasette as ks
from kerasette.export import to_onnx


def randomized(model, rng):
    for layer in model.layers:
        layer.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") if "variance" in w.path
                           else rng.normal(0.0, 0.5, w.shape).astype("float32") for w in layer.weights])
    return model


def convnet():
    x = keras.Input((6, 5, 3), name="image")
    y = keras.layers.Conv2D(4, 3, padding="same", use_bias=False)(x)
    y = keras.layers.ReLU(6.0)(keras.layers.BatchNormalization()(y))
    y = keras.layers.MaxPooling2D()(keras.layers.DepthwiseConv2D(3, padding="same")(y))
    return keras.Model(x, keras.layers.Dense(5, activation="softmax", name="probs")(keras.layers.Flatten()(y)))


def recurrent():
    s = keras.Input((7, 3), name="sequence")
    a = keras.layers.Flatten()(keras.layers.LSTM(4, return_sequences=True)(s))
    b = keras.layers.GRU(3, go_backwards=True)(s)
    c = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, return_sequences=True), merge_mode="sum")(s)
    return keras.Model(s, keras.layers.Concatenate(name="features")([a, b, keras.layers.Flatten()(c)]))


def exported_matches_keras(build, shape, tmp_path):
    rng = np.random.default_rng(4)
    model = quiet(lambda: randomized(build(), rng))
    path = str(tmp_path / "model.keras")
    quiet(lambda: model.save(path))
    data = rng.normal(size=shape).astype("float32")
    expected = quiet(lambda: model.predict(data, verbose=0))
    proto = to_onnx(ks.models.load_model(path, compile=False))
    assert [i.name for i in proto.graph.input] == [model.inputs[0].name]
    assert [o.name for o in proto.graph.output] == list(model.output_names)
    return float(np.max(np.abs(run(proto, [data])[0] - expected)))


def test_a_keras_convnet_exports_to_what_keras_predicts(tmp_path):
    assert exported_matches_keras(convnet, (4, 6, 5, 3), tmp_path) <= 1e-4


def test_keras_recurrent_layers_export_to_what_keras_predicts(tmp_path):
    assert exported_matches_keras(recurrent, (4, 7, 3), tmp_path) <= 1e-4


def attention_block():
    tokens = keras.Input((5, 6), name="tokens")
    memory = keras.Input((4, 3), name="memory")
    attended = keras.layers.MultiHeadAttention(2, 3)(tokens, tokens, use_causal_mask=True)
    x = keras.layers.LayerNormalization()(tokens + attended)
    x = x + keras.layers.MultiHeadAttention(3, 2, value_dim=4)(x, memory)
    x = x + keras.layers.GroupQueryAttention(3, 4, 2)(x, x)
    pooled = keras.ops.mean(keras.ops.relu(x) * 0.5, axis=1)
    return keras.Model([tokens, memory], keras.layers.Dense(2, name="logits")(pooled))


def test_keras_attention_layers_and_ops_export_to_what_keras_predicts(tmp_path):
    rng = np.random.default_rng(6)
    model = quiet(lambda: randomized(attention_block(), rng))
    path = str(tmp_path / "model.keras")
    quiet(lambda: model.save(path))
    data = [rng.normal(size=(3, 5, 6)).astype("float32"), rng.normal(size=(3, 4, 3)).astype("float32")]
    expected = quiet(lambda: model.predict(data, verbose=0))
    proto = to_onnx(ks.models.load_model(path, compile=False))
    assert [i.name for i in proto.graph.input] == ["tokens", "memory"]
    assert float(np.max(np.abs(run(proto, data)[0] - expected))) <= 1e-4
