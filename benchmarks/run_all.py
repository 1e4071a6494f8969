"""The benchmark suite: kerasette next to Keras 3 (torch backend) and plain PyTorch, in one invocation.

    python benchmarks/run_all.py                  # the full suite (about 5-10 minutes on 2 cores)
    python benchmarks/run_all.py --quick          # fewer steps and repeats (about 2 minutes)
    python benchmarks/run_all.py --baseline HEAD  # also kerasette as of a git ref (before/after)

Measures, for the MLP and the CNN of ``bench_models.py`` on Fashion-MNIST (batch 128): training
samples/s, peak resident memory of the training process, predict throughput at batch 1000 and
predict latency at batch 1 (``model.predict`` on one sample); the import time of each library; and
GEMM / conv2d GFLOP/s at the models' shapes next to numpy's own matmul (``bench_micro.py``).
Every measurement runs in a fresh subprocess with the same thread settings; frameworks take turns
within each repeat, so the ratios compare runs made under the same machine load. Peers that are not
installed are skipped with a note. Results go to ``benchmarks/results/<date>.json`` and are printed
as a table, with the machine, thread settings, library versions and the OpenBLAS kernel set numpy ran
(and the environment variables that chose it, if any).
"""

import argparse
import datetime
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import bench_models  # noqa: E402

# (what, model, numerator, denominator, goal, "min" = ratio must be >= goal / "max" = <= goal)
GOALS = [
    ("training samples/s", "mlp", "kerasette", "keras", 1.5, "min"),
    ("training samples/s", "mlp", "kerasette", "torch", 1.0, "min"),
    ("training samples/s", "cnn", "kerasette", "keras", 1.2, "min"),
    ("training samples/s", "cnn", "kerasette", "torch", 1.0, "min"),
    ("predict latency, batch 1", "mlp", "kerasette", "keras", 0.2, "max"),
    ("predict latency, batch 1", "cnn", "kerasette", "keras", 0.2, "max"),
    ("peak training memory", "mlp", "kerasette", "keras", 1.0, "max"),
    ("peak training memory", "cnn", "kerasette", "keras", 1.0, "max"),
]
IMPORT_GOAL_S = 0.5


# ----- subprocesses ------------------------------------------------------------------
class Runner:
    """Starts workers with one environment: thread counts, and PYTHONPATH for a baseline copy."""

    def __init__(self, threads):
        self.threads = threads
        self.env = dict(os.environ)
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            self.env[name] = str(threads)
        self.env["KERAS_BACKEND"] = "torch"
        self.env.setdefault("TQDM_DISABLE", "1")
        # An installed package has its bytecode compiled (pip does it at install time); a sandbox that sets
        # PYTHONDONTWRITEBYTECODE would otherwise time the compiler instead of the import.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(self, script, args, extra_env=None, timeout=900):
        env = dict(self.env, **(extra_env or {}))
        cmd = [sys.executable, os.path.join(HERE, script)] + [str(a) for a in args]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=HERE)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout} s"}
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"error": " | ".join(tail) or f"exit code {proc.returncode}"}
        return json.loads(lines[-1])


def probe(runner, code, extra_env=None):
    env = dict(runner.env, **(extra_env or {}))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=HERE)
    return None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["failed"])[-1]


def baseline_site(ref):
    """An importable copy of kerasette at git ``ref`` (``git archive``: read-only for the repository)."""
    archive = subprocess.run(["git", "-C", ROOT, "archive", ref], capture_output=True, check=True).stdout
    folder = tempfile.mkdtemp(prefix="kerasette-baseline-")
    tree, site = os.path.join(folder, "tree"), os.path.join(folder, "site")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree)  # noqa: S202 - our own repository's archive
    shutil.move(os.path.join(tree, "kerasette"), os.path.join(site, "kerasette"))
    for sub in ("backends", "applications"):  # the pyproject package-dir mapping, as a plain tree
        shutil.move(os.path.join(tree, sub), os.path.join(site, "kerasette", sub))
    return folder, site


