"""Positions in a text: offsets to 1-based lines and character columns, and back."""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile("\n")
# Line ends in a text that kept its own: as the scanner's decoding counts them (CRLF and a lone
# CR each end one line), so a finding's line and column point into the file as it is on disk.
ANY_NEWLINE = re.compile(r"\r\n|\r|\n")


class Lines:
    """Where each line of one text starts; lines end at ``\\n`` unless ``ends`` says more.

    The starts of every line are listed on first need: a text with one capture (of 95,000
    lines, an OpenAPI document: 18 ms to list) answers its first few lookups of a line by
    counting the line ends before an offset, and of the lines around one so found by looking
    around it."""

    __slots__ = ("_ends", "_known", "_lookups", "_starts", "_text")

    # Lookups answered without the list, at most.
    FEW = 16

    def __init__(self, text: str, ends: re.Pattern[str] = _NEWLINE) -> None:
        self._text = text
        self._ends = ends
        self._starts: list[int] | None = None
        # Lines found without the list: their starts, by number.
        self._known: dict[int, int] = {}
        self._lookups = 0

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in self._ends.finditer(self._text))]
        return self._starts

    def _counting(self) -> bool:
        """Whether to answer without the list (see the class)."""
        if self._starts is not None or self._ends is not _NEWLINE or self._lookups >= self.FEW:
            return False
        self._lookups += 1
        return True

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        if not self._counting():
            return bisect.bisect_right(self.starts, offset)
        line = self._text.count("\n", 0, offset) + 1
        self._known[line] = self._text.rfind("\n", 0, offset) + 1
        return line

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset."""
        line = self.line_of(offset)
        return line, offset - self._start(line) + 1

    def offset(self, line: int, column: int) -> int:
        return self._start(line) + column - 1

    def has(self, line: int) -> bool:
        return 1 <= line <= len(self.starts)

    def span(self, line: int) -> tuple[int, int]:
        """Offsets of the line, its line end included."""
        start = self._start(line)
        if self._starts is None:
            end = self._text.find("\n", start)
            return start, len(self._text) if end == -1 else end + 1
        return start, self._starts[line] if line < len(self._starts) else len(self._text)

    def _start(self, line: int) -> int:
        if self._starts is None:
            if line in self._known:
                return self._known[line]
            after = self._known.get(line + 1)
            if after is not None and after > 0 and self._counting():
                start = self._known[line] = self._text.rfind("\n", 0, after - 1) + 1
                return start
        return self.starts[line - 1]

    def text_of(self, line: int) -> str:
        start, end = self.span(line)
        return self._text[start:end]
