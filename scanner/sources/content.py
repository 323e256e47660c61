"""File and blob content into items: binary or text (BOMs, UTF-16), one style of line ends,
the size limit."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from scanner.findings import Commit, Fragment, Skipped, Unreadable
from scanner.sources.dotenv import EnvFile

if TYPE_CHECKING:
    from scanner.sources.git import Repository

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192

# Whether a file's bytes (UTF-8 without a BOM: see is_plain_utf8) may hold a finding, given its
# path: False when they hold no keyword of a rule that applies to it, so they are not decoded.
Screen: TypeAlias = Callable[[str, bytes], bool]


@dataclass(frozen=True, slots=True)
class Screened:
    """A file whose bytes hold no keyword of a rule that applies to it: judged, and clean,
    without being decoded (most files of a tree or a history). ``size``: its bytes."""

    path: str
    size: int


@dataclass(frozen=True, slots=True)
class Blob:
    """A blob of the history, not read yet: whoever judges it reads it (:meth:`load`), so the
    process that walks the history sends ids, never contents."""

    path: str
    blob: str
    commit: Commit | None
    max_file_size: int
    repo: Repository

    def __reduce__(self) -> tuple[type[Blob], tuple[object, ...]]:
        # Sent to a worker per blob of a history: its fields as a tuple, not the dataclass
        # state pickling walks ``fields()`` for (60 -> 15 us a batch of 8 in the parent).
        return Blob, (self.path, self.blob, self.commit, self.max_file_size, self.repo)

    def load(self, screen: Screen | None = None) -> Loaded:
        from scanner.sources.git import read_blob

        data = read_blob(self.repo, self.blob)
        return loaded(self.path, data, self.max_file_size, screen, self.commit, self.blob)


@dataclass(frozen=True, slots=True)
class File:
    """A file of a working tree or folder, not read yet: whoever judges it reads it (a worker,
    in a scan of many files), so no one process reads and decodes every file in turn.

    ``name``: where it is, relative to ``root``; ``path``: the name it is reported under (a
    nested repository's files get the folder's prefix)."""

    path: str
    root: Path
    name: str
    max_file_size: int

    def __reduce__(self) -> tuple[type[File], tuple[object, ...]]:
        # Sent to a worker per file of a tree: its fields as a tuple (see Blob.__reduce__).
        return File, (self.path, self.root, self.name, self.max_file_size)

    def load(self, screen: Screen | None = None) -> Loaded:
        from scanner.sources.tree import read_bytes

        data = read_bytes(self.root, self.name, self.max_file_size)
        if isinstance(data, bytes):
            # Under the name it is reported and judged by: the rules' paths are matched to it.
            return loaded(self.path, data, self.max_file_size, screen)
        if self.path == self.name:
            return data
        moved: Skipped | Unreadable = replace(data, path=self.path)
        return moved


Item = Fragment | Skipped | Unreadable | EnvFile | Blob | File
# What reading a blob or a file gives.
Loaded: TypeAlias = "Fragment | Skipped | Unreadable | Screened"


def loaded(
    path: str,
    data: bytes | None,
    max_file_size: int,
    screen: Screen | None,
    commit: Commit | None = None,
    blob: str | None = None,
) -> Loaded:
    """:func:`from_bytes`, but bytes of plain UTF-8 that ``screen`` turns away are not decoded."""
    if (
        screen is not None
        and data is not None
        and len(data) <= max_file_size
        and is_plain_utf8(data)
        and not screen(path, data)
    ):
        return Screened(path, len(data))
    item = from_bytes(path, data, max_file_size, commit=commit, blob=blob)
    assert isinstance(item, (Fragment, Skipped, Unreadable))
    return item


def from_bytes(
    path: str,
    data: bytes | None,
    max_file_size: int,
    *,
    added_lines: frozenset[int] | None = None,
    commit: Commit | None = None,
    blob: str | None = None,
) -> Item:
    """A file's or a blob's content as a fragment, or why it is not one (None: a missing blob)."""
    if data is None:
        return Unreadable(path, "object missing from the repository (corrupt or partial clone)")
    if len(data) > max_file_size:
        return Skipped(path, "too-large", len(data))
    decoded = _decode(data)
    if decoded is None:
        return Skipped(path, "binary", len(data))
    text, encoding = decoded
    if added_lines is not None:
        # git numbers the lines of UTF-8 text only; in UTF-16/32 the whole file is judged.
        added_lines = _text_lines(text, added_lines) if encoding == "utf-8" else None
    same = (
        encoding == "utf-8"
        and not data.startswith(codecs.BOM_UTF8)
        and "\r" not in text
        # Not looked for in a text of ASCII or Latin-1 characters only: no pass over it.
        and ("\ufffd" not in text or data.isascii())
    )
    fragment = Fragment(path, _newlines(text), added_lines, commit, blob)
    return fragment.with_utf8(data) if same else fragment


def decode(data: bytes) -> str | None:
    """Text of ``data``; None when it is binary.

    BOM-marked UTF-8/16/32; UTF-16 without a BOM (NULs in every other byte of ASCII text); else
    UTF-8 with invalid bytes replaced. Line ends become LF (CRLF and lone CR alike) so that
    rules see one style; line numbers and columns are unchanged by it.
    """
    decoded = _decode(data)
    return None if decoded is None else _newlines(decoded[0])


def is_plain_utf8(data: bytes) -> bool:
    """Whether :func:`decode` reads ``data`` as UTF-8 (no BOM, no NUL in the sniffed head):
    then an ASCII string without CR or LF occurs in the text exactly where its bytes occur in
    ``data`` (UTF-8 never encodes another character with ASCII bytes, a replaced byte becomes
    U+FFFD), so a byte search can stand in for decoding."""
    return not data.startswith(tuple(bom for bom, _ in _BOMS)) and b"\0" not in data[:_SNIFF]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding), or None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    head = data[:_SNIFF]
    if b"\0" not in head:
        return data.decode("utf-8", errors="replace"), "utf-8"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.9 * len(odd) and 0 not in even:
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.9 * len(even) and 0 not in odd:
        return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    return None


def _text_lines(text: str, git_lines: frozenset[int]) -> frozenset[int]:
    """git's line numbers (only LF ends a line) as the decoded text's (a lone CR ends one too,
    as in editors), so that a CR inside a line git calls added cannot hide what follows it."""
    if "\r" not in text:
        return git_lines
    numbers: set[int] = set()
    first = 1
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        extra = line.count("\r")
        if number in git_lines:
            numbers.update(range(first, first + extra + 1))
        first += extra + 1
    return frozenset(numbers)