def frameworks(runner, baseline):
    """[(label, worker framework, extra env)] for every kerasette backend that loads and each installed peer."""
    entries, notes = [], []
    from kerasette import backends

    for name in backends.available_backends():
        try:
            backends.load_backend(name)
        except ImportError as error:
            notes.append(f"kerasette backend {name!r} skipped: {error}")
            continue
        label = "kerasette" if name == "numpy" else f"kerasette[{name}]"
        entries.append((label, "kerasette", {"KERASETTE_BACKEND": name}))
    if baseline is not None:
        ref, site = baseline
        path = site + os.pathsep + runner.env.get("PYTHONPATH", "")
        entries.append((f"kerasette@{ref}", "kerasette", {"KERASETTE_BACKEND": "numpy", "PYTHONPATH": path}))
    missing = probe(runner, "import keras, torch")
    if missing:
        notes.append(f"Keras 3 + torch skipped (not installed: {missing}); pip install torch==2.13.0 keras")
    else:
        entries.append(("keras", "keras", {}))
    missing = probe(runner, "import torch")
    if missing:
        notes.append(f"plain PyTorch skipped (not installed: {missing}); pip install torch==2.13.0")
    else:
        entries.append(("torch", "torch", {}))
    return entries, notes


# ----- the measurements ----------------------------------------------------------------
def measure_training(runner, entries, data, steps, repeats, log):
    runs = {}
    for repeat in range(repeats):
        for model in steps:
            for label, framework, env in entries:
                args = ["train", "--framework", framework, "--model", model, "--steps", steps[model], "--data", data]
                result = runner.run("bench_worker.py", args, env)
                runs.setdefault((label, model), []).append(result)
                rate = result.get("samples_per_s")
                log(f"  [{repeat + 1}/{repeats}] {model:4} {label:22} "
                    + (f"{rate:9.0f} samples/s" if rate else f"error: {result.get('error')}"))
    rows = []
    for (label, model), results in runs.items():
        good = [r for r in results if "samples_per_s" in r]
        row = {"framework": label, "model": model, "runs": results}
        if good:
            rates = [r["samples_per_s"] for r in good]
            row.update({
                "samples_per_s": max(rates),
                "samples_per_s_median": statistics.median(rates),
                "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in good),
                "train_rss_growth_mb": statistics.median(r["peak_rss_mb"] - r["rss_before_train_mb"] for r in good),
                "predict_samples_per_s": max(r["predict_samples_per_s"] for r in good),
                "latency_ms": min(r["latency_ms"] for r in good),
                "version": good[0]["version"],
                "final_loss": good[-1]["loss"],
            })
        else:
            row["error"] = results[-1].get("error")
        rows.append(row)
    return rows


def measure_imports(runner, entries, repeats, log):
    rows = []
    times = {}
    for _label, framework, env in entries:  # untimed: writes the bytecode caches
        runner.run("bench_worker.py", ["import", "--framework", framework], env)
    for _ in range(repeats):
        for label, framework, env in entries:
            result = runner.run("bench_worker.py", ["import", "--framework", framework], env)
            times.setdefault(label, []).append(result)
    for label, results in times.items():
        good = [r["import_s"] for r in results if "import_s" in r]
        row = {"framework": label, "runs": results}
        if good:
            row.update({"import_s": statistics.median(good), "import_min_s": min(good)})
            log(f"  import {label:22} {row['import_s']:.2f} s (median of {len(good)})")
        else:
            row["error"] = results[-1].get("error")
        rows.append(row)
    return rows


def ratios(train_rows, import_rows):
    table = {(r["framework"], r["model"]): r for r in train_rows if "samples_per_s" in r}
    out = []
    for what, model, num, den, goal, kind in GOALS:
        a, b = table.get((num, model)), table.get((den, model))
        entry = {"what": what, "model": model, "numerator": num, "denominator": den, "goal": goal, "kind": kind}
        if a and b:
            if what.startswith("training"):
                value = a["samples_per_s"] / b["samples_per_s"]
            elif what.startswith("predict latency"):
                value = a["latency_ms"] / b["latency_ms"]
            else:
                value = a["peak_rss_mb"] / b["peak_rss_mb"]
            entry["ratio"] = value
            entry["met"] = value >= goal if kind == "min" else value <= goal
        out.append(entry)
    for row in import_rows:
        if row["framework"] == "kerasette" and "import_s" in row:
            out.append({"what": "import time (s)", "model": "-", "numerator": "kerasette", "denominator": "-",
                        "goal": IMPORT_GOAL_S, "kind": "max", "ratio": row["import_s"],
                        "met": row["import_s"] < IMPORT_GOAL_S})
    return out


