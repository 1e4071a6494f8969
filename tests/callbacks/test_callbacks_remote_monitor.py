"""`RemoteMonitor` is refused at construction with the reason and the alternatives."""

import pytest

from kerasette import callbacks


@pytest.mark.parametrize("kwargs", [{}, {"root": "http://example.test:9000", "send_as_json": True}])
def test_remote_monitor_is_refused_with_the_reason(kwargs):
    with pytest.raises(NotImplementedError) as info:
        callbacks.RemoteMonitor(**kwargs)
    message = str(info.value)
    assert "`RemoteMonitor` is not available in kerasette" in message
    assert "no network connections" in message and "`requests`" in message
    assert "LambdaCallback" in message and "CSVLogger" in message
    assert repr(kwargs.get("root", "http://localhost:9000")) in message
