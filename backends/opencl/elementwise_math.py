"""More elementwise primitives on the kernels of ``elementwise.cl``.

Trigonometric, hyperbolic, exponential and logarithmic functions, rounding, special functions, floating
predicates, integer division, bitwise and logical operations.

Each is one entry of a table: the kernel's operation and the numpy ufunc whose result dtype (and dtype
errors) the primitive copies, exactly as ``elementwise.py`` does for the basic ones.
"""

import numpy as np
from kerasette.backends.opencl.elementwise import _float_compute, _map, _operands, _primitive, _probe, _unary

__all__ = []

# name -> (kernel operation, numpy ufunc giving the result dtype)
_UNARY = {
    "sin": ("SIN", np.sin), "cos": ("COS", np.cos), "tan": ("TAN", np.tan), "arcsin": ("ARCSIN", np.arcsin),
    "arccos": ("ARCCOS", np.arccos), "arctan": ("ARCTAN", np.arctan), "sinh": ("SINH", np.sinh),
    "cosh": ("COSH", np.cosh), "arcsinh": ("ARCSINH", np.arcsinh), "arccosh": ("ARCCOSH", np.arccosh),
    "arctanh": ("ARCTANH", np.arctanh), "expm1": ("EXPM1", np.expm1), "exp2": ("EXP2", np.exp2),
    "log2": ("LOG2", np.log2), "log10": ("LOG10", np.log10), "cbrt": ("CBRT", np.cbrt),
    "floor": ("FLOOR", np.floor), "ceil": ("CEIL", np.ceil), "rint": ("RINT", np.rint), "trunc": ("TRUNC", np.trunc),
}
_BINARY = {
    "arctan2": ("ARCTAN2", np.arctan2), "hypot": ("HYPOT", np.hypot), "fmod": ("FMOD", np.fmod),
    "mod": ("MOD", np.mod), "floor_divide": ("FLOOR_DIVIDE", np.floor_divide),
    "nextafter": ("NEXTAFTER", np.nextafter), "bitwise_and": ("BITWISE_AND", np.bitwise_and),
    "bitwise_or": ("BITWISE_OR", np.bitwise_or), "bitwise_xor": ("BITWISE_XOR", np.bitwise_xor),
    "left_shift": ("LEFT_SHIFT", np.left_shift), "right_shift": ("RIGHT_SHIFT", np.right_shift),
    "gcd": ("GCD", np.gcd), "lcm": ("LCM", np.lcm),
}


def _binary(op, ufunc, a, b):
    items, probes = _operands((a, b))
    out_dtype = _probe(ufunc, probes)
    return _map(op, items, out_dtype, out_dtype)


for _name, (_op, _ufunc) in _UNARY.items():
    globals()[_name] = _primitive(_name, lambda x, op=_op, ufunc=_ufunc: _unary(op, ufunc, x),
                                  f"numpy's {_ufunc.__name__}(x).")
    __all__.append(_name)
for _name, (_op, _ufunc) in _BINARY.items():
    globals()[_name] = _primitive(_name, lambda a, b, op=_op, ufunc=_ufunc: _binary(op, ufunc, a, b),
                                  f"numpy's {_ufunc.__name__}(a, b).")
    __all__.append(_name)


def _predicate(op, x):
    items, probes = _operands((x,))
    return _map(op, items, np.bool_, np.asarray(probes[0]).dtype)


def isnan(x):
    """The bool array of numpy's isnan (False for integers)."""
    return _predicate("ISNAN", x)


def isinf(x):
    """The bool array of numpy's isinf (False for integers)."""
    return _predicate("ISINF", x)


def signbit(x):
    """The bool array of numpy's signbit: True for negative numbers, -0.0 and NaNs with the sign bit set."""
    return _predicate("SIGNBIT", x)


def _special(op, x):
    items, probes = _operands((x,))
    dtype = _float_compute(np.asarray(probes[0]).dtype)
    return _map(op, items, dtype, dtype)


def erfc(x):
    """OpenCL's erfc; float32 and float64 keep their dtype, anything else gives float64."""
    return _special("ERFC", x)


def erfinv(x):
    """The inverse of erf: Giles's approximation refined by Newton steps (see ``elementwise.cl``)."""
    return _special("ERFINV", x)


def i0(x):
    """The modified Bessel function of the first kind, order 0, by its power series."""
    return _special("I0", x)


def i1(x):
    """The modified Bessel function of the first kind, order 1, by its power series."""
    return _special("I1", x)


def bitwise_invert(x):
    """Numpy's invert (~x): bitwise for integers, logical not for bools."""
    items, probes = _operands((x,))
    out_dtype = _probe(np.invert, probes)
    if out_dtype == np.bool_:
        return _map("EQUAL", items + [0], np.bool_, np.dtype(np.uint8))
    return _map("BITWISE_INVERT", items, out_dtype, out_dtype)


def logical_or(a, b):
    """The bool array of numpy's logical_or."""
    items, probes = _operands((a, b))
    return _map("LOGICAL_OR", items, np.bool_, _probe(np.result_type, probes))


def logical_xor(a, b):
    """The bool array of numpy's logical_xor."""
    items, probes = _operands((a, b))
    return _map("LOGICAL_XOR", items, np.bool_, _probe(np.result_type, probes))


__all__ += ["isnan", "isinf", "signbit", "erfc", "erfinv", "i0", "i1", "bitwise_invert", "logical_or",
            "logical_xor"]
