"""TensorBoard callback, graph: the run's GraphDef (layers as nodes) and the Keras conceptual graph."""

import json

import numpy as np
import pytest
from tensorboard.plugins.graph import keras_util
from tensorboard_reading import read_run, small_classifier

import kerasette as keras
from kerasette.callbacks import TensorBoard


def twin_model():
    """Two inputs through one shared Dense, concatenated, then a Dense: a shared layer and a merge."""
    a, b = keras.Input((4,), name="left"), keras.Input((4,), name="right")
    shared = keras.layers.Dense(3, name="shared")
    merged = keras.layers.Concatenate(name="merge")([shared(a), shared(b)])
    return keras.Model([a, b], keras.layers.Dense(1, name="score")(merged), name="twin")


def written_graphs(tmp_path, model):
    callback = TensorBoard(tmp_path)
    callback.set_model(model)
    callback.on_train_end()
    train = read_run(tmp_path / "train")
    return train, train.Graph()


def edges(graph_def, scope=""):
    """`{node: (class, [inputs])}` with a name scope removed (the conceptual graph scopes by model name)."""
    def strip(name):
        return name[len(scope):] if scope and name.startswith(scope) else name

    result = {}
    for node in graph_def.node:
        keras_class = node.attr["keras_class"].s.decode()
        result[strip(node.name)] = (keras_class, [strip(i) for i in node.input])
    return result


def test_run_graph_has_a_node_per_layer_and_an_edge_per_connection(tmp_path):
    _, graph = written_graphs(tmp_path, twin_model())
    assert {node.name: (node.op, list(node.input)) for node in graph.node} == {
        "left": ("InputLayer", []),
        "right": ("InputLayer", []),
        "shared": ("Dense", ["left", "right"]),
        "merge": ("Concatenate", ["shared", "shared"]),
        "score": ("Dense", ["merge"]),
    }
    shapes = {node.name: [[d.size for d in s.dim] for s in node.attr["_output_shapes"].list.shape]
              for node in graph.node}
    assert shapes == {"left": [[-1, 4]], "right": [[-1, 4]], "shared": [[-1, 3]], "merge": [[-1, 6]],
                      "score": [[-1, 1]]}
    assert all(node.attr["dtype"].type == 1 for node in graph.node)  # DT_FLOAT


def test_conceptual_graph_is_the_model_json_under_the_keras_tag_at_step_0(tmp_path):
    model = twin_model()
    train, graph = written_graphs(tmp_path, model)
    assert train.Tags()["tensors"] == ["keras"]
    assert train.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"
    assert train.SummaryMetadata("keras").plugin_data.content == b"1"
    (event,) = train.Tensors("keras")
    assert event.step == 0
    config = json.loads(event.tensor_proto.string_val[0])
    assert config == json.loads(model.to_json())
    # The plugin's own conversion of that JSON draws the same nodes and edges as the run graph.
    conceptual = edges(keras_util.keras_model_to_graph_def(config), scope="twin/")
    assert conceptual == {node.name: (node.op, list(node.input)) for node in graph.node}


def test_sequential_graph_is_a_chain(tmp_path):
    model = keras.Sequential([keras.Input((5,), name="x"), keras.layers.Dense(3, name="d1"),
                              keras.layers.Dropout(0.5, name="drop"), keras.layers.Dense(2, name="d2")], name="seq")
    train, graph = written_graphs(tmp_path, model)
    expected = {"x": ("InputLayer", []), "d1": ("Dense", ["x"]), "drop": ("Dropout", ["d1"]), "d2": ("Dense", ["drop"])}
    assert {node.name: (node.op, list(node.input)) for node in graph.node} == expected
    config = json.loads(train.Tensors("keras")[0].tensor_proto.string_val[0])
    assert edges(keras_util.keras_model_to_graph_def(config), scope="seq/") == expected


def test_graph_of_a_sequential_model_built_later_is_written_after_the_first_batch(tmp_path):
    model = keras.Sequential([keras.layers.Dense(3, name="d1"), keras.layers.Dense(2, name="d2")])
    callback = TensorBoard(tmp_path)
    callback.set_model(model)
    assert not (tmp_path / "train").exists()
    model.build((None, 5))
    callback.on_train_begin()
    callback.on_train_batch_begin(0)
    callback.on_train_batch_end(0, {"loss": 1.0})
    callback.on_train_end()
    assert [node.name for node in read_run(tmp_path / "train").Graph().node][1:] == ["d1", "d2"]


def test_fit_writes_the_graph_once_per_fit(tmp_path):
    model = small_classifier()
    x, y = np.zeros((8, 4), "float32"), np.zeros(8, "int32")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[TensorBoard(tmp_path)])
    train = read_run(tmp_path / "train")
    assert [node.name for node in train.Graph().node] == ["features", "hidden", "probs"]
    assert len(train.Tensors("keras")) == 1


def test_write_graph_false_writes_no_graph(tmp_path):
    model = small_classifier()
    model.fit(np.zeros((8, 4), "float32"), np.zeros(8, "int32"), verbose=0,
              callbacks=[TensorBoard(tmp_path, write_graph=False)])
    train = read_run(tmp_path / "train")
    assert train.Tags()["graph"] is False and train.Tags()["tensors"] == []


def test_a_subclassed_model_has_no_layer_graph_and_a_warning_says_so(tmp_path):
    class Doubler(keras.Model):
        def call(self, inputs):
            return inputs * 2.0

    with pytest.warns(UserWarning, match="cannot write the graph of model .*write_graph=False"):
        TensorBoard(tmp_path).set_model(Doubler())
    assert not (tmp_path / "train").exists()
