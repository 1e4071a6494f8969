"""Custom layers holding layers: Keras 3's weights layout, config nesting, saving hooks, real Keras both ways."""

import os

import h5py
import numpy as np
import pytest

import kerasette as ks
from kerasette.saving import InvalidFileError

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside Keras's torch backend
TOLERANCE = 1e-5


def block_class(lib):
    """The same custom layer written against Keras or kerasette: a sublayer from the config, a list, a weight."""

    @lib.saving.register_keras_serializable(package="nested_test")
    class Block(lib.layers.Layer):
        def __init__(self, units=3, inner=None, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.inner = (lib.saving.deserialize_keras_object(inner) if inner is not None
                          else lib.layers.Dense(units, activation="relu"))
            self.stack = [lib.layers.Dense(2), lib.layers.Dense(2, use_bias=False)]

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(2,), initializer="ones", name="scale")

        def call(self, inputs):
            y = self.inner(inputs)
            for layer in self.stack:
                y = layer(y)
            return y * self.scale

        def get_config(self):
            return {**super().get_config(), "units": self.units,
                    "inner": lib.saving.serialize_keras_object(self.inner)}

    return Block


BLOCKS = {"keras": block_class(keras), "kerasette": block_class(ks)}


def build(lib, name):
    inputs = lib.Input((4,))
    outputs = BLOCKS[name](name="blk")(lib.layers.Dense(4, name="pre")(inputs))
    return lib.Model(inputs, outputs)


def randomize(model, seed):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def predict(model, x):
    return np.asarray(model.predict(x, verbose=0))


X = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")


def layout(path):
    found = {}

    def record(name, obj):  # returns None, so the visit goes on
        found[name] = obj.shape if isinstance(obj, h5py.Dataset) else None

    with h5py.File(path, "r") as f:
        f.visititems(record)
    return found


def test_weights_file_layout_is_keras_layout(tmp_path):
    ours, theirs = build(ks, "kerasette"), build(keras, "keras")
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    assert layout(tmp_path / "ours.weights.h5") == layout(tmp_path / "theirs.weights.h5")
    assert "layers/block/inner/vars/0" in layout(tmp_path / "ours.weights.h5")
    assert "layers/block/stack/dense_1/vars/0" in layout(tmp_path / "ours.weights.h5")


@pytest.mark.parametrize("fmt", ["keras", "weights.h5"])
def test_kerasette_round_trip(tmp_path, fmt):
    model = randomize(build(ks, "kerasette"), 2)
    path = tmp_path / f"m.{fmt}"
    if fmt == "keras":
        model.save(path)
        loaded = ks.models.load_model(path)
    else:
        model.save_weights(path)
        loaded = build(ks, "kerasette")
        loaded.load_weights(path)
    np.testing.assert_allclose(predict(loaded, X), predict(model, X), atol=TOLERANCE)
    block = loaded.get_layer("blk")
    assert block.inner.activation.__name__ == "relu" and len(block.weights) == 6


@pytest.mark.parametrize("fmt", ["keras", "weights.h5"])
def test_keras_written_files_load_in_kerasette(tmp_path, fmt, record_property):
    source = randomize(build(keras, "keras"), 3)
    path = tmp_path / f"k.{fmt}"
    if fmt == "keras":
        source.save(path)
        target = ks.models.load_model(path)
    else:
        source.save_weights(path)
        target = build(ks, "kerasette")
        target.load_weights(path)
    diff = float(np.abs(predict(target, X) - predict(source, X)).max())
    record_property(f"keras->kerasette nested {fmt}", diff)
    assert diff <= TOLERANCE


@pytest.mark.parametrize("fmt", ["keras", "weights.h5"])
def test_kerasette_written_files_load_in_keras(tmp_path, fmt, record_property):
    source = randomize(build(ks, "kerasette"), 4)
    path = tmp_path / f"s.{fmt}"
    if fmt == "keras":
        source.save(path)
        target = keras.models.load_model(path)
    else:
        source.save_weights(path)
        target = build(keras, "keras")
        target.load_weights(path)
    diff = float(np.abs(predict(target, X) - predict(source, X)).max())
    record_property(f"kerasette->keras nested {fmt}", diff)
    assert diff <= TOLERANCE


