// Recurrent steps: SimpleRNN, LSTM and GRU (reset after), forward and backward, one work-item per
// (batch row b, unit j). T is the element type. ACT and RACT select the activation and the recurrent
// activation: 0 tanh, 1 sigmoid, 2 hard_sigmoid (Keras 3: relu6(a + 3) / 6), 3 relu, 4 linear.
// MASKED compiles the masked form (mask[t * B + b] != 0 computes the step, 0 carries the state and
// repeats the previous output, or zero with ZERO_OUT). Sequences are time-major: xz (steps, B, G * U),
// dy (steps, B, U). Optional operands come with a has_* flag (0: read as zero, the pointer is unused).
// The float operations and their order follow backends/numpy/recurrent.py.

#ifdef T

inline T activate(const int kind, const T a) {
    switch (kind) {
        case 0: return tanh(a);
        case 1: return (T)1 / ((T)1 + exp(-a));
        case 2: return clamp(a / (T)6 + (T)0.5, (T)0, (T)1);
        case 3: return fmax(a, (T)0);
        default: return a;
    }
}

// The derivative, from the activation's output y.
inline T derivative(const int kind, const T y) {
    switch (kind) {
        case 0: return (T)1 - y * y;
        case 1: return y * ((T)1 - y);
        case 2: return (y > (T)0 && y < (T)1) ? (T)1 / (T)6 : (T)0;
        case 3: return y > (T)0 ? (T)1 : (T)0;
        default: return (T)1;
    }
}

#define UNIT_INDEX                         \
    const int gid = get_global_id(0);      \
    if (gid >= B * U) return;              \
    const int b = gid / U, j = gid - b * U;

#if MASKED
#define STEP_MASK const bool m = mask[(long)t * B + b] != (T)0;
#else
#define STEP_MASK const bool m = true;
#endif

// Writes the step's state and output: new where computed, carried where masked.
#define WRITE_STATE_AND_OUTPUT(hn)                                              \
    h_t[gid] = m ? (hn) : h[gid];                                               \
    if (MASKED) out_t[gid] = m ? (hn) : ((ZERO_OUT || !has_out) ? (T)0 : out[gid]);

// The gradient reaching the step's new state (dnew) and what out_{t-1} gets (dout_pass); WRITE_DH_PASS
// writes what h_{t-1} gets directly (dh_pass). As _split_gradient in the numpy backend.
#define SPLIT_GRADIENT                                                          \
    const T gh = (has_dhr ? dhr[gid] : (T)0) + (has_dh ? dh[gid] : (T)0);       \
    const T go = dy[(long)t * B * U + gid] + (has_dout ? dout[gid] : (T)0);     \
    const T dnew = m ? gh + go : (T)0;                                          \
    if (MASKED) dout_pass[gid] = (ZERO_OUT || m) ? (T)0 : go;

#define WRITE_DH_PASS if (MASKED) dh_pass[gid] = m ? (T)0 : gh;

__kernel void simple_rnn_step(__global const T *xz, const int t, __global const T *hz, __global const T *h,
                              __global const T *out, const int has_out, __global const T *mask,
                              __global T *h_t, __global T *out_t, __global T *cache, const int B, const int U) {
    UNIT_INDEX
    STEP_MASK
    const T hn = activate(ACT, xz[(long)t * B * U + gid] + hz[gid]);
    cache[gid] = hn;
    WRITE_STATE_AND_OUTPUT(hn)
}

__kernel void simple_rnn_step_backward(__global const T *dy, const int t, __global const T *dhr, const int has_dhr,
                                       __global const T *dh, const int has_dh, __global const T *dout,
                                       const int has_dout, __global const T *cache, __global const T *mask,
                                       __global T *dz, __global T *dh_pass, __global T *dout_pass, const int B,
                                       const int U) {
    UNIT_INDEX
    STEP_MASK
    SPLIT_GRADIENT
    WRITE_DH_PASS
    dz[gid] = dnew * derivative(ACT, cache[gid]);
}

__kernel void lstm_step(__global const T *xz, const int t, __global const T *hz, __global const T *h,
                        __global const T *c, __global const T *out, const int has_out, __global const T *mask,
                        __global T *h_t, __global T *c_t, __global T *out_t, __global T *cache, const int B,
                        const int U) {
    UNIT_INDEX
    STEP_MASK
    __global const T *x = xz + ((long)t * B + b) * 4 * U;
    __global const T *r = hz + (long)b * 4 * U;
    const T i = activate(RACT, x[j] + r[j]);
    const T f = activate(RACT, x[U + j] + r[U + j]);
    const T g = activate(ACT, x[2 * U + j] + r[2 * U + j]);
    const T o = activate(RACT, x[3 * U + j] + r[3 * U + j]);
    T cn = f * c[gid];
    cn += i * g;
    const T hn = o * activate(ACT, cn);
    __global T *k = cache + (long)b * 5 * U;
    k[j] = i;
    k[U + j] = f;
    k[2 * U + j] = g;
    k[3 * U + j] = o;
    k[4 * U + j] = cn;
    c_t[gid] = m ? cn : c[gid];
    WRITE_STATE_AND_OUTPUT(hn)
}

