"""Files a commit or a range adds but jwtscan did not judge: each is named, and one that may
hold a key makes the verdict incomplete (fail closed) instead of passing in silence."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from scanner.findings import ScanResult, Skipped, Unreadable
from scanner.paths import matches_any
from scanner.sources import git
from scanner.sources.content import decode

_WHY = {
    "binary": "binary (a NUL byte in its first 8 KiB) and holds no text",
    "symlink": "a symbolic link (never followed)",
    "submodule": "a submodule (judged in its own repository)",
    "not-a-file": "not a regular file",
    "vanished": "deleted while it was read",
}


def judge_skips(
    result: ScanResult,
    repo: git.Repository,
    revisions: tuple[str, ...] | None,
    index_file: str | None,
) -> tuple[ScanResult, tuple[str, ...]]:
    """Staged changes (``revisions`` None) or a range: a file over the size limit, or binary
    only by NUL bytes put into text, has no verdict (exit 2); other skips are notes."""
    kept: list[Skipped] = []
    lost: list[Unreadable] = []
    for skip in result.stats.skipped:
        if skip.reason == "too-large":
            lost.append(
                Unreadable(
                    skip.path,
                    f"{skip.size} bytes, over max-file-size: not judged. Raise max-file-size, "
                    "or exclude the file in the configuration if it cannot hold a key",
                )
            )
        elif skip.reason == "binary" and _holds_text(
            _content(repo, skip.path, revisions, index_file) or b""
        ):
            lost.append(
                Unreadable(
                    skip.path,
                    "text with NUL bytes in it (binary to git and to jwtscan): not judged. "
                    "Remove the NUL bytes, or exclude the file in the configuration",
                )
            )
        else:
            kept.append(skip)
    return _with(result, kept, lost), _notes(kept)


def account(
    result: ScanResult,
    repo: git.Repository,
    revisions: tuple[str, ...],
    seen: set[str],
    exclude: tuple[str, ...],
) -> tuple[ScanResult, tuple[str, ...]]:
    """Every path a range adds content to was judged, skipped with a reason, or excluded. A
    submodule, or a path git diffs as binary that holds no text, is named; any other path that
    got lost (a parse gone wrong, a text file git diffs as binary) has no verdict."""
    from scanner.sources.ci import changed_paths

    lost = sorted(
        path for path in changed_paths(repo, revisions) - seen if not matches_any(path, exclude)
    )
    skipped: list[Skipped] = []
    unread: list[Unreadable] = []
    for path in lost:
        data = _content(repo, path, revisions, None)
        if data is None:
            skipped.append(Skipped(path, "submodule", 0))
        elif decode(data) is None and not _holds_text(data):
            skipped.append(Skipped(path, "binary", len(data)))
        else:
            unread.append(Unreadable(path, "changed in the range but never read: not judged"))
    return _with(result, (*result.stats.skipped, *skipped), unread), _notes(skipped)


def _with(result: ScanResult, skipped: Iterable[Skipped], lost: Iterable[Unreadable]) -> ScanResult:
    stats = dataclasses.replace(
        result.stats, skipped=tuple(skipped), unreadable=(*result.stats.unreadable, *lost)
    )
    return dataclasses.replace(result, stats=stats)


def _notes(skipped: Iterable[Skipped]) -> tuple[str, ...]:
    return tuple(f"not judged: {s.path}: {_WHY.get(s.reason, s.reason)}" for s in skipped)


def _content(
    repo: git.Repository, path: str, revisions: tuple[str, ...] | None, index_file: str | None
) -> bytes | None:
    """The staged content of ``path``, or as the last commit of the range to change it left it;
    None for a submodule (a commit, not a file)."""
    if revisions is None:
        return git.run(["cat-file", "blob", f":{path}"], repo.cwd, index_file=index_file)
    log = ["log", "-1", "--format=%H", "--diff-filter=ACMRT", *revisions, "--", path]
    last = git.run(log, repo.cwd).decode().strip()
    entry = git.run(["ls-tree", "-z", last, "--", path], repo.cwd).split(b"\t", 1)[0].split()
    if len(entry) != 3 or entry[1] != b"blob":
        return None
    return git.run(["cat-file", "blob", entry[2].decode()], repo.cwd)


def _holds_text(data: bytes) -> bool:
    """Text except for NUL bytes: what a NUL put in front of a key looks like. Images,
    archives and compiled files are not valid UTF-8 once their NULs are gone."""
    try:
        text = data.replace(b"\0", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip())
