"""``keras.backend``: the few global helpers Keras 3 keeps there.

The settings themselves live in ``kerasette.config`` and the dtype rules in ``kerasette.dtypes``;
this module gives them the names scripts import from ``keras.backend``.

>>> from kerasette import backend
>>> backend.floatx(), backend.backend() in ("numpy", "opencl")
('float32', True)
"""

import gc

from kerasette.config import (  # noqa: F401  (re-exported under Keras's names)
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from kerasette.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype  # noqa: F401
from kerasette.utils import naming


def clear_session(free_memory=True):
    """Reset automatic names (``dense``, ``dense_1``...), ``get_uid`` counters and the dtype policy, as Keras does.

    Layers made afterwards are named from scratch; existing layers and models keep their names and
    stay usable.

    Args:
        free_memory: also run Python's garbage collector, so arrays of models no longer referenced
            are released now. Defaults to True.
    """
    naming.clear_session()
    from kerasette import dtype_policies

    dtype_policies.reset()  # the global dtype policy goes back to float32, as in Keras
    if free_memory:
        gc.collect()


def get_uid(prefix=""):
    """A counter per ``prefix``: 1 on the first call, then 2, 3... (reset by ``clear_session``).

    Args:
        prefix: the name whose counter to advance.

    Returns:
        An int.

    Example:
        >>> from kerasette import backend
        >>> backend.get_uid("block"), backend.get_uid("block")
        (1, 2)
    """
    return naming.get_uid(prefix)


def is_keras_tensor(x):
    """Whether ``x`` is a symbolic tensor (from ``Input`` or a layer called on one), not data.

    Args:
        x: any object.

    Returns:
        A bool: True for a ``KerasTensor``, False for arrays and Tensors holding data.

    Example:
        >>> import kerasette as keras
        >>> keras.backend.is_keras_tensor(keras.Input((3,))), keras.backend.is_keras_tensor(keras.ops.ones((3,)))
        (True, False)
    """
    from kerasette.layers.node import KerasTensor

    return isinstance(x, KerasTensor)
