"""Files written whole or not at all: through a temporary file in the same folder and a rename.

A reader never sees half a file, a failed write leaves the old file (or none) in place, and
writing a file never truncates a file being read, even one that shares its inode (a hard link,
or the input itself: ``clean FILE -o FILE``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary stream that replaces ``target`` when the block ends without an exception.

    The folder is created if needed; the new file gets the old one's permissions, or the
    default ones (``0o666`` less the umask).  Raises :class:`OSError` when the folder cannot be
    created or written; the temporary file is removed on any failure.  A link is followed (the
    file it names is replaced, the link kept); a target that exists and is not a regular file
    (``/dev/null``, a pipe) is written in place, since renaming over it would replace it.
    """
    import tempfile  # only when writing: keeps it out of every start-up

    target = os.fspath(target)
    if os.path.islink(target):
        target = os.path.realpath(target)
    if os.path.exists(target) and not os.path.isfile(target):
        with open(target, "wb") as out:
            yield out
        return
    parent = os.path.dirname(target) or "."
    os.makedirs(parent, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".tmp-", dir=parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.chmod(staging, _permissions(target))
        os.replace(staging, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise


def write_atomically(target: str | os.PathLike[str], parts: Iterable[bytes]) -> None:
    """Write ``parts`` to ``target`` through :func:`atomic_output`."""
    with atomic_output(target) as out:
        for part in parts:
            out.write(part)


def _permissions(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
