// Convolution kernels: im2col / col2im around the GEMM, the bias + ReLU epilogue and its backward,
// the depthwise convolution and a column-sum reduction. T is the element type, IDX the index type
// (int unless some buffer holds 2^31 elements or more). Geometry arrives as int arguments:
// input H, W, C; output OH, OW; kernel KH, KW; strides SH, SW; dilation DH, DW; padding TOP, LEFT.
// Work split: see channels.cl.

#ifdef T

#include "channels.cl"

// cols[r][(i*KW + j)*C + c] = x[n0 + n, oh*SH + i*DH - TOP, ow*SW + j*DW - LEFT, c] (0 off the image),
// for the rows r = (n*OH + oh)*OW + ow of the ROWS output pixels of images n0, n0 + 1, ...
#ifdef PER_PIXEL
__kernel void im2col(__global const T *x, __global T *cols, const IDX rows, const int n0,
                     const int H, const int W, const int C, const int OH, const int OW, const int KH, const int KW,
                     const int SH, const int SW, const int DH, const int DW, const int TOP, const int LEFT) {
    IDX r = get_global_id(0);
    if (r >= rows) return;
    int ow = (int)(r % OW);
    IDX t = r / OW;
    int oh = (int)(t % OH);
    IDX n = n0 + t / OH;
    __global T *out = cols + r * (KH * KW * C);
    for (int i = 0; i < KH; i++) {
        int y = oh * SH + i * DH - TOP;
        for (int j = 0; j < KW; j++, out += C) {
            int xx = ow * SW + j * DW - LEFT;
            if (y >= 0 && y < H && xx >= 0 && xx < W) {
                __global const T *in = x + ((n * H + y) * W + xx) * C;
                for (int c = 0; c < C; c++) out[c] = in[c];
            } else {
                for (int c = 0; c < C; c++) out[c] = (T)0;
            }
        }
    }
}
#else
__kernel void im2col(__global const T *x, __global T *cols, const IDX rows, const int n0,
                     const int H, const int W, const int C, const int OH, const int OW, const int KH, const int KW,
                     const int SH, const int SW, const int DH, const int DW, const int TOP, const int LEFT) {
    IDX idx = get_global_id(0);
    const int width = KH * KW * C;
    if (idx >= rows * width) return;
    IDX r = idx / width;
    int q = (int)(idx - r * width);
    int c = q % C, tap = q / C;
    int j = tap % KW, i = tap / KW;
    int ow = (int)(r % OW);
    IDX t = r / OW;
    int oh = (int)(t % OH);
    IDX n = n0 + t / OH;
    int y = oh * SH + i * DH - TOP, xx = ow * SW + j * DW - LEFT;
    cols[idx] = (y >= 0 && y < H && xx >= 0 && xx < W) ? x[((n * H + y) * W + xx) * C + c] : (T)0;
}
#endif

// The adjoint of im2col as a gather: dx[n0 + n, y, x, c] = the sum of the dcols entries that im2col read
// from that pixel, for the PIXELS input pixels of images n0, n0 + 1, ... Deterministic, no atomics.
__kernel void col2im(__global const T *dcols, __global T *dx, const IDX pixels, const int n0,
                     const int H, const int W, const int C, const int OH, const int OW, const int KH, const int KW,
                     const int SH, const int SW, const int DH, const int DW, const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    const int width = KH * KW * C;
    SPLIT_PIXEL(p, H, W, n, y, xx)
    __global T *out = dx + ((IDX)n0 * H * W + p) * C;
    ACC_BEGIN(T, out, (T)0)
    for (int i = 0; i < KH; i++) {
        int oh = reading_output(y, i, TOP, DH, SH, OH);
        if (oh < 0) continue;
        for (int j = 0; j < KW; j++) {
            int ow = reading_output(xx, j, LEFT, DW, SW, OW);
            if (ow < 0) continue;
            __global const T *in = dcols + ((n * OH + oh) * OW + ow) * width + (i * KW + j) * C;
            for (int c = c_lo; c < c_hi; c++) ACC(out, c) += in[c];
        }
    }
    ACC_END(out)
}

// y = maximum(y + bias, 0) in place over ROWS rows of O values (NaN stays NaN, like numpy's maximum).
__kernel void bias_relu(__global T *y, __global const T *bias, const IDX rows, const int O) {
    CHANNELS(rows, O)
    __global T *row = y + p * O;
    for (int c = c_lo; c < c_hi; c++) {
        T v = row[c] + bias[c];
        row[c] = v < (T)0 ? (T)0 : v;
    }
}

// gm = g where y > 0 else 0, over a (rows, O) matrix, and partial[b][col] = the sum of gm[., col] over the
// rows of block b (blocks of PER rows): the masked gradient and the first stage of the bias gradient.
__kernel void relu_mask_partials(__global const T *g, __global const T *y, __global T *gm, __global T *partial,
                                 const IDX rows, const int O, const int blocks, const IDX per) {
    CHANNELS(blocks, O)
    __global T *sums = partial + p * O;
    ACC_BEGIN(T, sums, (T)0)
    IDX end = min(rows, (p + 1) * per);
    for (IDX r = p * per; r < end; r++) {
        for (int c = c_lo; c < c_hi; c++) {
            IDX e = r * O + c;
            T v = y[e] > (T)0 ? g[e] : (T)0;
            gm[e] = v;
            ACC(sums, c) += v;
        }
    }
    ACC_END(sums)
}

