"""The algorithm a key is judged against is the one its uses sign with, in every language."""

from __future__ import annotations

import pytest

from benchmarks.fakes import fake_value
from scanner.detect.algorithm import Use, key_algorithm, named
from scanner.detect.engine import detect
from scanner.detect.loader import load_ruleset
from scanner.findings import Finding, Fragment

RULESET = load_ruleset()
KEY48 = fake_value("alnum", 48, "algorithm-48")  # 384 bits: enough for HS256 and HS384 only


def _key_finding(path: str, text: str) -> Finding:
    [finding] = [f for f in detect(Fragment(path, text), RULESET) if f.secret == KEY48]
    return finding


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("{ alg: 'HS256' }", "HS256"),
        ("SignatureAlgorithm.HS384", "HS384"),
        ("jwt.SigningMethodHS512", "HS512"),
        ("Algorithm.HMAC512(key)", "HS512"),
        ("SecurityAlgorithms.HmacSha384Signature", "HS384"),
        ('Joken.Signer.create("HS512", key)', "HS512"),
        ("algorithms: ['HS256', 'HS512']", "HS512"),  # the strongest
        ("sign(key)", None),
        ("HS2560", None),
    ],
)
def test_named_reads_every_librarys_spelling(code: str, expected: str | None) -> None:
    assert named(code) == expected


def test_key_algorithm_resolves_a_constant_at_a_later_use() -> None:
    text = (
        "const ALG = 'HS512';\n"
        f"const key = new TextEncoder().encode('{KEY48}');\n"
        "\n"
        "export function sign(claims) {\n"
        "  return new SignJWT(claims)\n"
        "    .setProtectedHeader({ alg: ALG })\n"
        "    .sign(key);\n"
        "}\n"
    )
    start = text.index(KEY48)
    assert key_algorithm(text, start, start + len(KEY48), None) == Use("HS512", 7)


def test_key_algorithm_keeps_the_sinks_own_algorithm_when_no_use_is_stronger() -> None:
    text = f"const key = '{KEY48}';\njwt.sign(p, key, {{ algorithm: 'HS256' }});\n"
    start = text.index(KEY48)
    assert key_algorithm(text, start, start + len(KEY48), "HS384") == Use("HS384")


def test_key_algorithm_ignores_other_statements() -> None:
    text = (
        f"const key = '{KEY48}';\n"
        "function a() {\n"
        "  return jwt.sign(p, key);\n"
        "}\n"
        "function b() {\n"
        "  return jwt.sign(p, other, { algorithm: 'HS512' });\n"
        "}\n"
    )
    start = text.index(KEY48)
    assert key_algorithm(text, start, start + len(KEY48), None) is None


def test_detect_judges_a_jose_key_by_the_strongest_use_and_names_its_line() -> None:
    text = (
        "import { SignJWT, jwtVerify } from 'jose';\n"
        "const REFRESH_ALG = 'HS512';\n"
        f"export const refreshKey = new TextEncoder().encode('{KEY48}');\n"
        "\n"
        "export async function signAccess(claims) {\n"
        "  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(refreshKey);\n"
        "}\n"
        "\n"
        "export async function verifyRefresh(token) {\n"
        "  return jwtVerify(token, refreshKey, { algorithms: [REFRESH_ALG] });\n"
        "}\n"
    )
    finding = _key_finding("src/keys.ts", text)
    assert finding.kind == "weak-secret"
    assert finding.strength is not None
    assert finding.strength.algorithm == "HS512"
    assert finding.strength.required_bits == 512
    assert "HS512 (its use at line 10) needs 512" in finding.reasons[0]


def test_detect_judges_a_pyjwt_key_by_its_algorithm_constant() -> None:
    text = (
        "import jwt\n"
        "\n"
        f'SECRET_KEY = "{KEY48}"\n'
        'ALGORITHM = "HS512"\n'
        "\n"
        "def issue(payload):\n"
        "    return jwt.encode(payload, SECRET_KEY,\n"
        "                      algorithm=ALGORITHM)\n"
    )
    finding = _key_finding("app/auth.py", text)
    assert finding.kind == "weak-secret"
    assert finding.strength is not None
    assert finding.strength.algorithm == "HS512"
    assert "line 7" in finding.reasons[0]


def test_detect_judges_a_go_key_by_the_signing_method_of_its_statement() -> None:
    text = (
        "package auth\n"
        "\n"
        f'var jwtKey = []byte("{KEY48}")\n'
        "\n"
        "func Issue(c Claims) (string, error) {\n"
        "\treturn jwt.NewWithClaims(jwt.SigningMethodHS512, c).SignedString(jwtKey)\n"
        "}\n"
    )
    finding = _key_finding("internal/auth/jwt.go", text)
    assert finding.kind == "weak-secret"
    assert finding.strength is not None
    assert finding.strength.algorithm == "HS512"


def test_detect_keeps_hs256_when_every_use_is_hs256() -> None:
    text = (
        f'SECRET_KEY = "{KEY48}"\n'
        "\n"
        "def issue(payload):\n"
        '    return jwt.encode(payload, SECRET_KEY, algorithm="HS256")\n'
    )
    finding = _key_finding("app/auth.py", text)
    assert finding.kind == "hardcoded-secret"
    assert finding.strength is not None
    assert finding.strength.algorithm == "HS256"
