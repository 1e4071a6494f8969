// int8 GEMM for int8 quantization: C[b] (M, N) int32 = A[b] (M, K) int8 times B[b] (K, N) int8, exact integer
// sums (int32 accumulation). Row-major; A's rows are lda apart, B's ldb apart; C is contiguous. The batch index
// b = batch0 + get_global_id(2) splits as (b / count_lo, b % count_lo), with a stride per level and operand (0
// broadcasts): gemm.cl's arguments and GEMM_BATCH, included below with T = char and TO = int (gemm.cl's kernels
// are each behind their own GEMM_* define, so none is built here).
//
// Register blocking, outer-product form (the shape of gemm.cl's reg kernel): each work-item owns WPTM rows x
// NV * 16 columns of C in int16 vectors and walks K, multiplying one int8 of A per row by NV char16 vectors of
// B's row k. Products are formed in 16-bit lanes (|a * b| <= 128 * 128 fits a short) and widened to int for the
// sums. int8_gemm_dot (below) is the other form, for devices with cl_khr_integer_dot_product.

#define T char
#define TO int
#include "gemm.cl"

#ifdef INT8_GEMM
#define COLS (NV * 16)

__kernel void int8_gemm(GEMM_ARGS) {
    GEMM_BATCH();
    const int m0 = get_global_id(1) * WPTM;
    const int n0 = get_global_id(0) * COLS;
    if (m0 >= M || n0 >= N) return;
    int16 acc[WPTM][NV];
    for (int i = 0; i < WPTM; ++i)
        for (int v = 0; v < NV; ++v) acc[i][v] = 0;
    __global const char* arow[WPTM];
    for (int i = 0; i < WPTM; ++i) arow[i] = A + (long)min(m0 + i, M - 1) * lda;
    const bool full = n0 + COLS <= N;
    if (full) {
        for (int k = 0; k < K; ++k) {
            short16 b[NV];
            for (int v = 0; v < NV; ++v) b[v] = convert_short16(vload16(v, B + (long)k * ldb + n0));
            for (int i = 0; i < WPTM; ++i) {
                const short16 a = (short16)(arow[i][k]);
                for (int v = 0; v < NV; ++v) acc[i][v] += convert_int16(a * b[v]);
            }
        }
    } else {
        for (int k = 0; k < K; ++k) {
            short16 b[NV];
            for (int v = 0; v < NV; ++v) {
                short lanes[16];
                for (int e = 0; e < 16; ++e) lanes[e] = B[(long)k * ldb + min(n0 + v * 16 + e, N - 1)];
                b[v] = vload16(0, lanes);
            }
            for (int i = 0; i < WPTM; ++i) {
                const short16 a = (short16)(arow[i][k]);
                for (int v = 0; v < NV; ++v) acc[i][v] += convert_int16(a * b[v]);
            }
        }
    }
    for (int i = 0; i < WPTM; ++i) {
        if (m0 + i >= M) break;
        __global int* row = C + (long)(m0 + i) * N + n0;
        for (int v = 0; v < NV; ++v) {
            if (full) {
                vstore16(acc[i][v], v, row);
            } else {
                int lanes[16];
                vstore16(acc[i][v], 0, lanes);
                for (int e = 0; e < 16 && n0 + v * 16 + e < N; ++e) row[v * 16 + e] = lanes[e];
            }
        }
    }
}
#endif

#ifdef INT8_DOT
// Dot-product form: B is stored transposed (N, K), so both operands run along k; each work-item owns WPTM x WPTN
// outputs and takes K four int8 at a time. With HAS_DOT_EXT (the device has cl_khr_integer_dot_product) the four
// products and their sum are the extension's dot(char4, char4); without it, the same sum written out in int.
#if HAS_DOT_EXT
#pragma OPENCL EXTENSION cl_khr_integer_dot_product : enable
#define DOT4(a, b) dot(a, b)
#else
#define DOT4(a, b) ((int)(a).x * (b).x + (int)(a).y * (b).y + (int)(a).z * (b).z + (int)(a).w * (b).w)
#endif
__kernel void int8_gemm_dot(GEMM_ARGS) {
    GEMM_BATCH();
    const int m0 = get_global_id(1) * WPTM;
    const int n0 = get_global_id(0) * WPTN;
    if (m0 >= M || n0 >= N) return;
    int acc[WPTM][WPTN];
    for (int i = 0; i < WPTM; ++i)
        for (int j = 0; j < WPTN; ++j) acc[i][j] = 0;
    __global const char* arow[WPTM];
    __global const char* brow[WPTN];
    for (int i = 0; i < WPTM; ++i) arow[i] = A + (long)min(m0 + i, M - 1) * lda;
    for (int j = 0; j < WPTN; ++j) brow[j] = B + (long)min(n0 + j, N - 1) * ldb;
    const int k4 = K - K % 4;
    for (int k = 0; k < k4; k += 4) {
        char4 a[WPTM], b[WPTN];
        for (int i = 0; i < WPTM; ++i) a[i] = vload4(0, arow[i] + k);
        for (int j = 0; j < WPTN; ++j) b[j] = vload4(0, brow[j] + k);
        for (int i = 0; i < WPTM; ++i)
            for (int j = 0; j < WPTN; ++j) acc[i][j] += DOT4(a[i], b[j]);
    }
    for (int i = 0; i < WPTM; ++i) {
        if (m0 + i >= M) break;
        for (int j = 0; j < WPTN; ++j) {
            if (n0 + j >= N) break;
            int sum = acc[i][j];
            for (int k = k4; k < K; ++k) sum += (int)arow[i][k] * (int)brow[j][k];
            C[(long)(m0 + i) * N + n0 + j] = sum;
        }
    }
}
#endif
