// Reductions over the middle axis of an (outer, length, inner) view, softmax over the same view, and a
// permuted copy. A work-group is (lanes, ways): `lanes` work-items take consecutive outputs (flattened
// outer * inner index q), `ways` work-items share one output's elements and combine their partial results
// by a tree in local memory. With several groups along dimension 1 (chunks), group p reduces only chunk p
// of the reduced axis and writes partial results laid out as (outer, chunks, inner).

#ifndef LOCAL_MAX
#define LOCAL_MAX 256
#endif

#ifdef FLOATING
#define ISNAN(v) isnan(v)
#else
#define ISNAN(v) 0
#endif

// The elements [first, last) of a range that work-item `lane` of `ways` visits, as a for-loop header.
// BLOCKED (CPUs): each lane a contiguous sub-range, so each work-item streams through memory.
// Otherwise (GPUs): lanes interleave, so neighbouring work-items read neighbouring elements.
#ifdef BLOCKED
#define FOR_LANE(r, first, last, lane, ways)                                                                    \
    const long per_##r = ((last) - (first) + (ways) - 1) / (ways);                                              \
    const long end_##r = min((long)(last), (long)(first) + ((lane) + 1) * per_##r);                           \
    for (long r = (first) + (lane) * per_##r; r < end_##r; ++r)
#else
#define FOR_LANE(r, first, last, lane, ways) for (long r = (first) + (lane); r < (last); r += (ways))
#endif

#if defined(OP_SUM)
#define COMBINE(a, b) ((a) + (b))
#elif defined(OP_MAX)
#define COMBINE(a, b) ((ISNAN(a) || (a) >= (b)) ? (a) : (b))
#elif defined(OP_MIN)
#define COMBINE(a, b) ((ISNAN(a) || (a) <= (b)) ? (a) : (b))
#elif defined(OP_ALL)
#define COMBINE(a, b) ((a) & (b))
#elif defined(OP_PROD)
#define COMBINE(a, b) ((a) * (b))
#elif defined(OP_ANY)
#define COMBINE(a, b) ((a) | (b))
#endif

#ifdef COMBINE
#if defined(OP_ALL) || defined(OP_ANY)
#define LOAD(v) ((ACC)((v) != 0))
#else
#define LOAD(v) ((ACC)(v))
#endif

#ifdef MEAN
#define FINISH(a) ((TO)((DIV)(a) / divisor))
#else
#define FINISH(a) ((TO)(a))
#endif

// out[(o * chunks + p) * inner + i] = reduction of x[o, r, i] over r in chunk p (chunk elements each).
__kernel void reduce(__global const TI *x, __global TO *out, const long n_out, const long length,
                     const long inner, const long chunk, const DIV divisor) {
    __local ACC part[LOCAL_MAX];
    const long q = get_global_id(0);
    const int li = get_local_id(0), lr = get_local_id(1);
    const int lanes = get_local_size(0), ways = get_local_size(1);
    const long p = get_group_id(1), chunks = get_num_groups(1);
    const int valid = q < n_out;
    const long o = valid ? q / inner : 0, i = valid ? q - o * inner : 0;
    ACC acc = IDENTITY;
    if (valid) {
        const long first = p * chunk, last = min(length, first + chunk);
        __global const TI *row = x + o * length * inner + i;
        FOR_LANE(r, first, last, lr, ways) {
            const ACC v = LOAD(row[r * inner]);
            acc = COMBINE(acc, v);
        }
    }
    if (ways > 1) {  // the same branch for the whole work-group, so its barriers are reached by all
        part[lr * lanes + li] = acc;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int s = ways >> 1; s > 0; s >>= 1) {
            if (lr < s) {
                const ACC a = part[lr * lanes + li], b = part[(lr + s) * lanes + li];
                part[lr * lanes + li] = COMBINE(a, b);
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        acc = part[li];
    }
    if (valid && lr == 0) out[(o * chunks + p) * inner + i] = FINISH(acc);
}
#endif

#ifdef ARGMAX
// Whether (v, k) beats the best so far (bv, bi): a larger value (smaller with ARGMIN), the first index among
// equals; NaN wins.
int better(const T v, const long k, const T bv, const long bi) {
    if (ISNAN(bv)) return ISNAN(v) && k < bi;
    if (ISNAN(v)) return 1;
#ifdef ARGMIN
    return v < bv || (v == bv && k < bi);
#else
    return v > bv || (v == bv && k < bi);
#endif
}

// out[o * inner + i] = index along the axis of the first maximum of x[o, :, i].
__kernel void argmax(__global const T *x, __global long *out, const long n_out, const long length,
                     const long inner) {
    __local T best_v[LOCAL_MAX];
    __local long best_i[LOCAL_MAX];
    const long q = get_global_id(0);
    const int li = get_local_id(0), lr = get_local_id(1);
    const int lanes = get_local_size(0), ways = get_local_size(1);
    const int valid = q < n_out;
    const long o = valid ? q / inner : 0, i = valid ? q - o * inner : 0;
    T bv = LOWEST;
    long bi = LONG_MAX;
    if (valid) {
        __global const T *row = x + o * length * inner + i;
        FOR_LANE(r, 0, length, lr, ways) {
            const T v = row[r * inner];
            if (better(v, r, bv, bi)) {
                bv = v;
                bi = r;
            }
        }
    }
    if (ways > 1) {
        best_v[lr * lanes + li] = bv;
        best_i[lr * lanes + li] = bi;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int s = ways >> 1; s > 0; s >>= 1) {
            if (lr < s) {
                const int a = lr * lanes + li, b = (lr + s) * lanes + li;
                if (better(best_v[b], best_i[b], best_v[a], best_i[a])) {
                    best_v[a] = best_v[b];
                    best_i[a] = best_i[b];
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        bi = best_i[li];
    }
    if (valid && lr == 0) out[q] = bi;
}
#endif

#ifdef SOFTMAX
// Softmax (or log-softmax with LOG_SOFTMAX) of each row x[o, :, i], numerically stable: the row's
// maximum is subtracted before exp, as in the numpy reference.
__kernel void softmax(__global const T *x, __global T *out, const long n_rows, const long length,
                      const long inner) {
    __local T part[LOCAL_MAX];
    const long q = get_global_id(0);
    const int li = get_local_id(0), lr = get_local_id(1);
    const int lanes = get_local_size(0), ways = get_local_size(1);
    const int valid = q < n_rows;
    const long o = valid ? q / inner : 0, i = valid ? q - o * inner : 0;
    const long offset = o * length * inner + i;
    __global const T *row = x + offset;
    __global T *dst = out + offset;

    T m = -INFINITY;
    if (valid) {
        FOR_LANE(r, 0, length, lr, ways) {
            const T v = row[r * inner];
            m = (isnan(m) || m >= v) ? m : v;
        }
    }
    if (ways > 1) {
        part[lr * lanes + li] = m;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int s = ways >> 1; s > 0; s >>= 1) {
            if (lr < s) {
                const T a = part[lr * lanes + li], b = part[(lr + s) * lanes + li];
                part[lr * lanes + li] = (isnan(a) || a >= b) ? a : b;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        m = part[li];
        barrier(CLK_LOCAL_MEM_FENCE);  // everyone has read the maximum before part is reused
    }

    T s = 0;
    if (valid) {
#ifdef LOG_SOFTMAX
        FOR_LANE(r, 0, length, lr, ways) s += exp(row[r * inner] - m);
#else
        FOR_LANE(r, 0, length, lr, ways) {  // keep exp(x - m) for the last pass: one exp per element
            const T e = exp(row[r * inner] - m);
            dst[r * inner] = e;
            s += e;
        }
#endif
    }
    if (ways > 1) {
        part[lr * lanes + li] = s;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int h = ways >> 1; h > 0; h >>= 1) {
            if (lr < h) part[lr * lanes + li] += part[(lr + h) * lanes + li];
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        s = part[li];
    }

    if (valid) {
#ifdef LOG_SOFTMAX
        const T log_s = log(s);
        FOR_LANE(r, 0, length, lr, ways) dst[r * inner] = (row[r * inner] - m) - log_s;
#else
        FOR_LANE(r, 0, length, lr, ways) dst[r * inner] = dst[r * inner] / s;
#endif
    }
}
#endif

#ifdef PERMUTE
// out (dims d0..d7, C order) gathers x: out[j] = x[sum_k index_k(j) * s_k]. Unused leading dims are 1.
__kernel void permute(__global const T *x, __global T *out, const long n, const long d0, const long d1,
                      const long d2, const long d3, const long d4, const long d5, const long d6, const long d7,
                      const long s0, const long s1, const long s2, const long s3, const long s4, const long s5,
                      const long s6, const long s7) {
    const long j = get_global_id(0);
    if (j >= n) return;
    const long dims[8] = {d0, d1, d2, d3, d4, d5, d6, d7};
    const long strides[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
    long rest = j, offset = 0;
    for (int k = 7; k >= 0; --k) {
        const long index = rest % dims[k];
        rest /= dims[k];
        offset += index * strides[k];
    }
    out[j] = x[offset];
}
#endif
