// GEMM kernels: C[b] = op(A[b]) * op(B[b]), all row-major, with op(X) = X^T when TRANS_A / TRANS_B is 1.
// A is (M, K) or, transposed, stored (K, M), with rows lda apart; B is (K, N) or stored (N, K), rows ldb apart;
// C is (M, N), contiguous.
// The batch index b = batch0 + get_global_id(2) splits as (b / count_lo, b % count_lo) with a stride per level and
// operand (0 broadcasts); C's batches are contiguous. Offsets (in elements) locate the operands in their buffers.
// Every kernel handles any M, N, K >= 1: loads outside the matrices read zero (or are clamped inside), stores
// outside are skipped.

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#define GEMM_ARGS                                                                                            \
    __global const T* restrict A, const long a_off, __global const T* restrict B, const long b_off,         \
        __global TO* restrict C, const long c_off, const int M, const int N, const int K, const int lda,    \
        const int ldb, const long sa_hi, const long sa_lo, const long sb_hi, const long sb_lo,              \
        const int count_lo, const int batch0

// Moves A, B and C to batch batch0 + get_global_id(2)'s matrices (work-groups are one batch deep).
#define GEMM_BATCH()                                   \
    const int batch_ = batch0 + get_global_id(2);      \
    const int hi_ = batch_ / count_lo;                 \
    const int lo_ = batch_ - hi_ * count_lo;           \
    A += a_off + hi_ * sa_hi + lo_ * sa_lo;            \
    B += b_off + hi_ * sb_hi + lo_ * sb_lo;            \
    C += c_off + (long)batch_ * M * N

// Element (m, k) of op(A) and (k, n) of op(B), unguarded.
#if TRANS_A
#define A_AT(m, k) A[(long)(k) * lda + (m)]
#else
#define A_AT(m, k) A[(long)(m) * lda + (k)]
#endif
#if TRANS_B
#define B_AT(k, n) B[(long)(n) * ldb + (k)]
#else
#define B_AT(k, n) B[(long)(k) * ldb + (n)]
#endif

// ---------------------------------------------------------------------------------------------------------------
// gemm_simple: one output per work-item. Tiny problems, integer and bool dtypes (ACC accumulates, TO is stored).
#if defined(T) && defined(GEMM_SIMPLE)
__kernel void gemm_simple(GEMM_ARGS) {
    const int n = get_global_id(0);
    const int m = get_global_id(1);
    GEMM_BATCH();
    if (m >= M || n >= N) return;
    ACC acc = 0;
    for (int k = 0; k < K; ++k) {
#ifdef BOOL_OUT
        acc |= (ACC)(A_AT(m, k) && B_AT(k, n));
#else
        acc += (ACC)A_AT(m, k) * (ACC)B_AT(k, n);
#endif
    }
#ifdef BOOL_OUT
    C[(long)m * N + n] = acc != 0;
#else
    C[(long)m * N + n] = (TO)acc;
#endif
}
#endif

// ---------------------------------------------------------------------------------------------------------------
// gemm_reg: register blocking without local memory (suits CPUs, where barriers are expensive). Each work-item
// owns a WPTM x (NV * VW) block of C held in VW-wide vectors along n, and walks K with outer products: one
// scalar of op(A) per row times NV vectors of op(B). With TRANS_B and not TRANS_A both operands run along k in
// memory, so that case instead owns WPTM x NV outputs, kept as VW-wide partial dot products along k.
// Rows and columns past the edge are clamped for loading and skipped when storing, so edge blocks stay
// vectorised (a column block crossing N gathers its lanes one by one).
#if defined(T) && defined(GEMM_REG)
#if VW == 1
#define VEC T
#define VLOAD(i, p) (p)[i]
#else
#define VEC CAT(T, VW)
#define VLOAD(i, p) CAT(vload, VW)(i, p)
#endif

#if TRANS_B && !TRANS_A
#define COLS NV

// Sum of a VW-wide vector's lanes, by halves.
inline T lane_sum(VEC v) {
#if VW == 1
    return v;
#else
#if VW == 16
    const CAT(T, 8) v8 = v.lo + v.hi;
#elif VW == 8
    const CAT(T, 8) v8 = v;
#endif
#if VW >= 8
    const CAT(T, 4) v4 = v8.lo + v8.hi;
#elif VW == 4
    const CAT(T, 4) v4 = v;
#endif
#if VW >= 4
    const CAT(T, 2) v2 = v4.lo + v4.hi;
#else
    const CAT(T, 2) v2 = v;
#endif
    return v2.s0 + v2.s1;
#endif
}
#else
#define COLS (NV * VW)
#endif

