// Affine (or projective) resampling of NHWC images: the rules of backends/numpy/image_ops.py.
// Defines: T (float or double), IDX (int, or long for buffers of 2^31 elements or more),
//          INTERP (0 nearest, 1 bilinear), FILL (0 constant, 1 nearest, 2 wrap, 3 mirror, 4 reflect).

#define LIMIT 16777216.0f  // coordinates are clamped to +-2^24 (exact in float32) before becoming indices

inline T bounded(T v) { return isnan(v) ? (T)-LIMIT : clamp(v, (T)-LIMIT, (T)LIMIT); }

// An integer index (any range) mapped into [0, size) as FILL reads outside the image.
inline int fix_index(int i, int size) {
    if (i >= 0 && i < size) return i;
#if FILL == 0 || FILL == 1
    return i < 0 ? 0 : size - 1;
#elif FILL == 2
    int m = i % size;
    return m < 0 ? m + size : m;
#elif FILL == 3
    if (size == 1) return 0;
    int s = size - 1, m = (i + s) % (2 * s);
    if (m < 0) m += 2 * s;
    m -= s;
    return m < 0 ? -m : m;
#else
    int s = 2 * size, m = (2 * i + 1 + s) % (2 * s);
    if (m < 0) m += 2 * s;
    m -= s;
    if (m < 0) m = -m;
    return (m - 1) / 2;
#endif
}

inline int inside(int i, int size) { return FILL != 0 || (i >= 0 && i < size); }

// One work-item per output pixel: global range (W, H, N); the channels in a loop.
__kernel void affine_transform(__global const T *images, __global const T *transforms, __global T *out, const int H,
                               const int W, const int C, const T fill_value) {
    const int x = get_global_id(0), y = get_global_id(1), n = get_global_id(2);
    if (x >= W || y >= H) return;
    __global const T *t = transforms + 8 * n;
    const T xf = (T)x, yf = (T)y;
    const T k = t[6] * xf + t[7] * yf + (T)1;
    const T xs = bounded((t[0] * xf + t[1] * yf + t[2]) / k);
    const T ys = bounded((t[3] * xf + t[4] * yf + t[5]) / k);
    __global const T *image = images + (IDX)n * H * W * C;
    __global T *o = out + (((IDX)n * H + y) * W + x) * C;
#if INTERP == 0
    const int iy = (int)rint(ys), ix = (int)rint(xs);
    const int valid = inside(iy, H) && inside(ix, W);
    const IDX src = ((IDX)fix_index(iy, H) * W + fix_index(ix, W)) * C;
    for (int c = 0; c < C; ++c) o[c] = valid ? image[src + c] : fill_value;
#else
    const T fy = floor(ys), fx = floor(xs);
    const T wy1 = ys - fy, wx1 = xs - fx;
    const T wy[2] = {(T)1 - wy1, wy1}, wx[2] = {(T)1 - wx1, wx1};
    const int y0 = (int)fy, x0 = (int)fx;
    const int rows[2] = {fix_index(y0, H), fix_index(y0 + 1, H)}, cols[2] = {fix_index(x0, W), fix_index(x0 + 1, W)};
    IDX src[4];
    T weight[4];
    int valid[4];
    for (int a = 0; a < 2; ++a) {
        for (int b = 0; b < 2; ++b) {
            src[2 * a + b] = ((IDX)rows[a] * W + cols[b]) * C;
            weight[2 * a + b] = wy[a] * wx[b];
            valid[2 * a + b] = inside(y0 + a, H) && inside(x0 + b, W);
        }
    }
    for (int c = 0; c < C; ++c) {
        T acc = (T)0;
        for (int j = 0; j < 4; ++j) acc += weight[j] * (valid[j] ? image[src[j] + c] : fill_value);
        o[c] = acc;
    }
#endif
}
