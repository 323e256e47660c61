"""A regex's search, started only where a match can start.

Python's regex engine skips ahead by a pattern's leading literal, but when the pattern opens
with a look-behind or a word boundary (``(?<![A-Za-z0-9_-])eyJ...``) it tries a full match at
every offset, and when it opens with a set or an alternation (``jwt(?<!...)|Jwt|token|...``) at
every offset whose character could start one: 30-40 MB/s on the base64 of a lockfile or the
keys of an OpenAPI document. Every match of such a pattern still starts with one of a few
literals (``eyJ``; ``jwt``, ``token``, ... ignoring case): :func:`finditer` finds them with
``str.find`` and tries a match only there, which is the search the engine would have made,
offset for offset (a match cannot start anywhere else), with the same match objects:
``regex.match(text, at, end)`` sees the text before ``at``, as the search does, and ``^`` and
``\\A`` still mean the text's start.

Literals that differ only in case (or that the pattern matches ignoring case) are found once,
lower-case, in the lower-cased text: a superset of the offsets where they occur. That holds when
lower-casing keeps every offset and turns each character that matches an ASCII letter ignoring
case into that letter: not so for the dotted capital I (two characters lower-cased), the
dotless i and the long s (which the engine matches as ``i`` and ``s``); a text holding one of
them is searched by the engine.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Shorter leads are found about as often as the engine's own attempts fail: no gain.
SHORTEST_LEAD = 3
# More leads than this: the pattern opens with something too varied to list (each lead is one
# pass over the text).
MOST_LEADS = 12
# A pattern whose leads were tried more than once per TRY_SPACING characters, over its first
# PROBATION characters searched in this process, is left to the engine's own search: leads that
# common are words met everywhere in this code ("app", "api"), and trying each costs more than
# the engine's attempts at the offsets it skips.
PROBATION = 1 << 18
TRY_SPACING = 256
# Characters the engine matches as an ASCII letter ignoring case that lower-casing does not
# turn into it at the same offset; and the Kelvin sign, which it does ("k"), though no
# case-blind search of ASCII bytes (Hyperscan's) finds it.
_UNFOLDED = ("\u0130", "\u0131", "\u017f")
_KELVIN = "\u212a"


@dataclass(slots=True)
class Leads:
    """What every match of a pattern starts with: one of ``words``, found in the text as it
    is, or lower-cased in the lower-cased text (``folded``); and how often they were tried in
    how many characters searched so far."""

    words: tuple[str, ...]
    folded: bool
    searched: int = field(default=0, compare=False)
    tries: int = field(default=0, compare=False)

    def common(self) -> bool:
        """Tried too often to be worth it (see PROBATION)."""
        return self.searched >= PROBATION and self.tries * TRY_SPACING > self.searched


def finditer(
    regex: re.Pattern[str],
    text: str,
    start: int,
    end: int,
    folded: Callable[[int, int], str | None] | None = None,
    starts: list[int] | None = None,
) -> Iterator[re.Match[str]]:
    """``regex.finditer(text, start, end)``. ``folded``: :func:`fold` of a span of the text,
    remembered by the caller (rules with the same keywords search the same windows).
    ``starts``: sorted offsets among which is every offset where a match can start (the hits of
    the keywords every match starts with, see :func:`keyword_led`): tried alone, no search."""
    if starts is not None:
        yield from _from_starts(regex, text, start, end, starts)
        return
    lead = leads(regex)
    if lead is None or lead.common():
        yield from regex.finditer(text, start, end)
        return
    lead.searched += end - start
    where, shift = text, 0
    if lead.folded:
        lowered = fold(text, start, end) if folded is None else folded(start, end)
        if lowered is None:
            yield from regex.finditer(text, start, end)
            return
        where, shift = lowered, start
    match = regex.match
    find = where.find
    # Offsets in ``where`` are the text's less ``shift``.
    if len(lead.words) == 1:
        word = lead.words[0]
        at = find(word, start - shift, end - shift)
        tries = 0
        while at != -1:
            tries += 1
            found = match(text, at + shift, end)
            if found is None:
                at = find(word, at + 1, end - shift)
            else:
                yield found  # never empty: it holds the lead
                at = find(word, found.end() - shift, end - shift)
        lead.tries += tries
        return
    # The next occurrence of each lead, nearest first; those behind ``floor`` are found again.
    words = lead.words
    last = end - shift
    floor = start - shift
    heap = [(at, i) for i, word in enumerate(words) if (at := find(word, floor, last)) != -1]
    heapq.heapify(heap)
    tries = 0
    while heap:
        at, i = heap[0]
        if at < floor:
            at = find(words[i], floor, last)
            if at == -1:
                heapq.heappop(heap)
            else:
                heapq.heapreplace(heap, (at, i))
            continue
        tries += 1
        found = match(text, at + shift, end)
        if found is None:
            floor = at + 1
        else:
            yield found
            floor = found.end() - shift
    lead.tries += tries


def _from_starts(
    regex: re.Pattern[str], text: str, start: int, end: int, starts: list[int]
) -> Iterator[re.Match[str]]:
    match = regex.match
    floor = start
    # A slice, not islice: islice steps through the starts before the span's (a text's 500
    # windows each stepped through thousands).
    for at in starts[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]:
        if at < floor:
            continue
        found = match(text, at, end)
        if found is not None:
            yield found  # never empty: it holds a lead
            floor = found.end()


@lru_cache(maxsize=1024)
def keyword_led(regex: re.Pattern[str], keywords: tuple[str, ...]) -> tuple[str, ...] | None:
    """The ``keywords`` (lower-case) one of which every match of ``regex`` starts with, each
    of its leads starting with one (``eyJ`` with "eyj", ``MIIE`` with "mii"): their hits are
    then every offset where a match can start. None when a lead starts with none."""
    lead = leads(regex)
    if lead is None:
        return None
    used: set[str] = set()
    for word in lead.words:
        lowered = word.lower()
        starting = {keyword for keyword in keywords if lowered.startswith(keyword)}
        if not starting or not lowered.isascii():
            return None
        used |= starting
    return tuple(sorted(used))


def case_blind_beyond_ascii(text: str) -> bool:
    """Whether ``text`` holds a character the engine matches as an ASCII letter ignoring case
    that is no ASCII letter (the dotted and dotless I, the long s, the Kelvin sign): a
    case-blind match may then start where no search of ASCII keywords finds one."""
    return not text.isascii() and any(c in text for c in (*_UNFOLDED, _KELVIN))


def fold(text: str, start: int, end: int) -> str | None:
    """``text[start:end]`` with its ASCII letters lower-cased, where a folded lead occurs
    wherever the engine would match one of its cases; None when the span holds a character for
    which that is not so. A long span is folded piece by piece (see :func:`lower`)."""
    if text.isascii():
        return text[start:end].lower()
    if any(text.find(c, start, end) != -1 for c in _UNFOLDED):
        return None
    if text.find(_KELVIN, start, end) != -1:
        return lower(text[start:end])
    return "".join(
        _folded(text[at : min(end, at + LOWER_PIECE)]) for at in range(start, end, LOWER_PIECE)
    )


def _folded(piece: str) -> str:
    if piece.isascii():
        return piece.lower()
    # str.lower() is slow on a text that is not ASCII (15 ns a character). Lower-casing the
    # bytes of its UTF-16 code units changes the ASCII letters, and leaves any other unit
    # outside ASCII (a byte changes from A-Z to a-z: its unit still has a byte in 0x01-0xFF, or
    # stays a surrogate of the same kind): every offset is kept, 3x as fast.
    units = piece.encode("utf-16-le", "surrogatepass")
    return units.lower().decode("utf-16-le", "surrogatepass")


# Texts longer than this many characters are lower-cased piece by piece (see lower).
LOWER_PIECE = 1 << 16
# Where a piece of a text to lower-case may end: after a character that ends the context in
# which str.lower() chooses the capital sigma's lower case (neither cased nor case-ignorable).
_CASE_BREAK = re.compile(r"[\s0-9]")


def lower(text: str) -> str:
    """``text.lower()``: of a long text that is not ASCII, piece by piece. While it works,
    str.lower() holds 12 bytes per character of such a text (room for three characters of 4
    bytes each, for those that lower-case to three): 37 MiB beside the 12 MiB of a generated
    Go table of 3.2 million characters. Each piece ends after a space, a line end or a digit,
    where the only context str.lower() reads (whether a capital sigma ends a word) ends: the
    pieces lower-cased are the text's lower case."""
    if text.isascii() or len(text) <= LOWER_PIECE:
        return text.lower()
    pieces = []
    start = 0
    while start < len(text):
        found = _CASE_BREAK.search(text, start + LOWER_PIECE)
        end = len(text) if found is None else found.end()
        pieces.append(text[start:end].lower())
        start = end
    return "".join(pieces)