__kernel void gemm_reg(GEMM_ARGS) {
    GEMM_BATCH();
    const int m0 = get_global_id(1) * WPTM;
    const int n0 = get_global_id(0) * COLS;
    if (m0 >= M || n0 >= N) return;
#if TRANS_B && !TRANS_A
    // Dot-product form: rows of A (M, K) and rows of B (N, K) are both contiguous along k.
    __global const T* arow[WPTM];
    __global const T* brow[NV];
    for (int i = 0; i < WPTM; ++i) arow[i] = A + (long)min(m0 + i, M - 1) * lda;
    for (int j = 0; j < NV; ++j) brow[j] = B + (long)min(n0 + j, N - 1) * ldb;
    VEC acc[WPTM][NV];
    for (int i = 0; i < WPTM; ++i)
        for (int j = 0; j < NV; ++j) acc[i][j] = 0;
    const int kv_end = K - K % VW;
    for (int k = 0; k < kv_end; k += VW) {
        VEC a[WPTM], b[NV];
        for (int i = 0; i < WPTM; ++i) a[i] = VLOAD(0, arow[i] + k);
        for (int j = 0; j < NV; ++j) b[j] = VLOAD(0, brow[j] + k);
        for (int i = 0; i < WPTM; ++i)
            for (int j = 0; j < NV; ++j) acc[i][j] = fma(a[i], b[j], acc[i][j]);
    }
    for (int i = 0; i < WPTM; ++i) {
        const int m = m0 + i;
        for (int j = 0; j < NV; ++j) {
            const int n = n0 + j;
            if (m < M && n < N) {
                T sum = lane_sum(acc[i][j]);
                for (int k = kv_end; k < K; ++k) sum = fma(arow[i][k], brow[j][k], sum);
                C[(long)m * N + n] = sum;
            }
        }
    }
#else
    // Outer-product form: NV vectors of op(B) along n times one scalar of op(A) per row.
    VEC acc[WPTM][NV];
    for (int i = 0; i < WPTM; ++i)
        for (int v = 0; v < NV; ++v) acc[i][v] = 0;
    int rows[WPTM];
    for (int i = 0; i < WPTM; ++i) rows[i] = min(m0 + i, M - 1);
#define OUTER_STEP(LOAD_B)                                                        \
    for (int k = 0; k < K; ++k) {                                                 \
        VEC b[NV];                                                                \
        LOAD_B;                                                                   \
        for (int i = 0; i < WPTM; ++i) {                                          \
            const T a = A_AT(rows[i], k);                                         \
            for (int v = 0; v < NV; ++v) acc[i][v] = fma((VEC)a, b[v], acc[i][v]); \
        }                                                                         \
    }
// Lanes one by one, clamped to the last column (the extra lanes are never stored).
#define GATHER_B                                                                      \
    for (int v = 0; v < NV; ++v) {                                                    \
        T lanes[VW];                                                                  \
        for (int e = 0; e < VW; ++e) lanes[e] = B_AT(k, min(n0 + v * VW + e, N - 1)); \
        b[v] = VLOAD(0, lanes);                                                       \
    }
    const bool full = n0 + COLS <= N;
#if TRANS_B
    OUTER_STEP(GATHER_B)
#else
    if (full) {
        OUTER_STEP(for (int v = 0; v < NV; ++v) b[v] = VLOAD(v, B + (long)k * ldb + n0))
    } else {
        OUTER_STEP(GATHER_B)
    }
#endif
    for (int i = 0; i < WPTM; ++i) {
        if (m0 + i >= M) break;
        __global T* row = C + (long)(m0 + i) * N + n0;
        if (full) {
#if VW == 1
            for (int v = 0; v < NV; ++v) row[v] = acc[i][v];
#else
            for (int v = 0; v < NV; ++v) CAT(vstore, VW)(acc[i][v], v, row);
#endif
        } else {
            for (int v = 0; v < NV; ++v) {
                T lanes[VW];
#if VW == 1
                lanes[0] = acc[i][v];
#else
                CAT(vstore, VW)(acc[i][v], 0, lanes);
#endif
                for (int e = 0; e < VW && n0 + v * VW + e < N; ++e) row[v * VW + e] = lanes[e];
            }
        }
    }
#endif
}
#endif

// ---------------------------------------------------------------------------------------------------------------
// gemm_tiled: local-memory tiles (suits GPUs). A work-group of (TN / WPTN, TM / WPTM) work-items computes a
// TM x TN tile of C, walking K in steps of TK. Each step stages op(A)'s TM x TK and op(B)'s TK x TN blocks in
// local memory laid out [k][m] and [k][n] (padded by PAD against bank conflicts), loading VWA / VWB elements at
// a time along each operand's contiguous axis (the host asks for VW > 1 only when that axis and the offsets are
// multiples of VW, so a vector is either wholly inside the matrix or wholly outside). Work-item (tx, ty) owns
// rows ty + i * RTM and columns tx + j * RTN (strided), so local reads broadcast and stores coalesce.
#if defined(T) && defined(GEMM_TILED)
#define RTM (TM / WPTM)
#define RTN (TN / WPTN)
#define THREADS (RTM * RTN)

