"""Files jwtscan reads or writes on request: regular files only, bounded, written atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scanner.errors import UsageError


def read_regular(path: Path, what: str, *, limit: int, errors: str = "replace") -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes; invalid bytes are handled
    by ``errors`` (``surrogateescape`` keeps them for :func:`write_atomic` to write back).

    A device, FIFO or socket is refused before a byte is read (``/dev/zero`` never ends, a FIFO
    blocks), and so is a larger file: its text would be held in memory whole.
    """
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; fstat then refuses it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UsageError(f"{what} {path} is not a regular file; refusing to read it")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise UsageError(f"{what} {path} is larger than {limit:,} bytes; refusing to load it whole")
    return data.decode("utf-8", errors)


def read_sized(path: str, size: int, limit: int) -> bytes:
    """The bytes of the file at ``path``, whose size was ``size`` when it was looked at: read
    into a buffer of that size (a read of ``limit`` would allocate, and the kernel map,
    megabytes for every file), and read on to just past ``limit`` if it grew since."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        data = read_up_to(descriptor, size + 1)
        if len(data) > size:
            data += read_up_to(descriptor, limit + 1 - len(data))
        return data
    finally:
        os.close(descriptor)


def read_up_to(descriptor: int, size: int) -> bytes:
    """At most ``size`` bytes, fewer only at the end of the file (os.read without a buffered
    reader's set-up, which costs more than reading a small file)."""
    data = os.read(descriptor, size)
    while 0 < len(data) < size:
        more = os.read(descriptor, size - len(data))
        if not more:
            break
        data += more
    return data


def writable_target(path: Path, root: Path | None = None) -> Path:
    """Where writing ``path`` lands: ``path`` with every symlink resolved. Refused (with the
    reason) when that is not a regular file or a new one, or lies outside ``root``."""
    target = path.resolve()
    if root is not None and not target.is_relative_to(root.resolve()):
        raise UsageError(
            f"{path} leads (through a symlink) to {target}, outside the repository; "
            "jwtscan does not write outside the repository: edit it by hand"
        )
    if os.path.lexists(target) and not target.is_file():
        raise UsageError(f"{path} is not a regular file; refusing to write to it")
    return target


def write_atomic(path: Path, text: str, *, root: Path | None = None, new_mode: int = 0o644) -> None:
    """Replace the file ``path`` leads to (see :func:`writable_target`) with ``text`` in UTF-8,
    atomically: a reader sees the old content or the new, never a part. Text read with
    ``surrogateescape`` is written back byte for byte. The file keeps its permissions; a new
    one gets ``new_mode``. A symlink stays a symlink."""
    commit(stage(path, text, root=root, new_mode=new_mode))


Staged = tuple[Path, str, Path]  # (the path as given, the temporary file, its target)


def stage(path: Path, text: str, *, root: Path | None = None, new_mode: int = 0o644) -> Staged:
    """The first half of :func:`write_atomic`: ``text`` written and synced to a temporary file
    beside the target, with the target's permissions. Several files staged first and then
    committed are all written or none is (when one cannot be staged)."""
    target = writable_target(path, root)
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else new_mode
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # not on a hook's path

        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text.encode("utf-8", "surrogateescape"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException as exc:
        discard((path, temporary, target))
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path, temporary, target


def commit(staged: Staged) -> None:
    """Put a staged file in place of its target."""
    path, temporary, target = staged
    try:
        os.replace(temporary, target)
    except OSError as exc:
        discard(staged)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def discard(staged: Staged) -> None:
    """Remove a staged file that will not be committed."""
    Path(staged[1]).unlink(missing_ok=True)
