"""OpenCL convolution and pooling primitives against the numpy backend, on odd shapes and every combination of
strides, padding, dilation, kernel size and depth multiplier, in both kernel forms (per pixel and per element)."""

import itertools

import numpy as np
import pytest

pytest.importorskip("pyopencl")

from kerasette.ops.nn import explicit_padding  # noqa: E402

SIZES = (1, 3, 7, 17)
CHANNELS = ((1, 3), (3, 17), (17, 1))
KERNELS = ((1, 1), (3, 3), (2, 3))
STRIDES = ((1, 1), (2, 2), (3, 3), (1, 3))
PADDINGS = ("valid", "same", "explicit")
DILATIONS = ((1, 1), (2, 2))
DTYPES = ("float32", "float64")
TOLERANCE = {"float32": 2e-5, "float64": 1e-12}


@pytest.fixture(scope="module", autouse=True, params=["per_pixel", "per_element"])
def work_split(request, ocl):
    """Both kernel forms on whatever device runs the tests: per pixel (CPUs) and per element (GPUs)."""
    from kerasette.backends.opencl import conv, pool

    with pytest.MonkeyPatch.context() as patch:
        for module in (conv, pool):
            patch.setattr(module, "_per_pixel", lambda split=request.param: split == "per_pixel")
        yield request.param


def _geometry(case, window, dilation, strides, mode):
    """(H, W) taken from SIZES by the case number (grown where the window does not fit) and explicit padding."""
    h, w = SIZES[case % len(SIZES)], SIZES[(case + 1) % len(SIZES)]
    if mode == "explicit":
        pads = ((2, 1), (0, 2))
    elif mode == "same":
        pads = explicit_padding("same", (h, w), window, strides, dilation)
    else:
        pads = ((0, 0), (0, 0))
    span = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    h = h if h + sum(pads[0]) >= span[0] else next(s for s in SIZES if s + sum(pads[0]) >= span[0])
    w = w if w + sum(pads[1]) >= span[1] else next(s for s in SIZES if s + sum(pads[1]) >= span[1])
    if mode == "same":
        pads = explicit_padding("same", (h, w), window, strides, dilation)
    return (h, w), pads


def _close(ocl, expected, got, dtype):
    got = ocl.to_numpy(got)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(got, expected, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype] * scale)


CONV_CASES = list(itertools.product(KERNELS, STRIDES, PADDINGS, DILATIONS))


@pytest.mark.parametrize("case", range(len(CONV_CASES)),
                         ids=lambda i: "k{}x{}-s{}x{}-{}-d{}".format(*CONV_CASES[i][0], *CONV_CASES[i][1],
                                                                    CONV_CASES[i][2], CONV_CASES[i][3][0]))
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_and_gradients(ocl, npb, case, dtype):
    window, strides, mode, dilation = CONV_CASES[case]
    (h, w), pads = _geometry(case, window, dilation, strides, mode)
    c, o = CHANNELS[case % len(CHANNELS)]
    rng = np.random.default_rng(case)
    x = rng.standard_normal((2, h, w, c)).astype(dtype)
    k = rng.standard_normal(window + (c, o)).astype(dtype)
    y = npb.conv2d(x, k, strides, pads, dilation)
    g = rng.standard_normal(y.shape).astype(dtype)
    xd, kd, gd = ocl.asarray(x), ocl.asarray(k), ocl.asarray(g)
    _close(ocl, y, ocl.conv2d(xd, kd, strides, pads, dilation), dtype)
    _close(ocl, npb.conv2d_backward_input(g, k, x.shape, strides, pads, dilation),
           ocl.conv2d_backward_input(gd, kd, x.shape, strides, pads, dilation), dtype)
    _close(ocl, npb.conv2d_backward_kernel(x, g, k.shape, strides, pads, dilation),
           ocl.conv2d_backward_kernel(xd, gd, k.shape, strides, pads, dilation), dtype)


