"""Findings and the records every stage passes on (texts, skips, results): frozen, and a secret
never shown unless asked."""

from __future__ import annotations

from collections.abc import Iterable
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
# Where a finding is (scanner/detect/context.py decides): app and config block by default.
Context = Literal["app", "config", "test", "example", "docs", "vendor", "generated"]
CONTEXTS: tuple[Context, ...] = ("app", "config", "test", "example", "docs", "vendor", "generated")
BLOCKING_CONTEXTS: frozenset[Context] = frozenset({"app", "config"})
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

    def __reduce__(self) -> tuple[type[Commit], tuple[str, str, str, str]]:
        return Commit, (self.sha, self.author, self.email, self.date)  # as Blob's, per blob


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One more place where the same value was seen: another file or line of a scan (or,
    in a history audit, of a commit), with how that place was judged on its own."""

    path: str
    line: int | None
    commit: Commit | None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    rule_id: str | None = None  # the rule that found it there (None: not recorded)
    severity: Severity | None = None
    context: Context | None = None
    context_reasons: tuple[str, ...] = ()
    blocking: bool | None = None  # this place alone fails the run (None: not judged alone)

    @classmethod
    def of(cls, finding: Finding) -> Occurrence:
        """The place of ``finding``, as another finding of the same value lists it."""
        return cls(
            path=finding.path,
            line=finding.line,
            commit=finding.commit,
            column=finding.column,
            end_line=finding.end_line,
            end_column=finding.end_column,
            rule_id=finding.rule_id,
            severity=finding.severity,
            context=finding.context,
            context_reasons=finding.context_reasons,
            blocking=finding.blocking,
        )


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
    occurrences: tuple[Occurrence, ...] = ()  # every other place the same value was seen
    blob: str | None = None  # git object the finding was read from
    token: tuple[tuple[str, object], ...] = ()  # token findings: alg, kid, iss, sub, iat, exp
    signs: tuple[str, ...] = ()  # secret findings: where the tokens it verifiably signed are
    name: str | None = None  # the variable or setting the secret is bound to, when visible
    age_days: int | None = None  # history audits: days since the secret entered the repository
    context: Context = "app"  # where it is: app, config, test, example, docs, vendor, generated
    context_reasons: tuple[str, ...] = ()  # the evidence: "path tests/", "Markdown file"
    blocking: bool = True  # fails the run under the active settings (pipeline decides)

    @property
    def places(self) -> int:
        """How many places hold what this finding reports: its own and its occurrences."""
        return 1 + len(self.occurrences)

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
        import hashlib  # here: a hook run that finds nothing never loads OpenSSL's hashes

        parts: tuple[str, ...]
        if self.by_value:
            value = normalise_secret(self.secret)
            # A judged key gets the slow hash; a token (it carries a MAC) or a private key
            # cannot be guessed whatever its strength estimate, and there can be thousands.
            digest = (
                _slow_hash(value)
                if self.strength
                else hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()
            )
            parts = (self.rule_id, "value", digest)
        else:
            parts = (self.rule_id, "setting", self.kind, self.name or "", self.size_class)
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:24]

    @property
    def fingerprint(self) -> str:
        """Stable across runs and clones, no line numbers: the identity, and the path when the
        identity holds no value (two weak keys in two files are two findings)."""
        import hashlib

        if self.by_value:
            return self.identity
        return hashlib.sha256(
            f"{self.identity}\0{self.path}".encode("utf-8", "surrogateescape")
        ).hexdigest()[:24]

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
    import hashlib

    return hashlib.pbkdf2_hmac(
        "sha256", value.encode("utf-8", "surrogateescape"), _VALUE_SALT, _VALUE_ROUNDS
    ).hex()


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
    # Embedded code (scanner/detect/embedded.py): the real file's path; ``path`` is then a
    # virtual one whose extension chooses the rules, and findings are reported at ``origin``.
    origin: str | None = None
    # The bytes the text was decoded from, when it is exactly them in UTF-8 (no BOM, no CR,
    # nothing replaced): the prefilter scans them instead of encoding the text again. Set by
    # the reader (see with_utf8); not an argument, so that a copy with another text
    # (dataclasses.replace) cannot carry the bytes of the first.
    utf8: bytes | None = field(default=None, init=False, compare=False, repr=False)

    def with_utf8(self, data: bytes) -> Fragment:
        """This fragment, knowing that ``data`` is its text in UTF-8 (the caller checked)."""
        object.__setattr__(self, "utf8", data)
        return self


SkipReason = Literal["binary", "too-large", "symlink", "not-a-file", "submodule", "vanished"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file not scanned on purpose; always reported, never silent."""

    path: str
    reason: SkipReason
    size: int


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that should have been scanned and could not be: the verdict is incomplete."""

    path: str
    error: str


def in_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings in report order: by file, position, then rule."""
    return tuple(sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.rule_id)))


@dataclass(frozen=True, slots=True)
class Stats:
    files: int  # scanned
    bytes: int
    seconds: float
    skipped: tuple[Skipped, ...]
    unreadable: tuple[Unreadable, ...]


@dataclass(frozen=True, slots=True)
class Sink:
    """A sink whose key is a name imported from another module: resolved after the per-file
    pass (scanner/analyse/crossfile.py). ``imported`` is the name in that module (None: the
    module itself, as a default import, a require or a namespace), ``attributes`` the rest."""

    path: str
    line: int
    rule_id: str
    reference: str  # as the code writes it: config.secret, settings.JWT_SECRET
    module: str  # the import's specifier: '../config/auth.config', 'config', '.settings'
    imported: str | None
    attributes: tuple[str, ...]
    commit: Commit | None = None


@dataclass(frozen=True, slots=True)
class ScanResult:
    findings: tuple[Finding, ...]
    stats: Stats
    sinks: tuple[Sink, ...] = ()  # references at sinks left for the cross-file step

    @property
    def complete(self) -> bool:
        """False when some input could not be read: no clean verdict is possible."""
        return not self.stats.unreadable
