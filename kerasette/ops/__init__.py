"""Differentiable ops, named as in ``keras.ops``.

Layers and models compute only through these functions; each dispatches to
the active backend and records itself for autodiff when a tape is open, with
gradient rules written in these same ops. The ops live in modules by concept
(``elementwise``, ``reductions``, ``shapes``, ``linalg``, ``creation``,
``nn``, and for the rest of Keras 3's ``keras.ops``: ``trigonometric``,
``exponential``, ``rounding``, ``logic``, ``bitwise``, ``reducing``,
``statistics``, ``scans``, ``sorting``, ``indexing``, ``manipulation``,
``padding``, ``ranges``, ``tensor_products``, ``decompositions``, ``signal``,
``nn_activations``, ``nn_losses``, ``nn_spatial``, ``normalization``,
``attention``, ``encoding``, ``control_flow``, ``differentiation``,
``dtypes``, ``rearrange``, ``keras_forms``); the fused in-place optimizer
steps, which are not differentiable, live in ``kerasette.ops.updates`` and
are not exported here.

Coverage of Keras 3.15's ``keras.ops`` (``benchmarks/api_coverage.py``): 333 of
its 337 names, with Keras's signatures. Left out, because kerasette tensors
are real (the OpenCL backend has no complex dtype): ``eig`` (complex
eigenvalues of general matrices; ``eigh`` covers symmetric ones),
``view_as_complex``, ``view_as_real`` and ``polar`` (complex tensors).
Known differences: ``sparsemax`` follows its paper (Keras 3.15's sums
cumulative sums); integer and boolean inputs of float math compute in
float32 and index results are int32, as in Keras; ``jvp`` is exact but runs
one reverse pass per output element; control flow (``cond``, ``scan``,
``while_loop``...) runs as eager Python loops.
"""

