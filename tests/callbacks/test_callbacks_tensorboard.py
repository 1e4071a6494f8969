"""TensorBoard callback: event files, read back with TensorBoard's reader, hold Keras's tags and History's values."""

import io
import sys

import numpy as np
import pytest
from tensorboard_reading import classifier_data, read_run, scalars, small_classifier

import kerasette as keras
from kerasette.callbacks import LambdaCallback, LearningRateScheduler, TensorBoard
from kerasette.callbacks._tensorboard_images import weight_image

BATCH, SAMPLES, SPLIT = 16, 64, 0.25  # 48 training samples: 3 batches per epoch


def fit(tmp_path, epochs=3, extra_callbacks=(), **tensorboard_args):
    keras.utils.set_random_seed(1)
    model = small_classifier()
    x, y = classifier_data(SAMPLES)
    callback = TensorBoard(tmp_path / "logs", **tensorboard_args)
    history = model.fit(x, y, batch_size=BATCH, epochs=epochs, validation_split=SPLIT, verbose=0,
                        callbacks=[callback, *extra_callbacks])
    return model, history, read_run(tmp_path / "logs" / "train"), read_run(tmp_path / "logs" / "validation")


def as_float32(values):
    return [float(np.float32(v)) for v in values]


def test_every_epoch_scalar_equals_the_history_value_of_that_epoch(tmp_path, backend):
    _, history, train, validation = fit(tmp_path)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for key, values in history.history.items():
        run, name = (validation, key[4:]) if key.startswith("val_") else (train, key)
        assert scalars(run, f"epoch_{name}") == list(zip([0, 1, 2], as_float32(values))), key


def test_directory_layout_and_tag_names_are_keras_s(tmp_path):
    _, _, train, validation = fit(tmp_path, write_graph=False)
    logs = tmp_path / "logs"
    assert sorted(p.name for p in logs.iterdir()) == ["train", "validation"]
    for run in ("train", "validation"):
        files = list((logs / run).iterdir())
        assert len(files) == 1 and files[0].name.startswith("events.out.tfevents.")
    assert set(train.Tags()["scalars"]) == {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"}
    assert set(validation.Tags()["scalars"]) == {
        "epoch_loss", "epoch_accuracy", "evaluation_loss_vs_iterations", "evaluation_accuracy_vs_iterations"}
    assert train.Tags()["histograms"] == [] and train.Tags()["images"] == []


def test_learning_rate_is_the_optimizer_s_for_each_epoch(tmp_path):
    schedule = LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    _, _, train, _ = fit(tmp_path, extra_callbacks=[schedule])
    assert scalars(train, "epoch_learning_rate") == list(zip([0, 1, 2], as_float32([0.1, 0.05, 0.1 / 3])))


def test_learning_rate_of_each_optimizer_of_a_multi_optimizer_and_through_a_loss_scale_optimizer(tmp_path):
    x, y = classifier_data(32)
    mapping = keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.5, name="body_sgd"),
                                            {"probs/.*": keras.optimizers.Adam(0.01, name="head_adam")})
    for optimizer, expected in [
        (keras.optimizers.MultiOptimizer(mapping), {"epoch_learning_rate_body_sgd": 0.5,
                                                    "epoch_learning_rate_head_adam": 0.01}),
        (keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.25)), {"epoch_learning_rate": 0.25}),
    ]:
        model = small_classifier(optimizer)
        log_dir = tmp_path / optimizer.name
        model.fit(x, y, epochs=1, verbose=0, callbacks=[TensorBoard(log_dir, write_graph=False)])
        train = read_run(log_dir / "train")
        rates = {tag: scalars(train, tag) for tag in train.Tags()["scalars"] if "learning_rate" in tag}
        assert rates == {tag: [(0, float(np.float32(lr)))] for tag, lr in expected.items()}


