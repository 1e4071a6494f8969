"""`RemoteMonitor`: refused in kerasette, with the reason and what to use instead."""

from __future__ import annotations

from typing import Any, Dict, Optional

from kerasette.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Keras's callback that POSTs each epoch's logs to an HTTP server; not available in kerasette.

    Keras's `RemoteMonitor` sends `{"epoch": ..., <logs>}` to `root + path` with the `requests`
    library. kerasette makes no network connections and does not depend on `requests` (its
    dependencies are numpy, h5py and tqdm), so creating one raises `NotImplementedError` at
    once, before any training is spent, rather than failing at the end of the first epoch.
    To send logs yourself, use `LambdaCallback(on_epoch_end=lambda epoch, logs: ...)` with the
    HTTP client of your choice; to keep them, use `CSVLogger` or `History`.

    Args:
        root: the server's root URL (Keras default `"http://localhost:9000"`).
        path: the path under `root` the events are posted to.
        field: the form field holding the JSON data (when `send_as_json=False`).
        headers: optional HTTP headers.
        send_as_json: whether to send the data as `application/json`.

    Raises:
        NotImplementedError: always.

    Example:
        >>> RemoteMonitor()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        NotImplementedError: `RemoteMonitor` is not available in kerasette: ...
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: Optional[Dict[str, Any]] = None,
        send_as_json: bool = False,
    ) -> None:
        raise NotImplementedError(
            "`RemoteMonitor` is not available in kerasette: it streams the logs of each epoch to an HTTP "
            f"server (here root={root!r}, path={path!r}) through the `requests` library, and kerasette makes "
            "no network connections. Use `keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: ...)` "
            "to post the logs with an HTTP client of your choice, or `CSVLogger` to keep them in a file."
        )
