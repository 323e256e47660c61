"""The pure judgement of captured values: placeholders, weak keys, hardcoded keys, strength."""

from __future__ import annotations

import pytest

from benchmarks.fakes import fake_value
from scanner.detect.judge import is_placeholder, judge, looks_random, sequential, shannon_entropy
from scanner.detect.loader import load_ruleset

WEAK = load_ruleset().weak


@pytest.mark.parametrize(
    ("value", "bits"),
    [
        ("secret", 2.25),
        ("changeme", 2.75),
        ("my-secret", 2.95),
        ("supersecretkey123", 3.38),
        ("development#product", 3.58),
        ("your-256-bit-secret", 3.68),
        ("ThisIsMySuperSecretKey12345", 4.16),
    ],
)
def test_shannon_entropy_matches_published_figures(value: str, bits: float) -> None:
    assert shannon_entropy(value) == pytest.approx(bits, abs=0.01)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "  ",
        "${JWT_SECRET}",
        "${jwt.secret}",
        "$JWT_SECRET",
        "%(secret)s",
        "{{ .Values.jwt }}",
        "<your-secret-here>",
        "xxxxxxxx",
        "********",
        "process.env.JWT_SECRET",
        "os.getenv('X')",
        "${{ secrets.JWT }}",
        "%JWT_SECRET%",
        "null",
        "@jwt.secret@",
    ],
)
def test_is_placeholder_recognises_references(value: str) -> None:
    assert is_placeholder(value)
    assert judge(value, WEAK).verdict == "not-secret"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("secret", "in the weak-key dictionary"),
        ("changeme", "in the weak-key dictionary"),
        ("my-secret", "in the weak-key dictionary"),
        ("My_Secret", "in the weak-key dictionary"),  # case and separators
        ("s3cr3t", "in the weak-key dictionary"),  # leetspeak
        ("changeme2024", "in the weak-key dictionary"),  # appended year
        ("your-256-bit-secret", "in the weak-key dictionary"),
        ("keyboard cat", "in the weak-key dictionary"),
        ("supersecretkey123", "in the weak-key dictionary"),
        ("development#product", "in the weak-key dictionary"),
        ("ThisIsMySuperSecretKey12345", "in the weak-key dictionary"),
        ("purple-elephant-dancing-on-the-moonlight-bridge-2024", "made of dictionary words"),
        # issue 15: the digits and the alphabet in order passed as random (entropy 5.2)
        ("1234567890abcdefghijklmnopqrstuvwxyz", "runs of consecutive characters"),
        ("ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210", "runs of consecutive characters"),
    ],
)
def test_judge_flags_weak_keys(value: str, reason: str) -> None:
    judgement = judge(value, WEAK)
    assert judgement.verdict == "weak"
    assert judgement.reasons[0].startswith(reason)


def test_judge_flags_short_random_key_as_weak_with_rfc_reason() -> None:
    value = fake_value("alnum", 20, "short")
    judgement = judge(value, WEAK)
    assert judgement.verdict == "weak"
    assert "too short: 20 bytes = 160 bits, HS256 needs 256" in judgement.reasons[0]
    assert not judgement.strength.meets_rfc7518


@pytest.mark.parametrize(
    ("algorithm", "length", "meets"),
    [
        ("HS256", 32, True),
        ("HS384", 32, False),
        ("HS384", 48, True),
        ("HS512", 63, False),
        ("HS512", 64, True),
        (None, 31, False),
    ],
)
def test_judge_applies_rfc7518_length_per_algorithm(
    algorithm: str | None, length: int, meets: bool
) -> None:
    value = fake_value("alnum", length, f"rfc-{algorithm}-{length}")
    judgement = judge(value, WEAK, algorithm=algorithm)
    assert judgement.strength.meets_rfc7518 is meets
    assert judgement.verdict == ("hardcoded" if meets else "weak")


def test_judge_reports_strength_of_random_hex_key() -> None:
    value = fake_value("hex", 64, "hex")
    judgement = judge(value, WEAK)
    assert judgement.verdict == "hardcoded"
    assert judgement.strength.length == 64
    assert judgement.strength.bits == 256
    assert judgement.strength.required_bits == 256


def test_judge_generic_name_needs_random_shape() -> None:
    generic = (16, 3.0)
    assert judge("user_session_key", WEAK, generic=generic).verdict == "not-secret"
    assert judge("Authorization", WEAK, generic=generic).verdict == "not-secret"
    assert judge("3f2504e0-4f89-11d3-9a0c-0305e82c3301", WEAK, generic=generic).verdict == (
        "not-secret"
    )
    random_value = fake_value("b64", 44, "generic")
    assert judge(random_value, WEAK, generic=generic).verdict == "hardcoded"


def test_judge_template_only_flags_real_looking_keys() -> None:
    assert judge("changeme", WEAK, template=True).verdict == "not-secret"
    assert judge(fake_value("hex", 64, "tpl"), WEAK, template=True).verdict == "hardcoded"


@pytest.mark.parametrize(
    "value",
    [
        "keys/private.pem",
        "https://auth.example.com/jwks",
        "AbstractTokenFactory",
        "session_cookie_name",
        "1234567890abcdefghijklmnopqrstuvwxyz",  # typed in order, not generated
        "abcdefgh12345678ABCDEFGH",
    ],
)
def test_looks_random_rejects_ordinary_strings(value: str) -> None:
    assert not looks_random(value)


def test_random_values_are_not_word_made() -> None:
    for i in range(200):
        value = fake_value("alnum", 32, f"words-{i}")
        assert judge(value, WEAK).verdict == "hardcoded", value


def test_random_values_are_not_sequential() -> None:
    # a random value has about 3% of neighbours one step apart; the test needs 70%
    for seed in range(200):
        value = fake_value("alnum", 32, f"sequential-{seed}")
        assert not sequential(value), value


@pytest.mark.parametrize("value", ["docs-example-secret-key-32b", "signing_key_256bits"])
def test_judge_counts_a_size_suffix_as_part_of_a_word_key(value: str) -> None:
    judgement = judge(value, WEAK)
    assert judgement.verdict == "weak"
    assert judgement.reasons[0].startswith("made of dictionary words")


def test_judge_keeps_a_random_key_with_a_size_like_tail_random() -> None:
    value = fake_value("alnum", 40, "sized") + "-32b"
    assert judge(value, WEAK).verdict == "hardcoded"


def test_placeholder_cut_at_its_first_blank_is_not_a_key() -> None:
    # export SESSION_SECRET=<paste a 64-character hex string>: an unquoted value ends at a blank
    assert is_placeholder("<paste")
