"""Where user-facing messages go: stdout while interactive logging is on, the ``kerasette`` logger otherwise.

As in Keras, interactive logging (the default) prints progress to stdout; turning it off sends the
same lines to Python's ``logging`` (logger ``"kerasette"``, level INFO), which suits jobs on servers.
``Progbar`` and ``print_msg`` follow the setting.
"""

import logging
import sys

_state = {"interactive": True}
logger = logging.getLogger("kerasette")


def enable_interactive_logging():
    """Send progress bars and messages to stdout (the default)."""
    _state["interactive"] = True


def disable_interactive_logging():
    """Send progress bars and messages to the ``kerasette`` logger (``logging``, level INFO) instead of stdout."""
    _state["interactive"] = False


def is_interactive_logging_enabled():
    """Whether messages go to stdout (True) or to the ``kerasette`` logger (False).

    Returns:
        A bool.
    """
    return _state["interactive"]


def print_msg(message, line_break=True):
    """Print ``message`` to stdout, or log it at INFO when interactive logging is off.

    Args:
        message: the text.
        line_break: end with a newline (stdout only; a log record is one message either way).
    """
    if _state["interactive"]:
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        text = message.strip("\r\n\b")
        if text:
            logger.info(text)
