"""TensorBoard callback: a real TensorBoard server on 127.0.0.1 serves what the callback wrote.

Skipped when the `tensorboard` package is missing. The server runs in a child process with
`--load_fast=false` (the pure-Python reader) on a free port; the test polls it a bounded number
of times and stops it at the end.
"""

import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest

import kerasette as keras
from kerasette.callbacks import TensorBoard

pytest.importorskip("tensorboard")


def train_with_embeddings(log_dir):
    tokens = keras.Input((3,), dtype="int32", name="tokens")
    vectors = keras.layers.Embedding(10, 4, name="words")(tokens)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(vectors)
    model = keras.Model(tokens, keras.layers.Dense(2, activation="softmax", name="probs")(pooled), name="bag")
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 10, size=(32, 3)).astype("int32"), rng.integers(0, 2, size=32).astype("int32")
    callback = TensorBoard(log_dir, histogram_freq=1, write_images=True, embeddings_freq=1)
    history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0, callbacks=[callback])
    return model, history


def start_server(log_dir, output):
    """Starts TensorBoard on a free port of 127.0.0.1; returns the process and its base URL."""
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", str(log_dir), "--host", "127.0.0.1",
               "--port", "0", "--load_fast=false"]
    with open(output, "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(180):  # up to 90 s
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", output.read_text())
        if match:
            return server, f"http://127.0.0.1:{match.group(1)}"
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.kill()
    server.wait(timeout=10)
    raise AssertionError("TensorBoard did not start:\n" + output.read_text())


def wait_for_runs(base, runs):
    """Polls `/data/runs` (up to 60 s) until the server has loaded `runs`."""
    for _ in range(120):
        if sorted(get(base, "/data/runs")) == runs:
            return
        time.sleep(0.5)
    raise AssertionError(f"TensorBoard served runs {get(base, '/data/runs')}, expected {runs}")


def get(base, path, **query):
    url = f"{base}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    return body if path.endswith(("/graph", "/tensor")) else json.loads(body)


def test_tensorboard_serves_scalars_graph_histograms_images_and_embeddings(tmp_path):
    model, history = train_with_embeddings(tmp_path / "logs")
    server, base = start_server(tmp_path / "logs", tmp_path / "tensorboard.out")
    try:
        wait_for_runs(base, ["train", "validation"])
        for key, values in history.history.items():
            run, name = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
            points = get(base, "/data/plugin/scalars/scalars", run=run, tag=f"epoch_{name}")
            assert [(step, value) for _, step, value in points] == [
                (epoch, float(np.float32(v))) for epoch, v in enumerate(values)], key

        info = get(base, "/data/plugin/graphs/info")["train"]
        assert info["run_graph"] is True and info["tags"]["keras"]["conceptual_graph"] is True
        graph = get(base, "/data/plugin/graphs/graph", run="train").decode()
        assert re.findall(r'name: "(\w+)"\s+op: "(\w+)"', graph) == [
            ("tokens", "InputLayer"), ("words", "Embedding"), ("pool", "GlobalAveragePooling1D"), ("probs", "Dense")]
        conceptual = get(base, "/data/plugin/graphs/graph", run="train", tag="keras", conceptual="true").decode()
        assert 'name: "bag/pool"' in conceptual and 'input: "bag/words"' in conceptual

        weights = [w.path for layer in model.layers for w in layer.weights]
        histogram_tags = get(base, "/data/plugin/histograms/tags")["train"]
        assert sorted(histogram_tags) == sorted(f"{p}/histogram" for p in weights)
        assert sorted(get(base, "/data/plugin/images/tags")["train"]) == sorted(f"{p}/image" for p in weights)

        assert "." in get(base, "/data/plugin/projector/runs")
        tensors = {e["tensorName"]: e for e in get(base, "/data/plugin/projector/info", run=".")["embeddings"]}
        assert sorted(tensors) == ["words/embeddings (epoch 0)", "words/embeddings (epoch 1)"]
        raw = get(base, "/data/plugin/projector/tensor", run=".", name="words/embeddings (epoch 1)")
        np.testing.assert_allclose(np.frombuffer(raw, dtype="<f4").reshape(10, 4),
                                   model.get_layer("words").embeddings.numpy(), rtol=1e-6)
    finally:
        server.terminate()
        server.wait(timeout=30)
