"""CI: the commits a run is about, from the CI's own variables, and the history they need."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner import git
from scanner.errors import GitError, UsageError

_ZERO = "0" * 40


def auto_range(environ: Mapping[str, str]) -> list[str]:
    """``git log`` revision arguments for this CI event, or a :class:`UsageError` saying why not."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return _github(environ)
    if environ.get("GITLAB_CI") == "true":
        return _gitlab(environ)
    raise UsageError(
        "--range auto: not running in GitHub Actions or GitLab CI "
        "(GITHUB_ACTIONS / GITLAB_CI unset); pass --range BASE..HEAD"
    )


def _github(environ: Mapping[str, str]) -> list[str]:
    event_name = environ.get("GITHUB_EVENT_NAME", "")
    event_path = environ.get("GITHUB_EVENT_PATH", "")
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"--range auto: cannot read the GitHub event {event_path!r}: {exc}"
        ) from None
    if event_name in ("pull_request", "pull_request_target"):
        pull = event.get("pull_request") or {}
        base, head = pull.get("base", {}).get("sha"), pull.get("head", {}).get("sha")
        if base and head:
            return [f"{base}..{head}"]
    elif event_name == "push":
        before, after = event.get("before"), event.get("after")
        if after and before and before != _ZERO:
            return [f"{before}..{after}"]
        if after:
            # The first push of a branch: its commits that no other branch already has.
            branch = environ.get("GITHUB_REF_NAME", "")
            return [after, "--not", f"--exclude=refs/remotes/origin/{branch}", "--remotes"]
    raise UsageError(
        f"--range auto: cannot derive a range from the GitHub {event_name or 'unknown'} event; "
        "pass --range BASE..HEAD"
    )


def _gitlab(environ: Mapping[str, str]) -> list[str]:
    head = environ.get("CI_COMMIT_SHA")
    base = environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA") or environ.get("CI_COMMIT_BEFORE_SHA")
    if head and base and base != _ZERO:
        return [f"{base}..{head}"]
    if head and environ.get("CI_COMMIT_BRANCH"):
        branch = environ["CI_COMMIT_BRANCH"]
        return [head, "--not", f"--exclude=refs/remotes/origin/{branch}", "--remotes"]
    raise UsageError(
        "--range auto: CI_COMMIT_SHA with CI_MERGE_REQUEST_DIFF_BASE_SHA or CI_COMMIT_BEFORE_SHA "
        "is needed; pass --range BASE..HEAD"
    )


def ensure_history(
    repo: git.Repository, revisions: Sequence[str], remote: str = "origin"
) -> list[str]:
    """Fetch what the range needs from ``remote``: missing endpoint commits, then enough history
    for a merge base in a shallow clone. Returns what was done; a failure raises GitError."""
    done: list[str] = []
    ends = git.range_endpoints(revisions)
    for end in ends:
        if git.resolve_commit(repo, end) is None:
            git.run(["fetch", "--no-tags", "--quiet", remote, end], repo.cwd)
            done.append(f"fetched {end[:12]} from {remote}")
    if git.is_shallow(repo) and len(ends) == 2:
        for depth in (50, 500, 5000):
            if _has_merge_base(repo, ends):
                break
            git.run(["fetch", "--no-tags", "--quiet", f"--deepen={depth}", remote], repo.cwd)
            done.append(f"deepened the shallow clone by {depth} commits")
        if not _has_merge_base(repo, ends):
            git.run(["fetch", "--no-tags", "--quiet", "--unshallow", remote], repo.cwd)
            done.append("fetched the full history (--unshallow)")
    return done


def _has_merge_base(repo: git.Repository, ends: Sequence[str]) -> bool:
    try:
        git.run(["merge-base", *ends], repo.cwd)
    except GitError:
        return False
    return True