@lru_cache(maxsize=1024)
def leads(regex: re.Pattern[str]) -> Leads | None:
    """What every match of ``regex`` starts with, when the engine cannot skip ahead by itself
    (the pattern does not open with a literal of SHORTEST_LEAD characters): the literals as
    they are, or lower-cased when that makes fewer; None when the engine's own search is as
    good (or the leads are too short or too many)."""
    from scanner.detect.programs import kept_facts

    kept = kept_facts(regex)
    if kept is not None:
        return Leads(kept[1], kept[2]) if kept[1] else None
    return parsed_leads(regex)


def parsed_leads(regex: re.Pattern[str]) -> Leads | None:
    """:func:`leads`, read from the pattern's parse."""
    from scanner.detect.programs import internals, parsed

    parser = internals()[0]
    items = list(parsed(regex))
    if _literal_prefix(items, regex.flags, parser) >= SHORTEST_LEAD:
        return None  # the engine skips ahead to that literal
    best: Leads | None = None
    for fold in (False, True):
        found = _prefixes(items, regex.flags, parser, fold)
        if found is None:
            continue
        words = _shortest_only(found[0])
        shortest = min(map(len, words), default=0)
        if len(words) > MOST_LEADS or shortest < SHORTEST_LEAD:
            continue
        if best is None or len(words) < len(best.words):
            best = Leads(tuple(words), fold)
    return best


