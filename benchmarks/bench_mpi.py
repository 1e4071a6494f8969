"""Data-parallel training over MPI: throughput and scaling of 1, 2 and 4 ranks at a fixed global batch.

    python benchmarks/bench_mpi.py                          # 1, 2, 4 ranks; MLP and CNN; global batch 256
    python benchmarks/bench_mpi.py --ranks 1,2,4,8 --steps 50
    python benchmarks/bench_mpi.py --quick                  # fewer steps (a smoke run)

For each model (the suite's MLP and CNN from ``bench_models.py``) and rank count ``n``, one
``mpiexec -n n`` job trains with ``fit`` on synthetic Fashion-MNIST-shaped data, each rank taking
``global_batch / n`` samples per step, after one warm-up epoch. Reported per configuration:

- samples/s: global samples per second of wall time (the slowest rank's);
- efficiency: samples/s / (n * samples/s of 1 rank), the strong-scaling efficiency (1.0 is ideal);
- allreduce ms/step: time inside ``DistributedOptimizer``'s gradient allreduce (flattening, host
  transfer, MPI and unflattening), mean over ranks, its share of the step, and the part inside the
  MPI call (which includes waiting there for the slowest rank: load imbalance shows up here);
- MB/step: the gradient buffer each rank contributes per step (float32: 4 bytes per weight); a ring
  allreduce sends about ``2 (n - 1) / n`` times that per rank.

The ranks run on the cores of this machine (``--oversubscribe`` beyond them); results go to
``benchmarks/results/mpi_<date>.json``.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def worker(args):
    import bench_models
    import numpy as np

    import kerasette
    import kerasette.distribute as hvd

    hvd.init()
    size, rank = hvd.size(), hvd.rank()
    kerasette.utils.set_random_seed(0)
    model = bench_models.build_keras_api(kerasette, args.model)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=hvd.DistributedOptimizer(model.optimizer),
                  metrics=["accuracy"])
    per_rank = args.global_batch // size
    count = args.global_batch * args.steps
    rng = np.random.default_rng(0)
    shape = (count, 784) if args.model == "mlp" else (count, 28, 28, 1)
    x = rng.random(shape, dtype=np.float32)
    y = rng.integers(0, 10, count)
    sync = [hvd.callbacks.BroadcastGlobalVariablesCallback(0)]
    model.fit(x[: args.global_batch * 3], y[: args.global_batch * 3], batch_size=per_rank, epochs=1, verbose=0,
              callbacks=sync)  # warm-up: buffers, caches, the optimizer's slots
    hvd.allreduce_statistics(reset=True)
    hvd.communicator().Barrier()
    start = time.perf_counter()
    model.fit(x, y, batch_size=per_rank, epochs=1, verbose=0, shuffle=False)
    seconds = time.perf_counter() - start
    stats = hvd.allreduce_statistics()
    every = hvd.communicator().gather((seconds, stats), root=0)
    if rank == 0:
        wall = max(s for s, _ in every)
        allreduce = sum(st["seconds"] for _, st in every) / size / args.steps
        inside_mpi = sum(st["mpi_seconds"] for _, st in every) / size / args.steps
        print("RESULT " + json.dumps({
            "model": args.model, "ranks": size, "global_batch": args.global_batch, "steps": args.steps,
            "samples_per_s": count / wall, "step_ms": 1000 * wall / args.steps,
            "allreduce_ms_per_step": 1000 * allreduce if size > 1 else 0.0,
            "mpi_ms_per_step": 1000 * inside_mpi if size > 1 else 0.0,
            "mb_per_step": stats["bytes"] / max(stats["calls"], 1) / 1e6 if size > 1 else 0.0,
            "weights": int(model.count_params()),
        }), flush=True)


def launch(model, ranks, args):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", TQDM_DISABLE="1",
               PYTHONPATH=ROOT)
    command = ["mpiexec", "--oversubscribe", "--bind-to", "none", "-n", str(ranks), sys.executable,
               os.path.abspath(__file__), "--worker", "--model", model, "--global-batch", str(args.global_batch),
               "--steps", str(args.steps)]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, stdin=subprocess.DEVNULL)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"mpiexec -n {ranks} ({model}) failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranks", default="1,2,4")
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--global-batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default 40 MLP / 12 CNN)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", default="mlp", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    rows = []
    for model in args.models.split(","):
        steps = args.steps or ((8 if model == "mlp" else 3) if args.quick else (40 if model == "mlp" else 12))
        run = argparse.Namespace(global_batch=args.global_batch, steps=steps)
        for ranks in [int(r) for r in args.ranks.split(",")]:
            if args.global_batch % ranks:
                raise SystemExit(f"--global-batch {args.global_batch} is not divisible by {ranks} ranks")
            row = launch(model, ranks, run)
            base = next((r for r in rows if r["model"] == model and r["ranks"] == 1), None)
            row["efficiency"] = row["samples_per_s"] / (ranks * base["samples_per_s"]) if base else None
            rows.append(row)
            print_row(row)
    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": platform.machine(),
              "cpus": os.cpu_count(), "load_average": os.getloadavg(), "rows": rows}
    out = args.out or os.path.join(HERE, "results", f"mpi_{datetime.date.today().isoformat()}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print(f"written to {out}")


def print_row(row):
    efficiency = "" if row["efficiency"] is None else f"{row['efficiency']:.2f}"
    share = row["allreduce_ms_per_step"] / row["step_ms"] if row["step_ms"] else 0
    print(f"{row['model']:4} ranks {row['ranks']:2}  {row['samples_per_s']:8.0f} samples/s  efficiency "
          f"{efficiency:>4}  step {row['step_ms']:7.1f} ms  allreduce {row['allreduce_ms_per_step']:6.1f} ms "
          f"({share:4.0%}; in MPI {row['mpi_ms_per_step']:6.1f} ms)  {row['mb_per_step']:.2f} MB/step", flush=True)


if __name__ == "__main__":
    main()
