"""The one error type for files kerasette cannot or will not load, and the helpers that raise it.

Every problem found in a file (corrupted bytes, a config that does not
rebuild, weights that do not fit, refused content, sizes over the limits)
reaches the caller as an ``InvalidFileError``, a ``ValueError`` whose message
names the file, the place inside it (a ``.keras`` member, an HDF5 path, a
config path) and what was wrong. ``UnsafeFileError``, the name kerasette's
refusals of unsafe content had first, is the same class under another name.
Low-level exceptions (h5py's ``OSError``/``RuntimeError``, ``zipfile``'s
``BadZipFile``, ``json``/``UnicodeDecodeError``, ``KeyError``...) are wrapped
at the boundary, with the original kept as ``__cause__``.
"""

import contextlib


class InvalidFileError(ValueError):
    """A file kerasette cannot load: corrupted, inconsistent, over a limit, or refused.

    Attributes:
        filepath: how the file was named to the loader (``repr`` of the path), or None.
        location: where inside the file (``.keras`` member, HDF5 path, config path), or None.
    """

    def __init__(self, message, filepath=None, location=None):
        super().__init__(message)
        self.filepath = filepath
        self.location = location


# The name kerasette's refusals had first; the same class, so ``except UnsafeFileError`` catches every file problem.
UnsafeFileError = InvalidFileError


def describe(error):
    """``error`` as one line: its message, with the type for low-level exceptions."""
    if isinstance(error, KeyError) and error.args:
        return f"missing key {error.args[0]!r}"
    text = str(error)
    if type(error) in (ValueError, TypeError) or isinstance(error, InvalidFileError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def wrap(error, filepath, location=None):
    """An ``InvalidFileError`` for ``error`` met while reading ``filepath`` (at ``location``).

    Messages that already name the file are kept as they are; others get
    ``Cannot load <file> (<location>): `` in front.
    """
    if isinstance(error, InvalidFileError) and filepath and filepath in str(error):
        return error
    where = f" ({location})" if location else ""
    return InvalidFileError(f"Cannot load {filepath}{where}: {describe(error)}", filepath, location)


@contextlib.contextmanager
def reading(filepath, location=None):
    """Turn any exception raised inside the block into an ``InvalidFileError`` naming ``filepath``/``location``.

    Errors of that type that already name the file pass unchanged; the
    original exception is kept as ``__cause__``.

    >>> try:
    ...     with reading("'m.keras'", "member 'config.json'"):
    ...         {}["units"]
    ... except InvalidFileError as error:
    ...     print(error)
    Cannot load 'm.keras' (member 'config.json'): missing key 'units'
    """
    try:
        yield
    except InvalidFileError as error:
        wrapped = wrap(error, filepath, location)
        if wrapped is error:
            raise
        raise wrapped from error
    except Exception as error:  # noqa: BLE001 - this is the boundary that names the file
        raise wrap(error, filepath, location) from error
