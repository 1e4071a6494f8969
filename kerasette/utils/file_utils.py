"""``get_file``: a file from a URL, downloaded once into a cache folder and checked against its hash.

Downloads stream into a temporary file next to the destination; the hash (when given) is checked
before ``os.replace`` moves it into place, so the cache never holds a partial or unverified file.
Offline, the error names the URL and the exact path where a copy fetched elsewhere can be placed.
Archives are extracted without following links and without writing outside the target folder.
"""

import functools
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from kerasette.utils import io_utils
from kerasette.utils.progbar import Progbar

_CHUNK = 1 << 20


def default_cache_dir():
    """``$KERASETTE_HOME``, else ``~/.kerasette``: where ``get_file`` keeps downloads (under ``datasets/``).

    Returns:
        A directory path (not created here).
    """
    return os.environ.get("KERASETTE_HOME") or os.path.join(os.path.expanduser("~"), ".kerasette")


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None, force_download=False):
    """Download ``origin`` into the cache (once), check its hash, optionally extract it; as ``keras.utils.get_file``.

    The file goes to ``<cache_dir>/<cache_subdir>/<fname>``; a cached copy whose hash matches (or
    any cached copy when no hash is given) is used without downloading.

    Args:
        fname: the file's name in the cache (default: the last part of the URL's path). A name, not a
            path: the folder is ``cache_dir``.
        origin: the URL (``https://``, ``http://`` or ``file://``).
        untar: Keras's older flag: extract as a tar archive (same as ``extract=True, archive_format="tar"``).
        md5_hash: Keras's older argument: an md5 hash to check (same as ``file_hash`` with ``"md5"``).
        file_hash: the expected sha256 or md5 hex digest of the file.
        cache_subdir: the folder under ``cache_dir``. Defaults to ``"datasets"``.
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (64 hex digits: sha256, else md5).
        extract: extract the archive (tar, tar.gz, tar.bz2, zip) next to the download.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"``, or a list of them to try.
        cache_dir: the cache folder (default ``$KERASETTE_HOME`` or ``~/.kerasette``).
        force_download: download again even if a cached copy exists.

    Returns:
        The path of the file, or of the extraction folder when extracting.

    Raises:
        ValueError: no ``origin``; a path as ``fname``; a hash mismatch after downloading; an unknown
            ``hash_algorithm``; an archive member that would land outside the folder or is a link.
        OSError: the download failed (offline, HTTP error...): the message names the URL and where to
            place a copy of the file.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if fname is not None:
        fname = os.fspath(fname)
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: {origin!r}. Please specify the "
                             "`fname` argument.")
    elif os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(f"Paths are not accepted as the `fname` argument; give the folder as `cache_dir`. "
                         f"Received: fname={fname!r}")
    folder = os.path.join(os.path.expanduser(cache_dir or default_cache_dir()), cache_subdir)
    os.makedirs(folder, exist_ok=True)
    if untar or extract:
        stem = fname.split(".")[0]
        target = os.path.join(folder, fname if "." in fname else f"{fname}_archive")
        extraction_dir = os.path.join(folder, f"{stem}_extracted" if "." in fname else fname)
    else:
        target = os.path.join(folder, fname)
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        io_utils.print_msg(f"A local file was found, but its {_algorithm(file_hash, hash_algorithm)} hash does not "
                           f"match {file_hash}: downloading it again.")
        download = True
    if download:
        _download(origin, target, file_hash, hash_algorithm)
    if untar or extract:
        extract_archive(target, extraction_dir, "tar" if untar else archive_format)
        return extraction_dir
    return target


def _algorithm(file_hash, hash_algorithm):
    if hash_algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    if hash_algorithm not in ("sha256", "md5"):
        raise ValueError(f'Invalid value for argument `hash_algorithm`. Expected "sha256", "md5" or "auto". '
                         f"Received: hash_algorithm={hash_algorithm!r}")
    return hash_algorithm


def hash_file(path, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file.

    Args:
        path: the file.
        algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (sha256).
        chunk_size: bytes read at a time.

    Returns:
        The hex digest.
    """
    digest = hashlib.md5() if algorithm == "md5" else hashlib.sha256()  # noqa: S324 - a checksum, not security
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def validate_file(path, file_hash, algorithm="auto"):
    """Whether the file's hash is ``file_hash``.

    Args:
        path: the file.
        file_hash: the expected hex digest.
        algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (chosen by the digest's length).

    Returns:
        A bool.
    """
    return hash_file(path, _algorithm(file_hash, algorithm)) == str(file_hash).lower()


def _download(origin, target, file_hash, hash_algorithm):
    io_utils.print_msg(f"Downloading data from {origin}")
    folder = os.path.dirname(target)
    handle, partial = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                _fetch(origin, out)
            except (urllib.error.URLError, OSError, ValueError) as error:
                reason = getattr(error, "reason", None) or error
                expected = f" with {_algorithm(file_hash, hash_algorithm)} {file_hash}" if file_hash else ""
                raise OSError(
                    f"Could not download {origin} ({reason}). If this machine is offline, download the file "
                    f"elsewhere and place it at {target}{expected}; get_file will then use it without downloading."
                ) from None
            out.flush()
            os.fsync(out.fileno())
        if file_hash is not None and not validate_file(partial, file_hash, hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file downloaded from {origin}: its "
                             f"{_algorithm(file_hash, hash_algorithm)} hash does not match the provided value of "
                             f"{file_hash}. Nothing was kept.")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _fetch(origin, out):
    with urllib.request.urlopen(origin, timeout=60) as response:  # noqa: S310 - the user's own URL
        total = response.headers.get("Content-Length")
        bar = Progbar(int(total) if total and total.isdigit() else None, unit_name="byte")
        done = 0
        for chunk in iter(lambda: response.read(_CHUNK), b""):
            out.write(chunk)
            done += len(chunk)
            bar.update(done)
        bar.update(done, finalize=True)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extract a tar or zip archive into ``path``, refusing links and members outside ``path``.

    Args:
        file_path: the archive.
        path: the folder to extract into (created if needed).
        archive_format: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"``, a list of them, or None (do nothing).

    Returns:
        True if the archive was extracted, False if it is none of the formats tried.

    Raises:
        ValueError: a member is a link, a device, or would be written outside ``path``.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else [archive_format] if isinstance(archive_format, str) \
        else list(archive_format)
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                members = archive.getmembers()
                for member in members:
                    if not (member.isfile() or member.isdir()):
                        raise ValueError(f"Refusing to extract {file_path}: member {member.name!r} is a link or a "
                                         "special file.")
                    _check_inside(path, member.name, file_path)
                _extract_all(path, functools.partial(_extract_tar_members, archive, members))
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                for name in archive.namelist():
                    _check_inside(path, name, file_path)
                _extract_all(path, archive.extractall)
            return True
    return False


def _extract_tar_members(archive, members, where):
    for member in members:
        destination = os.path.join(where, member.name)
        if member.isdir():
            os.makedirs(destination, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        with archive.extractfile(member) as source, open(destination, "wb") as out:
            shutil.copyfileobj(source, out)


def _check_inside(folder, name, archive):
    root = os.path.realpath(folder)
    destination = os.path.realpath(os.path.join(folder, name))
    if os.path.isabs(name) or os.path.commonpath([root, destination]) != root:
        raise ValueError(f"Refusing to extract {archive}: member {name!r} would be written outside {folder}.")


def _extract_all(path, extract):
    """Extract into a temporary sibling folder, then move it into place (nothing half-extracted remains)."""
    parent = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".extract-", dir=parent)
    try:
        extract(staging)
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.replace(staging, path)
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging)
