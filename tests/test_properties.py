"""Properties over arbitrary input: no exception, line-ending independence, total redaction."""

from __future__ import annotations

import dataclasses
import math
import random
import re
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from scanner.detect.driver import scan
from scanner.detect.engine import Ruleset, captures, detect
from scanner.detect.judge import judge, shannon_entropy
from scanner.detect.jwt import parse
from scanner.detect.loader import load_ruleset
from scanner.detect.prefilter import (
    _GATE,
    Haystack,
    HyperscanPrefilter,
    PythonPrefilter,
    _gates,
)
from scanner.detect.rules import Rule
from scanner.findings import Fragment, redact, size_class, size_floor
from scanner.paths import GlobLists, glob_match
from scanner.pipeline import analyse
from scanner.positions import Lines
from scanner.report import ReportOptions, render
from scanner.sources.content import decode
from tests.conftest import BUILTIN_RULES

RULESET = load_ruleset()
HYPERSCAN: Any
try:
    import hyperscan as HYPERSCAN
except ImportError:  # no wheel for this machine: the pure-Python prefilter is tested either way
    HYPERSCAN = None
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like configuration and code, so that rules actually fire.
_PIECES = st.sampled_from(
    [
        "JWT_SECRET=",
        "jwt.sign(p, '",
        "')",
        '"',
        "'",
        "secret: ",
        "jwt:\n  ",
        "\n",
        " ",
        "changeme",
        "my-secret",
        "FAKEq8Xz4Lr9Tn2Vb7Kd1Ws5Hj3Mc6Pf0YeU2Ab",
        "SECRET_KEY = ",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.",
        "-----BEGIN PRIVATE KEY-----\n",
        "process.env.X",
        "${JWT_SECRET}",
        "{{ x }}",
        "key",
        "token",
        "=",
        ":",
        "\t",
        "# jwtscan:allow\n",
        "kty",  # keywords that share a prefix ("kty:", "kty=", ...): one group in the prefilter
        '"buffer"',
    ]
)
CODE = st.lists(_PIECES | st.text(max_size=12), max_size=40).map("".join)


@FAST
@given(st.text(max_size=200))
def test_judge_never_raises(value: str) -> None:
    judgement = judge(value, RULESET.weak)
    assert judgement.verdict in ("not-secret", "weak", "hardcoded")
    length = len(value.encode("utf-8"))
    strength = judgement.strength
    assert strength.length == (size_floor(length) if strength.guessable else length)


@FAST
@given(st.text(max_size=200))
def test_entropy_is_bounded(value: str) -> None:
    entropy = shannon_entropy(value)
    assert entropy >= 0
    assert entropy <= math.log2(max(len(value), 1)) + 1e-9


@FAST
@given(st.text(min_size=1, max_size=200))
def test_redaction_never_shows_the_value(value: str) -> None:
    assert redact(value) == f"…({size_class(value)})"  # a guessable value: nothing of it
    shown = redact(value, guessable=False)
    prefix, _, length = shown.partition("…")
    assert value.startswith(prefix)
    assert len(prefix) <= len(value) // 4
    assert length == f"({len(value.encode())} bytes)"


@FAST
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_jwt_parse_never_raises(text: str) -> None:
    token = parse(text)
    if token is not None:
        assert isinstance(token.alg, str)


@FAST
@given(st.binary(max_size=400))
def test_decode_never_raises(data: bytes) -> None:
    text = decode(data)
    assert text is None or "\r" not in text


