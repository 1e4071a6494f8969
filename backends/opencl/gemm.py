"""Matrix products on the device: ``gemm``/``batched_gemm`` and the ``matmul`` primitive.

``gemm``/``batched_gemm`` are the building block other modules call; ``matmul`` has numpy's semantics
(1-D operands, broadcast batch axes, any numeric dtype).

Float products run the kernel and parameters ``tuning`` picked for the device (``reg``: register blocking
without local memory, for CPUs; ``tiled``: local-memory tiles, for GPUs); integer and bool products run a
plain one-output-per-work-item kernel (numpy's result dtypes: ints wrap, bools are any-of-ands). A single
product with a long K and a small output is split along K into slices computed as a batch and summed after
(split-K), so all compute units work and the slices stay in cache. On the ``reg`` kernel a transposed B with
a short K is transposed into a scratch buffer first when the product is large (its dot-product form is slow
for short K).
"""

from typing import NamedTuple

import numpy as np
from kerasette.backends.opencl import creation, launch, memory, runtime
from kerasette.backends.opencl.memory import DeviceArray, cl_type

__all__ = ["matmul"]

_FILE = "gemm.cl"
_MAX_BATCH = 65535  # batches per launch: the third global dimension is limited on some GPUs
_SPLIT_MIN_K = 256  # split-K never makes slices of K shorter than this
_SLICE_K = 1024  # nor, where K dwarfs M and N, longer than about this
_MAX_SPLITS = 128
_SPLIT_MIN_FLOPS = 2**25
_CPU_GROUP_OUTPUTS = 512 * 32  # outputs of C per work-group, about (the default parameters' figure)
_GPU_GROUP_OUTPUTS = 64 * 64
_DOT_MIN_K = 256  # below this K, the reg kernel's dot-product form (B transposed) loses to transposing B first


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


class _Problem(NamedTuple):
    """One launch's geometry: C[b] (M, N) = op(A[b]) op(B[b]) for b in a two-level batch index (hi, lo)."""

    m: int
    n: int
    k: int
    lda: int  # row strides of A and B as stored
    ldb: int
    transpose_a: bool
    transpose_b: bool
    a_strides: tuple = (0, 0)  # elements between A's matrices per step of (hi, lo); 0 broadcasts
    b_strides: tuple = (0, 0)
    counts: tuple = (1, 1)  # (hi, lo) batch counts; C's batches are contiguous
    offsets: tuple = (0, 0, 0)  # of A, B and C in their buffers, in elements


def _problem(m, n, k, transpose_a, transpose_b, **rest):
    """A problem over contiguous operands (row strides from the shapes)."""
    return _Problem(m, n, k, m if transpose_a else k, k if transpose_b else n, transpose_a, transpose_b, **rest)


def _vector_width(width, *multiples):
    """The largest power of two <= ``width`` that divides every one of ``multiples`` (aligned vector loads)."""
    while width > 1 and any(x % width for x in multiples):
        width //= 2
    return width


