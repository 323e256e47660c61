"""A regex's search, started only where a match can start.

Python's regex engine skips ahead by a pattern's leading literal or character set, but not
when the pattern opens with a look-behind or a word boundary (``(?<![A-Za-z0-9_-])eyJ...``):
then it tries a full match at every offset, 30 MB/s on the base64 of a lockfile. Every match
of such a pattern still starts with one of a few literals (``eyJ``): :func:`finditer` finds
them with ``str.find`` (or one search for several) and tries a match only there, which is the
search the engine would have made, offset for offset (a match cannot start anywhere else), with
the same match objects: ``regex.match(text, at, end)`` sees the text before ``at``, as the
search does, and ``^`` and ``\\A`` still mean the text's start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

# Shorter leads are found about as often as the engine's own attempts fail: no gain.
SHORTEST_LEAD = 3
# More leads than this: the pattern opens with something too varied to list.
MOST_LEADS = 16


def finditer(regex: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``regex.finditer(text, start, end)``."""
    lead = leads(regex)
    if lead is None:
        yield from regex.finditer(text, start, end)
        return
    match = regex.match
    if isinstance(lead, str):
        find = text.find
        at = find(lead, start, end)
        while at != -1:
            found = match(text, at, end)
            if found is None:
                at = find(lead, at + 1, end)
            else:
                yield found  # never empty: it holds the lead
                at = find(lead, found.end(), end)
        return
    search = lead.search
    candidate = search(text, start, end)
    while candidate is not None:
        at = candidate.start()
        found = match(text, at, end)
        if found is None:
            candidate = search(text, at + 1, end)
        else:
            yield found
            candidate = search(text, found.end(), end)


@lru_cache(maxsize=1024)
def leads(regex: re.Pattern[str]) -> str | re.Pattern[str] | None:
    """What every match of ``regex`` starts with, when the engine cannot skip ahead by itself
    (the pattern opens with a zero-width assertion): one literal, or a search for any of a
    few; None when the engine's own search is as good (or the leads are too short or many)."""
    from scanner.detect.programs import internals, parsed

    parser = internals()[0]
    tree = parsed(regex)
    if not _opens_with_assertion(tree, parser):
        return None
    found = _prefixes(list(tree), regex.flags, parser)
    if found is None:
        return None
    prefixes, _ = found
    if not prefixes or min(map(len, prefixes)) < SHORTEST_LEAD:
        return None
    if len(prefixes) == 1:
        return next(iter(prefixes))
    ordered = sorted(prefixes, key=lambda p: (-len(p), p))
    return re.compile("|".join(re.escape(p) for p in ordered))


def _opens_with_assertion(tree: Any, parser: Any) -> bool:
    while tree:
        op, argument = tree[0]
        if op is parser.SUBPATTERN:
            tree = argument[3]
            continue
        return op in (parser.ASSERT, parser.ASSERT_NOT, parser.AT)
    return False


def _prefixes(
    items: list[tuple[Any, Any]], flags: int, parser: Any
) -> tuple[frozenset[str], bool] | None:
    """Strings one of which every match of the sequence ``items`` starts with, and whether they
    are exactly the strings it matches (so that what follows may lengthen them); None when
    nothing is known. Assertions are skipped: they consume nothing."""
    prefixes = frozenset({""})
    for op, argument in items:
        if op in (parser.ASSERT, parser.ASSERT_NOT, parser.AT):
            continue
        part = _element(op, argument, flags, parser)
        if part is None:
            return _known(prefixes)
        strings, complete = part
        longer = frozenset(p + s for p in prefixes for s in strings)
        if len(longer) > MOST_LEADS:
            return _known(prefixes)
        prefixes = longer
        if not complete:
            return _known(prefixes)
    return prefixes, True


def _known(prefixes: frozenset[str]) -> tuple[frozenset[str], bool] | None:
    return None if "" in prefixes else (prefixes, False)


def _element(op: Any, argument: Any, flags: int, parser: Any) -> tuple[frozenset[str], bool] | None:
    """The strings a single element matches (see :func:`_prefixes`); None when unknown."""
    if op is parser.LITERAL:
        character = chr(argument)
        if flags & re.IGNORECASE and character.lower() != character.upper():
            return None
        return frozenset({character}), True
    if op is parser.IN:
        characters = set()
        for kind, value in argument:
            if kind is not parser.LITERAL:
                return None  # a negation, a range, a category: too many
            characters.add(chr(value))
        if flags & re.IGNORECASE and any(c.lower() != c.upper() for c in characters):
            return None
        return frozenset(characters), True
    if op is parser.SUBPATTERN:
        _, add, remove, body = argument
        return _prefixes(list(body), (flags | add) & ~remove, parser)
    if op is parser.BRANCH:
        union: set[str] = set()
        complete = True
        for alternative in argument[1]:
            part = _prefixes(list(alternative), flags, parser)
            if part is None:
                return None
            union |= part[0]
            complete = complete and part[1]
        return frozenset(union), complete
    return None
