"""The speed benchmark's workloads beside Django: one per main stack, built from third-party code.

* ``parse-server``: the JavaScript application of ``../shared/workloads/parse-server.bundle``,
  every branch and tag (a mirror clone: its ``package-lock.json`` changed in about 1,400
  commits), for the history audit;
* ``traefik``: the Go working tree of ``../shared/workloads/traefik-tree.tar.gz``, committed once;
* ``go-vendor``: a Go module whose ``vendor/`` holds third-party code as ``go mod vendor`` lays it
  out, taken from Debian's ``golang-*-dev`` packages (they ship their sources under
  ``/usr/share/gocode/src``): gRPC, genproto's ``*.pb.go``, ``golang.org/x/sys``'s
  ``zsyscall_*.go`` and ``zerrors_*.go``, ``golang.org/x/text``'s generated tables, OpenAPI specs;
* ``java``: a Java tree from Debian's ``openjdk-17-source`` (the ``src.zip`` of the JDK's class
  library): the core, networking, security, XML and the generated locale data. Debian's
  ``lib*-java`` binary packages hold only jars, this machine has no ``deb-src`` entries for
  ``apt-get source``, and no Maven repository is reachable; no Kotlin sources could be had.

Each tree is one commit with a fixed identity and date, so every build has the same commit ids.
Each stack also gets a hook workload: a clone with five of its source files changed and staged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Debian 12 packages, pinned: the Go module's dependencies, vendored.
GO_PACKAGES = (
    ("golang-google-grpc-dev", "1.33.3-2"),
    ("golang-google-genproto-dev", "0.0~git20200413.b5235f6-3"),
    ("golang-google-protobuf-dev", "1.28.1-3"),
    ("golang-golang-x-sys-dev", "0.3.0-1"),
    ("golang-golang-x-net-dev", "1:0.7.0+dfsg-1"),
    ("golang-golang-x-crypto-dev", "1:0.4.0-1"),
    ("golang-golang-x-text-dev", "0.7.0-1"),
    ("golang-google-cloud-dev", "0.56.0-3"),
    ("golang-github-google-go-github-dev", "48.1.0-2"),
    ("golang-github-go-openapi-spec-dev", "1:0.20.4-2"),
    ("golang-k8s-kube-openapi-dev", "0.0~git20211014.b3fe75c-2"),
)
JAVA_PACKAGE = ("openjdk-17-source", "17.0.19+10-1~deb12u2")
# The JDK modules kept: the core library, networking, security, XML, and the generated locale
# data (about 110 MiB of the 190 MiB src.zip: detect-secrets takes minutes per 50 MiB).
JAVA_MODULES = (
    "java.base", "java.net.http", "java.sql", "java.naming", "java.security.jgss",
    "java.security.sasl", "java.xml", "java.xml.crypto", "jdk.crypto.cryptoki", "jdk.crypto.ec",
    "jdk.httpserver", "jdk.localedata",
)  # fmt: skip
GO_MODULE = "example.invalid/benchmark/gateway"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Benchmark Builder",
    "GIT_AUTHOR_EMAIL": "benchmark@example.invalid",
    "GIT_COMMITTER_NAME": "Benchmark Builder",
    "GIT_COMMITTER_EMAIL": "benchmark@example.invalid",
    "GIT_AUTHOR_DATE": "2020-09-13T12:26:40+00:00",
    "GIT_COMMITTER_DATE": "2020-09-13T12:26:40+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# What the hook workloads append to each staged file, by extension: ordinary code, no secret.
APPENDED = {
    ".py": (
        "\n\ndef _benchmark_helper(values, limit=10):\n"
        '    """Return the first values, at most ``limit`` of them."""\n'
        "    return list(values)[:limit]\n"
    ),
    ".js": (
        "\n\nfunction benchmarkHelper(values, limit = 10) {\n"
        "  // The first values, at most limit of them.\n"
        "  return values.slice(0, limit);\n}\n"
    ),
    ".go": (
        "\n\n// benchmarkHelper returns the first values, at most limit of them.\n"
        "func benchmarkHelper(values []string, limit int) []string {\n"
        "\tif len(values) < limit {\n\t\treturn values\n\t}\n\treturn values[:limit]\n}\n"
    ),
    ".java": (
        "\n\n// Benchmark: the first values, at most limit of them.\n"
        "// static <T> java.util.List<T> firstValues(java.util.List<T> values, int limit) {\n"
        "//     return values.subList(0, Math.min(limit, values.size()));\n// }\n"
    ),
}
HOOK_FILES = 5


def run(
    args: Sequence[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> str:
    completed = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, check=False, env=env
    )
    if completed.returncode != 0:
        command = " ".join(str(a) for a in args)
        stderr = completed.stderr.decode(errors="replace").strip()
        raise SystemExit(f"perf: `{command}` failed ({completed.returncode}):\n{stderr}")
    return completed.stdout.decode(errors="replace")


def git(repo: Path, *args: str) -> str:
    return run(["git", "-C", str(repo), *args], env={**os.environ, **IDENTITY})


def commit_tree(tree: Path) -> None:
    """Every file of ``tree`` in one commit (ignore rules too), fixed identity and date."""
    run(["git", "init", "--quiet", "-b", "main", str(tree)])
    git(tree, "config", "gc.auto", "0")
    git(tree, "add", "--all", "--force", ".")
    git(tree, "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", "import")
    git(tree, "repack", "-a", "-d", "-q")  # packed, as a clone is


# --------------------------------------------------------------------------------------------
# Fetching from Debian


def debian_package(downloads: Path, name: str, version: str) -> Path:
    """The package's .deb (cached: a release never changes; needs ``apt-get update`` once)."""
    folder = downloads / "debian" / name
    found = sorted(folder.glob("*.deb")) if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"[perf] apt-get download {name}", flush=True)
    run(["apt-get", "download", "-q", f"{name}={version}"], cwd=folder)
    found = sorted(folder.glob("*.deb"))
    if len(found) != 1:
        raise SystemExit(f"perf: apt-get download {name} saved {len(found)} packages")
    return found[0]