def test_a_file_from_another_model_is_refused_and_nothing_changes(tmp_path):
    model = randomize(build(ks, "kerasette"), 5)
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        del f["layers/block/stack/dense_1"]
        f.create_group("layers/block/extra/vars").create_dataset("0", data=np.zeros(2))
    target = randomize(build(ks, "kerasette"), 6)
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(InvalidFileError):
        target.load_weights(tmp_path / "w.weights.h5")
    for old, new in zip(before, target.get_weights()):
        np.testing.assert_array_equal(old, new)


class Table(ks.layers.Layer):
    """State saved in its own form (a transposed copy) through the saving hooks."""

    def build(self, input_shape):
        self.table = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="table")

    def call(self, inputs):
        return ks.ops.matmul(inputs, self.table)

    def save_own_variables(self, store):
        store["transposed"] = self.table.numpy().T

    def load_own_variables(self, store):
        self.table.assign(store["transposed"].T)


class LazyStack(ks.layers.Layer):
    """Sublayers made in __init__, built only by the first call; no build method."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first, self.second = ks.layers.Dense(3), ks.layers.Dense(1)

    def call(self, inputs):
        return self.second(self.first(inputs))


def test_save_and_load_own_variables_overrides_are_used(tmp_path):
    model = ks.Sequential([ks.Input((3,)), Table(name="table")])
    model.layers[0].table.assign(np.arange(6, dtype="float32").reshape(3, 2))
    model.save_weights(tmp_path / "t.weights.h5")
    with h5py.File(tmp_path / "t.weights.h5", "r") as f:
        np.testing.assert_array_equal(f["layers/table/vars/transposed"][()], np.arange(6).reshape(3, 2).T)
    other = ks.Sequential([ks.Input((3,)), Table(name="table")])
    other.load_weights(tmp_path / "t.weights.h5")
    np.testing.assert_array_equal(other.layers[0].table.numpy(), np.arange(6).reshape(3, 2))


def test_build_config_hooks_create_lazily_built_sublayers():
    layer = LazyStack()
    assert layer.get_build_config() is None
    layer(np.ones((2, 5), "float32"))
    assert layer.get_build_config() == {"input_shape": (2, 5)}
    fresh = LazyStack()
    fresh.build_from_config({"input_shape": [None, 5]})
    assert fresh.built and [w.shape for w in fresh.weights] == [(5, 3), (3,), (3, 1), (1,)]
    store = {}
    layer.first.save_own_variables(store)
    assert list(store) == ["0", "1"]
    fresh.first.load_own_variables(store)
    np.testing.assert_array_equal(fresh.first.kernel.numpy(), layer.first.kernel.numpy())
    with pytest.raises(ValueError, match="expected 2 variables"):
        fresh.first.load_own_variables({"0": store["0"]})


@ks.saving.register_keras_serializable(package="nested_test")
class SizedTable(ks.layers.Layer):
    """State sized by a build config of its own (not an input shape), as Keras's hooks allow."""

    calls = []

    def build(self, input_shape):
        self.size = input_shape[-1]
        self.table = self.add_weight(shape=(self.size,), initializer="zeros", name="table")

    def call(self, inputs):
        return inputs + self.table

    def get_build_config(self):
        return {"size": self.size}

    def build_from_config(self, config):
        SizedTable.calls.append(config)
        self.build((None, config["size"]))


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_custom_build_config_is_saved_and_build_from_config_runs_on_load(tmp_path, kind):
    if kind == "sequential":
        model = ks.Sequential([ks.Input((3,)), SizedTable(name="table")])
    else:
        inputs = ks.Input((3,))
        model = ks.Model(inputs, SizedTable(name="table")(inputs))
    model.get_layer("table").table.assign([1.0, 2.0, 3.0])
    model.save(tmp_path / "m.keras")
    SizedTable.calls.clear()
    loaded = ks.models.load_model(tmp_path / "m.keras")
    assert SizedTable.calls == [{"size": 3}]
    np.testing.assert_array_equal(loaded.get_layer("table").table.numpy(), [1.0, 2.0, 3.0])
