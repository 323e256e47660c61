"""``jwtscan fix env``: ignore .env files, untrack them (keeping local copies), template them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scanner.errors import UsageError
from scanner.files import read_regular, writable_target, write_atomic
from scanner.fix.edits import newline_of
from scanner.paths import TEMPLATE_SUFFIXES
from scanner.sources import git
from scanner.sources.dotenv import env_names, is_env_file

_TEMPLATES = tuple(f".env.{suffix}" for suffix in TEMPLATE_SUFFIXES)
BASE_PATTERNS = (".env", ".env.*", *(f"!{template}" for template in _TEMPLATES))
_LIMIT = 16 * 2**20  # bytes: a .gitignore or an env file is small


@dataclass(frozen=True, slots=True)
class EnvPlan:
    """What ``fix env`` will do; empty when the repository is already in a safe state."""

    ignore: tuple[str, ...]  # lines to append to the root .gitignore
    untrack: tuple[str, ...]  # tracked env files to remove from the index (not from disk)
    templates: tuple[tuple[str, tuple[str, ...]], ...]  # template path -> names to add

    @property
    def empty(self) -> bool:
        return not (self.ignore or self.untrack or self.templates)


def plan(root: Path) -> EnvPlan:
    """Look at the repository (read only) and decide what to change."""
    files, untracked = git.worktree_files(root, [])
    ignored = _ignored_env_files(root)
    env_files = [f for f in files if is_env_file(f)]
    tracked = tuple(f for f in env_files if f not in untracked)
    return EnvPlan(
        ignore=_missing_patterns(root, env_files),
        untrack=tracked,
        templates=_templates(root, [*env_files, *ignored], files),
    )


def _ignored_env_files(root: Path) -> list[str]:
    output = git.run(["ls-files", "-z", "--others", "--ignored", "--exclude-standard"], root)
    return [n for n in output.decode("utf-8", "surrogateescape").split("\0") if is_env_file(n)]


def _missing_patterns(root: Path, env_files: Iterable[str]) -> tuple[str, ...]:
    gitignore = root / ".gitignore"
    # git reads no .gitignore that is a symlink (gitignore(5)): its lines do not count.
    present = set() if gitignore.is_symlink() else set(_read(gitignore).splitlines())
    wanted = list(BASE_PATTERNS)
    names = {PurePosixPath(f).name for f in env_files}
    if any(not n.startswith(".env") and n.endswith(".env") for n in names):
        wanted.append("*.env")
    if ".envrc" in names:
        wanted.append(".envrc")
    already_safe = (
        git.is_ignored(root, ".env")
        and git.is_ignored(root, ".env.local")
        and not git.is_ignored(root, ".env.example")
    )
    missing = [p for p in wanted if p not in present]
    if already_safe:
        missing = [p for p in missing if p not in BASE_PATTERNS]
    return tuple(missing)


def _templates(
    root: Path, env_files: Iterable[str], tracked_or_visible: Iterable[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    existing = set(tracked_or_visible)
    by_directory: dict[str, set[str]] = {}
    for name in env_files:
        directory = str(PurePosixPath(name).parent)
        by_directory.setdefault(directory, set()).update(_keys(root / name))
    plans = []
    for directory, keys in sorted(by_directory.items()):
        template = _template_path(directory, existing)
        present = set(_keys(root / template))
        missing = tuple(sorted(keys - present))
        if missing:
            plans.append((template, missing))
    return tuple(plans)


def _template_path(directory: str, existing: set[str]) -> str:
    prefix = "" if directory == "." else f"{directory}/"
    for name in _TEMPLATES:
        if f"{prefix}{name}" in existing:
            return f"{prefix}{name}"
    return f"{prefix}.env.example"


def _keys(path: Path) -> list[str]:
    return env_names(_read(path))


def _read(path: Path) -> str:
    """The file's text, invalid bytes kept as they are; empty when it does not exist."""
    if not path.exists():
        return ""
    return read_regular(path, "file", limit=_LIMIT, errors="surrogateescape")


def describe(env_plan: EnvPlan) -> str:
    """The plan in words, one action per line."""
    if env_plan.empty:
        return "nothing to do: .env files are ignored, untracked and templated"
    lines = [f"append to .gitignore: {pattern}" for pattern in env_plan.ignore]
    lines += [f"untrack (keep the local file): git rm --cached {path}" for path in env_plan.untrack]
    lines += [
        f"add to {template} (names only, no values): {', '.join(keys)}"
        for template, keys in env_plan.templates
    ]
    if env_plan.untrack:
        lines.append("then commit, and rotate every secret the tracked files held")
    return "\n".join(lines)


def apply(root: Path, env_plan: EnvPlan) -> None:
    """Carry out the plan. Only appends and untracks: no user file is deleted or rewritten.

    Each file is appended to atomically, its other bytes and its line ends kept. A template
    that is a symlink is written through only when its target is inside the repository: a
    committed link to ``~/.bashrc`` must not make jwtscan edit it. A ``.gitignore`` that is a
    symlink is never written: git does not read it. Either stops the run before anything is
    written (exit 2): replacing the link with a file would change what the repository
    commits, so the user decides.
    """
    block = "# Environment files hold secrets: keep them out of git (jwtscan fix env)"
    appends = [(".gitignore", (block, *env_plan.ignore))] if env_plan.ignore else []
    appends += [
        (template, tuple(f"{key}=" for key in keys)) for template, keys in env_plan.templates
    ]
    if env_plan.ignore and (root / ".gitignore").is_symlink():
        raise UsageError(
            ".gitignore is a symbolic link, which git does not read (see gitignore(5)), so "
            "patterns added to it would not apply; replace it with a regular file and run again"
        )
    for name, _ in appends:
        writable_target(root / name, root)
    for name, lines in appends:
        _append(root, name, lines)
    if env_plan.untrack:
        git.untrack(root, env_plan.untrack)


def _append(root: Path, name: str, lines: tuple[str, ...]) -> None:
    current = _read(root / name)
    newline = newline_of(current)
    separator = "" if not current or current.endswith("\n") else newline
    write_atomic(root / name, current + separator + newline.join(lines) + newline, root=root)
