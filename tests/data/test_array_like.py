"""h5py datasets and numpy memmaps passed as x / y: read batch by batch, never loaded whole."""

import h5py
import numpy as np
import pytest
from pipeline_datasets import arrays, model

import kerasette as ks
from kerasette.models import data_adapter as da


@pytest.fixture
def h5(tmp_path):
    x, y = arrays(42)
    path = tmp_path / "data.h5"
    with h5py.File(path, "w") as f:
        f["x"], f["y"] = x, y
    with h5py.File(path, "r") as f:
        yield f, x, y


def _memmap(tmp_path, array, name):
    path = tmp_path / name
    out = np.lib.format.open_memmap(path, mode="w+", dtype=array.dtype, shape=array.shape)
    out[:] = array
    out.flush()
    return np.load(path, mmap_mode="r")


def _close(a, b, rtol=1e-5):
    for got, expected in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-6)


def test_an_hdf5_dataset_trains_as_the_same_arrays_in_memory(backend, h5):
    f, x, y = h5
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    on_disk = model()
    history = on_disk.fit(f["x"], f["y"], batch_size=8, epochs=2, shuffle=False, verbose=0)
    _close(on_disk, on_arrays)
    assert len(history.history["loss"]) == 2
    shuffled_arrays = model()  # model() seeds the random state that fit draws the shuffling seed from
    shuffled_arrays.fit(x, y, batch_size=8, epochs=3, verbose=0)
    shuffled_disk = model()
    shuffled_disk.fit(f["x"], f["y"], batch_size=8, epochs=3, verbose=0)
    _close(shuffled_disk, shuffled_arrays)  # the same samples per batch, read in sorted order


def test_a_memmap_trains_as_the_same_arrays_in_memory(backend, tmp_path):
    x, y = arrays(42)
    disk_x, disk_y = _memmap(tmp_path, x, "x.npy"), _memmap(tmp_path, y, "y.npy")
    assert isinstance(disk_x, np.memmap)
    on_arrays = model()
    on_arrays.fit(x, y, batch_size=8, epochs=2, verbose=0)
    on_disk = model()
    on_disk.fit(disk_x, disk_y, batch_size=8, epochs=2, verbose=0)
    _close(on_disk, on_arrays)
    np.testing.assert_allclose(on_disk.predict(disk_x, verbose=0), on_arrays.predict(x, verbose=0), rtol=1e-5)
    assert on_disk.evaluate(disk_x, disk_y, verbose=0) == pytest.approx(on_arrays.evaluate(x, y, verbose=0))


def test_shuffled_batches_hold_the_samples_of_the_in_memory_order(h5, monkeypatch):
    f, x, y = h5
    ids = np.arange(42, dtype="float32")
    seen = []

    class Recording(ks.Sequential):
        def train_step(self, data):
            seen.append(sorted(ks.ops.convert_to_numpy(data[0])[:, 0].astype(int).tolist()))
            return super().train_step(data)

    with h5py.File(f.filename.replace("data.h5", "ids.h5"), "w") as g:
        g["x"] = np.stack([ids, ids, ids, ids], 1)
    with h5py.File(f.filename.replace("data.h5", "ids.h5"), "r") as g:
        net = Recording([ks.Input((4,)), ks.layers.Dense(2, activation="softmax")])
        net.compile("sgd", "sparse_categorical_crossentropy")
        net.fit(g["x"], y, batch_size=8, epochs=2, verbose=0)
    expected = []
    for epoch in range(2):
        expected += [sorted(b.tolist()) for b in da.batch_indices(42, 8, True, seed=net._shuffle_seed, epoch=epoch)]
    assert seen == expected
    assert seen[:6] != [list(range(s, min(s + 8, 42))) for s in range(0, 42, 8)]


