"""Bare base64 DER private keys: told from public keys and certificates by their structure."""

from __future__ import annotations

import base64

import pytest

from benchmarks.fakes import fake_der
from scanner.detect.der import is_der_private_key
from scanner.detect.engine import Ruleset, detect
from scanner.detect.loader import load_ruleset
from scanner.findings import Fragment

RULESET = load_ruleset()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize("kind", ["pkcs8", "rsa", "ec"])
def test_der_private_keys_are_recognised(kind: str) -> None:
    value = fake_der(kind, f"test-der:{kind}")
    assert is_der_private_key(value)
    # URL-safe alphabet, no padding, and line breaks inside are the same key
    assert is_der_private_key(value.replace("+", "-").replace("/", "_").rstrip("="))
    assert is_der_private_key("\n".join(value[i : i + 64] for i in range(0, len(value), 64)))


def test_der_public_key_certificate_and_broken_values_are_not_private_keys() -> None:
    assert not is_der_private_key(fake_der("spki", "test-der:spki"))
    # A certificate opens with a SEQUENCE (tbsCertificate), not a version INTEGER.
    certificate = bytes.fromhex("300830030201020201ff")
    assert not is_der_private_key(_b64(certificate))
    # An encrypted PKCS#8 key: an AlgorithmIdentifier first.
    encrypted = bytes.fromhex("300d300606042a03040504030a0b0c")
    assert not is_der_private_key(_b64(encrypted))
    key = fake_der("pkcs8", "test-der:truncated")
    assert not is_der_private_key(key[:-12])  # truncated: the outer length no longer fits
    assert not is_der_private_key(key + "AAAA")  # trailing bytes after the key
    assert not is_der_private_key("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC...")
    assert not is_der_private_key("not base64 at all!")
    # A non-minimal length is BER, not DER.
    assert not is_der_private_key(_b64(bytes.fromhex("308200030201010400")))


def test_der_rule_reports_the_private_key_and_not_the_public_one() -> None:
    private, public = fake_der("pkcs8", "test-der:rule"), fake_der("spki", "test-der:rule")
    text = f"jwt:\n  private-key: {private}\n  public-key: {public}\n"
    findings = list(detect(Fragment("config/application.yml", text), RULESET))
    assert [(f.rule_id, f.kind, f.line, f.column) for f in findings] == [
        ("der-private-key-base64", "private-key", 2, 16)
    ]
    assert findings[0].secret == private


def test_der_rule_ignores_a_pem_body_line() -> None:
    # One line of a PEM block is not a whole key: the PEM rule reports the block instead.
    body = fake_der("pkcs8", "test-der:pem")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    pem = "\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----"])
    found = [f.rule_id for f in detect(Fragment("keys/signing.pem", pem + "\n"), RULESET)]
    assert found == ["pem-private-key"]


def test_der_rule_is_only_a_finding_with_the_validation() -> None:
    rule = next(r for r in RULESET.rules if r.id == "der-private-key-base64")
    assert rule.validate == "der-private-key"
    alone = Ruleset((rule,), RULESET.weak)
    spki = fake_der("spki", "test-der:validate")
    assert rule.regex.search(f"KEY={spki}") is not None  # the regex alone would match it
    assert list(detect(Fragment(".env", f"KEY={spki}\n"), alone)) == []


def test_der_key_with_stray_trailing_bytes_is_recognised_a_truncated_one_is_not() -> None:
    value = fake_der("pkcs8", "test-der:slack")
    # one character too many where the "=" was lost: a stray byte after the key
    stray = base64.b64encode(base64.b64decode(value) + b"\x00").decode()
    assert is_der_private_key(stray)
    assert not is_der_private_key(value[: len(value) // 2])
