"""Findings the user allowed: an inline allow comment, a disabled rule id, an allowed value."""

from __future__ import annotations

import re
from collections.abc import Iterable

from scanner.findings import Finding, normalise_secret
from scanner.positions import Lines

_COMMENT = re.compile(
    r"jwtscan:allow(?:[ \t]+(?P<ids>[a-z0-9-]+(?:[ \t]*,[ \t]*[a-z0-9-]+)*))?"
    r"|pragma: allowlist secret|gitleaks:allow"
)


def allowed_inline(lines: Lines, rule_id: str, *line_numbers: int) -> bool:
    """Whether an allow comment on one of these lines, or the line above one, covers
    ``rule_id`` (a comment that names no rule covers every rule)."""
    for number in {n for line in line_numbers for n in (line, line - 1) if n >= 1}:
        for match in _COMMENT.finditer(lines.text_of(number)):
            ids = match.group("ids")
            if ids is None or rule_id in {i.strip() for i in ids.split(",")}:
                return True
    return False


def kept(
    findings: Iterable[Finding], disabled: frozenset[str], values: Iterable[str]
) -> tuple[Finding, ...]:
    """The findings of enabled rules whose value the configuration does not allow."""
    allowed = {normalise_secret(v) for v in values}
    return tuple(
        f
        for f in findings
        if f.rule_id not in disabled and not (f.secret and normalise_secret(f.secret) in allowed)
    )
