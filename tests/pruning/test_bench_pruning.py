"""benchmarks/bench_pruning.py on a few real Fashion-MNIST images: the rows, the zeros and the gzip sizes."""

import json
import os
import sys

import pytest
from example_scripts import fashion_mnist_or_skip

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmarks")


@pytest.fixture(scope="module")
def bench():
    fashion_mnist_or_skip()
    sys.path.insert(0, BENCH)
    try:
        import bench_pruning
    finally:
        sys.path.remove(BENCH)
    return bench_pruning


def test_bench_pruning_writes_dense_control_and_pruned_rows(bench, tmp_path, capsys):
    out = tmp_path / "pruning.json"
    bench.main(["--models", "mlp", "--sparsities", "0.5,0.9", "--epochs", "1", "--limit", "1024",
                "--mlp-dense-epochs", "1", "--out", str(out)])
    record = json.loads(out.read_text())
    assert record["backend"] == "numpy" and record["threads"] == 2 and len(record["load_average_before"]) == 3
    rows = record["results"]["mlp"]["rows"]
    assert [row["variant"] for row in rows] == ["dense", "dense, fine-tuned", "pruned 50%", "pruned 90%"]
    dense, control, half, most = rows
    assert dense["sparsity"] == control["sparsity"] == 0.0
    assert half["sparsity"] == pytest.approx(0.5, abs=1e-3) and most["sparsity"] == pytest.approx(0.9, abs=1e-3)
    assert dense["weights_bytes"] == half["weights_bytes"] == most["weights_bytes"]  # the same plain layout
    assert dense["gzip_bytes"] > half["gzip_bytes"] > most["gzip_bytes"]
    # 8 training steps each: far below the full run (0.85-0.89), far above chance (0.1)
    assert all(0.35 < row["test_accuracy"] <= 1.0 for row in rows)
    assert control["test_accuracy"] > dense["test_accuracy"]  # the control's fine-tuning did train
    assert "| mlp | pruned 90% | 90.0% |" in capsys.readouterr().out
