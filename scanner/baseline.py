"""A baseline that does not churn: keyed hashes of rule, path and secret; no lines, no times.

The file is sorted JSON with a random salt chosen once: entries identify findings without
revealing their secrets (a plain hash of a weak key could be looked up in a dictionary), and
stay the same when code moves, so they rarely conflict in merges.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import ScannerError
from scanner.findings import Finding, normalise_secret

VERSION = 1
DEFAULT_PATH = Path(".jwtscan-baseline.json")


class BaselineError(ScannerError):
    """The baseline file is missing, unreadable or malformed."""


@dataclass(frozen=True, slots=True)
class Entry:
    rule: str
    path: str
    hash: str


@dataclass(frozen=True, slots=True)
class Baseline:
    salt: str
    entries: frozenset[Entry]

    def entry(self, finding: Finding) -> Entry:
        message = "\0".join((finding.rule_id, finding.path, normalise_secret(finding.secret)))
        digest = hmac.new(bytes.fromhex(self.salt), message.encode(), hashlib.sha256)
        return Entry(finding.rule_id, finding.path, digest.hexdigest()[:32])

    def split(self, findings: Sequence[Finding]) -> tuple[tuple[Finding, ...], frozenset[Entry]]:
        """(findings not in the baseline, baseline entries that matched nothing)."""
        seen = {self.entry(f): f for f in findings}
        new = tuple(f for key, f in seen.items() if key not in self.entries)
        return new, self.entries - set(seen)


def new_baseline(findings: Iterable[Finding], salt: str | None = None) -> Baseline:
    empty = Baseline(salt or secrets.token_hex(16), frozenset())
    return Baseline(empty.salt, frozenset(empty.entry(f) for f in findings))


def render(baseline: Baseline) -> str:
    entries = sorted(baseline.entries, key=lambda e: (e.path, e.rule, e.hash))
    document = {
        "version": VERSION,
        "tool": "jwtscan",
        "salt": baseline.salt,
        "entries": [{"rule": e.rule, "path": e.path, "hash": e.hash} for e in entries],
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def load(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: no such baseline (create it: jwtscan baseline create)"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from None
    try:
        if document["version"] != VERSION:
            raise BaselineError(f"{path}: baseline version {document['version']} is not {VERSION}")
        salt = document["salt"]
        bytes.fromhex(salt)
        entries = frozenset(Entry(e["rule"], e["path"], e["hash"]) for e in document["entries"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BaselineError(f"{path}: malformed baseline ({type(exc).__name__}: {exc})") from None
    return Baseline(salt, entries)
