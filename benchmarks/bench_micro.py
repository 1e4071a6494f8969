"""GEMM and conv2d GFLOP/s at the shapes the benchmark models use; prints one JSON line.

    python benchmarks/bench_micro.py [--repeats 5]

For every GEMM of the two models (forward and both backward products) and every conv2d direction
of the CNN (forward, input gradient, kernel gradient): kerasette's numpy backend, PyTorch (when
installed), and numpy's own matmul on the equivalent GEMM with operands already laid out (for a
convolution: the im2col matrix, built outside the timing), with OpenBLAS at the configured thread
count and at one thread. The better of those two is the ceiling a numpy-based library can reach on
this machine. Each figure is the best of ``repeats`` runs.

Each library is timed over all the shapes in turn (kerasette, then numpy, then PyTorch), after a pause:
a multi-threaded library's idle threads keep spinning for a while after its last call (OpenBLAS's after
numpy's 2-thread matmul, OpenMP's after PyTorch), and the next library's threads would share the cores
with them, which no training step does (each framework trains in its own process).
"""

import argparse
import json
import time

import numpy as np

SETTLE_S = 0.3  # longer than the spinning of idle OpenBLAS / OpenMP threads after their last call

GEMMS = [  # (label, m, k, n): C[m, n] = A[m, k] @ B[k, n]
    ("mlp dense1 fwd", 128, 784, 512),
    ("mlp dense1 dW", 784, 128, 512),
    ("mlp dense2 fwd", 128, 512, 512),
    ("mlp dense2 dX", 128, 512, 512),
    ("mlp dense2 dW", 512, 128, 512),
    ("cnn dense fwd", 128, 9216, 128),
    ("cnn dense dX", 128, 128, 9216),
    ("cnn dense dW", 9216, 128, 128),
]
CONVS = [  # (label, input NHWC, kernel (kh, kw, in, out)); stride 1, valid
    ("cnn conv1", (128, 28, 28, 1), (3, 3, 1, 32)),
    ("cnn conv2", (128, 26, 26, 32), (3, 3, 32, 64)),
]


def _blas_controls():
    """(get, set) of OpenBLAS's thread count (kerasette's numpy backend finds them), or (None, None)."""
    from kerasette.backends.numpy import core

    threads = core._threads()
    return threads.get_blas, threads.set_blas


def numpy_gflops(flops, fn, repeats):
    """numpy's matmul GFLOP/s with OpenBLAS at its configured thread count and at one thread: under contention
    the multi-threaded figure can collapse (threads spinning on a shared core), so both are kept and the
    ceiling is the better one."""
    get, set_ = _blas_controls()
    configured = flops / best_time(fn, repeats) / 1e9
    if get is None:
        return {"numpy_gflops": configured, "numpy_1t_gflops": None, "ceiling_gflops": configured}
    saved = get()
    set_(1)
    try:
        single = flops / best_time(fn, repeats) / 1e9
    finally:
        set_(saved)
    return {"numpy_gflops": configured, "numpy_1t_gflops": single, "ceiling_gflops": max(configured, single)}


def best_time(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def gemm_cases(torch):
    """(row, flops, {library: callable}) for every GEMM of the two models."""
    from kerasette import ops

    rng = np.random.default_rng(0)
    cases = []
    for label, m, k, n in GEMMS:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        ta, tb = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
        fns = {"numpy": lambda a=a, b=b: a @ b, "kerasette": lambda ta=ta, tb=tb: ops.matmul(ta, tb)}
        if torch is not None:
            xa, xb = torch.from_numpy(a), torch.from_numpy(b)
            fns["torch"] = lambda xa=xa, xb=xb: xa @ xb
        cases.append(({"label": label, "shape": [m, k, n], "gflop": 2.0 * m * k * n / 1e9}, 2.0 * m * k * n, fns))
    return cases


def _conv_functions(backend, torch, x, kernel, grad):
    """{direction: (numpy ceiling, kerasette, torch or None)} callables for one convolution shape."""
    n, h, w, c = x.shape
    kh, kw, _, k = kernel.shape
    geometry = ((1, 1), ((0, 0), (0, 0)), (1, 1))
    rng = np.random.default_rng(1)
    cols = rng.standard_normal((grad.shape[0] * grad.shape[1] * grad.shape[2], kh * kw * c), dtype=np.float32)
    w2, g2 = kernel.reshape(-1, k), grad.reshape(-1, k)
    table = {
        "forward": [lambda: cols @ w2, lambda: backend.conv2d(x, kernel, *geometry)],
        "backward_input": [lambda: g2 @ w2.T,
                           lambda: backend.conv2d_backward_input(grad, kernel, x.shape, *geometry)],
        "backward_kernel": [lambda: cols.T @ g2,
                            lambda: backend.conv2d_backward_kernel(x, grad, kernel.shape, *geometry)],
    }
    if torch is None:
        return {d: fns + [None] for d, fns in table.items()}
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())
    kt = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy())
    gt = torch.from_numpy(grad.transpose(0, 3, 1, 2).copy())
    table["forward"].append(lambda: torch.nn.functional.conv2d(xt, kt))
    table["backward_input"].append(lambda: torch.nn.grad.conv2d_input(xt.shape, kt, gt))
    table["backward_kernel"].append(lambda: torch.nn.grad.conv2d_weight(xt, kt.shape, gt))
    return table


def conv_cases(torch):
    """(row, flops, {library: callable}) for every conv2d direction of the CNN."""
    from kerasette.backends import load_backend

    backend = load_backend("numpy")
    rng = np.random.default_rng(0)
    cases = []
    for label, x_shape, k_shape in CONVS:
        n, h, w, c = x_shape
        kh, kw, _, k = k_shape
        oh, ow = h - kh + 1, w - kw + 1
        x = rng.standard_normal(x_shape, dtype=np.float32)
        kernel = (rng.standard_normal(k_shape) * 0.1).astype(np.float32)
        grad = rng.standard_normal((n, oh, ow, k), dtype=np.float32)
        flops = 2.0 * n * oh * ow * kh * kw * c * k
        for direction, (ceiling, ours, theirs) in _conv_functions(backend, torch, x, kernel, grad).items():
            if direction == "backward_input" and c == 1:
                continue  # the first layer's input gradient is never needed
            row = {"label": f"{label} {direction}", "input": list(x_shape), "kernel": list(k_shape),
                   "gflop": flops / 1e9}
            fns = {"numpy": ceiling, "kerasette": ours}
            if theirs is not None:
                fns["torch"] = theirs
            cases.append((row, flops, fns))
    return cases


def measure(cases, repeats):
    """Fill every case's row, one library at a time (kerasette, numpy, torch), pausing between libraries."""
    for library in ("kerasette", "numpy", "torch"):
        time.sleep(SETTLE_S)
        for row, flops, fns in cases:
            if library == "numpy":
                row.update(numpy_gflops(flops, fns["numpy"], repeats))
            elif library in fns:
                row[f"{library}_gflops"] = flops / best_time(fns[library], repeats) / 1e9
    return [row for row, _, _ in cases]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch figures")
    args = parser.parse_args(argv)
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
        else:
            import os

            torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count()))
    result = {"gemm": measure(gemm_cases(torch), args.repeats), "conv": measure(conv_cases(torch), args.repeats),
              "torch": getattr(torch, "__version__", None)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
