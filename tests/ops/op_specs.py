"""One declarative spec per differentiable op in ``kerasette.ops``.

A spec names the op, how to draw its inputs, and what plain numpy says the
output must be. ``test_op_specs.py`` derives every check from it: the forward
value against the expectation, gradients against float64 central finite
differences, and float32 in -> float32 out and float32 gradients, on every
backend that loads.

Input generators take a ``numpy.random.Generator`` and return float64 arrays
(or bool arrays for conditions). Inputs of ops with kinks (relu, abs, max,
pooling, clip) are drawn away from the kinks, so finite differences are valid.
"""

import math
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

import numpy as np
from op_specs_convolution import convolution_specs

from kerasette import ops


@dataclass(frozen=True)
class OpSpec:
    name: str
    op: Callable  # called with one Tensor per input
    inputs: Tuple[Callable, ...]  # one generator per input: rng -> numpy array
    expected: Callable  # the same numpy arrays -> the expected numpy output
    wrt: Optional[Tuple[int, ...]] = None  # inputs to differentiate; None: every floating input
    rtol: float = 1e-10
    atol: float = 1e-12
    float32: bool = True  # also check that float32 stays float32


# ----- input generators ------------------------------------------------------
def normal(*shape, scale=1.0):
    return lambda rng: rng.standard_normal(shape) * scale


def uniform(*shape, low=-1.0, high=1.0):
    return lambda rng: rng.uniform(low, high, shape)


def away(*shape, kinks=(0.0,), gap=0.1, low=-2.0, high=2.0):
    """Uniform values, each at least ``gap`` from every kink."""

    def draw(rng):
        x = rng.uniform(low, high, shape)
        while True:
            near = np.zeros(shape, dtype=bool)
            for k in kinks:
                near |= np.abs(x - k) < gap
            if not near.any():
                return x
            x[near] = rng.uniform(low, high, int(near.sum()))

    return draw