def test_reads_are_one_batch_at_a_time(h5, monkeypatch):
    f, x, y = h5
    selections = []
    original = h5py.Dataset.__getitem__

    def recording(self, selection):
        selections.append(selection)
        return original(self, selection)

    monkeypatch.setattr(h5py.Dataset, "__getitem__", recording)
    model().fit(f["x"], f["y"], batch_size=8, epochs=1, verbose=0)
    sizes = [len(np.arange(42)[s]) for s in selections]
    assert sizes and max(sizes) <= 8
    assert all(isinstance(s, np.ndarray) and (np.diff(s) > 0).all() for s in selections[2:])  # sorted reads
    selections.clear()
    model().fit(f["x"], f["y"], batch_size=8, epochs=1, shuffle="batch", verbose=0)
    assert all(isinstance(s, slice) for s in selections)  # whole batches: one contiguous read each
    assert sorted(len(np.arange(42)[s]) for s in selections[2:]) == [2, 2] + [8] * 10  # x and y


def test_the_last_partial_batch_and_validation_split_on_disk(backend, h5):
    f, x, y = h5
    on_arrays, on_disk = model(), model()  # shuffle=False: no seed is drawn
    on_arrays.fit(x, y, batch_size=8, epochs=2, validation_split=0.25, shuffle=False, verbose=0)
    history = on_disk.fit(f["x"], f["y"], batch_size=8, epochs=2, validation_split=0.25, shuffle=False, verbose=0)
    _close(on_disk, on_arrays)
    loss, accuracy = on_disk.evaluate(x[31:], y[31:], verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(loss, rel=1e-5)
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy)


def test_dict_inputs_on_disk_with_targets_in_memory(backend, h5):
    f, x, y = h5

    def two_inputs():
        ks.utils.set_random_seed(0)
        a, b = ks.Input((4,), name="a"), ks.Input((4,), name="b")
        net = ks.Model([a, b], ks.layers.Dense(2, activation="softmax")(ks.layers.Add()([a, b])))
        net.compile("sgd", "sparse_categorical_crossentropy")
        return net

    on_arrays = two_inputs()
    on_arrays.fit({"a": x, "b": x}, y, batch_size=8, epochs=1, verbose=0)
    on_disk = two_inputs()
    on_disk.fit({"a": f["x"], "b": x}, y, batch_size=8, epochs=1, verbose=0)
    _close(on_disk, on_arrays)


def test_bad_arrays_on_disk_raise_before_training(h5, tmp_path):
    f, x, y = h5
    net = model()
    start = net.get_weights()
    with pytest.raises(ValueError, match="same number of samples"):
        net.fit(f["x"], y[:40], verbose=0)
    with h5py.File(tmp_path / "text.h5", "w") as g:
        g["names"] = np.array([b"a", b"b"] * 21)
    with h5py.File(tmp_path / "text.h5", "r") as g:
        with pytest.raises(ValueError, match="Expected real numbers"):
            net.fit(g["names"], y, verbose=0)
    bad = x.copy()
    bad[20, 1] = np.inf
    with h5py.File(tmp_path / "bad.h5", "w") as g:
        g["x"] = bad
    with h5py.File(tmp_path / "bad.h5", "r") as g:
        with pytest.raises(ValueError, match="Batch 2 of `x` \\(an HDF5 dataset\\).*NaN or infinite"):
            net.fit(g["x"], y, batch_size=8, shuffle=False, verbose=0)
    trained = model()
    trained.fit(x[:16], y[:16], batch_size=8, shuffle=False, verbose=0)
    _close(net, trained)  # the two good batches trained, the bad one did not
    assert not np.allclose(start[0], net.get_weights()[0])


def test_validation_batch_size_and_steps_apply_to_a_split_on_disk(h5):
    f, x, y = h5
    batches = []
    count = ks.callbacks.LambdaCallback(on_test_batch_end=lambda batch, logs: batches.append(batch))
    model().fit(f["x"], f["y"], batch_size=8, validation_split=0.25, validation_batch_size=4, shuffle=False,
                verbose=0, callbacks=[count])
    assert batches == [0, 1, 2]  # 11 validation samples in batches of 4
    batches.clear()
    model().fit(f["x"], f["y"], batch_size=8, validation_split=0.25, validation_steps=2, epochs=2, shuffle=False,
                verbose=0, callbacks=[count])
    assert batches == [0, 1, 0, 1]
