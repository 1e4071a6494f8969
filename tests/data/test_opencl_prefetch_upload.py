"""On OpenCL the data thread also uploads the next batch to the device while the current step runs.

Checked here: the upload happens in the data thread (not in the step); training is bit-identical with
and without it; the step sees the same values and dtypes; the transfer counters stay per step and in
total; batches uploaded but not used go back to a stream; and a failing worker, Ctrl-C and an early
stop still leave no thread behind. The numpy backend, which has no device, runs the same fits as the
oracle where that makes sense.
"""

import multiprocessing
import os
import signal
import threading
import time

import numpy as np
import pytest
from backend_loading import load_or_skip
from pipeline_datasets import ArrayDataset, FailingDataset, SlowDataset, arrays, model

import kerasette as ks
from kerasette import backends, ops
from kerasette.models.data_adapters import DataAdapter

pytest.importorskip("pyopencl")


@pytest.fixture
def opencl(monkeypatch):
    """The OpenCL backend, active for the test (skipped where it cannot load, unless CI requires it)."""
    module = load_or_skip("opencl")
    monkeypatch.setattr(backends, "_active", module)
    return module


@pytest.fixture
def nothing_left():
    before = {t.ident for t in threading.enumerate()}
    yield
    ours = [t.name for t in threading.enumerate() if t.name.startswith(("kerasette-prefetch", "kerasette-data"))]
    assert ours + [p.name for p in multiprocessing.active_children()] == []
    extra = [t.name for t in threading.enumerate()
             if t.ident not in before and not t.name.startswith("kerasette-numpy")]
    assert extra == []


def _ahead(monkeypatch, on):
    monkeypatch.setattr(DataAdapter, "upload_ahead", on)


class Recording(ks.Model):
    """A two-layer classifier whose train_step keeps what each step received (host copies, dtypes, device or not)."""

    def __init__(self):
        super().__init__()
        self.hidden = ks.layers.Dense(6, activation="relu")
        self.out = ks.layers.Dense(2, activation="softmax")
        self.seen = []

    def call(self, x):
        return self.out(self.hidden(x))

    def train_step(self, data):
        parts = data if isinstance(data, tuple) else (data,)
        self.seen.append([(ops.convert_to_numpy(p), p.dtype, type(p.data).__name__) for p in parts])
        return super().train_step(data)


def _recording_fit(x, y, **kwargs):
    net = Recording()
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    net.fit(x, y, verbose=0, **kwargs)
    return net


@pytest.mark.parametrize("mapped", [False, True])
def test_the_data_thread_uploads_each_batch(opencl, monkeypatch, mapped):
    from kerasette.backends.opencl import memory

    threads = []
    thread_upload = memory.ThreadUploader.upload
    monkeypatch.setattr(memory.ThreadUploader, "upload",
                        lambda self, host: threads.append(threading.current_thread().name) or thread_upload(self, host))
    main_uploads, in_step = [], [False]
    main_upload = memory.upload

    def upload(host):
        if in_step[0]:
            main_uploads.append(np.shape(host))
        return main_upload(host)

    monkeypatch.setattr(memory, "upload", upload)
    steps = ks.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: in_step.__setitem__(0, True),
                                        on_train_batch_end=lambda batch, logs: in_step.__setitem__(0, False))
    x, y = arrays(40)
    if mapped:  # a PyDataset's batches are uploaded before its map functions run on the main thread
        net = _recording_fit(ArrayDataset(x, y, 8).map(lambda a, b: (a * 2.0, b)), None, epochs=2, shuffle=False,
                             callbacks=[steps])
    else:
        net = _recording_fit(x, y, batch_size=8, epochs=2, shuffle=False, callbacks=[steps])
    assert len(threads) == 2 * 5 * 2  # x and y of 5 batches, 2 epochs
    assert set(threads) == {"kerasette-prefetch"}
    assert (8, 4) not in main_uploads and (8,) not in main_uploads  # no batch uploaded in a step
    assert [kind for step in net.seen for _, _, kind in step] == ["DeviceArray"] * 20


