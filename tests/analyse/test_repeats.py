"""Repeats are grouped: one finding per value, every other place an occurrence, in real git
repositories. Each place is judged, allowed and baselined on its own before grouping."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse.repeats import group_repeats
from scanner.findings import Context, Finding, Fix, Severity
from tests.conftest import commit, commit_files, git, run_main

KEY = fake_value("hex", 64, "repeats:key")
OTHER = fake_value("hex", 64, "repeats:other")


def _scan(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]], dict[str, Any], str]:
    """``jwtscan scan --format json ARGS``: exit code, findings, stats, stderr."""
    code, out, err = run_main(capsys, "scan", "--format", "json", *args)
    document = json.loads(out)
    return code, document["findings"], document["stats"], err


def _places(finding: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(p["path"], p["context"], p["blocking"]) for p in (finding, *finding["occurrences"])]


@pytest.fixture
def copied(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One generated key in app code, a Python test, a JavaScript test and a docs page."""
    monkeypatch.chdir(repo)
    commit_files(
        repo,
        {
            "src/app.py": f'JWT_SECRET = "{KEY}"\n',
            "tests/test_app.py": f'import jwt\n\ntoken = jwt.encode({{}}, "{KEY}")\n',
            "tests/auth.test.js": f"const jwt = require('jsonwebtoken');\njwt.sign(p, '{KEY}');\n",
            "docs/guide.md": f'# Guide\n\n```python\nJWT_SECRET = "{KEY}"\n```\n',
        },
    )
    return repo