from kerasette.ops import image  # noqa: F401 - ``ops.image``, as ``keras.ops.image``
from kerasette.ops._helpers import (
    cast,
    convert_to_numpy,
    convert_to_tensor,
    floatx,
)
from kerasette.ops.attention import dot_product_attention
from kerasette.ops.autodiff import GradientTape, gradient, is_recording, make_tensor, stop_recording
from kerasette.ops.bitwise import (
    bitwise_and,
    bitwise_invert,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    gcd,
    lcm,
    left_shift,
    right_shift,
)
from kerasette.ops.control_flow import (
    associative_scan,
    cond,
    fori_loop,
    map,
    scan,
    switch,
    vectorize,
    vectorized_map,
    while_loop,
)
from kerasette.ops.creation import full, ones, ones_like, zeros, zeros_like
from kerasette.ops.decompositions import (
    cholesky,
    cholesky_inverse,
    det,
    eigh,
    inv,
    logdet,
    lstsq,
    lu_factor,
    matrix_rank,
    norm,
    pinv,
    qr,
    slogdet,
    solve,
    solve_triangular,
    svd,
)
from kerasette.ops.differentiation import custom_gradient, jvp
from kerasette.ops.dtypes import dtype, ndim, saturate_cast, size, view
from kerasette.ops.elementwise import (
    abs,
    add,
    clip,
    divide,
    equal,
    erf,
    exp,
    greater,
    greater_equal,
    isfinite,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    power,
    sigmoid,
    sign,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tanh,
    true_divide,
)
from kerasette.ops.encoding import multi_hot, one_hot
from kerasette.ops.exponential import (
    cbrt,
    erfc,
    erfinv,
    exp2,
    expm1,
    i0,
    ldexp,
    log2,
    log10,
    logaddexp,
    logaddexp2,
    reciprocal,
    rsqrt,
)
from kerasette.ops.indexing import (
    get_item,
    nonzero,
    scatter,
    scatter_update,
    segment_max,
    segment_min,
    segment_prod,
    segment_sum,
    select,
    slice_update,
    take_along_axis,
    unravel_index,
)
from kerasette.ops.keras_forms import broadcast_to, expand_dims, reshape, slice, stack, where
from kerasette.ops.linalg import matmul
from kerasette.ops.logic import (
    allclose,
    angle,
    conj,
    conjugate,
    imag,
    isclose,
    isin,
    isinf,
    isnan,
    isneginf,
    isposinf,
    isreal,
    logical_or,
    logical_xor,
    real,
    signbit,
)
from kerasette.ops.manipulation import (
    append,
    array_split,
    diag,
    diagflat,
    diagonal,
    dsplit,
    dstack,
    flip,
    fliplr,
    flipud,
    hsplit,
    hstack,
    moveaxis,
    ravel,
    repeat,
    roll,
    rot90,
    split,
    swapaxes,
    tile,
    trace,
    tril,
    triu,
    unstack,
    vsplit,
    vstack,
)
from kerasette.ops.nn import (
    average_pool,
    bias_add_relu,
    conv,
    conv_bias_relu,
    depthwise_conv,
    elu,
    explicit_padding,
    gelu,
    leaky_relu,
    log_softmax,
    max_pool,
    relu,
    relu6,
    selu,
    separable_conv,
    silu,
    softmax,
    softplus,
    swish,
)
from kerasette.ops.nn_activations import (
    celu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    log_sigmoid,
    soft_shrink,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    tanh_shrink,
    threshold,
)
from kerasette.ops.nn_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    ctc_decode,
    ctc_loss,
    psnr,
    sparse_categorical_crossentropy,
)
from kerasette.ops.nn_spatial import (
    adaptive_average_pool,
    adaptive_max_pool,
    depth_to_space,
    fold,
    space_to_depth,
    unfold,
)
from kerasette.ops.normalization import batch_normalization, layer_normalization, moments, normalize, rms_normalization
from kerasette.ops.padding import pad
from kerasette.ops.random import SeedGenerator
from kerasette.ops.ranges import (
    arange,
    array,
    copy,
    empty,
    empty_like,
    eye,
    full_like,
    geomspace,
    identity,
    linspace,
    logspace,
    meshgrid,
    tri,
    vander,
)
from kerasette.ops.rearrange import rearrange
from kerasette.ops.reducing import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    average,
    count_nonzero,
    logsumexp,
    max,
    min,
    prod,
    ptp,
)
from kerasette.ops.reductions import mean, std, sum, var
from kerasette.ops.rounding import (
    absolute,
    ceil,
    divide_no_nan,
    fabs,
    floor,
    floor_divide,
    fmax,
    fmin,
    fmod,
    heaviside,
    mod,
    nan_to_num,
    nextafter,
    round,
    trunc,
)
from kerasette.ops.scans import cumprod, cumsum, diff, nancumprod, nancumsum, trapezoid
from kerasette.ops.shapes import concatenate, flatten_batch, getitem, shape, squeeze, take, transpose
from kerasette.ops.signal import (
    bartlett,
    blackman,
    extract_sequences,
    fft,
    fft2,
    hamming,
    hanning,
    ifft2,
    irfft,
    istft,
    kaiser,
    rfft,
    stft,
)
from kerasette.ops.sorting import argpartition, argsort, digitize, in_top_k, searchsorted, sort, top_k, unique
from kerasette.ops.statistics import (
    bincount,
    corrcoef,
    histogram,
    median,
    nanargmax,
    nanargmin,
    nanmax,
    nanmean,
    nanmedian,
    nanmin,
    nanpercentile,
    nanprod,
    nanquantile,
    nanstd,
    nansum,
    nanvar,
    percentile,
    quantile,
)
from kerasette.ops.tensor import Tensor, Variable, is_tensor
from kerasette.ops.tensor_products import cdist, correlate, cross, dot, einsum, inner, kron, outer, tensordot, vdot
from kerasette.ops.transposed import conv_transpose
from kerasette.ops.trigonometric import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    deg2rad,
    hypot,
    rad2deg,
    sin,
    sinc,
    sinh,
    tan,
)

