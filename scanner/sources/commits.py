"""Text from git: the staged changes, the lines a range of commits added, every blob in the
history."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from scanner.errors import UsageError
from scanner.findings import Commit, Fragment, Skipped
from scanner.paths import matches_any
from scanner.sources import git
from scanner.sources.content import Blob, Item, from_bytes
from scanner.sources.dotenv import EnvFile, is_env_file, plain_settings


def staged(
    repo: git.Repository,
    *,
    changes: Sequence[git.FileChange] | None = None,
    index_file: str | None,
    all_lines: bool,
    max_file_size: int,
    exclude: Sequence[str],
) -> Iterator[Item]:
    """The staged content, read from the index (never the working tree); ``changes`` are the
    staged changes when the caller has read them already."""
    if repo.work_tree is None:
        raise UsageError("--staged needs a work tree; this repository is bare")
    if changes is None:
        changes = git.staged_files(repo, index_file)
    files = [f for f in changes if not matches_any(f.path, exclude)]
    plain: dict[str, bool] = {}
    yield from _graded(_changes(repo, files, max_file_size, all_lines=all_lines), plain)
    for entry in files:
        if is_env_file(entry.path):
            yield EnvFile(entry.path, "staged", plain.get(entry.path, False))


def commit_range(
    repo: git.Repository, revisions: Sequence[str], *, max_file_size: int, exclude: Sequence[str]
) -> Iterator[Item]:
    """The lines each commit of a range added, judged in the file as that commit left it."""
    changes = [c for c in git.range_changes(repo, revisions) if not matches_any(c.path, exclude)]
    plain: dict[str, bool] = {}
    yield from _graded(_changes(repo, changes, max_file_size), plain)
    for path in sorted({c.path for c in changes if is_env_file(c.path)}):
        yield EnvFile(path, "tracked", plain.get(path, False))


def _graded(items: Iterator[Item], plain: dict[str, bool]) -> Iterator[Item]:
    """``items`` passed on; ``plain`` filled with whether every version seen of each env file
    holds plain settings only (whole files: a commit's added lines do not say what it holds).
    A version that is no text (too large, binary, missing) is not plain."""
    for item in items:
        if is_env_file(item.path) and not isinstance(item, EnvFile):
            text_plain = isinstance(item, Fragment) and plain_settings(item.text)
            plain[item.path] = plain.get(item.path, True) and text_plain
        yield item


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
        yield from_bytes(
            change.path,
            data,
            max_file_size,
            added_lines=added,
            commit=change.commit,
            blob=change.blob,
        )


def history(
    repo: git.Repository,
    refs: Sequence[str],
    *,
    max_file_size: int,
    exclude: Sequence[str],
    head_tree: Callable[[], Mapping[str, str]],
) -> Iterator[Item]:
    """Every unique blob reachable from ``refs`` (all refs when empty), read and scanned once,
    with the path and commit that first added it. A shallow or partial clone is refused first.
    ``head_tree``: HEAD's paths and blob ids, asked for only when an .env file was committed."""
    for ref in refs:
        git.check_ref(ref)
    git.check_history(repo)
    return _history(repo, refs, max_file_size=max_file_size, exclude=exclude, head_tree=head_tree)


def _history(
    repo: git.Repository,
    refs: Sequence[str],
    *,
    max_file_size: int,
    exclude: Sequence[str],
    head_tree: Callable[[], Mapping[str, str]],
) -> Iterator[Item]:
    env: list[tuple[str, str, Commit | None]] = []
    for blob, path, commit in git.introduced_blobs(repo, refs):
        if matches_any(path, exclude):
            continue
        if is_env_file(path):
            env.append((blob, path, commit))  # read here: every version grades the file
            continue
        yield Blob(path, blob, commit, max_file_size, repo)

    def env_versions() -> Iterator[Item]:
        read = git.ObjectReader(repo).read(blob for blob, _, _ in env)
        for (blob, path, commit), (_, data) in zip(env, read, strict=True):
            yield from_bytes(path, data, max_file_size, commit=commit, blob=blob)

    plain: dict[str, bool] = {}
    yield from _graded(env_versions(), plain)
    at_head = head_tree() if plain else {}
    for path in sorted(plain):
        yield EnvFile(path, "tracked" if path in at_head else "history-only", plain[path])
