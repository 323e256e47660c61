"""Noise on third-party code: every jwtscan finding on code nobody on this project wrote, reviewed.

    python -m benchmarks.noise [--only SOURCE ...] [--jobs N] [--unreviewed FILE]

Run from the repository root. The sources below (two real workloads from ``../shared/workloads``
and popular packages at pinned versions, fetched with the ordinary clients of their registries:
``pip download`` for PyPI sdists, ``npm pack`` for npm, ``apt-get download`` for Debian packages,
which ship Go, Ruby, PHP and Java sources) are unpacked, each into its own git repository (all
files added, one commit with a fixed identity and date) under ``benchmarks/.work/noise/``
(gitignored, reused by later runs). Each tree is scanned by jwtscan (``scan --format json``: the
working tree), and by gitleaks (``dir``) and Kingfisher (``--git-history none --no-validate``) for
comparison; the tools come from the virtualenv that ``benchmarks/perf.py`` builds (made here when
missing).

``benchmarks/noise-review.yaml`` classifies every jwtscan finding, by an identity that survives
unrelated scanner changes (source, path, rule, and a hash of the text of the finding's first line;
never the value): ``prod`` (a key an application really uses), ``fixture`` (a real or weak key in
tests, docs, examples or samples: correctly found) or ``false-positive`` (not a secret, or not
what the finding says), each with a one-line reason written by reading the code. The run fails
(exit 1) on any finding that is unreviewed, reviewed as a false positive, or blocking without
being ``prod`` (a gate must block only where a production secret or flaw really is); exit 2 when
a tool or a fetch failed, so that nothing passes on a scan that did not happen.

Printed per source: jwtscan's findings, how many block (the JSON's ``blocking`` field), by
context (the ``context`` field), the review's verdicts, how many findings reviewed real sit at a
file and line where Kingfisher reports nothing, and gitleaks' and Kingfisher's counts on the same
tree; then issue 15's targets on the totals, each met or not.
``--unreviewed FILE`` writes review stubs (verdict and reason empty) for what is not yet reviewed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.perf import (
    GITLEAKS_OK,
    JWTSCAN_OK,
    KINGFISHER_OK,
    WORK,
    Layout,
    Outcome,
    count_gitleaks,
    count_kingfisher,
    ensure_venv,
    fingerprint,
    git,
    resolve_tools,
    run,
    stamped,
    tool_versions,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
NOISE = WORK / "noise"
REVIEW = Path(__file__).resolve().parent / "noise-review.yaml"
# The shared workloads sit beside the checkout (../shared/workloads), or beside a folder holding
# worktrees of it; --workloads names them elsewhere.
WORKLOADS = next(
    (
        p / "shared" / "workloads"
        for p in REPO_ROOT.parents
        if (p / "shared" / "workloads").is_dir()
    ),
    REPO_ROOT.parent / "shared" / "workloads",
)
VERDICTS = ("prod", "fixture", "false-positive")
# Bump when the trees' construction changes, so that reused trees are rebuilt.
BUILD_FORMAT = 3
IDENTITY = {
    "GIT_AUTHOR_NAME": "Noise Benchmark",
    "GIT_AUTHOR_EMAIL": "noise@example.invalid",
    "GIT_COMMITTER_NAME": "Noise Benchmark",
    "GIT_COMMITTER_EMAIL": "noise@example.invalid",
    "GIT_AUTHOR_DATE": "2020-09-13T12:26:40+00:00",
    "GIT_COMMITTER_DATE": "2020-09-13T12:26:40+00:00",
}


@dataclass(frozen=True, slots=True)
class Source:
    """Third-party code at a pinned version: ``registry`` is pypi, npm, debian or workload.

    Every source is scanned as a working tree, except a ``history`` one: a whole git history.
    """

    registry: str
    name: str
    version: str
    history: bool = False

    @property
    def id(self) -> str:
        return f"{self.registry}/{self.name}"

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9.]+", "-", self.id).strip("-")


def _sources(registry: str, pinned: str) -> tuple[Source, ...]:
    pairs = (line.split() for line in pinned.strip().splitlines())
    return tuple(Source(registry, name, version) for name, version in pairs)


SOURCES = (
    Source("workload", "parse-server", "parse-server.bundle"),
    Source("workload", "parse-server-history", "parse-server.bundle", history=True),
    Source("workload", "traefik", "traefik-tree.tar.gz"),
    # Web frameworks, auth libraries and large libraries (sdists carry their tests and docs).
    *_sources(
        "pypi",
        """
        Django 5.2.8
        Flask 3.1.2
        fastapi 0.121.0
        starlette 0.49.3
        Werkzeug 3.1.3
        itsdangerous 2.2.0
        PyJWT 2.10.1
        python-jose 3.5.0
        Authlib 1.6.5
        jwcrypto 1.5.6
        djangorestframework-simplejwt 5.5.1
        oauthlib 3.3.1
        requests-oauthlib 2.0.0
        Flask-Login 0.6.3
        Flask-JWT-Extended 4.7.1
        django-oauth-toolkit 3.1.0
        social-auth-core 4.8.1
        bottle 0.13.4
        tornado 6.5.2
        requests 2.32.5
    """,
    ),
    # JWT, session and auth middleware and frameworks.
    *_sources(
        "npm",
        """
        jsonwebtoken 9.0.2
        jose 6.1.0
        express-jwt 8.5.1
        express-session 1.18.2
        cookie-session 2.1.1
        cookie-parser 1.4.7
        passport 0.7.0
        passport-jwt 4.0.1
        koa 3.1.1
        koa-jwt 4.0.4
        @nestjs/jwt 11.0.1
        @fastify/jwt 10.0.0
        next-auth 4.24.13
        jwks-rsa 3.2.0
        express-openid-connect 2.19.2
        iron-session 8.0.4
        keygrip 1.1.0
    """,
    ),
    # Debian 12 packages that ship sources: Go (/usr/share/gocode), Ruby, PHP, Java examples.
    *_sources(
        "debian",
        """
        golang-github-golang-jwt-jwt-dev 4.4.3-1
        golang-github-dgrijalva-jwt-go-dev 3.2.0-4
        golang-gopkg-square-go-jose.v2-dev 2.6.0-2
        golang-github-coreos-go-oidc-dev 2.1.0-2
        golang-golang-x-oauth2-dev 0.3.0-1
        golang-github-gin-gonic-gin-dev 1.8.1-1
        golang-github-appleboy-gin-jwt-dev 2.6.4-2
        golang-github-labstack-echo-dev 4.2.1-3
        golang-github-gorilla-sessions-dev 1.2.1-1
        ruby-jwt 2.5.0-1+deb12u1
        ruby-json-jwt 1.14.0-2
        ruby-omniauth 2.1.1-1
        ruby-oauth2 1.4.4-1+deb12u1
        php-symfony-security-core 5.4.53+dfsg-0+deb12u1
        php-symfony-security-http 5.4.53+dfsg-0+deb12u1
        php-horde-oauth 2.0.4-6
        libgoogle-oauth-client-java 1.34.1-2
    """,
    ),
)


def log(message: str) -> None:
    print(f"[noise] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Fetching and unpacking


def fetch(source: Source, downloads: Path, workloads: Path) -> Path:
    """The source's archive (cached: a registry's release never changes)."""
    if source.registry == "workload":
        path = workloads / source.version
        if not path.is_file():
            raise SystemExit(f"noise: workload {path} not found (see --workloads)")
        return path
    folder = downloads / source.slug / source.version
    found = [p for p in folder.glob("*") if p.is_file()] if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log(f"fetching {source.id} {source.version}")
    if source.registry == "pypi":
        run([
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--no-binary", ":all:", "--dest", str(folder),
            f"{source.name}=={source.version}",
        ])  # fmt: skip
    elif source.registry == "npm":
        run(["npm", "pack", "--silent", f"{source.name}@{source.version}"], cwd=folder)
    elif source.registry == "debian":
        # Needs Debian's package lists (`apt-get update` once on a fresh machine).
        run(["apt-get", "download", "-q", f"{source.name}={source.version}"], cwd=folder)
    else:
        raise SystemExit(f"noise: unknown registry {source.registry}")
    found = [p for p in folder.glob("*") if p.is_file()]
    if len(found) != 1:
        raise SystemExit(f"noise: fetching {source.id} {source.version} saved {len(found)} files")
    return found[0]


def unpack(source: Source, archive: Path, tree: Path) -> None:
    """The archive's files in ``tree``, without a wrapping top-level folder."""
    if source.registry == "debian":
        run(["dpkg-deb", "-x", archive, tree])
        # Debian compresses documentation; a project keeps its README and examples as text.
        for packed in sorted(tree.glob("usr/share/doc/**/*.gz")):
            packed.with_suffix("").write_bytes(gzip.decompress(packed.read_bytes()))
            packed.unlink()
    elif archive.name.endswith(".bundle"):
        clone = tree.with_name(tree.name + ".clone")
        shutil.rmtree(clone, ignore_errors=True)
        run(["git", "clone", "--quiet", "--bare", archive, clone])
        # The working tree at HEAD only, as every other source.
        archived = subprocess.run(
            ["git", "--git-dir", str(clone), "archive", "HEAD"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "xf", "-", "-C", str(tree)], input=archived, check=True)
        shutil.rmtree(clone)
    else:
        # sdists and npm tarballs wrap their files in one folder; the workload's tarball does not.
        strip = source.registry != "workload"
        with tarfile.open(archive) as handle:
            for member in handle.getmembers():
                name = member.name.split("/", 1)[-1] if strip else member.name
                if not member.isfile() or name.startswith("/") or ".." in Path(name).parts:
                    continue
                extracted = handle.extractfile(member)
                if extracted is not None:
                    target = tree / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(extracted.read())


