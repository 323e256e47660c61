"""Where text comes from: files of the working tree (tracked and not ignored) or a folder."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner import git
from scanner.errors import UsageError
from scanner.findings import Commit, Fragment, Skipped, Unreadable
from scanner.paths import matches_any
from scanner.sources.dotenv import EnvFile, is_env_file

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192


Item = Fragment | Skipped | Unreadable | EnvFile


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
    """Read every target file once: a fragment, a reported skip, or an unreadable file."""
    for name in target.files:
        yield read_file(target.root, name, max_file_size)
        if is_env_file(name) and name in target.untracked:
            yield EnvFile(name, "unignored")
        elif is_env_file(name) and name in target.tracked:
            yield EnvFile(name, "tracked")


def read_file(root: Path, name: str, max_file_size: int) -> Item:
    path = root / name
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
        with open(path, "rb") as handle:
            data = handle.read(max_file_size + 1)
    except FileNotFoundError:
        return Skipped(name, "vanished", 0)
    except OSError as exc:
        return Unreadable(name, exc.strerror or str(exc))
    return _from_bytes(name, data, max_file_size)


def decode(data: bytes) -> str | None:
    """Text of ``data``; None when it is binary.

    BOM-marked UTF-8/16/32; UTF-16 without a BOM (NULs in every other byte of ASCII text); else
    UTF-8 with invalid bytes replaced. Line ends become LF (CRLF and lone CR alike) so that
    rules see one style; line numbers and columns are unchanged by it.
    """
    decoded = _decode(data)
    return None if decoded is None else _newlines(decoded[0])


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding), or None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    head = data[:_SNIFF]
    if b"\0" not in head:
        return data.decode("utf-8", errors="replace"), "utf-8"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.9 * len(odd) and 0 not in even:
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.9 * len(even) and 0 not in odd:
        return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    return None


def _text_lines(text: str, git_lines: frozenset[int]) -> frozenset[int]:
    """git's line numbers (only LF ends a line) as the decoded text's (a lone CR ends one too,
    as in editors), so that a CR inside a line git calls added cannot hide what follows it."""
    if "\r" not in text:
        return git_lines
    numbers: set[int] = set()
    first = 1
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        extra = line.count("\r")
        if number in git_lines:
            numbers.update(range(first, first + extra + 1))
        first += extra + 1
    return frozenset(numbers)


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


def _from_bytes(
    path: str,
    data: bytes | None,
    max_file_size: int,
    *,
    added_lines: frozenset[int] | None = None,
    commit: Commit | None = None,
    blob: str | None = None,
) -> Item:
    """A file's or a blob's content as a fragment, or why it is not one (None: a missing blob)."""
    if data is None:
        return Unreadable(path, "object missing from the repository (corrupt or partial clone)")
    if len(data) > max_file_size:
        return Skipped(path, "too-large", len(data))
    decoded = _decode(data)
    if decoded is None:
        return Skipped(path, "binary", len(data))
    text, encoding = decoded
    if added_lines is not None:
        # git numbers the lines of UTF-8 text only; in UTF-16/32 the whole file is judged.
        added_lines = _text_lines(text, added_lines) if encoding == "utf-8" else None
    return Fragment(path, _newlines(text), added_lines, commit, blob)


def staged(
    repo: git.Repository,
    *,
    index_file: str | None,
    all_lines: bool,
    max_file_size: int,
    exclude: Sequence[str],
) -> Iterator[Item]:
    """The staged content, read from the index (never the working tree)."""
    if repo.work_tree is None:
        raise UsageError("--staged needs a work tree; this repository is bare")
    files = [f for f in git.staged_files(repo, index_file) if not matches_any(f.path, exclude)]
    yield from _changes(repo, files, max_file_size, all_lines=all_lines)
    for entry in files:
        if is_env_file(entry.path):
            yield EnvFile(entry.path, "staged")


def commit_range(
    repo: git.Repository, revisions: Sequence[str], *, max_file_size: int, exclude: Sequence[str]
) -> Iterator[Item]:
    """The lines each commit of a range added, judged in the file as that commit left it."""
    changes = [c for c in git.range_changes(repo, revisions) if not matches_any(c.path, exclude)]
    yield from _changes(repo, changes, max_file_size)
    for path in sorted({c.path for c in changes if is_env_file(c.path)}):
        yield EnvFile(path, "tracked")


def _changes(
    repo: git.Repository,
    changes: Sequence[git.FileChange],
    max_file_size: int,
    *,
    all_lines: bool = False,
) -> Iterator[Item]:
    """Each changed file judged on its added lines (all of it when git shows no text diff:
    a binary file to git, such as ``*.json -diff`` or UTF-16, may be text to us)."""
    files = [c for c in changes if not c.submodule]
    for change in changes:
        if change.submodule:
            yield Skipped(change.path, "submodule", 0)  # another repository's commit
    for change, (_, data) in zip(
        files, git.ObjectReader(repo).read(c.blob for c in files), strict=True
    ):
        added = None if all_lines else change.added_lines
        yield _from_bytes(
            change.path,
            data,
            max_file_size,
            added_lines=added,
            commit=change.commit,
            blob=change.blob,
        )


def history(
    repo: git.Repository, refs: Sequence[str], *, max_file_size: int, exclude: Sequence[str]
) -> Iterator[Item]:
    """Every unique blob reachable from ``refs`` (all refs when empty), read and scanned once,
    with the path and commit that first added it. A shallow or partial clone is refused first."""
    for ref in refs:
        git.check_ref(ref)
    git.check_history(repo)
    return _history(repo, refs, max_file_size=max_file_size, exclude=exclude)


def _history(
    repo: git.Repository, refs: Sequence[str], *, max_file_size: int, exclude: Sequence[str]
) -> Iterator[Item]:
    origins: dict[str, tuple[str, Commit | None]] = {}

    def wanted() -> Iterator[str]:
        for blob, path, commit in git.introduced_blobs(repo, refs):
            if not matches_any(path, exclude):
                origins[blob] = (path, commit)
                yield blob

    env_paths: set[str] = set()
    for blob, data in git.ObjectReader(repo).read(wanted()):
        path, commit = origins.pop(blob)
        if is_env_file(path):
            env_paths.add(path)
        yield _from_bytes(path, data, max_file_size, commit=commit, blob=blob)
    at_head = git.head_tree(repo)
    for path in sorted(env_paths):
        yield EnvFile(path, "tracked" if path in at_head else "history-only")