# ----- reporting ------------------------------------------------------------------------
def machine_info(threads):
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith("flags")), "")
        simd = [s for s in ("avx2", "avx512f", "fma") if f" {s}" in flags]
    except OSError:
        simd = []
    import numpy

    blas = "unknown"
    try:
        config = numpy.show_config(mode="dicts")
        blas = f"{config['Build Dependencies']['blas']['name']} {config['Build Dependencies']['blas']['version']}"
    except Exception:  # noqa: BLE001 - numpy < 1.25 has no dict mode
        pass
    return {"cpu": cpu, "simd": simd, "cores": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "numpy": numpy.__version__, "blas": blas,
            **blas_kernel_info(),
            "threads": {"OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
                        "torch.set_num_threads": threads}}


# Environment variables that make OpenBLAS run another kernel set than the one it would pick for this CPU.
BLAS_KERNEL_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_KERNELS_SCRIPT = "from kerasette.backends.numpy._threads import openblas_kernels; print(openblas_kernels())"


def blas_kernel_info():
    """The OpenBLAS kernel set the timed processes run, the variables that chose it, and OpenBLAS's own choice.

    numpy's GEMMs (kerasette's and Keras's numpy code) run on these kernels; PyTorch has its own.
    """
    def kernels(env):
        done = subprocess.run([sys.executable, "-c", _KERNELS_SCRIPT], env=env, capture_output=True, text=True)
        return done.stdout.strip() or None

    forced = {name: os.environ[name] for name in BLAS_KERNEL_VARIABLES if name in os.environ}
    info = {"blas_kernels": kernels(os.environ), "blas_kernel_variables": forced}
    if forced:
        info["blas_kernels_unforced"] = kernels({k: v for k, v in os.environ.items() if k not in forced})
    return info


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(v) for v in f.read().split()[:3]]
    except OSError:
        return None


