"""Every git interaction: raw git with -z output and a clean environment."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scanner.errors import GitError

# Variables that would make git look at another repository than the one asked about.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a scan must never take or refresh the index lock
    env["LC_ALL"] = "C"
    return env


def run(args: Sequence[str], cwd: Path) -> bytes:
    """Run ``git args`` in ``cwd`` and return stdout; a failure is a :class:`GitError`."""
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            env=_environment(),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args[:2])} failed in {cwd}: {message}")
    return completed.stdout


def toplevel(path: Path) -> Path | None:
    """The root of the work tree containing ``path``, or None outside a git work tree."""
    directory = path if path.is_dir() else path.parent
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            env=_environment(),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    if completed.returncode != 0:
        return None
    return Path(completed.stdout.decode().strip())


def worktree_files(root: Path, pathspecs: Sequence[str]) -> list[str]:
    """Tracked files plus untracked files that are not ignored, relative to ``root``."""
    output = run(
        ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspecs],
        cwd=root,
    )
    return sorted({name for name in output.decode("utf-8", "surrogateescape").split("\0") if name})
