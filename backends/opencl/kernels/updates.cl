// Fused optimizer updates, in place on the variable and its slots. Each line is one rounded operation in
// the order of the numpy reference (backends/numpy/core.py), so contraction into fma is turned off.
#pragma OPENCL FP_CONTRACT OFF

#ifdef T
// momentum += (g - momentum) * c1; velocity += (g*g - velocity) * c2;
// variable -= momentum * alpha / (sqrt(velocity) + epsilon). c1 = 1 - beta_1, c2 = 1 - beta_2.
// The gradient is read at i * g_step (g_step 0 broadcasts a single value).
__kernel void adam(__global T *w, __global const T *g, __global T *m, __global T *v, const T alpha, const T c1,
                   const T c2, const T epsilon, const long g_step, const long n) {
    const long i = get_global_id(0);
    if (i >= n) return;
    const T grad = g[i * g_step];
    T t = grad - m[i];
    t = t * c1;
    const T mi = m[i] + t;
    t = grad * grad;
    t = t - v[i];
    t = t * c2;
    const T vi = v[i] + t;
    t = sqrt(vi);
    t = t + epsilon;
    T u = mi * alpha;
    u = u / t;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - u;
}

// velocity = velocity * rho + g*g * c; variable -= g * learning_rate / sqrt(velocity + epsilon). c = 1 - rho.
__kernel void rmsprop(__global T *w, __global const T *g, __global T *v, const T learning_rate, const T rho,
                      const T c, const T epsilon, const long g_step, const long n) {
    const long i = get_global_id(0);
    if (i >= n) return;
    const T grad = g[i * g_step];
    T vi = v[i] * rho;
    T t = grad * grad;
    t = t * c;
    vi = vi + t;
    t = vi + epsilon;
    t = sqrt(t);
    T u = grad * learning_rate;
    u = u / t;
    v[i] = vi;
    w[i] = w[i] - u;
}
#endif
