"""Differentiable matrix functions and decompositions over the last two axes (stacks of matrices).

det, slogdet, logdet, inv, solve, solve_triangular, cholesky, cholesky_inverse, eigh, qr, svd, pinv,
lstsq, matrix_rank, norm, lu_factor. The factorizations are backend primitives (on OpenCL they run on the
host, see ``backends/opencl/host.py``); their gradients are the standard matrix-calculus rules written with
ops: inverse, determinant, solve, Cholesky (Murray 2016), symmetric eigendecomposition, QR and SVD
(Townsend 2016), which need distinct eigenvalues / singular values. ``lu_factor`` and ``matrix_rank`` are
not differentiable.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

import numpy as np

from kerasette.backends import current as _backend
from kerasette.ops._helpers import _data, cast, convert_to_tensor
from kerasette.ops._promote import normalize_axes, to_float
from kerasette.ops._types import Axis, TensorLike
from kerasette.ops.autodiff import make_tensor
from kerasette.ops.elementwise import (
    abs,
    add,
    divide,
    equal,
    greater,
    multiply,
    negative,
    power,
    sqrt,
    square,
    subtract,
    where,
)
from kerasette.ops.linalg import matmul
from kerasette.ops.manipulation import diagonal, swapaxes, tril, triu
from kerasette.ops.reductions import max as _max
from kerasette.ops.reductions import min as _min
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import _unbroadcast, broadcast_to, expand_dims, reshape
from kerasette.ops.tensor import Tensor


def _matrices(x, op, square_only=True):
    x = to_float(x)
    if x.ndim < 2 or (square_only and x.shape[-1] != x.shape[-2]):
        kind = "square matrices" if square_only else "matrices"
        raise ValueError(f"`{op}` needs {kind} in the last two axes. Received shape {x.shape}.")
    return x


def _t(x):
    return swapaxes(x, -1, -2)


def _eye_like(n, dtype):
    return convert_to_tensor(np.eye(n, dtype=dtype))


def _diag_embed(v):
    """Matrices with ``v``'s last axis on their diagonal."""
    n = v.shape[-1]
    return multiply(expand_dims(v, -1), _eye_like(n, v.dtype))


