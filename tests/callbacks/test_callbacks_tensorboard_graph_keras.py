"""TensorBoard callback, graph, against real Keras: the Graphs dashboard draws our model as it draws Keras's.

TensorBoard turns the JSON under the `keras` tag into the conceptual graph with its own
`keras_model_to_graph_def`; the same architecture built in real Keras must give the same
nodes, classes, dtypes and edges, and our run graph must match them too.
"""

import json

from keras_reference import keras, quiet
from tensorboard.plugins.graph import keras_util
from tensorboard_reading import read_run

import kerasette as ks


def described(graph_def, scope=""):
    """`{node: (class, dtype, inputs)}` with the model's name scope removed when given."""
    def strip(name):
        return name[len(scope):] if name.startswith(scope) else name

    return {
        strip(node.name): (node.attr["keras_class"].s.decode(), node.attr["dtype"].type, [strip(i) for i in node.input])
        for node in graph_def.node
    }


def build(lib, sequential):
    if sequential:
        return lib.Sequential([lib.Input((6,), name="pixels"), lib.layers.Dense(4, activation="relu", name="h"),
                               lib.layers.Dropout(0.2, name="drop"), lib.layers.Dense(3, name="logits")],
                              name="seq")
    a, b = lib.Input((4,), name="left"), lib.Input((4,), name="right")
    shared = lib.layers.Dense(3, name="shared")
    merged = lib.layers.Concatenate(name="merge")([shared(a), shared(b)])
    added = lib.layers.Add(name="add")([shared(a), shared(b)])
    out = lib.layers.Dense(1, name="score")(lib.layers.Concatenate(name="both")([merged, added]))
    return lib.Model([a, b], out, name="twin")


def check_against_keras(tmp_path, sequential):
    theirs = quiet(lambda: build(keras, sequential))
    golden = keras_util.keras_model_to_graph_def(json.loads(theirs.to_json()))
    ours = build(ks, sequential)
    callback = ks.callbacks.TensorBoard(tmp_path)
    callback.set_model(ours)
    callback.on_train_end()
    train = read_run(tmp_path / "train")
    conceptual = keras_util.keras_model_to_graph_def(json.loads(train.Tensors("keras")[0].tensor_proto.string_val[0]))
    assert described(conceptual) == described(golden)
    scope = ours.name + "/"
    run_graph = {node.name: (node.op, list(node.input)) for node in train.Graph().node}
    assert run_graph == {name: (cls, inputs) for name, (cls, _, inputs) in described(golden, scope).items()}


def test_functional_model_draws_as_keras_s(tmp_path):
    check_against_keras(tmp_path, sequential=False)


def test_sequential_model_draws_as_keras_s(tmp_path):
    check_against_keras(tmp_path, sequential=True)
