"""What a rule's regex matched in a window, remembered by the window's content.

The versions of a file in a history share most of their lines, so most windows (see
``Haystack.windows``) come back unchanged, with the same keyword hits, in the next version of a
lockfile or a test module: the regex then runs once per distinct window, not once per version.

A regex searched from ``start`` to ``end`` (the window) reads nothing after ``end`` and, before
``start``, only what its look-behinds, word boundaries and line anchors see: at most
``search.lookback`` characters. So the matches in a window, as offsets from its start, are a
function of that stretch of text; it is remembered by those few characters before the window
and a SHA-256 digest of the window cut to 128 bits (a repository cannot choose a window that
collides with another to hide a key; twice as fast as BLAKE2 where the processor hashes SHA-256
itself), which the rules sharing a window share. A remembered match is
re-matched at its offset (``regex.match``, one attempt): the caller gets the very match object a
search would have given, groups and all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from hashlib import sha256
from itertools import islice

from scanner.detect.search import finditer, lookback

# Remembered windows per process (each about 200 bytes); the oldest quarter goes when full.
LIMIT = 50_000
# Shorter windows are searched again: digesting them costs about what the search does.
SHORTEST = 256


class MatchMemo:
    """Per process (each worker has its own): windows' match offsets by regex and content."""

    __slots__ = ("_found", "limit", "shortest")

    def __init__(self, limit: int = LIMIT, shortest: int = SHORTEST) -> None:
        self.limit = limit
        self.shortest = shortest
        self._found: dict[Key, tuple[tuple[int, int], ...]] = {}

    def finditer(
        self,
        regex: re.Pattern[str],
        text: str,
        spans: list[tuple[int, int]],
        digests: dict[tuple[int, int], bytes] | None = None,
        folded: Callable[[int, int], str | None] | None = None,
    ) -> Iterator[re.Match[str]]:
        """``regex.finditer(text, start, end)`` for each span, in order. ``digests``: the
        spans' digests by span, for this text (the rules with the same keywords share their
        windows: each window is digested once); ``folded``: see :func:`finditer`."""
        lead = lookback(regex)
        if digests is None:
            digests = {}
        for start, end in spans:
            if end - start < self.shortest:
                yield from finditer(regex, text, start, end, folded)
                continue
            digest = digests.get((start, end))
            if digest is None:
                seen = text[start:end].encode("utf-8", "surrogatepass")
                digest = digests[start, end] = sha256(seen).digest()[:16]
            before = min(lead, start)
            key = (regex, text[start - before : start], before == start, digest)
            places = self._found.get(key)
            again = None if places is None else _again(regex, text, start, end, places)
            if again is not None:
                yield from again
                continue
            found = list(finditer(regex, text, start, end, folded))
            # An empty match may be followed by another at the same offset: re-matching there
            # would not tell them apart, so such a window is searched each time.
            if all(match.end() > match.start() for match in found):
                self._remember(key, tuple((m.start() - start, m.end() - start) for m in found))
            yield from found

    def _remember(self, key: Key, places: tuple[tuple[int, int], ...]) -> None:
        if len(self._found) >= self.limit:
            for old in list(islice(self._found, self.limit // 4)):
                del self._found[old]
        self._found[key] = places


# The regex, the text its look-behinds see before the window, whether that is the text's start,
# and the window's digest.
Key = tuple[re.Pattern[str], str, bool, bytes]


def _again(
    regex: re.Pattern[str], text: str, start: int, end: int, places: tuple[tuple[int, int], ...]
) -> list[re.Match[str]] | None:
    """The remembered matches, matched again where they were; None if one is not the same
    (never expected: the window is then searched)."""
    matches = []
    for offset, stop in places:
        match = regex.match(text, start + offset, end)
        if match is None or match.end() != start + stop:
            return None
        matches.append(match)
    return matches
