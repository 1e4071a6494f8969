"""Load a file in a fresh Python process with an address-space limit, and measure what it cost.

``probe(path)`` runs ``kerasette.models.load_model(path)`` (or ``load_weights`` into a model a
snippet builds) in a child process under ``RLIMIT_AS`` (1 GiB by default) and returns
``{"outcome", "type", "message", "seconds", "rss_mb"}``: ``outcome`` is ``"loaded"``, ``"error"``
(a ``kerasette.saving.InvalidFileError``) or ``"other"``; ``rss_mb`` is the child's peak resident
memory during the load (``VmHWM`` after a reset once kerasette is imported).
"""

import json
import os
import subprocess
import sys

import kerasette

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(kerasette.__file__)))

CHILD = r'''
import json, resource, sys, time
limit = int(sys.argv[2])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, sys.argv[3])
import kerasette as ks
from kerasette.saving import InvalidFileError
build = sys.argv[4]
model = None
if build:
    namespace = {"ks": ks}
    exec(build, namespace)
    model = namespace["model"]
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
start = time.perf_counter()
try:
    if model is None:
        ks.models.load_model(sys.argv[1])
    else:
        model.load_weights(sys.argv[1])
    outcome, kind, message = "loaded", "", ""
except InvalidFileError as error:
    outcome, kind, message = "error", type(error).__name__, str(error)
except BaseException as error:
    outcome, kind, message = "other", type(error).__name__, str(error)
print(json.dumps({"outcome": outcome, "type": kind, "message": message[:2000],
                  "seconds": time.perf_counter() - start, "rss_mb": hwm()}))
'''


def probe(path, memory_limit=1024**3, timeout=60, build="", env=None):
    """Load ``path`` in a child process (see the module docstring); ``build`` defines ``model`` for load_weights."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, os.fspath(path), str(memory_limit), ROOT, build],
        capture_output=True, text=True, timeout=timeout,
        env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", **(env or {})))
    lines = completed.stdout.strip().splitlines()
    if completed.returncode or not lines:
        return {"outcome": "crash", "type": f"exit {completed.returncode}", "message": completed.stderr[-2000:],
                "seconds": 0.0, "rss_mb": 0.0}
    return json.loads(lines[-1])
