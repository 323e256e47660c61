"""SARIF 2.1.0 for code scanning; also the public wording every shared report uses."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scanner import __version__
from scanner.findings import Finding, FindingKind, Occurrence, Severity, severity_rank

if TYPE_CHECKING:
    from scanner.scan import ScanResult

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "jwtscan/v1"
LEVELS: dict[Severity, str] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
}
# GitHub code scanning ranks security alerts by this score (CVSS scale, as a string).
SECURITY_SEVERITY: dict[Severity, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.0",
    "low": "3.0",
}

# One wording per kind: (short description, full description, CWE ids).
KIND_TEXT: dict[FindingKind, tuple[str, str, tuple[int, ...]]] = {
    "weak-secret": (
        "Weak signing key hardcoded",
        "A hardcoded signing key that can be guessed: a dictionary key, words and digits, or "
        "shorter than RFC 7518 section 3.2 requires. Anyone can sign tokens the application "
        "accepts.",
        (798, 321, 1391),
    ),
    "hardcoded-secret": (
        "Signing key hardcoded",
        "A random-looking signing key committed to the repository: everyone with a clone, and "
        "everyone who ever had one, can sign tokens the application accepts.",
        (798, 321),
    ),
    "private-key": (
        "Private key committed",
        "A private signing key (PEM block or JWK) in the repository: everyone with a clone can "
        "sign as its owner.",
        (798, 321),
    ),
    "jwt-token": (
        "JWT committed",
        "A JSON Web Token in the repository is a credential until it expires, and for good "
        "when it has no expiry.",
        (798,),
    ),
    "jwt-unsigned-token": (
        "Unsigned JWT committed",
        "A token with alg 'none' carries no signature: a verifier that accepts it accepts "
        "anything.",
        (347,),
    ),
    "jwt-forgeable-token": (
        "Forgeable JWT committed",
        "A token signed with a key that is found in the repository or is a known weak key: "
        "anyone can mint tokens this system accepts.",
        (798, 347),
    ),
    "jwt-insecure-verification": (
        "Insecure JWT verification",
        "Code that accepts unsigned tokens or skips the signature check: anyone can forge "
        "claims (user id, roles, expiry).",
        (347,),
    ),
    "env-file-tracked": (
        "Environment file tracked by git",
        "A .env file in the repository: everyone with a clone has its values.",
        (540,),
    ),
    "env-file-unignored": (
        "Environment file not ignored by git",
        "A .env file that git does not ignore: the next 'git add .' commits its values.",
        (540,),
    ),
    "env-file-in-history": (
        "Environment file in the git history",
        "A .env file gone from HEAD but still in the history: every clone has its values.",
        (540,),
    ),
}

_SCRUB_MIN_LENGTH = 8
_REDACTED = re.compile(r"\s*\(?[^\n]{0,4}…\([^()\n]{1,16} bytes\)\)?")  # findings.redact
_HISTORY_ONLY = "history-only: gone from HEAD, still in every clone, so rotate the key"


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del color
    run: dict[str, Any] = {
        "tool": {"driver": _driver(result.findings)},
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(result)],
        "results": [_result(f, result.findings, show_secrets) for f in result.findings],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def public_message(finding: Finding, findings: Sequence[Finding]) -> str:
    """What the finding is and why, without its value: safe for public annotations."""
    if finding.kind != "jwt-forgeable-token":
        return scrub(finding.message, finding.secret)
    # The scan's message names the signing key (redacted or, with --show-secrets, raw).
    origin = "a known weak key"
    if "signed with a known weak key" not in finding.message:
        origin = _signing_key(finding, findings)
    message = f"Forgeable JWT: signed with {origin}; anyone can mint tokens this system accepts"
    if finding.at_head is False:
        message = f"{message}; {_HISTORY_ONLY}"
    return scrub(message, finding.secret)


def _signing_key(token: Finding, findings: Sequence[Finding]) -> str:
    """Where the key that signs ``token`` is: the scan's message names it, so does ``signs``."""
    where = f"{token.path}:{token.line}"
    sources = [f for f in findings if where in f.signs]
    # Several keys can sign tokens on one line: the message names the right one.
    named = [f for f in sources if f" the key at {f.path}:{f.line} (" in token.message]
    source = next(iter(named or sources), None)
    return f"the key at {location(source)}" if source else "a key found in this repository"


def public_reasons(finding: Finding) -> tuple[str, ...]:
    """The finding's reasons without any part of a secret value."""
    reasons = finding.reasons[1:] if finding.kind == "jwt-forgeable-token" else finding.reasons
    return tuple(scrub(reason, finding.secret) for reason in reasons)


def scrub(text: str, secret: str) -> str:
    """Remove a secret value and any redacted prefix (``ab…(9 bytes)``) from ``text``."""
    # A short value (a weak 'key' or 'secret') is a common word of the advice: keep the words.
    if len(secret) >= _SCRUB_MIN_LENGTH:
        text = text.replace(secret, "[secret]")
    return printable(_REDACTED.sub("", text))


