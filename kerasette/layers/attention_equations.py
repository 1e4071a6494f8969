"""The einsum equations of multi-head attention: the projections, and the products over the attention axes.

They are the equations Keras 3's MultiHeadAttention builds (same letters), so the kernels of the ``query``,
``key``, ``value`` and ``attention_output`` projections have Keras's shapes and layouts.
"""

import string


def _letters(start, count):
    return string.ascii_lowercase[start:start + count]


def projection_equation(free_dims, bound_dims, output_dims):
    """The equation of an ``EinsumDense`` projection, its bias axes and its output rank.

    Args:
        free_dims: the number of input axes kept as they are (the batch axis and the positions).
        bound_dims: the number of input axes contracted with the kernel (1 for ``features``, 2 for
            ``(heads, head_dim)``).
        output_dims: the number of new axes the kernel makes (2 for ``(heads, head_dim)``).

    Returns:
        ``(equation, bias_axes, output_rank)``, e.g. ``("abc,cde->abde", "de", 4)`` for ``(1 + 1, 1, 2)``.

    Example:
        >>> projection_equation(2, 1, 2)
        ('abc,cde->abde', 'de', 4)
        >>> projection_equation(2, 2, 1)
        ('abcd,cde->abe', 'e', 3)
    """
    free = _letters(0, free_dims)
    bound = _letters(free_dims, bound_dims)
    new = _letters(free_dims + bound_dims, output_dims)
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def attention_equations(rank, attention_axes):
    """The query-key product and the weighted sum of values over ``attention_axes``, for projected tensors.

    The projected query, key and value have shape ``(batch, <other axes>, <attention axes>, heads, channels)``
    (``rank`` axes). The scores have shape ``(batch, <other axes>, heads, <query attention axes>,
    <key attention axes>)``.

    Args:
        rank: the rank of the projected tensors (the input rank plus one).
        attention_axes: the attention axes, a tuple of ints in ``[1, rank - 2)``.

    Returns:
        ``(dot_product_equation, combine_equation, scores_rank)``; the first takes ``(key, query)``, the second
        ``(scores, value)``.

    Example:
        >>> attention_equations(4, (1,))
        ('aecd,abcd->acbe', 'acbe,aecd->abcd', 4)
    """
    target = _letters(0, rank)
    batch_dims = [i for i in range(rank) if i not in attention_axes and i != rank - 1]  # includes the heads axis
    source, offset = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += string.ascii_lowercase[offset]
            offset += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attention_axes]
                      + [source[i] for i in attention_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def partial_shape(rank, known_last_dims):
    """An ``EinsumDense`` ``output_shape``: ``None`` for the leading sizes the input decides, then the known ones.

    Args:
        rank: the output rank without the batch axis.
        known_last_dims: the sizes of the last axes.

    Returns:
        A list, e.g. ``[None, 2, 8]``.
    """
    return [None] * (rank - len(known_last_dims)) + list(known_last_dims)