@FAST
@given(
    st.binary(max_size=200)
    | st.text(max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.sampled_from([b"\xef\xbb\xbfjwt", b"a\r\nb", b"a\rb", b"\xff\xfe", "\ufffd".encode()])
)
@example(b"\xef\xbb\xbfjwt")  # a BOM: the text is not all the bytes
@example(b"secret\r\n")  # a CR: the text has none
@example(b"k\xffey")  # an invalid byte: replaced
def test_a_fragment_keeps_its_bytes_only_when_the_text_is_exactly_them(data: bytes) -> None:
    from scanner.sources.content import from_bytes

    item = from_bytes("a.txt", data, 10_000)
    if isinstance(item, Fragment) and item.utf8 is not None:
        assert item.utf8 == item.text.encode("utf-8", "surrogatepass")
    if isinstance(item, Fragment) and data.isascii() and b"\r" not in data and b"\0" not in data:
        assert item.utf8 == data  # the usual case: kept
        # A copy with another text (embedded code's) does not carry them.
        assert replace(item, text=item.text + "x").utf8 is None


@FAST
@given(CODE)
def test_detect_never_raises_and_is_line_ending_independent(text: str) -> None:
    assume("\x00" not in text)  # a NUL makes a file binary: not scanned at all
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = [(f.rule_id, f.line, f.column) for f in detect(Fragment("a.env", unix), RULESET)]
    for newline in ("\r\n", "\r"):
        decoded = decode(unix.replace("\n", newline).encode("utf-8"))
        assert decoded is not None
        found = [(f.rule_id, f.line, f.column) for f in detect(Fragment("a.env", decoded), RULESET)]
        assert found == expected


@FAST
@given(CODE)
def test_reports_never_show_a_secret(text: str) -> None:
    scanned = scan([Fragment("config/app.env", text), Fragment("src/a.js", text)], RULESET)
    result = dataclasses.replace(scanned, findings=analyse(scanned.findings, RULESET.weak))
    # Rule texts (fixes, messages) may spell a look-alike such as "JWT_SECRET=": not a leak.
    static = " ".join(f"{f.remediation.text()} {f.message} {f.reasons}" for f in result.findings)
    secrets = [f.secret for f in result.findings if len(f.secret) >= 4 and f.secret not in static]
    for name in ("text", "json"):
        output = render(name, result, ReportOptions(show_secrets=False))
        # The report's own words ("stats" holds the secret "stat") are not the secret either.
        frame = render(name, dataclasses.replace(result, findings=()), ReportOptions())
        for secret in secrets:
            assert secret in frame or secret not in output, (name, secret)


ASCII_CODE = st.lists(
    _PIECES | st.text(alphabet=st.characters(max_codepoint=127), max_size=12), max_size=40
).map("".join)


class _TriePrefilter(PythonPrefilter):
    LONG_TEXT = 0


class _TrieThenSearches(PythonPrefilter):
    LONG_TEXT = 0
    TRIE_STEPS = 1


@FAST
@given(ASCII_CODE)
def test_keyword_prefilters_find_exactly_the_keywords_present(text: str) -> None:
    lowered = text.lower()
    expected = {k for k in RULESET.keywords if k in lowered}
    assert RULESET.present(text) == expected
    assert PythonPrefilter(RULESET.keywords).present(Haystack(text)) == expected
    # The trie's regex that long texts get, stepping through every occurrence or only one.
    assert _TriePrefilter(RULESET.keywords).present(Haystack(text)) == expected
    bulk = Haystack(text)
    assert PythonPrefilter(RULESET.keywords, bulk=True, versions=True).present(bulk) == expected
    searched = Haystack(text)
    for keyword in expected:  # the offsets it recorded are those a search gives
        assert bulk.hits(keyword) == searched.hits(keyword, keyword_of_prefilter=False)
    assert _TrieThenSearches(RULESET.keywords).present(Haystack(text)) == expected
    if HYPERSCAN is not None:
        haystack = Haystack(text)
        assert HyperscanPrefilter(RULESET.keywords, HYPERSCAN).present(haystack) == expected
        # The offsets it recorded are those a search of the lower-cased text gives.
        searched = Haystack(text)
        for keyword in expected:
            assert haystack.hits(keyword) == searched.hits(keyword, keyword_of_prefilter=False)


# Keywords searched for whole behind a shared piece ("unsecured"), one with a two-character
# anchor ("yj" of "eyj"), and pieces of them that hold the gate or the anchor alone.
_GATED = ("parseunsecuredclaims", "parseunsecuredcontent", "unsecured()", "eyj", "secret", "key")
_GATED_TEXT = st.lists(
    st.sampled_from(
        [*_GATED, "unsecured", "parseunsecured", "UnSecured(", "yj", "eYJ", "ey", "secre", "x"]
    )
    | st.text(alphabet="eyjunsecrdk() ", max_size=6),
    max_size=12,
).map("".join)


@FAST
@given(_GATED_TEXT)
def test_keywords_behind_a_gate_or_a_short_anchor_are_found_exactly(text: str) -> None:
    lowered = text.lower()
    expected = {k for k in _GATED if k in lowered}
    for prefilter in (_TriePrefilter(_GATED), _TrieThenSearches(_GATED)):
        haystack = Haystack(text)
        assert prefilter.present(haystack) == expected
        for keyword in expected:
            assert haystack.hits(keyword) == Haystack(text).hits(
                keyword, keyword_of_prefilter=False
            )


@FAST
@given(st.lists(st.text(alphabet="abcde", min_size=1, max_size=12), unique=True, max_size=40))
def test_gates_hold_each_word_once_behind_a_piece_it_holds(words: list[str]) -> None:
    gates = _gates(words)
    grouped = [word for gate, members in gates for word in (members or (gate,))]
    assert sorted(grouped) == sorted(words)
    for gate, members in gates:
        assert not members or (len(gate) >= _GATE and all(gate in word for word in members))


class _Pieces(PythonPrefilter):
    PIECE_TEXT = 0
    PIECE = 8
    PIECE_MOST = 24
    PIECES_KEPT = 6  # full at once: pieces of the text at hand are forgotten to make room


class _PiecesThenSearches(_Pieces):
    TRIE_STEPS = 1


_EDITED_CODE = st.lists(
    _PIECES | st.sampled_from(["é", "\u0130", "\u212a", "中文", "😀"]) | st.text(max_size=12),
    max_size=40,
)


@FAST
@given(_EDITED_CODE, st.integers(0, 40), _PIECES | st.text(max_size=12))
@example(["x" * 10 + "kty", "\n", "jwt kty\n"], 0, "y")  # "kty\n" ends where a piece does
def test_the_pieces_of_versions_of_a_text_give_its_keywords_and_offsets(
    parts: list[str], where: int, edit: str
) -> None:
    # Two versions of a text, as in a history: the second's unchanged pieces come from what
    # the first left; keywords ending in a line end ("kty\n") sit at the pieces' ends.
    first = "".join(parts)
    second = "".join([*parts[:where], edit, *parts[where:]])
    for prefilter in (
        _Pieces(RULESET.keywords, bulk=True, versions=True),
        _PiecesThenSearches(RULESET.keywords, bulk=True, versions=True),
    ):
        for text in (first, second, first):
            lowered = text.lower()
            expected = {k for k in RULESET.keywords if k in lowered}
            haystack = Haystack(text)
            assert prefilter.present(haystack) == expected
            searched = Haystack(text)
            for keyword in expected:
                assert haystack.hits(keyword) == searched.hits(keyword, keyword_of_prefilter=False)


class _CountedPieces(PythonPrefilter):
    def __init__(self, keywords: list[str]) -> None:
        super().__init__(keywords, bulk=True, versions=True)
        self.searched: list[int] = []

    def _pieces_found(
        self, lowered: str, new: list[tuple[int, int, bytes]]
    ) -> dict[bytes, tuple[tuple[str, tuple[int, ...]], ...]]:
        self.searched.append(len(new))
        return super()._pieces_found(lowered, new)


def test_pieces_forgotten_to_make_room_are_searched_again() -> None:
    # More pieces than are kept, a version of the text that adds some: the oldest, this text's
    # own among them, go first, and the answer is still every keyword with its offsets.
    first = "\n".join(f"line {n} jwt" for n in range(10))
    second = first + "\nnew line secret\n" + "\n".join(f"other {n}" for n in range(6))
    prefilter = _Pieces(RULESET.keywords, bulk=True, versions=True)
    for text in (first, second, first, second):
        haystack = Haystack(text)
        lowered = text.lower()
        assert prefilter.present(haystack) == {k for k in RULESET.keywords if k in lowered}
        assert haystack.hits("jwt") == Haystack(text).hits("jwt", keyword_of_prefilter=False)


def test_pieces_are_searched_once_and_never_split_a_keyword() -> None:
    text = "".join(f"line {n} of a lockfile\n" for n in range(4000)) + "jwt_secret kty\n"
    prefilter = _CountedPieces(list(RULESET.keywords))
    assert len(text) >= prefilter.PIECE_TEXT
    haystack = Haystack(text)
    assert {"kty\n", "jwt"} <= prefilter.present(haystack)
    assert haystack.hits("kty\n") == [text.index("kty\n")]
    edited = text.replace("line 2000 ", "line 2000 changed ")
    assert prefilter.present(Haystack(edited)) == prefilter.present(Haystack(text))
    assert prefilter.searched[1:] == [1]  # the edited piece only
    # A keyword with a line end inside could span two pieces: no pieces then.
    assert PythonPrefilter(["a\nb"], bulk=True, versions=True)._pieces is None
    assert PythonPrefilter(["ab\n"], bulk=True, versions=True)._pieces is not None
    # A working tree's pieces do not come back: none kept for its files.
    assert PythonPrefilter(["ab\n"], bulk=True)._pieces is None


def test_pieces_after_an_edit_are_known_though_their_offsets_moved() -> None:
    # A lockfile's versions add and drop entries: every piece after an edit moves. Cut at the
    # first line end past PIECE characters, each cut stayed a few lines off the old one to the
    # end of the text, and every piece was new. Cut at the line of the first MARK past PIECE
    # characters, a cut soon falls on an old one, and the pieces from there on are known.
    rng = random.Random(7)
    words = ["core", "express", "lodash", "parse", "mime", "fix", "debug", "ws", "yaml", "ms"]

    def entry(name: str) -> str:
        name = f"{rng.choice(words)}-{rng.choice(words)}-{name}"
        return (
            f'    "node_modules/{name}": {{\n      "version": "1.{rng.randrange(99)}.0",\n'
            f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}.tgz",\n'
            f'      "integrity": "sha1-{rng.randbytes(20).hex()}",\n      "dev": true\n    }},\n'
        )

    entries = [entry(f"package-{n}") for n in range(1500)]
    first = "".join(entries)
    second = "".join([*entries[:50], *(entry(f"added-{n}") for n in range(7)), *entries[50:]])
    prefilter = _CountedPieces(list(RULESET.keywords))
    assert prefilter.present(Haystack(first)) == prefilter.present(Haystack(second))
    assert prefilter.searched[0] > 50
    # The pieces around the added entries, and a few after them until a cut meets an old one
    # (all of them, cut at line ends: 94 of 94).
    assert prefilter.searched[1] * 4 < prefilter.searched[0]


