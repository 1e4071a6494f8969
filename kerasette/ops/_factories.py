"""Private: the factory for elementwise float math ops (sin, log2, erfc...).

They differ only in their primitive, their formula and their gradient rule.
"""

from __future__ import annotations

from typing import Callable, Optional

from kerasette.ops._helpers import _unary, _unary_using_output
from kerasette.ops._promote import to_float
from kerasette.ops._types import TensorLike
from kerasette.ops.tensor import Tensor


def float_unary(name: str, primitive: str, formula: str, grad: Optional[Callable] = None,
                uses_output: bool = False) -> Callable[[TensorLike], Tensor]:
    """An op ``name(x)``: the backend's ``primitive`` on ``x`` as a float tensor.

    Integers and booleans become float32, as in Keras.

    ``grad(g, x)`` (or ``grad(g, y)`` with ``uses_output``) is the gradient rule; None: not differentiable.
    """

    def op(x: TensorLike) -> Tensor:
        x = to_float(x)
        if grad is None:
            return Tensor(_unary(primitive, x, None).data)
        if uses_output:
            return _unary_using_output(primitive, x, grad)
        return _unary(primitive, x, lambda g: grad(g, x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"""{formula}, elementwise.

    Integer and boolean inputs are computed in float32, as in Keras.

    Args:
        x: the input tensor.

    Returns:
        A float Tensor of the same shape.
    """
    return op
