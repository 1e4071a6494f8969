"""Op specs for the convolutions and pooling of ``kerasette.ops.convolution``: 1-D and 3-D ``conv``,
``depthwise_conv`` and ``separable_conv`` (1-D), ``max_pool``/``average_pool`` (1-D and 3-D) and
``conv_transpose`` (1-D, 2-D, 3-D), against direct numpy loops over windows and taps.

Shapes stay tiny: every element of every input is perturbed twice for the finite differences.
"""

import itertools

import numpy as np

from kerasette import ops


def _same(size, window, stride, dilation=1):
    out = -(-size // stride)
    total = max((out - 1) * stride + (window - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def _geometry(spatial, window, strides, padding, dilation):
    pads = [_same(n, k, s, d) if padding == "same" else (0, 0) for n, k, s, d in zip(spatial, window, strides,
                                                                                        dilation)]
    outs = [(n + b + a - (k - 1) * d - 1) // s + 1 for n, k, s, d, (b, a) in zip(spatial, window, strides, dilation,
                                                                                 pads)]
    return pads, outs


def conv_reference(x, k, strides, padding, dilation):
    """out[b, o..., f] = sum over taps t... of xp[b, o * s + t * d, :] @ k[t..., :, f]."""
    rank = x.ndim - 2
    pads, outs = _geometry(x.shape[1:-1], k.shape[:rank], strides, padding, dilation)
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    out = np.zeros((x.shape[0], *outs, k.shape[-1]))
    for o in itertools.product(*map(range, outs)):
        for t in itertools.product(*map(range, k.shape[:rank])):
            idx = tuple(oi * s + ti * d for oi, ti, s, d in zip(o, t, strides, dilation))
            out[(slice(None),) + o] += xp[(slice(None),) + idx] @ k[t]
    return out


def depthwise_reference(x, k, strides, padding, dilation):
    """Channel c correlated with k[..., c, m] gives output channel c * M + m."""
    channels, multiplier = k.shape[-2:]
    full = np.zeros(k.shape[:-2] + (channels, channels * multiplier))
    for c in range(channels):
        full[..., c, c * multiplier:(c + 1) * multiplier] = k[..., c, :]
    return conv_reference(x, full, strides, padding, dilation)


def pool_reference(x, pool, strides, padding, kind):
    """Windows see only real pixels ("same": max ignores the padding, average divides by the real count)."""
    pads, outs = _geometry(x.shape[1:-1], pool, strides, padding, (1,) * len(pool))
    out = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for o in itertools.product(*map(range, outs)):
        window = tuple(slice(max(oi * s - b, 0), oi * s - b + p) for oi, s, (b, _), p in zip(o, strides, pads, pool))
        values = x[(slice(None),) + window].reshape(x.shape[0], -1, x.shape[-1])
        out[(slice(None),) + o] = values.max(axis=1) if kind == "max" else values.mean(axis=1)
    return out


def transpose_reference(x, k, strides, padding, output_padding, dilation):
    """Input pixel i scatters x[i] * k[t] to output pixel i * s + t * d - before (Keras's geometry)."""
    rank = x.ndim - 2
    before, outs = [], []
    for n, kk, s, d, p in zip(x.shape[1:-1], k.shape[:rank], strides, dilation, output_padding or (None,) * rank):
        k_eff = (kk - 1) * d + 1
        if padding == "valid":
            left, right = k_eff - 1, k_eff - 1 + (max(k_eff, s) - k_eff if p is None else p)
        else:
            total = s + k_eff - 2 if p is None else k_eff + k_eff % 2 - 2 + p
            left = min(total // 2 + total % 2, k_eff - 1)
            right = total - left
        before.append(k_eff - 1 - left)
        outs.append((n - 1) * s + 1 + left + right - k_eff + 1)
    out = np.zeros((x.shape[0], *outs, k.shape[-2]))
    for i in itertools.product(*map(range, x.shape[1:-1])):
        for t in itertools.product(*map(range, k.shape[:rank])):
            j = tuple(ii * s + ti * d - b for ii, ti, s, d, b in zip(i, t, strides, dilation, before))
            if all(0 <= jj < n for jj, n in zip(j, outs)):
                out[(slice(None),) + j] += x[(slice(None),) + i] @ k[t].T
    return out


def _normal(*shape, scale=1.0):
    return lambda rng: rng.standard_normal(shape) * scale


def _grid(*shape):
    def draw(rng):
        n = int(np.prod(shape))
        return ((rng.permutation(n) - n // 2) * 0.1 + rng.uniform(-0.01, 0.01, n)).reshape(shape)

    return draw


def convolution_specs(OpSpec):
    """The specs, built with ``op_specs.OpSpec`` (passed in to avoid a circular import)."""
    specs = []
    # (label, input shape, kernel shape, strides, padding, dilation)
    for label, xs, ks, s, p, d in [
        ("1d_s1_valid", (2, 6, 2), (3, 2, 3), (1,), "valid", (1,)),
        ("1d_s2_same", (1, 7, 2), (2, 2, 2), (2,), "same", (1,)),
        ("1d_d2_same", (1, 7, 3), (3, 3, 2), (1,), "same", (2,)),
        ("3d_s1_valid", (1, 4, 3, 4, 2), (2, 2, 3, 2, 2), (1, 1, 1), "valid", (1, 1, 1)),
        ("3d_s2_same", (1, 5, 4, 3, 2), (3, 2, 2, 2, 1), (2, 1, 2), "same", (1, 1, 1)),
        ("3d_d2_same", (1, 5, 3, 3, 1), (2, 2, 1, 1, 2), (1, 1, 1), "same", (2, 1, 1)),
    ]:
        specs.append(OpSpec(
            f"conv_{label}",
            lambda x, k, s=s, p=p, d=d: ops.conv(x, k, strides=s, padding=p, dilation_rate=d),
            (_normal(*xs), _normal(*ks, scale=0.5)),
            lambda x, k, s=s, p=p, d=d: conv_reference(x, k, s, p, d),
        ))
    for label, xs, ks, s, p, d in [("1d_m2_s2_same", (2, 7, 2), (3, 2, 2), (2,), "same", (1,)),
                                   ("1d_m1_d2_valid", (1, 7, 3), (2, 3, 1), (1,), "valid", (2,))]:
        specs.append(OpSpec(
            f"depthwise_conv_{label}",
            lambda x, k, s=s, p=p, d=d: ops.depthwise_conv(x, k, strides=s, padding=p, dilation_rate=d),
            (_normal(*xs), _normal(*ks, scale=0.5)),
            lambda x, k, s=s, p=p, d=d: depthwise_reference(x, k, s, p, d),
        ))
    specs.append(OpSpec(
        "separable_conv_1d_m2_same",
        lambda x, dk, pk: ops.separable_conv(x, dk, pk, strides=1, padding="same"),
        (_normal(2, 6, 2), _normal(3, 2, 2, scale=0.5), _normal(1, 4, 3, scale=0.5)),
        lambda x, dk, pk: depthwise_reference(x, dk, (1,), "same", (1,)) @ pk[0],
    ))
    # (label, input shape, pool size, strides, padding)
    for label, xs, pool, s, p in [("1d_p2", (2, 7, 2), (2,), None, "valid"), ("1d_p3_s2_same", (1, 6, 2), (3,), (2,),
                                                                              "same"),
                                  ("3d_p2", (1, 4, 4, 5, 2), (2, 2, 2), None, "valid"),
                                  ("3d_p3_s2_same", (1, 5, 4, 3, 1), (3, 2, 3), (2, 2, 1), "same")]:
        for kind, op in (("max", ops.max_pool), ("average", ops.average_pool)):
            specs.append(OpSpec(
                f"{kind}_pool_{label}",
                lambda x, op=op, pool=pool, s=s, p=p: op(x, pool, strides=s, padding=p),
                (_grid(*xs),),
                lambda x, kind=kind, pool=pool, s=s, p=p: pool_reference(x, pool, s or pool, p, kind),
            ))
    # (label, input shape, kernel shape (spatial, out, in), strides, padding, output_padding, dilation)
    for label, xs, ks, s, p, op_, d in [
        ("1d_s2_valid", (2, 4, 3), (3, 2, 3), (2,), "valid", None, (1,)),
        ("1d_s3_same_op1", (1, 3, 2), (2, 2, 2), (3,), "same", (1,), (1,)),
        ("2d_s2_same", (1, 3, 3, 2), (3, 3, 2, 2), (2, 2), "same", None, (1, 1)),
        ("2d_s21_valid_op", (2, 3, 2, 2), (2, 3, 3, 2), (2, 1), "valid", (1, 0), (1, 1)),
        ("2d_d2_same", (1, 3, 4, 1), (3, 2, 2, 1), (1, 1), "same", None, (2, 2)),
        ("3d_s2_same", (1, 2, 3, 2, 2), (3, 2, 2, 1, 2), (2, 1, 2), "same", None, (1, 1, 1)),
        ("3d_s1_valid_d2", (1, 2, 2, 3, 1), (2, 2, 1, 2, 1), (1, 1, 1), "valid", None, (2, 1, 1)),
    ]:
        specs.append(OpSpec(
            f"conv_transpose_{label}",
            lambda x, k, s=s, p=p, o=op_, d=d: ops.conv_transpose(x, k, strides=s, padding=p, output_padding=o,
                                                                  dilation_rate=d),
            (_normal(*xs), _normal(*ks, scale=0.5)),
            lambda x, k, s=s, p=p, o=op_, d=d: transpose_reference(x, k, s, p, o, d),
        ))
    return specs
