"""A tree scan of a folder: inside a repository git's view; outside, every file, except that a
repository found inside (``jwtscan scan ~/src``) is judged by its own git state."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.findings import Unreadable
from scanner.paths import matches_any
from scanner.sources import git, tree
from scanner.sources.content import Item


@dataclass(frozen=True, slots=True)
class Folder:
    target: tree.Target  # the plain files (or the repository's, inside one)
    nested: tuple[str, ...] = ()  # repositories inside a plain folder, relative to its root
    unreadable: tuple[str, ...] = ()  # folders that could not be listed


def plan(paths: Sequence[Path], exclude: Sequence[str]) -> Folder:
    """What a tree scan of ``paths`` (the current folder when empty) covers."""
    start = (paths[0] if paths else Path.cwd()).resolve()
    root = git.toplevel(start) if start.exists() else None
    if root is None and not start.exists():
        return Folder(tree.resolve_target(paths, exclude))  # says which PATH is missing
    if root is not None:
        named = {_relative(str(p.resolve()), root) for p in paths} or {"."}
        # Both list the untracked files (a walk of the tree, 15-30 ms for 6,000 files): side
        # by side.
        top = root
        unlistable = git.started(lambda: _unlistable(top, named))
        target = (
            _within(root, paths, exclude) if len(paths) > 1 else tree.resolve_target(paths, exclude)
        )
        # A PATH git ignores is walked as plain files: its unlistable folders count too.
        ignored = (e for walked in target.walked for e in _walk_errors(root / walked, root))
        return Folder(target, unreadable=tuple(sorted({*unlistable(), *ignored})))
    bases = [p.resolve() for p in paths] or [start]
    root = Path(os.path.commonpath([b if b.is_dir() else b.parent for b in bases]))
    nested: list[str] = []
    unreadable: list[str] = []
    files: set[str] = set()
    for base in bases:
        if not base.is_dir() or base.is_symlink():
            files.add(base.relative_to(root).as_posix())
            continue
        for directory, subdirs, names in os.walk(
            base, onerror=lambda e: unreadable.append(_relative(e.filename, root))
        ):
            here = Path(directory)
            repositories = [d for d in subdirs if os.path.lexists(here / d / ".git")]
            nested.extend((here / d).relative_to(root).as_posix() for d in repositories)
            subdirs[:] = sorted(d for d in subdirs if d != ".git" and d not in repositories)
            files.update((here / name).relative_to(root).as_posix() for name in names)
    kept = tuple(sorted(f for f in files if not matches_any(f, exclude)))
    return Folder(tree.Target(root, kept), tuple(sorted(nested)), tuple(sorted(unreadable)))


def _within(root: Path, paths: Sequence[Path], exclude: Sequence[str]) -> tree.Target:
    """Many PATHs in one repository (``pre-commit run --all-files`` passes every file): one git
    listing of the repository, kept to the files at or under a PATH; a PATH git does not list
    (ignored) is read as the user named it."""
    whole = tree.resolve_target([], exclude)
    named = {_relative(str(p.resolve()), root) for p in paths}
    if "." in named:
        return whole
    kept = {f for f in whole.files if any(part in named for part in _prefixes(f))}
    covered = {part for f in kept for part in _prefixes(f)}
    rest = [root / name for name in sorted(named - covered)]
    if not rest:
        return dataclasses.replace(whole, files=tuple(sorted(kept)))
    other = tree.resolve_target(rest, exclude)
    return dataclasses.replace(
        other,
        files=tuple(sorted(kept | set(other.files))),
        tracked=whole.tracked,
        untracked=whole.untracked | other.untracked,
    )


def _unlistable(root: Path, named: set[str]) -> tuple[str, ...]:
    """Untracked folders under the ``named`` paths that cannot be listed: git only warns about
    them and lists none of their files, which would then pass unjudged."""
    output = git.run(["ls-files", "-z", "--others", "--directory", "--exclude-standard"], root)
    found: list[str] = []
    for name in output.decode("utf-8", "surrogateescape").split("\0"):
        wanted = "." in named or any(part in named for part in _prefixes(name.rstrip("/")))
        if name.endswith("/") and wanted:
            found.extend(_walk_errors(root / name, root))
    return tuple(sorted(found))


def _walk_errors(top: Path, root: Path) -> list[str]:
    """Folders under ``top`` that cannot be listed, relative to ``root``."""
    errors: list[str] = []
    for _ in os.walk(top, onerror=lambda e: errors.append(_relative(e.filename, root))):
        pass
    return errors


def _prefixes(path: str) -> Iterator[str]:
    """``a/b/c`` gives ``a/b/c``, ``a/b`` and ``a``."""
    while path:
        yield path
        path = path.rpartition("/")[0]


def read(folder: Folder, exclude: Sequence[str], max_file_size: int) -> Iterator[Item]:
    """The plain files, then each nested repository's files as its own git state has them
    (tracked, untracked but not ignored; its .env files judged by their git state), with
    paths from the scanned folder."""
    for name in folder.unreadable:
        yield Unreadable(name, "folder cannot be listed: its files were not judged")
    yield from tree.read_files(folder.target, max_file_size)
    for name in folder.nested:
        inner = tree.resolve_target([folder.target.root / name], ())
        kept = tuple(f for f in inner.files if not matches_any(f"{name}/{f}", exclude))
        for item in tree.read_files(dataclasses.replace(inner, files=kept), max_file_size):
            yield dataclasses.replace(item, path=f"{name}/{item.path}")


def _relative(filename: str | None, root: Path) -> str:
    if filename is None:
        return "."
    return Path(filename).relative_to(root).as_posix() or "."
