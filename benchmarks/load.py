"""Load: a generated history of 50,000 commits and over 1 GiB of blobs, audited by jwtscan,
gitleaks and Kingfisher on the same repository, with wall time and peak memory.

    python -m benchmarks.load [--commits 50000] [--blob-kib 22] [--runs 1]

The repository is built once (deterministically, with ``git fast-import``) under
benchmarks/.work/repos/load and reused. Each commit rewrites one of 2,000 source files with new
code-like text (so every blob is unique); one commit in 500 adds a fake key, one in 1,000
removes it again. The peers come from benchmarks/.work/venv (see benchmarks/perf.py, which
creates it); a peer that is missing is skipped and said so.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.fakes import fake_value

WORK = Path(__file__).parent / ".work"
REPO = WORK / "repos" / "load"
VENV_BIN = WORK / "venv" / "bin"
FILES = 2_000
_WORDS = [
    "def",
    "class",
    "return",
    "import",
    "from",
    "self",
    "value",
    "result",
    "config",
    "request",
    "response",
    "user",
    "token",
    "session",
    "cache",
    "error",
    "handler",
    "logger",
    "async",
    "await",
    "yield",
    "lambda",
    "dict",
    "list",
    "tuple",
    "none",
    "true",
    "false",
    "data",
    "item",
    "key",
    "index",
    "count",
    "total",
    "build",
    "parse",
    "render",
    "query",
    "model",
    "view",
    "field",
]


def _pool(rng: random.Random) -> list[bytes]:
    lines = []
    for _ in range(4_000):
        depth = "    " * rng.randint(0, 3)
        words = " ".join(rng.choices(_WORDS, k=rng.randint(3, 10)))
        lines.append(f"{depth}{words}  # {rng.randint(0, 10**6)}\n".encode())
    return lines


def build(commits: int, blob_kib: int) -> None:
    """Write the repository with git fast-import (one stream, no working tree churn)."""
    if REPO.exists():
        shutil.rmtree(REPO)
    REPO.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(REPO)], check=True)
    rng = random.Random(20261130)
    pool = _pool(rng)
    per_blob = blob_kib * 1024 // 40
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=REPO, stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    out = importer.stdin
    secret_paths: list[str] = []
    for number in range(1, commits + 1):
        path = f"src/pkg{number % 40}/module{number % FILES}.py"
        body = b"".join(rng.choices(pool, k=per_blob))
        header = f"# generated revision {number}\n".encode()
        if number % 500 == 0:
            key = fake_value("alnum", 48, f"load-{number}")
            header += f'JWT_SECRET = "{key}"\n'.encode()
            secret_paths.append(path)
        content = header + body
        when = 1_600_000_000 + number * 600
        out.write(b"blob\nmark :%d\ndata %d\n" % (number * 2, len(content)) + content + b"\n")
        message = f"change {path}".encode()
        out.write(
            b"commit refs/heads/main\nmark :%d\n" % (number * 2 + 1)
            + f"committer Load Test <load@example.com> {when} +0000\n".encode()
            + b"data %d\n" % len(message)
            + message
            + b"\n"
        )
        if number > 1:
            out.write(b"from :%d\n" % (number * 2 - 1))
        out.write(b"M 100644 :%d %s\n" % (number * 2, path.encode()))
        if number % 1000 == 0 and secret_paths:
            gone = secret_paths.pop(0)
            if gone != path:
                out.write(f"D {gone}\n".encode())
        out.write(b"\n")
    out.write(b"done\n")
    out.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=REPO, check=True)


def _timed(argv: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MiB) and exit code of one run."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(argv, cwd=cwd, stdout=null, stderr=null)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss // 1024, process.returncode


def _tools(out: Path) -> dict[str, list[str]]:
    jwtscan = VENV_BIN / "jwtscan" if (VENV_BIN / "jwtscan").exists() else Path(sys.executable)
    jwtscan_argv = [str(jwtscan)] if jwtscan.name == "jwtscan" else [str(jwtscan), "-m", "scanner"]
    tools = {
        "jwtscan": [
            *jwtscan_argv,
            "scan",
            "--history",
            "--quiet",
            "--format",
            "json",
            "--output",
            str(out / "jwtscan.json"),
        ],
        "gitleaks": [
            str(VENV_BIN / "gitleaks"),
            "git",
            "--no-banner",
            "--redact",
            "-f",
            "json",
            "-r",
            str(out / "gitleaks.json"),
            str(REPO),
        ],
        "kingfisher": [
            str(VENV_BIN / "kingfisher"),
            "scan",
            str(REPO),
            "--no-validate",
            "--no-update-check",
            "-q",
            "--format",
            "json",
        ],
        "git cat-file (floor)": ["git", "cat-file", "--batch-all-objects", "--batch"],
    }
    missing = [
        name
        for name, command in tools.items()
        if "/" in command[0] and not Path(command[0]).exists()
    ]
    for name in missing:
        print(f"{name}: not installed in {VENV_BIN}; run python -m benchmarks.perf first")
    return {name: command for name, command in tools.items() if name not in missing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--blob-kib", type=int, default=22, help="size of each new blob")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    marker = REPO / ".git" / f"built-{args.commits}-{args.blob_kib}"
    if args.rebuild or not marker.exists():
        started = time.perf_counter()
        build(args.commits, args.blob_kib)
        marker.touch()
        print(f"built {REPO} in {time.perf_counter() - started:.0f}s")
    listing = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    blob_bytes = sum(
        int(line.split()[1]) for line in listing.splitlines() if line.startswith("blob ")
    )
    commits = subprocess.run(
        ["git", "rev-list", "--count", "--all"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"workload: {commits} commits, {blob_bytes / 2**30:.2f} GiB of blobs")
    out = WORK / "out" / "load"
    out.mkdir(parents=True, exist_ok=True)
    tools = _tools(out)
    results: dict[str, list[tuple[float, int, int]]] = {name: [] for name in tools}
    for _ in range(args.runs):
        for name, command in tools.items():
            results[name].append(_timed(command, REPO))
    print(f"{'tool':<22} {'wall s':>8} {'peak MiB':>9} {'exit':>5} {'jwtscan/tool':>13}")
    ours = min(r[0] for r in results["jwtscan"])
    for name, runs in results.items():
        best = min(runs, key=lambda r: r[0])
        ratio = f"{ours / best[0]:.2f}x" if name != "jwtscan" else ""
        print(f"{name:<22} {best[0]:>8.1f} {best[1]:>9} {best[2]:>5} {ratio:>13}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
