"""Repeats of one value: one finding per value, with every other place as an occurrence.

A key copied into app code, a test and the docs is one key to rotate, whatever rules caught it
and however many files hold it (a guessable value: wherever it sets the same variable). Each
place was judged on its own before (context, blocking, allow comments, the baseline), so a
place stays what it was; the group speaks through its most serious place and blocks when any
place does. Findings that have no value are about their place (code that skips verification,
a tracked ``.env`` file) and stay one per place, and the cross-finding analyses (keys shared by
environments or purposes) already speak for a value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from scanner.findings import (
    CONTEXTS,
    Finding,
    FindingKind,
    Occurrence,
    in_order,
    normalise_secret,
    severity_rank,
)

# Kinds that report a value: the same value anywhere is the same key or token.
VALUE_KINDS: frozenset[FindingKind] = frozenset(
    {
        "weak-secret",
        "hardcoded-secret",
        "private-key",
        "jwt-token",
        "jwt-unsigned-token",
        "jwt-forgeable-token",
    }
)


def group_repeats(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """``findings`` with each value reported once, at its most serious place, in report order."""
    groups: dict[tuple[str, ...], list[Finding]] = {}
    alone: list[Finding] = []
    for finding in findings:
        if finding.kind in VALUE_KINDS and finding.secret:
            groups.setdefault(_key(finding), []).append(finding)
        else:
            alone.append(finding)
    return in_order((*alone, *(_grouped(group) for group in groups.values())))


def _key(finding: Finding) -> tuple[str, ...]:
    """What makes two places one finding. A value no one can guess is one key wherever it is,
    whatever it is called. A guessable one (``changeme``) is the same weak key only where it
    sets the same thing: ``changeme`` as the session secret and as the JWT key are two keys to
    replace, each with a variable of its own."""
    value = normalise_secret(finding.secret)
    if finding.by_value:
        return ("value", value)
    return ("setting", value, finding.remediation.variable or finding.name or "")


def seriousness(finding: Finding) -> tuple[bool, int, int, str, int, int, str]:
    """Most serious first: blocking, then severity, then app and config before tests, docs and
    vendored code, then path and position."""
    return (
        not finding.blocking,
        -severity_rank(finding.severity),
        CONTEXTS.index(finding.context),
        finding.path,
        finding.line or 0,
        finding.column or 0,
        finding.rule_id,
    )


def _grouped(group: list[Finding]) -> Finding:
    if len(group) == 1:
        return group[0]
    first, *rest = sorted(group, key=seriousness)
    # A key's finding lists the tokens it signs: every place of the key signs them.
    signs = tuple(dict.fromkeys(s for f in (first, *rest) for s in f.signs))
    return dataclasses.replace(
        first,
        occurrences=(*first.occurrences, *(Occurrence.of(f) for f in rest)),
        signs=signs,
    )
