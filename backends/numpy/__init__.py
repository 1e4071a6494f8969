"""The numpy backend: the default, and the reference the others are tested against."""

from kerasette.backends.numpy.core import *  # noqa: F401,F403
from kerasette.backends.numpy.core import abs, all, max, min, slice, sum  # noqa: F401,A004
from kerasette.backends.numpy.image_ops import *  # noqa: F401,F403
from kerasette.backends.numpy.linalg_ops import *  # noqa: F401,F403
from kerasette.backends.numpy.math_ops import *  # noqa: F401,F403
from kerasette.backends.numpy.math_ops import any  # noqa: F401,A004
from kerasette.backends.numpy.nn import *  # noqa: F401,F403
from kerasette.backends.numpy.quantized import *  # noqa: F401,F403
from kerasette.backends.numpy.recurrent import *  # noqa: F401,F403

name = "numpy"
