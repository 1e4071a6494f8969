"""Atomic file writes: a reader sees the old file or the complete new one, never half of one.

The content goes to a temporary file in the destination's folder (so the
final ``os.replace`` is a rename on one file system), is flushed and
fsync'ed, then renamed over the destination. On any exception the
temporary file is removed and the destination is left untouched.

A process killed mid-write cannot clean up, so temporary files are named
after their destination, host and process:
``.<name>.kerasette-tmp-<host>-<pid>-<random>``. Each save first removes the
ones left for the same destination by processes of this host that are no
longer running, so repeated crashes do not pile up files.
"""

import contextlib
import os
import re
import secrets
import socket

TEMP_MARKER = ".kerasette-tmp-"


def check_destination(filepath, overwrite):
    """Refuse early (before any work) when ``overwrite=False`` and the file exists.

    Raises:
        FileExistsError: ``filepath`` exists and ``overwrite`` is False.
        IsADirectoryError: ``filepath`` is a directory.
    """
    filepath = os.fspath(filepath)
    if os.path.isdir(filepath):
        raise IsADirectoryError(f"Cannot save to {filepath!r}: it is a directory. Expected a file path.")
    if not overwrite and os.path.lexists(filepath):
        raise FileExistsError(
            f"File {filepath!r} already exists and overwrite=False; nothing was written. "
            "Pass overwrite=True to replace it."
        )
    return filepath


@contextlib.contextmanager
def atomic_path(filepath, overwrite=True):
    """Yield a temporary path to write; on success it replaces ``filepath`` atomically.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "x.txt")
    >>> with atomic_path(target) as tmp:
    ...     with open(tmp, "w") as handle:
    ...         _ = handle.write("hello")
    >>> with open(target) as handle:
    ...     handle.read()
    'hello'

    Raises:
        FileExistsError: ``filepath`` exists and ``overwrite`` is False (nothing is written).
    """
    filepath = check_destination(filepath, overwrite)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to {filepath!r}: the folder {folder!r} does not exist.")
    remove_stale_temp_files(filepath)
    tmp = _create_temp(folder, os.path.basename(filepath))
    try:
        yield tmp
        _fsync_file(tmp)
        if not overwrite and os.path.lexists(filepath):  # created by someone else meanwhile
            raise FileExistsError(f"File {filepath!r} appeared while saving and overwrite=False; it was kept.")
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


def _host():
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:64] or "host"


def temp_prefix(filepath):
    """The start of the names of this host's temporary files for ``filepath``: ``.<name>.kerasette-tmp-<host>-``."""
    return f".{os.path.basename(os.fspath(filepath))}{TEMP_MARKER}{_host()}-"


def _pid_alive(pid):
    if os.name != "posix":
        return True  # no cheap check: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: a process of another user has the pid
        return True
    return True


def remove_stale_temp_files(filepath):
    """Remove the temporary files earlier saves to ``filepath`` left when their process died.

    Only files named by this host's saves to the same destination, whose
    process is no longer running, are removed.

    Returns:
        The paths removed.
    """
    folder = os.path.dirname(os.path.abspath(os.fspath(filepath)))
    prefix = temp_prefix(filepath)
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefix):
            continue
        pid = name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or _pid_alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.remove(os.path.join(folder, name))
            removed.append(os.path.join(folder, name))
    return removed


def _create_temp(folder, base):
    """An empty new file next to the destination, with the permissions the umask gives new files."""
    prefix = temp_prefix(os.path.join(folder, base))
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.getpid()}-{secrets.token_hex(6)}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(f"Could not create a temporary file in {folder!r}.")


def _fsync_file(path):
    with open(path, "rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder):
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
