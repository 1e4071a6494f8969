// Pooling kernels over NHWC images. T is the element type (TG the gradient's), IDX the index type.
// Geometry arrives as int arguments: input H, W, C; output OH, OW; window PH, PW; strides SH, SW;
// padding TOP, LEFT. Padding pixels take no part: they never win a max and are not counted in an
// average. Forward kernels work per output pixel, backward ones per input pixel (gather form:
// deterministic, no atomics). Work split: see channels.cl.

#ifdef T

#include "channels.cl"

// out[n, oh, ow, c] = the max over the window's pixels (NaN wins, as in numpy's maximum).
__kernel void max_pool(__global const T *x, __global T *out, const IDX pixels, const int H, const int W,
                       const int C, const int OH, const int OW, const int PH, const int PW, const int SH,
                       const int SW, const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    SPLIT_PIXEL(p, OH, OW, n, oh, ow)
    __global T *dst = out + p * C;
    ACC_BEGIN(T, dst, (T)(-INFINITY))
    for (int y = max(oh * SH - TOP, 0); y < min(oh * SH - TOP + PH, H); y++) {
        for (int xx = max(ow * SW - LEFT, 0); xx < min(ow * SW - LEFT + PW, W); xx++) {
            __global const T *in = x + ((n * H + y) * W + xx) * C;
            for (int c = c_lo; c < c_hi; c++) {
                T v = in[c];
                if (v > ACC(dst, c) || v != v) ACC(dst, c) = v;
            }
        }
    }
    ACC_END(dst)
}

// dx[n, y, x, c] = the sum of g over the windows holding pixel (y, x) whose first (row-major) max it is.
__kernel void max_pool_backward(__global const T *x, __global const T *ymax, __global const TG *g,
                                __global TG *dx, const IDX pixels, const int H, const int W, const int C,
                                const int OH, const int OW, const int PH, const int PW, const int SH, const int SW,
                                const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    SPLIT_PIXEL(p, H, W, n, y, xx)
    __global TG *dst = dx + p * C;
    __global const T *image = x + n * H * W * C;
    // Windows oh with oh*SH <= y + TOP < oh*SH + PH, likewise ow.
    int py = y + TOP, px = xx + LEFT;
    int oh_lo = max(0, (py - PH + SH) / SH), oh_hi = min(OH - 1, py / SH);
    int ow_lo = max(0, (px - PW + SW) / SW), ow_hi = min(OW - 1, px / SW);
    ACC_BEGIN(TG, dst, (TG)0)
    for (int oh = oh_lo; oh <= oh_hi; oh++) {
        int y0 = max(oh * SH - TOP, 0), y1 = min(oh * SH - TOP + PH, H);
        for (int ow = ow_lo; ow <= ow_hi; ow++) {
            int x0 = max(ow * SW - LEFT, 0), x1 = min(ow * SW - LEFT + PW, W);
            IDX o = ((n * OH + oh) * OW + ow) * C;
            for (int c = c_lo; c < c_hi; c++) {
                T m = ymax[o + c];
                if (image[(y * W + xx) * C + c] != m) continue;
                // The window's first pixel equal to m, in row-major order: is it (y, xx)?
                bool first = true;
                for (int yy = y0; yy <= y && first; yy++) {
                    int stop = yy == y ? xx : x1;
                    for (int xj = x0; xj < stop; xj++) {
                        if (image[(yy * W + xj) * C + c] == m) {
                            first = false;
                            break;
                        }
                    }
                }
                if (first) ACC(dst, c) += g[o + c];
            }
        }
    }
    ACC_END(dst)
}

// The number of pixels of window (oh, ow) inside the image.
inline int valid_count(int oh, int ow, const int H, const int W, const int PH, const int PW, const int SH,
                       const int SW, const int TOP, const int LEFT) {
    int y0 = oh * SH - TOP, x0 = ow * SW - LEFT;
    int rows = min(y0 + PH, H) - max(y0, 0), cols = min(x0 + PW, W) - max(x0, 0);
    return max(rows, 0) * max(cols, 0);
}

// out[n, oh, ow, c] = the mean of the window's pixels inside the image.
__kernel void avg_pool(__global const T *x, __global T *out, const IDX pixels, const int H, const int W,
                       const int C, const int OH, const int OW, const int PH, const int PW, const int SH,
                       const int SW, const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    SPLIT_PIXEL(p, OH, OW, n, oh, ow)
    __global T *dst = out + p * C;
    ACC_BEGIN(T, dst, (T)0)
    for (int y = max(oh * SH - TOP, 0); y < min(oh * SH - TOP + PH, H); y++) {
        for (int xx = max(ow * SW - LEFT, 0); xx < min(ow * SW - LEFT + PW, W); xx++) {
            __global const T *in = x + ((n * H + y) * W + xx) * C;
            for (int c = c_lo; c < c_hi; c++) ACC(dst, c) += in[c];
        }
    }
    T count = (T)valid_count(oh, ow, H, W, PH, PW, SH, SW, TOP, LEFT);
    for (int c = c_lo; c < c_hi; c++) ACC(dst, c) = ACC(dst, c) / count;
    ACC_END(dst)
}

// dx[n, y, x, c] = the sum of g / (valid pixel count) over the windows holding pixel (y, x).
__kernel void avg_pool_backward(__global const T *g, __global T *dx, const IDX pixels, const int H, const int W,
                                const int C, const int OH, const int OW, const int PH, const int PW, const int SH,
                                const int SW, const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    SPLIT_PIXEL(p, H, W, n, y, xx)
    __global T *dst = dx + p * C;
    int py = y + TOP, px = xx + LEFT;
    int oh_lo = max(0, (py - PH + SH) / SH), oh_hi = min(OH - 1, py / SH);
    int ow_lo = max(0, (px - PW + SW) / SW), ow_hi = min(OW - 1, px / SW);
    ACC_BEGIN(T, dst, (T)0)
    for (int oh = oh_lo; oh <= oh_hi; oh++) {
        for (int ow = ow_lo; ow <= ow_hi; ow++) {
            T count = (T)valid_count(oh, ow, H, W, PH, PW, SH, SW, TOP, LEFT);
            __global const T *in = g + ((n * OH + oh) * OW + ow) * C;
            for (int c = c_lo; c < c_hi; c++) ACC(dst, c) += in[c] / count;
        }
    }
    ACC_END(dst)
}

#endif