def _shortest_only(words: frozenset[str]) -> list[str]:
    """``words`` less those that start with another: found where that one is."""
    kept: list[str] = []
    for word in sorted(words):  # a word sorts right after the ones it starts with
        if not kept or not word.startswith(kept[-1]):
            kept.append(word)
    return kept


def _literal_prefix(items: list[tuple[Any, Any]], flags: int, parser: Any) -> int:
    """How many characters of literal the pattern opens with, which the engine finds by itself
    (it skips ahead to them)."""
    length = 0
    for op, argument in items:
        if op is parser.LITERAL and not flags & re.IGNORECASE:
            length += 1
            continue
        inner_flags = (flags | argument[1]) & ~argument[2] if op is parser.SUBPATTERN else flags
        if op is parser.SUBPATTERN and not inner_flags & re.IGNORECASE:
            inner = list(argument[3])
            inside = _literal_prefix(inner, inner_flags, parser)
            length += inside
            if inside == len(inner):
                continue
        break
    return length


def _prefixes(
    items: list[tuple[Any, Any]],
    flags: int,
    parser: Any,
    fold: bool,
    before: frozenset[str] = frozenset({""}),
) -> tuple[frozenset[str], bool] | None:
    """Strings one of which every match of the sequence ``items`` starts with (each after one
    of ``before``; lower-cased when ``fold``), and whether they are exactly the strings it
    matches (so that what follows may lengthen them); None when nothing is known. Assertions
    consume nothing: a look-ahead tells what follows (``M(?=II|IG[Hh2kE])``: "MII", "MIGH",
    ...) as much as the elements after it may, the longer kept; others are skipped."""
    prefixes = before
    for index, (op, argument) in enumerate(items):
        if op is parser.ASSERT and argument[0] == 1:
            rest = _prefixes(items[index + 1 :], flags, parser, fold, prefixes)
            ahead = _prefixes(list(argument[1]), flags, parser, fold, prefixes)
            told = [found for found in (rest, ahead) if found is not None]
            if not told:
                return None
            # What follows the look-ahead cannot lengthen what it told.
            best = max(told, key=lambda found: min(map(len, found[0])))
            return best if best is rest else (best[0], False)
        if op in (parser.ASSERT, parser.ASSERT_NOT, parser.AT):
            continue
        part = _element(op, argument, flags, parser, fold)
        if part is None:
            return _known(prefixes)
        strings, complete = part
        longer = frozenset(p + s for p in prefixes for s in strings)
        if len(longer) > MOST_LEADS:
            return _cut_short(longer, prefixes)
        prefixes = longer
        if not complete:
            return _known(prefixes)
    return prefixes, True


