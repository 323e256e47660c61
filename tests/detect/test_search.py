"""A regex searched only where its leading literals occur finds what the engine's search finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scanner.detect.rules import Rule
from scanner.detect.search import finditer, leads
from tests.test_properties import _PIECES, RULESET

LED = [rule for rule in RULESET.rules if leads(rule.regex) is not None]


def _lead_strings(regex: re.Pattern[str]) -> list[str]:
    lead = leads(regex)
    if lead is None:
        return []
    if isinstance(lead, str):
        return [lead]
    return [re.sub(r"\\(.)", r"\1", part) for part in lead.pattern.split("|")]


def _same(regex: re.Pattern[str], text: str, start: int, end: int) -> None:
    expected = [(m.span(), m.groups()) for m in regex.finditer(text, start, end)]
    assert [(m.span(), m.groups()) for m in finditer(regex, text, start, end)] == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # A look-behind, then a literal: the literal, whole, through groups.
        (r"(?<![A-Za-z0-9_-])(?P<secret>eyJ[A-Za-z0-9_-]{8,})", "eyJ"),
        (r"\bhmac\.new\(", "hmac.new("),
        (r"(?<!\w)(?=x)xyzw+", "xyz"),
        # Alternatives: a search for any of them (longest first).
        (r"(?<!\w)(?:ab(?:cd|ce)|xyz)", ["abcd", "abce", "xyz"]),
        (r"(?<!\w)[ab]cde", ["acde", "bcde"]),
        (r"(?<!\w)(?:abc|)def", ["abcdef", "def"]),
        # A quantifier, case-blindness or a negated set ends the literal; too short: none.
        (r"(?<!\w)(?:ab|)c", None),
        (r"(?<!\w)a+bc", None),
        (r"(?<!\w)ab(?i:c)", None),
        (r"(?i)(?<!\w)abc", None),
        (r"(?<!\w)[^a]bcd", None),
        # The engine skips ahead by itself when the pattern opens with a literal or a set.
        (r"eyJ[a-z]+", None),
        (r"(?:abc|abd)(?<!x)", None),
    ],
)
def test_leads_are_the_literals_every_match_opens_with(
    pattern: str, expected: str | list[str] | None
) -> None:
    lead = leads(re.compile(pattern))
    if isinstance(expected, list):
        assert isinstance(lead, re.Pattern)
        assert lead.pattern == "|".join(re.escape(e) for e in expected)
    else:
        assert lead == expected


def test_some_builtin_rules_are_searched_by_their_leads() -> None:
    # The JWT rule above all: its look-behind kept the engine trying every offset of a lockfile.
    assert "jwt-token" in {rule.id for rule in LED}
    assert leads(next(r for r in RULESET.rules if r.id == "jwt-token").regex) == "eyJ"


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
    texts = [e.text for e in (*rule.examples, *rule.negative_examples)]
    texts += _lead_strings(rule.regex)
    text = "".join(texts[p % len(texts)] if isinstance(p, int) else p for p in parts)
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
