"""One key per environment and per purpose: report a secret value found in several places."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.findings import Finding, FindingKind, Fix, normalise_secret

# The order says which environment a report is placed in: the most sensitive first.
_ENVIRONMENTS = (
    ("production", r"prod|production|prd|live"),
    ("staging", r"staging|stage|stg|preprod|uat"),
    ("qa", r"qa"),
    ("test", r"test|tests|testing|spec|specs|fixtures?|e2e"),
    ("development", r"dev|develop|development|local"),
)
_ENVIRONMENT_PATTERNS = tuple(
    (name, re.compile(rf"(?:^|[/._-])(?:{words})(?=$|[/._-])", re.IGNORECASE))
    for name, words in _ENVIRONMENTS
)
_PURPOSES = (
    ("refresh tokens", re.compile(r"REFRESH", re.IGNORECASE)),
    ("access tokens", re.compile(r"ACCESS", re.IGNORECASE)),
    ("session cookies", re.compile(r"SESSION|COOKIE|SECRET_KEY_BASE", re.IGNORECASE)),
    ("JWT signing", re.compile(r"JWT|TOKEN|SIGNING", re.IGNORECASE)),
)
_ROTATE = (
    "Give each environment and each purpose its own key (jwtscan generate), so that a leak of "
    "one (a developer laptop, a test fixture) does not expose the others; rotate the shared key."
)


def environment_of(path: str) -> str | None:
    """The environment a file configures, inferred from its path; None when it does not say."""
    for name, pattern in _ENVIRONMENT_PATTERNS:
        if pattern.search(path):
            return name
    return None


def purpose_of(name: str | None) -> str | None:
    """What a key is for, from the name it is bound to (JWT_REFRESH_SECRET: refresh tokens)."""
    if not name:
        return None
    for purpose, pattern in _PURPOSES:
        if pattern.search(name):
            return purpose
    return None


@dataclass(frozen=True, slots=True)
class _Use:
    finding: Finding
    environment: str | None
    purpose: str | None


def find_reuse(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings for secret values shared by environments or by purposes.

    Values are grouped by a keyed hash made for this run only: the raw value is not kept as a
    key, and nothing derived from it reaches the output. Only random keys count: a weak key
    (``changeme`` in two files) is already critical wherever it is, and sharing a dictionary
    word says nothing about a team's key handling.
    """
    run_key = secrets.token_bytes(32)
    groups: dict[bytes, list[_Use]] = {}
    for finding in findings:
        if finding.kind != "hardcoded-secret":
            continue
        digest = hmac.digest(run_key, normalise_secret(finding.secret).encode(), hashlib.sha256)
        use = _Use(finding, environment_of(finding.path), purpose_of(finding.name))
        groups.setdefault(digest, []).append(use)
    reports: list[Finding] = []
    for uses in groups.values():
        places = {(u.finding.path, u.finding.line) for u in uses}
        if len(places) < 2:
            continue
        environments = sorted({u.environment for u in uses if u.environment}, key=_rank)
        purposes = sorted({u.purpose for u in uses if u.purpose})
        if len(environments) >= 2:
            reports.append(_report(uses, environments, "environments"))
        if len(purposes) >= 2:
            reports.append(_report(uses, purposes, "purposes"))
    return tuple(reports)


def _rank(environment: str) -> int:
    return [name for name, _ in _ENVIRONMENTS].index(environment)


def _report(uses: list[_Use], shared_by: list[str], what: str) -> Finding:
    anchor = min(
        uses, key=lambda u: (_rank(u.environment) if u.environment else 99, u.finding.path)
    )
    where = ", ".join(
        f"{u.finding.path}:{u.finding.line}"
        + (f" ({u.environment or u.purpose})" if (u.environment or u.purpose) else "")
        for u in sorted(uses, key=lambda u: (u.finding.path, u.finding.line or 0))
    )
    environments = what == "environments"
    kind: FindingKind = (
        "secret-reused-across-environments" if environments else "secret-reused-across-purposes"
    )
    finding = anchor.finding
    return Finding(
        rule_id=kind,
        kind=kind,
        severity="high" if environments else "medium",
        path=finding.path,
        line=finding.line,
        column=finding.column,
        end_line=finding.end_line,
        end_column=finding.end_column,
        secret=finding.secret,
        message=f"The same key is used by {len(shared_by)} {what}: {', '.join(shared_by)}",
        reasons=(f"found at {where}",),
        remediation=Fix(
            _ROTATE,
            command=finding.remediation.command,
            variable=finding.remediation.variable,
        ),
        strength=finding.strength,  # a guessable value stays out of the fingerprint
        commit=finding.commit,
        name=finding.name,
        context=finding.context,
        context_reasons=finding.context_reasons,
    )
