"""The program compiler: ``.cl`` sources built once per device and set of defines.

Built programs are cached in memory and on disk. The disk key is a sha256 of the device name, its
platform and driver versions, the source text and the build options, so a driver update or an edited
kernel rebuilds. The disk cache lives in ``KERASETTE_OPENCL_CACHE`` (default
``~/.kerasette/opencl-cache``); it is written on the first build, never at import. A kernel that fails
to build raises ``OpenCLError`` with the device's name and the compiler's log.
"""

import hashlib
import os
import tempfile
import warnings

import pyopencl as cl
from kerasette.backends.opencl import runtime

KERNEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels")
_programs = {}  # (runtime id, file, options) -> cl.Program
_kernels = {}  # (runtime id, file, options, kernel name) -> cl.Kernel
_sources = {}


def cache_dir():
    return os.environ.get("KERASETTE_OPENCL_CACHE") or os.path.join(os.path.expanduser("~"), ".kerasette",
                                                                     "opencl-cache")


def _read(filename):
    """``kernels/<filename>`` with each ``#include "other.cl"`` line replaced by that file's text.

    So the cache key (a hash of the text) covers included files too.
    """
    with open(os.path.join(KERNEL_DIR, filename), encoding="utf-8") as f:
        lines = f.read().splitlines()
    return "\n".join(_read(line.split('"')[1]) if line.startswith('#include "') else line for line in lines)


def source(filename):
    """The text of ``kernels/<filename>``, with ``common.cl`` in front and its includes inlined."""
    text = _sources.get(filename)
    if text is None:
        text = _sources[filename] = _read("common.cl") + "\n" + _read(filename) + "\n"
    return text


def options(defines):
    """Build options from a dict of defines (sorted, so equal dicts give equal cache keys)."""
    return tuple(f"-D{key}={value}" for key, value in sorted(defines.items()))


def _disk_key(rt, text, opts):
    digest = hashlib.sha256()
    for part in (rt.name, rt.platform, rt.device.platform.version, rt.driver, text, "\0".join(opts)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _load_binary(rt, path, opts):
    try:
        with open(path, "rb") as f:
            binary = f.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cl.Program(rt.context, [rt.device], [binary]).build(options=list(opts))
    except (OSError, cl.Error):
        return None  # unreadable or stale: rebuild from source


def _save_binary(program, path):
    try:
        binary = program.get_info(cl.program_info.BINARIES)[0]
        if not binary:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(binary)
        os.replace(tmp, path)
    except (OSError, cl.Error):
        pass  # a read-only home only costs a rebuild next time


def build(filename, defines=None, text=None):
    """The built program for ``filename`` (or for ``text``, named ``filename``) with ``defines``."""
    rt = runtime.get()
    opts = options(defines or {})
    key = (id(rt), filename, opts)
    program = _programs.get(key)
    if program is not None:
        return program
    text = text if text is not None else source(filename)
    path = os.path.join(cache_dir(), _disk_key(rt, text, opts) + ".bin")
    program = _load_binary(rt, path, opts) if os.path.exists(path) else None
    if program is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pyopencl warns on any compiler output
                program = cl.Program(rt.context, text).build(options=list(opts), devices=[rt.device])
        except cl.Error as error:
            raise runtime.OpenCLError(
                f"OpenCL kernel source {filename} failed to build on device {rt.name} ({rt.platform}, driver "
                f"{rt.driver}) with options {' '.join(opts) or '(none)'}. Build log:\n{error}"
            ) from None
        _save_binary(program, path)
    _programs[key] = program
    return program


def kernel(filename, name, defines=None):
    """The kernel ``name`` of ``filename`` built with ``defines`` (cached, so its arguments are set per launch)."""
    rt = runtime.get()
    opts = options(defines or {})
    key = (id(rt), filename, opts, name)
    found = _kernels.get(key)
    if found is None:
        found = _kernels[key] = cl.Kernel(build(filename, defines), name)
    return found
