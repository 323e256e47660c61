"""``.env`` files judged by git state on real repositories, and their contents by the rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from scanner.fix.env import BASE_PATTERNS
from scanner.paths import is_template
from scanner.sources.dotenv import is_env_file, plain_settings
from tests.conftest import git


def _scan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: Path, *args: str
) -> tuple[int, set[tuple[str, str, int | None]]]:
    monkeypatch.chdir(repo)
    code = main(["scan", "--format", "json", *args])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, {(f["kind"], f["path"], f["line"]) for f in report["findings"]}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".env", True),
        (".env.local", True),
        ("config/.env.production", True),
        ("prod.env", True),
        (".envrc", True),
        (".env.example", False),
        (".env.sample", False),
        (".env.template", False),
        (".env.dist", False),
        ("environment.py", False),
        ("src/env.ts", False),
    ],
)
def test_is_env_file(path: str, expected: bool) -> None:
    assert is_env_file(path) is expected


@pytest.mark.parametrize(
    "name",
    [".env.example", ".env.sample", ".env.template", ".env.dist", ".env.tpl", ".env.defaults"],
)
def test_template_has_one_meaning(name: str) -> None:
    # Issue 14: three tests of "template" disagreed on .env.defaults (a file of defaults that
    # is loaded, so its values count and it is an env file). Detection, env-file governance
    # and 'fix env' now read one list.
    template = is_template(name)
    assert template is (name != ".env.defaults")
    assert is_env_file(name) is not template
    assert (f"!{name}" in BASE_PATTERNS) is template


def test_tracked_env_file_gives_two_findings(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env").write_text("PORT=3000\nJWT_SECRET=changeme\n")
    git(repo, "add", ".env")
    git(repo, "commit", "-qm", "env")
    code, found = _scan(capsys, monkeypatch, repo)
    assert code == 1
    assert ("env-file-tracked", ".env", None) in found
    assert ("weak-secret", ".env", 2) in found


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("FOO=env\nSPAM=1\nEGGS=2\nHAM=\u706b\u817f\n", True),
        ("# test app\nexport DEBUG=true\n\nPORT='3000'\n", True),
        ("FOO=env\nJWT_SECRET=changeme\n", False),  # a credential name
        (f"FOO={fake_value('alnum', 32, 'plain-env')}\n", False),  # a key-length value
        ("DATABASE_URL=postgres://app:hunter2@db/app\n", False),  # DATABASE_URL: a password
        ("URL=postgres://app:pw@db/x\n", False),
        ("", False),
        ("not an assignment\n", False),
    ],
)
def test_plain_settings(text: str, plain: bool) -> None:
    assert plain_settings(text) is plain


def test_tracked_env_fixture_of_plain_settings_is_low(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 15: Flask's tests/test_apps/.env (FOO=env, SPAM=1) was reported high by name alone.
    (repo / "tests" / "test_apps").mkdir(parents=True)
    (repo / "tests" / "test_apps" / ".env").write_text("FOO=env\nSPAM=1\nEGGS=2\n")
    (repo / "app").mkdir()
    (repo / "app" / ".env").write_text("FOO=env\nSESSION_SECRET=changeme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "env")
    monkeypatch.chdir(repo)
    code = main(["scan", "--format", "json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    tracked = {
        f["path"]: (f["severity"], f["reasons"])
        for f in report["findings"]
        if f["kind"] == "env-file-tracked"
    }
    assert code == 1
    assert tracked["tests/test_apps/.env"][0] == "low"
    assert "plain settings" in tracked["tests/test_apps/.env"][1][-1]
    assert tracked["app/.env"][0] == "high"


def test_tracked_env_file_stays_tracked_even_when_ignored(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env").write_text("PORT=3000\n")
    git(repo, "add", ".env")
    git(repo, "commit", "-qm", "env")
    (repo / ".gitignore").write_text(".env\n")  # too late: .gitignore ignores untracked files only
    _, found = _scan(capsys, monkeypatch, repo)
    assert found == {("env-file-tracked", ".env", None)}


def test_untracked_unignored_env_file(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env.local").write_text("PORT=3000\n")
    code, found = _scan(capsys, monkeypatch, repo)
    assert code == 1
    assert found == {("env-file-unignored", ".env.local", None)}


@pytest.mark.parametrize("ignore", [".gitignore", ".git/info/exclude", "nested", "global"])
def test_ignored_env_file_is_not_a_finding(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    ignore: str,
) -> None:
    (repo / "app").mkdir()
    (repo / "app" / ".env").write_text("JWT_SECRET=changeme\n")
    match ignore:
        case ".gitignore":
            (repo / ".gitignore").write_text(".env\n")
        case ".git/info/exclude":
            (repo / ".git" / "info").mkdir(exist_ok=True)
            (repo / ".git" / "info" / "exclude").write_text(".env\n")
        case "nested":
            (repo / "app" / ".gitignore").write_text(".env\n")
        case "global":
            excludes = tmp_path / "global-excludes"
            excludes.write_text(".env\n")
            git(repo, "config", "core.excludesFile", str(excludes))
    code, found = _scan(capsys, monkeypatch, repo)
    assert (code, found) == (0, set())


def test_templates_are_judged_by_content_only(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env.example").write_text("JWT_SECRET=\nSESSION_SECRET=<your-secret-here>\n")
    git(repo, "add", ".env.example")
    assert _scan(capsys, monkeypatch, repo) == (0, set())
    real = fake_value("hex", 64, "template")
    (repo / ".env.example").write_text(f"JWT_SECRET={real}\n")
    code, found = _scan(capsys, monkeypatch, repo)
    assert (code, found) == (1, {("hardcoded-secret", ".env.example", 1)})


def test_staged_env_file_blocks_the_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env").write_text("PORT=3000\n")
    git(repo, "add", ".env")
    code, found = _scan(capsys, monkeypatch, repo, "--staged")
    assert code == 1
    assert found == {("env-file-tracked", ".env", None)}


def test_env_file_in_history_only(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env.production").write_text("PORT=3000\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "oops")
    git(repo, "rm", "-q", ".env.production")
    git(repo, "commit", "-qm", "remove")
    code, found = _scan(capsys, monkeypatch, repo, "--history")
    assert code == 1
    assert found == {("env-file-in-history", ".env.production", None)}


def test_env_file_outside_git_has_no_state_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("PORT=3000\n")
    assert _scan(capsys, monkeypatch, tmp_path) == (0, set())


def _env_severities(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: Path, *args: str
) -> dict[str, str]:
    monkeypatch.chdir(repo)
    main(["scan", "--format", "json", *args])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return {f["path"]: f["severity"] for f in report["findings"] if f["kind"].startswith("env-")}


def test_staged_env_files_are_graded_by_what_they_hold(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 15: the grading of plain settings held only in working-tree scans; a staged
    # .env of FOO=env was high in the hook. Judged on the whole staged file, not its added lines.
    (repo / ".env").write_text("PORT=3000\n")
    (repo / "api").mkdir()
    (repo / "api" / ".env").write_text("PORT=3000\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "env")
    (repo / ".env").write_text("PORT=3000\nDEBUG=1\n")
    (repo / "api" / ".env").write_text("PORT=3000\nAPI_TOKEN=x\n")  # a credential name added
    git(repo, "add", "-A")
    assert _env_severities(capsys, monkeypatch, repo, "--staged") == {
        ".env": "low",
        "api/.env": "high",
    }


def test_range_env_files_are_graded_by_every_version_the_range_added(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    (repo / ".env").write_text("PORT=3000\n")
    (repo / ".env.test").write_text(f"SEED={fake_value('hex', 32, 'range-env')}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    (repo / ".env.test").write_text("SEED=1\n")  # plain now, but the range added a key first
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two")
    assert _env_severities(capsys, monkeypatch, repo, "--range", "HEAD~2..HEAD") == {
        ".env": "low",
        ".env.test": "high",
    }


def test_history_env_files_are_graded_by_every_version(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".env.production").write_text("PORT=3000\n")
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "oops")
    git(repo, "rm", "-q", ".env.production")
    (repo / ".env").write_text("PORT=3000\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "remove")
    found = _env_severities(capsys, monkeypatch, repo, "--history")
    # plain all along: low; the .env held a key in an older version: high
    assert found == {".env.production": "low", ".env": "high"}
