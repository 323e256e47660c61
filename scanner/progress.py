"""Progress on stderr for long scans: objects, bytes, rate, elapsed; only on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from scanner.findings import Fragment
from scanner.sources import Item

_INTERVAL = 0.25


def with_progress(items: Iterable[Item], stream: TextIO | None = None) -> Iterator[Item]:
    """Yield ``items`` unchanged while redrawing one status line (on stderr by default)."""
    # sys.stderr is looked up now, not when this module was imported: it may have been replaced.
    stream = stream or sys.stderr
    started = last = time.monotonic()
    count = size = 0
    for item in items:
        count += 1
        if isinstance(item, Fragment):
            size += len(item.text)
        now = time.monotonic()
        if now - last >= _INTERVAL:
            last = now
            _draw(stream, count, size, now - started)
        yield item
    _draw(stream, count, size, time.monotonic() - started)
    stream.write("\n")
    stream.flush()


def _draw(stream: TextIO, count: int, size: int, elapsed: float) -> None:
    rate = size / elapsed / 1e6 if elapsed > 0 else 0.0
    stream.write(
        f"\rjwtscan: {count:,} objects, {size / 1e6:,.1f} MB, {rate:,.1f} MB/s, {elapsed:,.1f}s "
    )
    stream.flush()
