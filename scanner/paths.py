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
    """True when ``path`` matches one of the globs.

    A glob with no ``/`` and no ``**`` matches exactly when one segment of the path matches it,
    so those are tried segment by segment, and each answer is remembered: the same directory
    and file names recur across a repository and its history. The rest form one alternation.
    """
    if not patterns:
        return False
    segments, whole = _split(tuple(patterns))
    if segments is not None and any(_segment_matches(segments, s) for s in path.split("/")):
        return True
    return whole is not None and whole.match(path) is not None


@lru_cache(maxsize=1024)
def _split(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    by_segment = [p for p in patterns if "/" not in p.rstrip("/") and "**" not in p]
    rest = [p for p in patterns if p not in by_segment]
    segments = "|".join(f"(?:{_translate(p.strip('/'))})" for p in by_segment)
    whole = "|".join(f"(?:{_compile(p).pattern})" for p in rest)
    return (
        re.compile(segments) if by_segment else None,
        re.compile(whole) if rest else None,
    )


@lru_cache(maxsize=65536)
def _segment_matches(segments: re.Pattern[str], segment: str) -> bool:
    return segments.fullmatch(segment) is not None


def is_template(path: str) -> bool:
    """Documentation and committed templates (``.env.example``): only real-looking keys count."""
    return bool(_TEMPLATE.search(path))
