"""Training speed of the benchmark MLP and CNN: kerasette next to Keras 3 (torch) and plain PyTorch.

    python benchmarks/train_speed.py [--steps 40] [--out FILE]

The training part of the full suite (``python benchmarks/run_all.py``, which also measures predict,
import time, memory and GEMM / conv GFLOP/s). ``--steps`` sets the MLP's timed batches; the CNN,
about 50x heavier per batch, gets a fifth of them (at least 4).
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run_all  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40, help="MLP training batches timed per run")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", help="result file (default benchmarks/results/<date>.json)")
    args = parser.parse_args(argv)
    forwarded = ["--only", "train", "--mlp-steps", str(args.steps), "--cnn-steps", str(max(4, args.steps // 5)),
                 "--repeats", str(args.repeats)]
    if args.out:
        forwarded += ["--out", args.out]
    return run_all.main(forwarded)


if __name__ == "__main__":
    main()
