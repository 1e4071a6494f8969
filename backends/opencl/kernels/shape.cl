// Shape primitives that are not a plain strided copy (those use elementwise.cl's ew_strided).
// Defines: T (element type), TO (output type of concat_part), TI (index type), IDX (int or long).

#ifdef IDX
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define IDX8 CAT(IDX, 8)
#endif

#if defined(T) && defined(TO)
// Input k of a concatenation, viewed as (outer, inner) rows, lands at column `offset` of the output's
// (outer, out_inner) rows.
__kernel void concat_part(__global const T *x, __global TO *out, const IDX n, const IDX inner, const IDX out_inner,
                          const IDX offset) {
    const IDX i = get_global_id(0);
    if (i < n) out[(i / inner) * out_inner + offset + i % inner] = (TO)x[i];
}
#endif

#if defined(T) && !defined(TO) && !defined(TI)
// Constant padding. Vectors innermost first: the output's dims, the padding before each, the input's dims.
#define PAD_DIM(s)                                  \
    {                                               \
        const IDX c = r % out_dims.s - before.s;    \
        r /= out_dims.s;                            \
        inside &= (c >= 0) & (c < in_dims.s);       \
        src += c * scale;                           \
        scale *= in_dims.s;                         \
    }

__kernel void pad(__global const T *x, __global T *out, const T value, const IDX n, const IDX8 out_dims,
                  const IDX8 before, const IDX8 in_dims) {
    const IDX i = get_global_id(0);
    if (i >= n) return;
    IDX r = i, src = 0, scale = 1;
    int inside = 1;
    PAD_DIM(s0) PAD_DIM(s1) PAD_DIM(s2) PAD_DIM(s3) PAD_DIM(s4) PAD_DIM(s5) PAD_DIM(s6) PAD_DIM(s7)
    out[i] = inside ? x[src] : value;
}
#endif

#if defined(T) && defined(TI)
// out[i, j] = (indices[i] == j) for j < depth: an out-of-range index (-1 included) gives a row of zeros.
__kernel void one_hot(__global const TI *indices, __global T *out, const IDX n, const IDX depth) {
    const IDX i = get_global_id(0);
    if (i < n) out[i] = (T)((long)indices[i / depth] == (long)(i % depth));
}

// numpy.take along an axis, with x viewed as (outer, size, inner) and the output as (outer, count, inner).
// Negative indices count from the end; an index outside [-size, size) sets *bad and gives 0.
__kernel void take(__global const T *x, __global const TI *indices, __global T *out, const IDX n, const IDX count,
                   const IDX size, const IDX inner, __global int *bad) {
    const IDX i = get_global_id(0);
    if (i >= n) return;
    const IDX r = i % inner, t = i / inner;
    long k = (long)indices[t % count];
    if (k < 0) k += size;
    if (k < 0 || k >= size) {
        *bad = 1;
        out[i] = 0;
        return;
    }
    out[i] = x[((t / count) * size + (IDX)k) * inner + r];
}

// The gradient of take: out (outer, size, inner) is the sum of the update rows (outer, count, inner) whose
// index (wrapped like take's) names the output row; indices out of range match no row. Each output row is
// `lanes` work-items, lane l owning elements l, l + lanes, ...: they scan the indices in order and add each
// matching update row, so sums are deterministic and in numpy.add.at's order, with no atomics.
__kernel void scatter_add(__global const TI *indices, __global const T *updates, __global T *out, const IDX n,
                          const IDX lanes, const IDX count, const IDX size, const IDX inner) {
    const IDX i = get_global_id(0);
    if (i >= n) return;
    const IDX t = i / lanes, lane = i % lanes;
    const long row = t % size;
    __global T *dst = out + t * inner;
    __global const T *src = updates + (t / size) * count * inner;
    for (IDX r = lane; r < inner; r += lanes) dst[r] = 0;
    for (IDX j = 0; j < count; j++) {
        long k = (long)indices[j];
        if (k < 0) k += size;
        if (k == row) {
            for (IDX r = lane; r < inner; r += lanes) dst[r] += src[j * inner + r];
        }
    }
}
#endif
