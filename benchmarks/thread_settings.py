"""``--threads N`` for the benchmark scripts: read from the command line before numpy is imported.

BLAS reads its thread count when numpy loads, so a script calls ``apply_thread_argument`` first thing and
imports numpy (or kerasette) afterwards.
"""

import os

BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def apply_thread_argument(argv, default="2", extra_variables=()):
    """Set the BLAS thread variables (and ``extra_variables``) from ``--threads N`` in ``argv``.

    Args:
        argv: the command line (``sys.argv``).
        default: the count when ``--threads`` is not given.
        extra_variables: more environment variables to set to the same count (``KERASETTE_NUM_THREADS``).

    Returns:
        The thread count, as a string.
    """
    threads = default
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            threads = argv[i + 1]
        elif arg.startswith("--threads="):
            threads = arg.split("=", 1)[1]
    for name in BLAS_VARIABLES + tuple(extra_variables):
        os.environ[name] = threads
    return threads
