"""Every git interaction: raw git with -z output, no external diff, a clean environment."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import subprocess
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scanner.errors import GitError
from scanner.findings import Commit

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_ZERO = re.compile(r"^0+$")
# Variables that would make git look at another repository than the one asked about.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")
_HUNK = re.compile(rb"^@@@* (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")
_COMMIT_MARK = b"\x01commit "
_LOG_FORMAT = "--format=%x01commit %H%x02%an%x02%ae%x02%aI"


def _environment(index_file: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    if index_file is not None:
        env["GIT_INDEX_FILE"] = index_file
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a scan must never take or refresh the index lock
    env["LC_ALL"] = "C"
    return env


def run(args: Sequence[str], cwd: Path, *, index_file: str | None = None) -> bytes:
    """Run ``git args`` in ``cwd`` and return stdout; a failure is a :class:`GitError`."""
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            env=_environment(index_file),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args[:2])} failed in {cwd}: {message}")
    return completed.stdout


def _succeeds(args: Sequence[str], cwd: Path) -> bool:
    try:
        run(args, cwd)
    except GitError:
        return False
    return True


def toplevel(path: Path) -> Path | None:
    """The root of the work tree containing ``path``, or None outside a git work tree."""
    directory = path if path.is_dir() else path.parent
    try:
        output = run(["rev-parse", "--show-toplevel"], directory)
    except GitError:
        return None
    return Path(output.decode().strip())


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository as git sees it: its work tree (None when bare) and its git directory."""

    work_tree: Path | None
    git_dir: Path

    @property
    def cwd(self) -> Path:
        return self.work_tree or self.git_dir


def open_repository(path: Path) -> Repository:
    """The repository containing ``path`` (bare or not), or a clear :class:`GitError`."""
    directory = path if path.is_dir() else path.parent
    try:
        output = run(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], directory)
    except GitError:
        raise GitError(f"{path} is not inside a git repository") from None
    bare, git_dir = output.decode().split("\n")[:2]
    if bare == "true":
        return Repository(None, Path(git_dir))
    return Repository(toplevel(directory), Path(git_dir))


def worktree_files(root: Path, pathspecs: Sequence[str]) -> tuple[list[str], set[str]]:
    """Tracked files plus untracked files that are not ignored, relative to ``root``; and which
    of them are untracked (git's own ignore rules decide, never a re-implementation)."""
    output = run(
        ["ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard", "--", *pathspecs],
        cwd=root,
    )
    files: set[str] = set()
    untracked: set[str] = set()
    for entry in _names(output):
        if len(entry) > 2:
            tag, name = entry[0], entry[2:]
            files.add(name)
            if tag == "?":
                untracked.add(name)
    return sorted(files), untracked


def _names(output: bytes) -> list[str]:
    return output.decode("utf-8", "surrogateescape").split("\0")


def has_head(repo: Repository) -> bool:
    return _succeeds(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repo.cwd)


def is_shallow(repo: Repository) -> bool:
    return run(["rev-parse", "--is-shallow-repository"], repo.cwd).strip() == b"true"


def resolve_commit(repo: Repository, rev: str) -> str | None:
    """The full id of commit ``rev``, or None when it is not in this repository."""
    try:
        return (
            run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo.cwd)
            .decode()
            .strip()
        )
    except GitError:
        return None


@dataclass(frozen=True, slots=True)
class StagedFile:
    path: str
    blob: str
    added_lines: frozenset[int]
    status: str  # A, M, R, C or T, as git diff-index says


def staged_files(repo: Repository, index_file: str | None) -> list[StagedFile]:
    """Files added, modified or renamed in the index against HEAD, with their added lines."""
    assert repo.work_tree is not None
    base = "HEAD" if has_head(repo) else EMPTY_TREE
    raw = run(
        ["diff-index", "--cached", "-z", "-M", "--no-ext-diff", base],
        repo.work_tree,
        index_file=index_file,
    )
    blobs: dict[str, tuple[str, str]] = {}
    fields = _names(raw)
    i = 0
    while i < len(fields) - 1:
        meta = fields[i].split()
        status = meta[4][:1] if len(meta) > 4 else ""
        if status in ("R", "C"):
            path, i = fields[i + 2], i + 3
        else:
            path, i = fields[i + 1], i + 2
        if status in ("A", "M", "R", "C", "T") and meta[1] != "160000":  # not a submodule
            blobs[path] = (meta[3], status)
    if not blobs:
        return []
    patch = run(
        ["diff", "--cached", "-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv", base],
        repo.work_tree,
        index_file=index_file,
    )
    added = dict(_added_lines(patch.split(b"\n")))
    return [
        StagedFile(p, blob, frozenset(added.get(p, ())), status)
        for p, (blob, status) in sorted(blobs.items())
    ]


