// Filling, ranges and dtype conversion. T / TI / TO are element types given as -D defines.

#ifdef T
__kernel void fill(__global T *out, const T value, const long n) {
    long i = get_global_id(0);
    if (i < n) out[i] = value;
}

#endif

#ifdef ACC
// out[i] = start + i * step, computed in double (or float) like numpy's arange.
__kernel void arange(__global T *out, const ACC start, const ACC step, const long n) {
    long i = get_global_id(0);
    if (i < n) out[i] = (T)(start + (ACC)i * step);
}
#endif

#ifdef TI
__kernel void cast(__global const TI *in, __global TO *out, const long n) {
    long i = get_global_id(0);
    if (i < n) {
#ifdef TO_BOOL
        out[i] = in[i] != 0 ? 1 : 0;
#else
        out[i] = (TO)in[i];
#endif
    }
}
#endif
