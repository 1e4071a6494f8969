"""Matrix products on the device: ``gemm``/``batched_gemm`` (the building block other modules call) and the
``matmul`` primitive with numpy's semantics (1-D operands, broadcast batch axes, any numeric dtype)."""

import math

import numpy as np
from kerasette.backends.opencl import creation, launch, memory, tuning
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["matmul"]

_FILE = "gemm.cl"


def _check_pair(a, b, transpose_a, transpose_b, batched):
    rank = 3 if batched else 2
    if a.ndim != rank or b.ndim != rank:
        raise ValueError(f"gemm needs {rank}-D operands; received shapes {a.shape} and {b.shape}.")
    if a.dtype != b.dtype:
        raise TypeError(f"gemm needs operands of one dtype; received {a.dtype} and {b.dtype}.")
    m, k = (a.shape[-1], a.shape[-2]) if transpose_a else (a.shape[-2], a.shape[-1])
    k2, n = (b.shape[-1], b.shape[-2]) if transpose_b else (b.shape[-2], b.shape[-1])
    if k != k2:
        raise ValueError(f"gemm: inner dimensions differ: op(a) is ({m}, {k}), op(b) is ({k2}, {n}) "
                         f"(shapes {a.shape}, {b.shape}, transpose_a={transpose_a}, transpose_b={transpose_b}).")
    return m, n, k


def _output(out, shape, dtype):
    if out is None:
        return memory.empty(shape, dtype)
    if not isinstance(out, DeviceArray) or out.shape != tuple(shape) or out.dtype != dtype:
        raise ValueError(f"gemm: `out` must be a DeviceArray of shape {tuple(shape)} and dtype {dtype}; "
                         f"received {out!r}.")
    return out


def _defines(a, c, transpose_a, transpose_b, **extra):
    return dict({"T": cl_type(a.dtype), "TO": cl_type(c.dtype), "TRANS_A": int(transpose_a),
                 "TRANS_B": int(transpose_b)}, **extra)


def _vector_width(width, *multiples):
    """The largest power of two <= ``width`` that divides every one of ``multiples`` (aligned vector loads)."""
    while width > 1 and any(x % width for x in multiples):
        width //= 2
    return width