def unpack_deb(deb: Path, into: Path) -> None:
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    run(["dpkg-deb", "-x", deb, into])


# --------------------------------------------------------------------------------------------
# Builders: each makes ``target`` from scratch


def build_parse_server(workloads: Path, target: Path) -> None:
    """Every branch and tag of the bundle: a mirror clone, as a history audit reads it."""
    bundle = workloads / "parse-server.bundle"
    if not bundle.is_file():
        raise SystemExit(f"perf: {bundle} not found")
    run(["git", "clone", "--quiet", "--mirror", bundle, target])
    git(target, "config", "gc.auto", "0")


def build_traefik(workloads: Path, target: Path) -> None:
    archive = workloads / "traefik-tree.tar.gz"
    if not archive.is_file():
        raise SystemExit(f"perf: {archive} not found")
    target.mkdir(parents=True)
    run(["tar", "xzf", archive, "-C", target])
    commit_tree(target)


def build_go_vendor(downloads: Path, target: Path) -> None:
    """A small Go service with its dependencies in ``vendor/``, as ``go mod vendor`` leaves it."""
    scratch = target.with_name(target.name + ".unpack")
    vendor = target / "vendor"
    vendor.mkdir(parents=True)
    modules: list[str] = []
    for name, version in GO_PACKAGES:
        unpack_deb(debian_package(downloads, name, version), scratch)
        source = scratch / "usr" / "share" / "gocode" / "src"
        for path in sorted(source.rglob("*")):
            # Regular files only: Debian links some paths to other packages' copies.
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(source)
            destination = vendor / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        modules.extend(go_modules(source))
    shutil.rmtree(scratch)
    listed = sorted(set(modules))
    (vendor / "modules.txt").write_text("".join(f"# {m} v0.0.0\n## explicit\n" for m in listed))
    requires = "".join(f"\t{m} v0.0.0\n" for m in listed)
    (target / "go.mod").write_text(f"module {GO_MODULE}\n\ngo 1.19\n\nrequire (\n{requires})\n")
    (target / "main.go").write_text(GO_MAIN)
    commit_tree(target)


def go_modules(source: Path) -> list[str]:
    """Module paths in an unpacked gocode tree: folders holding a go.mod, else 3-level paths."""
    found = [str(p.parent.relative_to(source)) for p in source.rglob("go.mod")]
    if found:
        return found
    return sorted({"/".join(p.relative_to(source).parts[:3]) for p in source.rglob("*.go")})


GO_MAIN = """\
// Command gateway serves a gRPC API; its dependencies are vendored.
package main

import (
\t"log"
\t"net"
\t"os"

\t"google.golang.org/grpc"
)

func main() {
\taddress := os.Getenv("GATEWAY_ADDRESS")
\tif address == "" {
\t\taddress = ":8443"
\t}
\tlistener, err := net.Listen("tcp", address)
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tserver := grpc.NewServer()
\tlog.Fatal(server.Serve(listener))
}
"""


