"""What a report reveals about a value: redaction, fingerprints, baselines, token handling."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse.forgery import crack_tokens
from scanner.detect.engine import detect
from scanner.detect.judge import is_placeholder
from scanner.detect.loader import load_ruleset
from scanner.findings import Finding, Fragment, ScanResult, Stats
from scanner.report import FORMATS, ReportOptions, render
from tests.conftest import BUILTIN_RULES, commit_files, git, run_main

RULESET = load_ruleset()
DICTIONARY = tuple(
    line
    for line in (BUILTIN_RULES / "weak-keys.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
LITERAL = re.compile(r"""(?P<q>['"`])(?P<value>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)""")
_KEY_ARGUMENT = re.compile(r"(?<=[(,] )(?:nil|null|None|\$key|key|secret)\b")
SECONDS = re.compile(r'"seconds": [0-9.]+|[0-9.]+s\b|"duration": [0-9.]+|time="[0-9.]+"')


def _reports(findings: list[Finding]) -> dict[str, str]:
    result = ScanResult(tuple(findings), Stats(1, 1, 0.0, (), ()))
    return {fmt: render(fmt, result, ReportOptions()) for fmt in FORMATS}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HEADER = _b64(b'{"alg":"HS256","typ":"JWT"}')


def _token(key: bytes, claims: bytes) -> str:
    signing_input = f"{HEADER}.{_b64(claims)}"
    signature = hmac.digest(key, signing_input.encode(), hashlib.sha256)
    return f"{signing_input}.{_b64(signature)}"


# --- no value in any report field ----------------------------------------------------------


def _variants() -> Iterator[tuple[str, str, str]]:
    """(path, text, value) for each built-in rule's positive examples: the example's own value,
    and the same text with a fresh random value in its place (for a code rule: in place of
    every literal of the offending call), so a leak cannot hide behind a common word."""
    for rule in RULESET.rules:
        for i, example in enumerate(rule.examples):
            path = f"{rule.id}/{i}/{example.path or 'example'}"
            fresh = fake_value("alnum", 40, f"{rule.id}:{i}")
            secret = example.secret
            assert secret is not None  # a positive example names what it yields
            if rule.kind == "insecure-verification":
                # The key argument of the offending call, written as a literal ('…' in place
                # of nil, $key, key or secret), and every literal the call already holds.
                value = fresh[:21]
                keyed = _KEY_ARGUMENT.sub(f"'{value}'", secret, count=1)
                literals = LITERAL.sub(partial(_fresh_literal, value), keyed)
                if literals != secret:
                    yield path, example.text.replace(secret, literals), value
            else:
                yield path, example.text, secret
                if rule.kind == "secret":
                    yield f"{path}.fresh", example.text.replace(secret, fresh), fresh


def _fresh_literal(value: str, literal: re.Match[str]) -> str:
    if is_placeholder(literal["value"]):
        return literal[0]
    return f"{literal['q']}{value}{literal['q']}"


def test_no_rule_example_value_reaches_any_report_format() -> None:
    findings: list[Finding] = []
    values: list[str] = []
    for path, text, value in _variants():
        found = list(detect(Fragment(path, text), RULESET))
        if found:
            findings.extend(found)
            values.append(value)
    assert len(values) > 300  # every rule has examples; most survive a fresh value
    code_values = [v for v in values if len(v) == 21]
    assert len(code_values) >= 5  # keys inside insecure-verification code were judged
    # A value that is also a word of jwtscan's own text ('secretKey' in secretKeyRef) cannot
    # be checked by search; its fresh variant is.
    own_text = " ".join(f"{r.id} {r.description} {r.remediation.fix}" for r in RULESET.rules)
    checked = [v for v in values if len(v) >= 8 and v not in own_text]
    reports = _reports(list(crack_tokens(findings, RULESET.weak)))
    for fmt, out in reports.items():
        leaked = [v for v in checked if v in out]
        pem_lines = [  # the key material of a PEM block, line by line
            line
            for v in values
            for line in v.splitlines()[1:-1]
            if re.fullmatch(r"\s*[A-Za-z0-9+/=]{16,}", line) and line.strip() in out
        ]
        assert (leaked, pem_lines) == ([], []), fmt


def test_insecure_verification_code_hides_the_key_in_every_output(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: the "code:" reason quoted JWT.decode(token, 'Qx7v…', false) with its key."""
    key = fake_value("alnum", 32, "ruby-decode")
    php_key = fake_value("alnum", 32, "php-decode")
    (repo / "app").mkdir()
    (repo / "app" / "auth.rb").write_text(f"payload = JWT.decode(token, '{key}', false)\n")
    (repo / "app" / "auth.php").write_text(
        f"<?php\n$claims = JWT::decode($jwt, '{php_key}', array('HS256', 'none'));\n"
    )
    monkeypatch.chdir(repo)
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown", "html"):
        code, out, err = run_main(capsys, "scan", "--no-color", "--format", fmt)
        assert code == 1, err
        assert key not in out
        assert php_key not in out
        assert key[:8] not in out
    code, out, _ = run_main(capsys, "scan", "--format", "json")
    reasons = {f["rule"]: f["reasons"] for f in json.loads(out)["findings"]}
    assert reasons["ruby-jwt-verification-disabled"] == ["code: JWT.decode(token, '…', false"]
    assert reasons["php-jwt-decode-allows-none"] == [
        "code: JWT::decode($jwt, '…', array('HS256', 'none')"
    ]
    git(repo, "add", "-A")
    code, out, err = run_main(capsys, "hook")
    assert code == 1
    assert "ruby-jwt-verification-disabled" in out + err
    assert key not in out + err
    assert php_key not in out + err


# --- fingerprints and baselines are no dictionary oracle -----------------------------------


def _outputs(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    parts = [run_main(capsys, "scan", "--format", fmt)[1] for fmt in ("json", "sarif", "text")]
    assert run_main(capsys, "baseline", "create")[0] == 0
    parts.append((repo / ".jwtscan-baseline.json").read_text())
    (repo / ".jwtscan-baseline.json").unlink()
    return SECONDS.sub("", "\n".join(parts))


def test_weak_key_outputs_do_not_depend_on_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two dictionary keys of one length give byte-identical reports and baselines: no
    function of the outputs (a hash of the dictionary included) can tell which key it was.
    (One length: the location's end column, which viewers highlight, is exact.)"""
    monkeypatch.chdir(repo)
    (repo / "src").mkdir()
    seen = []
    for key in ("changeme", "password", "letmein!"):
        (repo / "src" / "auth.js").write_text(f"module.exports = (p) => jwt.sign(p, '{key}');\n")
        seen.append(_outputs(repo, capsys))
        assert key not in seen[-1]
    assert seen[0] == seen[1] == seen[2]
    fields = set(re.findall(r"[0-9a-f]{16,}", seen[0]))
    assert fields  # the fingerprint and the baseline entry
    rule, path = "jsonwebtoken-literal-key", "src/auth.js"
    for entry in DICTIONARY:
        for message in ("\0".join((rule, path, entry)), entry, f"{rule}\0{entry}"):
            digest = hashlib.sha256(message.encode()).hexdigest()
            assert not any(field in digest for field in fields), entry


def test_every_reported_dictionary_key_is_indistinguishable_from_others() -> None:
    """Redaction, strength, reasons and fingerprint of a dictionary key are shared by many
    other entries: no prefix, a size class instead of the length, no entropy."""
    shown: dict[str, list[str]] = {}
    for entry in DICTIONARY:
        if "'" in entry or "\\" in entry:
            continue
        text = f"module.exports = (p) => jwt.sign(p, '{entry}');\n"
        found = [f for f in detect(Fragment("src/auth.js", text), RULESET) if f.secret == entry]
        if not found:
            continue  # a placeholder-like entry ('xxxxxxxx'): not reported
        [finding] = found
        assert finding.kind == "weak-secret"
        assert finding.guessable
        assert finding.redacted.startswith("…(")  # no prefix
        public = json.dumps(
            [
                finding.redacted,
                finding.fingerprint,
                finding.identity,
                finding.message,
                finding.reasons,
                finding.strength,
            ],
            default=repr,
        )
        assert entry not in public or len(entry) < 4
        shown.setdefault(public, []).append(entry)
    assert sum(len(v) for v in shown.values()) > 1000
    assert min(len(entries) for entries in shown.values()) >= 70  # as the README says


def test_random_key_fingerprint_is_stable_and_path_free(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = fake_value("alnum", 48, "random-fingerprint")
    monkeypatch.chdir(repo)
    (repo / "a.js").write_text(f"jwt.sign(p, '{key}');\n")
    first = json.loads(run_main(capsys, "scan", "--format", "json")[1])["findings"][0]
    (repo / "a.js").rename(repo / "b.js")
    moved = json.loads(run_main(capsys, "scan", "--format", "json")[1])["findings"][0]
    assert first["kind"] == "hardcoded-secret"
    assert first["secret"] == f"{key[:4]}…(48 bytes)"  # a random key may keep a short prefix
    assert first["fingerprint"] == moved["fingerprint"]
    assert first["strength"]["length"] == 48


# --- baselines: moves, byte-identical, no new weak key hidden ------------------------------

WEAK = "module.exports = (p) => jwt.sign(p, 'changeme');\n"


def test_baseline_survives_git_mv_and_is_recreated_byte_identical(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 6: after `git mv` the findings came back as new, and `baseline create`
    changed every line (a fresh salt)."""
    monkeypatch.chdir(repo)
    random_key = fake_value("alnum", 48, "baseline-move")
    commit_files(
        repo,
        {
            "src/auth.js": WEAK,
            "config/prod.js": f"jwt.sign(p, '{random_key}');\n",
            ".jwtscan.yaml": "baseline: .jwtscan-baseline.json\n",
        },
    )
    assert run_main(capsys, "baseline", "create")[0] == 0
    baseline = repo / ".jwtscan-baseline.json"
    first = baseline.read_bytes()
    assert run_main(capsys, "baseline", "create")[0] == 0
    assert baseline.read_bytes() == first
    document = json.loads(first)
    assert document["version"] == 2
    assert "salt" not in document
    assert len(first.decode().splitlines()) == 6 + len(document["entries"])  # one per line
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "baseline")
    assert run_main(capsys, "scan")[0] == 0
    (repo / "lib").mkdir()
    git(repo, "mv", "src/auth.js", "lib/auth.js")
    git(repo, "mv", "config/prod.js", "config/production.js")
    code, out, _ = run_main(capsys, "scan")
    assert code == 0, out
    assert run_main(capsys, "hook")[0] == 0
    git(repo, "commit", "-qm", "move")
    assert run_main(capsys, "scan", "--history")[0] == 0
    assert run_main(capsys, "baseline", "update")[0] == 0
    updated = baseline.read_bytes()
    assert sorted(e["path"] for e in json.loads(updated)["entries"]) == [
        "config/production.js",
        "lib/auth.js",
    ]
    assert run_main(capsys, "baseline", "create")[0] == 0
    assert baseline.read_bytes() == updated


def test_baseline_does_not_cover_a_new_weak_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A weak key is known by its rule and setting, not its value: a second one in the same
    file, or one in another file while the baselined file still exists, is new."""
    monkeypatch.chdir(repo)
    commit_files(repo, {"src/a.js": WEAK})
    run_main(capsys, "baseline", "create")
    (repo / "src" / "b.js").write_text(WEAK.replace("changeme", "password"))
    code, out, _ = run_main(
        capsys, "scan", "--baseline", ".jwtscan-baseline.json", "--format", "json"
    )
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["src/b.js"]
    (repo / "src" / "b.js").unlink()
    (repo / "src" / "a.js").write_text(WEAK + WEAK.replace("changeme", "password"))
    assert run_main(capsys, "scan", "--baseline", ".jwtscan-baseline.json")[0] == 1


def test_baseline_reads_version_1_and_update_rewrites_it(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    commit_files(repo, {"auth.js": WEAK})
    salt = "00" * 16
    message = "\0".join(("jsonwebtoken-literal-key", "auth.js", "changeme")).encode()
    digest = hmac.new(bytes.fromhex(salt), message, hashlib.sha256).hexdigest()[:32]
    entry = {"rule": "jsonwebtoken-literal-key", "path": "auth.js", "hash": digest}
    v1 = {"version": 1, "tool": "jwtscan", "salt": salt, "entries": [entry]}
    (repo / ".jwtscan-baseline.json").write_text(json.dumps(v1))
    code, _, err = run_main(capsys, "scan", "--baseline", ".jwtscan-baseline.json")
    assert code == 0
    assert "version 1 baseline" in err
    assert run_main(capsys, "baseline", "update", "--baseline", ".jwtscan-baseline.json")[0] == 0
    document = json.loads((repo / ".jwtscan-baseline.json").read_text())
    assert document["version"] == 2
    assert "salt" not in document
    assert run_main(capsys, "scan", "--baseline", ".jwtscan-baseline.json")[0] == 0


def test_baseline_create_never_writes_outside_the_repository(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: `baseline: ../victim.txt` in the repository's config overwrote that file."""
    monkeypatch.chdir(repo)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (repo / "auth.js").write_text(WEAK)
    (repo / ".jwtscan.yaml").write_text("baseline: ../victim.txt\n")
    code, _, err = run_main(capsys, "baseline", "create")
    assert code == 2
    assert "outside the repository" in err
    (repo / ".jwtscan.yaml").write_text("baseline: inside/link/baseline.json\n")
    (repo / "inside").mkdir()
    (repo / "inside" / "link").symlink_to(tmp_path)
    assert run_main(capsys, "baseline", "create")[0] == 2
    (repo / ".jwtscan.yaml").unlink()
    (repo / ".jwtscan-baseline.json").symlink_to(victim)
    code, _, err = run_main(capsys, "baseline", "create")
    assert code == 2
    assert "leads outside the repository" in err
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "baseline.json").exists()
    # A path typed on the command line is the user's choice.
    chosen = tmp_path / "chosen.json"
    assert run_main(capsys, "baseline", "create", "--baseline", str(chosen))[0] == 0
    assert json.loads(chosen.read_text())["version"] == 2


# --- tokens: parsing never raises, cracking has a budget -----------------------------------


def test_odd_tokens_are_reported_not_an_internal_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a 400-digit exp, a lone surrogate in a claim, a non-object payload each made
    the scan fail with an internal error, losing every finding."""
    key = fake_value("alnum", 40, "odd-tokens").encode()
    tokens = [
        _token(key, b'{"sub":"a","exp":1' + b"0" * 400 + b"}"),
        _token(key, b'{"sub":"\\ud800","iat":1' + b"0" * 400 + b',"nbf":-1e999}'),
        _token(key, b'["not", "an", "object", "payload"]'),
        _token(key, b'{"exp":NaN,"kid":{"deep":["\\udfff"]}}'),
    ]
    (repo / "tokens.txt").write_text("".join(f"token{i} = {t}\n" for i, t in enumerate(tokens)))
    (repo / "auth.js").write_text(WEAK)
    monkeypatch.chdir(repo)
    for fmt in ("text", "json", "sarif", "junit", "html"):
        code, _, err = run_main(capsys, "scan", "--format", fmt)
        assert code == 1, err
        assert "internal error" not in err
    findings = json.loads(run_main(capsys, "scan", "--format", "json")[1])["findings"]
    lines = sorted(f["line"] for f in findings if f["path"] == "tokens.txt")
    assert lines == [1, 2, 3, 4]
    first = next(f for f in findings if f["line"] == 1 and f["path"] == "tokens.txt")
    assert "exp is out of range" in first["message"]


def test_token_cracking_has_a_budget_and_never_drops_a_token(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: 2,000 HS256 tokens in one file took 38 s to crack, in the hook too."""
    count = 2000
    lines = [
        _token(fake_value("alnum", 40, f"budget:{i}").encode(), f'{{"sub":"{i}"}}'.encode())
        for i in range(count - 1)
    ]
    lines.append(_token(b"changeme", b'{"sub":"last"}'))  # weak, but past the budget
    (repo / "tokens.yaml").write_text("".join(f"t{i}: {t}\n" for i, t in enumerate(lines)))
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    started = time.monotonic()
    code, out, _ = run_main(capsys, "scan", "--staged", "--format", "json")
    assert time.monotonic() - started < 30
    assert code == 1
    findings = json.loads(out)["findings"]
    assert len(findings) == count  # every token reported
    untried = [f for f in findings if any("budget" in r for r in f["reasons"])]
    assert untried
    assert findings[-1] in untried
    assert Counter(f["kind"] for f in findings) == {"jwt-token": count}
    started = time.monotonic()
    code, out, _ = run_main(capsys, "hook")
    assert time.monotonic() - started < 30
    assert code == 1
    assert "budget" in out


def test_crack_tokens_finds_a_weak_key_within_budget_and_redacts_it() -> None:
    token = _token(b"changeme", b'{"sub":"x"}')
    [finding] = detect(Fragment("t.txt", f"t: {token}\n"), RULESET)
    [cracked] = crack_tokens([finding], RULESET.weak)
    assert cracked.kind == "jwt-forgeable-token"
    assert "(…(8-15 bytes))" in cracked.message
    [untried] = crack_tokens([finding], RULESET.weak, budget=10)
    assert untried.kind == "jwt-token"
    assert "budget of 10 key trials" in untried.reasons[-1]
