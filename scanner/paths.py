"""Path globs, one meaning everywhere (rule ``paths`` and ``--exclude`` patterns), and templates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from scanner.lazyre import LazyRegex

# Committed templates hold placeholders and are never loaded (.env.example, config.sample.json);
# a file of defaults that is loaded (.env.defaults) is none.
TEMPLATE_SUFFIXES = ("example", "sample", "template", "dist", "tmpl", "tpl")
_TEMPLATE = re.compile(
    rf"(?:^|/)(?:[^/]*\.(?:{'|'.join(TEMPLATE_SUFFIXES)})(?:\.[^/]*)?"
    r"|[^/]*\.(?:md|markdown|rst|adoc))$",
    re.IGNORECASE,
)


def _piece(glob: str) -> LazyRegex:
    """A glob without ``*`` as a regex without quantifiers: one atom per character (``?``, a
    ``[...]`` class or a literal), so it matches a fixed number of characters. Compiled when
    first matched: a hook matches a few paths against few of the rules' globs."""
    out = []
    i = 0
    while i < len(glob):
        end = _class_end(glob, i) if glob[i] == "[" else -1
        if end != -1:
            inner = glob[i + 1 : end].replace("\\", "\\\\").replace("[", "\\[")
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            elif inner.startswith("^"):
                inner = "\\" + inner
            out.append(f"[{inner}]")
            i = end + 1
        else:
            out.append("[^/]" if glob[i] == "?" else re.escape(glob[i]))
            i += 1
    return LazyRegex("".join(out))


def _class_end(glob: str, start: int) -> int:
    """Where the ``[...]`` class opening at ``start`` closes (a ``]`` first in it is part of
    it), or -1 when it does not: the ``[`` is then a plain character."""
    first = start + 2 if glob[start + 1 : start + 2] == "!" else start + 1
    return glob.find("]", first + 1)


class _Segment:
    """A glob for one path segment, matched without backtracking, in time linear in the
    segment for each piece. The pieces between ``*``s match fixed lengths: the first must
    match at the start, the last at the end, and each other one is taken at its leftmost
    place after the previous one (leftmost leaves the most room for the rest, so it is never
    wrong). A regex would try every split of the segment between the stars instead."""

    __slots__ = ("_pieces", "_starred", "literal")

    def __init__(self, glob: str) -> None:
        parts = re.split(r"\*+", glob)
        self._starred = len(parts) > 1
        self._pieces = tuple((_piece(part), _width(part)) for part in parts)
        self.literal = None if any(c in glob for c in "*?[") else glob

    def matches(self, text: str) -> bool:
        if self.literal is not None:
            return text == self.literal
        if not self._starred:
            ((whole, width),) = self._pieces
            return len(text) == width and whole.match(text) is not None
        (first, before), *middle, (last, after) = self._pieces
        end = len(text) - after
        if end < before or first.match(text) is None or last.match(text, end) is None:
            return False
        position = before
        for piece, _ in middle:
            found = piece.search(text, position, end)
            if found is None:
                return False
            position = found.end()
        return True


def _width(glob: str) -> int:
    """How many characters a glob piece without ``*`` matches."""
    width = i = 0
    while i < len(glob):
        end = _class_end(glob, i) if glob[i] == "[" else -1
        i = end + 1 if end != -1 else i + 1
        width += 1
    return width


class _PathGlob:
    """A gitignore-style glob over a whole ``/``-separated path. A pattern without ``/`` matches
    the file name at any depth; a pattern with ``/`` is anchored at the root; either also
    matches everything under a matching directory. ``**`` as a whole segment spans any number
    of segments (a trailing ``/**`` at least one); elsewhere it is a ``*``. Matched like
    :class:`_Segment`, one level up: the groups of segment globs between ``**``s are taken at
    their leftmost places, so no pattern backtracks."""

    __slots__ = ("_groups", "_needs")

    def __init__(self, pattern: str) -> None:
        anchored = "/" in pattern.rstrip("/")
        segments = pattern.strip("/").split("/")
        if segments[-1] == "**":
            segments[-1] = "*"
        # The leading group is anchored at the root; after the last '**' (always there: a
        # directory's match covers what it holds) anything may follow.
        segments = [*([] if anchored else ["**"]), *segments, "**"]
        groups: list[list[_Segment]] = [[]]
        for segment in segments:
            if segment == "**":
                groups.append([])
            else:
                groups[-1].append(_segment(segment))
        self._groups = tuple(tuple(group) for group in groups if group or group is groups[0])
        # Segments without wildcards: each must be one of the path's (``settings`` in
        # ``**/settings/*.py``), checked before any glob is tried.
        self._needs = tuple(s.literal for g in self._groups for s in g if s.literal is not None)

    def matches(self, parts: Sequence[str]) -> bool:
        """True when the path split at ``/`` into ``parts`` matches."""
        for needed in self._needs:
            if needed not in parts:
                return False
        first, *rest = self._groups
        if len(parts) < len(first) or not all(map(_Segment.matches, first, parts)):
            return False
        position = len(first)
        for group in rest:
            width = len(group)
            position = next(
                (
                    start + width
                    for start in range(position, len(parts) - width + 1)
                    if all(map(_Segment.matches, group, parts[start : start + width]))
                ),
                -1,
            )
            if position == -1:
                return False
        return True


