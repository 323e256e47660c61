"""Where text comes from: files of the working tree (tracked and not ignored) or a folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import UsageError
from scanner.files import read_sized
from scanner.findings import Fragment, Skipped, Unreadable
from scanner.paths import matches_any
from scanner.sources import git
from scanner.sources.content import File, Item, from_bytes
from scanner.sources.dotenv import EnvFile, is_env_file, plain_settings


@dataclass(frozen=True, slots=True)
class Target:
    """What a working-tree scan covers: a root (paths are relative to it) and file names."""

    root: Path
    files: tuple[str, ...]
    tracked: frozenset[str] = frozenset()  # git's view, for .env governance
    untracked: frozenset[str] = frozenset()  # untracked and not ignored
    walked: tuple[str, ...] = ()  # PATHs git ignores but the user named: every file is read


def resolve_target(paths: Sequence[Path], exclude: Sequence[str]) -> Target:
    """The files to scan: git's view inside a repository, every file under the path outside.

    ``exclude`` globs drop files before they are read.
    """
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or directory")
    start = paths[0] if paths else Path.cwd()
    root = git.toplevel(start.resolve())
    if root is None:
        bases = [p.resolve() for p in paths] or [start.resolve()]
        root = Path(os.path.commonpath([b if b.is_dir() else b.parent for b in bases]))
        files = sorted({f for base in bases for f in _walk(base, root)})
        return Target(root, tuple(f for f in files if not matches_any(f, exclude)))
    from_git: set[str] = set()
    untracked: set[str] = set()
    walked: list[str] = []
    listed: set[str] = set()
    for spec in [_relative(p.resolve(), root) for p in paths] or ["."]:
        names, new = git.worktree_files(root, [] if spec == "." else [spec])
        if names or spec == ".":
            from_git.update(names)
            untracked |= new
            listed.update(names)
        else:
            # The user named a path git ignores: scan it anyway, and say so (never a vacuous 0).
            walked.append(spec)
            listed.update(_walk(root / spec, root))
    kept = tuple(sorted(f for f in listed if not matches_any(f, exclude)))
    return Target(root, kept, frozenset(from_git - untracked), frozenset(untracked), tuple(walked))


def read_files(target: Target, max_file_size: int) -> Iterator[Item]:
    """Every target file, read once by whoever judges it (:class:`File`); an environment file
    that git tracks or does not ignore is read here, its governance judged from its text."""
    for name in target.files:
        env = is_env_file(name)
        if env and name in target.untracked:
            yield read_file(target.root, name, max_file_size)
            yield EnvFile(name, "unignored")
        elif env and name in target.tracked:
            item = read_file(target.root, name, max_file_size)
            yield item
            plain = isinstance(item, Fragment) and plain_settings(item.text)
            yield EnvFile(name, "tracked", plain)
        else:
            yield File(name, target.root, name, max_file_size)


def read_file(root: Path, name: str, max_file_size: int) -> Item:
    data = read_bytes(root, name, max_file_size)
    return from_bytes(name, data, max_file_size) if isinstance(data, bytes) else data


def read_bytes(root: Path, name: str, max_file_size: int) -> bytes | Skipped | Unreadable:
    """The bytes of a regular file of at most ``max_file_size`` bytes, else why not."""
    path = os.path.join(root, name)  # not root / name: pathlib's parsing costs more than the read
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return Skipped(name, "vanished", 0)  # deleted in the working tree since it was listed
    except OSError as exc:
        return Unreadable(name, exc.strerror or str(exc))
    if stat.S_ISLNK(info.st_mode):
        return Skipped(name, "symlink", 0)
    if stat.S_ISDIR(info.st_mode):
        return Skipped(name, "submodule", 0)  # git lists a submodule as one entry
    if not stat.S_ISREG(info.st_mode):
        return Skipped(name, "not-a-file", 0)  # FIFO, socket, device: never opened
    if info.st_size > max_file_size:
        return Skipped(name, "too-large", info.st_size)
    try:
        data = read_sized(path, info.st_size, max_file_size)
    except FileNotFoundError:
        return Skipped(name, "vanished", 0)
    except OSError as exc:
        return Unreadable(name, exc.strerror or str(exc))
    return data


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        raise UsageError(f"{path} is outside the repository at {root}") from None


def _walk(path: Path, root: Path) -> Iterator[str]:
    if not path.is_dir() or path.is_symlink():
        yield path.relative_to(root).as_posix()
        return
    for directory, subdirs, names in os.walk(path, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d != ".git")
        for name in names:
            yield (Path(directory) / name).relative_to(root).as_posix()
