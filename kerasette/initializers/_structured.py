"""Initializers with structure rather than i.i.d. entries: Orthogonal and Identity."""

import numpy as np

from kerasette import ops
from kerasette.initializers._base import Initializer, _dtype, _shape, registry
from kerasette.initializers._random import RandomInitializer
from kerasette.ops import random as _random


def _gain(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"Invalid value for argument `gain`. Expected a float. Received: gain={value!r}")
    return value


@registry.register("orthogonal", "OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """Initializer that generates an orthogonal matrix (Saxe et al., 2014), with Keras's algorithm.

    A ``(max(rows, cols), min(rows, cols))`` matrix of standard normal samples is factored as ``Q R``; ``Q``
    times the signs of ``R``'s diagonal (which makes the distribution uniform over orthogonal matrices) is
    transposed when there are fewer rows than columns, reshaped and scaled by ``gain``. ``rows`` is the
    product of every size but the last, so a convolution kernel ``(kh, kw, in, out)`` gets orthogonal
    columns over its ``kh * kw * in`` rows. The factorization runs once, on the host.

    Args:
        gain: multiplicative factor applied to the orthogonal matrix. Defaults to 1.
        seed: None, an int or a ``SeedGenerator`` (as for ``RandomNormal``).

    Raises:
        ValueError: when called with a shape of rank < 2.

    Example:
        >>> import numpy as np
        >>> from kerasette import initializers
        >>> w = initializers.Orthogonal(seed=1)((3, 5)).numpy()
        >>> bool(np.allclose(w @ w.T, np.eye(3), atol=1e-5))  # fewer rows than columns: orthonormal rows
        True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = _gain(gain)

    def __call__(self, shape, dtype=None):
        """Return a new tensor of ``shape``; see the class docstring.

        Args:
            shape: tuple of ints, of rank >= 2.
            dtype: a float dtype name (default ``"float32"``).

        Returns:
            A Tensor of ``shape``.
        """
        shape, dtype = _shape(shape), _dtype(dtype)
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional. Received: shape={shape} "
                             f"of rank {len(shape)}.")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = ops.convert_to_numpy(_random.normal(flat, 0.0, 1.0, "float64", self.seed))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return ops.convert_to_tensor((self.gain * q).reshape(shape).astype(dtype), dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


@registry.register("identity", "IdentityInitializer")
class Identity(Initializer):
    """Initializer that generates the identity matrix (ones on the main diagonal), times ``gain``.

    Only 2-D shapes are accepted; a non-square shape gets ones on its leading diagonal.

    Args:
        gain: multiplicative factor applied to the identity matrix. Defaults to 1.

    Raises:
        ValueError: when called with a shape that is not 2-D.

    Example:
        >>> from kerasette import initializers
        >>> initializers.Identity(gain=2.0)((2, 3)).numpy().tolist()
        [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = _gain(gain)

    def __call__(self, shape, dtype=None):
        """Return a new tensor of ``shape``; see the class docstring.

        Args:
            shape: a tuple of 2 ints.
            dtype: the dtype name (default ``"float32"``).

        Returns:
            A Tensor of ``shape``.
        """
        shape, dtype = _shape(shape), _dtype(dtype)
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. Received: shape={shape} "
                             f"of rank {len(shape)}.")
        return ops.convert_to_tensor(self.gain * np.eye(*shape, dtype=dtype), dtype)

    def get_config(self):
        return {"gain": self.gain}
