"""CI: the commits a run is about, from the CI's own variables, and the history they need."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from scanner.errors import GitError, UsageError
from scanner.sources import git

_ZERO = "0" * 40


def auto_range(environ: Mapping[str, str], remote: str = "origin") -> list[str]:
    """``git log`` revision arguments for this CI event, or a :class:`UsageError` saying why not.

    ``remote`` is the remote whose branches hold what is already known (a new branch's commits
    are those on no other branch of it)."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return _github(environ, remote)
    if environ.get("GITLAB_CI") == "true":
        return _gitlab(environ, remote)
    raise UsageError(
        "--range auto: not running in GitHub Actions or GitLab CI "
        "(GITHUB_ACTIONS / GITLAB_CI unset); pass --range BASE..HEAD"
    )


def new_branch(head: str, branch: str, remote: str) -> list[str]:
    """The commits of a branch's first push: those reachable from ``head`` and from no other
    branch of ``remote``. git matches ``--exclude`` before ``--remotes`` against names without
    ``refs/remotes/``, so the branch's own ref is ``REMOTE/BRANCH``; ``REMOTE/HEAD`` may point at
    the branch itself (the first push of a repository) and is left out too."""
    if not branch:
        raise UsageError(
            "--range auto: a new branch was pushed but its name is unknown; pass --range BASE..HEAD"
        )
    excluded = (f"--exclude={remote}/{branch}", f"--exclude={remote}/HEAD")
    return [head, "--not", *excluded, f"--remotes={remote}"]


def _github(environ: Mapping[str, str], remote: str) -> list[str]:
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
        if after == _ZERO:
            raise UsageError(
                "--range auto: a branch was deleted: there is nothing to scan; run jwtscan on "
                "pushes that add commits (GitHub: if: github.event.deleted == false)"
            )
        if after and before and before != _ZERO:
            return [f"{before}..{after}"]
        if after and environ.get("GITHUB_REF", "").startswith("refs/tags/"):
            raise UsageError(
                "--range auto: a new tag was pushed: its commits were judged when their branch "
                "was pushed; run jwtscan on branch pushes and pull requests "
                "(on: push: branches: ['**'])"
            )
        if after:
            return new_branch(after, environ.get("GITHUB_REF_NAME", ""), remote)
    raise UsageError(
        f"--range auto: cannot derive a range from the GitHub {event_name or 'unknown'} event; "
        "pass --range BASE..HEAD"
    )


def _gitlab(environ: Mapping[str, str], remote: str) -> list[str]:
    head = environ.get("CI_COMMIT_SHA")
    base = environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA") or environ.get("CI_COMMIT_BEFORE_SHA")
    if head and base and base != _ZERO:
        return [f"{base}..{head}"]
    if head and environ.get("CI_COMMIT_BRANCH"):
        return new_branch(head, environ["CI_COMMIT_BRANCH"], remote)
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
    if git.is_shallow(repo) and "--not" in revisions:
        # A new branch's commits are those on no other branch: that needs the other branches
        # and their history, which a shallow single-branch checkout lacks.
        branches = f"+refs/heads/*:refs/remotes/{remote}/*"
        git.run(["fetch", "--no-tags", "--quiet", "--unshallow", remote, branches], repo.cwd)
        done.append(f"fetched every branch of {remote} with its full history (a new branch)")
    elif git.is_shallow(repo) and len(ends) == 2:
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


def base_and_head(repo: git.Repository, revisions: Sequence[str]) -> tuple[str | None, str]:
    """The commit a range is judged against (its settings and baseline) and the commit it
    leaves: ``A..B`` gives A and B, ``A...B`` their merge base and B; other selections (a new
    branch's commits) their one boundary commit, or None when they reach a root commit or
    fork from several (then the defaults apply: the strictest settings)."""
    if len(revisions) == 1 and ".." in revisions[0]:
        symmetric = "..." in revisions[0]
        left, right = revisions[0].split("..." if symmetric else "..", 1)
        left, right = left or "HEAD", right or "HEAD"
        if symmetric:
            return git.run(["merge-base", left, right], repo.cwd).decode().strip(), right
        return left, right
    head = next(r for r in revisions if not r.startswith("-"))
    listing = git.run(["rev-list", "--boundary", *revisions, "--"], repo.cwd).decode()
    boundary = {line[1:] for line in listing.split() if line.startswith("-")}
    return (boundary.pop() if len(boundary) == 1 else None), head


def changed_paths(repo: git.Repository, revisions: Sequence[str]) -> set[str]:
    """Paths to which a commit of the range adds content (lines, or a binary change): each
    must be judged, skipped with a reason, or excluded; anything else is a lost file."""
    output = git.run(
        ["log", "--format=", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv",
         *revisions, "--"],
        repo.cwd,
    )  # fmt: skip
    paths: set[str] = set()
    fields = iter(output.split(b"\0"))
    for field in fields:
        added, _, rest = field.lstrip(b"\n").partition(b"\t")
        _, _, path = rest.partition(b"\t")
        if not path:  # a rename: the old and new names follow as their own fields
            next(fields, None)
            path = next(fields, b"")
        if added and added != b"0":
            paths.add(path.decode("utf-8", "surrogateescape"))
    return paths
