"""Progress on stderr for long scans: objects, bytes, rate, elapsed.

On a terminal one status line is redrawn in place (``\\r``); in a log (stderr is not a terminal,
or ``CI`` is set, where a terminal may be emulated but the output is kept as a log) a plain line
is written every few seconds instead, since a log keeps every redraw.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from scanner.findings import Fragment
from scanner.sources.content import Item

_REDRAW_SECONDS = 0.25
_LOG_SECONDS = 10.0


def with_progress(items: Iterable[Item], stream: TextIO | None = None) -> Iterator[Item]:
    """Yield ``items`` unchanged while reporting progress (on stderr by default)."""
    # sys.stderr is looked up now, not when this module was imported: it may have been replaced.
    stream = stream or sys.stderr
    redraw = stream.isatty() and os.environ.get("CI", "").lower() in ("", "0", "false")
    interval = _REDRAW_SECONDS if redraw else _LOG_SECONDS
    end = "" if redraw else "\n"
    started = last = time.monotonic()
    count = size = 0
    for item in items:
        count += 1
        if isinstance(item, Fragment):
            size += len(item.text)
        now = time.monotonic()
        if now - last >= interval:
            last = now
            stream.write(_status(count, size, now - started, redraw) + end)
            stream.flush()
        yield item
    stream.write(_status(count, size, time.monotonic() - started, redraw) + "\n")
    stream.flush()


def _status(count: int, size: int, elapsed: float, redraw: bool) -> str:
    # A history's blobs are read by the workers, not here: their sizes are not known here.
    rate = size / elapsed / 1e6 if elapsed > 0 else 0.0
    volume = f"{size / 1e6:,.1f} MB, {rate:,.1f} MB/s, " if size else ""
    line = f"jwtscan: {count:,} objects, {volume}{elapsed:,.1f}s"
    return f"\r{line} " if redraw else line
