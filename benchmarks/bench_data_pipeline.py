"""Training from data that is not in memory: the suite's CNN on Fashion-MNIST from arrays, an HDF5 file and PNGs.

    python benchmarks/bench_data_pipeline.py [--samples 4096] [--rounds 4] [--big-gb 4.2] [--rss-steps 60]
                                             [--backend numpy] [--workdir /tmp] [--skip-rss | --skip-speed]
                                             [--overlap on|off|both] [--paths memory,hdf5,...] [--out FILE]

One run measures training samples/s of the benchmark CNN (``bench_models``, batch 128, Adam) on the
same ``--samples`` real training images given three ways:

- ``memory``: float32 arrays in memory (``fit(x, y)``);
- ``hdf5``: the same arrays in an HDF5 file, passed as h5py datasets (read batch by batch at
  sorted shuffled indices), and ``hdf5 (shuffle="batch")`` (one contiguous read per batch);
- ``images``: the images as PNG files in class folders, read by ``image_dataset_from_directory``
  (Pillow decoding in ``workers=2`` threads), scaled by a ``map``.

Each path trains one epoch per round from the same initial weights; rounds alternate the paths
(the machine is shared), and the ratios to ``memory`` of the best and of the median rounds are
reported, with the ratio of the process's CPU time per sample (every thread counted, the data
threads included: the cost a dedicated machine would see, less sensitive to other jobs), the time
``fit`` waited for the next batch between steps (about zero when the data thread keeps up) and the
time one batch takes to make on its own. The first 3 batches of an epoch are not timed (warm-up).

Then, unless ``--skip-rss``, it writes an HDF5 file of at least ``--big-gb`` GB (the real images
repeated), trains ``--rss-steps`` shuffled batches from it in a fresh process and reports that
process's peak resident memory, next to the same training from a small in-memory array (the floor:
interpreter, library and model). The temporary files are deleted at the end. Results go to
``benchmarks/results/data_pipeline_<date>.json``.

``--overlap`` (OpenCL): whether the data thread also uploads the next batch to the device (``on``,
the default), or the step uploads its batch (``off``); ``both`` trains every path both ways in
each round, alternating, and reports the ratio of samples/s with the overlap to without it.
``--paths`` limits the speed comparison to some of the paths (``memory`` is always kept: the
ratios are to it). The report records the machine (CPUs, thread settings, OpenCL device).
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_models  # noqa: E402

WARM = 3  # batches of each epoch not timed


def load(samples):
    import kerasette

    (x, y), _ = kerasette.datasets.fashion_mnist.load_data()
    return x[:samples], y[:samples].astype("int64")


MODEL = {"name": "cnn"}  # --model: the benchmark CNN, or the MLP (a lighter step, so the batch upload weighs more)


def cnn(keras, seed=0):
    keras.utils.set_random_seed(seed)
    if MODEL["name"] == "cnn":
        return bench_models.build_keras_api(keras, "cnn")
    mlp = bench_models.build_keras_api(keras, "mlp")  # on flat images: the same layers behind a Reshape
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Reshape((784,))] + list(mlp.layers))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=mlp.optimizer, metrics=["accuracy"])
    return model


def upload_ms_per_batch(keras, x, y, repeats=30):
    """Median milliseconds to upload one batch (x and y) on the main thread: what the overlap can hide at most."""
    from kerasette import ops

    xb = (x[: bench_models.BATCH, ..., None] / 255.0).astype("float32")
    yb = y[: bench_models.BATCH]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        tensors = [ops.convert_to_tensor(xb), ops.convert_to_tensor(yb)]
        times.append(time.perf_counter() - start)
        del tensors
    return 1e3 * float(np.median(times))


def timer(keras):
    """A callback timing the batches of one epoch after the first ``WARM``, and the waits for data between them.

    The gap between the end of one batch and the beginning of the next is the time ``fit`` waited for
    the next batch (the data thread had not made it yet): about zero when the pipeline keeps up.
    """

    class Timer(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch > WARM:
                self.waited += time.perf_counter() - self.ended

        def on_train_batch_end(self, batch, logs=None):
            self.ended = time.perf_counter()
            if batch == WARM - 1:
                self.start, self.batches, self.waited = self.ended, 0, 0.0
                self.cpu_start = time.process_time()
            elif batch >= WARM:
                self.batches += 1

        def on_epoch_end(self, epoch, logs=None):
            self.seconds = time.perf_counter() - self.start
            self.cpu_seconds = time.process_time() - self.cpu_start  # every thread of the process

    return Timer()


def write_inputs(folder, x, y):
    """The HDF5 file and the PNG folders of the same images."""
    import h5py

    import kerasette as keras

    with h5py.File(os.path.join(folder, "train.h5"), "w") as f:
        f["x"] = (x[..., None] / 255.0).astype("float32")
        f["y"] = y
    images = os.path.join(folder, "images")
    for label in range(10):
        os.makedirs(os.path.join(images, str(label)))
    for i, (image, label) in enumerate(zip(x, y)):
        keras.utils.save_img(os.path.join(images, str(label), f"{i:06d}.png"), image[..., None], scale=False)
    return os.path.join(folder, "train.h5"), images


NO_OVERLAP = " (upload in step)"  # suffix of a path trained with DataAdapter.upload_ahead = False


def without_overlap(train):
    """``train`` run with the batch uploaded by the step (on the main thread), not by the data thread."""
    from kerasette.models.data_adapters import DataAdapter

    def run(model, cb):
        DataAdapter.upload_ahead = False
        try:
            return train(model, cb)
        finally:
            DataAdapter.upload_ahead = True

    return run


def speed(keras, folder, x, y, rounds, overlap="on", only=None):
    import h5py

    h5_path, images = write_inputs(folder, x, y)
    in_memory = (x[..., None] / 255.0).astype("float32")
    folder_data = keras.utils.image_dataset_from_directory(images, color_mode="grayscale", image_size=(28, 28),
                                                           batch_size=bench_models.BATCH, seed=1, verbose=False,
                                                           workers=2).map(lambda a, b: (a / 255.0, b))
    results, waits, loading, cpu = {}, {}, {}, {}
    with h5py.File(h5_path, "r") as f:
        paths = {
            "memory": lambda model, cb: model.fit(in_memory, y, batch_size=bench_models.BATCH, callbacks=[cb],
                                                  verbose=0),
            "hdf5": lambda model, cb: model.fit(f["x"], f["y"], batch_size=bench_models.BATCH, callbacks=[cb],
                                                verbose=0),
            'hdf5 (shuffle="batch")': lambda model, cb: model.fit(f["x"], f["y"], batch_size=bench_models.BATCH,
                                                                  shuffle="batch", callbacks=[cb], verbose=0),
            "images (workers=2)": lambda model, cb: model.fit(folder_data, callbacks=[cb], verbose=0),
        }
        if only:
            paths = {name: train for name, train in paths.items() if name == "memory" or name in only}
        if overlap == "off":
            paths = {name: without_overlap(train) for name, train in paths.items()}
        elif overlap == "both":  # in each round, each path with the overlap, then without it
            paths = {key: value for name, train in paths.items()
                     for key, value in ((name, train), (name + NO_OVERLAP, without_overlap(train)))}
        for name in paths:  # the data work alone: every batch of one epoch, checked, no training
            base = name[: -len(NO_OVERLAP)] if name.endswith(NO_OVERLAP) else name
            if base in loading:
                loading[name] = loading[base]
                continue
            loading[name] = loading_ms_per_batch(keras, base, in_memory, y, f, folder_data)
            print(f"  {name:32s} makes a batch in {loading[name]:.2f} ms (data thread, no training)", flush=True)
        for round_number in range(rounds):
            for name, train in paths.items():
                clock = timer(keras)
                train(cnn(keras), clock)
                rate = clock.batches * bench_models.BATCH / clock.seconds
                results.setdefault(name, []).append(rate)
                waits.setdefault(name, []).append(1e3 * clock.waited / max(clock.batches - 1, 1))
                cpu.setdefault(name, []).append(1e3 * clock.cpu_seconds / (clock.batches * bench_models.BATCH))
                print(f"  round {round_number + 1} {name:40s} {rate:8.0f} samples/s, waited "
                      f"{waits[name][-1]:.2f} ms/step for data, {cpu[name][-1]:.2f} CPU ms/sample", flush=True)
    return results, waits, loading, cpu


def loading_ms_per_batch(keras, name, x, y, f, folder_data):
    """Milliseconds the data thread spends per batch (read, decode, gather, check) for one epoch."""
    import threading

    from kerasette.models import data_adapters

    model = cnn(keras)
    if name == "memory":
        adapter = data_adapters.get_data_adapter(model, x, y, batch_size=bench_models.BATCH, shuffle=True)
    elif name.startswith("hdf5"):
        shuffle = "batch" if "batch" in name else True
        adapter = data_adapters.get_data_adapter(model, f["x"], f["y"], batch_size=bench_models.BATCH, shuffle=shuffle)
    else:
        adapter = data_adapters.get_data_adapter(model, folder_data, shuffle=True)
    try:
        start, count = time.perf_counter(), 0
        for _ in adapter.host_batches(0, threading.Event()):
            count += 1
        return 1e3 * (time.perf_counter() - start) / count
    finally:
        adapter.close()


def write_big_file(path, x, y, gigabytes):
    import h5py

    block = (x[..., None] / 255.0).astype("float32")
    repeats = -(-int(gigabytes * 2**30) // block.nbytes)
    with h5py.File(path, "w") as f:
        dx = f.create_dataset("x", (repeats * len(x),) + block.shape[1:], "float32")
        dy = f.create_dataset("y", (repeats * len(x),), "int64")
        for r in range(repeats):
            dx[r * len(x) : (r + 1) * len(x)] = block
            dy[r * len(x) : (r + 1) * len(x)] = y
    return os.path.getsize(path) / 1e9, repeats * len(x)


def rss_child(path, steps, backend):
    """Train ``steps`` shuffled batches from ``path`` (or from memory when path is "memory"); print peak RSS."""
    import kerasette as keras

    keras.backends.set_backend(backend)
    model = cnn(keras)
    start = time.perf_counter()
    if path == "memory":
        x, y = load(steps * bench_models.BATCH)
        model.fit((x[..., None] / 255.0).astype("float32"), y, batch_size=bench_models.BATCH, epochs=1, verbose=0)
    else:
        import h5py

        with h5py.File(path, "r") as f:
            model.fit(f["x"], f["y"], batch_size=bench_models.BATCH, steps_per_epoch=steps, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    print(json.dumps({"peak_rss_mib": peak_rss_mib(), "samples_per_s": steps * bench_models.BATCH / seconds}))


def peak_rss_mib():
    """This process's peak resident memory: ``VmHWM`` of /proc/self/status (Linux), else ``ru_maxrss``.

    ``ru_maxrss`` is not used on Linux: it survives ``exec``, so a child started by a large parent
    would report the parent's size at the fork.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_rss(path, steps, backend):
    out = subprocess.run([sys.executable, __file__, "--rss-child", path, "--rss-steps", str(steps),
                          "--backend", backend], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4096, help="training images per path and epoch")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--big-gb", type=float, default=4.2, help="size of the HDF5 file for the memory test")
    parser.add_argument("--rss-steps", type=int, default=60, help="batches trained from the big file")
    parser.add_argument("--backend", default="numpy")
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    parser.add_argument("--skip-rss", action="store_true", help="only the speed comparison")
    parser.add_argument("--skip-speed", action="store_true", help="only the peak memory with the big file")
    parser.add_argument("--overlap", choices=["on", "off", "both"], default="on",
                        help="upload the next batch in the data thread (OpenCL): on, off, or both alternating")
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn", help="the model trained (speed only)")
    parser.add_argument("--paths", help="comma-separated paths to time besides memory (default: all)")
    parser.add_argument("--out")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        return rss_child(args.rss_child, args.rss_steps, args.backend)

    import kerasette as keras

    keras.backends.set_backend(args.backend)
    MODEL["name"] = args.model
    x, y = load(args.samples)
    folder = tempfile.mkdtemp(prefix="kerasette-data-bench-", dir=args.workdir)
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "backend": args.backend,
              "samples": len(x), "batch_size": bench_models.BATCH, "rounds": args.rounds,
              "overlap": args.overlap, "model": args.model, "machine": machine(keras, args.backend)}
    try:
        if not args.skip_speed:
            compare_speed(keras, folder, x, y, args, report)
        if not args.skip_rss:
            compare_memory(keras, folder, args, report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report["machine"]["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    out = args.out or os.path.join(HERE, "results", f"data_pipeline_{datetime.date.today().isoformat()}.json")
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"\nSaved {out}")
    return report


def machine(keras, backend):
    """The CPUs, thread settings and (on OpenCL) the device the figures were measured on."""
    info = {"cpus": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else None, "platform": platform.platform(), "python": platform.python_version(),
            "threads_env": {key: os.environ[key] for key in sorted(os.environ)
                            if key.endswith("_NUM_THREADS") or key.startswith(("KERASETTE_", "POCL_"))},
            "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None}
    if backend == "opencl":
        from kerasette.backends.opencl import runtime

        info["opencl_device"] = runtime.get().describe()
    return info


def compare_speed(keras, folder, x, y, args, report):
    print(f"Training samples/s of the {args.model.upper()}, {len(x)} images, batch {bench_models.BATCH}, "
          f"{args.backend} backend:")
    report["upload_ms_per_batch"] = upload_ms_per_batch(keras, x, y)
    print(f"  uploading one batch (x and y) takes {report['upload_ms_per_batch']:.3f} ms on the main thread")
    only = None if not args.paths else set(args.paths.split(","))
    rates, waits, loading, cpu = speed(keras, folder, x, y, args.rounds, args.overlap, only)
    best = {name: max(values) for name, values in rates.items()}
    median = {name: float(np.median(values)) for name, values in rates.items()}
    if args.overlap == "both":  # each round's ratio, with the overlap over without it (the two ran back to back)
        report["overlap_ratio_per_round"] = {
            name: [a / b for a, b in zip(rates[name], rates[name + NO_OVERLAP])]
            for name in rates if not name.endswith(NO_OVERLAP)}
        report["overlap_median_ratio"] = {name: float(np.median(values))
                                          for name, values in report["overlap_ratio_per_round"].items()}
    cpu_median = {name: float(np.median(values)) for name, values in cpu.items()}
    report.update(samples_per_s=rates, data_wait_ms_per_step=waits, loading_ms_per_batch=loading,
                  cpu_ms_per_sample=cpu,
                  best_ratio_to_memory={name: rate / best["memory"] for name, rate in best.items()},
                  median_ratio_to_memory={name: rate / median["memory"] for name, rate in median.items()},
                  cpu_ratio_to_memory={name: cpu_median["memory"] / value for name, value in cpu_median.items()})
    print(f"\n{'input':40s} {'best':>5s} {'median':>7s} {'CPU':>5s} {'samples/s':>10s} {'wait ms/step':>13s} "
          f"{'make ms/batch':>14s}")
    for name in best:
        print(f"{name:40s} {best[name] / best['memory']:5.2f} {median[name] / median['memory']:7.2f} "
              f"{cpu_median['memory'] / cpu_median[name]:5.2f} {median[name]:10.0f} "
              f"{float(np.median(waits[name])):13.2f} {loading[name]:14.2f}")
    print("(best, median: samples/s ratios to memory; CPU: the ratio of CPU time per sample, memory's over the "
          "path's, what a machine of its own would show when training keeps its cores busy)")
    for name, ratio in report.get("overlap_median_ratio", {}).items():
        print(f"{name}: samples/s with the upload in the data thread / in the step, median of rounds: {ratio:.3f} "
              f"(per round: {', '.join(f'{r:.3f}' for r in report['overlap_ratio_per_round'][name])})")


def compare_memory(keras, folder, args, report):
    (full_x, full_y), _ = keras.datasets.fashion_mnist.load_data()
    big = os.path.join(folder, "big.h5")
    print(f"\nWriting an HDF5 file of at least {args.big_gb} GB (the 60,000 training images repeated)...")
    size, rows = write_big_file(big, full_x, full_y.astype("int64"), args.big_gb)
    on_disk = measure_rss(big, args.rss_steps, args.backend)
    floor = measure_rss("memory", args.rss_steps, args.backend)
    report["rss"] = {"file_gb": size, "rows": rows, "steps": args.rss_steps, "hdf5": on_disk, "in_memory_floor": floor}
    print(f"Peak RSS training {args.rss_steps} shuffled batches from a {size:.2f} GB file ({rows:,} images): "
          f"{on_disk['peak_rss_mib']:.0f} MiB ({on_disk['samples_per_s']:.0f} samples/s); the same steps "
          f"from {args.rss_steps * bench_models.BATCH} images in memory: {floor['peak_rss_mib']:.0f} MiB.")
    os.remove(big)


if __name__ == "__main__":
    main()
