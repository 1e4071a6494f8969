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
#define OP_SIN 33
#define OP_COS 34
#define OP_TAN 35
#define OP_ARCSIN 36
#define OP_ARCCOS 37
#define OP_ARCTAN 38
#define OP_SINH 39
#define OP_COSH 40
#define OP_ARCSINH 41
#define OP_ARCCOSH 42
#define OP_ARCTANH 43
#define OP_EXPM1 44
#define OP_EXP2 45
#define OP_LOG2 46
#define OP_LOG10 47
#define OP_CBRT 48
#define OP_FLOOR 49
#define OP_CEIL 50
#define OP_RINT 51
#define OP_TRUNC 52
#define OP_ISNAN 53
#define OP_ISINF 54
#define OP_SIGNBIT 55
#define OP_ERFC 56
#define OP_ERFINV 57
#define OP_I0 58
#define OP_I1 59
#define OP_BITWISE_INVERT 60
#define OP_ARCTAN2 61
#define OP_HYPOT 62
#define OP_FMOD 63
#define OP_MOD 64
#define OP_FLOOR_DIVIDE 65
#define OP_NEXTAFTER 66
#define OP_LOGICAL_XOR 67
#define OP_BITWISE_AND 68
#define OP_BITWISE_OR 69
#define OP_BITWISE_XOR 70
#define OP_LEFT_SHIFT 71
#define OP_RIGHT_SHIFT 72
#define OP_GCD 73
#define OP_LCM 74

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

#if OP == OP_ERFINV
// The inverse of erf: Giles's approximation (2010), then Newton steps on erf(z) = y, or near +-1 on
// log(erfc(|z|)) = log(1 - |y|), where 1 - |y| is exact and the equation nearly linear.
TC erfinv_(const TC y) {
    const TC a = fabs(y);
    if (a > (TC)1 || isnan(y)) return NAN;
    if (a == (TC)1) return copysign((TC)INFINITY, y);
    TC w = -log(((TC)1 - y) * ((TC)1 + y)), p;
    if (w < (TC)5) {
        w -= (TC)2.5f;
        p = (TC)2.81022636e-08f;
        p = (TC)3.43273939e-07f + p * w;
        p = (TC)-3.5233877e-06f + p * w;
        p = (TC)-4.39150654e-06f + p * w;
        p = (TC)0.00021858087f + p * w;
        p = (TC)-0.00125372503f + p * w;
        p = (TC)-0.00417768164f + p * w;
        p = (TC)0.246640727f + p * w;
        p = (TC)1.50140941f + p * w;
    } else {
        w = sqrt(w) - (TC)3;
        p = (TC)-0.000200214257f;
        p = (TC)0.000100950558f + p * w;
        p = (TC)0.00134934322f + p * w;
        p = (TC)-0.00367342844f + p * w;
        p = (TC)0.00573950773f + p * w;
        p = (TC)-0.0076224613f + p * w;
        p = (TC)0.00943887047f + p * w;
        p = (TC)1.00167406f + p * w;
        p = (TC)2.83297682f + p * w;
    }
    TC z = p * y;
    const TC log_rest = log1p(-a);
    for (int k = 0; k < 4; ++k) {
        const TC density = (TC)1.12837916709551257f * exp(-z * z);
        const TC e = erfc(fabs(z));
        const TC step = a > (TC)0.5f ? (y < 0 ? (TC)1 : (TC)-1) * (log(e) - log_rest) * e / density : (erf(z) - y) / density;
        if (isfinite(step)) z -= step;
    }
    return z;
}
#endif

#if OP == OP_I0 || OP == OP_I1
// The modified Bessel functions of the first kind, orders 0 and 1, by their power series (positive terms).
TC bessel_i(const TC x) {
    const TC q = x * x / (TC)4;
    TC term = 1, total = 1;
    for (int k = 1; k < 1000 && term > (TC)1e-17f * total; ++k) {
#if OP == OP_I0
        term *= q / ((TC)k * (TC)k);
#else
        term *= q / ((TC)k * (TC)(k + 1));
#endif
        total += term;
    }
#if OP == OP_I0
    return total;
#else
    return x / (TC)2 * total;
#endif
}
#endif

#if OP == OP_GCD || OP == OP_LCM
TC gcd_(TC a, TC b) {
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b) {
        const TC t = a % b;
        a = b;
        b = t;
    }
    return a;
}
#endif

// Integer shifts as numpy: shifting by the type's width or more (or by a negative count) gives 0 (or -1
// for a negative value shifted right).
#define SHIFT_OK(b) ((b) >= 0 && (b) < (TC)(8 * sizeof(TC)))

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
#elif OP == OP_SIN
    return (TO)sin(A);
#elif OP == OP_COS
    return (TO)cos(A);
#elif OP == OP_TAN
    return (TO)tan(A);
#elif OP == OP_ARCSIN
    return (TO)asin(A);
