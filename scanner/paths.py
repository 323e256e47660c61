"""Path globs, one meaning everywhere: rule ``paths`` and ``--exclude`` patterns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_TEMPLATE = re.compile(
    r"(?:^|/)(?:[^/]*\.(?:example|sample|template|dist|tmpl|tpl)(?:\.[^/]*)?"
    r"|[^/]*\.(?:md|markdown|rst|adoc))$",
    re.IGNORECASE,
)


def _translate(body: str) -> str:
    """A glob body as a regex: ``*`` stays in one segment, ``**`` spans segments."""
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[":
            end = body.find("]", i + 1)
            if end == -1:
                out.append(re.escape(body[i]))
                i += 1
            else:
                out.append(body[i : end + 1].replace("[!", "[^"))
                i = end + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob. A pattern without ``/`` matches the file name at any depth; a
    pattern with ``/`` is anchored at the root; either also matches everything under a matching
    directory."""
    anchored = "/" in pattern.rstrip("/")
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{_translate(pattern.strip('/'))}(?:/.*)?$")


def glob_match(path: str, pattern: str) -> bool:
    """True when the ``/``-separated relative ``path`` matches the glob ``pattern``."""
    return bool(_compile(pattern).match(path))


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    """True when ``path`` matches one of the globs (a :class:`GlobLists` of one list)."""
    return bool(patterns) and bool(_one_list(tuple(patterns)).matching(path))


@lru_cache(maxsize=1024)
def _one_list(patterns: tuple[str, ...]) -> GlobLists:
    return GlobLists([patterns])


class _Globs:
    """One list of globs. A glob with no ``/`` and no ``**`` matches exactly when one segment
    of the path matches it; those are sorted by how cheaply a segment can be tested against
    each: a plain name, ``*`` and a plain suffix (``*.py``), or a regex (compiled only for
    these, and only when a segment ends as one of them can: ``[!a]*.json`` needs ``.json``).
    The rest form one alternation over the whole path."""

    __slots__ = ("_other", "_segments", "_tails", "names", "suffixes", "whole")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        by_segment = [p for p in patterns if "/" not in p.rstrip("/") and "**" not in p]
        plain = [p for p in by_segment if not any(c in p for c in "*?[")]
        suffixed = [p for p in by_segment if p[:1] == "*" and not any(c in p[1:] for c in "*?[")]
        other = [p for p in by_segment if p not in plain and p not in suffixed]
        rest = [p for p in patterns if p not in by_segment]
        self.names = frozenset(p.strip("/") for p in plain)
        self.suffixes = tuple(p[1:].rstrip("/") for p in suffixed)
        self._other = tuple(p.strip("/") for p in other)
        self._tails = tuple(re.split(r"[*?\]]", p)[-1] for p in self._other)
        self._segments: re.Pattern[str] | None = None
        self.whole = (
            re.compile("|".join(f"(?:{_compile(p).pattern})" for p in rest)) if rest else None
        )

    def tests_segment(self, segment: str) -> bool:
        if segment in self.names or segment.endswith(self.suffixes):
            return True
        if not self._other or not segment.endswith(self._tails):
            return False
        if self._segments is None:
            self._segments = re.compile("|".join(f"(?:{_translate(p)})" for p in self._other))
        return self._segments.fullmatch(segment) is not None


class GlobLists:
    """Many glob lists at once: which of them match a path, as a bit mask. Each distinct
    segment is tested against every list once, and the answer remembered: the same directory
    and file names recur across a repository and its history."""

    __slots__ = ("_by_segment", "_lists", "_whole")

    def __init__(self, lists: Sequence[tuple[str, ...]]) -> None:
        self._lists = [_globs(patterns) for patterns in lists]
        self._whole = [(1 << i, g.whole) for i, g in enumerate(self._lists) if g.whole is not None]
        self._by_segment: dict[str, int] = {}

    def matching(self, path: str) -> int:
        """Bit ``i`` is set when list ``i`` matches ``path``."""
        mask = 0
        for segment in path.split("/"):
            bits = self._by_segment.get(segment)
            if bits is None:
                bits = sum(1 << i for i, g in enumerate(self._lists) if g.tests_segment(segment))
                if len(self._by_segment) > 65_536:
                    self._by_segment.clear()
                self._by_segment[segment] = bits
            mask |= bits
        for bit, whole in self._whole:
            if not mask & bit and whole.match(path):
                mask |= bit
        return mask


@lru_cache(maxsize=1024)
def _globs(patterns: tuple[str, ...]) -> _Globs:
    return _Globs(patterns)


def is_template(path: str) -> bool:
    """Documentation and committed templates (``.env.example``): only real-looking keys count."""
    return bool(_TEMPLATE.search(path))
