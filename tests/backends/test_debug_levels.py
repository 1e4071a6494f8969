"""``KERASETTE_DEBUG`` levels without a device: 1 prints the chosen backend once, 2 the per-step counters,
3 adds per-step kernel times (the OpenCL side is in test_opencl_runtime.py and test_opencl_models.py)."""

import types

import pytest

from kerasette import backends
from kerasette.utils.step_counters import StepCounters


@pytest.mark.parametrize("value, level", [(None, 0), ("", 0), ("0", 0), ("1", 1), ("2", 2), ("3", 3), ("yes", 1)])
def test_debug_level_reads_the_variable(monkeypatch, value, level):
    if value is None:
        monkeypatch.delenv("KERASETTE_DEBUG", raising=False)
    else:
        monkeypatch.setenv("KERASETTE_DEBUG", value)
    assert backends.debug_level() == level


@pytest.fixture
def fresh_selection(monkeypatch):
    """Backend selection as in a new process (restored after the test)."""
    monkeypatch.setattr(backends, "_active", None)
    monkeypatch.setattr(backends, "_announced", set())
    monkeypatch.delenv("KERASETTE_BACKEND", raising=False)


def _debug_lines(capsys):
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("kerasette debug:")]


def test_level_1_prints_the_chosen_backend_once(fresh_selection, monkeypatch, capsys):
    monkeypatch.setenv("KERASETTE_DEBUG", "1")
    backends.set_backend("numpy")
    backends.set_backend("numpy")
    assert _debug_lines(capsys) == ["kerasette debug: backend numpy (chosen by set_backend)"]


def test_level_1_names_where_the_choice_came_from(fresh_selection, monkeypatch, capsys):
    monkeypatch.setenv("KERASETTE_DEBUG", "1")
    monkeypatch.setenv("KERASETTE_BACKEND", "numpy")
    backends.current()
    backends.current()
    assert _debug_lines(capsys) == ["kerasette debug: backend numpy (chosen by the KERASETTE_BACKEND environment "
                                    "variable)"]


def test_level_0_prints_nothing(fresh_selection, monkeypatch, capsys):
    monkeypatch.setenv("KERASETTE_DEBUG", "0")
    backends.set_backend("numpy")
    assert _debug_lines(capsys) == []


class _FakeDeviceBackend:
    """A backend with OpenCL's debug hooks: 3 launches per step, two kernel names."""

    name = "fake"

    def __init__(self):
        self.launches = 0
        self.debug = types.SimpleNamespace(kernel_times=self.kernel_times)
        self.pending = {}

    def counters(self):
        return {"host_to_device": 0, "device_to_host": 0, "kernel_launches": self.launches}

    def step(self):
        self.launches += 3
        self.pending = {"gemm": (0.002, 2), "add": (0.0005, 1)}

    def kernel_times(self):
        times, self.pending = self.pending, {}
        return times


@pytest.mark.parametrize("level, counts, times", [("1", False, False), ("2", True, False), ("3", True, True)])
def test_step_lines_by_level(monkeypatch, capsys, level, counts, times):
    fake = _FakeDeviceBackend()
    monkeypatch.setattr(backends, "_active", fake)
    monkeypatch.setenv("KERASETTE_DEBUG", level)
    counters = StepCounters()
    fake.pending = {"before the step": (1.0, 1)}  # not the step's: dropped by start()
    counters.start()
    fake.step()
    counters.stop(7)
    lines = _debug_lines(capsys)
    expected = []
    if counts:
        expected.append("kerasette debug: train step 7: host_to_device=0 device_to_host=0 kernel_launches=3")
    if times:
        expected.append("kerasette debug: kernel times of train step 7: gemm 2.000 ms x2, add 0.500 ms x1")
    assert lines == expected


def test_the_numpy_backend_has_no_step_lines(monkeypatch, capsys):
    monkeypatch.setattr(backends, "_active", backends.load_backend("numpy"))
    monkeypatch.setenv("KERASETTE_DEBUG", "3")
    counters = StepCounters()
    counters.start()
    counters.stop(1)
    assert not counters.active and _debug_lines(capsys) == []
