"""Fuzz kerasette's loaders at scale: mutate valid .keras, .h5 and .weights.h5 files and load each one.

Every load runs in a worker process under RLIMIT_AS (1 GiB by default) with a 10 s timeout; the
outcome of each case is a correct load or ``kerasette.saving.InvalidFileError`` naming the file,
and anything else is counted as a failure (see ``tests/saving/fuzz_harness.py``).

    python benchmarks/fuzz_loading.py --cases 5000 --seed 0 --workers 2 [--json results.json]

Prints the counts by outcome, by kind of file and by mutation family, the wrapped error types,
the largest peak memory and load time, and the first failures; exits 1 if there are any.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "saving"))
import fuzz_harness  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=max(os.cpu_count() or 1, 1))
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--memory-limit-mb", type=int, default=1024)
    parser.add_argument("--json", help="write the summary (and every failure) to this file")
    args = parser.parse_args()
    start = time.perf_counter()
    summary = fuzz_harness.fuzz(args.cases, seed=args.seed, workers=args.workers, timeout=args.timeout,
                                memory_limit=args.memory_limit_mb * 1024**2)
    wall = time.perf_counter() - start
    bad = summary["bad"]
    print(f"{summary['cases']} cases (seed {args.seed}) in {wall:.0f} s with {args.workers} workers, "
          f"RLIMIT_AS {args.memory_limit_mb} MiB, timeout {args.timeout:.0f} s")
    print("outcomes:", json.dumps(summary["outcomes"]))
    for group in ("by_kind", "by_family"):
        print(f"{group}:")
        for key, counts in sorted(summary[group].items()):
            print(f"  {key:12s} {json.dumps(dict(sorted(counts.items())))}")
    print("error types (InvalidFileError / the wrapped cause):", json.dumps(summary["error_types"]))
    print(f"max peak RSS of a load: {summary['max_rss_mb']:.0f} MiB; max load time: {summary['max_seconds']:.2f} s; "
          f"mean load time: {summary['mean_ms']:.1f} ms")
    print(f"failures: {len(bad)}")
    for result in bad[:20]:
        print(f"  #{result['id']} {result['outcome']} {result['kind']} {result['model']} {result['what']}: "
              f"{result['message'][-400:]}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({**summary, "wall_seconds": wall, "seed": args.seed}, handle, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
