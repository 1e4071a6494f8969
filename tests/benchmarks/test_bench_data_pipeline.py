"""The data-pipeline benchmark's plumbing on a small run (no timing is asserted)."""

import json
import os
import sys

import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmarks")
sys.path.insert(0, BENCH)

import bench_data_pipeline  # noqa: E402

import kerasette  # noqa: E402

pytestmark = pytest.mark.slow
pytest.importorskip("PIL")


@pytest.fixture(scope="module")
def fashion():
    try:
        return kerasette.datasets.fashion_mnist.load_data()
    except (OSError, RuntimeError) as error:
        pytest.skip(f"Fashion-MNIST not available: {error}")


def test_one_small_round_reports_every_input(fashion, tmp_path):
    out = tmp_path / "report.json"
    bench_data_pipeline.main(["--samples", "640", "--rounds", "1", "--skip-rss", "--out", str(out),
                              "--workdir", str(tmp_path)])
    report = json.loads(out.read_text())
    names = ["memory", "hdf5", 'hdf5 (shuffle="batch")', "images (workers=2)"]
    for key in ("samples_per_s", "data_wait_ms_per_step", "loading_ms_per_batch", "cpu_ms_per_sample"):
        assert sorted(report[key]) == sorted(names)
    assert all(rate > 0 for rates in report["samples_per_s"].values() for rate in rates)
    assert report["median_ratio_to_memory"]["memory"] == 1.0
    assert [p for p in os.listdir(tmp_path) if p.startswith("kerasette-data-bench-")] == []  # cleaned up


def test_peak_memory_is_measured_in_a_fresh_process(fashion, tmp_path):
    (x, y), _ = fashion
    path = str(tmp_path / "big.h5")
    size, rows = bench_data_pipeline.write_big_file(path, x[:1000], y[:1000].astype("int64"), 0.005)
    assert rows == 2000 and size > 0.005  # 5 MB asked: the 1,000 images (3.1 MB) written twice
    result = bench_data_pipeline.measure_rss(path, 3, "numpy")
    assert 50 < result["peak_rss_mib"] < 2048 and result["samples_per_s"] > 0
