// Counter-based random numbers: Philox-4x32-10 (Salmon, Moraes, Dror and Shaw, SC'11). Block j of a
// stream is philox(counter = (j low, j high, c0, c1), key = (k0, k1)): the seed pair's first number is
// the key, its second the upper counter words, so a stream is a pure function of (seed pair, index).
#pragma OPENCL FP_CONTRACT OFF

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

uint4 philox(uint4 c, uint2 k) {
    for (int round = 0; round < 10; ++round) {
        if (round) k += (uint2)(PHILOX_W0, PHILOX_W1);
        const uint hi0 = mul_hi(PHILOX_M0, c.x), lo0 = PHILOX_M0 * c.x;
        const uint hi1 = mul_hi(PHILOX_M1, c.z), lo1 = PHILOX_M1 * c.z;
        c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    }
    return c;
}

uint4 block(const ulong j, const uint k0, const uint k1, const uint c0, const uint c1) {
    return philox((uint4)((uint)j, (uint)(j >> 32), c0, c1), (uint2)(k0, k1));
}

#define SEED_ARGS const uint k0, const uint k1, const uint c0, const uint c1

#ifdef PHILOX_TEST
// The raw 32-bit words of blocks [0, n / 4), for tests against a reference implementation.
__kernel void philox_words(__global uint *out, const long n, SEED_ARGS) {
    const long j = get_global_id(0);
    if (4 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    vstore4(r, j, out);
}
#endif

// Uniform in [0, 1) from 24 random bits (float) or 53 (double); the _open forms are in (0, 1], for logs.
float unit_float(const uint u) { return (float)(u >> 8) * 0x1.0p-24f; }
float unit_float_open(const uint u) { return (float)((u >> 8) + 1) * 0x1.0p-24f; }
#ifdef DOUBLE
double unit_double(const uint a, const uint b) {
    return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6)) * 0x1.0p-53;
}
double unit_double_open(const uint a, const uint b) {
    return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6) + 1.0) * 0x1.0p-53;
}
#endif