def ensure_tree(source: Source, downloads: Path, trees: Path, workloads: Path) -> Path:
    """The source unpacked into a one-commit git repository (rebuilt when its archive changes)."""
    archive = fetch(source, downloads, workloads)
    tree = trees / source.slug
    want = fingerprint([str(BUILD_FORMAT), source.id, source.version, file_digest(archive)])
    # Inside the git directory: no tool scans it as a file.
    stamp = tree / "noise-stamp" if source.history else tree / ".git" / "noise-stamp"
    if stamped(stamp, want):
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    if source.history:  # every branch and tag, as cloned
        run(["git", "clone", "--quiet", "--mirror", archive, tree])
        stamp.write_text(want)
        return tree
    tree.mkdir(parents=True)
    unpack(source, archive, tree)
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "--quiet", "-b", "main"],
        ["config", "gc.auto", "0"],
        ["add", "--all", "--force", "."],  # every shipped file, even where a .gitignore says no
        ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", "import"],
    ):
        subprocess.run(["git", "-C", str(tree), *args], env=env, check=True, capture_output=True)
    stamp.write_text(want)
    return tree


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Scanning


@dataclass(frozen=True, slots=True)
class Scan:
    """What the tools found on one source's tree."""

    source: Source
    tree: Path
    files: int
    findings: tuple[dict[str, Any], ...]
    kingfisher: int | None
    gitleaks: int | None
    errors: tuple[str, ...]
    # Where Kingfisher reports something: (path relative to the tree, line).
    kingfisher_at: frozenset[tuple[str, int]] = frozenset()