// out[col] = the sum over rows of a (rows, cols) matrix, in row order.
__kernel void column_sums(__global const T *a, __global T *out, const int rows, const int cols) {
    int col = get_global_id(0);
    if (col >= cols) return;
    T acc = 0;
    for (int r = 0; r < rows; r++) acc += a[(IDX)r * cols + col];
    out[col] = acc;
}

// out (cols, rows) = the transpose of a (rows, cols).
__kernel void transpose(__global const T *a, __global T *out, const int rows, const int cols) {
    IDX idx = get_global_id(0);
    if (idx >= (IDX)rows * cols) return;
    IDX r = idx / cols;
    int c = (int)(idx - r * cols);
    out[(IDX)c * rows + r] = a[idx];
}

// dst += src, elementwise (the kernel gradients of batch chunks).
__kernel void accumulate(__global T *dst, __global const T *src, const IDX count) {
    IDX idx = get_global_id(0);
    if (idx < count) dst[idx] += src[idx];
}

// ----- depthwise: kernel (KH, KW, C, M), output channel o = c*M + k (CM = C*M channels)

__kernel void depthwise_forward(__global const T *x, __global const T *w, __global T *out, const IDX pixels,
                                const int H, const int W, const int C, const int M, const int OH, const int OW,
                                const int KH, const int KW, const int SH, const int SW, const int DH, const int DW,
                                const int TOP, const int LEFT) {
    const int CM = C * M;
    CHANNELS(pixels, CM)
    SPLIT_PIXEL(p, OH, OW, n, oh, ow)
    __global T *dst = out + p * CM;
    ACC_BEGIN(T, dst, (T)0)
    for (int i = 0; i < KH; i++) {
        int y = oh * SH + i * DH - TOP;
        if (y < 0 || y >= H) continue;
        for (int j = 0; j < KW; j++) {
            int xx = ow * SW + j * DW - LEFT;
            if (xx < 0 || xx >= W) continue;
            __global const T *in = x + ((n * H + y) * W + xx) * C;
            __global const T *wt = w + (i * KW + j) * CM;
            for (int o = c_lo; o < c_hi; o++) ACC(dst, o) += in[o / M] * wt[o];
        }
    }
    ACC_END(dst)
}

// dx[n, y, x, c] = sum over the taps and multipliers that read pixel (y, x) of g * w (gather form).
__kernel void depthwise_backward_input(__global const T *g, __global const T *w, __global T *dx, const IDX pixels,
                                       const int H, const int W, const int C, const int M, const int OH,
                                       const int OW, const int KH, const int KW, const int SH, const int SW,
                                       const int DH, const int DW, const int TOP, const int LEFT) {
    CHANNELS(pixels, C)
    const int CM = C * M;
    SPLIT_PIXEL(p, H, W, n, y, xx)
    __global T *dst = dx + p * C;
    ACC_BEGIN(T, dst, (T)0)
    for (int i = 0; i < KH; i++) {
        int oh = reading_output(y, i, TOP, DH, SH, OH);
        if (oh < 0) continue;
        for (int j = 0; j < KW; j++) {
            int ow = reading_output(xx, j, LEFT, DW, SW, OW);
            if (ow < 0) continue;
            __global const T *gp = g + ((n * OH + oh) * OW + ow) * CM;
            __global const T *wp = w + (i * KW + j) * CM;
            for (int c = c_lo; c < c_hi; c++) {
                T acc = 0;
                for (int k = c * M; k < (c + 1) * M; k++) acc += gp[k] * wp[k];
                ACC(dst, c) += acc;
            }
        }
    }
    ACC_END(dst)
}

// partial[b][(i*KW + j)*CM + o] = the sum over the output pixels of block b (blocks of PER of the N*OH*OW
// pixels) of x at tap (i, j) times g, for one work-item's block and tap; column_sums then adds the blocks.
__kernel void depthwise_kernel_partials(__global const T *x, __global const T *g, __global T *partial,
                                        const IDX pixels, const int blocks, const IDX per,
                                        const int H, const int W, const int C, const int M, const int OH,
                                        const int OW, const int KH, const int KW, const int SH, const int SW,
                                        const int DH, const int DW, const int TOP, const int LEFT) {
    const int CM = C * M;
    CHANNELS(blocks * KH * KW, CM)
    int tap = (int)(p % (KH * KW));
    IDX b = p / (KH * KW);
    int j = tap % KW, i = tap / KW;
    __global T *sums = partial + p * CM;
    ACC_BEGIN(T, sums, (T)0)
    IDX end = min(pixels, (b + 1) * per);
    for (IDX r = b * per; r < end; r++) {
        SPLIT_PIXEL(r, OH, OW, n, oh, ow)
        int y = oh * SH + i * DH - TOP, xx = ow * SW + j * DW - LEFT;
        if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
        __global const T *in = x + ((n * H + y) * W + xx) * C;
        __global const T *gp = g + r * CM;
        for (int o = c_lo; o < c_hi; o++) ACC(sums, o) += in[o / M] * gp[o];
    }
    ACC_END(sums)
}

#endif
