"""The OpenCL runtime: device selection, errors, the program cache, allocation and transfer counters."""

import logging
import os
import sys

import numpy as np
import pytest

cl = pytest.importorskip("pyopencl")

from kerasette import backends  # noqa: E402


@pytest.fixture
def runtime(ocl):
    from kerasette.backends.opencl import runtime

    return runtime


def _names(runtime):
    return [d.name.strip() for d in runtime._all_devices()]


def test_device_by_index_and_by_name_substring(runtime):
    names = _names(runtime)
    assert runtime.select_device("0").name.strip() == names[0]
    fragment = names[-1][2:9].upper()  # case-insensitive substring
    assert fragment.lower() in runtime.select_device(fragment).name.lower()


def test_default_is_first_gpu_else_first_device(runtime):
    devices = runtime._all_devices()
    gpus = [d for d in devices if d.type & cl.device_type.GPU]
    assert runtime.select_device(None) == (gpus or devices)[0]


@pytest.mark.parametrize("request_text, match", [
    ("no-such-device-xyz", "No OpenCL device matches KERASETTE_OPENCL_DEVICE='no-such-device-xyz'"),
    ("57", "is not a device index: expected 0 to"),
])
def test_bad_device_request_names_the_variable_and_lists_devices(runtime, request_text, match):
    with pytest.raises(runtime.OpenCLError, match=match) as info:
        runtime.select_device(request_text)
    assert "Devices: 0: " in str(info.value)


def test_no_platform_is_a_clear_error(runtime, monkeypatch):
    monkeypatch.setattr(cl, "get_platforms", lambda: [])
    with pytest.raises(runtime.OpenCLError, match="No OpenCL platform with a device was found"):
        runtime.select_device(None)


def test_choice_is_logged_once(runtime, monkeypatch, caplog):
    monkeypatch.setitem(runtime._state, "runtime", None)
    with caplog.at_level(logging.INFO, logger="kerasette"):
        first = runtime.get()
        assert runtime.get() is first
    messages = [r.getMessage() for r in caplog.records if "OpenCL backend: using" in r.getMessage()]
    assert len(messages) == 1 and first.name in messages[0]


def test_failed_set_backend_leaves_the_previous_backend_active(ocl, monkeypatch):
    from kerasette.backends.opencl import runtime

    before = backends.current()
    monkeypatch.setitem(runtime._state, "runtime", None)
    monkeypatch.setenv("KERASETTE_OPENCL_DEVICE", "no-such-device-xyz")
    with pytest.raises(runtime.OpenCLError, match="no-such-device-xyz"):
        backends.set_backend("opencl")
    assert backends.current() is before
    assert runtime._state["runtime"] is None  # nothing half-initialised