NICE = ("nice", "-n", "19")


def scan(source: Source, tree: Path, tools: dict[str, Path], out: Path) -> Scan:
    """jwtscan, gitleaks and Kingfisher on the tree; a tool that fails is an error, not a zero."""
    out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    report = out / "jwtscan.json"
    report.unlink(missing_ok=True)
    # Two sources run at once, a tree on one core each; a history (the long pole) gets them all.
    mode = ("--history",) if source.history else ("--jobs", "1")
    jwtscan = (
        str(tools["jwtscan"]), "scan", *mode, "--quiet", "--format", "json",
        "--output", str(report),
    )  # fmt: skip
    findings: tuple[dict[str, Any], ...] = ()
    if tool(jwtscan, tree, out / "jwtscan", JWTSCAN_OK, errors):
        document = json.loads(report.read_text())
        if document.get("complete") is False:
            errors.append("jwtscan: the scan says it is incomplete")
        if not document["stats"]["files_scanned"]:
            errors.append("jwtscan: no file scanned")  # an empty tree passes nothing
        findings = tuple(document["findings"])
    gitleaks_report = out / "gitleaks.json"
    gitleaks = (
        str(tools["gitleaks"]), "git" if source.history else "dir", "--no-banner", "--redact",
        "--exit-code", "0", "-f", "json", "-r", str(gitleaks_report), str(tree),
    )  # fmt: skip
    gitleaks_count = None
    if tool(gitleaks, tree, out / "gitleaks", GITLEAKS_OK, errors):
        gitleaks_count = count_gitleaks(outcome(out, "gitleaks", gitleaks_report)).findings
    only_tree = () if source.history else ("--git-history", "none")
    kingfisher = (
        str(tools["kingfisher"]), "scan", str(tree), *only_tree, "--no-validate",
        "--no-update-check", "-q", "--format", "json",
    )  # fmt: skip
    kingfisher_count = None
    kingfisher_at: frozenset[tuple[str, int]] = frozenset()
    if tool(kingfisher, tree, out / "kingfisher", KINGFISHER_OK, errors):
        kingfisher_count = count_kingfisher(outcome(out, "kingfisher", out / "none")).findings
        kingfisher_at = kingfisher_places(out / "kingfisher.stdout", tree)
    files = len(git(tree, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0")) - 1
    return Scan(
        source, tree, files, findings, kingfisher_count, gitleaks_count, tuple(errors),
        kingfisher_at,
    )  # fmt: skip


def kingfisher_places(report: Path, tree: Path) -> frozenset[tuple[str, int]]:
    """(path relative to ``tree``, line) of each Kingfisher finding in its JSON report."""
    places = set()
    for item in json.loads(report.read_text()).get("findings", []):
        found = item.get("finding", {})
        path, line = str(found.get("path", "")), found.get("line")
        if path.startswith(f"{tree}/"):
            path = path[len(str(tree)) + 1 :]
        if isinstance(line, int):
            places.add((path, line))
    return frozenset(places)


def outcome(out: Path, name: str, report: Path) -> Outcome:
    return Outcome(report, out / f"{name}.stdout", out / f"{name}.stderr")


def tool(argv: Sequence[str], cwd: Path, stem: Path, ok: frozenset[int], errors: list[str]) -> bool:
    """Run one scanner (niced), output in ``stem``.stdout/.stderr; False (and why) on failure."""
    with (
        stem.with_suffix(".stdout").open("wb") as stdout,
        stem.with_suffix(".stderr").open("wb") as stderr,
    ):
        code = subprocess.run(
            [*NICE, *argv],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            check=False,
        ).returncode
    if code in ok:
        return True
    tail = stem.with_suffix(".stderr").read_text(errors="replace").strip().splitlines()[-5:]
    errors.append(f"{Path(argv[0]).name} exited {code}: " + " | ".join(tail))
    return False


# --------------------------------------------------------------------------------------------
# The review


class ReviewError(ValueError):
    """The review file is not valid."""


KEY_FIELDS = ("source", "path", "rule", "line")
# What a reason must never hold: a token, a PEM block, or a long random-looking run.
SECRET_LOOKING = (
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}"),
    re.compile(r"-----BEGIN"),
    re.compile(r"(?=[A-Za-z0-9+/_=-]*[0-9])(?=[A-Za-z0-9+/_=-]*[A-Z])[A-Za-z0-9+/_=-]{20,}"),
)


def line_hash(text: str) -> str:
    """The identity of a finding's first line: whitespace-trimmed, hashed (never the value)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def review_key(entry: dict[str, Any]) -> str:
    nth = entry.get("nth", 1)
    return "|".join(str(entry[f]) for f in KEY_FIELDS) + (f"|{nth}" if nth != 1 else "")


def identities(scan: Scan) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each finding with its identity: source, path, rule, line hash (and nth among equals)."""
    cache: dict[tuple[str, str], list[str]] = {}

    def text(finding: dict[str, Any]) -> str:
        """The finding's first line: in the file, or in the commit a history finding names."""
        commit = (finding.get("commit") or {}).get("sha", "")
        path, line = finding.get("path") or "", finding.get("line")
        if (commit, path) not in cache:
            try:
                data = (
                    subprocess.run(
                        ["git", "-C", str(scan.tree), "show", f"{commit}:{path}"],
                        capture_output=True,
                        check=True,
                    ).stdout
                    if commit
                    else (scan.tree / path).read_bytes()
                )
            except (OSError, subprocess.CalledProcessError):
                data = b""
            cache[commit, path] = data.decode(errors="replace").split("\n")  # as git counts lines
        lines = cache[commit, path]
        return lines[line - 1] if line and 0 < line <= len(lines) else ""

    ordered = sorted(
        places(scan.findings),
        key=lambda f: (f.get("path") or "", f.get("line") or 0, f.get("column") or 0, f["rule"]),
    )
    seen: Counter[str] = Counter()
    pairs = []
    for finding in ordered:
        path = finding.get("path") or ""
        ident: dict[str, Any] = {
            "source": scan.source.id,
            "path": path,
            "rule": finding["rule"],
            "line": line_hash(text(finding)),
        }
        base = review_key(ident)
        seen[base] += 1
        if seen[base] > 1:
            ident["nth"] = seen[base]
        pairs.append((finding, ident))
    return pairs


def places(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every place a finding is at: a value found in several places of a tree is one finding
    with the others as ``occurrences`` (each reviewed on its own, as when each was a finding).
    A history audit's occurrences are other commits' copies of the finding it attributes: not
    reviewed separately, as before."""
    found = []
    for finding in findings:
        found.append(finding)
        if finding.get("at_head") is not None:
            continue
        found.extend(
            {**o, "rule": o.get("rule") or finding["rule"], "kind": finding.get("kind")}
            for o in finding.get("occurrences") or ()
        )
    return found


def load_review(path: Path) -> dict[str, dict[str, Any]]:
    """The review entries by key, validated: fields, verdicts, reasons, no duplicates, no values."""
    entries = yaml.safe_load(path.read_text()) or []
    if not isinstance(entries, list):
        raise ReviewError(f"{path}: a list of entries expected")
    allowed = {*KEY_FIELDS, "nth", "verdict", "reason"}
    review: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries, 1):
        where = f"{path.name} entry {index}"
        if not isinstance(entry, dict):
            raise ReviewError(f"{where}: a mapping expected")
        required = (*KEY_FIELDS, "verdict", "reason")
        missing = [f for f in required if not isinstance(entry.get(f), str) or not entry[f].strip()]
        unknown = sorted(set(entry) - allowed)
        if missing or unknown:
            raise ReviewError(f"{where}: missing or blank {missing}, unknown {unknown}")
        if entry["verdict"] not in VERDICTS:
            raise ReviewError(f"{where}: verdict {entry['verdict']!r} is not one of {VERDICTS}")
        if not re.fullmatch(r"[0-9a-f]{12}", entry["line"]):
            raise ReviewError(f"{where}: line must be the 12-hex hash of the line's text")
        nth = entry.get("nth", 1)
        if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
            raise ReviewError(f"{where}: nth must be a positive integer")
        if any(p.search(entry["reason"]) for p in SECRET_LOOKING):
            raise ReviewError(f"{where}: the reason looks like it holds a secret value")
        key = review_key(entry)
        if key in review:
            raise ReviewError(f"{where}: duplicate of an earlier entry ({key})")
        review[key] = entry
    return review


def stubs(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    """Review entries to fill in, with where to read the code (the line, for the reviewer)."""
    entries = [
        {**ident, "verdict": "", "reason": "", "at": f"{f.get('path')}:{f.get('line')}"}
        for f, ident in pairs
    ]
    return yaml.safe_dump(entries, sort_keys=False, width=100, allow_unicode=True)


# --------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True, slots=True)
class Row:
    """One source's line of the table."""

    source: str
    files: int
    findings: int
    blocking: int
    contexts: Counter[str]
    verdicts: Counter[str]  # of places: a repeated value's places are reviewed one by one
    kingfisher: int | None
    gitleaks: int | None
    # Findings reviewed real (prod or fixture) at a file and line Kingfisher reports nothing at.
    kingfisher_misses: int = 0
    places: int = 0  # where the findings are: more than findings when a value repeats


def blocking(finding: dict[str, Any]) -> bool:
    """The JSON's own ``blocking`` when present; before it existed, every finding failed the run."""
    value = finding.get("blocking", True)
    return bool(value)


def context(finding: dict[str, Any]) -> str:
    value = finding.get("context")
    if isinstance(value, dict):
        value = value.get("name") or value.get("kind") or value.get("value")
    return str(value) if value else "n/a"


def describe_contexts(counts: Counter[str]) -> str:
    """``test 12, docs 3``, most first; ``-`` for no findings, ``n/a`` before contexts existed."""
    if not counts:
        return "-"
    if set(counts) == {"n/a"}:
        return "n/a"
    ordered = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    return ", ".join(f"{name} {n}" for name, n in ordered)


def peer(count: int | None) -> str:
    return "FAILED" if count is None else str(count)


HEADER = (
    "| source | files | jwtscan findings | blocking | by context | prod | fixture "
    "| false positive | unreviewed | real, Kingfisher misses | Kingfisher | gitleaks |"
)


def table(rows: Sequence[Row]) -> str:
    lines = [HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    for r in rows:
        v = r.verdicts
        lines.append(
            f"| {r.source} | {r.files:,} | {found(r)} | {r.blocking} "
            f"| {describe_contexts(r.contexts)} "
            f"| {v['prod']} | {v['fixture']} | {v['false-positive']} | {v['unreviewed']} "
            f"| {r.kingfisher_misses} | {peer(r.kingfisher)} | {peer(r.gitleaks)} |"
        )
    return "\n".join(lines)


def found(row: Row) -> str:
    """``12``, or ``12 (30 places)`` when values repeat."""
    if row.places > row.findings:
        return f"{row.findings} ({row.places} places)"
    return str(row.findings)


def totals(rows: Sequence[Row]) -> Row:
    verdicts: Counter[str] = Counter()
    contexts: Counter[str] = Counter()
    for r in rows:
        verdicts.update(r.verdicts)
        contexts.update(r.contexts)
    failed = any(r.kingfisher is None for r in rows), any(r.gitleaks is None for r in rows)
    return Row(
        f"**total ({len(rows)} sources)**",
        sum(r.files for r in rows),
        sum(r.findings for r in rows),
        sum(r.blocking for r in rows),
        contexts,
        verdicts,
        None if failed[0] else sum(r.kingfisher or 0 for r in rows),
        None if failed[1] else sum(r.gitleaks or 0 for r in rows),
        sum(r.kingfisher_misses for r in rows),
        sum(r.places for r in rows),
    )


def targets(total: Row, blocking_wrong: int) -> list[str]:
    """Issue 15's targets, checked on the totals: each line says met or NOT MET."""
    v = total.verdicts

    def said(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    allowed = None if total.kingfisher is None else total.kingfisher + total.kingfisher_misses
    return [
        f"blocking findings that are no production secret or flaw: {blocking_wrong} "
        f"({said(blocking_wrong == 0)})",
        f"findings reviewed false positive: {v['false-positive']} "
        f"({said(v['false-positive'] == 0)}), unreviewed: {v['unreviewed']}",
        f"findings {total.findings} <= Kingfisher {peer(total.kingfisher)} + real findings "
        f"Kingfisher misses {total.kingfisher_misses}"
        + ("" if allowed is None else f" = {allowed} ({said(total.findings <= allowed)})"),
    ]


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.noise", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--only", action="append", metavar="SOURCE", help="only this source (e.g. npm/jose)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="sources handled at once (default 2)")
    parser.add_argument("--review", type=Path, default=REVIEW, help="the review file")
    parser.add_argument(
        "--workloads",
        type=Path,
        default=WORKLOADS,
        help=f"the shared workloads (default {WORKLOADS})",
    )
    parser.add_argument(
        "--unreviewed", type=Path, metavar="FILE", help="write stubs for unreviewed findings"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0 when every finding is reviewed and none is a false positive; 1 otherwise; 2 when
    a fetch, a tool or the review file failed (no verdict)."""
    args = parse_args(argv)
    try:
        return benchmark(args)
    except ReviewError as exc:
        print(f"noise: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # a failed set-up command (see benchmarks.perf.run)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        raise


def benchmark(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    chosen = [s for s in SOURCES if not args.only or {s.id, s.name} & set(args.only)]
    if not chosen:
        raise SystemExit(f"noise: no source named {args.only}")
    review = load_review(args.review)
    layout = Layout(WORK)
    layout.work.mkdir(parents=True, exist_ok=True)
    ensure_venv(layout)
    tools = resolve_tools(layout)
    versions = tool_versions(tools)
    print(
        "versions: "
        + ", ".join(
            v if v.startswith(k) else f"{k} {v}"
            for k, v in versions.items()
            if k in ("jwtscan", "gitleaks", "kingfisher")
        )
    )

    def one(source: Source) -> Scan:
        tree = ensure_tree(source, NOISE / "downloads", NOISE / "trees", args.workloads)
        return scan(source, tree, tools, NOISE / "out" / source.slug)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        scans = list(pool.map(one, chosen))
    rows, unreviewed, wrong, matched = [], [], [], set()
    blocking_wrong: list[str] = []
    for result in scans:
        verdicts: Counter[str] = Counter()
        misses = 0
        for finding, ident in identities(result):
            entry = review.get(review_key(ident))
            where = (
                f"{result.source.id}: {finding.get('path')}:{finding.get('line')} {ident['rule']}"
            )
            if entry is None:
                verdicts["unreviewed"] += 1
                unreviewed.append((finding, ident))
                print(f"UNREVIEWED {where}")
                continue
            matched.add(review_key(ident))
            verdicts[entry["verdict"]] += 1
            if entry["verdict"] == "false-positive":
                wrong.append(where)
            elif (finding.get("path"), finding.get("line")) not in result.kingfisher_at:
                misses += 1
            if blocking(finding) and entry["verdict"] != "prod":
                blocking_wrong.append(f"{where} ({entry['verdict']})")
        rows.append(Row(
            result.source.id, result.files, len(result.findings),
            sum(blocking(f) for f in result.findings),
            Counter(context(f) for f in result.findings),
            verdicts, result.kingfisher, result.gitleaks, misses, len(places(result.findings)),
        ))  # fmt: skip
        for error in result.errors:
            print(f"FAILED {result.source.id}: {error}")
    print()
    print(table([*rows, totals(rows)]))
    total = totals(rows)
    v = total.verdicts
    print(
        f"\njwtscan: {total.findings} findings at {total.places} places ({total.blocking} "
        f"blocking); the places reviewed: {v['prod']} prod, "
        f"{v['fixture']} fixture, {v['false-positive']} false positive, "
        f"{v['unreviewed']} unreviewed; Kingfisher {peer(total.kingfisher)}, "
        f"gitleaks {peer(total.gitleaks)} on the same trees"
    )
    stale = [
        k
        for k, e in review.items()
        if k not in matched and any(e["source"] == s.id for s in chosen)
    ]
    if stale:
        print(f"{len(stale)} review entries match no finding any more (fixed or moved)")
    for where in wrong:
        print(f"false positive: {where}")
    for where in blocking_wrong:
        print(f"blocking, not a production secret: {where}")
    print("targets (issue 15):")
    for line in targets(total, len(blocking_wrong)):
        print(f"- {line}")
    if args.unreviewed is not None:
        args.unreviewed.write_text(stubs(unreviewed))
        print(f"{len(unreviewed)} review stubs written to {args.unreviewed}")
    print(f"total time of this benchmark: {time.perf_counter() - started:.0f} s")
    if any(r.errors for r in scans):
        return 2
    return 1 if unreviewed or wrong or blocking_wrong else 0


if __name__ == "__main__":
    sys.exit(main())