__kernel void lstm_step_backward(__global const T *dy, const int t, __global const T *dhr, const int has_dhr,
                                 __global const T *dh, const int has_dh, __global const T *dc, const int has_dc,
                                 __global const T *dout, const int has_dout, __global const T *cache,
                                 __global const T *c_prev, __global const T *mask, __global T *dz,
                                 __global T *dh_pass, __global T *dc_prev, __global T *dout_pass, const int B,
                                 const int U) {
    UNIT_INDEX
    STEP_MASK
    SPLIT_GRADIENT
    WRITE_DH_PASS
    __global const T *k = cache + (long)b * 5 * U;
    const T i = k[j], f = k[U + j], g = k[2 * U + j], o = k[3 * U + j], cn = k[4 * U + j];
    const T dc_in = has_dc ? dc[gid] : (T)0;
    const T ac = activate(ACT, cn);
    const T dct = dnew * o * derivative(ACT, ac) + (m ? dc_in : (T)0);
    __global T *d = dz + (long)b * 4 * U;
    d[j] = dct * g * derivative(RACT, i);
    d[U + j] = dct * c_prev[gid] * derivative(RACT, f);
    d[2 * U + j] = dct * i * derivative(ACT, g);
    d[3 * U + j] = dnew * ac * derivative(RACT, o);
    dc_prev[gid] = dct * f + (m ? (T)0 : dc_in);
}

__kernel void gru_step(__global const T *xz, const int t, __global const T *hz, __global const T *rbias,
                       const int has_rbias, __global const T *h, __global const T *out, const int has_out,
                       __global const T *mask, __global T *h_t, __global T *out_t, __global T *cache, const int B,
                       const int U) {
    UNIT_INDEX
    STEP_MASK
    __global const T *x = xz + ((long)t * B + b) * 3 * U;
    __global const T *r = hz + (long)b * 3 * U;
    const T hz_z = r[j] + (has_rbias ? rbias[j] : (T)0);
    const T hz_r = r[U + j] + (has_rbias ? rbias[U + j] : (T)0);
    const T hrh = r[2 * U + j] + (has_rbias ? rbias[2 * U + j] : (T)0);
    const T z = activate(RACT, x[j] + hz_z);
    const T rr = activate(RACT, x[U + j] + hz_r);
    const T hh = activate(ACT, rr * hrh + x[2 * U + j]);
    const T hp = h[gid];
    const T hn = hh + z * (hp - hh);
    __global T *k = cache + (long)b * 4 * U;
    k[j] = z;
    k[U + j] = rr;
    k[2 * U + j] = hh;
    k[3 * U + j] = hrh;
    WRITE_STATE_AND_OUTPUT(hn)
}

__kernel void gru_step_backward(__global const T *dy, const int t, __global const T *dhr, const int has_dhr,
                                __global const T *dh, const int has_dh, __global const T *dout, const int has_dout,
                                __global const T *cache, __global const T *h_prev, __global const T *mask,
                                __global T *dx, __global T *dhz, __global T *dh_direct, __global T *dout_pass,
                                const int B, const int U) {
    UNIT_INDEX
    STEP_MASK
    SPLIT_GRADIENT
    __global const T *k = cache + (long)b * 4 * U;
    const T z = k[j], rr = k[U + j], hh = k[2 * U + j], hrh = k[3 * U + j];
    const T dah = dnew * ((T)1 - z) * derivative(ACT, hh);
    const T dzp = dnew * (h_prev[gid] - hh) * derivative(RACT, z);
    const T drp = dah * hrh * derivative(RACT, rr);
    __global T *dxr = dx + (long)b * 3 * U;
    __global T *dhr_out = dhz + (long)b * 3 * U;
    dxr[j] = dzp;
    dxr[U + j] = drp;
    dxr[2 * U + j] = dah;
    dhr_out[j] = dzp;
    dhr_out[U + j] = drp;
    dhr_out[2 * U + j] = dah * rr;
    dh_direct[gid] = dnew * z + (m ? (T)0 : gh);
}

#endif