# "İ" lower-cases to two characters: windows of such a text are found another way.
_FILLER = st.sampled_from(
    ["\n", "x = 1\n", "    return value\n", "# note\n", " " * 300 + "\n", "# İstanbul İ\n", "İ"]
)


@FAST
@given(
    st.sampled_from(RULESET.rules),
    st.lists(st.integers(0, 10_000) | _FILLER | _PIECES, min_size=1, max_size=60),
)
def test_every_rule_captures_in_its_windows_what_a_whole_text_scan_captures(
    rule: Rule, parts: list[int | str]
) -> None:
    # Texts built from the rule's own examples, the generic pieces, and filler lines (a long
    # one among them), so that matches land both near and far from each other. A rule without
    # a window runs on the whole text: the comparison holds trivially and its YAML says why.
    texts = [e.text for e in (*rule.examples, *rule.negative_examples)]
    text = "".join(texts[p % len(texts)] + "\n" if isinstance(p, int) else p for p in parts)
    whole = replace(rule, window=None)
    windowed = [(c.start, c.end) for c in captures(rule, Haystack(text))]
    assert windowed == [(c.start, c.end) for c in captures(whole, Haystack(text))]
    assert _captured_in_a_tree(rule, text) == windowed


def _captured_in_a_tree(rule: Rule, text: str) -> list[tuple[int, int]]:
    """``captures`` as a scan of a working tree makes them: the prefilter's hits, the memo, its
    leads tried where windows cover much of the text, within the rule's reach of a keyword."""
    alone = Ruleset((rule,), RULESET.weak, accelerated=True)
    haystack = Haystack(text)
    prefilter = alone._prefilter((0,))
    haystack.present = prefilter.present(haystack)
    haystack.sought = prefilter.sought
    found = [(c.start, c.end) for c in captures(rule, haystack, None, alone.memo, wide=True)]
    assert alone.memo is not None
    assert not alone.memo._found  # a working tree's windows do not come back: none kept
    return found


