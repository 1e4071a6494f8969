// What the per-pixel kernels of conv.cl and pool.cl share (both include this file): the work split,
// pixel indexing and the gather form of a window.
//
// On a GPU, one work-item per element, consecutive work-items on consecutive channels (so memory accesses
// coalesce). With PER_PIXEL (CPUs), one work-item per pixel looping over the channels: PoCL pays for index
// arithmetic per work-item, and this form ran about 10x faster there.
// CHANNELS(pixels, C) declares the work-item's pixel p and its channels c_lo .. c_hi - 1.
#ifdef PER_PIXEL
#define CHANNELS(pixels, C) \
    IDX p = get_global_id(0); \
    if (p >= (pixels)) return; \
    const int c_lo = 0, c_hi = (C);
#else
#define CHANNELS(pixels, C) \
    IDX gid_ = get_global_id(0); \
    if (gid_ >= (IDX)(pixels) * (C)) return; \
    IDX p = gid_ / (C); \
    const int c_lo = (int)(gid_ - p * (C)), c_hi = c_lo + 1;
#endif

// ACC(dst, c) is channel c's accumulator, ACC_BEGIN(type, dst, v) sets it to v, ACC_END(dst) stores it in
// dst[c]: on a CPU the accumulators are dst itself (the row is in cache), on a GPU a register (one channel
// per work-item).
#ifdef PER_PIXEL
#define ACC(dst, c) (dst)[c]
#define ACC_BEGIN(type, dst, v) for (int c_ = c_lo; c_ < c_hi; c_++) (dst)[c_] = (v);
#define ACC_END(dst)
#else
#define ACC(dst, c) acc_
#define ACC_BEGIN(type, dst, v) type acc_ = (v);
#define ACC_END(dst) (dst)[c_lo] = acc_;
#endif

// Declares image n, row y and column x of pixel index p in images of H x W pixels.
#define SPLIT_PIXEL(p, H, W, n, y, x) \
    const int x = (int)((p) % (W)); \
    const IDX x##_rows_ = (p) / (W); \
    const int y = (int)(x##_rows_ % (H)); \
    const IDX n = x##_rows_ / (H);

// The output row (or column) whose window tap i reads input row y, or -1 when none does: the gather form
// of a strided, dilated, padded window.
inline int reading_output(int y, int i, int pad, int dilation, int stride, int outputs) {
    int py = y + pad - i * dilation;
    if (py < 0 || py % stride) return -1;
    int o = py / stride;
    return o < outputs ? o : -1;
}