def grid(*shape, offset=0.0):
    """Shuffled values 0.1 apart (plus jitter below 0.01): no ties, and with ``offset=0.05``
    none within 0.03 of another grid's values."""

    def draw(rng):
        n = int(np.prod(shape))
        values = (rng.permutation(n) - n // 2) * 0.1 + offset + rng.uniform(-0.01, 0.01, n)
        return values.reshape(shape)

    return draw


def nonzero(*shape, low=0.5, high=2.0):
    """Magnitudes in [low, high) with random signs."""
    return lambda rng: rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def boolean(*shape):
    return lambda rng: rng.random(shape) < 0.5


def with_zeros(*shape, low=-20.0, high=20.0):
    """Uniform values with a few exact zeros (the kink of the naive softplus)."""

    def draw(rng):
        x = rng.uniform(low, high, shape)
        x.reshape(-1)[:: 4] = 0.0
        return x

    return draw


# ----- plain numpy references -----------------------------------------------
_erf = np.vectorize(math.erf, otypes=[float])


def _unary_spec(name, op, reference, gen, **kw):
    return OpSpec(name, op, (gen,), reference, **kw)


def same_padding(size, window, stride, dilation=1):
    """TensorFlow's "same": output ceil(size / stride); the extra pixel of an odd total goes last."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (window - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv_reference(x, k, strides, padding, dilation):
    """Direct loops: out[b, i, j, o] = sum_{p, q, c} xp[b, i*sh + p*dh, j*sw + q*dw, c] * k[p, q, c, o]."""
    n, h, w, _ = x.shape
    kh, kw, _, co = k.shape
    (sh, sw), (dh, dw) = strides, dilation
    if padding == "same":
        (top, bottom), (left, right) = same_padding(h, kh, sh, dh), same_padding(w, kw, sw, dw)
    else:
        top = bottom = left = right = 0
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    oh = (h + top + bottom - (kh - 1) * dh - 1) // sh + 1
    ow = (w + left + right - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, co))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for p in range(kh):
                    for q in range(kw):
                        out[b, i, j] += xp[b, i * sh + p * dh, j * sw + q * dw] @ k[p, q]
    return out


def depthwise_reference(x, k, strides, padding, dilation):
    """Direct loops: out[b, i, j, c*M + m] = sum_{p, q} xp[b, i*sh + p*dh, j*sw + q*dw, c] * k[p, q, c, m]."""
    n, h, w, ci = x.shape
    kh, kw, _, mult = k.shape
    (sh, sw), (dh, dw) = strides, dilation
    if padding == "same":
        (top, bottom), (left, right) = same_padding(h, kh, sh, dh), same_padding(w, kw, sw, dw)
    else:
        top = bottom = left = right = 0
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    oh = (h + top + bottom - (kh - 1) * dh - 1) // sh + 1
    ow = (w + left + right - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, ci * mult))
    for i in range(oh):
        for j in range(ow):
            for p in range(kh):
                for q in range(kw):
                    for c in range(ci):
                        for m in range(mult):
                            out[:, i, j, c * mult + m] += xp[:, i * sh + p * dh, j * sw + q * dw, c] * k[p, q, c, m]
    return out


def pool_reference(x, pool, strides, padding, kind):
    """Direct loops over windows; "same" windows see only the real pixels (max ignores the
    padding, average divides by the count of real pixels)."""
    n, h, w, c = x.shape
    (ph, pw), (sh, sw) = pool, strides
    if padding == "same":
        (top, _), (left, _) = same_padding(h, ph, sh), same_padding(w, pw, sw)
        oh, ow = -(-h // sh), -(-w // sw)
    else:
        top = left = 0
        oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            window = x[:, max(r0, 0) : r0 + ph, max(c0, 0) : c0 + pw, :]
            out[:, i, j, :] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return out


def softmax_reference(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def elu_reference(x, alpha):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


# ----- the specs ---------------------------------------------------------------
def _binary_specs():
    shapes = [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((4,), (2, 3, 1)), ((), (3, 4))]
    table = [
        ("add", ops.add, np.add, normal, normal),
        ("subtract", ops.subtract, np.subtract, normal, normal),
        ("multiply", ops.multiply, np.multiply, normal, normal),
        ("divide", ops.divide, np.divide, normal, nonzero),
        ("power", ops.power, np.power, lambda *s: uniform(*s, low=0.5, high=2.0), lambda *s: uniform(*s, low=-2.0)),
        ("maximum", ops.maximum, np.maximum, grid, lambda *s: grid(*s, offset=0.05)),
        ("minimum", ops.minimum, np.minimum, grid, lambda *s: grid(*s, offset=0.05)),
    ]
    specs = []
    for name, op, reference, gen_a, gen_b in table:
        for sa, sb in shapes:
            specs.append(OpSpec(f"{name}{sa}{sb}", op, (gen_a(*sa), gen_b(*sb)), reference))
    specs += [
        OpSpec("true_divide", ops.true_divide, (normal(3, 4), nonzero(3, 4)), np.true_divide),
        OpSpec("power_scalar_exponent_3", lambda x: ops.power(x, 3), (normal(3, 4),), lambda x: x**3),
        OpSpec("power_scalar_exponent_2.5", lambda x: ops.power(x, 2.5), (uniform(3, 4, low=0.2, high=2),),
               lambda x: x**2.5),
        OpSpec("power_scalar_base", lambda x: ops.power(2.0, x), (normal(3, 4),), lambda x: 2.0**x),
        OpSpec("where", ops.where, (boolean(3, 4), normal(3, 4), normal(3, 4)), np.where),
        OpSpec("where_broadcast", ops.where, (boolean(3, 4), normal(3, 1), normal(4)), np.where),
        OpSpec("where_scalar_branch", lambda c, x: ops.where(c, x, 0.5), (boolean(2, 5), normal(2, 5)),
               lambda c, x: np.where(c, x, 0.5)),
    ]
    return specs


def _unary_specs():
    table = [
        ("negative", ops.negative, np.negative, normal(3, 4)),
        ("abs", ops.abs, np.abs, away(3, 4)),
        ("square", ops.square, np.square, normal(3, 4)),
        ("sqrt", ops.sqrt, np.sqrt, uniform(3, 4, low=0.3, high=3.0)),
        ("exp", ops.exp, np.exp, uniform(3, 4, low=-2.0, high=2.0)),
        ("log", ops.log, np.log, uniform(3, 4, low=0.3, high=3.0)),
        ("log1p", ops.log1p, np.log1p, uniform(3, 4, low=-0.5, high=2.0)),
        ("tanh", ops.tanh, np.tanh, normal(3, 4, scale=2.0)),
        ("sigmoid", ops.sigmoid, lambda x: 1.0 / (1.0 + np.exp(-x)), uniform(4, 5, low=-30.0, high=30.0)),
        ("erf", ops.erf, _erf, uniform(4, 6, low=-3.5, high=3.5)),
        ("clip", lambda x: ops.clip(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5),
         away(3, 4, kinks=(-0.5, 0.5), low=-1.5, high=1.5)),
    ]
    specs = [_unary_spec(name, op, ref, gen) for name, op, ref, gen in table]
    specs += [
        # cast has no finite-difference check (float32 rounding); test_op_specs checks its gradient.
        OpSpec("cast_float32", lambda x: ops.cast(x, "float32"), (normal(3, 4),),
               lambda x: x.astype(np.float32), wrt=(), rtol=0, atol=0, float32=False),
        OpSpec("cast_int32", lambda x: ops.cast(x, "int32"), (normal(3, 4, scale=5.0),),
               lambda x: x.astype(np.int32), wrt=(), rtol=0, atol=0, float32=False),
    ]
    return specs


def _reduction_specs():
    table = [
        ("sum", ops.sum, np.sum, normal),
        ("mean", ops.mean, np.mean, normal),
        ("max", ops.max, np.max, grid),
        ("min", ops.min, np.min, grid),
    ]
    specs = []
    for name, op, reference, gen in table:
        for axis in (None, 0, -1, (0, 2)):
            for keepdims in (False, True):
                specs.append(OpSpec(
                    f"{name}_axis{axis}_keepdims{keepdims}",
                    lambda x, op=op, axis=axis, keepdims=keepdims: op(x, axis=axis, keepdims=keepdims),
                    (gen(2, 3, 4),),
                    lambda x, reference=reference, axis=axis, keepdims=keepdims: reference(
                        x, axis=axis, keepdims=keepdims),
                ))
    for name, op, reference in (("var", ops.var, np.var), ("std", ops.std, np.std)):
        for axis, keepdims in ((None, False), (1, True), ((0, 2), False)):
            specs.append(OpSpec(
                f"{name}_axis{axis}_keepdims{keepdims}",
                lambda x, op=op, axis=axis, keepdims=keepdims: op(x, axis=axis, keepdims=keepdims),
                (normal(2, 3, 4),),
                lambda x, reference=reference, axis=axis, keepdims=keepdims: reference(
                    x, axis=axis, keepdims=keepdims),
            ))
    return specs


def _shape_specs():
    specs = []
    for new_shape in ((4, 6), (-1,), (2, -1, 2)):
        specs.append(OpSpec(f"reshape{new_shape}", lambda x, s=new_shape: ops.reshape(x, s), (normal(2, 3, 4),),
                            lambda x, s=new_shape: x.reshape(s)))
    for axes in (None, (1, 0, 2), (-1, 0, 1)):
        specs.append(OpSpec(f"transpose{axes}", lambda x, a=axes: ops.transpose(x, a), (normal(2, 3, 4),),
                            lambda x, a=axes: np.transpose(x, a)))
    for shape, target in (((3, 1), (2, 3, 4)), ((4,), (3, 4)), ((1, 1), (2, 3))):
        specs.append(OpSpec(f"broadcast_to{shape}->{target}", lambda x, t=target: ops.broadcast_to(x, t),
                            (normal(*shape),), lambda x, t=target: np.broadcast_to(x, t)))
    for axis in (0, 1, -1):
        specs.append(OpSpec(f"expand_dims_axis{axis}", lambda x, a=axis: ops.expand_dims(x, a), (normal(2, 3),),
                            lambda x, a=axis: np.expand_dims(x, a)))
    specs += [
        OpSpec("squeeze_all", ops.squeeze, (normal(1, 3, 1, 4),), np.squeeze),
        OpSpec("squeeze_axis2", lambda x: ops.squeeze(x, 2), (normal(1, 3, 1, 4),), lambda x: np.squeeze(x, 2)),
        OpSpec("concatenate_axis0", lambda a, b, c: ops.concatenate([a, b, c], axis=0),
               (normal(1, 3), normal(2, 3), normal(4, 3)), lambda a, b, c: np.concatenate([a, b, c], axis=0)),
        OpSpec("concatenate_axis-1", lambda a, b: ops.concatenate([a, b], axis=-1),
               (normal(2, 2, 2), normal(2, 2, 3)), lambda a, b: np.concatenate([a, b], axis=-1)),
        OpSpec("stack_axis0", lambda a, b, c: ops.stack([a, b, c]), (normal(2, 3), normal(2, 3), normal(2, 3)),
               lambda a, b, c: np.stack([a, b, c])),
        OpSpec("stack_axis-1", lambda a, b: ops.stack([a, b], axis=-1), (normal(2, 3), normal(2, 3)),
               lambda a, b: np.stack([a, b], axis=-1)),
        OpSpec("flatten_batch", ops.flatten_batch, (normal(2, 3, 4),), lambda x: x.reshape(2, 12)),
        OpSpec("slice", lambda x: ops.slice(x, [1, 0], [2, 4]), (normal(4, 5),), lambda x: x[1:3, 0:4]),
        OpSpec("pad", lambda x: ops.pad(x, ((1, 2), (0, 1))), (normal(2, 3),),
               lambda x: np.pad(x, ((1, 2), (0, 1)))),
        OpSpec("pad_int_for_every_axis", lambda x: ops.pad(x, 1), (normal(2, 3),), lambda x: np.pad(x, 1)),
        OpSpec("pad_pair_for_every_axis", lambda x: ops.pad(x, (2, 1)), (normal(2, 3),), lambda x: np.pad(x, (2, 1))),
        OpSpec("pad_constant_3d", lambda x: ops.pad(x, ((0, 1), (2, 0), (1, 1)), constant_values=1.5),
               (normal(2, 2, 3),), lambda x: np.pad(x, ((0, 1), (2, 0), (1, 1)), constant_values=1.5)),
    ]
    keys = {
        "int": 1,
        "negative_int": -1,
        "slices": (slice(None), slice(1, 3)),
        "int_ellipsis_int": (-1, Ellipsis, 2),
        "newaxis": (None, 0),
        "open_slices": (slice(1, None), slice(None, -1), 0),
    }
    for label, key in keys.items():
        specs.append(OpSpec(f"getitem_{label}", lambda x, k=key: x[k], (normal(3, 4, 5),), lambda x, k=key: x[k]))
    return specs


def _matmul_specs():
    pairs = [((3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)),
             ((1, 3, 4), (2, 4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (4,))]
    specs = [OpSpec(f"matmul{sa}{sb}", ops.matmul, (normal(*sa), normal(*sb)), np.matmul) for sa, sb in pairs]
    return specs + [OpSpec("dot", ops.dot, (normal(3, 4), normal(4, 2)), np.dot)]


def _activation_specs():
    sqrt_2_over_pi = math.sqrt(2.0 / math.pi)
    return [
        OpSpec("relu", ops.relu, (away(3, 4),), lambda x: np.maximum(x, 0.0)),
        # x stays 0.2 from the kink and |bias| < 0.05, so x + bias never comes near 0.
        OpSpec("bias_add_relu", ops.bias_add_relu, (away(3, 4, gap=0.2), uniform(4, low=-0.05, high=0.05)),
               lambda x, b: np.maximum(x + b, 0.0)),
        OpSpec("bias_add_relu_nhwc", ops.bias_add_relu, (away(2, 3, 3, 5, gap=0.2), uniform(5, low=-0.05, high=0.05)),
               lambda x, b: np.maximum(x + b, 0.0)),
        OpSpec("relu6", ops.relu6, (away(3, 5, kinks=(0.0, 6.0), low=-2.0, high=8.0),), lambda x: np.clip(x, 0, 6)),
        OpSpec("leaky_relu", ops.leaky_relu, (away(3, 4),), lambda x: np.where(x > 0, x, 0.2 * x)),
        OpSpec("leaky_relu_0.1", lambda x: ops.leaky_relu(x, negative_slope=0.1), (away(3, 4),),
               lambda x: np.where(x > 0, x, 0.1 * x)),
        OpSpec("elu", ops.elu, (away(3, 4),), lambda x: elu_reference(x, 1.0)),
        OpSpec("elu_alpha0.5", lambda x: ops.elu(x, alpha=0.5), (away(3, 4),), lambda x: elu_reference(x, 0.5)),
        OpSpec("selu", ops.selu, (away(3, 4),), lambda x: SELU_SCALE * elu_reference(x, SELU_ALPHA)),
        OpSpec("softplus", ops.softplus, (with_zeros(4, 5),), lambda x: np.logaddexp(0.0, x)),
        OpSpec("swish", ops.swish, (normal(3, 4),), lambda x: x / (1.0 + np.exp(-x))),
        OpSpec("silu", ops.silu, (normal(3, 4, scale=3.0),), lambda x: x / (1.0 + np.exp(-x))),
        OpSpec("gelu_tanh", ops.gelu, (normal(3, 4, scale=3.0),),
               lambda x: 0.5 * x * (1.0 + np.tanh(sqrt_2_over_pi * (x + 0.044715 * x**3)))),
        OpSpec("gelu_erf", lambda x: ops.gelu(x, approximate=False), (normal(3, 4, scale=3.0),),
               lambda x: 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))),
        OpSpec("softmax", ops.softmax, (normal(3, 5, scale=3.0),), lambda x: softmax_reference(x, -1)),
        OpSpec("softmax_axis0", lambda x: ops.softmax(x, axis=0), (normal(4, 3),), lambda x: softmax_reference(x, 0)),
        OpSpec("softmax_axis1_3d", lambda x: ops.softmax(x, axis=1), (normal(2, 3, 4),),
               lambda x: softmax_reference(x, 1)),
        OpSpec("log_softmax", ops.log_softmax, (normal(3, 5, scale=3.0),),
               lambda x: np.log(softmax_reference(x, -1))),
        OpSpec("log_softmax_axis1_3d", lambda x: ops.log_softmax(x, axis=1), (normal(2, 3, 4),),
               lambda x: np.log(softmax_reference(x, 1))),
    ]


def _conv_specs():
    # (label, input shape, kernel shape, strides, padding, dilation). Up to 8 input channels the
    # numpy backend uses one im2col GEMM; above it, stride 1 runs one GEMM per kernel row on shifted
    # row blocks, other strides one GEMM per kernel tap: all three are covered.
    cases = [
        ("c1_s1_valid", (2, 5, 6, 1), (3, 3, 1, 2), (1, 1), "valid", (1, 1)),
        ("c1_s2_same_even_kernel", (1, 5, 5, 1), (2, 2, 1, 1), (2, 2), "same", (1, 1)),
        ("c3_s2_same", (1, 7, 6, 3), (3, 3, 3, 2), (2, 2), "same", (1, 1)),
        ("c3_d2_valid", (1, 7, 7, 3), (3, 3, 3, 2), (1, 1), "valid", (2, 2)),
        ("c9_s1_same_d2", (1, 6, 7, 9), (3, 3, 9, 2), (1, 1), "same", (2, 2)),
        ("c10_s2_valid_odd", (1, 7, 8, 10), (2, 3, 10, 3), (2, 2), "valid", (1, 1)),
        ("c9_s21_same_1x3", (1, 5, 6, 9), (1, 3, 9, 2), (2, 1), "same", (1, 1)),
        ("c9_s1_valid_batch2", (2, 6, 7, 9), (3, 3, 9, 4), (1, 1), "valid", (1, 1)),
        ("c12_s1_same_2x3", (2, 5, 6, 12), (2, 3, 12, 3), (1, 1), "same", (1, 1)),
        ("c10_s1_valid_1x1", (2, 4, 5, 10), (1, 1, 10, 3), (1, 1), "valid", (1, 1)),
        ("c9_s1_valid_d21_3x1", (2, 7, 5, 9), (3, 1, 9, 2), (1, 1), "valid", (2, 1)),
    ]
    specs = []
    for label, x_shape, k_shape, strides, padding, dilation in cases:
        # The fused op, with a bias that keeps every output away from the ReLU's kink (away_from_relu_kink).
        # The bias input is small (|b| < 0.05, below every margin) and differentiated like x and k.
        specs.append(OpSpec(
            f"conv_bias_relu_{label}",
            lambda x, k, b, s=strides, p=padding, d=dilation: ops.conv_bias_relu(
                x, k, ops.add(b, ops.convert_to_tensor(away_from_relu_kink(x, k, s, p, d), dtype=x.dtype)),
                strides=s, padding=p, dilation_rate=d),
            (normal(*x_shape), normal(*k_shape, scale=0.5), uniform(k_shape[3], low=-0.05, high=0.05)),
            lambda x, k, b, s=strides, p=padding, d=dilation: conv_bias_relu_reference(x, k, b, s, p, d),
        ))
        specs.append(OpSpec(
            f"conv_{label}",
            lambda x, k, s=strides, p=padding, d=dilation: ops.conv(x, k, strides=s, padding=p, dilation_rate=d),
            (normal(*x_shape), normal(*k_shape, scale=0.5)),
            lambda x, k, s=strides, p=padding, d=dilation: conv_reference(x, k, s, p, d),
        ))
    return specs


def away_from_relu_kink(x, k, strides, padding, dilation):
    """A bias (one value per output channel) that keeps every convolution output away from 0, the ReLU's
    kink, with outputs on each side: channel o's bias centres on 0 the largest gap between its sorted
    outputs in their middle half, rounded to 0.01 so that finite-difference steps leave it unchanged."""
    out = conv_reference(np.asarray(x, np.float64), np.asarray(k, np.float64), strides, padding, dilation)
    bias = []
    for o in range(out.shape[-1]):
        values = np.sort(out[..., o].ravel())
        if values.size < 2:
            bias.append(0.5 - values[0])
            continue
        low, high = values.size // 4, max(values.size - values.size // 4, values.size // 4 + 2)
        middle = values[low:high]
        i = int(np.argmax(np.diff(middle)))
        bias.append(-(middle[i] + middle[i + 1]) / 2)
    return np.round(bias, 2)  # constant under the 1e-6 steps, so the bias adds no gradient of its own


def conv_bias_relu_reference(x, k, b, strides, padding, dilation):
    bias = b + away_from_relu_kink(x, k, strides, padding, dilation)
    return np.maximum(conv_reference(x, k, strides, padding, dilation) + bias, 0.0)


def _depthwise_specs():
    # (label, input shape, depthwise kernel shape, strides, padding, dilation)
    cases = [
        ("m1_s1_valid", (2, 5, 6, 3), (3, 3, 3, 1), (1, 1), "valid", (1, 1)),
        ("m2_s2_same_odd", (1, 7, 5, 2), (3, 3, 2, 2), (2, 2), "same", (1, 1)),
        ("m1_s2_valid_even_kernel", (1, 7, 8, 3), (2, 2, 3, 1), (2, 2), "valid", (1, 1)),
        ("m2_d2_same", (1, 7, 6, 2), (3, 3, 2, 2), (1, 1), "same", (2, 2)),
        ("m3_d2_valid_2x3", (1, 7, 8, 2), (2, 3, 2, 3), (1, 1), "valid", (2, 2)),
        ("m1_s21_same_1x3", (2, 5, 6, 4), (1, 3, 4, 1), (2, 1), "same", (1, 1)),
    ]
    specs = []
    for label, x_shape, k_shape, strides, padding, dilation in cases:
        specs.append(OpSpec(
            f"depthwise_conv_{label}",
            lambda x, k, s=strides, p=padding, d=dilation: ops.depthwise_conv(x, k, strides=s, padding=p,
                                                                              dilation_rate=d),
            (normal(*x_shape), normal(*k_shape, scale=0.5)),
            lambda x, k, s=strides, p=padding, d=dilation: depthwise_reference(x, k, s, p, d),
        ))
    # (label, input shape, depthwise kernel shape, filters, strides, padding, dilation)
    separable = [
        ("m1_s1_valid", (2, 5, 6, 3), (3, 3, 3, 1), 2, (1, 1), "valid", (1, 1)),
        ("m2_s2_same", (1, 7, 5, 2), (3, 3, 2, 2), 3, (2, 2), "same", (1, 1)),
        ("m2_d2_same", (1, 6, 7, 5), (3, 3, 5, 2), 2, (1, 1), "same", (2, 2)),  # 10 channels: per-tap GEMM
    ]
    for label, x_shape, k_shape, filters, strides, padding, dilation in separable:
        pointwise_shape = (1, 1, k_shape[2] * k_shape[3], filters)
        specs.append(OpSpec(
            f"separable_conv_{label}",
            lambda x, dk, pk, s=strides, p=padding, d=dilation: ops.separable_conv(x, dk, pk, strides=s, padding=p,
                                                                                   dilation_rate=d),
            (normal(*x_shape), normal(*k_shape, scale=0.5), normal(*pointwise_shape, scale=0.5)),
            lambda x, dk, pk, s=strides, p=padding, d=dilation: depthwise_reference(x, dk, s, p, d) @ pk[0, 0],
        ))
    return specs


def _take_specs():
    def indices(*values):
        return lambda rng: np.array(values, dtype=np.int64)

    # (label, x shape, indices, axis): repeated indices must add their gradients up
    cases = [
        ("axis0_repeated", (5, 3), indices(4, 0, 4, 2, 4), 0),
        ("axis1_2d_indices_repeated", (2, 4, 3), indices([1, 1], [3, 0]), 1),
        ("axis-1_negative", (3, 4), indices(-1, 0, -4, 3), -1),
        ("flattened", (3, 4), indices([11, 0], [5, 5]), None),
        ("axis0_scalar_index", (4, 3), indices(2), 0),
    ]
    return [
        OpSpec(f"take_{label}", lambda x, i, a=axis: ops.take(x, i, axis=a), (normal(*shape), idx),
               lambda x, i, a=axis: np.take(x, i, axis=a))
        for label, shape, idx, axis in cases
    ]


def _pool_specs():
    # (label, input shape, pool size, strides, padding)
    cases = [
        ("p2_valid", (1, 4, 6, 2), (2, 2), None, "valid"),
        ("p3_s2_valid_overlap", (2, 7, 8, 2), (3, 3), (2, 2), "valid"),
        ("p3_s2_same", (1, 5, 6, 2), (3, 3), (2, 2), "same"),
        ("p2_s1_same", (1, 5, 5, 2), (2, 2), (1, 1), "same"),
        ("p23_s12_valid", (1, 6, 7, 2), (2, 3), (1, 2), "valid"),
        ("p2_s2_same_odd", (1, 7, 5, 1), (2, 2), (2, 2), "same"),
    ]
    specs = []
    for kind, op in (("max", ops.max_pool), ("average", ops.average_pool)):
        for label, shape, pool, strides, padding in cases:
            specs.append(OpSpec(
                f"{kind}_pool_{label}",
                lambda x, op=op, pool=pool, s=strides, p=padding: op(x, pool, strides=s, padding=p),
                (grid(*shape),),
                lambda x, kind=kind, pool=pool, s=strides, p=padding: pool_reference(x, pool, s or pool, p, kind),
            ))
    return specs


# Public names of kerasette.ops that need no spec, and why. Any other public function must be
# the subject of a spec (a spec named after it, or "<name>_..." / "<name>(..."): see
# test_every_op_has_a_spec.
NOT_SPECCED = {
    "not differentiable": ("argmax", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal",
                           "logical_and", "logical_not", "isfinite", "sign", "one_hot", "shape"),
    "creation and conversion": ("zeros", "ones", "full", "zeros_like", "ones_like", "convert_to_tensor",
                                "convert_to_numpy", "floatx", "is_tensor", "explicit_padding"),
    "tape machinery (tests in test_autodiff_tape.py)": ("GradientTape", "gradient", "is_recording", "stop_recording",
                                                        "stop_gradient", "make_tensor"),
    "classes": ("Tensor", "Variable", "SeedGenerator"),
}

SPECS = (_binary_specs() + _unary_specs() + _reduction_specs() + _shape_specs() + _matmul_specs()
         + _activation_specs() + _conv_specs() + _depthwise_specs() + _take_specs() + _pool_specs()
         + convolution_specs(OpSpec))

from op_specs_more import MORE_NOT_SPECCED, MORE_SPECS  # noqa: E402 - built on the generators above

SPECS = SPECS + MORE_SPECS
NOT_SPECCED = {**NOT_SPECCED, **MORE_NOT_SPECCED}

assert len({s.name for s in SPECS}) == len(SPECS), "spec names must be unique"