def printable(text: str) -> str:
    """Paths from git may hold undecodable bytes (surrogate escapes): show them as U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that no escape produced
        return text.encode("utf-8", "replace").decode("utf-8")


def location(finding: Finding) -> str:
    path = printable(finding.path)
    return path if finding.line is None else f"{path}:{finding.line}"


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def annotation(finding: Finding, findings: Sequence[Finding]) -> str:
    """One line: the kind and reason, then the fix; never a secret value."""
    fix = scrub(finding.remediation.summary, finding.secret)
    return f"{sentence(public_message(finding, findings))} Fix: {fix}"


def _representatives(findings: Sequence[Finding]) -> dict[str, Finding]:
    """The gravest finding of each rule id (the first on ties) speaks for its rule."""
    chosen: dict[str, Finding] = {}
    for finding in findings:
        best = chosen.get(finding.rule_id)
        if best is None or severity_rank(finding.severity) > severity_rank(best.severity):
            chosen[finding.rule_id] = finding
    return dict(sorted(chosen.items()))


def _driver(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "name": "jwtscan",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule_id, f) for rule_id, f in _representatives(findings).items()],
    }


def _rule(rule_id: str, finding: Finding) -> dict[str, Any]:
    short, full, cwes = KIND_TEXT[finding.kind]
    fix = finding.remediation
    help_text = " ".join(part for part in (fix.summary, fix.code, fix.command, fix.rotate) if part)
    return {
        "id": rule_id,
        "name": "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", rule_id)),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": scrub(help_text, finding.secret), "markdown": _help_markdown(finding)},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {
            "tags": [*_tags(finding.kind), *(f"external/cwe/cwe-{n}" for n in cwes)],
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "precision": "high",
        },
    }


def _tags(kind: FindingKind) -> list[str]:
    tags = ["security"]
    if kind != "jwt-insecure-verification":
        tags.append("secret")
    if not kind.startswith("env-file"):
        tags.append("jwt")
    return tags


def _help_markdown(finding: Finding) -> str:
    fix = finding.remediation
    parts = [f"**Fix:** {fix.summary}"]
    if fix.code:
        parts.append(f"```\n{fix.code}\n```")
    if fix.command:
        parts.append(f"Generate a new key:\n\n```sh\n{fix.command}\n```")
    if fix.rotate:
        parts.append(f"**Rotate:** {fix.rotate}")
    return scrub("\n\n".join(parts), finding.secret)


def _result(finding: Finding, findings: Sequence[Finding], show_secrets: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "message": {"text": annotation(finding, findings)},
        "locations": [{"physicalLocation": _physical(finding)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": _properties(finding, show_secrets),
    }
    related = [
        {
            "id": index,
            "physicalLocation": _physical(seen),
            "message": {"text": _seen(seen)},
        }
        for index, seen in enumerate(finding.occurrences, start=1)
    ]
    if related:
        result["relatedLocations"] = related
    return result


def _seen(occurrence: Occurrence) -> str:
    commit = occurrence.commit
    return "the same value, seen here" + (f" in commit {commit.sha[:12]}" if commit else "")


def _physical(where: Finding | Occurrence) -> dict[str, Any]:
    # File-level findings (.env files) get line 1: GitHub requires a startLine.
    region: dict[str, int] = {"startLine": where.line or 1}
    if isinstance(where, Finding) and where.line is not None:
        optional = {
            "startColumn": where.column,
            "endLine": where.end_line,
            "endColumn": where.end_column,
        }
        region.update({k: v for k, v in optional.items() if v is not None})
    return {"artifactLocation": {"uri": _uri(where.path)}, "region": region}


def _uri(path: str) -> str:
    """A relative URI reference: '/'-separated, percent-encoded (original bytes kept)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _properties(finding: Finding, show_secrets: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "kind": finding.kind,
        "severity": finding.severity,
        "reasons": list(public_reasons(finding)),
    }
    if finding.strength is not None:
        strength = finding.strength
        properties["strength"] = {
            "length": strength.length,
            "bits": strength.bits,
            "algorithm": strength.algorithm,
            "meetsRfc7518": strength.meets_rfc7518,
        }
    if finding.commit is not None:
        commit = finding.commit
        properties["commit"] = {"sha": commit.sha, "author": commit.author, "date": commit.date}
    if finding.at_head is not None:
        properties["atHead"] = finding.at_head
    if finding.signs:
        properties["signs"] = list(finding.signs)
    if finding.token:
        properties["token"] = dict(finding.token)
    if show_secrets and finding.secret:
        properties["secret"] = finding.secret
    return properties


def _invocation(result: ScanResult) -> dict[str, Any]:
    notifications = [
        {
            "level": "error",
            "message": {"text": f"cannot read the file: {u.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(u.path)}}}],
        }
        for u in result.stats.unreadable
    ]
    return {"executionSuccessful": result.complete, "toolExecutionNotifications": notifications}
