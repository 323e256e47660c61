"""``--profile-rules``: where a scan's time went, per rule and per file, printed to stderr.

Timing never changes what is found: the same rules run on the same text, the clock is read
around them. Workers time their own tasks and send the times back with each result.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from scanner.detect.engine import PREFILTER

__all__ = ["PREFILTER", "Profile", "Timing"]


@dataclass(frozen=True, slots=True)
class Timing:
    """One file's times: seconds per rule (and the prefilter), and the whole file's."""

    path: str
    seconds: float
    rules: dict[str, float]


@dataclass(slots=True)
class Profile:
    """Seconds per rule over a whole scan, how many texts each rule ran on, and the slowest
    files (kept ``top`` at a time: a history has millions of blobs)."""

    top: int = 10
    rules: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    runs: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: list[tuple[float, str]] = field(default_factory=list)
    total: float = 0.0

    def add(self, timing: Timing) -> None:
        self.total += timing.seconds
        for rule, seconds in timing.rules.items():
            self.rules[rule] += seconds
            self.runs[rule] += 1
        entry = (timing.seconds, timing.path)
        if len(self.files) < self.top:
            heapq.heappush(self.files, entry)
        elif entry > self.files[0]:
            heapq.heapreplace(self.files, entry)

    def lines(self) -> Iterable[str]:
        rules = sorted(self.rules.items(), key=lambda item: (-item[1], item[0]))[: self.top]
        yield f"jwtscan: profile: {self.total:.2f} CPU-seconds reading and judging (all processes)"
        yield f"jwtscan: profile: costliest rules (of {len(self.rules)} that ran):"
        for rule, seconds in rules:
            yield f"  {seconds:9.3f} s  {self.runs[rule]:8,d} texts  {rule}"
        yield "jwtscan: profile: costliest files:"
        for seconds, path in sorted(self.files, reverse=True):
            yield f"  {seconds:9.3f} s  {path}"

    def write(self, stream: TextIO) -> None:
        for line in self.lines():
            stream.write(line + "\n")
        stream.flush()