#elif OP == OP_ARCCOS
    return (TO)acos(A);
#elif OP == OP_ARCTAN
    return (TO)atan(A);
#elif OP == OP_SINH
    return (TO)sinh(A);
#elif OP == OP_COSH
    return (TO)cosh(A);
#elif OP == OP_ARCSINH
    return (TO)asinh(A);
#elif OP == OP_ARCCOSH
    return (TO)acosh(A);
#elif OP == OP_ARCTANH
    return (TO)atanh(A);
#elif OP == OP_EXPM1
    return (TO)expm1(A);
#elif OP == OP_EXP2
    return (TO)exp2(A);
#elif OP == OP_LOG2
    return (TO)log2(A);
#elif OP == OP_LOG10
    return (TO)log10(A);
#elif OP == OP_CBRT
    return (TO)cbrt(A);
#elif (OP == OP_FLOOR || OP == OP_CEIL || OP == OP_RINT || OP == OP_TRUNC) && !CFLOAT
    return (TO)A;  // integers are already whole
#elif OP == OP_FLOOR
    return (TO)floor(A);
#elif OP == OP_CEIL
    return (TO)ceil(A);
#elif OP == OP_RINT
    return (TO)rint(A);  // half to even, as numpy
#elif OP == OP_TRUNC
    return (TO)trunc(A);
#elif OP == OP_ISNAN && CFLOAT
    return (TO)(isnan(A) ? 1 : 0);
#elif OP == OP_ISINF && CFLOAT
    return (TO)(isinf(A) ? 1 : 0);
#elif OP == OP_ISNAN || OP == OP_ISINF
    return (TO)0;
#elif OP == OP_SIGNBIT && CFLOAT
    return (TO)(signbit(A) ? 1 : 0);
#elif OP == OP_SIGNBIT
    return (TO)(A < 0);
#elif OP == OP_ERFC
    return (TO)erfc(A);
#elif OP == OP_ERFINV
    return (TO)erfinv_(A);
#elif OP == OP_I0 || OP == OP_I1
    return (TO)bessel_i(A);
#elif OP == OP_BITWISE_INVERT
    return (TO)(~A);
#elif OP == OP_ARCTAN2
    return (TO)atan2(A, B);
#elif OP == OP_HYPOT
    return (TO)hypot(A, B);
#elif OP == OP_FMOD && CFLOAT
    return (TO)fmod(A, B);
#elif OP == OP_FMOD
    return (TO)((B == 0 || B == (TC)-1) ? (TC)0 : A % B);  // the dividend's sign; numpy gives 0 for b = 0
#elif OP == OP_MOD && CFLOAT
    // numpy's remainder: the divisor's sign; a zero result takes the divisor's sign too
    TC r = fmod(A, B);
    if (B == 0) return (TO)r;
    if (r != 0) {
        if ((B < 0) != (r < 0)) r += B;
    } else {
        r = copysign((TC)0, B);
    }
    return (TO)r;
#elif OP == OP_MOD
    if (B == 0 || B == (TC)-1) return (TO)0;
    TC r = A % B;
    if (r != 0 && ((r < 0) != (B < 0))) r += B;
    return (TO)r;
#elif OP == OP_FLOOR_DIVIDE && CFLOAT
    // numpy's npy_floor_divide
    if (B == 0) return (TO)(A / B);
    const TC m = fmod(A, B);
    TC d = (A - m) / B;
    if (m != 0 && ((B < 0) != (m < 0))) d -= (TC)1;
    if (d != 0) {
        TC f = floor(d);
        if (d - f > (TC)0.5) f += (TC)1;
        return (TO)f;
    }
    return (TO)copysign((TC)0, A / B);
#elif OP == OP_FLOOR_DIVIDE
    if (B == 0) return (TO)0;
    if (B == (TC)-1) return (TO)(-A);
    TC q = A / B;
    if ((A % B != 0) && ((A < 0) != (B < 0))) q -= 1;
    return (TO)q;
#elif OP == OP_NEXTAFTER
    return (TO)nextafter(A, B);
#elif OP == OP_LOGICAL_XOR
    return (TO)((v0 != 0) != (v1 != 0));
#elif OP == OP_BITWISE_AND
    return (TO)(A & B);
#elif OP == OP_BITWISE_OR
    return (TO)(A | B);
#elif OP == OP_BITWISE_XOR
    return (TO)(A ^ B);
#elif OP == OP_LEFT_SHIFT
    return (TO)(SHIFT_OK(B) ? A << B : (TC)0);
#elif OP == OP_RIGHT_SHIFT
    return (TO)(SHIFT_OK(B) ? A >> B : (A < 0 ? (TC)-1 : (TC)0));
#elif OP == OP_GCD
    return (TO)gcd_(A, B);
#elif OP == OP_LCM
    const TC g = gcd_(A, B);
    const TC l = g == 0 ? (TC)0 : (A / g) * B;
    return (TO)(l < 0 ? -l : l);
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