@pytest.mark.parametrize("case", range(0, len(CONV_CASES), 3))
@pytest.mark.parametrize("dtype", DTYPES)
def test_conv2d_bias_relu_and_backward(ocl, npb, case, dtype):
    window, strides, mode, dilation = CONV_CASES[case]
    (h, w), pads = _geometry(case, window, dilation, strides, mode)
    c, o = CHANNELS[(case + 1) % len(CHANNELS)]
    rng = np.random.default_rng(100 + case)
    x = rng.standard_normal((3, h, w, c)).astype(dtype)
    k = rng.standard_normal(window + (c, o)).astype(dtype)
    b = rng.standard_normal(o).astype(dtype)
    y = npb.conv2d_bias_relu(x, k, b, strides, pads, dilation)
    yd = ocl.conv2d_bias_relu(x, k, b, strides, pads, dilation)  # numpy inputs are accepted too
    _close(ocl, y, yd, dtype)
    g = rng.standard_normal(y.shape).astype(dtype)
    for input_grad in (True, False):
        expected = npb.conv2d_bias_relu_backward(x, y, g, k, strides, pads, dilation, input_grad)
        got = ocl.conv2d_bias_relu_backward(ocl.asarray(x), yd, ocl.asarray(g), ocl.asarray(k), strides, pads,
                                            dilation, input_grad)
        assert (got[0] is None) == (not input_grad)
        for e, a in zip(expected, got):
            if e is not None:
                _close(ocl, e, a, dtype)


def test_conv_chunks_over_the_batch(ocl, npb, monkeypatch):
    """With a tiny im2col budget every image is its own chunk; the results do not change."""
    from kerasette.backends.opencl import conv

    monkeypatch.setattr(conv, "_COLS_BYTES", 1)
    rng = np.random.default_rng(7)
    strides, pads, dilation = (2, 1), ((1, 2), (0, 1)), (1, 2)
    x = rng.standard_normal((4, 7, 9, 3))
    k = rng.standard_normal((3, 2, 3, 5))
    b = rng.standard_normal(5)
    y = npb.conv2d(x, k, strides, pads, dilation)
    g = rng.standard_normal(y.shape)
    _close(ocl, y, ocl.conv2d(x, k, strides, pads, dilation), "float64")
    _close(ocl, npb.conv2d_backward_input(g, k, x.shape, strides, pads, dilation),
           ocl.conv2d_backward_input(g, k, x.shape, strides, pads, dilation), "float64")
    _close(ocl, npb.conv2d_backward_kernel(x, g, k.shape, strides, pads, dilation),
           ocl.conv2d_backward_kernel(x, g, k.shape, strides, pads, dilation), "float64")
    yr = npb.conv2d_bias_relu(x, k, b, strides, pads, dilation)
    for e, a in zip(npb.conv2d_bias_relu_backward(x, yr, g, k, strides, pads, dilation, True),
                    ocl.conv2d_bias_relu_backward(x, yr, g, k, strides, pads, dilation, True)):
        _close(ocl, e, a, "float64")


@pytest.mark.parametrize("min_rows", [1, 5, 1 << 30])
def test_kernel_gradient_split_over_rows(ocl, npb, monkeypatch, min_rows):
    """The kernel gradient's product split into row slices (split-K) sums to the same gradient."""
    from kerasette.backends.opencl import conv

    monkeypatch.setattr(conv, "_MIN_SLICE_ROWS", min_rows)
    rng = np.random.default_rng(min_rows)
    x, k = rng.standard_normal((3, 9, 8, 2)), rng.standard_normal((2, 3, 2, 3))
    pads = ((1, 0), (1, 1))
    g = rng.standard_normal(npb.conv2d(x, k, (1, 1), pads, (1, 1)).shape)  # 3*8*8 = 192 rows
    _close(ocl, npb.conv2d_backward_kernel(x, g, k.shape, (1, 1), pads, (1, 1)),
           ocl.conv2d_backward_kernel(x, g, k.shape, (1, 1), pads, (1, 1)), "float64")


def test_conv_reads_nothing_back_to_the_host(ocl):
    from kerasette.backends.opencl import debug

    rng = np.random.default_rng(3)
    x, k, b, dk = (ocl.asarray(rng.standard_normal(s).astype("float32"))
                   for s in ((2, 5, 5, 3), (3, 3, 3, 4), (4,), (3, 3, 3, 2)))
    same, valid = ((1, 1), (1, 1)), ((0, 0), (0, 0))
    before = debug.counters()
    y = ocl.conv2d_bias_relu(x, k, b, (1, 1), same, (1, 1))
    ocl.conv2d_bias_relu_backward(x, y, y, k, (1, 1), same, (1, 1), True)
    yd = ocl.depthwise_conv2d(x, dk, (1, 1), valid, (1, 1))
    ocl.depthwise_conv2d_backward_input(yd, dk, x.shape, (1, 1), valid, (1, 1))
    ocl.depthwise_conv2d_backward_kernel(x, yd, dk.shape, (1, 1), valid, (1, 1))
    yp = ocl.max_pool2d(x, (2, 2), (2, 2), valid)
    ocl.max_pool2d_backward(x, yp, yp, (2, 2), (2, 2), valid)
    ocl.avg_pool2d_backward(ocl.avg_pool2d(x, (3, 3), (2, 2), same), x.shape, (3, 3), (2, 2), same)
    after = debug.counters()
    assert after["device_to_host"] == before["device_to_host"]
    assert after["host_to_device"] == before["host_to_device"]