# Filler of one long line: a minified bundle or a one-line JSON document.
_LONG_FILLER = st.sampled_from(
    [" " * 1500, "x" * 2500, ";", ", ", "a1" * 700 + " ", '{"k":"v"},' * 150, "\n"]
)


@FAST
@given(
    st.sampled_from(RULESET.rules),
    st.lists(st.integers(0, 10_000) | _LONG_FILLER | _PIECES, min_size=1, max_size=40),
    st.sampled_from([" ", "", ";", "\t"]),
)
# A verifying call 1,600 characters after ParseUnverified: past the rule's window when it was
# 1024, shorter than its look-ahead (2,000), so the window alone reported it.
@example(
    next(r for r in RULESET.rules if r.id == "go-jwt-parse-unverified"),
    [0, " " * 1500, "\n", 1114],
    " ",
)
def test_every_rule_captures_in_the_windows_of_long_lines_what_a_whole_text_scan_captures(
    rule: Rule, parts: list[int | str], newline: str
) -> None:
    # The rule's examples with their line ends made spaces (or nothing), amid long filler: a
    # window is then cut within a line, its keyword's neighbourhood.
    texts = [e.text.replace("\n", newline) for e in (*rule.examples, *rule.negative_examples)]
    text = "".join(texts[p % len(texts)] if isinstance(p, int) else p for p in parts)
    whole = replace(rule, window=None)
    windowed = [(c.start, c.end) for c in captures(rule, Haystack(text))]
    assert windowed == [(c.start, c.end) for c in captures(whole, Haystack(text))]
    assert _captured_in_a_tree(rule, text) == windowed


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda rule: rule.id)
def test_each_builtin_rule_windows_its_own_examples_exactly(rule: Rule) -> None:
    # Every rule, not a sample: each example alone and all of them in one text, apart and
    # close together; its windows must capture what the whole text does. Each example holds
    # one of the rule's keywords as the prefilter finds them (else the rule would not run).
    texts = [e.text for e in (*rule.examples, *rule.negative_examples)]
    filler = "x = 1\n" * 3 + " " * 300 + "\n"
    for text in (*texts, "\n".join(texts), filler.join(texts), filler + filler.join(texts[::-1])):
        whole = [(c.start, c.end) for c in captures(replace(rule, window=None), Haystack(text))]
        windowed = [(c.start, c.end) for c in captures(rule, Haystack(text))]
        assert windowed == whole
    alone = Ruleset((rule,), RULESET.weak)
    for case in rule.examples:
        assert not alone.present(case.text).isdisjoint(rule.keywords)


