"""The benchmark suite's plumbing: models, a worker run, ratios and the report (no timing is asserted)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "benchmarks")
sys.path.insert(0, BENCH)

import bench_models  # noqa: E402
import run_all  # noqa: E402

import kerasette  # noqa: E402


@pytest.mark.parametrize("name, shape", [("mlp", (4, 784)), ("cnn", (4, 28, 28, 1))])
def test_models_build_and_train_with_kerasette(name, shape):
    model = bench_models.build_keras_api(kerasette, name)
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    model.train_on_batch(x, np.array([0, 1, 2, 3]))
    assert model.predict(x, verbose=0).shape == (4, 10)
    expected_params = {"mlp": 784 * 512 + 512 + 512 * 512 + 512 + 5130,
                       "cnn": 320 + 18496 + 9216 * 128 + 128 + 1290}
    assert model.count_params() == expected_params[name]


def test_flop_counts_match_the_documented_figures():
    assert round(bench_models.flops_per_sample("mlp") / 1e6, 1) == 3.2
    assert round(bench_models.flops_per_sample("cnn") / 1e6) == 72


def _fake_data(folder, count=256):
    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        np.save(os.path.join(folder, f"x_{split}.npy"), rng.random((count, 28, 28), dtype=np.float32))
        np.save(os.path.join(folder, f"y_{split}.npy"), rng.integers(0, 10, count))


def test_a_kerasette_worker_reports_every_figure(tmp_path):
    _fake_data(str(tmp_path))
    cmd = [sys.executable, os.path.join(BENCH, "bench_worker.py"), "train", "--framework", "kerasette",
           "--model", "mlp", "--steps", "2", "--data", str(tmp_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=dict(os.environ, TQDM_DISABLE="1"))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in ("samples_per_s", "peak_rss_mb", "predict_samples_per_s", "latency_ms", "version", "loss"):
        assert key in result
    assert result["samples"] == 2 * bench_models.BATCH


def _row(framework, model, rate, latency, rss):
    return {"framework": framework, "model": model, "samples_per_s": rate, "samples_per_s_median": rate,
            "peak_rss_mb": rss, "predict_samples_per_s": 1.0, "latency_ms": latency, "version": framework,
            "train_rss_growth_mb": 1.0, "final_loss": 1.0}


def test_ratios_and_report():
    train = [_row("kerasette", "mlp", 300.0, 0.5, 400.0), _row("keras", "mlp", 100.0, 5.0, 600.0),
             _row("torch", "mlp", 400.0, 0.2, 500.0), _row("kerasette", "cnn", 10.0, 1.0, 700.0),
             _row("keras", "cnn", 10.0, 4.0, 600.0), _row("torch", "cnn", 9.0, 1.0, 600.0)]
    imports = [{"framework": "kerasette", "import_s": 0.3}]
    ratios = run_all.ratios(train, imports)
    by_name = {(r["what"], r["model"], r["denominator"]): r for r in ratios}
    assert by_name[("training samples/s", "mlp", "keras")]["ratio"] == 3.0
    assert by_name[("training samples/s", "mlp", "torch")]["met"] is False  # 0.75 < 1.0
    assert by_name[("training samples/s", "cnn", "torch")]["met"] is True  # 10 / 9 >= 1.0
    assert by_name[("training samples/s", "cnn", "keras")]["met"] is False  # 1.0 < 1.2
    assert by_name[("predict latency, batch 1", "mlp", "keras")]["ratio"] == 0.1
    assert by_name[("peak training memory", "cnn", "keras")]["met"] is False
    assert by_name[("import time (s)", "-", "-")]["met"] is True
    report = {"machine": run_all.machine_info(2), "load_before": [0.1, 0.1, 0.1], "load_after": [0.1, 0.1, 0.1],
              "settings": {"steps": {"mlp": 10, "cnn": 2}, "repeats": 1}, "train": train, "imports": imports,
              "ratios": ratios, "micro": None, "notes": ["a note"]}
    text = run_all.format_report(report)
    assert "training samples/s mlp: kerasette/keras" in text and "3.00" in text
    assert "note: a note" in text


def test_the_predict_profile_accounts_for_the_whole_call(monkeypatch):
    import profile_step

    def fake_data(model_name, count):
        rng = np.random.default_rng(0)
        shape = (count, 784) if model_name == "mlp" else (count, 28, 28, 1)
        return rng.random(shape, dtype=np.float32), rng.integers(0, 10, count)

    monkeypatch.setattr(profile_step, "_data", fake_data)
    result = profile_step.profile_predict("mlp", 20, 5)
    rows = {row["name"]: row for row in result["primitives"]}
    assert rows["matmul"]["calls_per_step"] == 3  # the three Dense layers of one predict
    assert abs(sum(row["ms_per_step"] for row in rows.values()) - result["step_ms"]) < 1e-6
    text = profile_step.format_profile(result, 5)
    assert "batch-1 predict" in text and "matmul" in text


def _has_avx2():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx2" in line for line in f)
    except OSError:
        return False


def _kernels_with(coretype):
    env = {k: v for k, v in os.environ.items() if k not in run_all.BLAS_KERNEL_VARIABLES}
    env["OPENBLAS_CORETYPE"] = coretype
    done = subprocess.run([sys.executable, "-c", run_all._KERNELS_SCRIPT], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


def test_the_openblas_kernel_set_is_read_from_the_library():
    from kerasette.backends.numpy._threads import openblas_kernels

    if openblas_kernels() is None or not _has_avx2():
        pytest.skip("needs numpy on an OpenBLAS built for many CPUs, on an AVX2 CPU")
    # The library's own name for the kernels OPENBLAS_CORETYPE asks for (nothing is computed with them).
    assert _kernels_with("Haswell") == "Haswell"
    assert _kernels_with("sandybridge") == "Sandybridge"


def test_the_report_names_the_kernels_and_what_forced_them(monkeypatch):
    from kerasette.backends.numpy._threads import openblas_kernels

    if openblas_kernels() is None or not _has_avx2():
        pytest.skip("needs numpy on an OpenBLAS built for many CPUs, on an AVX2 CPU")
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    info = run_all.machine_info(2)
    assert info["blas_kernels"] == "Haswell"
    assert info["blas_kernel_variables"]["OPENBLAS_CORETYPE"] == "Haswell"
    assert info["blas_kernels_unforced"]  # what OpenBLAS picks for this CPU on its own
    report = {"machine": info, "load_before": None, "load_after": None,
              "settings": {"steps": {"mlp": 1, "cnn": 1}, "repeats": 1}, "train": [], "imports": [], "ratios": [],
              "micro": None, "notes": []}
    assert "OpenBLAS kernels: Haswell (set by OPENBLAS_CORETYPE=Haswell" in run_all.format_report(report)
    for name in run_all.BLAS_KERNEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    unforced = run_all.machine_info(2)
    assert unforced["blas_kernel_variables"] == {} and "blas_kernels_unforced" not in unforced
    assert unforced["blas_kernels"] == info["blas_kernels_unforced"]
