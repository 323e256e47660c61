"""Scans never change the repository: work tree, index, refs, config and objects hash the same
before and after every read-only mode. Only `fix` and `generate` write, and only what they say."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from tests.conftest import git


def _snapshot(root: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digests[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            digests[str(path.relative_to(root))] = f"dir {oct(path.stat().st_mode)}"
    return digests


@pytest.fixture
def busy(repo: Path) -> Path:
    """A repository with history, a staged change, an unstaged change and untracked files."""
    (repo / "auth.js").write_text(f"jwt.sign(p, '{fake_value('alnum', 48, 'touch')}');\n")
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    (repo / "auth.js").write_text("jwt.sign(p, 'changeme');\n")
    git(repo, "commit", "-qam", "two")
    (repo / "staged.js").write_text("jwt.verify(t, 'secret');\n")
    git(repo, "add", "staged.js")
    (repo / "auth.js").write_text("jwt.sign(p, 'my-secret');\n")  # unstaged
    (repo / "untracked.py").write_text('JWT_SECRET = "supersecret"\n')
    return repo


@pytest.mark.parametrize(
    "args",
    [
        ["scan"],
        ["scan", "--format", "json"],
        ["scan", "--staged"],
        ["scan", "--staged", "--all-lines"],
        ["scan", "--since", "HEAD~1"],
        ["scan", "--range", "HEAD~1..HEAD"],
        ["scan", "--history"],
        ["scan", "--history", "--max-key-age", "1"],
        ["hook"],
        ["rules", "list"],
        ["fix", "env"],  # the plan only
        ["fix", "secrets"],  # the diff only
        ["generate"],  # prints, writes nothing
    ],
    ids=lambda args: " ".join(args),
)
def test_read_only_modes_leave_the_repository_untouched(busy: Path, args: list[str]) -> None:
    before = _snapshot(busy)
    status = git(busy, "status", "--porcelain=v2", "--branch")
    completed = subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=busy,
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )
    assert completed.returncode in (0, 1), completed.stderr
    assert _snapshot(busy) == before
    assert git(busy, "status", "--porcelain=v2", "--branch") == status


def test_fix_env_apply_writes_only_what_it_announced(busy: Path) -> None:
    before = _snapshot(busy)
    plan = subprocess.run(
        [sys.executable, "-m", "scanner", "fix", "env"],
        cwd=busy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    subprocess.run(
        [sys.executable, "-m", "scanner", "fix", "env", "--apply"],
        cwd=busy,
        check=True,
        capture_output=True,
    )
    after = _snapshot(busy)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    work_tree_changes = {p for p in changed if p != ".git" and not p.startswith(".git/")}
    assert work_tree_changes == {".gitignore", ".env.example"}, plan
    assert ".gitignore" in plan
    assert ".env.example" in plan
    assert (busy / ".env").read_text() == "JWT_SECRET=changeme\n"  # the local file is kept
