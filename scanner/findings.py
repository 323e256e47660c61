"""Findings: frozen records that never show their secret unless asked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")

FindingKind = Literal[
    "weak-secret",
    "hardcoded-secret",
    "private-key",
    "jwt-token",
    "jwt-unsigned-token",
    "jwt-forgeable-token",
    "jwt-insecure-verification",
    "env-file-tracked",
    "env-file-unignored",
    "env-file-in-history",
    "secret-reused-across-environments",
    "secret-reused-across-purposes",
    "stale-key",
]
SECRET_KINDS: frozenset[FindingKind] = frozenset({"weak-secret", "hardcoded-secret"})


def severity_rank(severity: Severity) -> int:
    """Order severities: low < medium < high < critical."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)
class Strength:
    """How strong a captured key is, measured without revealing it."""

    length: int  # bytes (UTF-8)
    entropy: float  # Shannon bits per character
    bits: int  # estimated guessing strength
    algorithm: str | None  # HS256/HS384/HS512 when visible at the finding
    required_bits: int  # RFC 7518 section 3.2 key size for that algorithm (256 when unknown)

    @property
    def meets_rfc7518(self) -> bool:
        return self.length * 8 >= self.required_bits


@dataclass(frozen=True, slots=True)
class Commit:
    """The commit that introduced a finding (range and history scans)."""

    sha: str
    author: str
    email: str
    date: str  # ISO 8601, author date


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One more place where a history audit saw the same secret."""

    path: str
    line: int | None
    commit: Commit | None


@dataclass(frozen=True, slots=True)
class Fix:
    """How to fix a finding: what to do, code for its language, a command, a rotation note."""

    summary: str
    code: str | None = None  # reads the key from the environment and fails fast when missing
    command: str | None = None  # e.g. jwtscan generate --env-file .env --name JWT_SECRET
    rotate: str | None = None

    def text(self) -> str:
        return " ".join(
            part for part in (self.summary, self.code, self.command, self.rotate) if part
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One secret at one place. ``secret`` is raw: render it with :func:`redact`."""

    rule_id: str
    kind: FindingKind
    severity: Severity
    path: str
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    secret: str = field(repr=False)
    message: str
    reasons: tuple[str, ...]
    remediation: Fix
    strength: Strength | None = None
    commit: Commit | None = None
    at_head: bool | None = None  # history audits: is the secret still in HEAD's tree?
    occurrences: tuple[Occurrence, ...] = ()  # history audits: every other place it was seen
    blob: str | None = None  # git object the finding was read from
    token: tuple[tuple[str, object], ...] = ()  # token findings: alg, kid, iss, sub, iat, exp
    signs: tuple[str, ...] = ()  # secret findings: where the tokens it verifiably signed are
    name: str | None = None  # the variable or setting the secret is bound to, when visible
    age_days: int | None = None  # history audits: days since the secret entered the repository

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule, path and normalised secret; no line numbers."""
        digest = hashlib.sha256(
            "\0".join((self.rule_id, self.path, normalise_secret(self.secret))).encode()
        )
        return digest.hexdigest()[:24]


def normalise_secret(secret: str) -> str:
    """The form of a secret that identity keys on: whitespace (PEM wrapping) removed."""
    return "".join(secret.split())


def redact(secret: str) -> str:
    """Show at most a quarter of the value (never more than 4 characters) and its length."""
    shown = secret[: min(4, len(secret) // 4)]
    return f"{shown}…({len(secret.encode())} bytes)"


@dataclass(frozen=True, slots=True)
class Fragment:
    """Text to scan: a file's content, with the lines that count when only some do."""

    path: str  # relative to the scanned root, '/'-separated
    text: str
    added_lines: frozenset[int] | None = None  # None: every line counts
    commit: Commit | None = None
    blob: str | None = None  # git object id, when the text came from the object store
