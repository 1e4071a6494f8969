"""The optional ``onnx`` package, imported only when an export runs, with an error that names the extra."""

import importlib


def require_onnx():
    """Import and return the ``onnx`` package.

    Returns:
        The ``onnx`` module.

    Raises:
        ImportError: ``onnx`` is not installed; the message says how to install it.
    """
    try:
        return importlib.import_module("onnx")
    except ImportError as error:
        raise ImportError("Exporting to ONNX needs the `onnx` package (1.14 or newer). Install it with "
                          "`pip install \"kerasette[onnx]\"` (or `pip install onnx`).") from error
