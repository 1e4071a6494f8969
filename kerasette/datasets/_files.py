"""Finding a dataset's files on disk, or downloading them once into the cache.

Each file is looked for, in order, in ``$KERASETTE_DATA/<name>/``, the cache
``~/.kerasette/datasets/<name>/`` and Debian's ``/usr/share/datasets/<name>/``.
A file found nowhere is downloaded from the dataset's mirrors into the cache:
streamed into a temporary file next to its destination, checked against its
sha256, and only then moved into place with ``os.replace``, so the cache never
holds a partial or unverified file.
"""

import contextlib
import gzip
import hashlib
import os
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Optional, Tuple

SYSTEM_DIR = "/usr/share/datasets"
MAX_DOWNLOAD_BYTES = 64 << 20
MAX_CONTENT_BYTES = 256 << 20
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset and the sha256 a download must have.

    ``content_sha256`` is the hash of the decompressed bytes: repackaged copies
    (Debian recompresses the Fashion-MNIST files, which changes the gzip bytes
    but not the data) are accepted when it matches.
    """

    name: str
    sha256: str
    content_sha256: Optional[str] = None


@dataclass(frozen=True)
class DatasetSource:
    name: str  # the folder name under every search directory, e.g. "fashion-mnist"
    files: Tuple[RemoteFile, ...]
    mirrors: Tuple[str, ...]  # base URLs, tried in order; a file's URL is base + file name
    how_to_get: str  # what to tell a user when nothing works


def cache_dir(name):
    return os.path.join(os.path.expanduser("~"), ".kerasette", "datasets", name)


def search_dirs(name):
    """Directories searched for ``name``'s files, first match wins."""
    dirs = []
    data = os.environ.get("KERASETTE_DATA")
    if data:
        dirs.append(os.path.join(data, name))
    dirs.append(cache_dir(name))
    dirs.append(os.path.join(SYSTEM_DIR, name))
    return dirs


def locate(source):
    """Paths of every file of ``source``: found on disk, else downloaded into the cache.

    Returns:
        dict from file name to path.

    Raises:
        FileNotFoundError: some file is on no search path and could not be downloaded;
            the message lists where it looked, why each download failed, and how to get
            the data.
    """
    dirs = search_dirs(source.name)
    paths, failures = {}, []
    for remote in source.files:
        found = [os.path.join(d, remote.name) for d in dirs if os.path.isfile(os.path.join(d, remote.name))]
        if found:
            paths[remote.name] = found[0]
            continue
        try:
            paths[remote.name] = download(source, remote)
        except OSError as error:
            failures.append((remote.name, error))
    if failures:
        looked = "" if os.environ.get("KERASETTE_DATA") else " ($KERASETTE_DATA is not set)"
        lines = [f"Could not find or download the {source.name} files {[name for name, _ in failures]}."]
        lines.append("Looked in: " + ", ".join(dirs) + looked + ".")
        lines += [f"Download of {name} failed: {error}" for name, error in failures]
        lines.append(source.how_to_get)
        raise FileNotFoundError("\n".join(lines))
    return paths


def download(source, remote):
    """Fetch ``remote`` from the first mirror that gives bytes with the right sha256.

    Raises:
        OSError: every mirror failed; the message says how each one failed.
    """
    folder = cache_dir(source.name)
    created = not os.path.isdir(folder)
    os.makedirs(folder, exist_ok=True)
    destination = os.path.join(folder, remote.name)
    errors = []
    for base in source.mirrors:
        url = base + remote.name
        handle, partial = tempfile.mkstemp(prefix=remote.name + ".", suffix=".part", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                _fetch(url, out)
                out.flush()
                os.fsync(out.fileno())
            verify(partial, remote, url)
            os.replace(partial, destination)
            return destination
        except (OSError, ValueError) as error:  # urllib's errors are OSErrors
            errors.append(f"{url}: {error}")
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    if created:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # leave no empty cache folder behind
    raise OSError("; ".join(errors))


def _fetch(url, out):
    """Stream ``url`` into the open binary file ``out`` (at most MAX_DOWNLOAD_BYTES)."""
    total = 0
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https mirrors
        while True:
            chunk = response.read(_CHUNK)
            if not chunk:
                return
            total += len(chunk)
            if total > MAX_DOWNLOAD_BYTES:
                raise ValueError(f"the download is larger than {MAX_DOWNLOAD_BYTES} bytes")
            out.write(chunk)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _content_sha256(path):
    digest, total = hashlib.sha256(), 0
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            total += len(chunk)
            if total > MAX_CONTENT_BYTES:
                return None
            digest.update(chunk)
    return digest.hexdigest()


def verify(path, remote, origin):
    """Raise ValueError unless ``path`` has ``remote``'s sha256 (or its content's)."""
    actual = sha256_of(path)
    if actual == remote.sha256:
        return
    if remote.content_sha256 is not None:
        try:
            if _content_sha256(path) == remote.content_sha256:
                return
        except (OSError, EOFError, ValueError, zlib.error):
            pass  # not gzip at all: reported as the mismatch below
    raise ValueError(f"sha256 mismatch for {remote.name} from {origin}: expected {remote.sha256}, got {actual}")