def build_java(downloads: Path, target: Path) -> None:
    """The JDK's class library sources for JAVA_MODULES, one folder per module."""
    scratch = target.with_name(target.name + ".unpack")
    unpack_deb(debian_package(downloads, *JAVA_PACKAGE), scratch)
    archives = sorted(scratch.rglob("src.zip"))
    if len(archives) != 1:
        raise SystemExit(f"perf: {JAVA_PACKAGE[0]} has {len(archives)} src.zip files")
    target.mkdir(parents=True)
    with zipfile.ZipFile(archives[0]) as archive:
        for member in archive.infolist():
            parts = Path(member.filename).parts
            if member.is_dir() or parts[0] not in JAVA_MODULES or ".." in parts:
                continue
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
    shutil.rmtree(scratch)
    commit_tree(target)


# --------------------------------------------------------------------------------------------
# Hooks


def hook_candidates(repo: Path, extensions: Sequence[str]) -> list[str]:
    """Five tracked source files of 4-64 KiB, chosen by a hash of their path (stable, spread).

    Outside vendor/ when there are enough there: a commit changes the project's own code.
    """
    listing = git(repo, "ls-tree", "-r", "-l", "-z", "HEAD").split("\0")
    sized: list[tuple[str, int]] = []
    for entry in filter(None, listing):
        meta, path = entry.split("\t", 1)
        size = meta.split()[3]
        if Path(path).suffix in extensions and size.isdigit() and 4096 <= int(size) <= 65536:
            sized.append((path, int(size)))
    own = [p for p, _ in sized if not p.startswith("vendor/")]
    pool = own if len(own) >= HOOK_FILES else [p for p, _ in sized]
    pool.sort(key=lambda p: hashlib.sha1(p.encode()).hexdigest())
    if len(pool) < HOOK_FILES:
        raise SystemExit(f"perf: {repo} has {len(pool)} files to stage, not {HOOK_FILES}")
    return sorted(pool[:HOOK_FILES])


def build_hook(
    source: Path, target: Path, files: Sequence[str] | None, extensions: Sequence[str]
) -> list[str]:
    """A clone of ``source`` with five files changed and staged (the staged paths returned).

    A clone: ``git add`` would otherwise write blobs into the source's objects, which the
    history audits read.
    """
    shutil.rmtree(target, ignore_errors=True)
    run(["git", "clone", "--quiet", source, target])
    git(target, "config", "gc.auto", "0")
    chosen = list(files) if files is not None else hook_candidates(target, extensions)
    for name in chosen:
        with (target / name).open("a", encoding="utf-8") as handle:
            handle.write(APPENDED[Path(name).suffix])
    git(target, "add", "--", *chosen)
    return chosen


@dataclass(frozen=True)
class Stack:
    """A main stack's code: how its repository is built, and what its hook stages."""

    name: str
    description: str
    build: Callable[[Path, Path, Path], None]  # (downloads, workloads, target)
    extensions: tuple[str, ...]
    history: bool  # measured as a history audit (else as a working tree)
    inputs: tuple[str, ...]  # what the build depends on, for the rebuild stamp


STACKS = (
    Stack(
        "parse-server",
        "JavaScript application history (parse-server bundle, every branch and tag)",
        lambda downloads, workloads, target: build_parse_server(workloads, target),
        (".js",), True, ("parse-server.bundle",),
    ),
    Stack(
        "traefik",
        "Go working tree (traefik)",
        lambda downloads, workloads, target: build_traefik(workloads, target),
        (".go",), False, ("traefik-tree.tar.gz",),
    ),
    Stack(
        "go-vendor",
        "Go module with vendor/ (Debian golang-*-dev sources: gRPC, genproto, x/sys, x/text ...)",
        lambda downloads, workloads, target: build_go_vendor(downloads, target),
        (".go",), False, tuple(f"{n}={v}" for n, v in GO_PACKAGES),
    ),
    Stack(
        "java",
        "Java tree (Debian openjdk-17-source: java.base, net, security, XML, locale data)",
        lambda downloads, workloads, target: build_java(downloads, target),
        (".java",), False, (f"{JAVA_PACKAGE[0]}={JAVA_PACKAGE[1]}", *JAVA_MODULES),
    ),
)  # fmt: skip