__all__ = [
    # _helpers
    "cast", "convert_to_numpy", "convert_to_tensor", "floatx",
    # autodiff
    "GradientTape", "gradient", "is_recording", "make_tensor", "stop_recording",
    # creation
    "full", "one_hot", "ones", "ones_like", "zeros", "zeros_like",
    # elementwise
    "abs", "add", "clip", "divide", "equal", "erf", "exp", "greater", "greater_equal", "isfinite", "less",
    "less_equal", "log", "log1p", "logical_and", "logical_not", "maximum", "minimum", "multiply", "negative",
    "not_equal", "power", "sigmoid", "sign", "sqrt", "square", "stop_gradient", "subtract", "tanh", "true_divide",
    "where",
    # linalg
    "dot", "matmul",
    # transposed
    "conv_transpose",
    # nn
    "average_pool", "bias_add_relu", "conv", "conv_bias_relu", "depthwise_conv", "elu", "explicit_padding", "gelu",
    "leaky_relu", "log_softmax", "max_pool", "relu", "relu6", "selu", "separable_conv", "silu", "softmax",
    "softplus", "swish",
    # random
    "SeedGenerator",
    # reductions
    "argmax", "max", "mean", "min", "std", "sum", "var",
    # shapes
    "broadcast_to", "concatenate", "expand_dims", "flatten_batch", "getitem", "pad", "reshape", "shape", "slice",
    "squeeze", "stack", "take", "transpose",
    # tensor
    "Tensor", "Variable", "is_tensor",
    # attention
    "dot_product_attention",
    # bitwise
    "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift",
    "bitwise_xor", "gcd", "lcm", "left_shift", "right_shift",
    # control_flow
    "associative_scan", "cond", "fori_loop", "map", "scan", "switch", "vectorize", "vectorized_map", "while_loop",
    # decompositions
    "cholesky", "cholesky_inverse", "det", "eigh", "inv", "logdet", "lstsq", "lu_factor", "matrix_rank", "norm", "pinv",
    "qr", "slogdet", "solve", "solve_triangular", "svd",
    # differentiation
    "custom_gradient", "jvp",
    # dtypes
    "dtype", "ndim", "saturate_cast", "size", "view",
    # encoding
    "multi_hot",
    # exponential
    "cbrt", "erfc", "erfinv", "exp2", "expm1", "i0", "ldexp", "log10", "log2", "logaddexp", "logaddexp2", "reciprocal",
    "rsqrt",
    # indexing
    "get_item", "nonzero", "scatter", "scatter_update", "segment_max", "segment_min", "segment_prod", "segment_sum",
    "select", "slice_update", "take_along_axis", "unravel_index",
    # logic
    "allclose", "angle", "conj", "conjugate", "imag", "isclose", "isin", "isinf", "isnan", "isneginf", "isposinf",
    "isreal", "logical_or", "logical_xor", "real", "signbit",
    # manipulation
    "append", "array_split", "diag", "diagflat", "diagonal", "dsplit", "dstack", "flip", "fliplr", "flipud", "hsplit",
    "hstack", "moveaxis", "ravel", "repeat", "roll", "rot90", "split", "swapaxes", "tile", "trace", "tril", "triu",
    "unstack", "vsplit", "vstack",
    # nn_activations
    "celu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "log_sigmoid", "soft_shrink",
    "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold",
    # nn_losses
    "binary_crossentropy", "categorical_crossentropy", "ctc_decode", "ctc_loss", "psnr",
    "sparse_categorical_crossentropy",
    # nn_spatial
    "adaptive_average_pool", "adaptive_max_pool", "depth_to_space", "fold", "space_to_depth", "unfold",
    # normalization
    "batch_normalization", "layer_normalization", "moments", "normalize", "rms_normalization",
    # ranges
    "arange", "array", "copy", "empty", "empty_like", "eye", "full_like", "geomspace", "identity", "linspace",
    "logspace", "meshgrid", "tri", "vander",
    # rearrange
    "rearrange",
    # reducing
    "all", "amax", "amin", "any", "argmin", "average", "count_nonzero", "logsumexp", "prod", "ptp",
    # rounding
    "absolute", "ceil", "divide_no_nan", "fabs", "floor", "floor_divide", "fmax", "fmin", "fmod", "heaviside", "mod",
    "nan_to_num", "nextafter", "round", "trunc",
    # scans
    "cumprod", "cumsum", "diff", "nancumprod", "nancumsum", "trapezoid",
    # signal
    "bartlett", "blackman", "extract_sequences", "fft", "fft2", "hamming", "hanning", "ifft2", "irfft", "istft",
    "kaiser", "rfft", "stft",
    # sorting
    "argpartition", "argsort", "digitize", "in_top_k", "searchsorted", "sort", "top_k", "unique",
    # statistics
    "bincount", "corrcoef", "histogram", "median", "nanargmax", "nanargmin", "nanmax", "nanmean", "nanmedian", "nanmin",
    "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "percentile", "quantile",
    # tensor_products
    "cdist", "correlate", "cross", "einsum", "inner", "kron", "outer", "tensordot", "vdot",
    # trigonometric
    "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "cos", "cosh", "deg2rad", "hypot",
    "rad2deg", "sin", "sinc", "sinh", "tan",
]

# Every public op records a graph node when called on symbolic tensors (keras.Input), as in Keras 3.
from kerasette.ops import _symbolic  # noqa: E402

_symbolic.wrap_namespace(globals(), __all__)
_symbolic.wrap_namespace(image, [n for n in dir(image) if not n.startswith("_")], prefix="image.")