def _kernel_and_grid(p, a, c, q):
    """The kernel of parameter set ``p`` (see ``tuning``), its 2-D global size and its local size."""
    defines = {"T": cl_type(a.dtype), "TO": cl_type(c.dtype), "TRANS_A": int(q.transpose_a),
               "TRANS_B": int(q.transpose_b)}
    if p["kernel"] == "simple" or a.dtype.kind != "f":
        defines.update(GEMM_SIMPLE=1, ACC="int" if a.dtype == np.bool_ else cl_type(a.dtype))
        if a.dtype == np.bool_:
            defines["BOOL_OUT"] = 1
        return launch.kernel(_FILE, "gemm_simple", **defines), (q.n, q.m), None
    if p["kernel"] == "reg":
        defines.update(GEMM_REG=1, WPTM=p["WPTM"], NV=p["NV"], VW=p["VW"])
        grid = (-(-q.n // _reg_columns(p, q)), -(-q.m // p["WPTM"]))
        return launch.kernel(_FILE, "gemm_reg", **defines), grid, (p["LX"], p["LY"], 1)
    # Vector loads only where every address is a multiple of the width: row strides, offsets, batch strides.
    vwa = _vector_width(p["VWA"], q.lda, q.offsets[0], *q.a_strides)
    vwb = _vector_width(p["VWB"], q.ldb, q.offsets[1], *q.b_strides)
    defines.update(GEMM_TILED=1, TM=p["TM"], TN=p["TN"], TK=p["TK"], WPTM=p["WPTM"], WPTN=p["WPTN"], VWA=vwa,
                   VWB=vwb, PAD=p["PAD"])
    local = (p["TN"] // p["WPTN"], p["TM"] // p["WPTM"], 1)
    grid = (-(-q.n // p["TN"]) * local[0], -(-q.m // p["TM"]) * local[1])
    return launch.kernel(_FILE, "gemm_tiled", **defines), grid, local


def _reg_columns(p, q):
    """Columns of C per work-item of the ``reg`` kernel (its dot-product form owns NV, the other NV * VW)."""
    return p["NV"] if q.transpose_b and not q.transpose_a else p["NV"] * p["VW"]


def _launch(p, a, b, c, q):
    """Enqueue ``p``'s kernel for every batch of ``q`` (in chunks of at most ``_MAX_BATCH``)."""
    kernel, grid, local = _kernel_and_grid(p, a, c, q)
    args = (a, launch.i64(q.offsets[0]), b, launch.i64(q.offsets[1]), c, launch.i64(q.offsets[2]), launch.i32(q.m),
            launch.i32(q.n), launch.i32(q.k), launch.i32(q.lda), launch.i32(q.ldb), launch.i64(q.a_strides[0]),
            launch.i64(q.a_strides[1]), launch.i64(q.b_strides[0]), launch.i64(q.b_strides[1]),
            launch.i32(q.counts[1]))
    total = q.counts[0] * q.counts[1]
    for batch0 in range(0, total, _MAX_BATCH):
        launch.run(kernel, grid + (min(_MAX_BATCH, total - batch0),), local, *args, launch.i32(batch0))


def _split_count(q):
    """How many slices of K to compute apart and then sum (split-K), for a single product whose K is long.

    Split when its output is too small to keep the device's compute units busy, and when K dwarfs M and N
    (slices of ``_SLICE_K`` keep both operands' slices in cache while every work-item rereads them). The
    partial products never take more memory than the operands. The choice depends on the shape and the device
    only, not on the tuned parameters, so a step's kernel launches are the same before and after tuning.
    """
    if q.counts != (1, 1) or q.k < 2 * _SPLIT_MIN_K or 2.0 * q.m * q.n * q.k < _SPLIT_MIN_FLOPS:
        return 1  # below the flops, two more launches would cost more than they save
    rt = runtime.get()
    units = rt.device.max_compute_units
    groups = -(-q.m * q.n // (_GPU_GROUP_OUTPUTS if rt.is_gpu else _CPU_GROUP_OUTPUTS))
    splits = -(-2 * units // groups) if groups < units else 1
    if q.k >= 4 * max(q.m, q.n):
        splits = max(splits, q.k // _SLICE_K)
    room = (q.m * q.k + q.k * q.n) // (q.m * q.n)
    return max(1, min(splits, q.k // _SPLIT_MIN_K, _MAX_SPLITS, room))


def _run_split(p, a, b, c, q, splits):
    """C = the sum of ``splits`` products over consecutive slices of K.

    Computed as a batch into a scratch buffer (the last, shorter slice apart), then summed in one more launch.
    """
    size = -(-q.k // splits)
    size = -(-size // 16) * 16  # keeps vector loads aligned in every slice
    splits = -(-q.k // size)
    last = q.k - (splits - 1) * size
    a_step = size * (q.lda if q.transpose_a else 1)
    b_step = size * (1 if q.transpose_b else q.ldb)
    partial = memory.empty((splits, q.m, q.n), c.dtype)
    full = splits if last == size else splits - 1
    _launch(p, a, b, partial, q._replace(k=size, a_strides=(0, a_step), b_strides=(0, b_step), counts=(1, full),
                                         offsets=q.offsets[:2] + (0,)))
    if full < splits:
        offsets = (q.offsets[0] + full * a_step, q.offsets[1] + full * b_step, full * q.m * q.n)
        _launch(p, a, b, partial, q._replace(k=last, offsets=offsets))
    kernel = launch.kernel(_FILE, "gemm_sum_splits", T=cl_type(c.dtype), GEMM_SUM=1)
    launch.run(kernel, q.m * q.n, 64, partial, c, launch.i64(q.offsets[2]), launch.i32(splits),
               launch.i64(q.m * q.n))


def _transposed_b(b, q):
    """B stored (N, K) copied as (K, N), and the problem that reads it so."""
    bt = memory.empty((q.k, q.n), b.dtype)
    kernel = launch.kernel(_FILE, "gemm_transpose", T=cl_type(b.dtype), GEMM_TRANSPOSE=1)
    launch.run(kernel, (q.k, q.n), None, b, launch.i64(q.offsets[1]), launch.i32(q.ldb), bt, launch.i32(q.n),
               launch.i32(q.k))
    return bt, q._replace(transpose_b=False, ldb=q.n, offsets=(q.offsets[0], 0, q.offsets[2]))


def _run(a, b, c, q, p=None):
    """Compute ``q`` into ``c``.

    ``p``: a parameter set, else the tuned one (which may tune now, for a large enough float GEMM).
    """
    total = q.counts[0] * q.counts[1]
    if q.m * q.n * total == 0:
        return
    if q.k == 0:
        _zero_fill(c)
        return
    if p is None:
        if a.dtype.kind == "f":
            from kerasette.backends.opencl import tuning  # late: `python -m ...tuning` must import it first

            p = tuning.params(a.dtype, 2.0 * q.m * q.n * q.k * total)
        else:
            p = {"kernel": "simple"}
    big = 2.0 * q.m * q.n * q.k >= _SPLIT_MIN_FLOPS  # worth another launch
    if p["kernel"] == "reg" and q.transpose_b and (q.transpose_a or q.k < _DOT_MIN_K) and q.counts == (1, 1) and big:
        b, q = _transposed_b(b, q)
    splits = _split_count(q) if p["kernel"] in ("reg", "tiled") and a.dtype.kind == "f" else 1
    if splits > 1:
        _run_split(p, a, b, c, q, splits)
    else:
        _launch(p, a, b, c, q)


def gemm(a, b, transpose_a=False, transpose_b=False, out=None):
    """``op(a) @ op(b)`` for 2-D DeviceArrays of one float dtype, where op(x) = x.T when asked.

    So a transposed ``a`` is stored (K, M). Returns a new (M, N) array, or ``out`` (a (M, N) array of the
    dtype, not overlapping a or b) filled.
    """
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=False)
    c = _output(out, (m, n), a.dtype)
    _run(a, b, c, _problem(m, n, k, transpose_a, transpose_b))
    return c


def gemm_with(p, a, b, transpose_a=False, transpose_b=False, out=None):
    """``gemm`` with the parameter set ``p`` (a ``tuning`` candidate, or {"kernel": "simple"}).

    For tuning and tests.
    """
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=False)
    c = _output(out, (m, n), a.dtype)
    _run(a, b, c, _problem(m, n, k, transpose_a, transpose_b), p)
    return c


def batched_gemm(a, b, transpose_a=False, transpose_b=False, out=None):
    """``op(a[i]) @ op(b[i])`` for 3-D DeviceArray stacks (B, M, K) x (B, K, N).

    Transposes as in ``gemm``, on the last two axes. Returns a new (B, M, N) array, or ``out``.
    """
    m, n, k = _check_pair(a, b, transpose_a, transpose_b, batched=True)
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"batched_gemm: batch sizes differ: {a.shape} and {b.shape}.")
    count = a.shape[0]
    c = _output(out, (count, m, n), a.dtype)
    _run(a, b, c, _problem(m, n, k, transpose_a, transpose_b, a_strides=(0, m * k), b_strides=(0, k * n),
                           counts=(1, count)))
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
    groups = [(1, 0, 0)] * (2 - len(groups)) + groups
    outer, ((hi, ah, bh), (lo, al, bl)) = groups[:-2], groups[-2:]
    q = _problem(m, n, k, False, False, a_strides=(ah * mk, al * mk), b_strides=(bh * kn, bl * kn), counts=(hi, lo))
    if not outer:
        _run(a, b, c, q)
        return
    for index in np.ndindex(*[g[0] for g in outer]):
        a_off = sum(i * g[1] for i, g in zip(index, outer)) * mk
        b_off = sum(i * g[2] for i, g in zip(index, outer)) * kn
        c_off = int(np.ravel_multi_index(index, [g[0] for g in outer])) * hi * lo * mn
        _run(a, b, c, q._replace(offsets=(a_off, b_off, c_off)))
