// Cumulative sums and products along the middle axis of an (outer, length, inner) view: one work-item per
// row x[o, :, i], walking it in order, so the rounding is numpy's (which also accumulates in order).
// Defines: TI (input type), TO (output and accumulator type), OP_CUMSUM or OP_CUMPROD.

#ifdef OP_CUMSUM
#define IDENTITY 0
#define COMBINE(a, b) ((a) + (b))
#else
#define IDENTITY 1
#define COMBINE(a, b) ((a) * (b))
#endif

__kernel void scan(__global const TI *x, __global TO *out, const long n_rows, const long length, const long inner) {
    const long q = get_global_id(0);
    if (q >= n_rows) return;
    const long o = q / inner, i = q - o * inner;
    const long offset = o * length * inner + i;
    TO acc = IDENTITY;
    for (long r = 0; r < length; ++r) {
        acc = COMBINE(acc, (TO)x[offset + r * inner]);
        out[offset + r * inner] = acc;
    }
}