def test_evaluation_scalars_are_at_the_optimizer_iteration_count(tmp_path):
    model, history, _, validation = fit(tmp_path)
    assert int(model.optimizer.iterations.numpy()) == 9
    for name in ("loss", "accuracy"):
        expected = list(zip([3, 6, 9], as_float32(history.history[f"val_{name}"])))
        assert scalars(validation, f"evaluation_{name}_vs_iterations") == expected


def test_evaluate_alone_writes_to_validation_and_flushes(tmp_path):
    model = small_classifier()
    x, y = classifier_data(32)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    loss, accuracy = model.evaluate(x, y, verbose=0, callbacks=[TensorBoard(tmp_path, write_graph=False)])
    validation = read_run(tmp_path / "validation")  # no on_train_end: the callback flushed on its own
    assert scalars(validation, "evaluation_loss_vs_iterations") == [(2, float(np.float32(loss)))]
    assert scalars(validation, "evaluation_accuracy_vs_iterations") == [(2, float(np.float32(accuracy)))]
    assert not (tmp_path / "train").exists()


@pytest.mark.parametrize("update_freq, steps", [(2, [2, 4, 6, 8]), ("batch", list(range(1, 10)))])
def test_batch_scalars_every_update_freq_batches(tmp_path, update_freq, steps):
    seen = []
    recorder = LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    _, _, train, _ = fit(tmp_path, update_freq=update_freq, extra_callbacks=[recorder])
    for name in ("loss", "accuracy"):
        expected = [(step, float(np.float32(seen[step - 1][name]))) for step in steps]
        assert scalars(train, f"batch_{name}") == expected
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= set(train.Tags()["scalars"])


def test_steps_per_second(tmp_path):
    _, _, train, _ = fit(tmp_path, write_steps_per_second=True, update_freq=3)
    epoch_speed = scalars(train, "epoch_steps_per_second")
    batch_speed = scalars(train, "batch_steps_per_second")
    assert [step for step, _ in epoch_speed] == [0, 1, 2] and all(v > 0 for _, v in epoch_speed)
    assert [step for step, _ in batch_speed] == [3, 6, 9] and all(v > 0 for _, v in batch_speed)


def test_histograms_every_histogram_freq_epochs_describe_the_weights(tmp_path, backend):
    model, _, train, _ = fit(tmp_path, histogram_freq=2)
    paths = [w.path for layer in model.layers for w in layer.weights]
    assert paths == ["hidden/kernel", "hidden/bias", "probs/kernel", "probs/bias"]
    assert sorted(train.Tags()["histograms"]) == sorted(f"{p}/histogram" for p in paths)
    for layer in model.layers:
        for weight in layer.weights:
            events = train.Histograms(f"{weight.path}/histogram")
            assert [e.step for e in events] == [0, 2]
            last, values = events[-1].histogram_value, weight.numpy().astype(np.float64)
            assert last.num == values.size and sum(last.bucket) == values.size
            assert (last.min, last.max) == (values.min(), values.max())
            np.testing.assert_allclose(last.sum, values.sum(), rtol=1e-6, atol=1e-9)
    assert train.Tags()["images"] == []


def test_write_images_draws_each_weight(tmp_path, backend):
    pil = pytest.importorskip("PIL.Image")
    model, _, train, _ = fit(tmp_path, epochs=2, histogram_freq=1, write_images=True)
    for layer in model.layers:
        for weight in layer.weights:
            events = train.Images(f"{weight.path}/image")
            assert [e.step for e in events] == [0, 1]
            decoded = np.asarray(pil.open(io.BytesIO(events[-1].encoded_image_string)))
            expected = weight_image(weight.numpy())[..., 0]
            assert (events[-1].height, events[-1].width) == expected.shape
            np.testing.assert_array_equal(decoded, expected)
    assert train.Images("hidden/kernel/image")[0].width == 8  # (4, 8) kernel as it is; (8,) bias a column


def test_write_images_without_histogram_freq_warns_that_it_has_no_effect(tmp_path):
    with pytest.warns(UserWarning, match="`write_images` has no effect with `histogram_freq=0`"):
        TensorBoard(tmp_path, write_images=True)


