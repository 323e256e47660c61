"""The methods ``dataclasses`` writes for each class, compiled once and kept between runs.

A frozen dataclass gets ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``
and ``__delattr__`` as source text that ``dataclasses`` compiles with ``exec`` when the class is
created: the thirty classes a hook run imports cost it about 40% of its instructions, every run,
for the same texts. Python keeps a module's compiled code in ``__pycache__``; this keeps these
functions' code in the cache folder (``$XDG_CACHE_HOME/jwtscan``, else ``~/.cache/jwtscan``),
keyed by their exact source text and named after jwtscan's and Python's versions. The code is
what ``compile`` gives for that text, so the classes are the same. Only a file that this user
owns and no one else can write is read (it holds code that runs); new texts are added when the
process exits. Anything unusual means compiling as usual.

The cache folder's helpers live here too (:func:`cache_folder`, :func:`keep`,
:func:`read_private`): the parsed rules and their compiled regexes are kept the same way.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import stat
import sys
import zlib
from pathlib import Path
from types import CodeType
from typing import Any

# Changed when what is kept changes meaning (2: compiled without this module's future flags).
FORMAT = 2


class CodeCache:
    """Source text -> code, read from ``path`` and written back when it learnt new texts."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.compiled = 0  # texts compiled by this process (tests read it)
        self._pid = os.getpid()  # a forked child never writes its parent's cache
        self._codes: dict[str, CodeType] = {} if path is None else _read(path)
        self._new = False

    def exec(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> None:
        """``exec`` as ``dataclasses`` calls it, with the code of a known text reused."""
        if isinstance(source, str):
            code = self._codes.get(source)
            if code is None:
                # dont_inherit: this module's ``from __future__ import annotations`` must not
                # turn the generated methods' annotations into strings.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
                self._codes[source] = code
                self._new = True
            source = code
        builtins.exec(source, globals, locals)

    def save(self) -> None:
        """Write the texts this process compiled too (atomically; never failing a run)."""
        if not self._new or self.path is None or os.getpid() != self._pid:
            return
        try:
            keep(self.path, marshal.dumps(self._codes), "dataclasses-*.marshal")
        except (OSError, ValueError):
            return
        self._new = False


def reuse_compiled_dataclasses(version: str) -> CodeCache:
    """Have ``dataclasses`` take known methods' code from the cache (see the module)."""
    tag = f"{FORMAT} {version} {sys.version} {sys.implementation.cache_tag}"
    digest = zlib.crc32(tag.encode())
    folder = cache_folder()
    cache = CodeCache(None if folder is None else folder / f"dataclasses-{digest:08x}.marshal")
    dataclasses.exec = cache.exec  # type: ignore[attr-defined]
    atexit.register(cache.save)
    return cache


def keep(path: Path, data: bytes, older: str | None = None) -> None:
    """Write ``data`` to ``path`` in the cache folder, private to this user and atomically
    (runs may go side by side), and delete the files ``older`` names that it replaces (none
    when None)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in () if older is None else path.parent.glob(older):
        if old != path:
            old.unlink(missing_ok=True)


def cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/jwtscan``, else ``~/.cache/jwtscan``; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "jwtscan"
    try:
        return Path.home() / ".cache" / "jwtscan"
    except RuntimeError:
        return None


def _read(path: Path) -> dict[str, CodeType]:
    try:
        data = read_private(path)
        stored = None if data is None else marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        text: code
        for text, code in stored.items()
        if isinstance(text, str) and isinstance(code, CodeType)
    }


def read_private(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is :func:`private`; opened without waiting (a FIFO there
    would block an ``open``), checked on the open file (not a name that can change)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as stream:
        return stream.read() if private(os.fstat(stream.fileno())) else None


def private(status: os.stat_result) -> bool:
    """A regular file of this user's that no one else can write (where files have owners)."""
    return (
        hasattr(os, "getuid")
        and stat.S_ISREG(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
