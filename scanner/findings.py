"""Findings: frozen records that never show their secret unless asked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
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
    meets_rfc7518: bool
    # A dictionary, word-made or short key: its exact length and entropy would single it out of
    # the dictionary, so ``length`` is the floor of its size class and ``entropy`` is 0.
    guessable: bool = False


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
    def guessable(self) -> bool:
        """A value someone could guess (dictionary, words, short): no output may depend on it."""
        return self.strength is not None and self.strength.guessable

    @property
    def by_value(self) -> bool:
        """Identified by its value (a key no one can guess), not by where it is set."""
        return bool(self.secret) and not self.guessable

    @property
    def identity(self) -> str:
        """What was found, wherever it is: never a path, a line, or bits of a guessable value.

        A value that cannot be guessed is identified by a slow salted hash of it; a guessable
        one (and a finding without a value) by the rule, the setting it is bound to and the
        coarse class its redaction shows, so that hashing a dictionary recovers nothing.
        """
        parts: tuple[str, ...]
        if self.by_value:
            value = normalise_secret(self.secret)
            # A judged key gets the slow hash; a token (it carries a MAC) or a private key
            # cannot be guessed whatever its strength estimate, and there can be thousands.
            digest = (
                _slow_hash(value) if self.strength else hashlib.sha256(value.encode()).hexdigest()
            )
            parts = (self.rule_id, "value", digest)
        else:
            parts = (self.rule_id, "setting", self.kind, self.name or "", self.size_class)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]

    @property
    def fingerprint(self) -> str:
        """Stable across runs and clones, no line numbers: the identity, and the path when the
        identity holds no value (two weak keys in two files are two findings)."""
        if self.by_value:
            return self.identity
        return hashlib.sha256(f"{self.identity}\0{self.path}".encode()).hexdigest()[:24]

    @property
    def size_class(self) -> str:
        return size_class(self.secret) if self.secret else ""

    @property
    def redacted(self) -> str:
        """The value as reports show it: see :func:`redact`."""
        return redact(self.secret, guessable=self.guessable)


# Public and fixed: fingerprints must agree across clones. Only keys judged not guessable reach
# this hash; the work factor is insurance against a strength estimate that was wrong.
_VALUE_SALT = b"jwtscan/fingerprint/v2"
_VALUE_ROUNDS = 10_000


@lru_cache(maxsize=4096)
def _slow_hash(value: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", value.encode(), _VALUE_SALT, _VALUE_ROUNDS).hex()


def normalise_secret(secret: str) -> str:
    """The form of a secret that identity keys on: whitespace (PEM wrapping) removed."""
    return "".join(secret.split())


_SIZE_CLASSES = (32, 16, 8)


def size_class(secret: str) -> str:
    """A coarse length that a dictionary shares with many entries: ``8-15 bytes``."""
    length = len(secret.encode())
    for floor in _SIZE_CLASSES:
        if length >= floor:
            top = floor == _SIZE_CLASSES[0]
            return f"{floor}+ bytes" if top else f"{floor}-{2 * floor - 1} bytes"
    return "under 8 bytes"


def size_floor(length: int) -> int:
    """The lower bound of the size class of a value ``length`` bytes long."""
    return next((floor for floor in _SIZE_CLASSES if length >= floor), 1)


def redact(secret: str, *, guessable: bool = True) -> str:
    """The value, hidden: ``…(8-15 bytes)`` for a guessable one (the default: no prefix, a size
    class); ``a1b2…(40 bytes)`` for a random one (at most a quarter, never more than 4
    characters, and the exact length)."""
    if guessable:
        return f"…({size_class(secret)})"
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
