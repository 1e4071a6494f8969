"""Where the time of one kerasette training step goes: per backend primitive, and per Python function.

    python benchmarks/profile_step.py [--model mlp|cnn|both] [--steps 20] [--top 12]

Every primitive of the active backend is wrapped with a wall-clock timer for ``steps`` training
steps (after a warm-up), so the table shows ms per step and the share of the step for each
primitive (the numpy work, threads included); what no primitive accounts for is the framework's
Python overhead (tape, layers, losses, metrics, optimizer bookkeeping). A cProfile listing of the
same steps follows (main thread only: work done by the backend's pool threads shows up there as
waiting in ``_parallel``).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_models  # noqa: E402


def _data(model_name, count):
    import kerasette

    (x, y), _ = kerasette.datasets.fashion_mnist.load_data()
    x = x[:count].astype("float32") / 255.0
    x = x.reshape(count, 784) if model_name == "mlp" else x[..., None]
    return x, y[:count].astype("int64")


class PrimitiveTimer:
    """Wraps every primitive of a backend module with an inclusive wall-clock timer."""

    def __init__(self, backend, names):
        self.backend, self.names, self.saved = backend, names, {}
        self.totals, self.calls = {}, {}

    def __enter__(self):
        for name in self.names:
            fn = getattr(self.backend, name)
            self.saved[name] = fn
            setattr(self.backend, name, self._wrap(name, fn))
        return self

    def __exit__(self, *exc):
        for name, fn in self.saved.items():
            setattr(self.backend, name, fn)

    def _wrap(self, name, fn):
        totals, calls, clock = self.totals, self.calls, time.perf_counter

        def timed(*args, **kwargs):
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + clock() - start
                calls[name] = calls.get(name, 0) + 1

        return timed


def profile(model_name, steps, top):
    from kerasette.backends import current
    from kerasette.backends.interface import PRIMITIVES

    import kerasette

    batch = bench_models.BATCH
    x, y = _data(model_name, (steps + 3) * batch)
    kerasette.utils.set_random_seed(0)
    model = bench_models.build_keras_api(kerasette, model_name)
    model.fit(x[: 3 * batch], y[: 3 * batch], batch_size=batch, verbose=0)
    x, y = x[3 * batch :], y[3 * batch :]
    backend = current()

    with PrimitiveTimer(backend, list(PRIMITIVES)) as timer:
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, verbose=0, shuffle=False)
        step_s = (time.perf_counter() - start) / steps
    primitives = sorted(timer.totals.items(), key=lambda item: -item[1])
    rows = [{"name": name, "ms_per_step": total / steps * 1e3, "share": total / steps / step_s,
             "calls_per_step": timer.calls[name] / steps} for name, total in primitives]
    overhead = step_s - sum(total for _, total in primitives) / steps
    rows.append({"name": "(python: tape, layers, losses, metrics, optimizer)", "ms_per_step": overhead * 1e3,
                 "share": overhead / step_s, "calls_per_step": None})

    profiler = cProfile.Profile()
    profiler.enable()
    model.fit(x, y, batch_size=batch, verbose=0, shuffle=False)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return {"model": model_name, "step_ms": step_s * 1e3, "samples_per_s": batch / step_s, "steps": steps,
            "primitives": rows, "cprofile": stream.getvalue()}


def format_profile(result, top):
    lines = [f"{result['model']}: {result['step_ms']:.1f} ms per training step "
             f"({result['samples_per_s']:.0f} samples/s, {result['steps']} steps, with timers)",
             f"  {'primitive':52} {'ms/step':>8} {'share':>7} {'calls':>6}"]
    rows = sorted(result["primitives"], key=lambda r: -r["ms_per_step"])[:top]
    for r in rows:
        calls = "" if r["calls_per_step"] is None else f"{r['calls_per_step']:.0f}"
        lines.append(f"  {r['name']:52} {r['ms_per_step']:8.2f} {100 * r['share']:6.1f}% {calls:>6}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["mlp", "cnn", "both"], default="both")
    parser.add_argument("--steps", type=int, help="steps profiled (default 40 for the MLP, 8 for the CNN)")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--cprofile", action="store_true", help="also print the cProfile listing")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of tables")
    args = parser.parse_args(argv)
    models = ["mlp", "cnn"] if args.model == "both" else [args.model]
    results = [profile(m, args.steps or (40 if m == "mlp" else 8), args.top) for m in models]
    if args.json:
        print(json.dumps(results))
        return results
    for result in results:
        print(format_profile(result, args.top))
        if args.cprofile:
            print(result["cprofile"])
    return results


if __name__ == "__main__":
    main()
