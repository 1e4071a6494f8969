"""`keras.utils.PyDataset` (and `Sequence`) in fit / evaluate / predict, on every backend."""

import threading

import numpy as np
import pytest
from pipeline_datasets import (
    ArrayDataset,
    DictDataset,
    InfiniteDataset,
    SlowDataset,
    arrays,
    model,
)

import kerasette as ks


def _close(a, b):
    for got, expected in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("workers", [0, 1, 3])
def test_a_py_dataset_trains_on_the_same_batches_as_arrays(backend, workers):
    x, y = arrays(42)
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_dataset = model()
    history = on_dataset.fit(ArrayDataset(x, y, 8, workers=workers), epochs=2, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)
    assert sorted(history.history) == ["accuracy", "loss"] and len(history.history["loss"]) == 2


def test_the_last_partial_batch_is_trained_on(backend):
    sizes = []

    class Recording(ks.Sequential):
        def train_step(self, data):
            sizes.append(int(data[0].shape[0]))
            return super().train_step(data)

    x, y = arrays(42)
    net = Recording([ks.Input((4,)), ks.layers.Dense(2, activation="softmax")])
    net.compile("sgd", "sparse_categorical_crossentropy")
    net.fit(ArrayDataset(x, y, 8), epochs=1, shuffle=False, verbose=0)
    assert sizes == [8, 8, 8, 8, 8, 2]


def test_shuffle_visits_every_batch_once_per_epoch_in_an_order_keyed_by_the_seed():
    x, y = arrays(48)

    def orders(fits):
        net, data = model(seed=1), ArrayDataset(x, y, 8)
        found, epochs = [], 0
        for count in fits:
            data.calls = []
            net.fit(data, epochs=epochs + count, initial_epoch=epochs, verbose=0)  # shuffle=True by default
            epochs += count
            calls = data.calls[1:]  # the first call checks batch 0 before training
            found += [calls[i : i + 6] for i in range(0, len(calls), 6)]
        return found

    straight = orders([3])
    assert len(straight) == 3 and all(sorted(epoch) == list(range(6)) for epoch in straight)
    assert straight[0] != straight[1] != straight[2]
    assert orders([3]) == straight  # the same seed, the same orders
    assert orders([1, 2]) == straight  # resuming continues with the orders of epochs 1 and 2


def test_shuffle_false_keeps_the_order_and_epoch_hooks_run_once_per_epoch():
    x, y = arrays(24)
    data, val = ArrayDataset(x, y, 8), ArrayDataset(x, y, 12)
    model().fit(data, validation_data=val, epochs=3, shuffle=False, verbose=0)
    assert data.calls == [0] + [0, 1, 2] * 3
    assert data.events == ["begin", "end"] * 3
    assert val.events == ["begin", "end"] * 3 and val.calls == [0] + [0, 1] * 3


