"""The OpenCL device, context and queue: chosen once, on first use, never interactively.

``KERASETTE_OPENCL_DEVICE`` picks a device by its index in the list of every platform's devices
or by a substring of its name (case-insensitive); without it the first GPU wins, else the first
device, skipping devices whose compiler cannot build a one-line kernel (PoCL 3.0's LLVM 14, for
example, fails on CPUs newer than it knows, such as AMD Zen 5: "unknown target CPU 'generic'").
The choice is logged once (logger ``kerasette``, level INFO), and printed to stderr at
``KERASETTE_DEBUG`` >= 1. At ``KERASETTE_DEBUG=3`` the queue is created with profiling enabled
(``debug.kernel_times``); below that it is a plain in-order queue.
"""

import logging
import os
import sys
import warnings

import pyopencl as cl
from kerasette.backends.opencl import debug

logger = logging.getLogger("kerasette")

_state = {"runtime": None}


class OpenCLError(RuntimeError):
    """A clear OpenCL failure: no platform, no matching device, a kernel that does not build."""


class DeviceOutOfMemoryError(MemoryError):
    """The device could not hold an allocation."""


class Runtime:
    """One device with its context and in-order queue, plus what kernels need to know about it."""

    def __init__(self, device, profiling=False):
        self.device = device
        self.context = cl.Context([device])
        self.profiling = bool(profiling)  # kernel launches keep their events for debug.kernel_times
        if self.profiling:
            self.queue = cl.CommandQueue(self.context, properties=cl.command_queue_properties.PROFILING_ENABLE)
        else:
            self.queue = cl.CommandQueue(self.context)
        self.name = device.name.strip()
        self.platform = device.platform.name.strip()
        self.driver = device.driver_version.strip()
        self.is_gpu = bool(device.type & cl.device_type.GPU)
        self.has_fp64 = "cl_khr_fp64" in device.extensions or bool(device.double_fp_config)
        self.has_fp16 = "cl_khr_fp16" in device.extensions  # reported in errors; no kernel has a half version yet
        self.max_work_group_size = device.max_work_group_size
        self.global_mem_size = device.global_mem_size
        self.max_alloc_size = device.max_mem_alloc_size

    def describe(self):
        kind = "GPU" if self.is_gpu else "CPU" if self.device.type & cl.device_type.CPU else "device"
        return f"{self.name} ({kind}, platform {self.platform}, driver {self.driver})"


def _all_devices():
    try:
        platforms = cl.get_platforms()
    except cl.Error as error:  # pyopencl raises when the ICD loader finds no platform
        platforms = []
        reason = str(error)
    else:
        reason = ""
    devices = []
    for platform in platforms:
        try:
            devices.extend(platform.get_devices())
        except cl.Error:
            continue
    if not devices:
        raise OpenCLError(
            "No OpenCL platform with a device was found" + (f" ({reason})" if reason else "") + ". "
            "On a CPU-only machine `pip install pocl-binary-distribution` provides one; on an NVIDIA machine "
            "the driver's ICD file must be registered (see OCL_ICD_VENDORS)."
        )
    return devices


def select_device(request=None):
    """The device for ``request`` (an index or a name substring), else the first GPU, else the first device."""
    devices = _all_devices()
    listing = ", ".join(f"{i}: {d.name.strip()} [{d.platform.name.strip()}]" for i, d in enumerate(devices))
    if request is not None and str(request).strip() != "":
        text = str(request).strip()
        if text.lstrip("-").isdigit():
            index = int(text)
            if not 0 <= index < len(devices):
                raise OpenCLError(
                    f"KERASETTE_OPENCL_DEVICE={text!r} is not a device index: expected 0 to {len(devices) - 1}. "
                    f"Devices: {listing}."
                )
            return devices[index]
        matches = [d for d in devices if text.lower() in d.name.lower()]
        if not matches:
            raise OpenCLError(f"No OpenCL device matches KERASETTE_OPENCL_DEVICE={text!r}. Devices: {listing}.")
        return matches[0]
    gpus = [d for d in devices if d.type & cl.device_type.GPU]
    others = [d for d in devices if not d.type & cl.device_type.GPU]
    failures = []
    for device in gpus + others:
        problem = _compiler_problem(device)
        if problem is None:
            for skipped, reason in failures:
                logger.warning("kerasette OpenCL backend: skipping %s: its compiler fails (%s)", skipped, reason)
            return device
        failures.append((f"{device.name.strip()} [{device.platform.name.strip()}]", problem))
    details = "; ".join(f"{name}: {reason}" for name, reason in failures)
    raise OpenCLError(
        f"No OpenCL device can build kernels ({details}). The PoCL bundled with pyopencl may not know this "
        "CPU; a newer PoCL (Debian/Ubuntu: apt-get install pocl-opencl-icd) usually does."
    )


_PROBE_SOURCE = "__kernel void kerasette_probe(__global float *x) { x[get_global_id(0)] += 1.0f; }"


def _compiler_problem(device):
    """None when ``device`` builds a one-line kernel, else the first line of the compiler's complaint."""
    try:
        context = cl.Context([device])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyopencl warns on any compiler output
            cl.Program(context, _PROBE_SOURCE).build(devices=[device])
    except cl.Error as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        useful = [line for line in lines if "error" in line.lower() and "clBuildProgram" not in line]
        return (useful or lines or ["build failed"])[0][:200]
    return None


def get():
    """The process's runtime, created (and logged) on first call."""
    runtime = _state["runtime"]
    if runtime is None:
        level = debug.level()
        runtime = Runtime(select_device(os.environ.get("KERASETTE_OPENCL_DEVICE")), profiling=level >= 3)
        _state["runtime"] = runtime
        logger.info("kerasette OpenCL backend: using %s", runtime.describe())
        if level >= 1:
            profiling = " (profiling kernels)" if runtime.profiling else ""
            print(f"kerasette debug: OpenCL device {runtime.describe()}{profiling}", file=sys.stderr)
    return runtime


def device_name():
    return get().name
