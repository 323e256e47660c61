"""The JSON report: a versioned, documented schema (see README, "JSON report")."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.findings import SEVERITIES, Commit, Finding, Occurrence

if TYPE_CHECKING:
    from scanner.findings import ScanResult

SCHEMA_VERSION = 1
# Lone surrogates: the bytes of a path that are not UTF-8, decoded with surrogateescape.
_SURROGATE = re.compile("[\ud800-\udfff]")


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del color  # machines get no colour
    stats = result.stats
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "jwtscan", "version": __version__},
        "complete": result.complete,
        "findings": [_finding(f, show_secrets) for f in result.findings],
        "stats": {
            "files_scanned": stats.files,
            "bytes_scanned": stats.bytes,
            "seconds": round(stats.seconds, 3),
            "findings": len(result.findings),
            "places": sum(f.places for f in result.findings),
            "blocking": sum(f.blocking for f in result.findings),
            "by_severity": {
                s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITIES
            },
            "skipped": [
                {"path": s.path, "reason": s.reason, "size": s.size} for s in stats.skipped
            ],
            "unreadable": [{"path": u.path, "error": u.error} for u in stats.unreadable],
        },
    }
    return dumps(document)


def dumps(document: object) -> str:
    """JSON text that any encoder can write: lone surrogates become ``\\udcXX`` escapes.

    A path byte that is not UTF-8 (0xff) is the escape of its surrogateescape code point
    (``\\udcff``), so ``os.fsencode`` of the decoded string gives the original bytes back.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _finding(finding: Finding, show_secrets: bool) -> dict[str, Any]:
    strength = finding.strength
    return {
        "rule": finding.rule_id,
        "kind": finding.kind,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "secret": None
        if not finding.secret
        else finding.secret
        if show_secrets
        else finding.redacted,
        "fingerprint": finding.fingerprint,
        "context": finding.context,
        "context_reasons": list(finding.context_reasons),
        "blocking": finding.blocking,
        "strength": None
        if strength is None
        else {
            "length": strength.length,
            "entropy": strength.entropy,
            "bits": strength.bits,
            "algorithm": strength.algorithm,
            "required_bits": strength.required_bits,
            "meets_rfc7518": strength.meets_rfc7518,
        },
        "commit": _commit(finding.commit),
        "at_head": finding.at_head,
        "age_days": finding.age_days,
        "occurrences": [_occurrence(o) for o in finding.occurrences],
        "token": dict(finding.token) or None,
        "signs": list(finding.signs),
        "message": finding.message,
        "reasons": list(finding.reasons),
        "remediation": {
            "summary": finding.remediation.summary,
            "code": finding.remediation.code,
            "command": finding.remediation.command,
            "rotate": finding.remediation.rotate,
            "variable": finding.remediation.variable,
        },
    }


def _occurrence(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "path": occurrence.path,
        "line": occurrence.line,
        "commit": _commit(occurrence.commit),
        "column": occurrence.column,
        "end_line": occurrence.end_line,
        "end_column": occurrence.end_column,
        "rule": occurrence.rule_id,
        "severity": occurrence.severity,
        "context": occurrence.context,
        "context_reasons": list(occurrence.context_reasons),
        "blocking": occurrence.blocking,
    }


def _commit(commit: Commit | None) -> dict[str, str] | None:
    if commit is None:
        return None
    return {"sha": commit.sha, "author": commit.author, "email": commit.email, "date": commit.date}
