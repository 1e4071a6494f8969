// Elementwise maps over one to three operands with numpy broadcasting (see elementwise.py).
//
// Defines:
//   OP      the operation, one of the OP_* names below
//   TO, TC  the output type and the type the operation computes in (operands are converted to TC)
//   CFLOAT  1 when TC is float or double
//   IDX     int or long: the type of element indices
//   Tk, Mk  for operand k (0, 1, 2): its element type and how it arrives (a mode):
//             0  an array: indexed like the output (ew_flat) or through offset and strides (ew_strided)
//             1  a scalar kernel argument
//             2  a one-element array, broadcast everywhere
//             3  no such operand (the default for operands 1 and 2)
//   OFFSET  (ew_strided only) operand 0 starts at element `offset`
// ew_strided describes the output by IDX8 vectors, the innermost dimension in .s0: `dims` (1 past the
// output's rank), and for each mode-0 operand its element strides (0 on broadcast dimensions).

#ifdef OP

#define OP_COPY 1
#define OP_ADD 2
#define OP_SUBTRACT 3
#define OP_MULTIPLY 4
#define OP_DIVIDE 5
#define OP_POWER 6
#define OP_MAXIMUM 7
#define OP_MINIMUM 8
#define OP_EQUAL 9
#define OP_NOT_EQUAL 10
#define OP_GREATER 11
#define OP_GREATER_EQUAL 12
#define OP_LESS 13
#define OP_LESS_EQUAL 14
#define OP_LOGICAL_AND 15
#define OP_LOGICAL_OR 16
#define OP_WHERE 17
#define OP_NEGATIVE 18
#define OP_ABS 19
#define OP_SIGN 20
#define OP_SQUARE 21
#define OP_SQRT 22
#define OP_EXP 23
#define OP_LOG 24
#define OP_LOG1P 25
#define OP_TANH 26
#define OP_SIGMOID 27
#define OP_ERF 28
#define OP_CLIP 29
#define OP_ISFINITE 30
#define OP_RELU_BACKWARD 31
#define OP_BIAS_ADD_RELU 32

#ifndef T1
#define T1 uchar
#define M1 3
#endif
#ifndef T2
#define T2 uchar
#define M2 3
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define IDX8 CAT(IDX, 8)

// Per mode: the kernel parameter, the value at element i (ew_flat) or at offset o (ew_strided), the strides
// parameter and the offset step for one dimension.
#define PARAM_0(T, a) , __global const T *a
#define PARAM_1(T, a) , const T a
#define PARAM_2(T, a) , __global const T *a
#define PARAM_3(T, a)
#define FLAT_0(a) a[i]
#define FLAT_1(a) a
#define FLAT_2(a) a[0]
#define FLAT_3(a) 0
#define AT_0(a, o) a[o]
#define AT_1(a, o) a
#define AT_2(a, o) a[0]
#define AT_3(a, o) 0
#define STRIDES_0(st) , const IDX8 st
#define STRIDES_1(st)
#define STRIDES_2(st)
#define STRIDES_3(st)
#define STEP_0(o, c, stride) o += c * stride;
#define STEP_1(o, c, stride)
#define STEP_2(o, c, stride)
#define STEP_3(o, c, stride)

#define PARAM(m, T, a) CAT(PARAM_, m)(T, a)
#define FLAT(m, a) CAT(FLAT_, m)(a)
#define AT(m, a, o) CAT(AT_, m)(a, o)
#define STRIDES(m, st) CAT(STRIDES_, m)(st)
#define STEP(m, o, c, stride) CAT(STEP_, m)(o, c, stride)

#define A ((TC)v0)
#define B ((TC)v1)
#define C ((TC)v2)

#if OP == OP_POWER && !CFLOAT
// Integer power by squaring. A negative exponent gives 1 / base truncated (numpy raises instead).
TC int_power(TC base, TC exponent) {
    if (exponent < 0) return base == 1 ? (TC)1 : base == (TC)-1 ? ((exponent & 1) ? base : (TC)1) : (TC)0;
    TC result = 1;
    while (exponent) {
        if (exponent & 1) result *= base;
        base *= base;
        exponent >>= 1;
    }
    return result;
}
#endif

// numpy's maximum and minimum: a NaN on either side wins (x != x only for NaN).
#define MAXIMUM(x, y) (((x) >= (y) || (x) != (x)) ? (x) : (y))
#define MINIMUM(x, y) (((x) <= (y) || (x) != (x)) ? (x) : (y))