#if VWA == 1
#define VECA T
#else
#define VECA CAT(T, VWA)
#endif
#if VWB == 1
#define VECB T
#else
#define VECB CAT(T, VWB)
#endif

// Loads the TO x TK block at (o0, k0) of an operand into local L[k][o]. KCONTIG: the operand is stored
// (outer, K), contiguous along k; else stored (K, outer), contiguous along the outer axis. VT/VW: vector type and
// width of the loads; LD: the operand's row stride; NO: the outer size (M or N).
#define LOAD_TILE(L, X, LD, NO, TO_, o0, k0, KCONTIG, VT, VW)                                              \
    {                                                                                                     \
        const int tid = get_local_id(1) * RTN + get_local_id(0);                                          \
        for (int id = tid; id < (TO_) * TK / (VW); id += THREADS) {                                       \
            union {                                                                                       \
                VT v;                                                                                     \
                T s[VW];                                                                                  \
            } u;                                                                                          \
            if (KCONTIG) {                                                                                \
                const int o = id / (TK / (VW)), kv = (id - o * (TK / (VW))) * (VW);                      \
                const int go = (o0) + o, gk = (k0) + kv;                                                  \
                if (go < (NO) && gk < K) u.v = ((__global const VT*)(X + (long)go * (LD) + gk))[0];      \
                else u.v = (VT)0;                                                                         \
                for (int e = 0; e < (VW); ++e) L[kv + e][o] = u.s[e];                                     \
            } else {                                                                                      \
                const int k = id / ((TO_) / (VW)), ov = (id - k * ((TO_) / (VW))) * (VW);                \
                const int go = (o0) + ov, gk = (k0) + k;                                                  \
                if (go < (NO) && gk < K) u.v = ((__global const VT*)(X + (long)gk * (LD) + go))[0];      \
                else u.v = (VT)0;                                                                         \
                for (int e = 0; e < (VW); ++e) L[k][ov + e] = u.s[e];                                     \
            }                                                                                             \
        }                                                                                                 \
    }

__kernel __attribute__((reqd_work_group_size(RTN, RTM, 1))) void gemm_tiled(GEMM_ARGS) {
    __local T As[TK][TM + PAD];
    __local T Bs[TK][TN + PAD];
    GEMM_BATCH();
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int m0 = get_group_id(1) * TM, n0 = get_group_id(0) * TN;
    T acc[WPTM][WPTN];
    for (int i = 0; i < WPTM; ++i)
        for (int j = 0; j < WPTN; ++j) acc[i][j] = 0;
    for (int k0 = 0; k0 < K; k0 += TK) {
        LOAD_TILE(As, A, lda, M, TM, m0, k0, !TRANS_A, VECA, VWA);
        LOAD_TILE(Bs, B, ldb, N, TN, n0, k0, TRANS_B, VECB, VWB);
        barrier(CLK_LOCAL_MEM_FENCE);
#pragma unroll
        for (int k = 0; k < TK; ++k) {
            T a[WPTM], b[WPTN];
            for (int i = 0; i < WPTM; ++i) a[i] = As[k][ty + i * RTM];
            for (int j = 0; j < WPTN; ++j) b[j] = Bs[k][tx + j * RTN];
            for (int i = 0; i < WPTM; ++i)
                for (int j = 0; j < WPTN; ++j) acc[i][j] = fma(a[i], b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < WPTM; ++i) {
        const int m = m0 + ty + i * RTM;
        if (m >= M) break;
        for (int j = 0; j < WPTN; ++j) {
            const int n = n0 + tx + j * RTN;
            if (n < N) C[(long)m * N + n] = acc[i][j];
        }
    }
}
#endif

// ---------------------------------------------------------------------------------------------------------------
// gemm_sum_splits: C = the sum of S partial products P[s] (split-K), each MN long.
#if defined(T) && defined(GEMM_SUM)
__kernel void gemm_sum_splits(__global const T* restrict P, __global T* restrict C, const long c_off, const int S,
                              const long MN) {
    const long i = get_global_id(0);
    if (i >= MN) return;
    T sum = P[i];
    for (int s = 1; s < S; ++s) sum += P[s * MN + i];
    C[c_off + i] = sum;
}
#endif

// ---------------------------------------------------------------------------------------------------------------
// gemm_transpose: Y (COLS, ROWS) = X (ROWS, COLS)^T, X's rows ldx apart from x_off. Lets the reg kernel run a
// transposed B (small next to the product) through its faster outer-product form.
#if defined(T) && defined(GEMM_TRANSPOSE)
__kernel void gemm_transpose(__global const T* restrict X, const long x_off, const int ldx,
                             __global T* restrict Y, const int ROWS, const int COLS) {
    const int c = get_global_id(0);
    const int r = get_global_id(1);
    if (r < ROWS && c < COLS) Y[(long)c * ROWS + r] = X[x_off + (long)r * ldx + c];
}
#endif
