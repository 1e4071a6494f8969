"""Text formatting for progress output: metric values, durations, log lines."""

from __future__ import annotations

from typing import Any, Mapping, Optional


def format_value(value: Any) -> str:
    """Formats a metric like Keras: 4 decimals, or scientific below 1e-3.

    >>> format_value(0.54321), format_value(0.0000123), format_value(12)
    ('0.5432', '1.2300e-05', '12.0000')
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:.4f}" if abs(number) > 1e-3 else f"{number:.4e}"


def format_duration(seconds: float) -> str:
    """Formats a duration as whole seconds, milliseconds or microseconds.

    >>> format_duration(12.3), format_duration(0.25), format_duration(0.00004)
    ('12s', '250ms', '40us')
    """
    if seconds >= 1:
        return f"{seconds:.0f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e6:.0f}us"


def format_logs(logs: Optional[Mapping[str, Any]]) -> str:
    """Joins logs as `loss: 0.5432 - accuracy: 0.8123`.

    >>> format_logs({"loss": 0.54321, "accuracy": 0.8123})
    'loss: 0.5432 - accuracy: 0.8123'
    """
    return " - ".join(f"{key}: {format_value(value)}" for key, value in (logs or {}).items())