TO ew_op(const T0 v0, const T1 v1, const T2 v2) {
#if OP == OP_COPY
    return (TO)v0;
#elif OP == OP_ADD
    return (TO)(A + B);
#elif OP == OP_SUBTRACT
    return (TO)(A - B);
#elif OP == OP_MULTIPLY
    return (TO)(A * B);
#elif OP == OP_DIVIDE
    return (TO)(A / B);
#elif OP == OP_POWER && CFLOAT
    return (TO)pow(A, B);
#elif OP == OP_POWER
    return (TO)int_power(A, B);
#elif OP == OP_MAXIMUM
    return (TO)MAXIMUM(A, B);
#elif OP == OP_MINIMUM
    return (TO)MINIMUM(A, B);
#elif OP == OP_EQUAL
    return (TO)(A == B);
#elif OP == OP_NOT_EQUAL
    return (TO)(A != B);
#elif OP == OP_GREATER
    return (TO)(A > B);
#elif OP == OP_GREATER_EQUAL
    return (TO)(A >= B);
#elif OP == OP_LESS
    return (TO)(A < B);
#elif OP == OP_LESS_EQUAL
    return (TO)(A <= B);
#elif OP == OP_LOGICAL_AND
    return (TO)(v0 != 0 && v1 != 0);
#elif OP == OP_LOGICAL_OR
    return (TO)(v0 != 0 || v1 != 0);
#elif OP == OP_WHERE
    return (TO)(v0 != 0 ? B : C);  // NaN counts as true, as in numpy
#elif OP == OP_NEGATIVE
    return (TO)(-A);
#elif OP == OP_ABS && CFLOAT
    return (TO)fabs(A);
#elif OP == OP_ABS
    return (TO)(A < 0 ? -A : A);
#elif OP == OP_SIGN && CFLOAT
    return (TO)(isnan(A) ? A : (TC)((A > 0) - (A < 0)));
#elif OP == OP_SIGN
    return (TO)((A > 0) - (A < 0));
#elif OP == OP_SQUARE
    return (TO)(A * A);
#elif OP == OP_SQRT
    return (TO)sqrt(A);
#elif OP == OP_EXP
    return (TO)exp(A);
#elif OP == OP_LOG
    return (TO)log(A);
#elif OP == OP_LOG1P
    return (TO)log1p(A);
#elif OP == OP_TANH
    return (TO)tanh(A);
#elif OP == OP_SIGMOID
    // Split by sign so exp never overflows.
    const TC e = exp(-fabs(A));
    return (TO)(A >= 0 ? (TC)1 / ((TC)1 + e) : e / ((TC)1 + e));
#elif OP == OP_ERF
    return (TO)erf(A);
#elif OP == OP_CLIP
    const TC low = MAXIMUM(A, B);
    return (TO)MINIMUM(low, C);
#elif OP == OP_ISFINITE && CFLOAT
    return (TO)(isfinite(A) ? 1 : 0);
#elif OP == OP_ISFINITE
    return (TO)1;
#elif OP == OP_RELU_BACKWARD
    // (y > 0) * grad, as numpy computes it (so a NaN gradient stays NaN).
    return (TO)((TC)(v1 > 0) * A);
#elif OP == OP_BIAS_ADD_RELU
    const TC s = A + B;
    return (TO)MAXIMUM(s, (TC)0);
#else
#error "unknown OP"
#endif
}

// Every operand of mode 0 has the output's size: element i of each.
__kernel void ew_flat(__global TO *out, const IDX n PARAM(M0, T0, a0) PARAM(M1, T1, a1) PARAM(M2, T2, a2)) {
    const IDX i = get_global_id(0);
    if (i < n) out[i] = ew_op(FLAT(M0, a0), FLAT(M1, a1), FLAT(M2, a2));
}

// One coordinate of the output's index, innermost first; once the rest r is 0, so are all outer coordinates.
#define DIM(s)                              \
    if (r) {                                \
        const IDX c = r % dims.s;           \
        r /= dims.s;                        \
        STEP(M0, o0, c, st0.s)              \
        STEP(M1, o1, c, st1.s)              \
        STEP(M2, o2, c, st2.s)              \
    }

#ifdef OFFSET
#define OFFSET_PARAM , const IDX offset
#define FIRST offset
#else
#define OFFSET_PARAM
#define FIRST 0
#endif

__kernel void ew_strided(__global TO *out, const IDX n, const IDX8 dims OFFSET_PARAM
                         PARAM(M0, T0, a0) STRIDES(M0, st0)
                         PARAM(M1, T1, a1) STRIDES(M1, st1)
                         PARAM(M2, T2, a2) STRIDES(M2, st2)) {
    const IDX i = get_global_id(0);
    if (i >= n) return;
    IDX r = i, o0 = FIRST, o1 = 0, o2 = 0;
    DIM(s0) DIM(s1) DIM(s2) DIM(s3) DIM(s4) DIM(s5) DIM(s6) DIM(s7)
    out[i] = ew_op(AT(M0, a0, o0), AT(M1, a1, o1), AT(M2, a2, o2));
}

#endif
