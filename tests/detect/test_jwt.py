"""JWT tokens generated at test time: decoding, expiry, unsigned and forgeable tokens."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from scanner.detect.jwt import expiry, parse

RS256_HEADER = {"alg": "RS256", "typ": "JWT", "kid": "key-1"}


def _b64(data: Mapping[str, object] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unsigned(claims: Mapping[str, object]) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."


def _hs(key: str, algorithm: str = "HS256", **claims: Any) -> str:
    payload = {"sub": "user-1", "iss": "https://auth.example.test", **claims}
    return pyjwt.encode(payload, key.encode(), algorithm=algorithm)


def _scan(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["scan", "--format", "json", *args, str(root)])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _kinds(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(f["kind"], f["path"], f["line"]) for f in report["findings"]]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_token_signed_with_a_key_found_elsewhere_is_forgeable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], algorithm: str
) -> None:
    key = fake_value("alnum", 64, f"link-{algorithm}")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jwt.js").write_text(
        f"module.exports = {{ secret: jwtSign('{key}') }};\njwt.sign(payload, '{key}');\n"
    )
    (tmp_path / "fixtures").mkdir()
    token = _hs(key, algorithm)
    (tmp_path / "fixtures" / "user.json").write_text(json.dumps({"token": token}, indent=2) + "\n")
    code, report = _scan(capsys, tmp_path)
    assert code == 1
    by_kind = {f["kind"]: f for f in report["findings"]}
    forged = by_kind["jwt-forgeable-token"]
    assert (forged["path"], forged["line"]) == ("fixtures/user.json", 2)
    assert forged["severity"] == "critical"
    assert "signed with the key at config/jwt.js:2" in forged["message"]
    assert key not in json.dumps(report)
    assert by_kind["hardcoded-secret"]["signs"] == ["fixtures/user.json:2"]
    assert forged["token"]["alg"] == algorithm


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_token_signed_with_a_dictionary_key_is_forgeable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "request.http").write_text(
        f"GET /api/me\nAuthorization: Bearer {_hs('changeme')}\n"
    )
    code, report = _scan(capsys, tmp_path)
    assert code == 1
    [finding] = report["findings"]
    assert finding["kind"] == "jwt-forgeable-token"
    assert "signed with a known weak key (…(8-15 bytes))" in finding["message"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_token_signed_with_a_wordlist_key_is_forgeable_only_with_the_wordlist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    word = fake_value("alnum", 12, "wordlist-word")
    project = tmp_path / "project"
    project.mkdir()
    (project / "log.txt").write_text(f"token={_hs(word)}\n")
    wordlist = tmp_path / "leaked.txt"
    wordlist.write_text(
        "\n".join(fake_value("alnum", 10, f"w{i}") for i in range(500)) + f"\n{word}\n"
    )
    _, report = _scan(capsys, project)
    assert [f["kind"] for f in report["findings"]] == ["jwt-token"]
    _, report = _scan(capsys, project, "--wordlist", str(wordlist))
    assert [f["kind"] for f in report["findings"]] == ["jwt-forgeable-token"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_no_crack_reports_tokens_without_trying_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(f"{_hs('changeme')}\n")
    _, report = _scan(capsys, tmp_path, "--no-crack")
    assert [f["kind"] for f in report["findings"]] == ["jwt-token"]


def test_rs256_and_jwe_are_reported_but_not_cracked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rs256 = f"{_b64(RS256_HEADER)}.{_b64({'sub': 'svc', 'exp': 4102444800})}.{_b64(b'x' * 256)}"
    jwe_header = _b64({"alg": "dir", "enc": "A256GCM"})
    jwe = f"{jwe_header}..{_b64(b'iv' * 6)}.{_b64(b'ciphertext' * 4)}.{_b64(b'tag-' * 4)}"
    (tmp_path / "tokens.cfg").write_text(f"rs={rs256}\njwe={jwe}\n")
    code, report = _scan(capsys, tmp_path)
    assert code == 1
    assert _kinds(report) == [("jwt-token", "tokens.cfg", 1), ("jwt-token", "tokens.cfg", 2)]
    rs, encrypted = report["findings"]
    assert rs["token"] == {
        "form": "jws",
        "alg": "RS256",
        "kid": "key-1",
        "sub": "svc",
        "exp": 4102444800,
    }
    assert rs["severity"] == "high"  # expires far in the future
    assert encrypted["token"]["form"] == "jwe"


def test_unsigned_token_is_its_own_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = _unsigned({"sub": "admin"})
    (tmp_path / "test_auth.py").write_text(f"ADMIN_TOKEN = '{token}'\n")
    code, report = _scan(capsys, tmp_path)
    assert code == 0  # a test file: reported, but an unsigned token blocks only outside tests
    [finding] = report["findings"]
    assert (finding["kind"], finding["severity"]) == ("jwt-unsigned-token", "high")
    assert (finding["context"], finding["blocking"]) == ("test", False)
    (tmp_path / "test_auth.py").rename(tmp_path / "auth.py")
    code, report = _scan(capsys, tmp_path)
    assert code == 1


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_expiry_sets_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = fake_value("alnum", 64, "expiry")
    now = int(time.time())
    lines = [
        _hs(key),  # never expires
        _hs(key, exp=now + 3600),  # valid for an hour
        _hs(key, exp=now - 400 * 86400),  # long expired
    ]
    (tmp_path / "tokens.txt").write_text("\n".join(lines) + "\n")
    _, report = _scan(capsys, tmp_path)
    severities = [(f["line"], f["severity"]) for f in report["findings"]]
    assert severities == [(1, "high"), (2, "medium"), (3, "low")]
    assert "never expires" in report["findings"][0]["message"]
    assert "expired 1.1 years ago" in report["findings"][2]["message"]


def test_malformed_look_alikes_are_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text(
        "Send `Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...` with each call.\n"
        "eyJub3QiOiJqb3NlIn0.eyJzdWIiOiIxIn0.c2ln is not a JOSE header.\n"
        "eyJhbGciOiJIUzI1NiJ9 alone is only a header.\n"
    )
    code, report = _scan(capsys, tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_truncated_token_with_real_header_is_reported_as_malformed() -> None:
    token = parse(f"{_b64({'alg': 'HS256'})}.eyJzdWIiOiIxMjM0NTY3ODkw.{_b64(b'signature' * 4)}")
    assert token is not None
    assert token.malformed


def test_base64_wrapped_token_is_decoded() -> None:
    inner = f"{_b64(RS256_HEADER)}.{_b64({'sub': 'x'})}.{_b64(b'sig')}"
    token = parse(base64.b64encode(inner.encode()).decode())
    assert token is not None
    assert token.alg == "RS256"


def test_expiry_in_plain_words() -> None:
    assert expiry({}, now=0).words == "never expires (no exp claim)"
    assert expiry({"exp": 3 * 86400}, now=0).words == "valid for another 3 days"
    assert expiry({"exp": 0}, now=2 * 365 * 86400).state == "long-expired"
    assert expiry({"exp": 10 * 365 * 86400}, now=0).state == "far-future"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_token_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", _hs("secret")]) == 1
    out = capsys.readouterr().out
    assert "FORGEABLE" in out
    assert "secret" not in out.split("verdict")[1].replace("weak key", "")
    assert main(["token", "--show-secrets", _hs("secret")]) == 1
    assert "weak key secret;" in capsys.readouterr().out
    strong = _hs(fake_value("alnum", 64, "strong"))
    assert main(["token", strong]) == 0
    assert "not signed with any of" in capsys.readouterr().out
    assert main(["token", _unsigned({"a": 1})]) == 1
    assert main(["token", "not-a-token"]) == 2
