"""Type aliases for the annotations of ``kerasette.ops`` (kept as runtime objects for ``typing.get_type_hints``).

The project supports Python 3.9, so the aliases use ``typing.Union``/``Optional`` rather than ``X | Y``.
"""

from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

from kerasette.ops.tensor import Tensor

# Anything an op accepts as an operand: a Tensor, a numpy array or scalar, a Python number or a nested list.
TensorLike = Union[Tensor, np.ndarray, np.generic, float, int, bool, Sequence[Any]]
# A dtype: a name ("float32"), a numpy dtype or a numpy scalar type.
DType = Union[str, np.dtype, type]
# A shape given to an op: any sequence of ints.
ShapeLike = Sequence[int]
# A shape as an op returns it.
Shape = Tuple[int, ...]
# One axis, several axes, or None for all of them.
Axis = Optional[Union[int, Sequence[int]]]
# An int used for both spatial dimensions, or one int per dimension (strides, pool sizes, dilation).
IntOrPair = Union[int, Sequence[int]]