def test_every_builtin_rule_has_a_window_or_says_why_not() -> None:
    # A rule without a window costs a whole-text search on every file holding its keyword.
    sources = {rule.source for rule in RULESET.rules}
    texts = {
        source: (BUILTIN_RULES / source.removeprefix("rules/")).read_text() for source in sources
    }
    for rule in RULESET.rules:
        if rule.window is None:
            text = texts[rule.source]
            entry = text[text.index(f"- id: {rule.id}\n") :]
            entry = entry[: entry.find("- id: ", 1) if "- id: " in entry[1:] else len(entry)]
            assert "# no window: " in entry, f"{rule.id}: give it a window or say why not"


_WORDISH = st.text(alphabet="ab$._ é-", max_size=40)


@given(_WORDISH, st.text(alphabet="ab$._é-", min_size=1, max_size=4))
@FAST
def test_cross_file_word_search_is_the_look_behind_regex(text: str, name: str) -> None:
    import re

    from scanner.analyse.crossfile import _has_word

    word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
    assert _has_word(text, name) == (word.search(text) is not None)


@given(
    st.binary(max_size=60) | st.text(max_size=30).map(lambda t: t.encode()),
    st.text(alphabet="ab\n$\x00\xff", min_size=1, max_size=3).filter(str.isascii),
)
@FAST
def test_a_byte_search_of_plain_utf8_is_a_search_of_the_decoded_text(
    data: bytes, name: str
) -> None:
    from scanner.sources.content import is_plain_utf8

    text = decode(data)
    if is_plain_utf8(data) and "\r" not in name and "\n" not in name:
        assert text is not None
        assert (name in text) == (name.encode() in data)