def test_sample_weights_in_the_batches_weight_the_loss(backend):
    x, y = arrays(32)
    weights = np.linspace(0, 2, 32).astype("float32")
    on_arrays = model()
    on_arrays.fit(x, y, sample_weight=weights, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_dataset = model()
    on_dataset.fit(ArrayDataset(x, y, 8, sample_weight=weights), epochs=2, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)
    unweighted = model()
    unweighted.fit(ArrayDataset(x, y, 8), epochs=2, shuffle=False, verbose=0)
    assert not np.allclose(unweighted.get_weights()[0], on_dataset.get_weights()[0])


def test_class_weight_applies_to_py_dataset_batches(backend):
    x, y = arrays(32)
    class_weight = {0: 0.25, 1: 2.0}
    on_arrays = model()
    on_arrays.fit(x, y, class_weight=class_weight, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_dataset = model()
    on_dataset.fit(ArrayDataset(x, y, 8), class_weight=class_weight, epochs=2, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)


def test_dict_inputs_reach_the_named_inputs(backend):
    x, y = arrays(24)

    def two_inputs():
        ks.utils.set_random_seed(0)
        a, b = ks.Input((2,), name="a"), ks.Input((2,), name="b")
        out = ks.layers.Dense(2, activation="softmax")(ks.layers.Concatenate()([a, ks.layers.Dense(3)(b)]))
        net = ks.Model([a, b], out)
        net.compile("sgd", "sparse_categorical_crossentropy")
        return net

    on_arrays, on_dataset = two_inputs(), two_inputs()
    on_dataset.set_weights(on_arrays.get_weights())
    on_arrays.fit({"b": x[:, 2:], "a": x[:, :2]}, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_dataset.fit(DictDataset(x, y, 8), epochs=2, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)


def test_validation_data_as_a_py_dataset(backend):
    x, y = arrays(40)
    net = model()
    history = net.fit(ArrayDataset(x[:32], y[:32], 8), validation_data=ArrayDataset(x[32:], y[32:], 3),
                      epochs=2, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    loss, accuracy = net.evaluate(x[32:], y[32:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(loss, rel=1e-5)
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy)


def test_evaluate_and_predict_take_a_py_dataset(backend):
    x, y = arrays(30)
    net = model()
    assert net.evaluate(ArrayDataset(x, y, 7), verbose=0) == pytest.approx(net.evaluate(x, y, verbose=0), rel=1e-5)
    expected = net.predict(x, verbose=0)
    np.testing.assert_allclose(net.predict(ArrayDataset(x, y, 7), verbose=0), expected, rtol=1e-5)  # y ignored
    np.testing.assert_allclose(net.predict(ArrayDataset(x, None, 4, workers=2), verbose=0), expected, rtol=1e-5)
    first = net.predict(ArrayDataset(x, None, 4), steps=2, verbose=0)
    np.testing.assert_allclose(first, expected[:8], rtol=1e-5)


def test_steps_per_epoch_takes_that_many_batches_wrapping_around():
    x, y = arrays(24)
    data = ArrayDataset(x, y, 8)
    history = model().fit(data, steps_per_epoch=5, epochs=2, shuffle=False, verbose=0)
    assert data.calls[1:] == [0, 1, 2, 0, 1] * 2 and len(history.history["loss"]) == 2


def test_an_infinite_py_dataset_continues_where_the_last_epoch_stopped():
    x, y = arrays(24)
    data = InfiniteDataset(x, y, 8)
    model().fit(data, steps_per_epoch=4, epochs=2, shuffle=False, verbose=0)
    assert data.calls == [0] + list(range(8))
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        model().fit(InfiniteDataset(x, y, 8), epochs=1, verbose=0)
    with pytest.warns(UserWarning, match="infinite PyDataset"):
        model().fit(InfiniteDataset(x, y, 8), steps_per_epoch=2, shuffle=True, verbose=0)


def test_map_runs_its_function_on_the_main_thread_with_tensors(backend):
    x, y = arrays(24)
    seen = []

    def double(features, labels):
        seen.append((threading.current_thread() is threading.main_thread(), ks.ops.is_tensor(features)))
        return features * 2.0, labels

    on_dataset = model()
    on_dataset.fit(ArrayDataset(x, y, 8, workers=2).map(double), epochs=2, shuffle=False, verbose=0)
    on_arrays = model()
    on_arrays.fit(2 * x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)
    assert seen and all(main and tensor for main, tensor in seen)
    mapped = ArrayDataset(x, y, 8).map(double)
    assert len(mapped) == 3 and np.allclose(ks.ops.convert_to_numpy(mapped[1][0]), 2 * x[8:16])


def test_the_next_batch_is_prepared_while_the_step_runs():
    x, y = arrays(32)
    asked = [threading.Event() for _ in range(5)]
    overlapped = []

    class Tracking(ArrayDataset):
        def __getitem__(self, index):
            asked[index].set()
            return super().__getitem__(index)

    class Waiting(ks.Sequential):
        def train_step(self, data):
            step = len(overlapped)
            # The data thread asks for batch step + 1 while this step is still running.
            overlapped.append(asked[step + 1].wait(timeout=20) if step + 1 < 4 else True)
            return super().train_step(data)

    net = Waiting([ks.Input((4,)), ks.layers.Dense(2, activation="softmax")])
    net.compile("sgd", "sparse_categorical_crossentropy")
    for event in asked:
        event.clear()
    net.fit(Tracking(x, y, 8), epochs=1, shuffle=False, verbose=0)
    assert overlapped == [True] * 4


def test_a_slow_dataset_with_threads_gives_the_batches_in_order():
    x, y = arrays(40)
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    on_dataset = model()
    on_dataset.fit(SlowDataset(x, y, 0.01, 8, workers=4, max_queue_size=3), epochs=1, shuffle=False, verbose=0)
    _close(on_dataset, on_arrays)


def test_py_dataset_api_matches_keras():
    from keras_reference import keras

    assert ks.utils.Sequence is ks.utils.PyDataset
    data = ArrayDataset(*arrays(20), batch_size=8)
    assert (data.workers, data.use_multiprocessing, data.max_queue_size) == (1, False, 10)
    assert data.num_batches == len(data) == 3 and len(list(data)) == 3
    ours = {"workers", "use_multiprocessing", "max_queue_size", "num_batches", "on_epoch_begin", "on_epoch_end"}
    assert ours <= set(dir(keras.utils.PyDataset)) and ours <= set(dir(ks.utils.PyDataset))

    class NoSuper(ks.utils.PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, index):
            return np.zeros((2, 4), "float32"), np.zeros(2, "int64")

    with pytest.warns(UserWarning, match="should call `super\\(\\).__init__"):
        assert NoSuper().workers == 1


def test_arrays_for_training_and_a_py_dataset_for_validation():
    x, y = arrays(40)
    net = model()
    history = net.fit(x[:32], y[:32], batch_size=8, validation_data=ArrayDataset(x[32:], y[32:], 4), verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(net.evaluate(x[32:], y[32:], verbose=0)[0], rel=1e-5)
    with pytest.warns(UserWarning, match="`validation_batch_size=4` is ignored: the PyDataset makes its own batches"):
        net.fit(x[:32], y[:32], validation_data=ArrayDataset(x[32:], y[32:], 4), validation_batch_size=4, verbose=0)
