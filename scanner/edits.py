"""Pure text edits: the vocabulary the language patchers of ``fix secrets`` answer in."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (an insertion when ``start == end``)."""

    start: int
    end: int
    new: str


@dataclass(frozen=True, slots=True)
class Secret:
    """A hardcoded key to move out of the code: its span (quotes excluded) and variable."""

    start: int
    end: int
    variable: str


@dataclass(frozen=True, slots=True)
class Replaced:
    """The literal (or its whole env-with-fallback expression) becomes an env lookup."""

    edit: Edit
    variable: str


@dataclass(frozen=True, slots=True)
class Refused:
    """Not patched: the reason, written for the person reading stderr."""

    reason: str


Outcome = Replaced | Refused


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` made (in any order)."""
    parts, position = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        parts += [text[position : edit.start], edit.new]
        position = edit.end
    return "".join([*parts, text[position:]])


def shift(offset: int, edits: Sequence[Edit]) -> int:
    """Where ``offset`` (outside every edit) lands once ``edits`` are made."""
    return offset + sum(len(e.new) - (e.end - e.start) for e in edits if e.end <= offset)


def line_starts(text: str) -> list[int]:
    """Offsets where each line begins; lines end at ``\\n`` only, as git and the scanner see them."""
    return [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]


def offset(starts: Sequence[int], line: int, column: int) -> int:
    """1-based line and character column to an offset."""
    return starts[line - 1] + column - 1


def line_of(starts: Sequence[int], position: int) -> int:
    """1-based line of an offset."""
    return bisect.bisect_right(starts, position)


def newline_of(text: str) -> str:
    """The file's line ending, for the lines a patcher adds."""
    return "\r\n" if "\r\n" in text else "\n"