def test_a_text_whose_lower_casing_grows_is_still_windowed() -> None:
    # Not the whole text: U+0130 lower-cases to two characters, offsets are kept another way.
    assignment = "JWT_SECRET = " + "'İ'"  # joined here: the project scans itself
    text = "# İSTANBUL\n" + "x = 1\n" * 2000 + assignment + "\n" + "y = 2\n" * 2000
    haystack = Haystack(text)
    assert len(haystack.lowered) != len(text)
    at = text.index("JWT_SECRET")
    (window,) = haystack.windows(["jwt_secret"], 20)
    assert window[0] <= at < at + 10 <= window[1]
    assert window[1] - window[0] < 100


_EDITS = st.lists(st.tuples(st.integers(0, 10_000), _FILLER | _PIECES), max_size=6)


@FAST
@given(
    st.sampled_from(RULESET.rules),
    st.lists(st.integers(0, 10_000) | _FILLER | _PIECES, min_size=1, max_size=40),
    _EDITS,
)
def test_remembered_windows_capture_what_a_fresh_search_captures(
    rule: Rule, parts: list[int | str], edits: list[tuple[int, str]]
) -> None:
    # Two versions of a file, as in a history: the second shares most windows with the first
    # (at other offsets where an edit came before them). Every window is remembered (shortest
    # 0), so the second version's captures come from the memo wherever a window came back.
    from scanner.detect.memo import MatchMemo

    texts = [e.text for e in (*rule.examples, *rule.negative_examples)]
    pieces = [texts[p % len(texts)] + "\n" if isinstance(p, int) else p for p in parts]
    edited = list(pieces)
    for at, piece in edits:
        edited.insert(at % (len(edited) + 1), piece)
    memo = MatchMemo(shortest=0)
    for text in ("".join(pieces), "".join(edited), "".join(pieces)):
        fresh = [
            (c.start, c.end, c.match_start, c.match_end) for c in captures(rule, Haystack(text))
        ]
        remembered = captures(rule, Haystack(text), memo=memo)
        assert [(c.start, c.end, c.match_start, c.match_end) for c in remembered] == fresh


@FAST
@given(
    st.lists(st.sampled_from(RULESET.rules), min_size=2, max_size=6),
    st.lists(_FILLER | _PIECES, min_size=1, max_size=40),
    _EDITS,
)
def test_rules_sharing_a_texts_window_digests_capture_what_fresh_searches_capture(
    rules: list[Rule], pieces: list[str], edits: list[tuple[int, str]]
) -> None:
    # All rules judge one haystack per text, as in a scan: a window's digest, made for the
    # first rule with that window, serves the others (each with its own look-behind text).
    from scanner.detect.memo import MatchMemo

    edited = list(pieces)
    for at, piece in edits:
        edited.insert(at % (len(edited) + 1), piece)
    memo = MatchMemo(shortest=0)
    for text in ("".join(pieces), "".join(edited), "".join(pieces)):
        shared = Haystack(text)
        for rule in rules:
            fresh = [
                (c.start, c.end, c.match_start, c.match_end) for c in captures(rule, Haystack(text))
            ]
            remembered = captures(rule, shared, memo=memo)
            assert [(c.start, c.end, c.match_start, c.match_end) for c in remembered] == fresh