@pytest.mark.parametrize("ahead", [True, False])
def test_the_step_sees_the_same_values_and_dtypes(opencl, monkeypatch, ahead):
    _ahead(monkeypatch, ahead)
    x, y = arrays(40)
    weights = np.linspace(0.5, 1.5, 40).astype("float32")
    net = Recording()
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    net.fit(x, y, sample_weight=weights, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert len(net.seen) == 5
    for i, step in enumerate(net.seen):
        rows = slice(8 * i, 8 * i + 8)
        for (got, dtype, _), expected in zip(step, (x[rows], y[rows], weights[rows])):
            assert dtype == expected.dtype.name
            np.testing.assert_array_equal(got, expected)


def _train(kind, epochs=3):
    x, y = arrays(64)
    net = model()
    if kind == "arrays":
        net.fit(x, y, batch_size=8, epochs=epochs, verbose=0)  # shuffled, as seeded by the test
    elif kind == "sample_weight":
        net.fit(x, y, sample_weight=np.linspace(0.5, 2.0, 64).astype("float32"), batch_size=8, epochs=epochs,
                verbose=0)
    elif kind == "py_dataset_threads":
        net.fit(ArrayDataset(x, y, 8, workers=2), epochs=epochs, verbose=0)
    elif kind == "mapped_py_dataset":
        net.fit(ArrayDataset(x, y, 8).map(lambda a, b: (a * 2.0 - 1.0, b)), epochs=epochs, verbose=0)
    elif kind == "generator":
        batches = ((x[i : i + 8], y[i : i + 8]) for _ in range(epochs) for i in range(0, 64, 8))
        net.fit(batches, steps_per_epoch=5, epochs=epochs, shuffle=False, verbose=0)
    return net.get_weights()


@pytest.mark.parametrize("kind", ["arrays", "sample_weight", "py_dataset_threads", "mapped_py_dataset", "generator"])
def test_training_is_bit_identical_with_and_without_the_upload(backend, monkeypatch, kind):
    _ahead(monkeypatch, True)
    with_upload = _train(kind)
    _ahead(monkeypatch, False)
    without = _train(kind)
    for got, expected in zip(with_upload, without):
        np.testing.assert_array_equal(got, expected)
    if backend.name == "opencl":  # numpy is the oracle
        monkeypatch.setattr(backends, "_active", backends.load_backend("numpy"))
        for got, expected in zip(with_upload, _train(kind)):
            np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_each_step_still_counts_its_batch_upload(opencl, monkeypatch, capsys):
    monkeypatch.setenv("KERASETTE_DEBUG", "2")
    x, y = arrays(40)
    model().fit(x, y, sample_weight=np.ones(40, "float32"), batch_size=8, epochs=2, verbose=0)
    lines = [line for line in capsys.readouterr().err.splitlines() if "train step" in line]
    assert len(lines) == 10
    assert all("host_to_device=3 " in line for line in lines), lines  # x, y and sample_weight of its batch


@pytest.mark.parametrize("stop_after", [None, 1])
def test_the_counters_total_the_same_with_and_without_the_upload(opencl, monkeypatch, stop_after):
    def fit():
        net = model()
        callbacks = []
        if stop_after is not None:  # an early stop: batches uploaded ahead are never used, but were sent
            def stop(batch, logs):
                net.stop_training = batch >= stop_after
            callbacks = [ks.callbacks.LambdaCallback(on_train_batch_end=stop)]
        x, y = arrays(80)
        before = opencl.counters()
        net.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=callbacks)
        after = opencl.counters()
        return {key: after[key] - before[key] for key in after}

    _ahead(monkeypatch, False)
    without = fit()
    _ahead(monkeypatch, True)
    with_upload = fit()
    if stop_after is None:
        assert with_upload == without
    else:  # every batch the thread made is counted: at least the used ones, at most `depth` more
        used = without["host_to_device"]
        assert used <= with_upload["host_to_device"] <= used + 2 * (DataAdapter.depth + 1)
        assert with_upload["device_to_host"] == without["device_to_host"]
        assert with_upload["kernel_launches"] == without["kernel_launches"]


def test_a_stream_keeps_the_batches_uploaded_but_not_used(opencl, monkeypatch):
    def seen(ahead):
        _ahead(monkeypatch, ahead)
        x = np.repeat(np.arange(12, dtype="float32")[:, None], 4, axis=1)
        y = np.zeros(12, "int64")
        net = Recording()
        net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        batches = ((x[i : i + 1], y[i : i + 1]) for i in range(12))
        net.fit(batches, steps_per_epoch=3, epochs=3, shuffle=False, verbose=0)
        return [float(step[0][0][0, 0]) for step in net.seen]

    assert seen(True) == seen(False) == [float(i) for i in range(9)]


