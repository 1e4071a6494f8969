"""Dtype names and Keras 3's type promotion (``keras.backend.standardize_dtype`` / ``result_type``).

Promotion follows Keras's lattice (JAX's rules): ``bool < int (weak) < uint8/int8 < ... < float (weak)
< bfloat16/float16 < float32 < float64``, where Python ``int`` and ``float`` are weak types that
adopt the other operand's width. As on Keras's JAX, torch and numpy backends, 64-bit results are
reported as their 32-bit counterparts (``result_type("int64") == "int32"``).

>>> from kerasette import backend
>>> backend.result_type("int32", "float16"), backend.result_type("uint8", "int8"), backend.result_type("int32", float)
('float16', 'int16', 'float32')
"""

import functools

import numpy as np

INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
ALLOWED_DTYPES = ("float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32",
                  "int64", "bfloat16", "bool", "string", "float8_e4m3fn", "float8_e5m2", "complex64", "complex128")
_PYTHON_TYPES = {bool: "bool", int: "int32", float: "float32", str: "string", complex: "complex64", "int": "int32"}
# Each type and the types directly above it ("int"/"float" are Python's weak scalars).
_LATTICE = {
    "bool": ("int",), "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"), "uint32": ("int64", "uint64"), "uint64": ("float",),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("float",),
    "float": ("bfloat16", "float16"), "bfloat16": ("float32",), "float16": ("float32",),
    "float32": ("float64", "complex64"), "float64": ("complex128",), "complex64": ("complex128",), "complex128": (),
}
_TO_32_BITS = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def standardize_dtype(dtype):
    """The Keras name of ``dtype`` (a string, a numpy dtype or type, or a Python type); None gives floatx.

    Args:
        dtype: ``"float32"``, ``np.float32``, ``np.dtype("int64")``, ``int``, ``float``... or None.

    Returns:
        The dtype's name, e.g. ``"float32"``.

    Raises:
        ValueError: ``dtype`` is not one of Keras's dtypes.

    Example:
        >>> from kerasette import backend
        >>> backend.standardize_dtype(float), backend.standardize_dtype(np.int64), backend.standardize_dtype(None)
        ('float32', 'int64', 'float32')
    """
    if dtype is None:
        from kerasette import config

        return config.floatx()
    if isinstance(dtype, (type, str)) and dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    if hasattr(dtype, "name") and not isinstance(dtype, str):
        name = dtype.name
    elif isinstance(dtype, type):
        name = dtype.__name__
    else:
        name = str(dtype)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {list(ALLOWED_DTYPES)}.")
    return name


def is_float_dtype(dtype):
    """Whether ``dtype`` is a floating-point type (``float16/32/64``, ``bfloat16``...).

    Args:
        dtype: anything ``standardize_dtype`` accepts.

    Returns:
        A bool.
    """
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """Whether ``dtype`` is a signed or unsigned integer type.

    Args:
        dtype: anything ``standardize_dtype`` accepts.

    Returns:
        A bool.
    """
    return standardize_dtype(dtype).startswith(("int", "uint"))


@functools.lru_cache(maxsize=None)
def _upper_bounds(node):
    bounds = {node}
    for parent in _LATTICE[node]:
        bounds |= _upper_bounds(parent)
    return frozenset(bounds)


def _least_upper_bound(nodes):
    unknown = [n for n in nodes if n not in _LATTICE]
    if unknown:
        raise ValueError(f"dtype={unknown[0]!r} is not a valid dtype for Keras type promotion.")
    common = frozenset.intersection(*(_upper_bounds(n) for n in nodes))
    lowest = (common & set(nodes)) or {c for c in common if common <= _upper_bounds(c)}
    if len(lowest) != 1:
        raise ValueError(f"Input dtypes {tuple(nodes)} have no implicit promotion path. Cast them explicitly.")
    return next(iter(lowest))


def _weak(dtype):
    if dtype == "bool":
        return dtype
    return "float" if "float" in dtype else "int" if "int" in dtype else "complex"


def result_type(*dtypes):
    """The dtype of an operation on values of ``dtypes``, by Keras 3's promotion rules.

    Args:
        *dtypes: dtype names, numpy dtypes, or the Python types ``int``/``float``/``bool`` (weak types
            that take the other operands' width). None counts as floatx; no argument gives floatx.

    Returns:
        The result dtype's name.

    Raises:
        ValueError: a float8 dtype (never promoted implicitly) or an unknown dtype.
    """
    from kerasette import config

    if not dtypes:
        return config.floatx()
    if any(d in ("float8_e4m3fn", "float8_e5m2") for d in dtypes):
        raise ValueError(f"There is no implicit conversion from float8 dtypes to others; cast them explicitly. "
                         f"Received: {dtypes}")
    values = [config.floatx() if d is None else d for d in dtypes]
    names = [standardize_dtype(d) for d in values]
    weak = [d is int or d is float for d in values]
    if len(names) == 1 or (len(set(names)) == 1 and not all(weak)):
        out, out_weak = names[0], weak[0] and len(names) == 1
    elif all(weak):
        out, out_weak = _least_upper_bound(sorted(set(names))), True
    else:
        out = _least_upper_bound(sorted({_weak(n) if w else n for n, w in zip(names, weak)}))
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        out = {"b": "bool", "i": "int", "u": "uint"}.get(out[0], "float") + config.floatx()[-2:]
        out = out if out != "bool32" else "bool"
    return _TO_32_BITS.get(out, out)


def numpy_dtype(dtype):
    """``np.dtype`` for a Keras dtype name (``"string"`` is numpy's ``str_``).

    Args:
        dtype: anything ``standardize_dtype`` accepts.

    Returns:
        A numpy dtype.
    """
    name = standardize_dtype(dtype)
    return np.dtype(np.str_) if name == "string" else np.dtype(name)
