"""Differentiable ops, named as in ``keras.ops``.

Layers and models compute only through these functions; each dispatches to
the active backend and records itself for autodiff when a tape is open.
"""

import numpy as _np

from kerasette.ops.autodiff import GradientTape, gradient, is_recording, stop_recording  # noqa: F401
from kerasette.ops.core import *  # noqa: F401,F403
from kerasette.ops.core import abs, max, min, slice, sum  # noqa: F401,A004
from kerasette.ops.nn import *  # noqa: F401,F403
from kerasette.ops.random import SeedGenerator  # noqa: F401
from kerasette.ops.tensor import Tensor, Variable, is_tensor  # noqa: F401

__all__ = [n for n, v in list(globals().items()) if not n.startswith("_") and not isinstance(v, type(_np))]
