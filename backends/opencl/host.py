"""Primitives computed on the host: sorting, matrix decompositions and discrete Fourier transforms.

These have no OpenCL kernel: each one downloads its array operands, runs the numpy backend's function of
the same name (``kerasette.backends.numpy.linalg_ops``) and uploads the results. The copies go through
``memory.download`` / ``memory.upload``, so they show in ``counters()`` and in ``KERASETTE_DEBUG=2``'s
per-step transfer counts: one device-to-host transfer per array operand and one host-to-device transfer
per result array. They suit small matrices and occasional sorts, not the inner loop of a large model.
"""

from kerasette.backends.numpy import linalg_ops as _numpy
from kerasette.backends.opencl import creation, memory
from kerasette.backends.opencl.memory import DeviceArray

__all__ = ["sort", "argsort", "cholesky", "det", "slogdet", "inv", "solve", "solve_triangular", "qr", "svd", "eigh",
           "lu_factor", "fft", "rfft", "irfft"]


def _on_host(name):
    reference = getattr(_numpy, name)

    def primitive(*args):
        host = [memory.download(a) if isinstance(a, DeviceArray) else a for a in args]
        result = reference(*host)
        if isinstance(result, tuple):
            return tuple(creation.asarray(r) for r in result)
        return creation.asarray(result)

    primitive.__name__ = primitive.__qualname__ = name
    primitive.__doc__ = (f"The numpy backend's ``{name}``, run on the host: the array operands are downloaded and "
                         "the results uploaded (counted as transfers).\n\n" + (reference.__doc__ or ""))
    return primitive


sort = _on_host("sort")
argsort = _on_host("argsort")
cholesky = _on_host("cholesky")
det = _on_host("det")
slogdet = _on_host("slogdet")
inv = _on_host("inv")
solve = _on_host("solve")
solve_triangular = _on_host("solve_triangular")
qr = _on_host("qr")
svd = _on_host("svd")
eigh = _on_host("eigh")
lu_factor = _on_host("lu_factor")
fft = _on_host("fft")
rfft = _on_host("rfft")
irfft = _on_host("irfft")
