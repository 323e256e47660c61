"""``generate`` and ``fix env`` on real repositories: safe writes, idempotent, nothing lost."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from tests.conftest import git, run_main


@pytest.mark.parametrize(("form", "length"), [("hex", 128), ("base64", 88), ("base64url", 86)])
def test_generate_prints_a_key(capsys: pytest.CaptureFixture[str], form: str, length: int) -> None:
    code, out, _ = run_main(capsys, "generate", "--format", form)
    key = out.strip()
    assert code == 0
    assert len(key) == length
    if form == "hex":
        assert len(bytes.fromhex(key)) == 64
    if form == "base64":
        assert len(base64.b64decode(key)) == 64


def test_generate_keys_differ(capsys: pytest.CaptureFixture[str]) -> None:
    keys = {run_main(capsys, "generate", "--bytes", "32")[1] for _ in range(5)}
    assert len(keys) == 5


def test_generate_refuses_short_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(capsys, "generate", "--bytes", "16")
    assert code == 2
    assert "RFC 7518" in err
    assert run_main(capsys, "generate", "--bytes", "16", "--force")[0] == 0


def test_generate_into_ignored_env_file_never_prints_the_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".gitignore").write_text(".env\n")
    code, out, _ = run_main(capsys, "generate", "--env-file", ".env", "--name", "AUTH_SECRET")
    assert code == 0
    content = (repo / ".env").read_text()
    assert content.startswith("AUTH_SECRET=")
    key = content.strip().split("=", 1)[1]
    assert key not in out
    assert stat.S_IMODE((repo / ".env").stat().st_mode) == 0o600
    (repo / ".env").write_text(f"PORT=3000\nexport AUTH_SECRET={key}\nDEBUG=1\n")
    assert run_main(capsys, "generate", "--env-file", ".env", "--name", "AUTH_SECRET")[0] == 0
    lines = (repo / ".env").read_text().splitlines()
    assert lines[0] == "PORT=3000"
    assert lines[1].startswith("export AUTH_SECRET=")
    assert lines[1] != f"export AUTH_SECRET={key}"
    assert lines[2] == "DEBUG=1"


@pytest.mark.parametrize("state", ["tracked", "unignored"])
def test_generate_refuses_env_files_git_would_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".env").write_text("PORT=3000\n")
    if state == "tracked":
        (repo / ".gitignore").write_text(".env\n")
        git(repo, "add", "-f", ".env")
    code, _, err = run_main(capsys, "generate", "--env-file", ".env")
    assert code == 2
    assert "jwtscan fix env --apply" in err
    assert (repo / ".env").read_text() == "PORT=3000\n"
    assert run_main(capsys, "generate", "--env-file", ".env", "--force")[0] == 0


def test_fix_env_plans_applies_and_is_idempotent(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".gitignore").write_text("node_modules/")  # no trailing newline on purpose
    (repo / ".env").write_text("JWT_SECRET=changeme\nPORT=3000\n")
    (repo / "api").mkdir()
    (repo / "api" / ".env.local").write_text("export SESSION_SECRET=changeme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "env files committed")
    before = {p: (repo / p).read_text() for p in (".env", "api/.env.local")}

    code, out, _ = run_main(capsys, "fix", "env")
    assert code == 0
    assert "git rm --cached .env" in out
    assert "add to .env.example (names only, no values): JWT_SECRET, PORT" in out
    assert not (repo / ".env.example").exists()  # a plan only

    assert run_main(capsys, "fix", "env", "--apply")[0] == 0
    assert {p: (repo / p).read_text() for p in before} == before  # local files kept
    gitignore = (repo / ".gitignore").read_text().splitlines()
    assert gitignore[0] == "node_modules/"
    assert {".env", ".env.*", "!.env.example"} <= set(gitignore)
    assert (repo / ".env.example").read_text() == "JWT_SECRET=\nPORT=\n"
    assert (repo / "api" / ".env.example").read_text() == "SESSION_SECRET=\n"
    assert git(repo, "ls-files", ".env", "api/.env.local") == ""
    assert git(repo, "check-ignore", ".env", "api/.env.local").split() == [".env", "api/.env.local"]

    code, out, _ = run_main(capsys, "fix", "env", "--apply")
    assert code == 0
    assert out.startswith("nothing to do")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "untrack env files")
    code, out, _ = run_main(capsys, "scan", "--format", "json")
    assert '"env-file-' not in out


def test_fix_env_keeps_existing_template_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".gitignore").write_text(".env\n.env.*\n!.env.example\n")
    (repo / ".env").write_text("JWT_SECRET=abc\nNEW_KEY=1\n")
    (repo / ".env.example").write_text("# documented\nJWT_SECRET=\n")
    assert run_main(capsys, "fix", "env", "--apply")[0] == 0
    assert (repo / ".env.example").read_text() == "# documented\nJWT_SECRET=\nNEW_KEY=\n"
    assert (repo / ".gitignore").read_text() == ".env\n.env.*\n!.env.example\n"
