"""kerasette -> file -> kerasette: every format, every test model, compiled state and resuming training."""

import os

import numpy as np
import pytest
import saving_models as sm

import kerasette as ks
from kerasette.saving import legacy_h5
from kerasette.saving.optimizer_state import keras_ordered_variables

FULL_FORMATS = ["model.h5", "model.keras"]
WEIGHT_FORMATS = ["w.weights.h5", "w.h5"]
MODELS = ["mlp", "cnn", "branches", "two_outputs", "separable", "nested"]


def build(name, seed=0):
    return sm.randomize(sm.BUILDERS[name](ks), seed)


def compile_model(model, name):
    if name == "two_outputs":
        model.compile(ks.optimizers.Adam(0.01), loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                      loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"]})
    else:
        model.compile(ks.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])


def targets(name, n):
    labels = np.arange(n) % 3
    if name == "two_outputs":
        return [labels, np.linspace(-1, 1, n).reshape(n, 1).astype("float32")]
    return labels


@pytest.mark.parametrize("filename", FULL_FORMATS)
@pytest.mark.parametrize("name", MODELS)
def test_full_model_round_trip_predicts_the_same(tmp_path, name, filename):
    model = build(name)
    x = sm.inputs_for(name)
    path = tmp_path / filename
    model.save(path)
    loaded = ks.models.load_model(path)
    assert type(loaded) is type(model)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in sm.predictions(loaded, x)]),
                                  np.concatenate([p.ravel() for p in sm.predictions(model, x)]))
    assert not loaded.compiled


@pytest.mark.parametrize("filename", WEIGHT_FORMATS)
@pytest.mark.parametrize("name", MODELS)
def test_weights_round_trip_predicts_the_same(tmp_path, name, filename):
    model = build(name, seed=1)
    other = build(name, seed=2)  # same architecture, other layer names and weights
    path = tmp_path / filename
    model.save_weights(path)
    other.load_weights(path)
    x = sm.inputs_for(name)
    assert sm.max_abs_diff(sm.predictions(other, x), sm.predictions(model, x)) == 0.0


@pytest.mark.parametrize("filename", FULL_FORMATS + ["w.weights.h5"])
@pytest.mark.parametrize("name", ["cnn", "branches", "two_outputs"])
def test_compiled_model_comes_back_compiled_with_the_optimizer_state(tmp_path, name, filename):
    model = build(name)
    compile_model(model, name)
    x = sm.inputs_for(name, n=6)
    model.fit(x, targets(name, 6), epochs=2, batch_size=3, verbose=0)
    path = tmp_path / filename
    if filename.endswith(".weights.h5"):
        model.save_weights(path)
        loaded = build(name, seed=5)
        compile_model(loaded, name)
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = ks.models.load_model(path)
    assert loaded.compiled
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    # Keras orders optimizer state by its layer order; kerasette builds on its own order, which differs
    # for `branches`, so the state is compared in Keras's order (get_weights() directly where they agree).
    saved = [v.numpy() for v in keras_ordered_variables(model, model.optimizer)]
    restored = [v.numpy() for v in keras_ordered_variables(loaded, loaded.optimizer)]
    assert len(saved) == len(restored) == len(model.optimizer.get_weights())
    for a, b in zip(saved, restored):
        np.testing.assert_array_equal(a, b)
    if name != "branches":
        for a, b in zip(model.optimizer.get_weights(), loaded.optimizer.get_weights()):
            np.testing.assert_array_equal(a, b)
    assert int(loaded.optimizer.iterations.numpy()) == 4
    assert loaded.evaluate(x, targets(name, 6), verbose=0) == model.evaluate(x, targets(name, 6), verbose=0)


def test_compile_false_and_include_optimizer_false_give_an_uncompiled_model(tmp_path):
    model = build("mlp")
    compile_model(model, "mlp")
    model.save(tmp_path / "a.keras")
    assert not ks.models.load_model(tmp_path / "a.keras", compile=False).compiled
    model.save(tmp_path / "b.h5", include_optimizer=False)
    assert not ks.models.load_model(tmp_path / "b.h5").compiled


