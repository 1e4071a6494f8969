"""The OpenCL backend: every primitive of ``interface.py`` as OpenCL kernels, through pyopencl.

Arrays are ``DeviceArray`` objects that live on the device chosen by ``runtime`` (see there for
``KERASETTE_OPENCL_DEVICE``); ``asarray`` and ``to_numpy`` move data between host and device, and
``memory.ThreadUploader`` lets the data thread upload a batch ahead of its step.
Kernel sources are the ``.cl`` files in ``kernels/``, built by ``programs`` (cached in memory and on
disk) and enqueued by ``launch``. ``counters()`` reports host transfers and kernel launches.
"""

from kerasette.backends.opencl import debug, runtime
from kerasette.backends.opencl.conv import *  # noqa: F401,F403
from kerasette.backends.opencl.creation import (  # noqa: F401
    arange,
    asarray,
    assign,
    cast,
    copy,
    dtype,
    full,
    ones,
    reshape,
    shape,
    to_numpy,
    zeros,
)
from kerasette.backends.opencl.elementwise import *  # noqa: F401,F403
from kerasette.backends.opencl.elementwise_math import *  # noqa: F401,F403
from kerasette.backends.opencl.gemm import *  # noqa: F401,F403
from kerasette.backends.opencl.host import *  # noqa: F401,F403
from kerasette.backends.opencl.image import *  # noqa: F401,F403
from kerasette.backends.opencl.int8_gemm import *  # noqa: F401,F403
from kerasette.backends.opencl.pool import *  # noqa: F401,F403
from kerasette.backends.opencl.random import *  # noqa: F401,F403
from kerasette.backends.opencl.recurrent import *  # noqa: F401,F403
from kerasette.backends.opencl.reductions import *  # noqa: F401,F403
from kerasette.backends.opencl.scan import *  # noqa: F401,F403
from kerasette.backends.opencl.shape_ops import *  # noqa: F401,F403
from kerasette.backends.opencl.updates import *  # noqa: F401,F403

name = "opencl"


def initialize():
    """Choose the device now (``set_backend`` calls this), so a missing platform fails at selection."""
    runtime.get()


def counters():
    """Host transfers and kernel launches since the process started (a dict of ints)."""
    return debug.counters()
