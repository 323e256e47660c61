"""Every git interaction: raw git with -z output, no external diff, a clean environment."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from scanner.errors import GitError, UsageError
from scanner.findings import Commit

if TYPE_CHECKING:
    from datetime import tzinfo

T = TypeVar("T")

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
# Variables that would make git look at another repository than the one asked about.
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")

# The options of EVERY git command jwtscan runs, whatever the user's or the scanned repository's
# configuration says (README, "Safety"). A scanned repository is untrusted: nothing it
# configures may run, and what jwtscan parses must look the same for everyone.
PINNED_OPTIONS = ("--no-pager", "--no-replace-objects")
PINNED_CONFIG: tuple[tuple[str, str], ...] = (
    # Nothing the repository names runs: no fsmonitor, hooks (index writes run
    # post-index-change), pager, password prompt program, or gpg (signature display).
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.pager", "cat"),
    ("core.askPass", ""),
    ("log.showSignature", "false"),
    # A fetch (jwtscan ci) never uses a transport that runs a command from the remote's URL,
    # the repository's ssh or proxy program (_fetch_config), submodules, or maintenance.
    ("protocol.allow", "never"),
    *((f"protocol.{name}.allow", "never") for name in ("ext", "git")),  # git://: core.gitProxy
    *((f"protocol.{name}.allow", "always") for name in ("https", "http", "ssh", "file")),
    ("fetch.recurseSubmodules", "false"),
    ("submodule.recurse", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    # Output as jwtscan parses it.
    ("core.quotePath", "false"),
    ("core.bigFileThreshold", "512m"),
    ("color.ui", "false"),
    ("diff.noprefix", "false"),
    ("diff.mnemonicPrefix", "false"),
    ("diff.srcPrefix", "a/"),
    ("diff.dstPrefix", "b/"),
    ("diff.relative", "false"),
    ("diff.submodule", "short"),
    ("diff.ignoreSubmodules", "none"),
    ("diff.interHunkContext", "0"),
    ("diff.suppressBlankEmpty", "false"),
    ("log.showRoot", "true"),
    ("log.decorate", "false"),
    ("i18n.logOutputEncoding", "UTF-8"),
)
PINNED_ENVIRONMENT = {
    "GIT_NO_REPLACE_OBJECTS": "1",  # `git replace` cannot hide a blob
    "GIT_GRAFT_FILE": os.devnull,  # nor can .git/info/grafts hide a commit
    "GIT_NO_LAZY_FETCH": "1",  # a partial clone never fetches (git >= 2.44; see is_partial)
    "GIT_OPTIONAL_LOCKS": "0",  # a scan never takes or refreshes the index lock
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
}
# Flags of every diff and log jwtscan parses (they win over any configuration).
_DIFF_FLAGS = (
    "-U0",
    "--full-index",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--submodule=short",
    "--ignore-submodules=none",
)
_LOG_FLAGS = ("--no-show-signature", "--no-decorate", "--no-notes", "--encoding=UTF-8")
# A commit's header line: NULs cannot be in these fields, and no patch line starts with \x01.
_COMMIT_MARK = b"\x01commit "
_LOG_FORMAT = "--format=%x01commit %H%x00%at%x00%az%x00%ae%x00%an"  # dates: see _date


def _environment(index_file: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    if index_file is not None:
        env["GIT_INDEX_FILE"] = index_file
    env.update(PINNED_ENVIRONMENT)
    return env


def _command(args: Sequence[str], *, unpinned: Iterable[str] = ()) -> list[str]:
    """``git`` with the pinned options (less the ``unpinned`` keys) and ``args``."""
    skip = {key.lower() for key in unpinned}
    config = [f"{key}={value}" for key, value in PINNED_CONFIG if key.lower() not in skip]
    return ["git", *PINNED_OPTIONS, *(arg for pin in config for arg in ("-c", pin)), *args]


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    index_file: str | None = None,
    unpinned: Iterable[str] = (),
    ok: Iterable[int] = (0,),
    stdin: bytes | None = None,
    spool: bool = False,
) -> bytes:
    """Run ``git args`` in ``cwd`` with the pinned options and return stdout; an exit code not
    in ``ok`` is a :class:`GitError`. ``spool``: stdout goes to a file, read at once when git
    is done, for a long output while another thread works: read from a pipe as it comes, each
    read waits for the interpreter lock, which that thread may hold all the while (a tree's
    files, listed while the rules load, came 30 ms later)."""
    command = _command(args, unpinned=unpinned)
    if args and args[0] == "fetch":  # the one command that may run a program of the remote's
        at = len(command) - len(args)
        command[at:] = [*_fetch_config(cwd), "fetch", "--upload-pack=git-upload-pack", *args[1:]]
    with _spool_file() if spool else contextlib.nullcontext() as spooled:
        try:
            completed = subprocess.run(
                command,
                cwd=cwd,
                env=_environment(index_file),
                input=b"" if stdin is None else stdin,
                stdout=subprocess.PIPE if spooled is None else spooled,
                stderr=subprocess.PIPE,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        if completed.returncode not in set(ok):
            message = completed.stderr.decode(errors="replace").strip()
            raise GitError(f"git {' '.join(args[:2])} failed in {cwd}: {message}")
        if spooled is None:
            return completed.stdout
        spooled.seek(0)
        return spooled.read()


def _spool_file() -> IO[bytes]:
    import tempfile  # not on a hook's path

    return tempfile.TemporaryFile()


# Settings naming a program that a fetch runs. The repository's own values are replaced by the
# user's, or git's default. (The upload-pack program, which the file transport runs locally, is
# given on the command line; git:// and its core.gitProxy are not allowed at all.)
_FETCH_PROGRAMS = {"core.sshcommand": "ssh", "ssh.variant": "auto"}
_FETCH_PROGRAM_PATTERN = r"^(core\.sshcommand|ssh\.variant|credential\..*helper)$"


def _fetch_config(cwd: Path) -> list[str]:
    """``-c`` options that undo program settings from the repository's own configuration."""
    output = run(
        ["config", "--show-scope", "-z", "--get-regexp", _FETCH_PROGRAM_PATTERN],
        cwd,
        ok=(0, 1),
    )
    values: dict[str, list[tuple[str, str]]] = {}
    fields = _names(output)  # scope, "key\nvalue", scope, ...
    for scope, entry in zip(fields[0::2], fields[1::2], strict=False):  # a final ""
        key, _, value = entry.partition("\n")
        values.setdefault(key, []).append((scope, value))
    pins: list[str] = []
    for key, entries in values.items():
        if not any(scope in ("local", "worktree") for scope, _ in entries):
            continue
        own = [value for scope, value in entries if scope not in ("local", "worktree")]
        if key.startswith("credential."):  # a list: an empty value empties it
            pins += ["-c", f"{key}=", *(a for v in own for a in ("-c", f"{key}={v}"))]
        else:
            pins += ["-c", f"{key}={own[-1] if own else _FETCH_PROGRAMS[key]}"]
    return pins