def _launch(p, a, b, c, m, n, k, transpose_a, transpose_b, batches, offsets):
    """Enqueue the kernel of parameter set ``p`` (see ``tuning``) for every batch of C = op(A) op(B)."""
    (sa_hi, sa_lo), (sb_hi, sb_lo), (count_hi, count_lo) = batches
    args = (a, launch.i64(offsets[0]), b, launch.i64(offsets[1]), c, launch.i64(offsets[2]), launch.i32(m),
            launch.i32(n), launch.i32(k), launch.i64(sa_hi), launch.i64(sa_lo), launch.i64(sb_hi), launch.i64(sb_lo),
            launch.i32(count_lo))
    count = count_hi * count_lo
    kind = p["kernel"]
    if kind == "simple" or a.dtype.kind != "f":
        extra = {"GEMM_SIMPLE": 1, "ACC": "int" if a.dtype == np.bool_ else cl_type(a.dtype)}
        if a.dtype == np.bool_:
            extra["BOOL_OUT"] = 1
        kernel = launch.kernel(_FILE, "gemm_simple", **_defines(a, c, transpose_a, transpose_b, **extra))
        launch.run(kernel, (n, m, count), None, *args)
    elif kind == "reg":
        extra = {"GEMM_REG": 1, "WPTM": p["WPTM"], "NV": p["NV"], "VW": p["VW"]}
        kernel = launch.kernel(_FILE, "gemm_reg", **_defines(a, c, transpose_a, transpose_b, **extra))
        cols = p["NV"] if transpose_b and not transpose_a else p["NV"] * p["VW"]
        launch.run(kernel, (-(-n // cols), -(-m // p["WPTM"]), count), (p["LX"], p["LY"], 1), *args)
    else:
        # Vector loads only where every address is a multiple of the width: the contiguous axis, the offsets
        # and the batch strides.
        vwa = _vector_width(p["VWA"], k if not transpose_a else m, offsets[0], sa_hi, sa_lo)
        vwb = _vector_width(p["VWB"], k if transpose_b else n, offsets[1], sb_hi, sb_lo)
        extra = {"GEMM_TILED": 1, "TM": p["TM"], "TN": p["TN"], "TK": p["TK"], "WPTM": p["WPTM"],
                 "WPTN": p["WPTN"], "VWA": vwa, "VWB": vwb, "PAD": p["PAD"]}
        kernel = launch.kernel(_FILE, "gemm_tiled", **_defines(a, c, transpose_a, transpose_b, **extra))
        local = (p["TN"] // p["WPTN"], p["TM"] // p["WPTM"], 1)
        launch.run(kernel, (-(-n // p["TN"]) * local[0], -(-m // p["TM"]) * local[1], count), local, *args)


def _run(a, b, c, m, n, k, transpose_a, transpose_b, batches, offsets=(0, 0, 0), p=None):
    """C = op(A) op(B) for every batch; ``batches`` = ((a_hi, a_lo), (b_hi, b_lo), (count_hi, count_lo)): strides
    in elements of A and B over a two-level batch index, and its counts. ``p``: a parameter set, else the tuned
    one (which may tune now, for a large enough float GEMM)."""
    if c.size == 0:
        return
    if k == 0:
        _zero_fill(c)
        return
    if p is None:
        if a.dtype.kind == "f":
            p = tuning.params(a.dtype, 2.0 * m * n * k * batches[2][0] * batches[2][1])
        else:
            p = {"kernel": "simple"}
    _launch(p, a, b, c, m, n, k, transpose_a, transpose_b, batches, offsets)


def gemm(a, b, transpose_a=False, transpose_b=False, out=None):
    """``op(a) @ op(b)`` for 2-D float DeviceArrays (op = transpose when asked): a new (M, N) array, or ``out``."""
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=False)
    c = _output(out, (m, n), a.dtype)
    _run(a, b, c, m, n, k, transpose_a, transpose_b, ((0, 0), (0, 0), (1, 1)))
    return c


def gemm_with(p, a, b, transpose_a=False, transpose_b=False, out=None):
    """``gemm`` with the parameter set ``p`` (a ``tuning`` candidate, or {"kernel": "simple"}): for tuning and
    tests."""
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=False)
    c = _output(out, (m, n), a.dtype)
    _run(a, b, c, m, n, k, transpose_a, transpose_b, ((0, 0), (0, 0), (1, 1)), p=p)
    return c


def batched_gemm(a, b, transpose_a=False, transpose_b=False, out=None):
    """``op(a[i]) @ op(b[i])`` for 3-D (B, ., .) DeviceArray stacks: a new (B, M, N) array, or ``out``."""
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=True)
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"batched_gemm: batch sizes differ: {a.shape} and {b.shape}.")
    count = a.shape[0]
    c = _output(out, (count, m, n), a.dtype)
    _run(a, b, c, m, n, k, transpose_a, transpose_b, ((0, m * k), (0, k * n), (1, count)))
    return c


def _zero_fill(c):
    if c.size:
        kernel = launch.kernel("creation.cl", "fill", T=cl_type(c.dtype))
        launch.run(kernel, c.size, 64, c, launch.scalar(0, c.dtype), launch.i64(c.size))
    return c


def _batch_groups(a_batch, b_batch, out_batch):
    """Merge the broadcast batch axes into groups: each group is (count, a_stride, b_stride) in matrices."""
    a_batch = (1,) * (len(out_batch) - len(a_batch)) + tuple(a_batch)
    b_batch = (1,) * (len(out_batch) - len(b_batch)) + tuple(b_batch)
    groups = []  # innermost first: [count, a_step, b_step, kind]
    a_step = b_step = 1
    for size, sa, sb in reversed(list(zip(out_batch, a_batch, b_batch))):
        if size == 1:
            continue
        kind = (sa != 1, sb != 1)
        if groups and groups[-1][3] == kind:
            groups[-1][0] *= size
        else:
            groups.append([size, a_step if kind[0] else 0, b_step if kind[1] else 0, kind])
        a_step *= sa
        b_step *= sb
    return [(g[0], g[1], g[2]) for g in reversed(groups)]  # outermost first


def matmul(a, b):
    """numpy.matmul: 1-D operands gain and lose an axis; the leading axes broadcast."""
    a, b = creation.asarray(a), creation.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: operands must be at least 1-D; received shapes {a.shape} and {b.shape}.")
    dtype = np.result_type(a.dtype, b.dtype)
    a, b = creation.cast(a, dtype), creation.cast(b, dtype)
    a_vec, b_vec = a.ndim == 1, b.ndim == 1
    a2 = creation.reshape(a, (1,) + a.shape) if a_vec else a
    b2 = creation.reshape(b, b.shape + (1,)) if b_vec else b
    (m, k), (k2, n) = a2.shape[-2:], b2.shape[-2:]
    if k != k2:
        raise ValueError(f"matmul: mismatch in its core dimension: shapes {a.shape} and {b.shape} "
                         f"(inner sizes {k} and {k2}).")
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise ValueError(f"matmul: batch dimensions of shapes {a.shape} and {b.shape} do not broadcast.") from None
    c = memory.empty(batch + (m, n), dtype)
    if c.size:
        groups = _batch_groups(a2.shape[:-2], b2.shape[:-2], batch)
        _run_groups(a2, b2, c, m, n, k, groups)
    shape = batch + ((m,) if not a_vec else ()) + ((n,) if not b_vec else ())
    return creation.reshape(c, shape)


def _run_groups(a, b, c, m, n, k, groups):
    """Launch over up to two batch groups per launch; more groups (rare broadcasts) loop the outer ones on the host."""
    mk, kn, mn = m * k, k * n, m * n
    if len(groups) <= 2:
        groups = [(1, 0, 0)] * (2 - len(groups)) + groups
        (hi, ah, bh), (lo, al, bl) = groups
        _run(a, b, c, m, n, k, False, False, ((ah * mk, al * mk), (bh * kn, bl * kn), (hi, lo)))
        return
    outer, inner = groups[:-2], groups[-2:]
    inner_count = math.prod(g[0] for g in inner)
    for index in np.ndindex(*[g[0] for g in outer]):
        a_off = sum(i * g[1] for i, g in zip(index, outer)) * mk
        b_off = sum(i * g[2] for i, g in zip(index, outer)) * kn
        c_off = int(np.ravel_multi_index(index, [g[0] for g in outer])) * inner_count * mn
        (hi, ah, bh), (lo, al, bl) = inner
        _run(a, b, c, m, n, k, False, False, ((ah * mk, al * mk), (bh * kn, bl * kn), (hi, lo)), (a_off, b_off, c_off))
