"""A baseline that does not churn and reveals nothing: rule, path and each finding's identity.

The file is sorted JSON, one entry per line, with no salt, time or line number: the same
findings always give the same bytes, and entries rarely conflict in merges. An entry's ``hash``
is the finding's identity (see ``Finding.identity``): no weak key can be recovered from it by
hashing a dictionary, although the file is committed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import ScannerError, UsageError
from scanner.files import read_regular, write_atomic
from scanner.findings import Finding, normalise_secret

VERSION = 2
VERSION_1_NOTE = (
    "{path} is a version 1 baseline: its salted value hashes let anyone with the weak-key "
    "dictionary recover weak keys; rewrite it with 'jwtscan baseline update'"
)
DEFAULT_PATH = Path(".jwtscan-baseline.json")


class BaselineError(ScannerError):
    """The baseline file is missing, unreadable, malformed, or may not be written there."""


@dataclass(frozen=True, slots=True)
class Entry:
    rule: str
    path: str
    hash: str


@dataclass(frozen=True, slots=True)
class Subtracted:
    """Findings once a baseline is subtracted, and what the baseline had to say."""

    findings: tuple[Finding, ...]  # the new ones
    hidden: int  # findings the baseline knows
    unused: tuple[Entry, ...]  # entries that matched nothing: the baseline can be pruned
    notes: tuple[str, ...]


def subtract(path: Path, findings: Sequence[Finding], root: Path | None) -> Subtracted:
    """The findings the baseline at ``path`` does not know (``root``: the work tree, where a
    moved file's old path is looked for)."""
    known = load(path)
    kept, never_seen = known.split(findings, gone_from(root))
    notes = () if known.salt is None else (VERSION_1_NOTE.format(path=path),)
    unused = tuple(sorted(never_seen, key=lambda e: (e.path, e.rule, e.hash)))
    return Subtracted(kept, len(findings) - len(kept), unused, notes)


def _never(path: str) -> bool:
    return False


def gone_from(root: Path | None) -> Callable[[str], bool]:
    """Whether a baseline entry's file no longer exists in the work tree at ``root``."""
    if root is None:
        return _never
    return lambda path: not os.path.lexists(root / path)


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[Entry, ...]  # a finding found twice in one file is two entries
    salt: str | None = None  # version 1 only: its entries are keyed hashes of the values

    def entry(self, finding: Finding) -> Entry:
        if self.salt is None:
            return Entry(finding.rule_id, finding.path, finding.identity)
        message = "\0".join((finding.rule_id, finding.path, normalise_secret(finding.secret)))
        digest = hmac.new(
            bytes.fromhex(self.salt), message.encode("utf-8", "surrogateescape"), hashlib.sha256
        )
        return Entry(finding.rule_id, finding.path, digest.hexdigest()[:32])

    def split(
        self, findings: Sequence[Finding], gone: Callable[[str], bool] = _never
    ) -> tuple[tuple[Finding, ...], frozenset[Entry]]:
        """(findings not in the baseline, baseline entries that matched nothing).

        A finding matches an entry of its own path first. Else it matches an entry of another
        path with the same identity (the file was moved): always when the identity holds its
        value, and for a guessable value (identified by its setting only) when ``gone`` says
        the entry's file no longer exists, so that a weak key added elsewhere is still new.
        """
        pool = Counter(self.entries)
        keys = [self.entry(f) for f in findings]
        known = [False] * len(findings)
        for i, key in enumerate(keys):
            if pool[key] > 0:
                pool[key] -= 1
                known[i] = True
        spare: dict[tuple[str, str], list[Entry]] = {}  # entries left, by rule and identity
        for entry, count in pool.items():
            spare.setdefault((entry.rule, entry.hash), []).extend([entry] * count)
        for i, finding in enumerate(findings):
            candidates = [] if known[i] else spare.get((keys[i].rule, keys[i].hash), [])
            moved = next(
                (e for e in candidates if pool[e] > 0 and (finding.by_value or gone(e.path))),
                None,
            )
            if moved is not None:
                candidates.remove(moved)
                pool[moved] -= 1
                known[i] = True
        new = tuple(f for f, seen in zip(findings, known, strict=True) if not seen)
        return new, frozenset(e for e, n in pool.items() if n > 0)

    def pruned(self, findings: Sequence[Finding], gone: Callable[[str], bool] = _never) -> Baseline:
        """A current baseline of the findings this one knows: entries that match nothing are
        dropped, moved files get their new path, and a version 1 file becomes version 2."""
        new = {id(f) for f in self.split(findings, gone)[0]}
        return new_baseline(f for f in findings if id(f) not in new)


def new_baseline(findings: Iterable[Finding]) -> Baseline:
    entries = (Baseline(()).entry(f) for f in findings)
    return Baseline(tuple(sorted(entries, key=lambda e: (e.path, e.rule, e.hash))))


def render(baseline: Baseline) -> str:
    """Version 2 JSON: entries sorted by path, rule and hash, one per line."""
    assert baseline.salt is None, "version 1 baselines are read, never written"
    entries = sorted(baseline.entries, key=lambda e: (e.path, e.rule, e.hash))
    lines = [
        json.dumps({"rule": e.rule, "path": e.path, "hash": e.hash}, ensure_ascii=False)
        for e in entries
    ]
    body = ",\n".join(f"    {line}" for line in lines)
    return (
        f'{{\n  "version": {VERSION},\n  "tool": "jwtscan",\n  "entries": ['
        + (f"\n{body}\n  " if lines else "")
        + "]\n}\n"
    )


_MAX_BYTES = 256 * 1024 * 1024


def load(path: Path) -> Baseline:
    if not path.exists():
        raise BaselineError(f"{path}: no such baseline (create it: jwtscan baseline create)")
    try:
        # A baseline is repository content: a FIFO or /dev/zero in its place must not hang.
        document = json.loads(read_regular(path, "baseline", limit=_MAX_BYTES, errors="strict"))
    except UsageError as exc:
        raise BaselineError(str(exc)) from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from None
    try:
        version = document["version"]
        if version not in (1, VERSION):
            raise BaselineError(f"{path}: baseline version {version} is not {VERSION}")
        salt = None
        if version == 1:
            salt = document["salt"]
            bytes.fromhex(salt)
        entries = tuple(
            Entry(str(e["rule"]), str(e["path"]), str(e["hash"])) for e in document["entries"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BaselineError(f"{path}: malformed baseline ({type(exc).__name__}: {exc})") from None
    return Baseline(entries, salt)


def write(path: Path, baseline: Baseline, root: Path, *, confined: bool) -> None:
    """Write ``baseline`` to ``path`` atomically.

    A path in the repository never leads out of it through a symlink, and a ``confined`` one
    (from the repository's configuration, not the command line) must lie inside ``root``.
    """
    root = root.resolve()
    target = path.resolve()
    lexically_inside = Path(os.path.abspath(path)).is_relative_to(root)
    if (confined or lexically_inside) and not target.is_relative_to(root):
        how = "leads" if lexically_inside else "is"
        raise BaselineError(
            f"{path}: {how} outside the repository ({target}); a baseline is written inside it"
        )
    write_atomic(path, render(baseline))
