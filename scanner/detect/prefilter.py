"""Where rule keywords occur in a text.

Which keywords are present: one pass of Hyperscan where its wheel exists, else a pure-Python
scan that is exact and tested to give the same answer. Where they are: :class:`Haystack`, which
also gives a windowed rule the spans of text around its keywords (see ``Rule.window``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from scanner.detect.search import case_blind_beyond_ascii, fold, lower

if TYPE_CHECKING:
    from scanner.detect.algorithm import Use


class Haystack:
    """One text, lower-cased on first use, with the offsets of each keyword looked up.

    ``focus``: the only spans where a finding counts (a commit's added lines), sorted; windows
    that touch none of them are dropped.
    """

    __slots__ = (
        "_dots",
        "_focus_ends",
        "_folded",
        "_hits",
        "_lowered",
        "_reached",
        "_starts",
        "_windows",
        "assignments",
        "bound",
        "digests",
        "focus",
        "imports",
        "named_at",
        "oauth1",
        "passed_as",
        "present",
        "sought",
        "text",
        "utf8",
    )

    def __init__(
        self, text: str, focus: list[tuple[int, int]] | None = None, utf8: bytes | None = None
    ) -> None:
        self.text = text
        # The text in UTF-8, when it was read so (else encoded when a prefilter needs it).
        self.utf8 = utf8
        self.focus = focus
        # The keywords a prefilter found, once one has run: others are not searched for; and
        # those it looked for.
        self.present: frozenset[str] | None = None
        self.sought: frozenset[str] | None = None
        self._focus_ends = None if focus is None else [end for _, end in focus]
        self._lowered: str | None = None
        # Where the lower-cased text holds the dots of lower-cased U+0130s, once known (see
        # _text_hits): in a tuple, whose None says that other characters changed its length.
        self._dots: tuple[list[int] | None] | None = None
        self._hits: dict[str, list[int]] = {}
        # What the text's imports bind, per import syntax (see scanner.detect.bindings).
        self.bound: dict[str, Mapping[str, frozenset[str]]] = {}
        # Where each name is bound to a literal, and which names are imported modules, looked
        # up once per text (see scanner.detect.engine._resolve): a file that passes the same
        # name to a thousand calls costs one search of it, not a thousand.
        self.assignments: dict[tuple[str, bool], tuple[list[int], list[tuple[int, int]]]] = {}
        self.imports: dict[str, bool] = {}
        # Judging a value, the same for every value of the text (scanner.detect.judge and
        # engine): whether it speaks OAuth 1.0a, and the other kind of secret a name is handed
        # on as (None: none), by name.
        self.oauth1: bool | None = None
        self.passed_as: dict[str, str | None] = {}
        # The HMAC algorithm (and line) the statement at each use of a key's name names (None:
        # none), by offset (see scanner.detect.algorithm.key_algorithm).
        self.named_at: dict[int, Use | None] = {}
        # Windows' digests by span (see scanner.detect.memo).
        self.digests: dict[tuple[int, int], bytes] = {}
        # Keywords' hits merged, by keywords (see starts).
        self._starts: dict[tuple[str, ...], list[int] | None] = {}
        # Windows lower-cased by span (see scanner.detect.search.fold).
        self._folded: dict[tuple[int, int], str | None] = {}
        # Windows by keywords, reach and names, and the stretches they are widened from: rules
        # with the same keywords share them.
        self._windows: dict[tuple[tuple[str, ...], int, tuple[str, ...]], list[tuple[int, int]]]
        self._windows = {}
        self._reached: dict[tuple[tuple[str, ...], int, tuple[str, ...]], list[tuple[int, int]]]
        self._reached = {}

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = lower(self.text)
        return self._lowered

    def _lowered_for(self, keyword: str) -> str:
        """The lower-cased text to find ``keyword`` in. An ASCII keyword occurs where it does in
        the text folded (``search.fold``: only U+0130 and the Kelvin sign lower-case to ASCII,
        and fold keeps every offset) when it can be: 4x faster than ``str.lower`` on a text that
        is not ASCII (25 ms for an OpenAPI document of 3 MB holding five such characters), and
        the window of a one-line file, folded once for both."""
        if self._lowered is not None or not keyword.isascii() or self.text.isascii():
            return self.lowered
        whole = self.folded(0, len(self.text))
        return self.lowered if whole is None else whole

    def folded(self, start: int, end: int) -> str | None:
        """``search.fold`` of a span, once per span: the rules with the same keywords search
        the same windows, and lower-casing a text that is not ASCII is slow (15 ns a character;
        a one-line OpenAPI document is one window of 3 MB)."""
        key = (start, end)
        if key in self._folded:
            return self._folded[key]
        found = self._folded[key] = fold(self.text, start, end)
        return found

    def starts(self, keywords: tuple[str, ...], *, of_prefilter: bool = True) -> list[int] | None:
        """Every offset where one of ``keywords`` occurs (ignoring case), in order, once per
        keywords; None when a case-blind match could start where no keyword hit is (see
        ``search.case_blind_beyond_ascii``). ``of_prefilter``: see :meth:`hits`."""
        if keywords in self._starts:
            return self._starts[keywords]
        if case_blind_beyond_ascii(self.text):
            found = None
        else:
            found = sorted(
                {
                    at
                    for keyword in keywords
                    for at in (self.hits(keyword) if of_prefilter else self._where_may_be(keyword))
                }
            )
        self._starts[keywords] = found
        return found

    def hits_near(
        self, keywords: tuple[str, ...], spans: list[tuple[int, int]]
    ) -> list[int] | None:
        """The offsets in ``spans`` (sorted, apart) at which one of ``keywords`` (lower-case)
        occurs, ignoring case, in order: searched in those spans alone (a keyword may end past
        one). None as for :meth:`starts`."""
        if case_blind_beyond_ascii(self.text):
            return None
        longest = max(map(len, keywords), default=1)
        found: set[int] = set()
        for start, end in spans:
            lowered = self.folded(start, min(len(self.text), end + longest - 1))
            if lowered is None:
                return None
            for keyword in keywords:
                stop = end - start + len(keyword) - 1
                at = lowered.find(keyword, 0, stop)
                while at != -1:
                    found.add(start + at)
                    at = lowered.find(keyword, at + 1, stop)
        return sorted(found)

    def _where_may_be(self, word: str) -> list[int]:
        """Offsets among which are all of ``word``'s hits: where the prefilter found the
        keyword it holds that the prefilter found least often, moved back to where ``word``
        would start ("nextauth" where "auth" is); none when it holds a keyword that does not
        occur. No pass over the text (of a minified document of 3 MB not in ASCII, lowering
        it took 10 ms). Else its hits."""
        sought, present = self.sought, self.present
        if word in self._hits or sought is None or present is None:
            return self.hits(word, keyword_of_prefilter=False)
        if word in sought:
            return self.hits(word)
        held = _held_in(sought, word)
        if not held:
            return self.hits(word, keyword_of_prefilter=False)
        if not held <= present:
            return []
        keyword = min(held, key=lambda k: len(self.hits(k)))
        before = word.index(keyword)
        return [at - before for at in self.hits(keyword) if at >= before]

    def hits(self, keyword: str, *, keyword_of_prefilter: bool = True) -> list[int]:
        """Every offset at which ``keyword`` (lower-case) occurs, ignoring case.
        ``keyword_of_prefilter``: one the prefilter looked for (none when it found none);
        else searched for here, once per text."""
        found = self._hits.get(keyword)
        if found is None:
            found = []
            if keyword_of_prefilter and self.present is not None and keyword not in self.present:
                return found
            lowered = self._lowered_for(keyword)
            at = lowered.find(keyword)
            while at != -1:
                found.append(at)
                at = lowered.find(keyword, at + 1)
            self._hits[keyword] = found
        return found

    def record(self, keyword: str, offsets: list[int]) -> None:
        """Where a prefilter found ``keyword``: :meth:`hits` then needs no search of its own."""
        self._hits[keyword] = offsets

    def windows(
        self, keywords: Iterable[str], reach: int, names: Iterable[str] = ()
    ) -> list[tuple[int, int]]:
        """The spans within ``reach`` characters of an occurrence of a keyword, widened to whole
        lines (newline included) and merged, in order. When lower-casing changed the text's
        length, the hits are moved back to the text's offsets (see :meth:`_text_hits`), or
        the whole text is the window.
        ``names``: more words (lower-case) to window around, that no prefilter looked for.
        Cut once per keywords, reach and names (rules sharing keywords share the list: it is
        not to be changed)."""
        key = (tuple(keywords), reach, tuple(names))
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = self._cut(*key)
        return found

    def reached(
        self, keywords: Iterable[str], reach: int, names: Iterable[str] = ()
    ) -> list[tuple[int, int]]:
        """The spans within ``reach`` characters of an occurrence of a keyword (or of a name),
        merged, in order: :meth:`windows` before they are widened to whole lines. Every match
        of a windowed rule starts in one (see ``Rule.window``), even where a window is a whole
        minified file of one line."""
        key = (tuple(keywords), reach, tuple(names))
        found = self._reached.get(key)
        if found is None:
            spans = self._spans(*key)
            size = len(self.text)
            found = [(0, size)] if spans is None else []
            for start, end in spans or ():
                end = min(end, size)
                if found and start <= found[-1][1]:
                    if end > found[-1][1]:
                        found[-1] = (found[-1][0], end)
                else:
                    found.append((max(0, start), end))
            self._reached[key] = found
        return found

    def _spans(
        self, keywords: tuple[str, ...], reach: int, names: tuple[str, ...]
    ) -> list[tuple[int, int]] | None:
        """Each hit less ``reach``, to its end plus ``reach`` (not cut to the text), in order;
        None when the whole text is the window (see :meth:`windows`)."""
        text = self.text
        # Only U+0130 lower-cases to more than one character: without it, no lower-casing.
        if text.isascii() or "\u0130" not in text:
            hits = self.hits
        else:
            hits_or_none = self._text_hits(keywords, names)
            if hits_or_none is None:
                return None
            hits = hits_or_none
        spans: list[tuple[int, int]] = []
        for keyword in keywords:
            after = len(keyword) + reach
            spans += [(at - reach, at + after) for at in hits(keyword)]
        for name in names:
            after = len(name) + reach
            spans += [(at - reach, at + after) for at in hits(name, keyword_of_prefilter=False)]
        spans.sort()
        return spans

    def _cut(
        self, keywords: tuple[str, ...], reach: int, names: tuple[str, ...]
    ) -> list[tuple[int, int]]:
        text = self.text
        size = len(text)
        spans = self._spans(keywords, reach, names)
        if spans is None:
            return [(0, size)]
        merged: list[tuple[int, int]] = []
        floor = 0  # the end of the last window
        find, rfind = text.find, text.rfind
        for start, end in spans:
            if end <= floor:
                continue  # within the last window
            # Each search for a line boundary covers text no other search covers: linear even
            # on a minified file that is one long line full of keywords.
            if start > floor:
                newline = rfind("\n", floor, start)
                start = floor if newline == -1 else newline + 1
            if merged and start <= floor:
                start = merged.pop()[0]
            elif start < 0:
                start = 0
            newline = find("\n", end)
            floor = size if newline == -1 else newline + 1
            merged.append((start, floor))
        focus, ends = self.focus, self._focus_ends
        if focus is None or ends is None:
            return merged
        # Keep a window when the first focus span that ends after its start begins before its end.
        return [
            (start, end)
            for start, end in merged
            if (first := bisect.bisect_right(ends, start)) < len(focus) and focus[first][0] < end
        ]

    def _text_hits(
        self, keywords: Iterable[str], names: Iterable[str]
    ) -> Callable[..., list[int]] | None:
        """:meth:`hits` as offsets in the text, when lower-casing changed its length: U+0130,
        the only character that lower-cases to two ("i" and a combining dot), is followed in
        the lower-cased text by a dot no ASCII word holds, so each hit moves back by the dots
        before it. None when that is not so (another character changed the length, or a word
        is not ASCII): the whole text is then the window."""
        if not all(word.isascii() for word in (*keywords, *names)):
            return None
        if self._dots is None:
            self._dots = (self._dots_of_capitals(),)
        dots = self._dots[0]
        if dots is None:
            return None

        def hits(keyword: str, *, keyword_of_prefilter: bool = True) -> list[int]:
            found = self.hits(keyword, keyword_of_prefilter=keyword_of_prefilter)
            return [at - bisect.bisect_left(dots, at) for at in found]

        return hits

    def _dots_of_capitals(self) -> list[int] | None:
        text = self.text
        capitals = []
        at = text.find("\u0130")
        while at != -1:
            capitals.append(at)
            at = text.find("\u0130", at + 1)
        if len(self.lowered) != len(text) + len(capitals):
            return None
        return [at + i + 1 for i, at in enumerate(capitals)]  # their offsets in the lower-cased


@functools.lru_cache(maxsize=4096)
def _held_in(keywords: frozenset[str], word: str) -> frozenset[str]:
    """The ``keywords`` that ``word`` holds (once per prefilter and word)."""
    return frozenset(k for k in keywords if k in word)


@dataclass(frozen=True, slots=True)
class Scanned:
    """The keywords a prefilter found in ``data``, the bytes of a text, without decoding them;
    ``ends``: its own account of where (Hyperscan's: by keyword index, where each occurrence
    ends)."""

    data: bytes
    present: frozenset[str]
    ends: dict[int, list[int]]


class Prefilter(Protocol):
    # The keywords (lower-case) it looks for.
    sought: frozenset[str]

    def present(self, haystack: Haystack, scanned: Scanned | None = None) -> frozenset[str]:
        """The keywords (lower-case) that occur in the text, ignoring case. ``scanned``: what
        :meth:`scan` found in the bytes the text was decoded from, if it was."""
        ...

    def scan(self, data: bytes) -> Scanned | None:
        """The keywords in the text ``data`` decodes to (UTF-8 without a BOM), found without
        decoding it; None when only the text can tell. Given back to :meth:`present` with that
        text, they are not looked for again."""
        ...


# Characters of source code, most frequent first (lower-cased Java, Go, JavaScript, JSON and
# YAML of the benchmark's workloads). A keyword's anchor starts at its rarest character, so the
# anchors' regex tries a match at few offsets of a text; a keyword whose characters are all
# among the _COMMON first ones has none and is searched for whole.
_FREQUENCY = " etrsaino\"u\ncdlp.,mhg0f:by\\/v)}(1{w-k4x32j=qz'\t56;9_@87][*|`>+"
_COMMON = 16
# Characters an anchor takes from a keyword: at least 3, or 2 of a keyword of 3 ("yj" of "eyj":
# the bigram is rare where its first character is not), or the whole keyword.
_ANCHOR = 4
# Keywords searched for whole that share a piece this long are looked for behind it: one search
# of "unsecured" in a text that lacks it, not one of each of "parseunsecuredclaims",
# "parseunsecuredcontent" and "unsecured()".
_GATE = 5
# Words met everywhere in code: an anchor inside one would stop the search at each use.
_WORDS = (
    "algorithm",
    "base",
    "config",
    "content",
    "default",
    "field",
    "function",
    "import",
    "json",
    "key",
    "method",
    "option",
    "parse",
    "property",
    "request",
    "require",
    "return",
    "service",
    "string",
    "token",
    "type",
    "valid",
    "value",
    "verif",
    "version",
    "with",
)


def _anchor_at(keyword: str) -> int | None:
    """Where ``keyword``'s anchor starts: at its rarest character that leaves the anchor its
    length, preferably where the anchor is no piece of a word met everywhere in code; None when
    every such character is common."""
    rank = [_FREQUENCY.find(c) % (len(_FREQUENCY) + 1) for c in keyword]  # absent: rarest
    shortest = 2 if len(keyword) == 3 else min(3, len(keyword))
    starts = [i for i in range(len(keyword) - shortest + 1) if rank[i] >= _COMMON]
    if not starts:
        return None
    return max(
        starts,
        key=lambda i: (not any(keyword[i : i + _ANCHOR] in word for word in _WORDS), rank[i]),
    )


def _gates(words: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``words`` in groups that share a piece of at least _GATE characters: each group's piece
    (its gate) and its words, none when the gate is the one word (as ``_groups``). A word joins
    the first group whose gate holds one of its pieces of _GATE characters, found by that piece
    (a user's rules may bring hundreds of such words)."""
    groups: list[tuple[str, list[str]]] = []
    by_piece: dict[str, int] = {}  # pieces of the gates (some of a gate that shrank since)
    for word in sorted(words, key=len):
        pieces = {word[i : i + _GATE] for i in range(len(word) - _GATE + 1)}
        joined = min(
            (
                i
                for piece in pieces
                if (i := by_piece.get(piece)) is not None and piece in groups[i][0]
            ),
            default=None,
        )
        if joined is None:
            joined = len(groups)
            groups.append((word, [word]))
        else:
            gate, members = groups[joined]
            groups[joined] = (_shared_piece(gate, word), [*members, word])
        gate = groups[joined][0]
        for i in range(len(gate) - _GATE + 1):
            by_piece.setdefault(gate[i : i + _GATE], joined)
    return tuple((gate, () if members == [gate] else tuple(members)) for gate, members in groups)


def _shared_piece(one: str, other: str) -> str:
    """The longest piece of ``one`` that ``other`` holds (the first of those)."""
    best = ""
    for start in range(len(one)):
        for end in range(len(one), start + len(best), -1):
            if one[start:end] in other:
                best = one[start:end]
                break
    return best


class PythonPrefilter:
    """Substring search. A keyword that contains another ("jwt.sign(" holds "jwt") can only
    occur where that one does: scan for the shortest ones, then the longer ones only then.

    A short text (a hook's): one search per keyword, except that keywords sharing their first
    three characters ("kty:", "kty=", ...) are searched for only where their common prefix
    occurs. A scan of many files (``bulk``): each shortest keyword has an anchor, the piece of
    it that starts at its rarest character (``kty:`` of "kty:", ``gnwi`` of "signwith": not
    ``with``, a word met everywhere), and one regex, the trie of the anchors, steps through the
    text from each anchor occurrence to the next; at each, the keywords of the anchors that
    start there are checked in place. Every occurrence of a keyword holds its anchor at the
    same offset, so all are seen and become the haystack's hits. The regex skips the offsets
    whose character starts no anchor: most of a text, where a trie of the keywords themselves
    would try a match at nearly every letter.
    A keyword made only of common characters ("secret") is searched for whole, and many
    occurrences switch to the searches.

    A long text of a scan of many versions of files (``versions``: a history, a range of
    commits) is prefiltered by pieces (see :meth:`_by_pieces`), each remembered by its digest:
    the versions of a lockfile in a history share most of their lines, and the pure-Python
    scan of each version again cost 60 MB/s. Not in a working tree, whose pieces do not come
    back: digesting them cost the JDK tree's scan 7% (1.74 -> 1.88 s).
    """

    __slots__ = (
        "_anchored",
        "_groups",
        "_long_text",
        "_longer",
        "_pieces",
        "_plain",
        "_shortest",
        "_trie",
        "_unique",
        "sought",
    )

    # A few texts (a hook's): below this many characters, compiling the trie's regex costs
    # more than it saves. Many texts (``bulk``): none.
    LONG_TEXT = 100_000
    # Anchor occurrences the trie's regex steps through before the searches take over, plus
    # one per 64 characters of the text (about what a search of every keyword costs).
    TRIE_STEPS = 1024
    # Texts at least this long (in a scan of many files) are prefiltered by pieces that end
    # at the end of the line of the first MARK past PIECE characters, or the first line end
    # past PIECE_MOST characters when no MARK comes before; at most PIECES_KEPT pieces'
    # answers are remembered (the oldest quarter goes when full). Cut where the text says, not
    # at a length, the pieces after a lockfile's added or removed lines are soon those of the
    # version before (see :meth:`_by_pieces`).
    PIECE_TEXT = 32_768
    PIECE = 2048
    PIECE_MOST = 8192
    MARK = "x"
    PIECES_KEPT = 65_536

    def __init__(
        self, keywords: Iterable[str], *, bulk: bool = False, versions: bool = False
    ) -> None:
        self._long_text = 0 if bulk else self.LONG_TEXT
        unique = sorted(set(keywords))
        self._unique = tuple(unique)
        self.sought = frozenset(unique)
        held = _held_keywords(unique)
        self._shortest = tuple(k for k in unique if not held[k])
        shortest = set(self._shortest)
        self._longer = tuple(
            (k, tuple(s for s in held[k] if s in shortest)) for k in unique if held[k]
        )
        by_start: dict[str, list[str]] = {}
        for keyword in self._shortest:
            by_start.setdefault(keyword[:3], []).append(keyword)
        # (the prefix to search for, the keywords it stands for; empty: it is the keyword)
        self._groups = tuple(
            (group[0], ()) if len(group) == 1 else (_common_prefix(group), tuple(group))
            for group in by_start.values()
        )
        self._trie: re.Pattern[str] | None = None
        # Per anchor the trie's regex can match: the keywords to check where it starts, each
        # with its anchor's offset in it (those of the anchors it begins with too). Built with
        # the trie's regex.
        self._anchored: dict[str, tuple[tuple[str, int], ...]] = {}
        # The keywords the trie does not find, behind their gates (see _gates).
        self._plain: tuple[tuple[str, tuple[str, ...]], ...] = ()
        # Pieces' keywords and their offsets in the piece, by the piece's digest. Only when no
        # keyword holds a line end before its last character: then none spans two pieces.
        self._pieces: dict[bytes, tuple[tuple[str, tuple[int, ...]], ...]] | None = None
        if bulk and versions and not any("\n" in k[:-1] for k in unique):
            self._pieces = {}

    def scan(self, data: bytes) -> None:
        return None  # keywords are looked for in the lower-cased text

    def present(self, haystack: Haystack, scanned: Scanned | None = None) -> frozenset[str]:
        lowered = haystack.lowered
        if self._pieces is not None and len(lowered) >= self.PIECE_TEXT and self._unique:
            return self._by_pieces(haystack, lowered, self._pieces)
        if len(lowered) >= self._long_text and self._unique:
            found = self._stepped(haystack, lowered)
            if found is not None:
                return found
        return frozenset(self._searched(lowered))

    def _by_pieces(
        self,
        haystack: Haystack,
        lowered: str,
        pieces: dict[bytes, tuple[tuple[str, tuple[int, ...]], ...]],
    ) -> frozenset[str]:
        """The keywords of each piece of the text, from the pieces seen before (by a SHA-256
        digest, cut to 128 bits: a repository cannot choose a piece that collides with another;
        twice as fast as BLAKE2 where the processor hashes SHA-256 itself); the others are
        searched at once, joined. Their offsets become the haystack's hits. A piece ends right
        after a line end, and a keyword holds one only as its last character: each occurrence
        lies in one piece, in the text as in the joined pieces.

        Where a piece ends depends on its start only through the first PIECE characters: a
        version that adds lines moves every later piece, and cut at the first line end past a
        length, each cut stayed a line or more off the old one to the end of the text (every
        piece after the edit was new). Cut at a MARK, an ordinary letter met every few lines,
        a cut soon falls on the version before's: parse-server's history searched 139 MB of
        new pieces, not 359 MB (pure Python, one process: 18.3 -> 15.3 CPU-seconds)."""
        from hashlib import sha256  # not on a hook's path (hashlib loads OpenSSL)

        size = len(lowered)
        cuts: list[tuple[int, int, bytes]] = []
        start = 0
        find, mark, least, most = lowered.find, self.MARK, self.PIECE, self.PIECE_MOST
        while start < size:
            end = find(mark, start + least, start + most)
            end = find("\n", start + most if end == -1 else end)
            end = size if end == -1 else end + 1
            piece = lowered[start:end].encode("utf-8", "surrogatepass")
            cuts.append((start, end, sha256(piece).digest()[:16]))
            start = end
        # Room first, then what is missing: a piece of this text remembered, then forgotten
        # to make room, would be missing below.
        excess = len(pieces) + len(cuts) - self.PIECES_KEPT
        if excess > 0:
            for old in list(itertools.islice(pieces, max(excess, self.PIECES_KEPT // 4))):
                del pieces[old]
        new = [(start, end, digest) for start, end, digest in cuts if digest not in pieces]
        if new:
            pieces.update(self._pieces_found(lowered, new))
        offsets: dict[str, list[int]] = {}
        for start, _, digest in cuts:
            for keyword, at in pieces[digest]:
                known = offsets.get(keyword)
                if known is None:
                    known = offsets[keyword] = []
                known.extend([start + a for a in at])
        for keyword, at_offsets in offsets.items():
            haystack.record(keyword, at_offsets)
        return frozenset(offsets)

    def _pieces_found(
        self, lowered: str, new: list[tuple[int, int, bytes]]
    ) -> dict[bytes, tuple[tuple[str, tuple[int, ...]], ...]]:
        """Each keyword present in each of the ``new`` pieces of ``lowered`` with its offsets
        there, by the piece's digest: one search of the pieces joined (the keywords searched
        for whole, not stepped through, are found there too: else each version of a lockfile
        would be searched whole for them, for its windows)."""
        joined = "".join(lowered[start:end] for start, end, _ in new)
        starts = list(itertools.accumulate((end - start for start, end, _ in new), initial=0))
        haystack = Haystack(joined)
        haystack._lowered = joined  # lower-cased already
        present = self._stepped(haystack, joined)
        keywords = self._searched(joined) if present is None else present
        found: list[list[tuple[str, tuple[int, ...]]]] = [[] for _ in new]
        for keyword in sorted(keywords):
            for index, group in itertools.groupby(
                haystack.hits(keyword), key=lambda at: bisect.bisect_right(starts, at) - 1
            ):
                found[index].append((keyword, tuple(at - starts[index] for at in group)))
        return {digest: tuple(found[i]) for i, (_, _, digest) in enumerate(new)}

    def _searched(self, lowered: str) -> set[str]:
        found: set[str] = set()
        for prefix, group in self._groups:
            if prefix in lowered:
                if group:
                    found.update(k for k in group if k in lowered)
                else:
                    found.add(prefix)
        return self._with_longer(found, lowered)

    def _with_longer(
        self, found: set[str], lowered: str, offsets: dict[str, list[int]] | None = None
    ) -> set[str]:
        """``found`` and the longer keywords present, whose shortest ones all are. With the
        ``offsets`` of those, a longer keyword is checked where the rarest of them occurs (and
        its offsets added) when that costs less than a search of the text."""
        if not found:
            return found
        few = len(lowered) >> 8
        for keyword, inner in self._longer:
            if not found.issuperset(inner):
                continue
            if offsets is not None:
                seen = min((len(offsets.get(s, ())), s) for s in inner)
                if seen[0] and seen[0] <= few:
                    shift = keyword.index(seen[1])
                    at = [
                        start
                        for start in (i - shift for i in offsets[seen[1]])
                        if start >= 0 and lowered.startswith(keyword, start)
                    ]
                    if at:
                        found.add(keyword)
                        offsets[keyword] = at
                    continue
            if keyword in lowered:
                found.add(keyword)
        return found

    def _gated(self, lowered: str, offsets: dict[str, list[int]]) -> None:
        """Each keyword the trie does not find that is present, with its offsets (a search
        that would otherwise stop at the first: the windows need them all, and a longer keyword
        holding one is then checked where it is, not searched for)."""
        find = lowered.find
        for gate, words in self._plain:
            if gate not in lowered:
                continue
            for word in words or (gate,):
                at = find(word)
                if at == -1:
                    continue
                found = offsets[word] = []
                while at != -1:
                    found.append(at)
                    at = find(word, at + 1)

    def _stepped(self, haystack: Haystack, lowered: str) -> frozenset[str] | None:
        """The anchors' answer; None after too many occurrences (the searches answer)."""
        if self._trie is None:
            anchors: dict[str, list[tuple[str, int]]] = {}
            plain = []
            for keyword in self._shortest:
                at = _anchor_at(keyword)
                if at is None:
                    plain.append(keyword)
                else:
                    anchors.setdefault(keyword[at : at + _ANCHOR], []).append((keyword, at))
            self._plain = _gates(plain)
            self._anchored = {
                anchor: tuple(
                    k for other, ks in anchors.items() if anchor.startswith(other) for k in ks
                )
                for anchor in anchors
            }
            self._trie = re.compile(_trie_pattern(anchors) if anchors else "(?!)")
        search, anchored, startswith = self._trie.search, self._anchored, lowered.startswith
        limit = self.TRIE_STEPS + len(lowered) // 64
        offsets: dict[str, list[int]] = {}
        steps = 0
        match = search(lowered)
        while match is not None:
            steps += 1
            if steps > limit:
                return None
            at = match.start()
            for keyword, shift in anchored[match.group()]:
                start = at - shift
                if start >= 0 and startswith(keyword, start):
                    if keyword in offsets:
                        offsets[keyword].append(start)
                    else:
                        offsets[keyword] = [start]
            match = search(lowered, at + 1)
        self._gated(lowered, offsets)
        found = self._with_longer(set(offsets), lowered, offsets)
        for keyword, at_offsets in offsets.items():
            haystack.record(keyword, at_offsets)
        return frozenset(found)


def _held_keywords(words: list[str]) -> dict[str, list[str]]:
    """For each of the sorted, distinct ``words``, the others it contains, in order: each word
    is looked for once in all of them joined (a hook builds a prefilter per kind of file, and
    testing every pair of a few hundred words costs more than its scan)."""
    held: dict[str, list[str]] = {word: [] for word in words}
    if any("\0" in word for word in words):
        for word in words:
            held[word] = [o for o in words if o != word and o in word]
        return held
    joined = "\0".join(words)
    starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
    for other in words:
        at = joined.find(other)
        while at != -1:
            word = words[bisect.bisect_right(starts, at) - 1]
            if word != other and (not held[word] or held[word][-1] != other):
                held[word].append(other)
            at = joined.find(other, at + 1)
    return held


def _trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` with common prefixes factored out: at each offset the regex
    follows one path of the trie instead of trying every word. Built in linear time."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def pattern(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?"
        return body

    return pattern(root)


class HyperscanPrefilter:
    """All keywords in one pass of Hyperscan's literal matcher, with every offset: in ASCII
    text (byte offsets are character offsets) they are the haystack's hits, so a windowed rule
    finds its windows without a search of its own.

    It scans bytes, ignoring the case of ASCII letters, so the bytes a text was decoded from
    (UTF-8) tell which keywords it may hold without decoding them (:meth:`scan`): the same
    ones, as a byte that is not UTF-8 becomes U+FFFD, never an ASCII character; but decoding
    turns CR LF and a lone CR into LF, so a keyword that holds a line end may occur in the text
    where only the part before its first line end (its head, looked for too) occurs in the
    bytes. A file without any is judged from its bytes alone; one with some is not scanned
    again when its text is."""

    __slots__ = ("_by_head", "_database", "_keywords", "_literals", "sought")

    def __init__(self, keywords: Iterable[str], hyperscan: Any) -> None:
        self._keywords = tuple(sorted(set(keywords)))
        self.sought = frozenset(self._keywords)
        # The keywords that hold a line end, with their heads; None when one starts with one.
        heads = {k: re.split("[\r\n]", k, maxsplit=1)[0] for k in self._keywords}
        self._by_head: tuple[tuple[str, str], ...] | None = tuple(
            (k, head) for k, head in heads.items() if head != k
        )
        if any(not head for head in heads.values()):
            self._by_head = None
        # The keywords, then the heads that are not keywords: each one's index is its id.
        extra = sorted({head for head in heads.values() if head} - self.sought)
        self._literals = self._keywords + tuple(extra)
        self._database = _database(self._literals, hyperscan)

    def scan(self, data: bytes) -> Scanned | None:
        if self._by_head is None:
            return None
        found = self._ends(data)
        if not found:
            return Scanned(data, frozenset(), found)
        literals = self._literals
        present = {literals[i] for i in found}
        present.update(k for k, head in self._by_head if head in present)
        return Scanned(data, frozenset(present), found)

    def present(self, haystack: Haystack, scanned: Scanned | None = None) -> frozenset[str]:
        if not self._keywords:
            return frozenset()
        text = haystack.text
        data = haystack.utf8
        if data is None:
            data = text.encode("utf-8", "surrogatepass")
        found = scanned.ends if scanned is not None and scanned.data is data else self._ends(data)
        keywords = self._keywords
        if len(keywords) < len(self._literals):
            found = {i: ends for i, ends in found.items() if i < len(keywords)}
        if len(data) == len(text):  # ASCII: Hyperscan's offsets are the text's
            for i, ends in found.items():
                size = len(keywords[i])
                haystack.record(keywords[i], [end - size for end in ends])
        elif found and "\u0130" not in text and "\u212a" not in text:
            # Only U+0130 and U+212A lower-case to ASCII: without them an ASCII keyword occurs
            # in the lower-cased text where its bytes occur in UTF-8, and the text is no longer
            # when lower-cased; the byte offsets, less the continuation bytes before them, are
            # the hits (and no text is lower-cased to find them).
            starts = sorted(
                (end - len(keywords[i]), i) for i, ends in found.items() for end in ends
            )
            offsets: dict[int, list[int]] = {i: [] for i in found}
            previous = skipped = 0
            for at, i in starts:
                piece = data[previous:at]
                skipped += len(piece) - len(piece.translate(None, _CONTINUATION))
                offsets[i].append(at - skipped)
                previous = at
            for i, at_offsets in offsets.items():
                haystack.record(keywords[i], at_offsets)
        return frozenset(keywords[i] for i in found)

    def _ends(self, data: bytes) -> dict[int, list[int]]:
        """Where each literal (keyword or head) found ends, by its index."""
        found: dict[int, list[int]] = {}

        def hit(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            ends = found.get(pattern)
            if ends is None:
                found[pattern] = [end]
            else:
                ends.append(end)

        if self._literals:
            self._database.scan(data, match_event_handler=hit)
        return found


# The bytes that continue a UTF-8 sequence.
_CONTINUATION = bytes(range(0x80, 0xC0))

# Changed when what a kept database holds changes meaning.
_DATABASE_FORMAT = 1
# Kept databases at most (each 10-250 KB); the least recently written go first.
_DATABASES_KEPT = 64


def _database(keywords: tuple[str, ...], hyperscan: Any) -> Any:
    """Hyperscan's database of ``keywords`` (caseless literals, each keyword's index its id),
    from the cache folder when it was compiled before.

    Compiling one takes 5-20 ms and, while it runs, about 12 MB that the process keeps as its
    peak memory: each worker of a scan compiled one per kind of path. A compiled database is
    kept under a digest of the keywords and the Hyperscan version, read only when it is this
    user's and no one else can write it (see :func:`scanner.startup.read_private`), and used
    only when Hyperscan accepts it for this machine and it finds exactly the keywords, at
    their offsets, in a text made of them (:func:`_finds_exactly`); else it is compiled anew
    and kept. A cache that cannot be read or written is no cache."""
    from hashlib import blake2b

    from scanner.startup import cache_folder, keep, read_private

    key = "\0".join((str(_DATABASE_FORMAT), getattr(hyperscan, "__version__", ""), *keywords))
    folder = cache_folder()
    path = None
    if folder is not None:
        path = folder / f"hyperscan-{blake2b(key.encode(), digest_size=16).hexdigest()}.db"
        try:
            data = read_private(path)
            if data is not None:
                database = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)
                database.scratch = hyperscan.Scratch(database)
                if _finds_exactly(database, keywords):
                    return database
        except (OSError, hyperscan.error, TypeError, ValueError):
            pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[_hex_escaped(k) for k in keywords],
        ids=list(range(len(keywords))),
        elements=len(keywords),
        flags=[hyperscan.HS_FLAG_CASELESS] * len(keywords),
    )
    if path is not None:
        try:
            keep(path, hyperscan.dumpb(database))  # other keyword sets' stay beside it
            _forget_oldest(path.parent)
        except (OSError, ValueError, hyperscan.error):
            pass
    return database


def _finds_exactly(database: Any, keywords: tuple[str, ...]) -> bool:
    """The database reports every keyword, and nothing else, wherever it occurs in the
    keywords joined by newlines (a database of other keywords, or damaged, does not)."""
    probe = "\n".join(keywords).encode("ascii")
    expected = set()
    for i, keyword in enumerate(keywords):
        word = keyword.encode("ascii")
        at = probe.find(word)
        while at != -1:
            expected.add((i, at + len(word)))
            at = probe.find(word, at + 1)
    found: set[tuple[int, int]] = set()

    def hit(pattern: int, start: int, end: int, flags: int, context: object) -> None:
        found.add((pattern, end))

    database.scan(probe, match_event_handler=hit)
    return found == expected


def _forget_oldest(folder: Path) -> None:
    """Delete the kept databases beyond :data:`_DATABASES_KEPT`, the least recent first."""
    kept = sorted(folder.glob("hyperscan-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[_DATABASES_KEPT:]:
        old.unlink(missing_ok=True)


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


def _hex_escaped(keyword: str) -> bytes:
    """A literal for Hyperscan's PCRE syntax: every byte as \\xHH, so nothing is special."""
    return "".join(f"\\x{byte:02x}" for byte in keyword.encode("utf-8")).encode("ascii")


def make_prefilter(
    keywords: Iterable[str], *, accelerated: bool = True, versions: bool = False
) -> Prefilter:
    """Hyperscan when ``accelerated``, installed, and ASCII keywords allow it;
    ``JWTSCAN_PREFILTER=python`` forces the pure-Python scan (``versions``: see
    :class:`PythonPrefilter`)."""
    keywords = tuple(keywords)
    wanted = accelerated and os.environ.get("JWTSCAN_PREFILTER") != "python"
    if wanted and keywords and all(k.isascii() for k in keywords):
        try:
            import hyperscan
        except ImportError:
            pass
        else:
            return HyperscanPrefilter(keywords, hyperscan)
    return PythonPrefilter(keywords, bulk=accelerated, versions=versions)
