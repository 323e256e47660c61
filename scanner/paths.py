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


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    """Translate a gitignore-style glob: ``*`` stays in one segment, ``**`` spans segments.

    A pattern without ``/`` matches the file name at any depth; a pattern with ``/`` is
    anchored at the root; either also matches everything under a matching directory.
    """
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
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
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def glob_match(path: str, pattern: str) -> bool:
    """True when the ``/``-separated relative ``path`` matches the glob ``pattern``."""
    return bool(_compile(pattern).match(path))


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    """True when ``path`` matches one of the globs (one compiled alternation per glob list)."""
    return bool(patterns) and bool(_combined(tuple(patterns)).match(path))


@lru_cache(maxsize=1024)
def _combined(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_compile(p).pattern})" for p in patterns))


def is_template(path: str) -> bool:
    """Documentation and committed templates (``.env.example``): only real-looking keys count."""
    return bool(_TEMPLATE.search(path))
