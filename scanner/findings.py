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


@dataclass(frozen=True, slots=True)
class KindFacts:
    """What every report says about a kind of finding, whatever the rule that found it."""

    title: str  # a short headline: SARIF shortDescription, HTML and Markdown labels
    description: str  # what it is and why it matters: SARIF fullDescription, HTML tooltips
    severity: Severity | None  # the kind's own severity; None: the rule's (or the token's expiry)
    cwes: tuple[int, ...]  # CWE ids, for SARIF tags
    tags: tuple[str, ...]  # SARIF rule tags besides the CWEs


# One row per kind: a kind missing here fails tests/test_kinds.py in every format.
KIND_FACTS: dict[FindingKind, KindFacts] = {
    "weak-secret": KindFacts(
        "Weak signing key hardcoded",
        "A hardcoded signing key that can be guessed: a dictionary key, words and digits, or "
        "shorter than RFC 7518 section 3.2 requires. Anyone can sign tokens the application "
        "accepts.",
        "critical",
        (798, 321, 1391),
        ("security", "secret", "jwt"),
    ),
    "hardcoded-secret": KindFacts(
        "Signing key hardcoded",
        "A random-looking signing key committed to the repository: everyone with a clone, and "
        "everyone who ever had one, can sign tokens the application accepts.",
        None,
        (798, 321),
        ("security", "secret", "jwt"),
    ),
    "private-key": KindFacts(
        "Private key committed",
        "A private signing key (PEM block or JWK) in the repository: everyone with a clone can "
        "sign as its owner.",
        None,
        (798, 321),
        ("security", "secret", "jwt"),
    ),
    "jwt-token": KindFacts(
        "JWT committed",
        "A JSON Web Token in the repository is a credential until it expires, and for good "
        "when it has no expiry.",
        None,
        (798,),
        ("security", "secret", "jwt"),
    ),
    "jwt-unsigned-token": KindFacts(
        "Unsigned JWT committed",
        "A token with alg 'none' carries no signature: a verifier that accepts it accepts "
        "anything.",
        "high",
        (347,),
        ("security", "secret", "jwt"),
    ),
    "jwt-forgeable-token": KindFacts(
        "Forgeable JWT committed",
        "A token signed with a key that is found in the repository or is a known weak key: "
        "anyone can mint tokens this system accepts.",
        "critical",
        (798, 347),
        ("security", "secret", "jwt"),
    ),
    "jwt-insecure-verification": KindFacts(
        "Insecure JWT verification",
        "Code that accepts unsigned tokens or skips the signature check: anyone can forge "
        "claims (user id, roles, expiry).",
        None,
        (347,),
        ("security", "jwt"),
    ),
    "env-file-tracked": KindFacts(
        "Environment file tracked by git",
        "A .env file in the repository: everyone with a clone has its values.",
        "high",
        (540,),
        ("security", "secret"),
    ),
    "env-file-unignored": KindFacts(
        "Environment file not ignored by git",
        "A .env file that git does not ignore: the next 'git add .' commits its values.",
        "medium",
        (540,),
        ("security", "secret"),
    ),
    "env-file-in-history": KindFacts(
        "Environment file in the git history",
        "A .env file gone from HEAD but still in the history: every clone has its values.",
        "high",
        (540,),
        ("security", "secret"),
    ),
    "secret-reused-across-environments": KindFacts(
        "Key shared by environments",
        "The same key configures several environments (production, staging, development, "
        "tests): a leak of the least guarded one exposes them all.",
        "high",
        (798, 1391),
        ("security", "secret", "jwt"),
    ),
    "secret-reused-across-purposes": KindFacts(
        "Key shared by purposes",
        "The same key signs different things (JWTs and session cookies, access and refresh "
        "tokens): a token of one kind can pass as the other, and one leak exposes both.",
        "medium",
        (323, 1391),
        ("security", "secret", "jwt"),
    ),
    "stale-key": KindFacts(
        "Key not rotated",
        "A key still in use long after it was committed: every clone, fork and backup made "
        "since then has it, and no rotation has retired it.",
        "medium",
        (324, 798),
        ("security", "secret", "jwt"),
    ),
}


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
    variable: str | None = None  # the environment variable the code and command name

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
