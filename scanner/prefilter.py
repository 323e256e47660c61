"""Which rule keywords occur in a text: one pass with Hyperscan when it is installed (the
``fast`` extra), else a pure-Python scan that is exact and tested to give the same answer."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Protocol


class Prefilter(Protocol):
    def present(self, text: str) -> frozenset[str]:
        """The keywords (lower-case) that occur in ``text``, ignoring case."""
        ...


class PythonPrefilter:
    """Substring search. A keyword that contains another ("jwt.sign(" holds "jwt") can only
    occur where that one does: scan for the shortest ones, then the longer ones only then."""

    __slots__ = ("_longer", "_shortest")

    def __init__(self, keywords: Iterable[str]) -> None:
        unique = sorted(set(keywords))
        self._shortest = tuple(k for k in unique if not any(o != k and o in k for o in unique))
        self._longer = tuple(
            (k, tuple(s for s in self._shortest if s in k))
            for k in unique
            if k not in self._shortest
        )

    def present(self, text: str) -> frozenset[str]:
        lowered = text.lower()
        found = {k for k in self._shortest if k in lowered}
        if found:
            found.update(k for k, inner in self._longer if found.issuperset(inner) and k in lowered)
        return frozenset(found)


class HyperscanPrefilter:
    """All keywords in one pass of Hyperscan's literal matcher; each reported at most once."""

    __slots__ = ("_database", "_keywords")

    def __init__(self, keywords: Iterable[str], hyperscan: Any) -> None:
        self._keywords = tuple(sorted(set(keywords)))
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        self._database.compile(
            expressions=[_hex_escaped(k) for k in self._keywords],
            ids=list(range(len(self._keywords))),
            elements=len(self._keywords),
            flags=[flags] * len(self._keywords),
        )

    def present(self, text: str) -> frozenset[str]:
        found: set[int] = set()

        def hit(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            found.add(pattern)

        if self._keywords:
            self._database.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=hit)
        return frozenset(self._keywords[i] for i in found)


def _hex_escaped(keyword: str) -> bytes:
    """A literal for Hyperscan's PCRE syntax: every byte as \\xHH, so nothing is special."""
    return "".join(f"\\x{byte:02x}" for byte in keyword.encode("utf-8")).encode("ascii")


def make_prefilter(keywords: Iterable[str]) -> Prefilter:
    """Hyperscan when installed and ASCII keywords allow it; ``JWTSCAN_PREFILTER=python``
    forces the pure-Python scan."""
    keywords = tuple(keywords)
    wanted = os.environ.get("JWTSCAN_PREFILTER") != "python"
    if wanted and keywords and all(k.isascii() for k in keywords):
        try:
            import hyperscan
        except ImportError:
            pass
        else:
            return HyperscanPrefilter(keywords, hyperscan)
    return PythonPrefilter(keywords)