@lru_cache(maxsize=1024)
def _segment(glob: str) -> _Segment:
    return _Segment(glob)


@lru_cache(maxsize=1024)
def _path_glob(pattern: str) -> _PathGlob:
    return _PathGlob(pattern)


def glob_match(path: str, pattern: str) -> bool:
    """True when the ``/``-separated relative ``path`` matches the glob ``pattern``."""
    return _path_glob(pattern).matches(path.split("/"))


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    """True when ``path`` matches one of the globs (a :class:`GlobLists` of one list)."""
    return bool(patterns) and bool(_one_list(tuple(patterns)).matching(path))


@lru_cache(maxsize=1024)
def _one_list(patterns: tuple[str, ...]) -> GlobLists:
    return GlobLists([patterns])


class _Globs:
    """One list of globs. A glob with no ``/`` and no ``**`` matches exactly when one segment
    of the path matches it; those are sorted by how cheaply a segment can be tested against
    each: a plain name, ``*`` and a plain suffix (``*.py``), or a segment glob (tried only on
    a segment that begins and ends as it can: ``[!a]*.json`` needs ``.json``). The rest are
    matched over the whole path."""

    __slots__ = ("names", "other", "suffixes", "whole")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        by_segment = [p for p in patterns if "/" not in p.rstrip("/") and "**" not in p]
        plain = [p for p in by_segment if not any(c in p for c in "*?[")]
        suffixed = [p for p in by_segment if p[:1] == "*" and not any(c in p[1:] for c in "*?[")]
        rest = [p for p in patterns if p not in by_segment]
        self.names = frozenset(p.strip("/") for p in plain)
        self.suffixes = tuple(p[1:].rstrip("/") for p in suffixed)
        # The other segment globs, each with the plain text before its first wildcard and after
        # its last: a segment that does not start and end so is not tried.
        self.other = tuple(
            (*_ends(p.strip("/")), _segment(p.strip("/")))
            for p in by_segment
            if p not in plain and p not in suffixed
        )
        self.whole = tuple(_path_glob(p) for p in rest)


def _ends(glob: str) -> tuple[str, str]:
    return re.split(r"[*?\[]", glob)[0], re.split(r"[*?\]]", glob)[-1]


class GlobLists:
    """Many glob lists at once: which of them match a path, as a bit mask. Each distinct
    segment is tested against every list once, and the answer remembered: the same directory
    and file names recur across a repository and its history."""

    __slots__ = (
        "_by_segment",
        "_lengths",
        "_names",
        "_other",
        "_other_lengths",
        "_suffixes",
        "_whole",
    )

    def __init__(self, lists: Sequence[tuple[str, ...]]) -> None:
        globs = [_globs(patterns) for patterns in lists]
        # Plain names and suffixes of every list at once: a segment is looked up by itself and
        # by its ending of each length some suffix has, not tested against each list.
        self._names: dict[str, int] = {}
        self._suffixes: dict[str, int] = {}
        for i, g in enumerate(globs):
            for name in g.names:
                self._names[name] = self._names.get(name, 0) | 1 << i
            for suffix in g.suffixes:
                self._suffixes[suffix] = self._suffixes.get(suffix, 0) | 1 << i
        self._lengths = sorted({len(suffix) for suffix in self._suffixes})
        # The other segment globs by the plain text they end with, looked up the same way.
        self._other: dict[str, list[tuple[int, str, _Segment]]] = {}
        for i, g in enumerate(globs):
            for head, tail, glob in g.other:
                self._other.setdefault(tail, []).append((1 << i, head, glob))
        self._other_lengths = sorted({len(tail) for tail in self._other})
        self._whole = [(1 << i, g.whole) for i, g in enumerate(globs) if g.whole]
        self._by_segment: dict[str, int] = {}

    def matching(self, path: str) -> int:
        """Bit ``i`` is set when list ``i`` matches ``path``."""
        mask = 0
        parts = path.split("/")
        for segment in parts:
            bits = self._by_segment.get(segment)
            if bits is None:
                bits = self._segment_bits(segment)
                if len(self._by_segment) > 65_536:
                    self._by_segment.clear()
                self._by_segment[segment] = bits
            mask |= bits
        for bit, whole in self._whole:
            if not mask & bit and any(glob.matches(parts) for glob in whole):
                mask |= bit
        return mask

    def _segment_bits(self, segment: str) -> int:
        bits = self._names.get(segment, 0)
        size = len(segment)
        for length in self._lengths:
            if length > size:
                break
            bits |= self._suffixes.get(segment[size - length :], 0)
        for length in self._other_lengths:
            if length > size:
                break
            for bit, head, glob in self._other.get(segment[size - length :], ()):
                if not bits & bit and segment.startswith(head) and glob.matches(segment):
                    bits |= bit
        return bits


@lru_cache(maxsize=1024)
def _globs(patterns: tuple[str, ...]) -> _Globs:
    return _Globs(patterns)


def is_template(path: str) -> bool:
    """Documentation and committed templates (``.env.example``): only real-looking keys count,
    and no template is an env file to keep out of git."""
    return bool(_TEMPLATE.search(path))