def format_report(report):
    lines = []
    add = lines.append
    m = report["machine"]
    add(f"machine: {m['cpu']} ({m['cores']} cores, {'/'.join(m['simd']) or 'no AVX'}), {m['platform']}")
    add(f"python {m['python']}, numpy {m['numpy']} ({m['blas']}); threads: {m['threads']['OMP_NUM_THREADS']} "
        "(OPENBLAS/OMP/MKL_NUM_THREADS and torch.set_num_threads)")
    if m.get("blas_kernels"):
        forced = ", ".join(f"{k}={v}" for k, v in m.get("blas_kernel_variables", {}).items())
        chosen = f" (set by {forced}; OpenBLAS's own choice here: {m.get('blas_kernels_unforced')})" if forced else ""
        add(f"OpenBLAS kernels: {m['blas_kernels']}{chosen}")
    add(f"load average before/after: {report['load_before']} / {report['load_after']}")
    s = report["settings"]
    add(f"batch {bench_models.BATCH}; steps timed: mlp {s['steps']['mlp']}, cnn {s['steps']['cnn']}; "
        f"repeats {s['repeats']} (best samples/s shown, median in brackets)")
    if report["train"]:
        add("")
        add(f"{'model':5} {'framework':20} {'train samples/s':>22} {'peak RSS MB':>12} {'predict/s @1000':>16} "
            f"{'latency @1 ms':>14}  version")
        for r in sorted(report["train"], key=lambda r: (bench_models.MODELS.index(r["model"]), r["framework"])):
            if "samples_per_s" not in r:
                add(f"{r['model']:5} {r['framework']:20} error: {r.get('error')}")
                continue
            rate = f"{r['samples_per_s']:.0f} [{r['samples_per_s_median']:.0f}]"
            add(f"{r['model']:5} {r['framework']:20} {rate:>22} {r['peak_rss_mb']:12.0f} "
                f"{r['predict_samples_per_s']:16.0f} {r['latency_ms']:14.2f}  {r['version']}")
    if report["imports"]:
        add("")
        add("import time: " + ", ".join(
            f"{r['framework']} {r['import_s']:.2f} s" if "import_s" in r else f"{r['framework']} error"
            for r in report["imports"]))
    if report["ratios"]:
        add("")
        add(f"{'goal':46} {'ratio':>8} {'target':>9}  met")
        for g in report["ratios"]:
            name = f"{g['what']} {g['model']}: {g['numerator']}/{g['denominator']}"
            if g["what"].startswith("import"):
                name = "import kerasette (seconds)"
            sign = "<" if g["what"].startswith("import") else (">=" if g["kind"] == "min" else "<=")
            target = f"{sign}{g['goal']}"
            value = f"{g['ratio']:.2f}" if "ratio" in g else "n/a"
            met = {True: "yes", False: "NO"}.get(g.get("met"), "-")
            add(f"{name:46} {value:>8} {target:>9}  {met}")
    micro = report.get("micro")
    if micro and "gemm" in micro:
        add("")
        threads = m["threads"]["OMP_NUM_THREADS"]
        add(f"{'micro-benchmark (GFLOP/s)':32} {f'numpy {threads}t':>8} {'numpy 1t':>8} {'kerasette':>9} "
            f"{'torch':>7} {'ours/ceiling':>12}")
        for r in micro["gemm"] + micro["conv"]:
            torch_value = f"{r['torch_gflops']:7.1f}" if "torch_gflops" in r else f"{'-':>7}"
            single = f"{r['numpy_1t_gflops']:8.1f}" if r.get("numpy_1t_gflops") else f"{'-':>8}"
            add(f"{r['label']:32} {r['numpy_gflops']:8.1f} {single} {r['kerasette_gflops']:9.1f} {torch_value} "
                f"{r['kerasette_gflops'] / r['ceiling_gflops']:12.2f}")
        add("(ceiling: the better numpy figure; for a convolution, one GEMM on a prebuilt im2col matrix)")
    elif micro:
        add("")
        add(f"micro-benchmarks: error {micro.get('error')}")
    for note in report["notes"]:
        add(f"note: {note}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and one repeat (about 2 minutes)")
    parser.add_argument("--mlp-steps", type=int, help="MLP training batches timed (default 150, quick 50)")
    parser.add_argument("--cnn-steps", type=int, help="CNN training batches timed (default 24, quick 8)")
    parser.add_argument("--repeats", type=int, help="rounds of every training run (default 2, quick 1)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / torch threads (default: cores)")
    parser.add_argument("--only", nargs="+", choices=["train", "import", "micro"], help="run only these parts")
    parser.add_argument("--models", nargs="+", choices=list(bench_models.MODELS), default=list(bench_models.MODELS))
    parser.add_argument("--frameworks", nargs="+", help="labels to run (e.g. kerasette keras torch)")
    parser.add_argument("--baseline", metavar="GIT_REF", help="also time kerasette as of this git ref")
    parser.add_argument("--out", help="result file (default benchmarks/results/<date>.json)")
    args = parser.parse_args(argv)

    quick = args.quick
    steps = {"mlp": args.mlp_steps or (50 if quick else 150), "cnn": args.cnn_steps or (8 if quick else 24)}
    repeats = args.repeats or (1 if quick else 2)
    parts = set(args.only or ["train", "import", "micro"])
    runner = Runner(args.threads)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    out = args.out or os.path.join(HERE, "results", f"{stamp}.json")

    def log(message):
        print(message, flush=True)

    baseline_folder = None
    baseline = None
    if args.baseline:
        baseline_folder, site = baseline_site(args.baseline)
        baseline = (args.baseline, site)
    entries, notes = frameworks(runner, baseline)
    if args.frameworks:
        entries = [e for e in entries if e[0] in args.frameworks]
    report = {"date": stamp, "machine": machine_info(args.threads), "load_before": loadavg(),
              "settings": {"steps": steps, "repeats": repeats, "batch_size": bench_models.BATCH,
                           "models": args.models, "frameworks": [e[0] for e in entries]},
              "train": [], "imports": [], "ratios": [], "micro": None, "notes": notes}
    data = tempfile.mkdtemp(prefix="kerasette-bench-data-")
    try:
        if "train" in parts:
            log(f"training ({', '.join(e[0] for e in entries)}; {repeats} repeat(s))")
            bench_models.write_data(data)
            model_steps = {m: steps[m] for m in bench_models.MODELS if m in args.models}
            report["train"] = measure_training(runner, entries, data, model_steps, repeats, log)
        if "import" in parts:
            log("import time")
            report["imports"] = measure_imports(runner, entries, 3, log)
        if "micro" in parts:
            log("micro-benchmarks")
            report["micro"] = runner.run("bench_micro.py", ["--repeats", 3 if quick else 5])
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if baseline_folder:
            shutil.rmtree(baseline_folder, ignore_errors=True)
    report["ratios"] = ratios(report["train"], report["imports"])
    report["load_after"] = loadavg()
    if (report["load_before"] or [0])[0] > 0.5 * (os.cpu_count() or 1):
        notes.append("the machine was busy when the suite started (load average above half the cores): "
                     "absolute figures are low, compare the ratios")
    text = format_report(report)
    print()
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"\nwritten to {out}")
    return report


if __name__ == "__main__":
    main()