def _succeeds(args: Sequence[str], cwd: Path) -> bool:
    try:
        run(args, cwd)
    except GitError:
        return False
    return True


def started(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` (a git command and what reads its output) run in a thread from now on, beside
    what the caller does meanwhile; the callable returned waits for its result (or raises its
    exception)."""
    done: list[T] = []
    failed: list[BaseException] = []

    def target() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # raised in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        if failed:
            raise failed[0]
        return done[0]

    return result


def toplevel(path: Path) -> Path | None:
    """The root of the work tree containing ``path``, or None outside a git work tree."""
    directory = path if path.is_dir() else path.parent
    known = _TOPLEVELS.get(directory, _UNKNOWN) if _TOPLEVELS is not None else _UNKNOWN
    if known is not _UNKNOWN:
        return known
    try:
        found: Path | None = Path(run(["rev-parse", "--show-toplevel"], directory).decode().strip())
    except GitError:
        found = None
    if _TOPLEVELS is not None:
        _TOPLEVELS[directory] = found
    return found


# While a scan runs (see remembered): each folder's toplevel and repository, once asked.
_TOPLEVELS: dict[Path, Path | None] | None = None
_REPOSITORIES: dict[Path, Repository] | None = None
_UNKNOWN = Path()


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Within, :func:`toplevel` and :func:`open_repository` ask git once per folder: a tree
    scan asked about its start five times (its repository, configuration, files twice and the
    cross-file step), and the hook twice (choosing its mode, then scanning), 3-5 ms each; no
    repository is made or removed while a scan runs. Nested: the outermost one's answers."""
    global _TOPLEVELS, _REPOSITORIES
    if _TOPLEVELS is not None:
        yield
        return
    _TOPLEVELS, _REPOSITORIES = {}, {}
    try:
        yield
    finally:
        _TOPLEVELS = _REPOSITORIES = None


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository as git sees it: its work tree (None when bare) and its git directory."""

    work_tree: Path | None
    git_dir: Path

    def __reduce__(self) -> tuple[type[Repository], tuple[Path | None, Path]]:
        return Repository, (self.work_tree, self.git_dir)  # as Blob's, per batch

    @property
    def cwd(self) -> Path:
        return self.work_tree or self.git_dir


def open_repository(path: Path) -> Repository:
    """The repository containing ``path`` (bare or not), or a clear :class:`GitError`."""
    directory = path if path.is_dir() else path.parent
    if _TOPLEVELS is None or _REPOSITORIES is None:
        return _opened(directory, path)
    repository = _REPOSITORIES.get(directory)
    if repository is None:
        repository = _REPOSITORIES[directory] = _opened(directory, path)
        _TOPLEVELS.setdefault(directory, repository.work_tree)
    return repository


def _opened(directory: Path, path: Path) -> Repository:
    # One git process in a work tree (the hook's every run); --show-toplevel fails in a bare
    # repository or a .git folder, which then take the two questions apart.
    try:
        output = run(
            ["rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel"],
            directory,
        )
    except GitError:
        pass
    else:
        bare, git_dir, top = output.decode().split("\n")[:3]
        if bare == "false" and top:
            return Repository(Path(top), Path(git_dir))
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
        spool=True,  # while the rules load
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
            run(
                [
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    "--end-of-options",
                    f"{check_ref(rev)}^{{commit}}",
                ],
                repo.cwd,
            )
            .decode()
            .strip()
        )
    except GitError:
        return None


def check_ref(ref: str) -> str:
    """``ref`` when it can only be read as a revision: never as an option to git."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise UsageError(f"{ref!r} is not a revision (a ref or commit id; it may not start with -)")
    return ref


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file that a diff adds or changes, as the change leaves it, and the lines it adds:
    None when git shows no text diff (a file git takes as binary: judge all of it)."""

    path: str
    blob: str
    mode: str
    added_lines: frozenset[int] | None
    commit: Commit | None = None

    @property
    def submodule(self) -> bool:
        return self.mode == "160000"  # a gitlink: a commit of another repository


def staged_files(repo: Repository, index_file: str | None) -> list[FileChange]:
    """Files added, modified, copied or renamed in the index against HEAD, with their added
    lines; one entry per path, even when two paths hold the same blob."""
    assert repo.work_tree is not None
    # No commit named: git compares the index with HEAD, or with the empty tree on an unborn
    # branch (the first commit), without a process to ask which.
    patch = run(
        ["diff", "--cached", "-M", *_DIFF_FLAGS, "--"],
        repo.work_tree,
        index_file=index_file,
    )
    return sorted((c for c in _file_changes(patch)), key=lambda c: c.path)


def range_changes(repo: Repository, revisions: Sequence[str]) -> list[FileChange]:
    """Every file change in the commits selected by ``revisions`` (``git log`` syntax), oldest
    commit first.

    Merge commits contribute the lines that differ from every parent (an "evil merge");
    lines they bring from the merged branch belong to that branch's own commits.
    """
    output = run(
        [
            "log",
            _LOG_FORMAT,
            *_LOG_FLAGS,
            "-p",
            "--cc",
            "-M",
            *_DIFF_FLAGS,
            "--reverse",
            *check_revisions(revisions),
            "--",
        ],
        repo.cwd,
    )
    return list(_file_changes(output))


def _file_changes(output: bytes) -> Iterator[FileChange]:
    """The changes of a ``-U0`` patch or ``git log -p`` output, each with its commit.

    Lines are read by their place alone: every line of file content in a patch starts with
    ' ', '+' or '-', so no content (a line saying "\x01commit", a name with a newline, which
    git quotes) can pass for a commit or a file header.
    """
    commit: Commit | None = None
    section: list[bytes] = []
    for line in output.split(b"\n"):
        if line.startswith(_COMMIT_MARK):
            if section:
                yield from _file_change(section, commit)
            section = []
            commit = _commit(line[len(_COMMIT_MARK) :])
        elif line.startswith(_SECTION_STARTS):
            if section:
                yield from _file_change(section, commit)
            section = [line]
        elif section:
            section.append(line)
    if section:
        yield from _file_change(section, commit)


_SECTION_STARTS = (b"diff --git ", b"diff --cc ", b"diff --combined ")
_HUNK = re.compile(rb"^@@@* (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@")


def _file_change(section: Sequence[bytes], commit: Commit | None) -> Iterator[FileChange]:
    """The change one file's patch section describes; nothing for a deletion, or a rename or
    mode change that brings no new content."""
    first = section[0]
    if first.startswith(b"diff --git "):
        path = _git_header_path(first[len(b"diff --git ") :])
    else:
        path = _unquote(first.split(b" ", 2)[2])
    blob = mode = None
    binary = deleted = False
    added: set[int] = set()
    parents = current = 0
    for line in section[1:]:
        if parents:  # in the hunks
            if line.startswith(b"@@"):
                match = _HUNK.match(line)
                if match is None:
                    raise GitError(f"unexpected hunk header in git's output: {line[:80]!r}")
                current = int(match.group(1))
            elif line[:1] in (b" ", b"+", b"-"):
                prefix = line[:parents]
                if b"-" in prefix:
                    continue  # the line exists only in a parent
                if prefix == b"+" * parents:
                    added.add(current)
                current += 1
        elif line.startswith(b"@@"):
            match = _HUNK.match(line)
            if match is None:
                raise GitError(f"unexpected hunk header in git's output: {line[:80]!r}")
            parents = len(line) - len(line.lstrip(b"@")) - 1
            current = int(match.group(1))
        elif line.startswith(b"index "):
            ids = line[len(b"index ") :].split(b" ")
            blob = ids[0].rpartition(b"..")[2].decode()
            mode = ids[1].decode() if len(ids) > 1 else mode
        elif line.startswith((b"new file mode ", b"new mode ", b"mode ")):
            mode = line.rpartition(b" ")[2].rpartition(b".")[2].decode()
        elif line.startswith(b"deleted file mode "):
            deleted = True
        elif line.startswith((b"rename to ", b"copy to ")):
            path = _unquote(line.split(b" ", 2)[2])
        elif line.startswith(b"Binary files "):
            binary = True
    if deleted or blob is None or _ZERO.match(blob):
        return
    if path is None or not _OBJECT_ID.match(blob):
        raise GitError(f"cannot read git's patch header {first[:200]!r}")
    if added or binary or mode == "160000":
        yield FileChange(path, blob, mode or "100644", None if binary else frozenset(added), commit)


_ZERO = re.compile(r"^0+$")


def _git_header_path(names: bytes) -> str | None:
    """The new path of a ``diff --git a/P b/P`` header; None when the names differ (a rename or
    copy, named again by its ``rename to`` line)."""
    if names.startswith(b'"'):
        end = _closing_quote(names)
        old, new = names[: end + 1], names[end + 2 :]
    elif names.endswith(b'"'):
        old, _, new = names.partition(b' "')
        new = b'"' + new
    else:
        half = (len(names) - 1) // 2
        old, new = names[:half], names[half + 1 :]
    old_path, new_path = _unquote(old), _unquote(new)
    if old_path[:2] != "a/" or new_path[:2] != "b/" or old_path[2:] != new_path[2:]:
        return None
    return new_path[2:]


def _closing_quote(text: bytes) -> int:
    i = 1
    while i < len(text):
        if text[i : i + 1] == b"\\":
            i += 2
        elif text[i : i + 1] == b'"':
            return i
        else:
            i += 1
    raise GitError(f"cannot read git's patch header {text[:200]!r}")


def _unquote(name: bytes) -> str:
    """A path as git writes it in a patch header: C-quoted when it has odd characters."""
    if len(name) >= 2 and name.startswith(b'"') and name.endswith(b'"'):
        name = codecs.escape_decode(name[1:-1])[0]
    return name.decode("utf-8", "surrogateescape")


def _commit(header: bytes) -> Commit:
    fields = header.split(b"\0", 4)
    if len(fields) != 5:
        raise GitError(f"cannot read git's commit header {header[:200]!r}")
    sha, stamp, zone, email, name = (f.decode("utf-8", "replace") for f in fields)
    return Commit(sha, name, email, _date(stamp, zone))


def _date(stamp: str, zone: str) -> str:
    """The author date in ISO 8601, like git's %aI, but made here: git fails on some dates
    (a zone of -9999 near 1970). In UTC when the zone is impossible (+9999), and git's raw
    ``@seconds zone`` when no date can hold it (a year after 9999)."""
    from datetime import datetime  # not on a hook's path

    try:
        return datetime.fromtimestamp(int(stamp), _zone(zone)).isoformat()
    except (ValueError, OverflowError, OSError):
        return f"@{stamp} {zone}"


@lru_cache(maxsize=256)
def _zone(zone: str) -> tzinfo:
    """git's ``+hhmm`` as a time zone (a history has few: each is made once)."""
    from datetime import timedelta, timezone

    try:
        sign = -1 if zone.startswith("-") else 1
        return timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
    except ValueError:
        return timezone.utc


def count_commits(repo: Repository, revisions: Sequence[str]) -> int:
    output = run(["rev-list", "--count", *check_revisions(revisions), "--"], repo.cwd)
    return int(output.decode().strip() or 0)


def is_partial(repo: Repository) -> bool:
    """True in a partial clone, where git would fetch missing blobs over the network."""
    output = run(
        ["config", "-z", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$"],
        repo.cwd,
        ok=(0, 1),
    )
    for entry in output.split(b"\0"):
        key, _, value = entry.partition(b"\n")
        if key == b"extensions.partialclone" or value.lower() in (b"true", b"yes", b"on", b"1"):
            return True
    return False


def introduced_blobs(
    repo: Repository, refs: Sequence[str]
) -> Iterator[tuple[str, str, Commit | None]]:
    """(blob id, path, commit) for every blob reachable from ``refs`` (all refs when empty),
    once each, with the oldest commit that added it: one streamed ``git log --raw`` walk.

    Every blob a commit reaches enters some commit's diff against a parent (or a root commit's),
    so the walk sees them all; -z keeps odd file names (newlines, quotes) intact. A blob or tree
    that a ref (a tag) names directly comes after, with the ref's name as its path and no commit.
    """
    peeled = _peel(repo, refs or _all_refs(repo))
    tips = [name for name, _, kind in peeled if kind == "commit"]
    seen: set[str] = set()
    if tips:
        selection = ["--end-of-options", *tips] if refs else ["--all"]
        for blob, path, commit in _walk(repo, selection):
            if blob not in seen:
                seen.add(blob)
                yield blob, path, commit
    for name, oid, kind in peeled:
        if kind in ("blob", "tree"):
            for blob, path in _reached(repo, name, oid, kind):
                if blob not in seen:
                    seen.add(blob)
                    yield blob, path, None


def _walk(repo: Repository, selection: Sequence[str]) -> Iterator[tuple[str, str, Commit]]:
    """(blob, path, commit) for every file entry of a ``git log -m --raw`` walk, oldest first.

    With -z the NULs of the commit format separate tokens too: a commit is its mark's token
    and the four after it, counted, never recognised by their content.
    """
    commit: Commit | None = None
    header: list[bytes] = []  # a commit's tokens, while fewer than five
    pending: bytes | None = None  # a raw entry's metadata, waiting for its path
    args = ["log", "--reverse", "-m", "--raw", "--no-abbrev", "--no-renames", "-z", _LOG_FORMAT]
    for token in _stream(repo, [*args, *_LOG_FLAGS, "--no-color", *selection, "--"]):
        if header:
            header.append(token)
            if len(header) == 5:
                commit, header = _commit(b"\0".join(header)[len(_COMMIT_MARK) :]), []
        elif pending is not None:
            meta, pending = pending.split(), None
            if commit is not None and meta[1] in _SCANNED_MODES:
                yield meta[3].decode(), token.decode("utf-8", "surrogateescape"), commit
        elif token.startswith(_COMMIT_MARK):
            header = [token]
        elif token.startswith(b":"):
            pending = token


def _all_refs(repo: Repository) -> list[str]:
    return (
        run(["for-each-ref", "--format=%(refname)"], repo.cwd)
        .decode("utf-8", "surrogateescape")
        .splitlines()
    )


def _peel(repo: Repository, names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(name, object id, type) of what each ref or revision finally names (tags peeled)."""
    if not names:
        return []
    lines = (
        run(
            ["cat-file", "--batch-check=%(objectname) %(objecttype)"],
            repo.cwd,
            stdin="".join(f"{check_ref(name)}^{{}}\n" for name in names).encode(
                "utf-8", "surrogateescape"
            ),
        )
        .decode()
        .splitlines()
    )
    peeled = []
    for name, line in zip(names, lines, strict=True):
        oid, _, kind = line.rpartition(" ")
        if kind == "missing":
            raise GitError(f"{name} is not in this repository")
        peeled.append((name, oid, kind))
    return peeled


def _reached(repo: Repository, name: str, oid: str, kind: str) -> Iterator[tuple[str, str]]:
    """(blob, where) for a blob or the files of a tree that ref ``name`` names directly."""
    if kind == "blob":
        yield oid, name
        return
    listing = run(["ls-tree", "-r", "-z", "--full-tree", oid], repo.cwd)
    for entry in listing.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] in _SCANNED_MODES:
            yield fields[2].decode(), f"{name}:{path.decode('utf-8', 'surrogateescape')}"


# Regular and executable files; not symlinks (120000) or submodules (160000).
_SCANNED_MODES = frozenset({b"100644", b"100755", b"100664"})


def _stream(repo: Repository, args: Sequence[str]) -> Iterator[bytes]:
    """NUL-separated tokens of a git command's output, read as it comes; git is stopped when
    the reader stops early (Ctrl-C, an error), never left blocked on a full pipe."""
    import tempfile  # not on a hook's path

    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            _command(args),
            cwd=repo.cwd,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert process.stdout is not None
        try:
            yield from _tokens(process.stdout)
        finally:
            if process.poll() is None:
                process.kill()  # a no-op when git has just finished
            process.stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise GitError(f"git {args[0]} failed: {message}")


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


# git's cache of delta bases for a reader of many blobs: 96 MB by default, which made each
# `git cat-file` of a worker 220 MB (parse-server's history, 1,400 versions of a 500 KB
# lockfile). 32 MB: 125 MB there, but Django's releases history (14 commits, 16,000 blobs) took
# 8% more CPU than with 48 MB (cat-file 0.66 -> 0.56 s alone; jwtscan 1.93 -> 1.74 s, peak RSS
# 64 -> 78 MB, parse-server's 112 -> 134 MB, under every peer's); 64 MB was no faster.
_DELTA_CACHE = "core.deltaBaseCacheLimit=48m"


class ObjectReader:
    """Stream blob contents through one ``git cat-file --batch`` process.

    Requests are object ids (never names: a path may hold a newline), written by a thread so
    that git never blocks on a full pipe while we read.
    """

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    def read(self, ids: Iterable[str]) -> Generator[tuple[str, bytes | None], None, None]:
        """(id, content) in request order; content is None when the object is missing."""
        process = subprocess.Popen(
            _command(["-c", _DELTA_CACHE, "cat-file", "--batch"]),
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

        stdin = process.stdin

        def feed() -> None:
            try:
                for oid in ids:
                    if not _OBJECT_ID.match(oid):
                        raise GitError(f"not an object id: {oid!r}")
                    with lock:
                        requested.append(oid)
                        lock.notify()
                    stdin.write(oid.encode() + b"\n")
                    stdin.flush()  # git answers now, not when a buffer fills
            except BaseException as exc:
                failure.append(exc)
            finally:
                with contextlib.suppress(OSError):
                    stdin.close()  # git ends, even when ``ids`` failed
                if isinstance(ids, Generator):
                    ids.close()  # from this thread, the one running it: it stops its own git
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
                    oid = requested.popleft()
                header = stdout.readline()
                if not header:
                    raise GitError("git cat-file stopped early; the object store may be corrupt")
                parts = header.split()
                if len(parts) >= 2 and parts[-1] == b"missing":
                    yield oid, None
                    continue
                if len(parts) != 3 or parts[0].decode() != oid:
                    raise GitError(f"git cat-file answered {header[:100]!r} for {oid}")
                size = int(parts[2])
                data = stdout.read(size)
                stdout.read(1)  # the newline after the content
                yield oid, data
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


class BlobReader:
    """One ``git cat-file --batch`` process answering one request at a time: a worker process
    reads the blobs it judges itself (see :func:`read_blob`), so no process reads for all.
    Requests sent ahead (:meth:`request`) are answered in order while the caller judges the
    blob before: one round trip for a batch, not one per blob."""

    def __init__(self, repo: Repository) -> None:
        self._process = subprocess.Popen(
            _command(["-c", _DELTA_CACHE, "cat-file", "--batch"]),
            cwd=repo.cwd,
            env=_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._pending: deque[str] = deque()  # requested, not read yet, in order

    def request(self, oids: Sequence[str]) -> None:
        """Ask for ``oids`` now (a few dozen at most: the requests must fit git's input pipe
        while it waits for its answers to be read); :meth:`read` takes them in this order."""
        for oid in oids:
            if not _OBJECT_ID.match(oid):
                raise GitError(f"not an object id: {oid!r}")
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write("".join(f"{oid}\n" for oid in oids).encode())
            stdin.flush()  # git flushes its answer after each object
        except OSError:
            raise GitError("git cat-file stopped early; the object store may be corrupt") from None
        self._pending.extend(oids)

    def read(self, oid: str) -> bytes | None:
        """The content of blob ``oid``; None when the object is missing."""
        while self._pending and self._pending[0] != oid:
            self._answer(self._pending.popleft())  # asked for, not wanted after all
        if self._pending:
            self._pending.popleft()
        else:
            self.request([oid])
            self._pending.popleft()
        return self._answer(oid)

    def _answer(self, oid: str) -> bytes | None:
        stdout = self._process.stdout
        assert stdout is not None
        header = stdout.readline()
        if not header:
            raise GitError("git cat-file stopped early; the object store may be corrupt")
        parts = header.split()
        if len(parts) >= 2 and parts[-1] == b"missing":
            return None
        if len(parts) != 3 or parts[0].decode() != oid:
            raise GitError(f"git cat-file answered {header[:100]!r} for {oid}")
        size = int(parts[2])
        data = stdout.read(size)
        if len(data) != size or stdout.read(1) != b"\n":
            raise GitError(f"git cat-file stopped inside {oid}; the object store may be corrupt")
        return data

    def close(self) -> None:
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()  # git ends at the end of its input
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


# This process's readers, by git directory; a forked worker never uses its parent's (their
# pipes are the parent's), it starts its own.
_READERS: dict[Path, tuple[int, BlobReader]] = {}


def read_blob(repo: Repository, oid: str) -> bytes | None:
    """The content of blob ``oid`` read by this process's own ``git cat-file`` (started on first
    use; None when the object is missing)."""
    return _reader(repo).read(oid)


def request_blobs(repo: Repository, oids: Sequence[str]) -> None:
    """Ask this process's ``git cat-file`` for blobs that :func:`read_blob` reads next, in
    this order."""
    _reader(repo).request(oids)


def _reader(repo: Repository) -> BlobReader:
    entry = _READERS.get(repo.git_dir)
    if entry is None or entry[0] != os.getpid():
        entry = _READERS[repo.git_dir] = (os.getpid(), BlobReader(repo))
    return entry[1]


def close_blob_readers() -> None:
    """Stop this process's readers (and forget those inherited from a parent)."""
    readers = list(_READERS.values())
    _READERS.clear()
    for pid, reader in readers:
        if pid == os.getpid():
            reader.close()


def head_tree(repo: Repository) -> dict[str, str]:
    """Path to blob id for HEAD's tree (empty when there is no HEAD)."""
    if not has_head(repo):
        return {}
    output = run(["ls-tree", "-r", "-z", "--full-tree", "HEAD"], repo.cwd)
    tree: dict[str, str] = {}
    for entry in output.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            tree[path.decode("utf-8", "surrogateescape")] = fields[2].decode()
    return tree


def hook_path(repo: Repository, name: str) -> Path:
    """Where git looks for hook ``name`` (honours the repository's core.hooksPath)."""
    output = run(
        ["rev-parse", "--git-path", f"hooks/{name}"], repo.cwd, unpinned=["core.hooksPath"]
    )
    path = Path(output.decode().strip())
    return path if path.is_absolute() else repo.cwd / path


# Options that may stand among the revisions of a range (jwtscan ci: a new branch's commits).
_RANGE_OPTIONS = re.compile(
    r"^(--not|--all|--(branches|tags|remotes|glob)(=[^-].*)?|--exclude=[^-].*)$"
)


def check_revisions(revisions: Sequence[str]) -> list[str]:
    """``revisions`` when each is a revision, a two-sided range or one of a few pseudo-options;
    a :class:`UsageError` for anything git could take as another option, or an empty side
    (``..``, ``..HEAD``, ``HEAD..``: an unset CI variable), which would select no commits."""
    if not revisions:
        raise UsageError("the range is empty: pass --range BASE..HEAD")
    for revision in revisions:
        if _RANGE_OPTIONS.match(revision):
            continue
        if ".." in revision:
            sides = re.split(r"\.\.\.?", revision)
            if len(sides) != 2 or not all(sides):
                raise UsageError(
                    f"the range {revision!r} has an empty side (an unset CI variable?): "
                    "pass --range BASE..HEAD with both commits"
                )
            for side in sides:
                check_ref(side)
        check_ref(revision)
    return list(revisions)


def range_endpoints(revisions: Sequence[str]) -> list[str]:
    """The commits a range names (``A..B`` gives A and B; options like ``--not`` are skipped)."""
    return [
        end
        for revision in check_revisions(revisions)
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
            run(["merge-base", "--end-of-options", *endpoints], repo.cwd)
        except GitError:
            raise GitError(
                f"this shallow clone has no common ancestor of {endpoints[0]} and {endpoints[1]}, "
                "so it cannot tell which commits are new. Fetch more history (fetch-depth: 0)."
            ) from None
    return count_commits(repo, revisions)


def check_history(repo: Repository) -> None:
    """A :class:`GitError` when a history audit could not be complete, or would fetch."""
    if is_shallow(repo):
        raise GitError(
            "this is a shallow clone: the history before its cut is not here, so it cannot be "
            "audited. Fetch it first (git fetch --unshallow; in GitHub Actions, actions/checkout "
            "with fetch-depth: 0)."
        )
    if is_partial(repo):
        raise GitError(
            "this is a partial clone: the blobs it lacks would be fetched over the network and "
            "written into .git/objects. Audit a full clone (git clone --no-filter, or git fetch "
            "--refetch --no-filter)."
        )


def is_tracked(root: Path, path: str) -> bool:
    """True when ``path`` is in the index (tracked, or staged to be)."""
    return _succeeds(["ls-files", "--error-unmatch", "--", path], root)


def is_ignored(root: Path, path: str) -> bool:
    """git's own verdict: would ``path`` be ignored if it were untracked?"""
    output = run(["check-ignore", "--no-index", "--", path], root, ok=(0, 1))
    return bool(output)


def untrack(root: Path, paths: Sequence[str]) -> None:
    """Remove ``paths`` from the index, keeping the files, with every filter driver off: writing
    the index re-reads "racily clean" files, through the repository's clean filter."""
    stdin = "\0".join(paths).encode("utf-8", "surrogateescape") + b"\0"
    run([*_no_filters(root), "update-index", "--force-remove", "-z", "--stdin"], root, stdin=stdin)


def _no_filters(cwd: Path) -> list[str]:
    """``-c`` options that switch off each filter driver the configuration defines."""
    output = run(
        ["config", "-z", "--name-only", "--get-regexp", r"^filter\..+\."],
        cwd,
        ok=(0, 1),
    )
    drivers = {key.rpartition(".")[0] for key in _names(output) if key}
    return [
        arg
        for driver in sorted(drivers)
        for setting in ("clean=", "smudge=", "process=", "required=false")
        for arg in ("-c", f"{driver}.{setting}")
    ]