DEPTHWISE_CASES = list(itertools.product(KERNELS, STRIDES[:3], PADDINGS[:2], DILATIONS, (1, 2)))


@pytest.mark.parametrize("case", range(len(DEPTHWISE_CASES)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_depthwise_conv2d_and_gradients(ocl, npb, case, dtype):
    window, strides, mode, dilation, multiplier = DEPTHWISE_CASES[case]
    (h, w), pads = _geometry(case, window, dilation, strides, mode)
    c = CHANNELS[case % len(CHANNELS)][0]
    rng = np.random.default_rng(200 + case)
    x = rng.standard_normal((2, h, w, c)).astype(dtype)
    k = rng.standard_normal(window + (c, multiplier)).astype(dtype)
    y = npb.depthwise_conv2d(x, k, strides, pads, dilation)
    g = rng.standard_normal(y.shape).astype(dtype)
    xd, kd, gd = ocl.asarray(x), ocl.asarray(k), ocl.asarray(g)
    _close(ocl, y, ocl.depthwise_conv2d(xd, kd, strides, pads, dilation), dtype)
    _close(ocl, npb.depthwise_conv2d_backward_input(g, k, x.shape, strides, pads, dilation),
           ocl.depthwise_conv2d_backward_input(gd, kd, x.shape, strides, pads, dilation), dtype)
    _close(ocl, npb.depthwise_conv2d_backward_kernel(x, g, k.shape, strides, pads, dilation),
           ocl.depthwise_conv2d_backward_kernel(xd, gd, k.shape, strides, pads, dilation), dtype)


POOL_CASES = list(itertools.product(((1, 1), (2, 2), (3, 3), (2, 3)), (None, (1, 1), (2, 2), (3, 2)),
                                    PADDINGS[:2]))


@pytest.mark.parametrize("case", range(len(POOL_CASES)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_pooling_and_gradients(ocl, npb, case, dtype):
    pool, strides, mode = POOL_CASES[case]
    strides = strides or pool
    (h, w), pads = _geometry(case, pool, (1, 1), strides, mode)
    c = CHANNELS[case % len(CHANNELS)][1]
    rng = np.random.default_rng(300 + case)
    x = rng.standard_normal((2, h, w, c)).astype(dtype)
    if case % 2:
        x = np.round(x)  # ties: the gradient goes to each window's first maximum
    xd = ocl.asarray(x)
    for kind in ("max", "avg"):
        y = getattr(npb, f"{kind}_pool2d")(x, pool, strides, pads)
        yd = getattr(ocl, f"{kind}_pool2d")(xd, pool, strides, pads)
        _close(ocl, y, yd, dtype)
        g = rng.standard_normal(y.shape).astype(dtype)
        if kind == "max":
            expected = npb.max_pool2d_backward(x, y, g, pool, strides, pads)
            got = ocl.max_pool2d_backward(xd, yd, ocl.asarray(g), pool, strides, pads)
        else:
            expected = npb.avg_pool2d_backward(g, x.shape, pool, strides, pads)
            got = ocl.avg_pool2d_backward(ocl.asarray(g), x.shape, pool, strides, pads)
        _close(ocl, expected, got, dtype)


def test_overlapping_max_pool_with_same_padding(ocl, npb):
    """Pool 3, stride 2, same padding: windows overlap, and tied maxima sit in several windows at once."""
    rng = np.random.default_rng(11)
    x = np.round(rng.standard_normal((3, 17, 7, 5)) * 2).astype("float32")
    pads = explicit_padding("same", (17, 7), (3, 3), (2, 2))
    y = npb.max_pool2d(x, (3, 3), (2, 2), pads)
    g = rng.standard_normal(y.shape).astype("float32")
    _close(ocl, npb.max_pool2d_backward(x, y, g, (3, 3), (2, 2), pads),
           ocl.max_pool2d_backward(x, ocl.max_pool2d(x, (3, 3), (2, 2), pads), g, (3, 3), (2, 2), pads), "float32")
    _close(ocl, npb.avg_pool2d_backward(g, x.shape, (3, 3), (2, 2), pads),
           ocl.avg_pool2d_backward(g, x.shape, (3, 3), (2, 2), pads), "float32")