@pytest.mark.parametrize(
    ("pattern", "reach"),
    [
        ("abc", 1),
        (r"(?<![\w$])x", 2),
        (r"(?<!function\s)(?:new\s+)?x", 10),
        (r"(?=a(?<=ba))b", 3),
        (r"(?<=(?<!q)ab)c", 4),
        (r"x|(?<=abcde)y", 6),
    ],
)
def test_lookback_is_the_deepest_look_behind_plus_one(pattern: str, reach: int) -> None:
    import re

    from scanner.detect.search import lookback

    assert lookback(re.compile(pattern)) == reach


def test_a_window_with_an_empty_match_is_searched_again_not_replayed() -> None:
    # ^ matches empty at a line start and \w+ then matches at the same offset: two matches
    # with one start, which re-matching at remembered offsets could not tell apart.
    import re

    from scanner.detect.memo import MatchMemo

    regex = re.compile(r"(?m)^|\w+")
    text = "alpha beta\ngamma\n" * 3
    spans = [(0, len(text))]
    expected = [(m.start(), m.end()) for m in regex.finditer(text)]
    memo = MatchMemo(shortest=0)
    for _ in range(2):
        assert [(m.start(), m.end()) for m in memo.finditer(regex, text, spans)] == expected


_NON_ASCII = st.sampled_from(["é", "ü", "中文", "😀", "\u0130", "\u212a", "\u017f", "\ud800", "ß"])


@FAST
@given(st.lists(_PIECES | _NON_ASCII | st.text(max_size=6), max_size=40).map("".join))
def test_hyperscan_hits_in_non_ascii_text_are_those_of_the_lower_cased_text(text: str) -> None:
    # Byte offsets become character offsets (less the continuation bytes before them); a text
    # holding U+0130 or U+212A, whose lower case adds ASCII, is searched instead.
    if HYPERSCAN is None:
        pytest.skip("no Hyperscan wheel here")
    haystack = Haystack(text)
    found = HyperscanPrefilter(RULESET.keywords, HYPERSCAN).present(haystack)
    searched = Haystack(text)
    for keyword in found:
        assert haystack.hits(keyword) == searched.hits(keyword, keyword_of_prefilter=False)


# Bytes of files: code with line ends of every style (a keyword may hold one: "kty\n"); and
# with text that is not ASCII and bytes that are not UTF-8.
_LINE_ENDS = st.sampled_from([b"\r\n", b"\r", b"kty\r\n", b"KTY\r"])
_FILE_BYTES = st.lists(_PIECES.map(str.encode) | _LINE_ENDS, max_size=40).map(b"".join) | st.lists(
    _PIECES.map(str.encode)
    | _LINE_ENDS
    | _NON_ASCII.map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.sampled_from([b"\xff", b"\xc3", b"\xef\xbb\xbf"])
    | st.binary(max_size=4),
    max_size=40,
).map(b"".join)
ACCELERATED = load_ruleset(accelerated=True)


@FAST
@given(_FILE_BYTES, st.sampled_from(["app.py", "config.yaml", "main.go", "a.json", "x.txt"]))
def test_bytes_screened_out_hold_no_finding_and_a_scan_of_bytes_is_one_of_the_text(
    data: bytes, path: str
) -> None:
    # Hyperscan tells from the bytes which keywords the text they decode to may hold: a file it
    # turns away has no finding; one it lets through is judged as if its text were scanned.
    from scanner.sources.content import from_bytes, is_plain_utf8

    if HYPERSCAN is None or not ACCELERATED.accelerated:
        pytest.skip("no Hyperscan wheel here")
    item = from_bytes(path, data, 10_000)
    if not is_plain_utf8(data) or not isinstance(item, Fragment):
        return
    _, prefilter = ACCELERATED._for_path(path)
    assert isinstance(prefilter, HyperscanPrefilter)
    scanned = prefilter.scan(data)
    assert scanned is not None
    alone = Haystack(item.text)
    expected = prefilter.present(alone)
    assert scanned.present >= expected
    if not ACCELERATED.may_apply(path, data):
        assert list(detect(item, ACCELERATED)) == []
        return
    given = Haystack(item.text, None, item.utf8)
    ACCELERATED.applicable(path, given)  # with what may_apply found in the bytes
    assert given.present == expected
    for keyword in expected:
        assert given.hits(keyword) == alone.hits(keyword)