def _cut_short(
    longer: frozenset[str], prefixes: frozenset[str]
) -> tuple[frozenset[str], bool] | None:
    """Too many ``longer`` strings: ``prefixes`` when they are long enough to be leads; else
    the beginnings of ``longer`` of one length, as few as can be and then as long, when they
    are few enough (``[SsHh]`` then ``igning``, ``ign_key``, ``mac_key`` ...: "sign", "smac",
    "hign", "hmac"). Each is what the strings of some matches start with."""
    shortest = min(map(len, prefixes))
    if shortest >= SHORTEST_LEAD:
        return _known(prefixes)
    best: frozenset[str] | None = None
    for length in range(SHORTEST_LEAD, max(map(len, longer)) + 1):
        cut = frozenset(word[:length] for word in longer)
        if len(cut) <= MOST_LEADS and (best is None or len(cut) <= len(best)):
            best = cut
    return _known(prefixes) if best is None else (best, False)


def _known(prefixes: frozenset[str]) -> tuple[frozenset[str], bool] | None:
    return None if "" in prefixes else (prefixes, False)


def _element(
    op: Any, argument: Any, flags: int, parser: Any, fold: bool
) -> tuple[frozenset[str], bool] | None:
    """The strings a single element matches (see :func:`_prefixes`); None when unknown."""
    if op is parser.LITERAL or op is parser.IN:
        pairs = [(parser.LITERAL, argument)] if op is parser.LITERAL else argument
        characters = set()
        for kind, value in pairs:
            if kind is not parser.LITERAL:
                return None  # a negation, a range, a category: too many
            characters.add(chr(value))
        if fold:
            if not all(c.isascii() for c in characters):
                return None
            return frozenset(c.lower() for c in characters), True
        if flags & re.IGNORECASE and any(c.lower() != c.upper() for c in characters):
            return None
        return frozenset(characters), True
    if op is parser.SUBPATTERN:
        _, add, remove, body = argument
        return _prefixes(list(body), (flags | add) & ~remove, parser, fold)
    if op is parser.BRANCH:
        union: set[str] = set()
        complete = True
        for alternative in argument[1]:
            part = _prefixes(list(alternative), flags, parser, fold)
            if part is None:
                return None
            union |= part[0]
            complete = complete and part[1]
        return frozenset(union), complete
    return None


@lru_cache(maxsize=1024)
def lookback(regex: re.Pattern[str]) -> int:
    """How far before the position a search starts at ``regex`` can look: its deepest chain
    of look-behinds, plus one character for ``\\b``, ``\\B`` and ``^``."""
    from scanner.detect.programs import kept_facts

    kept = kept_facts(regex)
    if kept is not None:
        return kept[0]
    return parsed_lookback(regex)


def parsed_lookback(regex: re.Pattern[str]) -> int:
    """:func:`lookback`, read from the pattern's parse."""
    from scanner.detect.programs import internals, parsed

    return 1 + _reach(parsed(regex), internals()[0])


def _reach(node: Any, parser: Any) -> int:
    """The characters before a position that the look-behinds inside ``node`` can read."""
    deepest = 0
    if isinstance(node, parser.SubPattern):
        for op, argument in node:
            if op in (parser.ASSERT, parser.ASSERT_NOT) and argument[0] < 0:
                body = argument[1]
                deepest = max(deepest, body.getwidth()[1] + _reach(body, parser))
            else:
                deepest = max(deepest, _reach(argument, parser))
    elif isinstance(node, (list, tuple)):
        for part in node:
            deepest = max(deepest, _reach(part, parser))
    return deepest
