"""One measurement in a fresh process; prints one JSON line. Started by ``run_all.py``.

    python benchmarks/bench_worker.py train --framework kerasette --model mlp --steps 60 --data DIR
    python benchmarks/bench_worker.py import --framework keras

``train`` times ``steps`` training batches (after a warm-up of 3), records the peak resident memory
of the process during them (the whole process: libraries, data and model included), then predict
throughput at batch 1000 and predict latency at batch 1.
``import`` times the library's import. Thread counts come from the environment run_all sets
(OPENBLAS/OMP/MKL_NUM_THREADS); PyTorch is also told ``torch.set_num_threads``.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WARMUP_STEPS = 3
PREDICT_BATCH = 1000
LATENCY_CALLS = 30


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _reset_peak_rss():
    """Restart the peak-RSS count from the current RSS (Linux >= 4.0), so the peak is the training's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_rss_mb():
    """The process's peak resident memory. VmHWM belongs to this address space; ru_maxrss would not do:
    Linux carries it across execve, so a worker would report its parent's peak when that is larger."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _threads():
    return int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count())


def _import_framework(framework):
    """Import and return (module, version string) for kerasette, keras (torch backend) or torch."""
    if framework == "kerasette":
        import kerasette

        return kerasette, f"kerasette {kerasette.__version__} ({kerasette.backends.backend()} backend)"
    if framework == "keras":
        os.environ["KERAS_BACKEND"] = "torch"
        import keras
        import torch

        torch.set_num_threads(_threads())
        return keras, f"keras {keras.__version__}, torch {torch.__version__}"
    import torch

    torch.set_num_threads(_threads())
    return torch, f"torch {torch.__version__}"


def _latency(call):
    call()
    times = []
    for _ in range(LATENCY_CALLS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def train_keras_api(keras, model_name, x, y, x_test):
    """fit / predict with kerasette or Keras: the same script either way."""
    import bench_models

    keras.utils.set_random_seed(0)
    model = bench_models.build_keras_api(keras, model_name)
    batch = bench_models.BATCH
    model.fit(x[: WARMUP_STEPS * batch], y[: WARMUP_STEPS * batch], batch_size=batch, epochs=1, verbose=0)
    rss_before = _rss_mb()
    _reset_peak_rss()
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    model.predict(x_test[:PREDICT_BATCH], batch_size=PREDICT_BATCH, verbose=0)
    start = time.perf_counter()
    model.predict(x_test, batch_size=PREDICT_BATCH, verbose=0)
    predict_seconds = time.perf_counter() - start
    one = x_test[:1]
    latency, latency_min = _latency(lambda: model.predict(one, verbose=0))
    return {"seconds": seconds, "loss": float(history.history["loss"][-1]), "rss_before_train_mb": rss_before,
            "peak_rss_mb": peak, "predict_samples_per_s": len(x_test) / predict_seconds,
            "latency_ms": latency * 1e3, "latency_min_ms": latency_min * 1e3}


def train_torch(torch, model_name, x, y, x_test):
    """The plain PyTorch loop a user would write: shuffled batches, forward, loss, backward, step."""
    import bench_models

    torch.manual_seed(0)
    channels_first = model_name == "cnn"
    if channels_first:  # NHWC arrays -> NCHW tensors, PyTorch's native layout (converted once, outside the timing)
        x, x_test = x.transpose(0, 3, 1, 2).copy(), x_test.transpose(0, 3, 1, 2).copy()
    module, optimizer = bench_models.build_torch(torch, model_name)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    batch = bench_models.BATCH

    def epoch(count):
        module.train()
        order = torch.randperm(count)
        total_loss = torch.zeros(())
        correct = torch.zeros((), dtype=torch.int64)
        for i in range(0, count, batch):
            index = order[i : i + batch]
            xb, yb = xt[index], yt[index]
            optimizer.zero_grad(set_to_none=True)
            logits = module(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            total_loss += loss.detach() * len(index)  # running loss and accuracy, read once at the end
            correct += (logits.detach().argmax(1) == yb).sum()
        return float(total_loss) / count

    epoch(WARMUP_STEPS * batch)
    rss_before = _rss_mb()
    _reset_peak_rss()
    start = time.perf_counter()
    loss = epoch(len(x))
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    module.eval()

    def predict(data):
        with torch.inference_mode():
            outs = [torch.softmax(module(torch.from_numpy(data[i : i + PREDICT_BATCH])), -1).numpy()
                    for i in range(0, len(data), PREDICT_BATCH)]
        return outs

    predict(x_test[:PREDICT_BATCH])
    start = time.perf_counter()
    predict(x_test)
    predict_seconds = time.perf_counter() - start
    one = x_test[:1]
    latency, latency_min = _latency(lambda: predict(one))
    return {"seconds": seconds, "loss": loss, "rss_before_train_mb": rss_before, "peak_rss_mb": peak,
            "predict_samples_per_s": len(x_test) / predict_seconds, "latency_ms": latency * 1e3,
            "latency_min_ms": latency_min * 1e3}


def run_train(args):
    sys.path.insert(0, HERE)
    import bench_models

    module, version = _import_framework(args.framework)
    x, y = bench_models.read_data(args.data, args.model, "train", args.steps * bench_models.BATCH)
    x_test, _ = bench_models.read_data(args.data, args.model, "test", 10_000)
    if args.framework == "torch":
        result = train_torch(module, args.model, x, y, x_test)
    else:
        result = train_keras_api(module, args.model, x, y, x_test)
    result.update({"samples": len(x), "samples_per_s": len(x) / result["seconds"], "version": version,
                   "steps": args.steps})
    return result


def run_import(args):
    start = time.perf_counter()
    _, version = _import_framework(args.framework)
    return {"import_s": time.perf_counter() - start, "version": version}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["train", "import"])
    parser.add_argument("--framework", required=True, choices=["kerasette", "keras", "torch"])
    parser.add_argument("--model", choices=["mlp", "cnn"])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    result = run_train(args) if args.task == "train" else run_import(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