def test_an_array_the_device_cannot_hold_is_left_to_the_step(opencl):
    from kerasette.backends.opencl import memory

    uploader = memory.ThreadUploader()
    assert uploader.upload(np.ones(3, "float16")) is None
    for host in [np.arange(6, dtype="int64").reshape(2, 3)[:, ::2], np.array([True, False]), np.float32(2.5),
                 np.zeros((0, 3), "float32"), np.arange(5, dtype="uint8")]:
        device, transfers = uploader.upload(np.asarray(host))
        assert transfers == (np.size(host) > 0)
        assert device.shape == np.shape(host) and device.dtype == np.asarray(host).dtype
        np.testing.assert_array_equal(memory.download(device), host)


def test_the_prefetcher_returns_every_batch_made_and_not_taken(nothing_left):
    from kerasette.models.data_adapters.prefetch import Prefetcher

    made, reached, release = [], threading.Event(), threading.Event()

    def batches():
        for i in range(10):
            if i == 3:  # batches 1 and 2 are queued; the thread is making batch 3 when close() comes
                reached.set()
                release.wait(10)
            made.append(i)
            yield i

    prefetch = Prefetcher(batches(), depth=2)
    assert next(prefetch) == 0
    assert reached.wait(10)
    timer = threading.Timer(0.2, release.set)
    timer.start()
    left = prefetch.close()
    timer.join()
    assert made == [0, 1, 2, 3]
    assert left == [1, 2, 3]  # batch 3 was made after the stop: it is handed back too, not lost


def test_a_raising_worker_makes_fit_raise_promptly(opencl, nothing_left):
    x, y = arrays(800)
    start = time.perf_counter()
    with pytest.raises(KeyError, match="no batch 2 here"):
        model().fit(FailingDataset(x, y, 2, workers=2), epochs=50, shuffle=False, verbose=0)
    assert time.perf_counter() - start < 20  # long before the 50 epochs


def test_a_raising_generator_makes_fit_raise(opencl, nothing_left):
    x, y = arrays(40)

    def batches():
        yield x[:8], y[:8]
        yield x[8:16], y[8:16]
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="the disk went away"):
        model().fit(batches(), steps_per_epoch=5, epochs=2, shuffle=False, verbose=0)


def test_ctrl_c_stops_the_data_thread(opencl, nothing_left):
    x, y = arrays(400)

    def interrupt(batch, logs):
        if batch == 2:
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        model().fit(SlowDataset(x, y, 0.01, 8, workers=2), epochs=3, verbose=0,
                    callbacks=[ks.callbacks.LambdaCallback(on_train_batch_end=interrupt)])


def test_an_early_stop_leaves_nothing_behind(opencl, nothing_left):
    x, y = arrays(400)
    net = model()

    def stop(batch, logs):
        net.stop_training = batch == 3

    net.fit(x, y, batch_size=8, epochs=3, verbose=0, callbacks=[ks.callbacks.LambdaCallback(on_train_batch_end=stop)])
    assert len(net.history.history["loss"]) == 1


@pytest.mark.slow
def test_the_benchmark_compares_with_and_without_the_upload(opencl, tmp_path):
    pytest.importorskip("PIL")
    import json
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks"))
    import bench_data_pipeline

    try:
        ks.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:
        pytest.skip(f"Fashion-MNIST not available: {error}")
    out = tmp_path / "report.json"
    bench_data_pipeline.main(["--samples", "640", "--rounds", "1", "--skip-rss", "--backend", "opencl",
                              "--overlap", "both", "--paths", "memory", "--out", str(out), "--workdir", str(tmp_path)])
    report = json.loads(out.read_text())
    assert sorted(report["samples_per_s"]) == ["memory", "memory (upload in step)"]
    assert len(report["overlap_ratio_per_round"]["memory"]) == 1 and report["overlap_median_ratio"]["memory"] > 0
    assert "opencl_device" in report["machine"] and report["machine"]["cpus"] >= 1
    assert DataAdapter.upload_ahead is True  # the benchmark put the switch back