def test_a_second_fit_writes_new_event_files_and_restarts_batch_steps(tmp_path):
    model = small_classifier()
    x, y = classifier_data(32)
    callback = TensorBoard(tmp_path, update_freq=1, write_graph=False)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[callback])
    model.fit(x, y, batch_size=16, epochs=2, initial_epoch=1, verbose=0, callbacks=[callback])
    assert len(list((tmp_path / "train").iterdir())) == 2
    train = read_run(tmp_path / "train")
    assert [step for step, _ in scalars(train, "batch_loss")] == [1, 2, 1, 2]
    assert [step for step, _ in scalars(train, "epoch_loss")] == [0, 1]


def test_nothing_is_written_before_it_is_needed(tmp_path):
    callback = TensorBoard(tmp_path / "logs", write_graph=False)
    callback.set_model(small_classifier())
    assert not (tmp_path / "logs").exists()


def test_a_log_entry_that_is_not_a_scalar_is_left_out_with_one_warning(tmp_path):
    callback = TensorBoard(tmp_path, write_graph=False)
    callback.set_model(small_classifier())
    with pytest.warns(UserWarning, match="`per_class` has shape \\(2,\\)"):
        callback.on_epoch_end(0, {"loss": 0.5, "per_class": np.array([0.1, 0.2])})
    callback.on_epoch_end(1, {"loss": 0.25, "per_class": np.array([0.1, 0.2])})  # warned once: no error here
    callback.on_train_end()
    train = read_run(tmp_path / "train")
    assert scalars(train, "epoch_loss") == [(0, 0.5), (1, 0.25)]
    assert "epoch_per_class" not in train.Tags()["scalars"]


@pytest.mark.parametrize("argument, value, error, message", [
    ("histogram_freq", -1, ValueError, "Invalid value for argument `histogram_freq` of callback `TensorBoard`"),
    ("histogram_freq", 1.5, ValueError, "Expected an integer >= 0"),
    ("embeddings_freq", "1", ValueError, "Received: embeddings_freq='1'"),
    ("update_freq", "step", ValueError, "Invalid value for argument `update_freq`"),
    ("update_freq", 0, ValueError, "an integer >= 1"),
    ("write_graph", "False", TypeError, "Expected a bool. Received: write_graph='False'"),
    ("write_images", 2, TypeError, "write_images=2"),
    ("profile_batch", 5, ValueError, "Profiling is not available in kerasette"),
    ("profile_batch", (2, 4), ValueError, "profile_batch=\\(2, 4\\) \\(must be 0\\)"),
    ("profile_batch", (4, 2), ValueError, "a pair \\(start, stop\\) of positive integers"),
    ("profile_batch", -1, ValueError, "Invalid value for argument `profile_batch`"),
    ("profile_batch", "a,b", ValueError, "Invalid value for argument `profile_batch`"),
])
def test_bad_arguments_are_refused(tmp_path, argument, value, error, message):
    with pytest.raises(error, match=message):
        TensorBoard(tmp_path, **{argument: value})


@pytest.mark.parametrize("value", [0, "0", (0, 0), "0,0", [0, 0]])
def test_profile_batch_that_turns_profiling_off_is_accepted(tmp_path, value):
    assert TensorBoard(tmp_path, profile_batch=value).update_freq == "epoch"


def test_keras_s_flag_and_update_freq_spellings_are_accepted(tmp_path):
    callback = TensorBoard(tmp_path, write_graph=0, write_images=np.bool_(True), update_freq="batch",
                           histogram_freq=1)
    assert (callback.write_graph, callback.write_images, callback.update_freq) == (False, True, 1)


def test_a_missing_extra_is_an_import_error_naming_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match='pip install "kerasette\\[tensorboard\\]"'):
        TensorBoard(tmp_path)


def test_exported_as_keras_does():
    assert keras.callbacks.TensorBoard is TensorBoard