def _unquote(name: bytes) -> str:
    """A path from a patch header: git C-quotes odd names and adds a tab after names with spaces."""
    if name.endswith(b"\t"):
        name = name[:-1]
    if name.startswith(b'"') and name.endswith(b'"'):
        name = codecs.escape_decode(name[1:-1])[0]
    return name.decode("utf-8", "surrogateescape")


def _added_lines(lines: Iterable[bytes]) -> Iterator[tuple[str, set[int]]]:
    """(path, added line numbers in the new file) for each file of a -U0 patch.

    In a combined diff (merges) a line is added only when it is new against every parent.
    """
    path: str | None = None
    numbers: set[int] = set()
    in_header = False
    parents = 1
    current = 0
    for line in lines:
        if line.startswith((b"diff --git ", b"diff --cc ", b"diff --combined ")):
            if path is not None:
                yield path, numbers
            path, numbers, in_header = None, set(), True
        elif in_header and line.startswith(b"+++ "):
            target = _unquote(line[4:])
            path = None if target == "/dev/null" else target[2:] if target[:2] == "b/" else target
        elif line.startswith(b"@@"):
            match = _HUNK.match(line)
            if match:
                in_header = False
                parents = len(line) - len(line.lstrip(b"@")) - 1
                current = int(match.group(1))
        elif not in_header and path is not None and line and not line.startswith(b"\\"):
            prefix = line[:parents]
            if b"-" in prefix:
                continue  # the line exists only in a parent
            if prefix == b"+" * parents:
                numbers.add(current)
            current += 1
    if path is not None:
        yield path, numbers


@dataclass(frozen=True, slots=True)
class CommitChange:
    """A file a commit added or changed, with the lines it added."""

    commit: Commit
    path: str
    added_lines: frozenset[int]


def range_changes(repo: Repository, revisions: Sequence[str]) -> list[CommitChange]:
    """Every file change in the commits selected by ``revisions`` (``git log`` syntax).

    Merge commits contribute the lines that differ from every parent (an "evil merge");
    lines they bring from the merged branch belong to that branch's own commits.
    """
    output = run(
        [
            "log",
            _LOG_FORMAT,
            "-p",
            "-U0",
            "--cc",
            "-M",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--reverse",
            *revisions,
            "--",
        ],
        repo.cwd,
    )
    changes: list[CommitChange] = []
    for chunk in output.split(_COMMIT_MARK)[1:]:
        header, _, patch = chunk.partition(b"\n")
        sha, author, email, date = header.decode("utf-8", "replace").split("\x02")
        commit = Commit(sha, author, email, date)
        for path, numbers in _added_lines(patch.split(b"\n")):
            if numbers:
                changes.append(CommitChange(commit, path, frozenset(numbers)))
    return changes


def count_commits(repo: Repository, revisions: Sequence[str]) -> int:
    return int(run(["rev-list", "--count", *revisions, "--"], repo.cwd).decode().strip() or 0)


