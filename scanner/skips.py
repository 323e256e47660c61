"""Files a commit or a range adds but jwtscan did not judge: each is named, and one that may
hold a key makes the verdict incomplete (fail closed) instead of passing in silence."""

from __future__ import annotations

import dataclasses

from scanner import git
from scanner.paths import matches_any
from scanner.scan import ScanResult
from scanner.sources import Skipped, Unreadable, decode

_STUFFED = (
    "text with NUL bytes in it (binary to git and to jwtscan): not judged. "
    "Remove the NUL bytes, or exclude the file in the configuration"
)
_WHY = {
    "binary": "binary (a NUL byte in its first 8 KiB) and holds no text",
    "symlink": "a symbolic link (never followed)",
    "submodule": "a submodule",
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
    only by a NUL byte stuffed into text, has no verdict (exit 2); other skips are notes."""
    kept: list[Skipped] = []
    lost: list[Unreadable] = []
    notes: list[str] = []
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
            _content(repo, skip.path, revisions, index_file)
        ):
            lost.append(Unreadable(skip.path, _STUFFED))
        else:
            kept.append(skip)
            notes.append(f"not judged: {skip.path}: {_WHY.get(skip.reason, skip.reason)}")
    if not lost:
        return result, tuple(notes)
    stats = dataclasses.replace(
        result.stats, skipped=tuple(kept), unreadable=(*result.stats.unreadable, *lost)
    )
    return dataclasses.replace(result, stats=stats), tuple(notes)


def account(
    result: ScanResult,
    repo: git.Repository,
    revisions: tuple[str, ...],
    seen: set[str],
    exclude: tuple[str, ...],
) -> ScanResult:
    """Every path a range adds content to was judged, skipped with a reason, or excluded. A
    path git diffs as binary that holds no text is noted as such (and counted as skipped); any
    other path that got lost (a parse gone wrong, a text file git diffs as binary) makes the
    verdict incomplete."""
    from scanner.ci import changed_paths

    lost = sorted(
        path for path in changed_paths(repo, revisions) - seen if not matches_any(path, exclude)
    )
    if not lost:
        return result
    skipped: list[Skipped] = []
    unread: list[Unreadable] = []
    for path in lost:
        data = _content(repo, path, revisions, None)
        if decode(data) is None and not _holds_text(data):
            skipped.append(Skipped(path, "binary", len(data)))
        else:
            unread.append(Unreadable(path, "changed in the range but never read: not judged"))
    stats = dataclasses.replace(
        result.stats,
        skipped=(*result.stats.skipped, *skipped),
        unreadable=(*result.stats.unreadable, *unread),
    )
    return dataclasses.replace(result, stats=stats)


def _content(
    repo: git.Repository, path: str, revisions: tuple[str, ...] | None, index_file: str | None
) -> bytes:
    """The staged content of ``path``, or as the last commit of the range to change it left it."""
    if revisions is None:
        return git.run(["cat-file", "blob", f":{path}"], repo.cwd, index_file=index_file)
    log = ["log", "-1", "--format=%H", "--diff-filter=ACMRT", *revisions, "--", path]
    last = git.run(log, repo.cwd).decode().strip()
    return git.run(["cat-file", "blob", f"{last}:{path}"], repo.cwd)


def _holds_text(data: bytes) -> bool:
    """Text except for NUL bytes: what a NUL put in front of a key looks like. Images,
    archives and compiled files are not valid UTF-8 once their NULs are gone."""
    try:
        text = data.replace(b"\0", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip())
