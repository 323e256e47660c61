"""A regex searched only where its leading literals occur finds what the engine's search finds."""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scanner.detect import search
from scanner.detect.engine import _lead_starts
from scanner.detect.prefilter import Haystack
from scanner.detect.rules import Rule
from scanner.detect.search import Leads, case_blind_beyond_ascii, finditer, keyword_led, leads
from tests.test_properties import _PIECES, RULESET

LED = [rule for rule in RULESET.rules if leads(rule.regex) is not None]


def _lead_strings(regex: re.Pattern[str]) -> list[str]:
    # Each lead as it is and upper-cased (a folded lead stands for every case of it).
    lead = leads(regex)
    if lead is None:
        return []
    return [*lead.words, *(word.upper() for word in lead.words if lead.folded)]


def _text_of(rule: Rule, parts: list[int | str], more: tuple[str, ...] = ()) -> str:
    """``parts`` joined, each number one of the rule's examples, its leads (see
    :func:`_lead_strings`) or ``more``."""
    texts = [e.text for e in (*rule.examples, *rule.negative_examples)]
    texts += [*_lead_strings(rule.regex), *more]
    return "".join(texts[p % len(texts)] if isinstance(p, int) else p for p in parts)


def _same(regex: re.Pattern[str], text: str, start: int, end: int) -> None:
    # Windows lower-cased here, and by a haystack that keeps them (searched twice: the second
    # time from what it kept).
    expected = [(m.span(), m.groups()) for m in regex.finditer(text, start, end)]
    assert [(m.span(), m.groups()) for m in finditer(regex, text, start, end)] == expected
    folded = Haystack(text).folded
    for _ in range(2):
        found = finditer(regex, text, start, end, folded)
        assert [(m.span(), m.groups()) for m in found] == expected
    # Another window from the same start, shorter: kept apart.
    shorter = max(start, end - 7)
    expected = [(m.span(), m.groups()) for m in regex.finditer(text, start, shorter)]
    found = finditer(regex, text, start, shorter, folded)
    assert [(m.span(), m.groups()) for m in found] == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # A look-behind, then a literal: the literal, whole, through groups.
        (r"(?<![A-Za-z0-9_-])(?P<secret>eyJ[A-Za-z0-9_-]{8,})", ["eyJ"]),
        (r"\bhmac\.new\(", ["hmac.new("]),
        (r"(?<!\w)(?=x)xyzw+", ["xyz"]),
        # Alternatives and sets: each string (those another starts with stand for it).
        (r"(?<!\w)(?:ab(?:cd|ce)|xyz)", ["abcd", "abce", "xyz"]),
        (r"(?<!\w)[ab]cde", ["acde", "bcde"]),
        (r"(?<!\w)(?:abc|)def", ["abcdef", "def"]),
        (r"(?<!\w)(?:abc|abcd|abd)", ["abc", "abd"]),
        # An alternation or a set opening the pattern: the engine tries a match at every
        # offset whose character could start one.
        (r"(?:abc|abd)(?<!x)", ["abc", "abd"]),
        (r"[xy]abc", ["xabc", "yabc"]),
        # Case variants, or the pattern ignoring case: lower-cased, found in the lower-cased
        # text; when fewer than as they are.
        (r"(?:jwt|Jwt|JWT)(?<!x)_?secret", "jwt"),
        (r"(?<!\w)ab(?i:c)", "abc"),
        (r"(?i)(?<!\w)abc", "abc"),
        (r"(?:[Ss]ecret|[Kk]ey)(?![a-z])", "key secret"),
        # A quantifier or a negated set ends the literal; too short: none.
        (r"(?<!\w)(?:ab|)c", None),
        (r"(?<!\w)a+bc", None),
        (r"(?<!\w)[^a]bcd", None),
        (r"(?<!\w)(?i:[a-z]bc)", None),
        # The engine skips ahead by itself to a literal of three characters or more.
        (r"eyJ[a-z]+", None),
        (r"\"(?:abc|xyz)", ['"abc', '"xyz']),
        (r"\"ab(?:abc|abd)", None),
        # Too many to list.
        ("(?<!x)(?:" + "|".join(f"a{c}c" for c in "bcdefghijklmnop") + ")", None),
        # Too many whole, but they begin with few strings long enough: those (as few as can be,
        # then as long).
        ("(?<!x)(?:" + "|".join(f"abc{c}" for c in "bcdefghijklmnop") + ")", ["abc"]),
        (
            r"[SsHh](?<!x)(?:IGNING|IGN_KEY|IGN_SECRET|MAC_KEY|MAC_SECRET|ignKey|mac(?:Key|Secret))",
            "hign hmac sign smac",
        ),
        ("(?<!x)(?:" + "|".join(f"{c}bc" for c in "bcdefghijklmnop") + ")", None),
    ],
)
def test_leads_are_the_literals_every_match_opens_with(
    pattern: str, expected: str | list[str] | None
) -> None:
    # A list: the literals as they are; a string: lower-cased, space-separated.
    if isinstance(expected, list):
        wanted: Leads | None = Leads(tuple(expected), folded=False)
    elif isinstance(expected, str):
        wanted = Leads(tuple(expected.split()), folded=True)
    else:
        wanted = None
    assert leads(re.compile(pattern)) == wanted