def inv(x: TensorLike) -> Tensor:
    """The inverse of each square matrix.

    Args:
        x: a tensor ``(..., n, n)``.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.inv([[2.0, 0.0], [0.0, 4.0]]).numpy().tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    x = _matrices(x, "inv")
    data = _backend().inv(_data(x))
    y = Tensor(data)
    return make_tensor(data, (x,), [lambda g: negative(matmul(matmul(_t(y), g), _t(y)))])


def det(x: TensorLike) -> Tensor:
    """The determinant of each square matrix.

    Args:
        x: a tensor ``(..., n, n)``.

    Returns:
        A float Tensor of shape ``(...)``.

    Example:
        >>> from kerasette import ops
        >>> float(ops.det([[1.0, 2.0], [3.0, 4.0]]))
        -2.0
    """
    x = _matrices(x, "det")
    data = _backend().det(_data(x))
    d = Tensor(data)
    return make_tensor(data, (x,), [lambda g: multiply(expand_dims(expand_dims(multiply(g, d), -1), -1),
                                                       _t(inv(x)))])


def slogdet(x: TensorLike) -> Tuple[Tensor, Tensor]:
    """The sign and the log of the absolute value of each determinant, without overflow.

    Args:
        x: a tensor ``(..., n, n)``.

    Returns:
        ``(sign, logabsdet)``, float Tensors of shape ``(...)``; the gradient flows through ``logabsdet``.

    Example:
        >>> from kerasette import ops
        >>> sign, logabsdet = ops.slogdet([[1.0, 2.0], [3.0, 4.0]])
        >>> float(sign), round(float(logabsdet), 4)
        (-1.0, 0.6931)
    """
    x = _matrices(x, "slogdet")
    sign, logabsdet = _backend().slogdet(_data(x))
    grad = lambda g: multiply(expand_dims(expand_dims(g, -1), -1), _t(inv(x)))  # noqa: E731
    return Tensor(sign), make_tensor(logabsdet, (x,), [grad])


def logdet(x: TensorLike) -> Tensor:
    """The log of each determinant (NaN for a negative determinant, -inf for 0).

    Args:
        x: a tensor ``(..., n, n)``, usually positive definite.

    Returns:
        A float Tensor of shape ``(...)``.

    Example:
        >>> from kerasette import ops
        >>> round(float(ops.logdet([[2.0, 0.0], [0.0, 3.0]])), 4)
        1.7918
    """
    sign, logabsdet = slogdet(x)
    undefined = cast(where(equal(sign, 0.0), -np.inf, np.nan), logabsdet.dtype)
    return where(greater(sign, 0.0), logabsdet, undefined)


def _vector_rhs(a, b):
    return b.ndim == a.ndim - 1


def solve(a: TensorLike, b: TensorLike) -> Tensor:
    """The solution ``x`` of ``a @ x = b`` for square ``a`` (``np.linalg.solve``).

    Args:
        a: a tensor ``(..., n, n)``.
        b: a vector ``(n,)`` or matrices ``(..., n, k)``.

    Returns:
        A float Tensor shaped like ``b`` (batch axes broadcast).

    Example:
        >>> from kerasette import ops
        >>> ops.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0]).numpy().tolist()
        [1.0, 0.5]
    """
    a, b = _matrices(a, "solve"), to_float(b)
    if b.dtype != a.dtype:
        dtype = np.result_type(np.dtype(a.dtype), np.dtype(b.dtype)).name
        a, b = cast(a, dtype), cast(b, dtype)
    if b.ndim == 1:
        return reshape(solve(a, reshape(b, (-1, 1))), a.shape[:-2] + b.shape)
    data = _backend().solve(_data(a), _data(b))
    x = Tensor(data)

    def grad_b(g):
        return _unbroadcast(solve(_t(a), g), b.shape)

    def grad_a(g):
        return _unbroadcast(negative(matmul(solve(_t(a), g), _t(x))), a.shape)

    return make_tensor(data, (a, b), [grad_a, grad_b])


def solve_triangular(a: TensorLike, b: TensorLike, lower: bool = False) -> Tensor:
    """The solution ``x`` of ``a @ x = b`` reading only the lower (or upper) triangle of ``a``.

    Args:
        a: triangular matrices ``(..., n, n)``.
        b: vectors ``(..., n)`` or matrices ``(..., n, k)``.
        lower: use the lower triangle (default: the upper one).

    Returns:
        A float Tensor shaped like ``b``.

    Example:
        >>> from kerasette import ops
        >>> ops.solve_triangular([[2.0, 0.0], [1.0, 1.0]], [2.0, 3.0], lower=True).numpy().tolist()
        [1.0, 2.0]
    """
    a, b = _matrices(a, "solve_triangular"), to_float(b)
    if b.dtype != a.dtype:
        dtype = np.result_type(np.dtype(a.dtype), np.dtype(b.dtype)).name
        a, b = cast(a, dtype), cast(b, dtype)
    if _vector_rhs(a, b):
        return reshape(solve_triangular(a, expand_dims(b, -1), lower), b.shape)
    data = _backend().solve_triangular(_data(a), _data(b), bool(lower))
    x = Tensor(data)
    keep = tril if lower else triu

    def grad_b(g):
        return _unbroadcast(solve_triangular(_t(a), g, not lower), b.shape)

    def grad_a(g):
        return _unbroadcast(keep(negative(matmul(solve_triangular(_t(a), g, not lower), _t(x)))), a.shape)

    return make_tensor(data, (a, b), [grad_a, grad_b])


def _phi(m):
    """The lower triangle of ``m`` with its diagonal halved."""
    return subtract(tril(m), multiply(_diag_embed(diagonal(m, 0, -2, -1)), 0.5))


def cholesky(x: TensorLike, upper: bool = False) -> Tensor:
    """The Cholesky factor of each symmetric positive definite matrix: ``x = L @ L.T``.

    Only the lower triangle of ``x`` is read. The gradient is Murray's (2016) formula.

    Args:
        x: a tensor ``(..., n, n)``.
        upper: return the upper factor ``U = L.T`` (``x = U.T @ U``) instead.

    Returns:
        A float Tensor of the same shape, lower (or upper) triangular.

    Example:
        >>> from kerasette import ops
        >>> ops.cholesky([[4.0, 2.0], [2.0, 2.0]]).numpy().tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    x = _matrices(x, "cholesky")
    data = _backend().cholesky(_data(x))
    factor = Tensor(data)

    def grad(g):
        inner = _phi(matmul(_t(factor), g))
        s = solve_triangular(_t(factor), _t(solve_triangular(_t(factor), _t(inner), lower=False)), lower=False)
        symmetric = multiply(add(s, _t(s)), 0.5)
        return _phi(add(symmetric, _t(symmetric)))  # the lower triangle: the only part cholesky reads

    lower = make_tensor(data, (x,), [grad])
    return _t(lower) if upper else lower


