"""The terminal report: grouped by file, one block per finding, a summary line."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import TYPE_CHECKING

from scanner.findings import Finding
from scanner.report.wording import also, context_note, shown, summary

if TYPE_CHECKING:
    from scanner.findings import ScanResult

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
_Paint = Callable[[str, str], str]
_MAX_PLACES = 10  # other places listed under a finding; JSON and SARIF list them all
_ADVICE = (
    "To fix: replace each key with a new one of at least 256 bits (jwtscan generate, or "
    "python -c 'import secrets; print(secrets.token_hex(64))'), read it from an environment "
    "variable that the application checks at start-up, and keep .env out of git. Rotate every "
    "reported key: tokens signed with it stay valid until it is replaced, and rewriting git "
    "history does not revoke a key that was already cloned."
)


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    for path, group in groupby(result.findings, key=lambda f: f.path):
        out.append(paint(shown(path), _BOLD))
        for finding in group:
            out.extend(_block(finding, show_secrets, paint))
        out.append("")
    stats = result.stats
    out.extend(
        f"skipped {shown(s.path)}: {s.size} bytes, over --max-file-size"
        for s in stats.skipped
        if s.reason == "too-large"
    )
    for unreadable in stats.unreadable:
        message = f"error: cannot read {shown(unreadable.path)}: {shown(unreadable.error)}"
        out.append(paint(message, _COLORS["high"]))
    out.append(summary(result))
    if result.findings:
        out.append(_ADVICE)
    return "\n".join(out) + "\n"


def _block(finding: Finding, show_secrets: bool, paint: _Paint) -> list[str]:
    where = f"{finding.line}:{finding.column}" if finding.line is not None else "-"
    secret = finding.secret if show_secrets else finding.redacted
    if "\n" in secret:
        secret = finding.redacted  # a PEM block stays one line even when shown
    secret = shown(secret)
    severity = paint(f"{finding.severity:<8}", _COLORS[finding.severity])
    fix = finding.remediation
    lines = [f"  {where:<8} {severity} {finding.kind}  [{finding.rule_id}]"]
    if finding.secret:
        lines.append(f"           secret  {secret}")
    lines.append(f"           why     {shown('; '.join(finding.reasons))}")
    if note := context_note(finding):
        lines.append(f"           context {note.removeprefix('Context: ')}")
    if finding.signs:
        lines.append(f"           signs   token(s) at {shown(', '.join(finding.signs))}: verified")
    if finding.commit is not None:
        commit = finding.commit
        author = shown(f"{commit.author} <{commit.email}>")
        lines.append(f"           commit  {commit.sha[:12]} {author} {commit.date}")
    if finding.at_head is not None:
        state = (
            "still in HEAD"
            if finding.at_head
            else "history-only: rotate it, deleting it was not enough"
        )
        seen = f"; in use for {finding.age_days} days" if finding.age_days is not None else ""
        lines.append(f"           where   {state}{seen}")
    if finding.occurrences:
        others = len(finding.occurrences)
        lines.append(f"           also    {others} other place(s), the same value:")
        lines.extend(f"                   {place}" for place in also(finding, _MAX_PLACES))
    lines.append(f"           fix     {shown(fix.summary)}")
    if fix.code:
        lines.append(f"           code    {shown(fix.code)}")
    if fix.command:
        lines.append(f"           run     {shown(fix.command)}")
    return lines