def _reference_glob(pattern: str) -> re.Pattern[str]:
    """The glob as a backtracking regex over the path plus a final ``/``: each segment glob
    consumes ``segment/``, a ``**`` any number of them (the meaning scanner/paths.py states)."""
    anchored = "/" in pattern.rstrip("/")
    segments = pattern.strip("/").split("/")
    if segments[-1] == "**":
        segments[-1] = "*"
    tokens = [*([] if anchored else ["**"]), *segments, "**"]
    out = []
    for token in tokens:
        if token == "**":
            out.append("(?:[^/]+/)*")
            continue
        body = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in token)
        out.append(f"{body}/")
    return re.compile("".join(out))


_SEGMENT_GLOB = st.text(alphabet="ab*?", min_size=1, max_size=4) | st.sampled_from(
    ["settings", "a", "**"]
)


@given(
    st.lists(st.sampled_from(["a", "b", "ab", "settings", "x.py", "ba"]), min_size=1, max_size=6),
    st.lists(_SEGMENT_GLOB, min_size=1, max_size=5),
    st.booleans(),
)
@FAST
def test_path_globs_mean_what_the_reference_regex_means(
    parts: list[str], segments: list[str], rooted: bool
) -> None:
    pattern = ("/" if rooted else "") + "/".join(segments)
    assume(pattern.strip("/"))
    path = "/".join(parts)
    expected = _reference_glob(pattern).fullmatch(path + "/") is not None
    assert glob_match(path, pattern) is expected
    assert bool(GlobLists([(pattern,)]).matching(path)) is expected


@FAST
@given(st.lists(st.text(alphabet="ab\0.", min_size=1, max_size=5), max_size=12, unique=True))
def test_keywords_held_in_others_are_found_by_the_joined_search(words: list[str]) -> None:
    from scanner.detect.prefilter import _held_keywords

    words = sorted(words)
    expected = {w: [o for o in words if o != w and o in w] for w in words}
    assert _held_keywords(words) == expected
    without_nul = sorted({w.replace("\0", ".") for w in words})
    assert _held_keywords(without_nul) == {
        w: [o for o in without_nul if o != w and o in w] for w in without_nul
    }


def test_pieces_are_kept_for_versions_of_files_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A history or a range judges versions of files, whose pieces come back; a working
    tree's do not, and digesting them would only cost."""
    monkeypatch.setenv("JWTSCAN_PREFILTER", "python")
    every = tuple(range(len(RULESET.rules)))
    for versions in (True, False):
        ruleset = Ruleset(RULESET.rules, RULESET.weak, accelerated=True, versions=versions)
        for kept in (ruleset, ruleset.without(frozenset({RULESET.rules[0].id}))):
            prefilter = kept._prefilter(every[: len(kept.rules)])
            assert isinstance(prefilter, PythonPrefilter)
            assert (prefilter._pieces is not None) is versions


class _ListedLines(Lines):
    FEW = 0  # every answer from the list of line starts


@FAST
@given(
    st.lists(st.sampled_from(["\n", "a", "bc", "\r\n", "\r", "é", "\n\n"]), max_size=40).map(
        "".join
    ),
    st.lists(st.integers(0, 80), min_size=1, max_size=24),
)
def test_lines_found_by_counting_are_those_of_the_list(text: str, offsets: list[int]) -> None:
    # A capture's line and column, the text of its line and of the line above (an allow
    # comment), as detect asks for them: by counting for the first few, then from the list.
    counted, listed = Lines(text), _ListedLines(text)
    for offset in (min(o, len(text)) for o in offsets):
        line = counted.line_of(offset)
        assert line == listed.line_of(offset)
        assert counted.position(offset) == listed.position(offset)
        for number in (line, line - 1):
            if number >= 1:
                assert counted.text_of(number) == listed.text_of(number)
                assert counted.span(number) == listed.span(number)
    assert len(counted) == len(listed)
