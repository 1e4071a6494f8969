"""Gradient compression on the wire: ``Compression.none`` and ``Compression.fp16`` (Horovod's names).

``fp16`` halves the bytes an allreduce sends: float32/float64 buffers are cast to float16, reduced
in float16 (an MPI user op, since MPI has no float16 type) and cast back. Values beyond float16's
range (65504) become inf, and small ones lose precision (11 significant bits), so it suits
gradients of moderate size; integer buffers are never compressed.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class NoneCompressor:
    """Sends buffers as they are."""

    name = "none"

    @staticmethod
    def compress(buffer: np.ndarray) -> np.ndarray:
        """The buffer to send: ``buffer`` itself.

        Args:
            buffer: a 1-d host array.
        """
        return buffer

    @staticmethod
    def decompress(buffer: np.ndarray, dtype: Any) -> np.ndarray:
        """The received buffer in ``dtype``.

        Args:
            buffer: the reduced buffer.
            dtype: the dtype of the values before compression.
        """
        return buffer.astype(dtype, copy=False)


class FP16Compressor:
    """Sends floating-point buffers as float16 (half the bytes of float32)."""

    name = "fp16"

    @staticmethod
    def compress(buffer: np.ndarray) -> np.ndarray:
        """``buffer`` cast to float16 when it holds floats, else unchanged.

        Args:
            buffer: a 1-d host array.
        """
        return buffer.astype(np.float16) if np.issubdtype(buffer.dtype, np.floating) else buffer

    @staticmethod
    def decompress(buffer: np.ndarray, dtype: Any) -> np.ndarray:
        """The received buffer cast back to ``dtype``.

        Args:
            buffer: the reduced buffer.
            dtype: the dtype of the values before compression.
        """
        return buffer.astype(dtype, copy=False)


class Compression:
    """The compressions ``allreduce`` and ``DistributedOptimizer`` accept.

    Attributes:
        none: no compression.
        fp16: floats travel as float16.

    Example:
        >>> from kerasette import distribute
        >>> distribute.Compression.fp16.compress(np.array([1.0, 2.5])).dtype
        dtype('float16')
    """

    none = NoneCompressor
    fp16 = FP16Compressor

    @staticmethod
    def check(compression: Any, owner: str) -> Any:
        """``compression`` if it is ``Compression.none`` or ``Compression.fp16``, else a ValueError.

        Args:
            compression: the value received.
            owner: the function or class it was given to, for the message.
        """
        if compression not in (NoneCompressor, FP16Compressor):
            raise ValueError(f"Invalid value for argument `compression` of `{owner}`. Expected "
                             f"kerasette.distribute.Compression.none or .fp16. Received: compression={compression!r}")
        return compression
