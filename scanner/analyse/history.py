"""History audits: one finding per secret, attributed to the commit that introduced it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone

from scanner.findings import SECRET_KINDS, Commit, Finding, Fix, Occurrence, normalise_secret

_HISTORY_ONLY = (
    "history-only: removing it from the code did not remove it from the history, so anyone "
    "with a clone still has it: rotate the key"
)


def attribute(
    findings: Sequence[Finding],
    head_tree: Callable[[], Mapping[str, str]],
    now: datetime | None = None,
) -> tuple[Finding, ...]:
    """Group findings of the same secret, name who committed it first and whether HEAD has it
    (``head_tree``: HEAD's paths and blob ids, asked for only when there are findings)."""
    if not findings:
        return ()
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        # File-level findings (.env files) have no secret: their identity is the path.
        identity = normalise_secret(finding.secret) or f"path:{finding.path}"
        groups.setdefault((finding.rule_id, identity), []).append(finding)
    head = head_tree()
    at_head = set(head.values())

    def order(finding: Finding) -> tuple[bool, float, str, int]:
        entered = _entered(finding.commit)
        stamp = entered.timestamp() if entered else float("inf")
        return finding.commit is None, stamp, finding.path, finding.line or 0

    result = []
    for group in groups.values():
        first, *rest = sorted(group, key=order)
        # File-level findings (.env files) have no blob: HEAD has them when it has the path.
        present = any(f.blob in at_head if f.blob else f.path in head for f in group)
        # Judged by place once the settings apply (analyse.blocking): not yet.
        occurrences = tuple(dataclasses.replace(Occurrence.of(f), blocking=None) for f in rest)
        message = first.message if present else f"{first.message}; {_HISTORY_ONLY}"
        age = _age_days(first.commit, now) if present and first.kind in SECRET_KINDS else None
        result.append(
            dataclasses.replace(
                first,
                at_head=present,
                occurrences=occurrences,
                message=message,
                age_days=age,
            )
        )
    result.sort(key=lambda f: (f.path, f.line or 0, f.rule_id))
    return tuple(result)


def _entered(commit: Commit | None) -> datetime | None:
    """When the commit was authored; None when no date can hold it (a year after 9999)."""
    if commit is None:
        return None
    try:
        return datetime.fromisoformat(commit.date)
    except ValueError:
        return None


def _age_days(commit: Commit | None, now: datetime | None) -> int | None:
    entered = _entered(commit)
    if entered is None:
        return None
    return max(0, ((now or datetime.now(timezone.utc)) - entered).days)


def stale_keys(findings: Sequence[Finding], max_age_days: int) -> tuple[Finding, ...]:
    """A ``stale-key`` finding for each key still in HEAD that is older than ``max_age_days``."""
    return tuple(
        dataclasses.replace(
            finding,
            rule_id="stale-key",
            kind="stale-key",
            severity="medium",
            message=(
                f"Key in use for {finding.age_days} days, more than the maximum of "
                f"{max_age_days}: rotate it"
            ),
            reasons=(f"first committed {finding.commit.date if finding.commit else 'unknown'}",),
            remediation=Fix(
                "Rotate it on a schedule: a shorter key life shortens the window of any leak.",
                command=finding.remediation.command,
                variable=finding.remediation.variable,
            ),
            occurrences=(),
            signs=(),
        )
        for finding in findings
        if finding.age_days is not None and finding.age_days > max_age_days
    )
