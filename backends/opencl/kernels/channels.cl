// Work split of the per-pixel kernels (conv.cl, pool.cl), included by both.
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
