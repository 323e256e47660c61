"""Positions in a text: offsets to 1-based lines and character columns, and back."""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile("\n")
# Line ends in a text that kept its own: as the scanner's decoding counts them (CRLF and a lone
# CR each end one line), so a finding's line and column point into the file as it is on disk.
ANY_NEWLINE = re.compile(r"\r\n|\r|\n")


class Lines:
    """Where each line of one text starts; lines end at ``\\n`` unless ``ends`` says more."""

    __slots__ = ("_text", "starts")

    def __init__(self, text: str, ends: re.Pattern[str] = _NEWLINE) -> None:
        self._text = text
        self.starts = [0, *(m.end() for m in ends.finditer(text))]

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset."""
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def has(self, line: int) -> bool:
        return 1 <= line <= len(self.starts)

    def span(self, line: int) -> tuple[int, int]:
        """Offsets of the line, its line end included."""
        start = self.starts[line - 1]
        return start, self.starts[line] if line < len(self.starts) else len(self._text)

    def text_of(self, line: int) -> str:
        start, end = self.span(line)
        return self._text[start:end]