def cholesky_inverse(x: TensorLike, upper: bool = False) -> Tensor:
    """The inverse of ``A`` from its Cholesky factor: ``inv(L @ L.T)`` (or ``inv(U.T @ U)``).

    Args:
        x: Cholesky factors ``(..., n, n)``: lower triangular (or upper with ``upper=True``).
        upper: whether ``x`` is the upper factor.

    Returns:
        A float Tensor of the same shape.

    Example:
        >>> from kerasette import ops
        >>> ops.cholesky_inverse([[2.0, 0.0], [1.0, 1.0]]).numpy().tolist()
        [[0.5, -0.5], [-0.5, 1.0]]
    """
    x = _matrices(x, "cholesky_inverse")
    identity = broadcast_to(_eye_like(x.shape[-1], x.dtype), x.shape)
    inverse_factor = solve_triangular(x, identity, lower=not upper)
    if upper:
        return matmul(inverse_factor, _t(inverse_factor))
    return matmul(_t(inverse_factor), inverse_factor)


def _off_diagonal_reciprocal(values):
    """``F[i, j] = 1 / (values[j] - values[i])`` off the diagonal, 0 on it."""
    difference = subtract(expand_dims(values, -2), expand_dims(values, -1))
    n = values.shape[-1]
    off = convert_to_tensor(~np.eye(n, dtype=bool))
    return where(off, divide(1.0, where(off, difference, 1.0)), 0.0)


def eigh(x: TensorLike) -> Tuple[Tensor, Tensor]:
    """The eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix.

    Only the lower triangle of ``x`` is read, and the gradient (which needs distinct eigenvalues) goes to
    it.

    Args:
        x: a tensor ``(..., n, n)``.

    Returns:
        ``(eigenvalues, eigenvectors)``: shapes ``(..., n)`` and ``(..., n, n)``.

    Example:
        >>> from kerasette import ops
        >>> w, v = ops.eigh([[2.0, 0.0], [0.0, 1.0]])
        >>> w.numpy().tolist()
        [1.0, 2.0]
    """
    x = _matrices(x, "eigh")
    w_data, v_data = _backend().eigh(_data(x))
    w, v = Tensor(w_data), Tensor(v_data)
    def gradient(g_w, g_v):
        inner = _diag_embed(g_w) if g_w is not None else multiply(_eye_like(x.shape[-1], x.dtype), 0.0)
        if g_v is not None:
            inner = add(inner, multiply(_off_diagonal_reciprocal(w), matmul(_t(v), g_v)))
        full = matmul(matmul(v, inner), _t(v))
        return _phi(add(full, _t(full)))  # the lower triangle: off-diagonal G + G.T, diagonal G

    return _pair_outputs(w_data, v_data, x, gradient)


def _pair_outputs(first, second, x, gradient):
    """Two outputs of one decomposition, each recorded with a gradient that adds the other's (zero) part.

    The tape calls each output's rule separately; each rule passes None for the other output.
    """
    a = make_tensor(first, (x,), [lambda g: gradient(g, None)])
    b = make_tensor(second, (x,), [lambda g: gradient(None, g)])
    return a, b


