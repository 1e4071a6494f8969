"""Where the time of one kerasette training step goes: per backend primitive, and per Python function.

    python benchmarks/profile_step.py [--model mlp|cnn|both] [--steps 20] [--top 12]
    python benchmarks/profile_step.py --predict [--calls 500]   # one batch-1 ``model.predict`` instead

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


def primitive_rows(timer, count, seconds_each, rest_name):
    """One row per timed primitive (ms and share of each of ``count`` runs of ``seconds_each``), then the rest."""
    primitives = sorted(timer.totals.items(), key=lambda item: -item[1])
    rows = [{"name": name, "ms_per_step": total / count * 1e3, "share": total / count / seconds_each,
             "calls_per_step": timer.calls[name] / count} for name, total in primitives]
    rest = seconds_each - sum(total for _, total in primitives) / count
    rows.append({"name": rest_name, "ms_per_step": rest * 1e3, "share": rest / seconds_each, "calls_per_step": None})
    return rows


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
    rows = primitive_rows(timer, steps, step_s, "(python: tape, layers, losses, metrics, optimizer)")

    profiler = cProfile.Profile()
    profiler.enable()
    model.fit(x, y, batch_size=batch, verbose=0, shuffle=False)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return {"model": model_name, "step_ms": step_s * 1e3, "samples_per_s": batch / step_s, "steps": steps,
            "primitives": rows, "cprofile": stream.getvalue()}


def profile_predict(model_name, calls, top):
    """The same table for ``model.predict`` on one sample (batch-1 latency), ``calls`` calls after a warm-up."""
    from kerasette.backends import current
    from kerasette.backends.interface import PRIMITIVES

    import kerasette

    x, y = _data(model_name, 3 * bench_models.BATCH)
    kerasette.utils.set_random_seed(0)
    model = bench_models.build_keras_api(kerasette, model_name)
    model.fit(x, y, batch_size=bench_models.BATCH, verbose=0)
    one = x[:1]
    for _ in range(20):
        model.predict(one, verbose=0)
    plain = []
    for _ in range(calls):
        start = time.perf_counter()
        model.predict(one, verbose=0)
        plain.append(time.perf_counter() - start)
    with PrimitiveTimer(current(), list(PRIMITIVES)) as timer:
        start = time.perf_counter()
        for _ in range(calls):
            model.predict(one, verbose=0)
        call_s = (time.perf_counter() - start) / calls
    rows = primitive_rows(timer, calls, call_s, "(python: predict, graph, layers, ops)")
    plain.sort()
    return {"model": model_name, "what": "batch-1 predict", "step_ms": call_s * 1e3, "steps": calls,
            "median_ms_without_timers": plain[len(plain) // 2] * 1e3, "min_ms_without_timers": plain[0] * 1e3,
            "primitives": rows}


def format_profile(result, top):
    if result.get("what") == "batch-1 predict":
        lines = [f"{result['model']}: {result['step_ms']:.3f} ms per batch-1 predict with timers, "
                 f"{result['median_ms_without_timers']:.3f} ms median ({result['min_ms_without_timers']:.3f} min) "
                 f"without, {result['steps']} calls"]
    else:
        lines = [f"{result['model']}: {result['step_ms']:.1f} ms per training step "
                 f"({result['samples_per_s']:.0f} samples/s, {result['steps']} steps, with timers)"]
    lines.append(f"  {'primitive':52} {'ms/call' if result.get('what') else 'ms/step':>8} {'share':>7} {'calls':>6}")
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
    parser.add_argument("--predict", action="store_true", help="profile batch-1 predict instead of training")
    parser.add_argument("--calls", type=int, default=500, help="predict calls timed (with --predict)")
    args = parser.parse_args(argv)
    models = ["mlp", "cnn"] if args.model == "both" else [args.model]
    if args.predict:
        results = [profile_predict(m, args.calls, args.top) for m in models]
    else:
        results = [profile(m, args.steps or (40 if m == "mlp" else 8), args.top) for m in models]
    from kerasette.backends.numpy._threads import openblas_kernels

    kernels = openblas_kernels()  # numpy's GEMMs run on these (OPENBLAS_CORETYPE may have chosen them)
    for result in results:
        result["openblas_kernels"] = kernels
        result["openblas_coretype_variable"] = os.environ.get("OPENBLAS_CORETYPE")
    if args.json:
        print(json.dumps(results))
        return results
    forced = os.environ.get("OPENBLAS_CORETYPE")
    print(f"OpenBLAS kernels: {kernels}" + (f" (set by OPENBLAS_CORETYPE={forced})" if forced else ""))
    for result in results:
        print(format_profile(result, args.top))
        if args.cprofile and "cprofile" in result:
            print(result["cprofile"])
    return results


if __name__ == "__main__":
    main()
