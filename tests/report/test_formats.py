"""SARIF, GitHub annotations, JUnit and Markdown reports: parsed structure, schema, no leaks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from benchmarks.fakes import fake_pem, fake_value
from scanner.cli import main
from scanner.findings import Finding, Fix, ScanResult, Stats, Unreadable, redact
from scanner.report import FORMATS, github, junit, markdown, sarif, wording
from tests.conftest import git, sarif_schema

WEAK_KEYS = ("changeme", "keyboard cat")
DICTIONARY_KEY = "your-256-bit-secret"  # jwt.io's example key, not in the repository
NEW_FORMATS = ("sarif", "github", "junit", "markdown", "html")
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
COMMAND = re.compile(
    r"^::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$"
)


@dataclass(frozen=True)
class Leaky:
    """A repository of fake secrets, and the values that must never be printed."""

    root: Path
    weak: tuple[str, ...]
    random: tuple[str, ...]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _token(key: str, subject: str) -> str:
    """An HS256 token (PyJWT warns on short keys; pytest turns warnings into errors)."""
    signing_input = (
        _b64(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64(f'{{"sub":"{subject}"}}'.encode())
    )
    signature = hmac.digest(key.encode(), signing_input.encode(), hashlib.sha256)
    return f"{signing_input}.{_b64(signature)}"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def leaky(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Leaky:
    """Weak and random keys, tokens, a PEM key, a tracked .env; one key later removed."""
    random_key = fake_value("alnum", 48, "report-formats:random")
    env_key = fake_value("hex", 64, "report-formats:env")
    pem = fake_pem("rsa", "report-formats:pem")
    weak_token = _token(WEAK_KEYS[0], "alice")
    random_token = _token(random_key, "bob")
    dictionary_token = _token(DICTIONARY_KEY, "carol")
    _write(
        repo,
        {
            "src/auth.js": "const jwt = require('jsonwebtoken');\n"
            f"module.exports = (p) => jwt.sign(p, '{WEAK_KEYS[0]}');\n",  # jwtscan:allow
            "src/session.js": f"app.use(session({{ secret: '{WEAK_KEYS[1]}' }}));\n",
            "app.py": f'import jwt\nSECRET = "{random_key}"\n'
            "def mint(p):\n    return jwt.encode(p, SECRET, algorithm='HS256')\n",
            ".env": f"JWT_SECRET={env_key}\n",
            "tests/tokens.json": json.dumps([weak_token, random_token, dictionary_token], indent=1),
            "keys/jwt.pem": pem + "\n",
            "verify.py": "import jwt\n"
            'claims = jwt.decode(t, options={"verify_signature": False})\n',  # jwtscan:allow
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add secrets")
    _write(repo, {"src/session.js": "app.use(session({ secret: process.env.SESSION_SECRET }));\n"})
    git(repo, "commit", "-qam", "remove one")
    monkeypatch.chdir(repo)
    random_values = (random_key, env_key, weak_token, random_token, *pem.splitlines()[1:-1])
    return Leaky(repo, (*WEAK_KEYS, DICTIONARY_KEY), (*random_values, dictionary_token))


def _report(tmp_path: Path, fmt: str, *args: str) -> tuple[int, str]:
    out = tmp_path / f"report.{fmt}"
    code = main(["scan", "--quiet", "--format", fmt, "--output", str(out), *args])
    return code, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [(), ("--history",)], ids=["worktree", "history"])
def test_sarif_validates_against_the_2_1_0_schema(
    leaky: Leaky, tmp_path: Path, mode: tuple[str, ...]
) -> None:
    code, out = _report(tmp_path, "sarif", *mode)
    assert code == 1
    document = json.loads(out)
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    assert document["version"] == "2.1.0"
    assert "sarif-schema-2.1.0.json" in document["$schema"]
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "jwtscan"
    assert {r["id"] for r in driver["rules"]} == {r["ruleId"] for r in run["results"]}


def test_sarif_rules_carry_levels_scores_and_help(leaky: Leaky, tmp_path: Path) -> None:
    _, out = _report(tmp_path, "sarif")
    run = json.loads(out)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    weak = rules["jsonwebtoken-literal-key"]
    assert weak["defaultConfiguration"]["level"] == "error"
    assert weak["properties"]["security-severity"] == "9.5"
    assert {"security", "secret", "external/cwe/cwe-798"} <= set(weak["properties"]["tags"])
    assert "process.env.JWT_SECRET" in weak["help"]["text"]
    assert weak["help"]["markdown"].startswith("**Fix:**")
    for rule in rules.values():
        assert float(rule["properties"]["security-severity"]) > 0
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]


def test_sarif_results_locate_and_fingerprint_each_finding(leaky: Leaky, tmp_path: Path) -> None:
    _, sarif_out = _report(tmp_path, "sarif")
    _, json_out = _report(tmp_path, "json")
    results = json.loads(sarif_out)["runs"][0]["results"]
    findings = json.loads(json_out)["findings"]
    assert len(results) == len(findings)
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding["rule"]
        # the tokens in tests/ are reported only: a note, whatever their severity
        assert result["level"] == (LEVELS[finding["severity"]] if finding["blocking"] else "note")
        assert result["properties"]["context"] == finding["context"]
        assert result["partialFingerprints"] == {"jwtscan/v2": finding["fingerprint"]}
        (where,) = result["locations"]
        physical = where["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding["path"]
        region = physical["region"]
        if finding["line"] is None:
            assert region == {"startLine": 1}  # file-level: GitHub requires a startLine
        else:
            assert (region["startLine"], region["startColumn"]) == (
                finding["line"],
                finding["column"],
            )
            assert region["endLine"] == finding["end_line"]
        assert "Fix: " in result["message"]["text"]
        assert "secret" not in result["properties"]


def test_sarif_forgeable_token_names_the_key_by_place_only(leaky: Leaky, tmp_path: Path) -> None:
    _, out = _report(tmp_path, "sarif", "--show-secrets")
    results = json.loads(out)["runs"][0]["results"]
    messages = sorted(
        r["message"]["text"] for r in results if r["properties"]["kind"] == "jwt-forgeable-token"
    )
    assert [m.split(";")[0] for m in messages] == [
        "Forgeable JWT: signed with a known weak key",
        "Forgeable JWT: signed with the key at app.py:2",
        "Forgeable JWT: signed with the key at src/auth.js:2",
    ]


def test_sarif_show_secrets_puts_values_in_properties_only(leaky: Leaky, tmp_path: Path) -> None:
    _, out = _report(tmp_path, "sarif", "--show-secrets")
    run = json.loads(out)["runs"][0]
    assert leaky.random[0] in [r["properties"].get("secret") for r in run["results"]]
    without_properties = [{k: v for k, v in r.items() if k != "properties"} for r in run["results"]]
    public = json.dumps([run["tool"], without_properties])
    for value in (*leaky.weak, *leaky.random):
        assert value not in public


def test_sarif_fingerprints_survive_code_motion(leaky: Leaky, tmp_path: Path) -> None:
    def located() -> dict[str, int]:
        _, out = _report(tmp_path, "sarif")
        results = json.loads(out)["runs"][0]["results"]
        return {
            r["partialFingerprints"]["jwtscan/v2"]: r["locations"][0]["physicalLocation"]["region"][
                "startLine"
            ]
            for r in results
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
        }

    before = located()
    app = leaky.root / "app.py"
    app.write_text("# moved down\n\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
    after = located()
    assert before.keys() == after.keys()
    assert all(after[key] == before[key] + 2 for key in before)


def _annotations(text: str) -> tuple[list[dict[str, str]], str]:
    *commands, summary = text.splitlines()
    parsed = []
    for line in commands:
        match = COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        parsed.append({"command": match["command"], "message": match["message"], **properties})
    return parsed, summary


def test_github_one_annotation_per_finding_gravest_first(leaky: Leaky, tmp_path: Path) -> None:
    code, out = _report(tmp_path, "github")
    _, json_out = _report(tmp_path, "json")
    findings = json.loads(json_out)["findings"]
    annotations, summary = _annotations(out)
    assert code == 1
    assert len(annotations) == len(findings)
    assert not summary.startswith("::")
    assert summary.startswith(f"jwtscan: {len(findings)} finding(s)")
    commands = [a["command"] for a in annotations]
    assert commands == sorted(commands, key=["error", "warning", "notice"].index)
    weak = next(a for a in annotations if a["title"] == "jwtscan jsonwebtoken-literal-key")
    assert (weak["file"], weak["line"], weak["col"]) == ("src/auth.js", "2", "38")
    env = next(a for a in annotations if a["title"] == "jwtscan env-file-tracked")
    assert env["file"] == ".env"
    assert "line" not in env  # a file-level finding
    pem = next(a for a in annotations if a["title"] == "jwtscan pem-private-key")
    assert pem["endLine"] != pem["line"]
    assert "col" not in pem  # GitHub takes columns only within one line


def _finding(**changes: Any) -> Finding:
    base = Finding(
        rule_id="demo-rule",
        kind="hardcoded-secret",
        severity="medium",
        path="src/a.py",
        line=3,
        column=5,
        end_line=3,
        end_column=9,
        secret="s3cr3t-value-xyz",
        message="Signing key hardcoded: long enough",
        reasons=("long enough",),
        remediation=Fix("Read it from the environment."),
    )
    return replace(base, **changes)


def _result(*findings: Finding) -> ScanResult:
    return ScanResult(findings, Stats(files=1, bytes=10, seconds=0.01, skipped=(), unreadable=()))


def test_public_message_names_the_right_key_when_tokens_share_a_line() -> None:
    keys = [
        _finding(path=path, line=1, secret=f"key-{path}", signs=("t.json:1",))
        for path in ("a.py", "b.py")
    ]
    token = _finding(
        kind="jwt-forgeable-token",
        path="t.json",
        line=1,
        secret="eyJ.token",
        message="Forgeable JWT: signed with the key at b.py:1 (key-…(8 bytes)); anyone can mint",
    )
    message = wording.public_message(token, (*keys, token))
    assert message.startswith("Forgeable JWT: signed with the key at b.py:1;")
    assert "key-" not in message


def test_github_escapes_data_and_properties() -> None:
    finding = _finding(path="dir,x/a:b%\n.py", message="first\r\nsecond 100%")
    (line, _) = github.render(_result(finding), False, False).splitlines()
    assert "file=dir%2Cx/a%3Ab%25%0A.py," in line
    # A message is one line: a rule's control characters are shown, not obeyed.
    assert line.endswith("::first\\r\\nsecond 100%25. Fix: Read it from the environment.")
    assert line.startswith("::warning ")


def test_junit_one_failed_case_per_blocking_finding(leaky: Leaky, tmp_path: Path) -> None:
    _, out = _report(tmp_path, "junit")
    _, json_out = _report(tmp_path, "json")
    findings = json.loads(json_out)["findings"]
    suites = ET.fromstring(out)
    assert suites.tag == "testsuites"
    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "")) == len(cases) == len(findings)
    blocking = [f for f in findings if f["blocking"]]
    assert 0 < len(blocking) < len(findings)  # the tokens in tests/ are reported only
    assert int(suite.get("failures", "")) == len(blocking)
    for case, finding in zip(cases, findings, strict=True):
        assert case.get("file") == finding["path"]
        failure = case.find("failure")
        if not finding["blocking"]:
            assert failure is None
            details = case.find("system-out")
            assert details is not None
            assert "Context: test (path tests/)" in (details.text or "")
            continue
        assert failure is not None
        assert failure.get("type") == finding["rule"]
        assert failure.get("message")
        assert f"fix: {finding['remediation']['summary']}" in (failure.text or "")


def test_junit_clean_scan_is_one_passing_case(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "app.js").write_text("jwt.sign(p, process.env.JWT_SECRET);\n")
    monkeypatch.chdir(repo)
    code, out = _report(repo.parent, "junit")
    assert code == 0
    (case,) = ET.fromstring(out).iter("testcase")
    assert case.get("name") == "jwtscan"
    assert list(case) == []


def test_junit_drops_characters_xml_cannot_carry() -> None:
    finding = _finding(path="a\x01b.py", reasons=("bell \x07 here",))
    case = ET.fromstring(junit.render(_result(finding), False, False)).find(".//testcase")
    assert case is not None
    assert case.get("file") == "a\\x01b.py"
    failure = case.find("failure")
    assert failure is not None
    assert "why: bell \\x07 here" in (failure.text or "")


def test_markdown_summary_counts_and_table(leaky: Leaky, tmp_path: Path) -> None:
    _, out = _report(tmp_path, "markdown")
    assert out.startswith("## jwtscan: ")
    assert "| critical |" in out
    assert "| jwt-forgeable-token |" in out
    assert "| severity | kind | location | context | rule | fix |" in out
    assert "src/auth.js:2" in out


def test_markdown_table_shows_the_50_gravest() -> None:
    findings = [_finding(path=f"f{i}.py", severity="low") for i in range(60)]
    findings.append(_finding(path="grave.py", severity="critical"))
    out = markdown.render(_result(*findings), False, False)
    rows = [line for line in out.splitlines() if line.startswith("| ") and ".py" in line]
    assert len(rows) == 50
    assert "grave.py" in rows[0]
    assert "Showing the 50 gravest of 61 findings" in out


def test_markdown_escapes_table_cells() -> None:
    out = markdown.render(_result(_finding(path="a|b_<x>.py")), False, False)
    assert r"a\|b\_\<x\>.py:3" in out


def test_step_summary_is_appended_whatever_the_format(
    leaky: Leaky, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _ = _report(tmp_path, "json")
    assert code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n## jwtscan: ")
    assert "| severity | kind | location | context | rule | fix |" in text


def test_step_summary_that_cannot_be_written_only_warns(
    leaky: Leaky,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a directory
    code, _ = _report(tmp_path, "text")
    assert code == 1
    assert "warning: cannot append to GITHUB_STEP_SUMMARY" in capsys.readouterr().err


def _leaks(text: str, leaky: Leaky) -> list[str]:
    found = [value for value in (*leaky.weak, *leaky.random) if value in text]
    found.extend(
        value[i : i + 8]
        for value in leaky.random
        for i in range(len(value) - 7)
        if value[i : i + 8] in text
    )
    return found


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("mode", [(), ("--history",)], ids=["worktree", "history"])
def test_reports_never_leak_secret_values(
    leaky: Leaky, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, mode: tuple[str, ...]
) -> None:
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = _report(tmp_path, fmt, *mode)
    assert code == 1
    for text in (out, summary.read_text(encoding="utf-8")):
        assert _leaks(text, leaky) == []
    if fmt in NEW_FORMATS:  # not even the redacted prefixes the terminal report shows
        for value in (*leaky.weak, *leaky.random):
            assert redact(value) not in out
        assert "…(" not in out


def test_incomplete_scans_say_so_in_every_new_format() -> None:
    stats = Stats(
        files=1, bytes=1, seconds=0.0, skipped=(), unreadable=(Unreadable("x.js", "EIO"),)
    )
    result = ScanResult((_finding(),), stats)
    document = json.loads(sarif.render(result, False, False))
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"].endswith("EIO")
    annotations = github.render(result, False, False).splitlines()
    assert annotations[1].startswith("::error file=x.js,title=jwtscan unreadable::")
    assert annotations[-1].endswith("1 unreadable: INCOMPLETE")
    suite = ET.fromstring(junit.render(result, False, False)).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")
    assert "**Incomplete:** cannot read x.js" in markdown.render(result, False, False)


def test_scrub_removes_long_values_and_keeps_words() -> None:
    assert wording.scrub("name it a1b2c3d4e5 (a1…(10 bytes))", "a1b2c3d4e5") == "name it [secret]"
    assert wording.scrub("const secret = process.env.X", "secret") == "const secret = process.env.X"