def introduced_blobs(repo: Repository, refs: Sequence[str]) -> Iterator[tuple[str, str, Commit]]:
    """(blob id, path, commit) for every blob reachable from ``refs`` (all refs when empty),
    once each, with the oldest commit that added it: one streamed ``git log --raw`` walk.

    Every reachable blob enters some commit's diff against a parent (or a root commit's), so
    the walk sees them all; -z keeps odd file names (newlines, quotes) intact.
    """
    selection = list(refs) or ["--all"]
    seen: set[bytes] = set()
    process = subprocess.Popen(
        [
            "git",
            "log",
            "--reverse",
            "-m",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "-z",
            _LOG_FORMAT,
            *selection,
            "--",
        ],
        cwd=repo.cwd,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    commit: Commit | None = None
    pending: bytes | None = None  # a raw entry's metadata, waiting for its path
    try:
        for token in _tokens(process.stdout):
            if pending is not None:
                meta, pending = pending.split(), None
                blob = meta[3]
                if commit is not None and meta[1] in _SCANNED_MODES and blob not in seen:
                    seen.add(blob)
                    yield blob.decode(), token.decode("utf-8", "surrogateescape"), commit
            elif token.startswith(_COMMIT_MARK):
                sha, author, email, date = (
                    token[len(_COMMIT_MARK) :].decode("utf-8", "replace").split("\x02")
                )
                commit = Commit(sha, author, email, date)
            elif token.startswith(b":"):
                pending = token
    finally:
        stderr = process.stderr.read() if process.stderr else b""
        process.stdout.close()
        if process.stderr:
            process.stderr.close()
        code = process.wait()
    if code != 0:
        raise GitError(f"git log failed: {stderr.decode(errors='replace').strip()}")


# Regular and executable files; not symlinks (120000) or submodules (160000).
_SCANNED_MODES = frozenset({b"100644", b"100755", b"100664"})


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens of a stream, without the newline git puts after each header."""
    rest = b""
    while chunk := stream.read(1 << 16):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        for part in parts:
            yield part.lstrip(b"\n")
    if rest.strip():
        yield rest.lstrip(b"\n")


class ObjectReader:
    """Stream blob contents through one ``git cat-file --batch`` process.

    Requests are written by a thread so that git never blocks on a full pipe while we read.
    """

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    def read(self, names: Iterable[str]) -> Generator[tuple[str, bytes | None], None, None]:
        """(name, content) in request order; content is None when the object is missing."""
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=self._repo.cwd,
            env=_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None
        assert process.stdout is not None
        requested: deque[str] = deque()
        lock = threading.Condition()
        done = threading.Event()
        failure: list[BaseException] = []

        def feed() -> None:
            try:
                assert process.stdin is not None
                for name in names:
                    with lock:
                        requested.append(name)
                        lock.notify()
                    process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
                process.stdin.close()
            except BaseException as exc:
                failure.append(exc)
            finally:
                done.set()
                with lock:
                    lock.notify()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        stdout = process.stdout
        try:
            while True:
                with lock:
                    while not requested and not done.is_set():
                        lock.wait()
                    if not requested:
                        break
                    name = requested.popleft()
                header = stdout.readline()
                if not header:
                    raise GitError("git cat-file stopped early; the object store may be corrupt")
                parts = header.split()
                if len(parts) >= 2 and parts[-1] == b"missing":
                    yield name, None
                    continue
                size = int(parts[2])
                data = stdout.read(size)
                stdout.read(1)  # the newline after the content
                yield name, data
        finally:
            # Stopped early (an error, Ctrl-C, a consumer that had enough): kill git first, so
            # that a writer blocked on a full pipe fails instead of holding the pipe forever.
            if process.poll() is None:
                process.kill()
            writer.join(timeout=5)
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
            process.wait()
        if failure:
            raise failure[0]


def head_tree(repo: Repository) -> dict[str, str]:
    """Path to blob id for HEAD's tree (empty when there is no HEAD)."""
    if not has_head(repo):
        return {}
    output = run(["ls-tree", "-r", "-z", "HEAD"], repo.cwd)
    tree: dict[str, str] = {}
    for entry in output.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            tree[path.decode("utf-8", "surrogateescape")] = fields[2].decode()
    return tree


def hook_path(repo: Repository, name: str) -> Path:
    """Where git looks for hook ``name`` (honours core.hooksPath)."""
    path = Path(run(["rev-parse", "--git-path", f"hooks/{name}"], repo.cwd).decode().strip())
    return path if path.is_absolute() else repo.cwd / path


def range_endpoints(revisions: Sequence[str]) -> list[str]:
    """The commits a range names (``A..B`` gives A and B; options like ``--not`` are skipped)."""
    return [
        end
        for revision in revisions
        if not revision.startswith("-")
        for end in re.split(r"\.\.\.?", revision)
        if end
    ]


def check_range(repo: Repository, revisions: Sequence[str]) -> int:
    """Commits in the range; a missing base or a shallow cut is a :class:`GitError` with the fix."""
    shallow = is_shallow(repo)
    endpoints = range_endpoints(revisions)
    for end in endpoints:
        if resolve_commit(repo, end) is None:
            if shallow:
                raise GitError(
                    f"{end} is not in this shallow clone, so the range cannot be scanned. "
                    "Fetch the full history (actions/checkout with fetch-depth: 0, or "
                    "git fetch --unshallow) or at least the base (git fetch origin BASE)."
                )
            raise GitError(f"{end} is not a commit in this repository; fetch it (git fetch origin)")
    if shallow and len(endpoints) == 2:
        try:
            run(["merge-base", *endpoints], repo.cwd)
        except GitError:
            raise GitError(
                f"this shallow clone has no common ancestor of {endpoints[0]} and {endpoints[1]}, "
                "so it cannot tell which commits are new. Fetch more history (fetch-depth: 0)."
            ) from None
    return count_commits(repo, revisions)


def is_tracked(root: Path, path: str) -> bool:
    """True when ``path`` is in the index (tracked, or staged to be)."""
    return _succeeds(["ls-files", "--error-unmatch", "--", path], root)


def is_ignored(root: Path, path: str) -> bool:
    """git's own verdict: would ``path`` be ignored if it were untracked?"""
    try:
        completed = subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", "--", path],
            cwd=root,
            env=_environment(),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if completed.returncode not in (0, 1):
        raise GitError(f"git check-ignore failed: {completed.stderr.decode(errors='replace')}")
    return completed.returncode == 0