def test_some_builtin_rules_are_searched_by_their_leads() -> None:
    # The JWT rule above all: its look-behind kept the engine trying every offset of a lockfile.
    assert "jwt-token" in {rule.id for rule in LED}
    assert leads(next(r for r in RULESET.rules if r.id == "jwt-token").regex) == Leads(
        ("eyJ",), folded=False
    )
    # And the config rules opening with the names they look for, in any case.
    json_rule = next(r for r in RULESET.rules if r.id == "json-signing-secret")
    folded = leads(json_rule.regex)
    assert folded is not None
    assert folded.folded
    assert "jwt" in folded.words


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(LED),
    st.lists(st.integers(0, 10_000) | _PIECES | st.text(max_size=8), min_size=1, max_size=40),
    st.integers(0, 400),
    st.integers(0, 400),
)
def test_every_led_builtin_rule_finds_what_the_engines_search_finds(
    rule: Rule, parts: list[int | str], start: int, cut: int
) -> None:
    # The rule's examples, its leads alone and glued to other text, arbitrary text; searched
    # from and to arbitrary offsets (a window's), groups compared too.
    text = _text_of(rule, parts)
    start = min(start, len(text))
    _same(rule.regex, text, start, max(start, len(text) - cut))


_RUNS = st.lists(st.sampled_from(["a", "aa", "aaa", "x", "b", "_", "ab", "aab"]), max_size=30)


@given(_RUNS.map("".join), st.integers(0, 60), st.integers(0, 60))
@example("xaaaa", 0, 60)  # fails at 1 (look-behind), matches at 2
@example("xaaab", 0, 60)
@example("aaaaaab", 0, 60)  # one match right after another
def test_overlapping_leads_and_failed_attempts_give_the_engines_matches(
    text: str, start: int, end: int
) -> None:
    # Leads that overlap themselves and each other ("aaaa"), attempts that fail on their
    # look-behind where the next offset matches ("xaaaa"), look-behinds that read the text
    # before the search's start; one lead (str.find) and several (a search).
    patterns = (r"(?<!x)aaa", r"(?<!x)(?:aaa|aab)b?", r"(?<!b)aba(?:b|_a)*", r"\baa_[ab]+")
    for pattern in patterns:
        regex = re.compile(pattern)
        assert leads(regex) is not None
        _same(regex, text, min(start, len(text)), min(max(start, end), len(text)))


@given(
    st.lists(
        st.sampled_from(["jwt", "JWT", "Jwt", "jWt", "_", "x", " ", "secret", "SECRET", "\u017f"])
        | st.sampled_from(["ecret", "\u0130", "\u0131", "\u212a", "é", "s", "k", "i", "\n"])
        | st.sampled_from(["\u0141", "\u4a4b", "\U0001f54a", "\ud84a", "\u00c9", "SIK"]),
        max_size=30,
    ).map("".join),
    st.integers(0, 80),
    st.integers(0, 80),
)
@example("jwt_\u017fecret", 0, 80)  # the long s: the engine matches it as "s", lower() keeps it
@example("\u0130jwt_secret", 0, 80)  # the dotted capital I: two characters lower-cased
@example("JWT_SECRET jwt_secret", 4, 80)
@example("\u00e9 \u212aISa", 0, 80)  # the Kelvin sign: "k" to the engine, kept by lower()
@example("\u4a4b \u0141IK SIK \U0001f54a", 0, 80)  # units with bytes in A-Z, a surrogate pair
def test_folded_leads_find_every_case_the_engine_matches(text: str, start: int, end: int) -> None:
    # Leads lower-cased and found in the lower-cased window; texts with the characters that
    # the engine matches as ASCII letters ignoring case but lower() does not turn into them.
    patterns = (
        r"(?:jwt|Jwt|JWT)(?<!x)_?(?i:secret)",
        r"(?i)(?<![a-z])(?:jwt|secret)k?",
        r"(?<!_)(?i:kis|sik)\w",
    )
    for pattern in patterns:
        regex = re.compile(pattern)
        lead = leads(regex)
        assert lead is not None
        assert lead.folded
        _same(regex, text, min(start, len(text)), min(max(start, end), len(text)))