def test_repeats_one_value_in_app_tests_and_docs_is_one_finding(
    copied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings, stats, _ = _scan(capsys)
    assert code == 1
    [finding] = findings
    # the primary is the app place, and the group blocks
    assert (finding["path"], finding["line"], finding["context"], finding["blocking"]) == (
        "src/app.py",
        1,
        "app",
        True,
    )
    assert finding["rule"] == "python-jwt-secret-setting"
    occurrences = {o["path"]: o for o in finding["occurrences"]}
    assert set(occurrences) == {"tests/test_app.py", "tests/auth.test.js", "docs/guide.md"}
    # each place keeps how it was judged: its rule, position, context and its own blocking
    # (the same value is in app code, so the test and docs places block too)
    assert {p: (o["rule"], o["context"], o["blocking"]) for p, o in occurrences.items()} == {
        "tests/test_app.py": ("pyjwt-literal-key", "test", True),
        "tests/auth.test.js": ("jsonwebtoken-literal-key", "test", True),
        "docs/guide.md": ("python-jwt-secret-setting", "docs", True),
    }
    assert (occurrences["tests/auth.test.js"]["line"], occurrences["docs/guide.md"]["line"]) == (
        2,
        4,
    )
    assert occurrences["tests/test_app.py"]["context_reasons"] == [
        "path tests/",
        "file name test_*.py",
    ]
    assert all(o["column"] and o["end_column"] for o in occurrences.values())
    assert (stats["findings"], stats["places"], stats["blocking"]) == (1, 4, 1)
    code, text, _ = run_main(capsys, "scan")
    assert "1 finding(s) at 4 places (1 high) in 4 file(s)" in text
    assert "also    3 other place(s), the same value:" in text
    assert "tests/auth.test.js:2:14 (test, blocking) [jsonwebtoken-literal-key]" in text
    assert KEY not in text


def test_repeats_primary_is_the_most_serious_place(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    # no app place: a test is more serious than docs, and nothing blocks
    commit_files(
        repo,
        {
            "docs/a.md": f'```python\nJWT_SECRET = "{KEY}"\n```\n',
            "tests/test_z.py": f'JWT_SECRET = "{KEY}"\n',
        },
    )
    code, [finding], _, err = _scan(capsys)
    assert code == 0
    assert _places(finding) == [("tests/test_z.py", "test", False), ("docs/a.md", "docs", False)]
    assert "1 finding(s) reported only, not blocking (1 test" in err
    # a guessable key is the same weak key where it sets the same thing: the app place is
    # the primary and blocks, the test place does not (a dictionary word in both says nothing)
    commit_files(
        repo,
        {
            "tests/sign.test.js": "jwt.sign(payload, 'changeme');\n",
            "src/sign.js": "jwt.sign(payload, 'changeme');\n",
        },
    )
    code, findings, stats, _ = _scan(capsys)
    assert code == 1
    weak = next(f for f in findings if f["kind"] == "weak-secret")
    assert _places(weak) == [("src/sign.js", "app", True), ("tests/sign.test.js", "test", False)]
    assert (stats["findings"], stats["places"], stats["blocking"]) == (2, 4, 1)


def test_repeats_a_guessable_value_setting_different_things_is_two_findings(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'changeme' as the session secret and as the JWT key: two keys to replace, each with its
    own variable (what `fix secrets` writes)."""
    monkeypatch.chdir(repo)
    commit_files(
        repo,
        {
            "src/session.js": "app.use(session({ secret: 'changeme' }));\n",
            "src/sign.js": "jwt.sign(payload, 'changeme');\n",
        },
    )
    code, findings, _, _ = _scan(capsys)
    assert code == 1
    found = sorted((f["path"], f["remediation"]["variable"], f["occurrences"]) for f in findings)
    assert found == [("src/session.js", "SESSION_SECRET", []), ("src/sign.js", "JWT_SECRET", [])]


def test_repeats_findings_without_a_value_stay_one_per_place(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code that skips verification and a tracked .env are about their place; a key shared by
    environments is reported once as such beside the grouped key."""
    monkeypatch.chdir(repo)
    # split, so that the project's self-scan does not read this module as such code
    skip = 'import jwt\nclaims = jwt.decode(token, options={"verify_' + 'signature": False})\n'
    commit_files(
        repo,
        {
            "app/a.py": skip,
            "app/b.py": skip,
            ".env": "PORT=3000\n",
            "service/.env": "PORT=3000\n",
            "config/production.yaml": f"jwt:\n  secret: {OTHER}\n",
            "config/development.yaml": f"jwt:\n  secret: {OTHER}\n",
        },
    )
    code, findings, stats, _ = _scan(capsys)
    assert code == 1
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_kind.setdefault(finding["kind"], []).append(finding)
    skipping = sorted(f["path"] for f in by_kind["jwt-insecure-verification"])
    assert skipping == ["app/a.py", "app/b.py"]
    assert sorted(f["path"] for f in by_kind["env-file-tracked"]) == [".env", "service/.env"]
    assert all(not f["occurrences"] for k in by_kind if k != "hardcoded-secret" for f in by_kind[k])
    [key] = by_kind["hardcoded-secret"]
    assert [key["path"], *(o["path"] for o in key["occurrences"])] == [
        "config/development.yaml",
        "config/production.yaml",
    ]
    [reuse] = by_kind["secret-reused-across-environments"]
    assert "production, development" in reuse["message"]
    assert stats["places"] == stats["findings"] + 1


def test_repeats_allow_comments_apply_per_place(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    commit_files(
        repo,
        {
            "src/app.py": f'JWT_SECRET = "{KEY}"  # jwtscan:allow\n',
            "tests/test_app.py": f'JWT_SECRET = "{KEY}"\n',
            "docs/a.md": f'```python\nJWT_SECRET = "{KEY}"\n```\n',
        },
    )
    code, [finding], _, _ = _scan(capsys)
    # the allowed app place is gone; the others remain, judged without it: reported only
    assert code == 0
    assert _places(finding) == [("tests/test_app.py", "test", False), ("docs/a.md", "docs", False)]


def test_repeats_baseline_records_every_place_and_applies_per_place(
    copied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(capsys, "baseline", "create")
    assert code == 0
    assert "recorded 4 finding(s)" in out
    entries = json.loads((copied / ".jwtscan-baseline.json").read_text())["entries"]
    assert sorted(e["path"] for e in entries) == [
        "docs/guide.md",
        "src/app.py",
        "tests/auth.test.js",
        "tests/test_app.py",
    ]
    code, findings, _, err = _scan(capsys, "--baseline", ".jwtscan-baseline.json")
    assert (code, findings) == (0, [])
    assert "4 finding(s) known to the baseline" in err
    # a new place of the same value is new; the baselined places stay suppressed
    commit_files(copied, {"src/settings.py": f'JWT_SECRET = "{KEY}"\n'})
    code, [finding], _, _ = _scan(capsys, "--baseline", ".jwtscan-baseline.json")
    assert code == 1
    assert _places(finding) == [("src/settings.py", "app", True)]
    # places go: a later scan of any that remain stays quiet
    git(copied, "rm", "-q", "src/settings.py", "src/app.py")
    git(copied, "commit", "-qm", "keys out")
    assert _scan(capsys, "--baseline", ".jwtscan-baseline.json")[:2] == (0, [])


def test_repeats_fix_secrets_rewrites_every_place(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    sign = f"const jwt = require('jsonwebtoken');\nmodule.exports = (p) => jwt.sign(p, '{KEY}');\n"
    settings = f'SECRET = "{KEY}"\n'
    commit_files(repo, {"src/a.js": sign, "src/b.js": sign, "app/settings.py": settings})
    code, [finding], _, _ = _scan(capsys)
    assert (code, len(finding["occurrences"])) == (1, 2)
    code, _, err = run_main(capsys, "fix", "secrets", "--apply")
    assert code == 0, err
    for name in ("src/a.js", "src/b.js", "app/settings.py"):
        text = (repo / name).read_text()
        assert KEY not in text, name
    assert "requireEnv('JWT_SECRET')" in (repo / "src/b.js").read_text()
    assert _scan(capsys)[:2] == (0, [])


def test_repeats_staged_and_folder_scans_group_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "src"
    for name in ("api", "worker"):
        (folder / name).mkdir(parents=True)
        git(folder / name, "init", "-q")
        commit_files(folder / name, {"config.py": f'JWT_SECRET = "{KEY}"\n'})
    monkeypatch.chdir(tmp_path)
    code, [finding], stats, _ = _scan(capsys, "src")
    assert code == 1
    assert _places(finding) == [("api/config.py", "app", True), ("worker/config.py", "app", True)]
    # the hook's --staged: one commit adding the key twice is one finding at two places
    api = folder / "api"
    monkeypatch.chdir(api)
    (api / "auth.py").write_text(f'JWT_SECRET = "{KEY}"\n')
    (api / "tests").mkdir()
    (api / "tests/test_auth.py").write_text(f'JWT_SECRET = "{KEY}"\n')
    git(api, "add", "-A")
    code, [finding], stats, _ = _scan(capsys, "--staged")
    assert code == 1
    assert _places(finding) == [("auth.py", "app", True), ("tests/test_auth.py", "test", True)]
    assert (stats["findings"], stats["places"]) == (1, 2)


def test_repeats_history_places_are_judged_and_block_the_group(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A history audit groups by rule and names the first commit; a key committed first in a
    test and later copied into app code blocks, and each place says how it was judged."""
    monkeypatch.chdir(repo)
    (repo / "tests").mkdir()
    (repo / "tests/test_auth.py").write_text(f'JWT_SECRET = "{KEY}"\n')
    commit(repo, "a test key", date="2024-01-01T00:00:00+00:00")
    # another blob (a history audit reads each blob once, whatever its paths)
    (repo / "src").mkdir()
    (repo / "src/auth.py").write_text(f'import os\nJWT_SECRET = "{KEY}"\n')
    commit(repo, "the test key in app code", date="2024-02-01T00:00:00+00:00")
    code, findings, _, _ = _scan(capsys, "--history")
    assert code == 1
    [finding] = findings
    assert (finding["path"], finding["context"], finding["blocking"]) == (
        "tests/test_auth.py",
        "test",
        True,
    )
    [later] = finding["occurrences"]
    assert (later["path"], later["context"], later["blocking"], later["rule"]) == (
        "src/auth.py",
        "app",
        True,
        finding["rule"],
    )
    assert later["commit"]["sha"] != finding["commit"]["sha"]


def _finding(path: str, context: Context, severity: Severity, *, blocking: bool) -> Finding:
    return Finding(
        rule_id="r",
        kind="hardcoded-secret",
        severity=severity,
        path=path,
        line=1,
        column=1,
        end_line=1,
        end_column=2,
        secret=KEY,
        message="m",
        reasons=(),
        remediation=Fix("fix"),
        context=context,
        blocking=blocking,
    )


def test_repeats_order_blocking_then_severity_then_context_then_path() -> None:
    places = [
        _finding("a/docs.md", "docs", "critical", blocking=False),
        _finding("b/test.py", "test", "critical", blocking=False),
        _finding("c/vendor.py", "vendor", "high", blocking=True),
        _finding("d/app.py", "app", "high", blocking=True),
        _finding("e/app.py", "app", "critical", blocking=True),
        _finding("a/app.py", "app", "critical", blocking=True),
    ]
    [grouped] = group_repeats(places)
    order = [grouped.path, *(o.path for o in grouped.occurrences)]
    assert order == ["a/app.py", "e/app.py", "d/app.py", "c/vendor.py", "b/test.py", "a/docs.md"]
    assert grouped.places == 6
    # the tokens a key signs are listed once for the group, from every place
    signed = [replace(places[0], signs=("t.json:1",)), replace(places[3], signs=("u.json:2",))]
    assert group_repeats(signed)[0].signs == ("u.json:2", "t.json:1")
