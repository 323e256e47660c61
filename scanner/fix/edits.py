"""Pure text edits: the vocabulary the language patchers of ``fix secrets`` answer in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scanner.positions import Lines


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
    owner: str | None = None  # a module-level object whose property became a getter


@dataclass(frozen=True, slots=True)
class Refused:
    """Not patched: the reason, written for the person reading stderr."""

    reason: str


Patch = Replaced | Refused


@dataclass(frozen=True, slots=True)
class Patched:
    """A patcher's answer: one patch per secret, the helper or import they need, the edits
    that make the code read them later (JavaScript), and the objects whose keys it did so."""

    patches: tuple[Patch, ...]
    header: Edit | None
    deferred: tuple[Edit, ...] = ()
    lazy: frozenset[str] = frozenset()


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


def newline_of(text: str) -> str:
    """The file's line ending, for the lines a patcher adds."""
    return "\r\n" if "\r\n" in text else "\n"


def insert_lines(text: str, index: int, block: str, *, separate: bool = True) -> Edit:
    """Insert ``block`` as whole lines before 0-based line ``index`` (past the end: append).

    With ``separate``, a blank line keeps it apart from non-blank neighbours.
    """
    newline = newline_of(text)
    starts = Lines(text).starts
    at = starts[index] if index < len(starts) else len(text)
    lead = newline if at == len(text) and text and not text.endswith("\n") else ""
    head = text[:at].removesuffix("\n")
    previous = head.rsplit("\n", 1)[-1].strip() if at else ""
    following = text[at:].split("\n", 1)[0].strip()
    before = newline if separate and previous else ""
    after = newline if separate and following else ""
    lines = block.replace("\n", newline)
    return Edit(at, at, f"{lead}{before}{lines}{newline}{after}")


def disjoint(patches: Sequence[Patch]) -> tuple[Patch, ...]:
    """Refuse any replacement that overlaps an earlier one (two findings, one expression)."""
    taken: list[Edit] = []
    kept: list[Patch] = []
    for patch in patches:
        if isinstance(patch, Replaced):
            edit = patch.edit
            if any(edit.start < t.end and t.start < edit.end for t in taken):
                patch = Refused("overlaps another replacement in the same expression")
            else:
                taken.append(edit)
        kept.append(patch)
    return tuple(kept)