def test_leads_met_everywhere_give_way_to_the_engines_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Leads tried once per few characters ("app" in every word): after its probation the
    # pattern is searched by the engine, with the same matches; sparse leads stay in use.
    monkeypatch.setattr(search, "PROBATION", 1000)
    dense = re.compile(r"(?<!\w)(?:app|api)_(?:key|secret)")
    sparse = re.compile(r"(?<!\w)(?:jwt|token)_(?:key|secret)")
    text = "apply application api_key append app_secret " * 50 + "x" * 20_000 + " jwt_key"
    for regex, common in ((dense, True), (sparse, False)):
        lead = leads(regex)
        assert lead is not None
        expected = [m.span() for m in regex.finditer(text, 3, len(text) - 5)]
        for _ in range(3):
            assert [m.span() for m in finditer(regex, text, 3, len(text) - 5)] == expected
        assert lead.common() == common


KEYWORD_LED = [rule for rule in RULESET.rules if keyword_led(rule.regex, rule.keywords)]


def test_rules_whose_matches_start_with_a_keyword_are_tried_at_its_hits() -> None:
    rules = {rule.id: rule for rule in KEYWORD_LED}
    assert keyword_led(rules["jwt-token"].regex, rules["jwt-token"].keywords) == ("eyj",)
    # A look-ahead lengthens the leads: "M" then "II", "IGH", ... make the rule's keywords.
    der = rules["der-private-key-base64"]
    assert keyword_led(der.regex, der.keywords) == tuple(sorted(der.keywords))
    # A lead that starts with no keyword: no.
    assert keyword_led(re.compile(r"(?<!\w)(?:jwt|token)_key"), ("jwt",)) is None
    assert keyword_led(re.compile(r"(?<!\w)(?:jwt|token)_key"), ("jwt", "tok")) == ("jwt", "tok")
    assert keyword_led(re.compile(r"(?i)(?<!\w)jwt_key"), ("jwt_k", "jwt_key")) == (
        "jwt_k",
        "jwt_key",
    )


# Parts of a text for the tests of starts: a rule's examples and leads (see _text_of), other
# text, and the characters the engine matches as ASCII letters that lower() does not make so.
_PARTS_AND_ODD_CHARACTERS = st.lists(
    st.integers(0, 10_000)
    | _PIECES
    | st.text(max_size=8)
    | st.sampled_from(["\u0130", "\u0131", "\u017f", "\u212a", "\u00e9", "\u4a4b", "MII", "eyJ"]),
    min_size=1,
    max_size=40,
)


def _same_from_starts(
    regex: re.Pattern[str], text: str, start: int, end: int, starts: list[int] | None
) -> None:
    expected = [(m.span(), m.groups()) for m in regex.finditer(text, start, end)]
    found = finditer(regex, text, start, end, None, starts)
    assert [(m.span(), m.groups()) for m in found] == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(KEYWORD_LED),
    _PARTS_AND_ODD_CHARACTERS,
    st.integers(0, 400),
    st.integers(0, 400),
)
def test_keyword_led_rules_find_at_their_keywords_hits_what_the_engine_finds(
    rule: Rule, parts: list[int | str], start: int, cut: int
) -> None:
    # The rule's examples, keywords and leads (as they are and upper-cased) amid other text,
    # with the characters the engine matches as ASCII letters that lower() does not make so.
    text = _text_of(rule, parts, (*rule.keywords, *(k.upper() for k in rule.keywords)))
    start = min(start, len(text))
    end = max(start, len(text) - cut)
    led = keyword_led(rule.regex, rule.keywords)
    assert led is not None
    _same_from_starts(rule.regex, text, start, end, Haystack(text).starts(led))


def test_keyword_hits_are_no_starts_where_case_blindness_goes_beyond_lower_case() -> None:
    # The engine matches "(?i)kid" in "\u212aID" (the Kelvin sign); lower() keeps it apart.
    for odd in ("\u0130", "\u0131", "\u017f", "\u212a"):
        assert Haystack(f"x {odd} kid").starts(("kid",)) is None
    assert Haystack("KID x \u00e9 kid").starts(("kid",)) == [0, 8]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LED), _PARTS_AND_ODD_CHARACTERS, st.integers(0, 400), st.integers(0, 400))
def test_led_rules_tried_at_their_leads_hits_in_the_whole_text_find_what_the_engine_finds(
    rule: Rule, parts: list[int | str], start: int, cut: int
) -> None:
    # A working tree's text that the rule's windows mostly cover: its leads' hits in the whole
    # text (found lower-cased, in a text that may not be ASCII) within its reach of a keyword
    # (or anchor) are where it is tried.
    text = _text_of(rule, parts)
    start = min(start, len(text))
    end = max(start, len(text) - cut)
    haystack = Haystack(text)
    reached = (
        [(0, len(text))]
        if rule.window is None
        else haystack.reached(rule.anchors or rule.keywords, rule.window)
    )
    starts = _lead_starts(rule.regex, haystack, [(0, len(text))], lambda: reached)
    if starts is None:
        assert case_blind_beyond_ascii(text) or leads(rule.regex).common()  # type: ignore[union-attr]
        return
    _same_from_starts(rule.regex, text, start, end, starts)