def test_missing_pyopencl_says_which_extra_to_install(monkeypatch):
    for name in [m for m in sys.modules if m.startswith("kerasette.backends.opencl")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyopencl", None)  # makes `import pyopencl` raise ImportError
    with pytest.raises(ImportError, match=r'pip install "kerasette\[opencl\]"'):
        backends.load_backend("opencl")


def test_kernel_build_failure_names_the_device_and_shows_the_log(ocl):
    from kerasette.backends.opencl import programs, runtime

    with pytest.raises(runtime.OpenCLError) as info:
        programs.build("broken.cl", text="__kernel void broken(__global float *x) { x[0] = undefined_name; }")
    message = str(info.value)
    assert "broken.cl failed to build on device" in message and runtime.get().name in message
    assert "undefined_name" in message  # the compiler's log


def test_programs_are_cached_in_memory_and_on_disk(ocl, monkeypatch, tmp_path):
    from kerasette.backends.opencl import programs

    monkeypatch.setenv("KERASETTE_OPENCL_CACHE", str(tmp_path))
    source = "__kernel void twice(__global float *x) { x[get_global_id(0)] *= SCALE; }"
    first = programs.build("twice.cl", {"SCALE": 2}, text=source)
    assert programs.build("twice.cl", {"SCALE": 2}, text=source) is first
    files = os.listdir(tmp_path)
    assert len(files) == 1 and files[0].endswith(".bin")
    # A new process (empty memory cache) loads the binary instead of compiling.
    monkeypatch.setattr(programs, "_programs", {})
    loaded = []
    original = programs._load_binary
    monkeypatch.setattr(programs, "_load_binary", lambda *a: loaded.append(1) or original(*a))
    again = programs.build("twice.cl", {"SCALE": 2}, text=source)
    assert loaded == [1] and again is not first
    # A different define is a different program.
    programs.build("twice.cl", {"SCALE": 3}, text=source)
    assert len(os.listdir(tmp_path)) == 2


def test_out_of_device_memory_says_reduce_batch_size(ocl):
    from kerasette.backends.opencl import memory, runtime

    too_big = runtime.get().max_alloc_size // 4 + 1
    with pytest.raises(runtime.DeviceOutOfMemoryError, match="Reduce batch_size") as info:
        memory.empty((too_big, 8), "float32")
    assert runtime.get().name in str(info.value)


def test_transfers_are_counted(ocl):
    before = ocl.counters()
    x = ocl.asarray(np.arange(6, dtype="float32"))
    np.testing.assert_array_equal(ocl.to_numpy(ocl.full((2, 3), 1.5, "float32")), np.full((2, 3), 1.5, "float32"))
    after = ocl.counters()
    assert after["host_to_device"] - before["host_to_device"] == 1
    assert after["device_to_host"] - before["device_to_host"] == 1
    assert after["kernel_launches"] - before["kernel_launches"] == 1
    assert ocl.shape(ocl.reshape(x, (3, -1))) == (3, 2)


# Runtimes made by the debug-level tests stay alive: programs are cached by id(runtime), which a new
# runtime must not reuse while programs built for a dead one are still in the cache.
_KEPT_RUNTIMES = []


def _new_runtime(runtime, monkeypatch, level):
    monkeypatch.setenv("KERASETTE_DEBUG", level)
    monkeypatch.setitem(runtime._state, "runtime", None)
    rt = runtime.get()
    _KEPT_RUNTIMES.append(rt)
    return rt


def _device_lines(capsys):
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("kerasette debug: OpenCL")]


@pytest.mark.parametrize("level", ["1", "2"])
def test_debug_levels_1_and_2_print_the_device_once_without_profiling(runtime, monkeypatch, capsys, level):
    rt = _new_runtime(runtime, monkeypatch, level)
    assert runtime.get() is rt
    assert _device_lines(capsys) == [f"kerasette debug: OpenCL device {rt.describe()}"]
    assert not rt.profiling
    assert not rt.queue.properties & cl.command_queue_properties.PROFILING_ENABLE


def test_debug_level_0_prints_nothing(runtime, monkeypatch, capsys):
    rt = _new_runtime(runtime, monkeypatch, "0")
    assert _device_lines(capsys) == [] and not rt.profiling


def test_debug_level_3_profiles_every_launch(runtime, monkeypatch, capsys, tmp_path):
    from kerasette.backends.opencl import creation, debug, launch, programs

    monkeypatch.setenv("KERASETTE_OPENCL_CACHE", str(tmp_path))
    rt = _new_runtime(runtime, monkeypatch, "3")
    assert _device_lines(capsys) == [f"kerasette debug: OpenCL device {rt.describe()} (profiling kernels)"]
    assert rt.profiling and rt.queue.properties & cl.command_queue_properties.PROFILING_ENABLE
    source = "__kernel void twice(__global float *x) { x[get_global_id(0)] *= 2.0f; }"
    kernel = cl.Kernel(programs.build("twice.cl", text=source), "twice")
    x = creation.asarray(np.ones(1 << 16, np.float32))
    debug.kernel_times()  # start from nothing
    for _ in range(3):
        launch.run(kernel, x.size, None, x)
    times = debug.kernel_times()
    assert list(times) == ["twice"] and times["twice"][1] == 3
    assert 0 < times["twice"][0] < 10  # seconds, from the profiling events
    assert debug.kernel_times() == {}  # read once
    np.testing.assert_array_equal(creation.to_numpy(x), np.full(1 << 16, 8.0, np.float32))