def _train(name, filename, tmp_path, split):
    ks.utils.set_random_seed(7)
    ks.utils.clear_session()
    model = build(name)
    compile_model(model, name)
    x, y = sm.inputs_for(name, n=12, seed=3), targets(name, 12)
    if not split:
        model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        return model
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    model.save(tmp_path / filename)
    resumed = ks.models.load_model(tmp_path / filename)
    assert resumed.epochs_trained == 1  # the epoch count travels with the file
    resumed.fit(x, y, epochs=2, initial_epoch=resumed.epochs_trained, batch_size=4, verbose=0)
    return resumed


@pytest.mark.parametrize("filename", FULL_FORMATS)
@pytest.mark.parametrize("name", ["cnn", "branches"])
def test_resuming_from_a_saved_model_gives_the_same_weights_as_training_straight_through(tmp_path, name, filename):
    straight = _train(name, filename, tmp_path, split=False)
    resumed = _train(name, filename, tmp_path, split=True)
    for a, b in zip(straight.weights, resumed.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    assert int(resumed.optimizer.iterations.numpy()) == int(straight.optimizer.iterations.numpy()) == 6


def test_overwrite_false_refuses_and_keeps_the_file(tmp_path):
    model = build("mlp")
    for filename in ("m.h5", "m.keras", "w.weights.h5"):
        path = tmp_path / filename
        path.write_bytes(b"precious")
        with pytest.raises(FileExistsError, match="overwrite=False"):
            if filename.startswith("w"):
                model.save_weights(path, overwrite=False)
            else:
                model.save(path, overwrite=False)
        assert path.read_bytes() == b"precious"
    assert sorted(os.listdir(tmp_path)) == ["m.h5", "m.keras", "w.weights.h5"]


def test_a_failed_save_leaves_the_previous_file_byte_identical(tmp_path, monkeypatch):
    model = build("cnn")
    path = tmp_path / "model.h5"
    model.save(path)
    before = path.read_bytes()
    written = []

    def failing_writer(group, model):
        group.create_group("half_written")
        written.append(True)
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(legacy_h5, "write_weights_group", failing_writer)
    sm.randomize(model, seed=9)
    with pytest.raises(RuntimeError, match="simulated"):
        model.save(path)
    assert written and path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.h5"]  # the temporary file is gone
    monkeypatch.undo()
    np.testing.assert_array_equal(ks.models.load_model(path).layers[0].get_weights()[0],
                                  build("cnn").layers[0].get_weights()[0])


def test_a_failed_keras_zip_save_leaves_the_previous_file_byte_identical(tmp_path, monkeypatch):
    import zipfile

    model = build("mlp")
    path = tmp_path / "model.keras"
    model.save(path)
    before = path.read_bytes()
    original = zipfile.ZipFile.writestr

    def writestr(self, name, data, *args, **kwargs):
        if name == "model.weights.h5":
            raise OSError("interrupted (simulated)")
        return original(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    with pytest.raises(OSError, match="simulated"):
        model.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.keras"]


def test_file_names_choose_the_format_and_unknown_suffixes_are_refused(tmp_path):
    import h5py

    model = build("mlp")
    model.save_weights(tmp_path / "a.weights.h5")
    model.save_weights(tmp_path / "b.h5")
    with h5py.File(tmp_path / "a.weights.h5", "r") as f:
        assert "layers" in f and "layer_names" not in f.attrs
    with h5py.File(tmp_path / "b.h5", "r") as f:
        assert list(f.attrs["layer_names"]) == [b"dense", b"dense_1", b"dense_2"]
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "c.keras")
    with pytest.raises(ValueError, match="save_weights"):
        model.save(tmp_path / "d.weights.h5")
    with pytest.raises(ValueError, match="extension"):
        model.save(tmp_path / "e.pkl")


def test_legacy_h5_load_weights_by_name_and_skip_mismatch(tmp_path):
    layers = ks.layers
    source = ks.Sequential([ks.Input((4,)), layers.Dense(3, name="a"), layers.Dense(2, name="b")])
    sm.randomize(source)
    source.save_weights(tmp_path / "w.h5")
    # by name: only `b` matches; `a2` keeps its weights
    target = ks.Sequential([ks.Input((4,)), layers.Dense(3, name="a2"), layers.Dense(2, name="b")])
    kept = target.get_layer("a2").get_weights()
    target.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(target.get_layer("b").get_weights()[0], source.get_layer("b").get_weights()[0])
    np.testing.assert_array_equal(target.get_layer("a2").get_weights()[0], kept[0])
    # a shape mismatch by name is an error, or a warning with skip_mismatch
    wrong = ks.Sequential([ks.Input((4,)), layers.Dense(3, name="a"), layers.Dense(7, name="b")])
    with pytest.raises(ValueError, match="Shape mismatch"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True)
    with pytest.warns(UserWarning, match="Skipping layer `b`"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(wrong.get_layer("a").get_weights()[0], source.get_layer("a").get_weights()[0])


def test_layer_count_mismatch_lists_layer_names_and_counts_and_loads_nothing(tmp_path):
    layers = ks.layers
    source = ks.Sequential([ks.Input((4,)), layers.Dense(3, name="a"), layers.Dense(2, name="b")])
    source.save_weights(tmp_path / "w.h5")
    target = ks.Sequential([ks.Input((4,)), layers.Dense(3, name="x"), layers.Dense(3, name="y"),
                            layers.Dense(2, name="z")])
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(ValueError, match=r"Layer count mismatch.*2 layers with weights \['a', 'b'\].*has 3 "
                                         r"\['x', 'y', 'z'\]"):
        target.load_weights(tmp_path / "w.h5")
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_load_weights_accepts_full_model_files(tmp_path):
    model = build("cnn")
    model.save(tmp_path / "m.h5")
    model.save(tmp_path / "m.keras")
    x = sm.inputs_for("cnn")
    for filename in ("m.h5", "m.keras"):
        other = build("cnn", seed=3)
        other.load_weights(tmp_path / filename)
        assert sm.max_abs_diff(sm.predictions(other, x), sm.predictions(model, x)) == 0.0


def test_subclassed_models_save_whole_only_as_keras_and_unbuilt_ones_not_at_all(tmp_path):
    class Custom(ks.Model):
        def __init__(self, **kwargs):  # from_config passes the base config (name, trainable, dtype)
            super().__init__(**kwargs)
            self.dense = ks.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    custom = Custom()
    custom(np.zeros((1, 3), "float32"))
    with pytest.raises(NotImplementedError, match="save_weights"):
        custom.save(tmp_path / "c.h5")  # the legacy format holds graphs only
    custom.save(tmp_path / "c.keras")  # as Keras 3: the class's config; loading needs the class registered
    with pytest.raises(ValueError, match="class 'Custom'.*register"):
        ks.models.load_model(tmp_path / "c.keras")
    assert isinstance(ks.models.load_model(tmp_path / "c.keras", custom_objects={"Custom": Custom}), Custom)
    custom.save_weights(tmp_path / "c.weights.h5")
    again = Custom()
    again(np.zeros((1, 3), "float32"))
    again.load_weights(tmp_path / "c.weights.h5")
    np.testing.assert_array_equal(again.dense.get_weights()[0], custom.dense.get_weights()[0])
    unbuilt = ks.Sequential([ks.layers.Dense(2)])
    with pytest.raises(ValueError, match="not built"):
        unbuilt.save(tmp_path / "u.h5")


def test_a_recompressed_keras_zip_still_loads(tmp_path):
    import zipfile

    model = build("cnn")
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as z:
        members = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(tmp_path / "deflated.keras", "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    x = sm.inputs_for("cnn")
    loaded = ks.models.load_model(tmp_path / "deflated.keras")
    assert sm.max_abs_diff(sm.predictions(loaded, x), sm.predictions(model, x)) == 0.0
