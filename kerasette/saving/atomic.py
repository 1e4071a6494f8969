"""Atomic file writes: a reader sees the old file or the complete new one, never half of one.

The content goes to a temporary file in the destination's folder (so the
final ``os.replace`` is a rename on one file system), is flushed and
fsync'ed, then renamed over the destination. On any exception the
temporary file is removed and the destination is left untouched.
"""

import contextlib
import os
import secrets


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
    ...     _ = open(tmp, "w").write("hello")
    >>> open(target).read()
    'hello'

    Raises:
        FileExistsError: ``filepath`` exists and ``overwrite`` is False (nothing is written).
    """
    filepath = check_destination(filepath, overwrite)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to {filepath!r}: the folder {folder!r} does not exist.")
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


def _create_temp(folder, base):
    """An empty new file next to the destination, with the permissions the umask gives new files."""
    for _ in range(100):
        path = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
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