def test_leads_are_found_in_the_whole_text_only_where_the_windows_cover_much_of_it() -> None:
    rule = next(r for r in RULESET.rules if r.id == "json-signing-secret")
    assert keyword_led(rule.regex, rule.keywords) is None  # "secret" is a lead, no keyword
    text = '{"apiSecret": "x", "authorization": "y"}\n' * 20 + "\n" * 2000
    whole = [(0, len(text))]
    assert _lead_starts(rule.regex, Haystack(text), whole, lambda: whole) == sorted(
        {m.start() for m in re.finditer("auth|secret", text, re.IGNORECASE)}
    )
    assert _lead_starts(rule.regex, Haystack(text), [(0, len(text) // 3)], lambda: whole) is None


def test_leads_are_tried_only_within_reach_of_an_anchor_in_a_minified_file() -> None:
    # A one-line OpenAPI document: "auth" and "token" everywhere, one window (its line); the
    # rule's key ends in secret, key or base before its quote, and is tried near those only.
    rule = next(r for r in RULESET.rules if r.id == "json-signing-secret")
    assert rule.window is not None
    assert rule.anchors
    secret = "".join(random.choice(string.ascii_letters) for _ in range(40))
    filler = '{"authorization": {"type": "token", "description": "the token"}}, ' * 200
    text = f'[{filler}{{"jwtSecret": "{secret}"}}, {filler}]'
    haystack = Haystack(text)
    spans = haystack.windows(rule.anchors, rule.window)
    assert spans == [(0, len(text))]
    reached = haystack.reached(rule.anchors, rule.window)
    starts = _lead_starts(rule.regex, haystack, spans, lambda: reached)
    assert starts is not None
    everywhere = haystack.starts(("auth", "jwt", "secret", "token"), of_prefilter=False)
    assert everywhere is not None
    assert 10 * len(starts) < len(everywhere)
    found = list(finditer(rule.regex, text, 0, len(text), None, starts))
    assert [m.group("secret") for m in found] == [secret]
    assert [m.span() for m in found] == [m.span() for m in rule.regex.finditer(text)]


@given(
    st.lists(
        st.sampled_from(["jwt", "JWT", "kid", "KID", "\u212aID", "\u0130", "\u00c9", "\u4a4b"])
        | st.sampled_from(["\U0001f54a", "\u0141IK", "x", "\n"])
        | st.text(max_size=4),
        max_size=30,
    ).map("".join)
)
def test_ascii_keywords_are_found_where_str_lower_finds_them(text: str) -> None:
    # Hits are searched in the text lower-cased by ``search.fold`` (ASCII letters, the Kelvin
    # sign), not str.lower(), when that keeps them the same.
    lowered = text.lower()
    haystack = Haystack(text)
    for keyword in ("jwt", "kid", "ik", "i"):
        expected = [i for i in range(len(lowered)) if lowered.startswith(keyword, i)]
        assert haystack.hits(keyword, keyword_of_prefilter=False) == expected


_CASED = st.lists(
    st.sampled_from(["\u03a3", "\u0391", "A", "a", " ", "\n", "7", "'", ".", "\u0130", "\u212a"])
    | st.sampled_from(["\U0001f54a", "\u00c9", "\u1e9e", "\ufb03", "\u0345", "\u03c3"]),
    max_size=60,
).map("".join)


@given(_CASED, st.integers(1, 8), st.integers(0, 60), st.integers(0, 60))
@example("\u0391\u03a3 \u03a3\u0391", 2, 0, 60)  # a capital sigma's lower case depends on its word
def test_long_texts_are_lower_cased_and_folded_piece_by_piece_as_a_whole(
    text: str, piece: int, start: int, end: int
) -> None:
    # Pieces of a few characters: each ends where str.lower reads no context across it (the
    # capital sigma's lower case depends on the letters around it), or anywhere to fold.
    whole = text.lower()
    expected = search.fold(text, start, max(start, end))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "LOWER_PIECE", piece)
        assert search.lower(text) == whole
        assert search.fold(text, start, max(start, end)) == expected
    if expected is not None:  # fold lower-cases the ASCII letters (and the Kelvin sign) alone
        span = text[start : max(start, end)]
        assert len(expected) == len(span)
        assert all(f == c.lower() or not f.isascii() for f, c in zip(expected, span, strict=True))