def qr(x: TensorLike, mode: str = "reduced") -> Tuple[Tensor, Tensor]:
    """The QR decomposition of each matrix: ``x = q @ r``, ``q`` orthonormal, ``r`` upper triangular.

    The gradient is defined for matrices with at least as many rows as columns (``mode="reduced"``, or
    square ones).

    Args:
        x: a tensor ``(..., m, n)``.
        mode: ``"reduced"`` (``q`` is (m, k), ``r`` (k, n) with k = min(m, n)) or ``"complete"`` (``q`` is
            (m, m)).

    Returns:
        ``(q, r)``.

    Raises:
        ValueError: for another ``mode``.

    Example:
        >>> from kerasette import ops
        >>> q, r = ops.qr([[3.0, 1.0], [4.0, 2.0]])
        >>> [round(v, 4) for v in ops.matmul(q, r).numpy().ravel().tolist()]
        [3.0, 1.0, 4.0, 2.0]
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f'Invalid value for argument `mode` of `qr`. Expected "reduced" or "complete". '
                         f"Received: mode={mode!r}")
    x = _matrices(x, "qr", square_only=False)
    q_data, r_data = _backend().qr(_data(x), mode)
    q, r = Tensor(q_data), Tensor(r_data)
    m, n = x.shape[-2:]

    def gradient(g_q, g_r):
        if m < n or (mode == "complete" and m != n):
            raise ValueError(f"The gradient of `qr` needs matrices with rows >= columns (and mode='reduced' unless "
                             f"square). Received shape {x.shape} with mode={mode!r}.")
        g_q = g_q if g_q is not None else multiply(q, 0.0)
        g_r = g_r if g_r is not None else multiply(r, 0.0)
        mm = subtract(matmul(r, _t(g_r)), matmul(_t(g_q), q))
        lower = tril(mm, -1)
        copied = add(add(lower, _t(lower)), _diag_embed(diagonal(mm, 0, -2, -1)))
        b = add(g_q, matmul(q, copied))
        return _t(solve_triangular(r, _t(b), lower=False))

    return _pair_outputs(q_data, r_data, x, gradient)


def svd(x: TensorLike, full_matrices: bool = True, compute_uv: bool = True
        ) -> Union[Tensor, Tuple[Tensor, Tensor, Tensor]]:
    """The singular value decomposition of each matrix: ``x = u @ diag(s) @ vh``.

    Gradients need distinct nonzero singular values; with ``full_matrices=True`` they are defined for
    square matrices only (the extra columns of ``u`` or rows of ``vh`` are not unique).

    Args:
        x: a tensor ``(..., m, n)``.
        full_matrices: ``u`` (m, m) and ``vh`` (n, n); False: (m, k) and (k, n), k = min(m, n).
        compute_uv: also return ``u`` and ``vh``; False returns ``s`` alone.

    Returns:
        ``(u, s, vh)``, or ``s`` (descending, shape ``(..., k)``).

    Example:
        >>> from kerasette import ops
        >>> ops.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False).numpy().tolist()
        [4.0, 3.0]
    """
    x = _matrices(x, "svd", square_only=False)
    B = _backend()
    m, n = x.shape[-2:]
    if not compute_uv:
        s_data = B.svd(_data(x), False, False)
        u_data, _, vh_data = B.svd(_data(x), False, True)
        u, vh = Tensor(u_data), Tensor(vh_data)
        return make_tensor(s_data, (x,), [lambda g: matmul(multiply(u, expand_dims(g, -2)), vh)])
    u_data, s_data, vh_data = B.svd(_data(x), bool(full_matrices), True)
    u, s, vh = Tensor(u_data), Tensor(s_data), Tensor(vh_data)

    def gradient(g_u, g_s, g_vh):
        if full_matrices and m != n:
            raise ValueError(f"The gradient of `svd` with full_matrices=True needs square matrices. Received shape "
                             f"{x.shape}; use full_matrices=False.")
        k = s.shape[-1]
        v = _t(vh)
        out = _diag_embed(g_s) if g_s is not None else multiply(_eye_like(k, x.dtype), 0.0)
        f = _off_diagonal_reciprocal(square(s))  # 1 / (s_j^2 - s_i^2)
        s_row = expand_dims(s, -2)  # multiplies columns
        s_col = expand_dims(s, -1)  # multiplies rows
        if g_u is not None:
            j = matmul(_t(u), g_u)
            out = add(out, multiply(multiply(f, subtract(j, _t(j))), s_row))
        if g_vh is not None:
            g_v = _t(g_vh)
            kk = matmul(_t(v), g_v)
            out = add(out, multiply(s_col, multiply(f, subtract(kk, _t(kk)))))
        grad = matmul(matmul(u, out), vh)
        if g_u is not None and m > k:
            projected = subtract(g_u, matmul(u, matmul(_t(u), g_u)))
            grad = add(grad, matmul(divide(projected, s_row), vh))
        if g_vh is not None and n > k:
            g_v = _t(g_vh)
            projected = subtract(g_v, matmul(v, matmul(_t(v), g_v)))
            grad = add(grad, matmul(u, _t(divide(projected, s_row))))
        return grad

    return (make_tensor(u_data, (x,), [lambda g: gradient(g, None, None)]),
            make_tensor(s_data, (x,), [lambda g: gradient(None, g, None)]),
            make_tensor(vh_data, (x,), [lambda g: gradient(None, None, g)]))


def pinv(x: TensorLike, rcond: Optional[float] = None) -> Tensor:
    """The Moore-Penrose pseudo-inverse of each matrix, from its SVD (``np.linalg.pinv``).

    Singular values below ``rcond`` times the largest are treated as 0.

    Args:
        x: a tensor ``(..., m, n)``.
        rcond: the relative cutoff (None: 1e-15, numpy's default).

    Returns:
        A float Tensor ``(..., n, m)``.

    Example:
        >>> from kerasette import ops
        >>> ops.pinv([[2.0, 0.0], [0.0, 0.0]]).numpy().tolist()
        [[0.5, 0.0], [0.0, 0.0]]
    """
    x = _matrices(x, "pinv", square_only=False)
    u, s, vh = svd(x, full_matrices=False)
    cutoff = multiply(_max(s, axis=-1, keepdims=True), 1e-15 if rcond is None else float(rcond))
    large = greater(s, cutoff)
    inverse_s = where(large, divide(1.0, where(large, s, 1.0)), 0.0)
    return matmul(multiply(_t(vh), expand_dims(inverse_s, -2)), _t(u))


def lstsq(a: TensorLike, b: TensorLike, rcond: Optional[float] = None) -> Tensor:
    """The least-squares solution ``x`` minimizing ``|a @ x - b|`` (``np.linalg.lstsq(...)[0]``).

    Computed as ``pinv(a) @ b``, so it is the minimum-norm solution for rank-deficient ``a``.

    Args:
        a: a matrix ``(m, n)``.
        b: a vector ``(m,)`` or a matrix ``(m, k)``.
        rcond: the relative cutoff for small singular values (None: machine epsilon times max(m, n)).

    Returns:
        A float Tensor ``(n,)`` or ``(n, k)``.

    Example:
        >>> from kerasette import ops
        >>> x = ops.lstsq([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 3.0])
        >>> [round(v, 4) for v in x.numpy().tolist()]
        [1.0, 2.0]
    """
    a, b = _matrices(a, "lstsq", square_only=False), to_float(b)
    if rcond is None:
        rcond = float(np.finfo(np.dtype(a.dtype)).eps) * max(a.shape[-2:])
    return matmul(pinv(a, rcond), b)


def matrix_rank(x: TensorLike, tol: Optional[float] = None) -> Tensor:
    """The rank of each matrix: its number of singular values above ``tol`` (not differentiable).

    Args:
        x: a tensor ``(..., m, n)``.
        tol: the threshold (None: ``max(s) * max(m, n) * eps``, numpy's default).

    Returns:
        An int32 Tensor of shape ``(...)``.

    Example:
        >>> from kerasette import ops
        >>> int(ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
        1
    """
    x = _matrices(x, "matrix_rank", square_only=False)
    s = Tensor(_backend().svd(_data(x), False, False))
    if tol is None:
        eps = float(np.finfo(np.dtype(x.dtype)).eps)
        threshold = multiply(_max(s, axis=-1, keepdims=True), max(x.shape[-2:]) * eps)
    else:
        threshold = tol
    return cast(_sum(cast(greater(s, threshold), "int32"), axis=-1), "int32")


def lu_factor(x: TensorLike) -> Tuple[Tensor, Tensor]:
    """The LU factorization with partial pivoting (``scipy.linalg.lu_factor``), not differentiable.

    Args:
        x: a tensor ``(..., m, n)``.

    Returns:
        ``(lu, pivots)``: U on and above the diagonal and L's multipliers below it (L's unit diagonal
        implied), and the 0-based int32 row swapped with row ``i`` at step ``i``.

    Example:
        >>> from kerasette import ops
        >>> lu, pivots = ops.lu_factor([[1.0, 2.0], [3.0, 4.0]])
        >>> [round(v, 4) for v in lu.numpy().ravel().tolist()], pivots.numpy().tolist()
        ([3.0, 4.0, 0.3333, 0.6667], [1, 1])
    """
    x = _matrices(x, "lu_factor", square_only=False)
    lu, pivots = _backend().lu_factor(_data(x))
    return Tensor(lu), Tensor(pivots)


def _vector_norm(x, ord, axes, keepdims):
    a = abs(x)
    if ord is None or ord == 2:
        return sqrt(_sum(square(x), axis=axes, keepdims=keepdims))
    if ord == np.inf:
        return _max(a, axis=axes, keepdims=keepdims)
    if ord == -np.inf:
        return _min(a, axis=axes, keepdims=keepdims)
    if ord == 0:
        return _sum(cast(greater(a, 0.0), x.dtype), axis=axes, keepdims=keepdims)
    if ord == 1:
        return _sum(a, axis=axes, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid value for argument `ord` of `norm` for a vector norm. Received: ord={ord!r}")
    return power(_sum(power(a, float(ord)), axis=axes, keepdims=keepdims), 1.0 / float(ord))


def _matrix_norm(x, ord, axes, keepdims):
    from kerasette.ops.manipulation import moveaxis

    row, col = axes
    if ord in (None, "fro"):
        return sqrt(_sum(square(x), axis=axes, keepdims=keepdims))
    if ord in ("nuc", 2, -2):
        moved = moveaxis(x, [row, col], [-2, -1])
        s = svd(moved, compute_uv=False)
        out = _sum(s, axis=-1) if ord == "nuc" else (_max(s, axis=-1) if ord == 2 else _min(s, axis=-1))
    elif ord in (1, -1):
        sums = _sum(abs(x), axis=row, keepdims=True)
        out = (_max if ord == 1 else _min)(sums, axis=axes)
    elif ord in (np.inf, -np.inf):
        sums = _sum(abs(x), axis=col, keepdims=True)
        out = (_max if ord == np.inf else _min)(sums, axis=axes)
    else:
        raise ValueError(f"Invalid value for argument `ord` of `norm` for a matrix norm. Expected None, 'fro', "
                         f"'nuc', 1, -1, 2, -2, inf or -inf. Received: ord={ord!r}")
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        out = reshape(out, shape)
    return out


def norm(x: TensorLike, ord: Optional[Union[int, float, str]] = None, axis: Axis = None,  # noqa: A002
         keepdims: bool = False) -> Tensor:
    """A vector or matrix norm of ``x`` (``np.linalg.norm``).

    One axis (or a vector) gives a vector norm: ``ord`` None or 2 (Euclidean), 1, inf, -inf, 0 (count of
    nonzeros) or any p. Two axes (or a matrix) give a matrix norm: None or ``"fro"`` (Frobenius),
    ``"nuc"`` (sum of singular values), 2 / -2 (largest / smallest singular value), 1 / -1 (max / min column
    sum), inf / -inf (max / min row sum). With ``axis`` and ``ord`` both None the Frobenius norm of the
    flattened ``x`` is returned.

    Args:
        x: the input tensor.
        ord: the order of the norm.
        axis: None, an axis (vector norm) or a pair of axes (matrix norm).
        keepdims: keep the reduced axes with size 1.

    Returns:
        A float Tensor.

    Raises:
        ValueError: for an unknown ``ord`` or more than two axes.

    Example:
        >>> from kerasette import ops
        >>> float(ops.norm([3.0, 4.0])), float(ops.norm([[1.0, -2.0], [3.0, 4.0]], ord=1))
        (5.0, 6.0)
    """
    x = to_float(x)
    if axis is None:
        if ord is None:
            out = sqrt(_sum(square(x)))
            return reshape(out, (1,) * x.ndim) if keepdims else out
        if x.ndim not in (1, 2):
            raise ValueError(f"`norm` with ord={ord!r} and axis=None needs a vector or a matrix. Received shape "
                             f"{x.shape}.")
        axis = tuple(range(x.ndim))
    axes = normalize_axes(axis, x.ndim, "norm") if not isinstance(axis, (int, np.integer)) else (axis % x.ndim,)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes, keepdims)
    if len(axes) == 2:
        given = (axis,) if isinstance(axis, (int, np.integer)) else tuple(a % x.ndim for a in axis)
        return _matrix_norm(x, ord, given, keepdims)
    raise ValueError(f"`norm` reduces one axis (vector norm) or two (matrix norm). Received: axis={axis}")

