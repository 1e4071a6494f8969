"""Private: ``einsum`` as a sequence of diagonals, sums, transposes and batched matrix products."""

from __future__ import annotations

import math
import string
from typing import List, Sequence

from kerasette.ops.elementwise import multiply
from kerasette.ops.linalg import matmul
from kerasette.ops.reductions import sum as _sum
from kerasette.ops.shapes import broadcast_to, reshape, transpose
from kerasette.ops.tensor import Tensor


def _parse(subscripts: str, operands: Sequence[Tensor]):
    """(labels per operand, output labels), with ``...`` expanded to labels of its own (upper-case letters)."""
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"`einsum`: {subscripts!r} names {len(terms)} operands; {len(operands)} were given.")
    ellipsis_rank = 0
    for term, x in zip(terms, operands):
        if "..." in term:
            ellipsis_rank = max(ellipsis_rank, x.ndim - len(term.replace("...", "")))
    spare = [c for c in string.ascii_uppercase if c not in text][:ellipsis_rank]
    labels = []
    for term, x in zip(terms, operands):
        if "..." in term:
            own = x.ndim - len(term.replace("...", ""))
            term = term.replace("...", "".join(spare[ellipsis_rank - own:]))
        if len(term) != x.ndim or not all(c.isalpha() for c in term):
            raise ValueError(f"`einsum`: subscripts {subscripts!r} do not match an operand of shape {x.shape}.")
        labels.append(term)
    if arrow:
        output = output.replace("...", "".join(spare))
    else:
        counts = {c: "".join(labels).count(c) for c in "".join(labels)}
        output = "".join(spare) + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in spare))
    return labels, output


def _take_diagonals(x: Tensor, term: str):
    """Collapse repeated labels of one operand to their diagonal."""
    from kerasette.ops.manipulation import diagonal

    while len(set(term)) < len(term):
        c = next(c for c in term if term.count(c) > 1)
        first = term.index(c)
        second = term.index(c, first + 1)
        x = diagonal(x, 0, first, second)
        term = "".join(t for k, t in enumerate(term) if k not in (first, second)) + c
    return x, term


def _sum_out(x: Tensor, term: str, keep: str):
    axes = tuple(k for k, c in enumerate(term) if c not in keep)
    if axes:
        x = _sum(x, axis=axes)
        term = "".join(c for c in term if c in keep)
    return x, term


def _contract(a: Tensor, ta: str, b: Tensor, tb: str, keep: str):
    """``a`` and ``b`` multiplied and summed over their shared labels not in ``keep``."""
    sizes = {}
    for x, t in ((a, ta), (b, tb)):
        for c, n in zip(t, x.shape):
            sizes[c] = max(sizes.get(c, 1), n)
    batch = [c for c in ta if c in tb and c in keep]
    summed = [c for c in ta if c in tb and c not in keep]
    free_a = [c for c in ta if c not in tb]
    free_b = [c for c in tb if c not in ta]
    a = broadcast_to(transpose(a, [ta.index(c) for c in batch + free_a + summed]),
                     [sizes[c] for c in batch + free_a + summed])
    b = broadcast_to(transpose(b, [tb.index(c) for c in batch + summed + free_b]),
                     [sizes[c] for c in batch + summed + free_b])
    nb = [sizes[c] for c in batch]
    fa, fs, fb = (math.prod(sizes[c] for c in group) for group in (free_a, summed, free_b))
    if not summed and not free_a and not free_b:
        out = multiply(a, b)
    else:
        out = matmul(reshape(a, nb + [fa, fs]), reshape(b, nb + [fs, fb]))
    out = reshape(out, nb + [sizes[c] for c in free_a + free_b])
    return out, "".join(batch + free_a + free_b)


def einsum(subscripts: str, operands: List[Tensor]) -> Tensor:
    """``kerasette.ops.einsum`` on Tensors (see there)."""
    labels, output = _parse(subscripts, operands)
    terms = []
    for i, (x, term) in enumerate(zip(operands, labels)):
        x, term = _take_diagonals(x, term)
        others = output + "".join(labels[:i] + labels[i + 1:])
        terms.append(_sum_out(x, term, others))
    x, term = terms[0]
    for k, (y, ty) in enumerate(terms[1:], start=1):
        keep = output + "".join(t for _, t2 in terms[k + 1:] for t in t2)
        x, term = _sum_out(x, term, keep + ty)
        y, ty = _sum_out(y, ty, keep + term)
        x, term = _contract(x, term, y, ty, keep)
    x, term = _sum_out(x, term, output)
    if term != output:
        x = transpose(x, [term.index(c) for c in output])
    return x