#ifdef UNIFORM
// out[i] = low + u * scale, clamped below `top` (the largest value under high) against rounding up.
__kernel void uniform(__global T *out, const long n, SEED_ARGS, const F scale, const F low, const F top) {
    const long j = get_global_id(0);
#ifdef DOUBLE
    if (2 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    const double u[2] = {unit_double(r.x, r.y), unit_double(r.z, r.w)};
    for (int k = 0; k < 2 && 2 * j + k < n; ++k) out[2 * j + k] = (T)fmin(u[k] * scale + low, top);
#else
    if (4 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    const uint w[4] = {r.x, r.y, r.z, r.w};
    for (int k = 0; k < 4 && 4 * j + k < n; ++k) out[4 * j + k] = (T)fmin(unit_float(w[k]) * scale + low, top);
#endif
}
#endif

#ifdef NORMAL
// Box-Muller: a pair of uniforms (u1 in (0, 1], u2 in [0, 1)) gives two independent standard normals.
__kernel void normal(__global T *out, const long n, SEED_ARGS, const F stddev, const F mean) {
    const long j = get_global_id(0);
#ifdef DOUBLE
    if (2 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    const double radius = sqrt(-2.0 * log(unit_double_open(r.x, r.y))), angle = 2.0 * unit_double(r.z, r.w);
    const double z[2] = {radius * cospi(angle), radius * sinpi(angle)};
    for (int k = 0; k < 2 && 2 * j + k < n; ++k) out[2 * j + k] = (T)(z[k] * stddev + mean);
#else
    if (4 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    const float radius0 = sqrt(-2.0f * log(unit_float_open(r.x))), angle0 = 2.0f * unit_float(r.y);
    const float radius1 = sqrt(-2.0f * log(unit_float_open(r.z))), angle1 = 2.0f * unit_float(r.w);
    const float z[4] = {radius0 * cospi(angle0), radius0 * sinpi(angle0), radius1 * cospi(angle1),
                        radius1 * sinpi(angle1)};
    for (int k = 0; k < 4 && 4 * j + k < n; ++k) out[4 * j + k] = (T)(z[k] * stddev + mean);
#endif
}
#endif

#ifdef DROPOUT
// out[i] = scale where the 32-bit draw is at least threshold (probability 1 - rate), else 0.
__kernel void dropout(__global T *out, const long n, SEED_ARGS, const uint threshold, const T scale) {
    const long j = get_global_id(0);
    if (4 * j >= n) return;
    const uint4 r = block(j, k0, k1, c0, c1);
    const uint w[4] = {r.x, r.y, r.z, r.w};
    for (int k = 0; k < 4 && 4 * j + k < n; ++k) out[4 * j + k] = w[k] >= threshold ? scale : (T)0;
}
#endif

#ifdef PERMUTATION
// A random permutation: each index i < n gets a 64-bit random key, and (key, index) pairs are sorted by a
// bitonic network over the next power of two (padding entries get the largest key and sort last).
// Blocks of 2 * local size entries are sorted and merged in local memory; longer strides run in global memory.
#define BLOCK_MAX 512

int after(const ulong ka, const long va, const ulong kb, const long vb) { return ka > kb || (ka == kb && va > vb); }

// One compare-exchange step (stride j, sequence length k) of the block [base, base + 2 * local size).
void local_step(__local ulong *keys, __local long *vals, const int t, const int j, const long k, const long base) {
    const int a = (t / j) * 2 * j + t % j, b = a + j;
    const int ascending = ((base + a) & k) == 0;
    if (after(keys[a], vals[a], keys[b], vals[b]) == ascending) {
        const ulong key = keys[a];
        const long val = vals[a];
        keys[a] = keys[b];
        vals[a] = vals[b];
        keys[b] = key;
        vals[b] = val;
    }
}

__kernel void perm_block_sort(__global ulong *keys, __global long *vals, const long n, SEED_ARGS) {
    __local ulong lk[BLOCK_MAX];
    __local long lv[BLOCK_MAX];
    const int t = get_local_id(0), lanes = get_local_size(0), size = 2 * lanes;
    const long base = get_group_id(0) * size;
    for (int e = t; e < size; e += lanes) {
        const long i = base + e;
        const uint4 r = block(i, k0, k1, c0, c1);
        lk[e] = i < n ? ((ulong)r.x << 32) | r.y : ULONG_MAX;
        lv[e] = i;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 2; k <= size; k <<= 1) {
        for (int j = k >> 1; j > 0; j >>= 1) {
            local_step(lk, lv, t, j, k, base);
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    for (int e = t; e < size; e += lanes) {
        keys[base + e] = lk[e];
        vals[base + e] = lv[e];
    }
}

__kernel void perm_block_merge(__global ulong *keys, __global long *vals, const long k) {
    __local ulong lk[BLOCK_MAX];
    __local long lv[BLOCK_MAX];
    const int t = get_local_id(0), lanes = get_local_size(0), size = 2 * lanes;
    const long base = get_group_id(0) * size;
    for (int e = t; e < size; e += lanes) {
        lk[e] = keys[base + e];
        lv[e] = vals[base + e];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int j = lanes; j > 0; j >>= 1) {
        local_step(lk, lv, t, j, k, base);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int e = t; e < size; e += lanes) {
        keys[base + e] = lk[e];
        vals[base + e] = lv[e];
    }
}

// One compare-exchange step with a stride j too long for a block in local memory.
__kernel void perm_global_step(__global ulong *keys, __global long *vals, const long j, const long k, const long pairs) {
    const long t = get_global_id(0);
    if (t >= pairs) return;
    const long a = (t / j) * 2 * j + t % j, b = a + j;
    const int ascending = (a & k) == 0;
    const ulong ka = keys[a], kb = keys[b];
    const long va = vals[a], vb = vals[b];
    if (after(ka, va, kb, vb) == ascending) {
        keys[a] = kb;
        vals[a] = vb;
        keys[b] = ka;
        vals[b] = va;
    }
}
#endif
