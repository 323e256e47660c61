"""What every report says about a finding without its value, and how repository text is shown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from scanner.findings import CONTEXTS, SEVERITIES, Finding, Occurrence, ScanResult

_SCRUB_MIN_LENGTH = 8
_REDACTED = re.compile(r"\s*\(?[^\n]{0,4}…\([^()\n]{1,16} bytes\)\)?")  # findings.redact
_HISTORY_ONLY = "history-only: gone from HEAD, still in every clone, so rotate the key"
# What a terminal, a CI log or a viewer would act on instead of showing: C0 and C1 controls,
# DEL, bidirectional overrides and isolates ("Trojan Source"), line and paragraph separators,
# and the surrogate escapes that stand for bytes a path holds that are not UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def shown(text: str) -> str:
    """Repository text (paths, names, rule messages) made inert: unsafe characters escaped.

    An undecodable byte of a path shows as ``\\xff``; a control character as ``\\x1b``,
    ``\\n``, ``\\u202e``.
    """
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
    return shown(_REDACTED.sub("", text))


def location(where: Finding | Occurrence) -> str:
    path = shown(where.path)
    return path if where.line is None else f"{path}:{where.line}"


def place(occurrence: Occurrence) -> str:
    """``tests/test_app.py:4:9``: where an occurrence is (its commit, in a history audit)."""
    where = shown(occurrence.path)
    if occurrence.line is not None:
        where += f":{occurrence.line}"
        if occurrence.column is not None:
            where += f":{occurrence.column}"
    if occurrence.commit is not None:
        where += f" (commit {occurrence.commit.sha[:12]})"
    return where


def judged(occurrence: Occurrence) -> str:
    """``test, reported only``: how a place was judged on its own; empty when not recorded."""
    verdict = {True: "blocking", False: "reported only", None: ""}[occurrence.blocking]
    return ", ".join(part for part in (occurrence.context or "", verdict) if part)


def also(finding: Finding, limit: int | None = None) -> list[str]:
    """One line per other place of the same value: where, its rule when another, how it was
    judged; past ``limit`` places a line says how many more."""
    shown_places = finding.occurrences if limit is None else finding.occurrences[:limit]
    lines = []
    for occurrence in shown_places:
        line = place(occurrence)
        if note := judged(occurrence):
            line += f" ({note})"
        if occurrence.rule_id not in (None, finding.rule_id):
            line += f" [{occurrence.rule_id}]"
        lines.append(line)
    if more := len(finding.occurrences) - len(shown_places):
        lines.append(f"and {more} more place(s)")
    return lines


def also_sentence(finding: Finding, limit: int = 10) -> str:
    """``The same value is also at tests/a.py:4 (test, reported only), ...``; empty when alone."""
    if not finding.occurrences:
        return ""
    return f"The same value is also at {'; '.join(also(finding, limit))}. Fix every place."


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def annotation(finding: Finding, findings: Sequence[Finding]) -> str:
    """One line: the kind and reason, then the fix, then the context when not app code; never
    a secret value."""
    fix = scrub(finding.remediation.summary, finding.secret)
    line = f"{sentence(public_message(finding, findings))} Fix: {fix}"
    return f"{line} {sentence(context_note(finding))}" if context_note(finding) else line


def context_note(finding: Finding) -> str:
    """``Context: test (path tests/): reported only, not blocking``; empty for blocking app
    code (the default, said nowhere)."""
    if finding.context == "app" and finding.blocking:
        return ""
    evidence = f" ({', '.join(finding.context_reasons)})" if finding.context_reasons else ""
    verdict = "blocking" if finding.blocking else "reported only, not blocking"
    return shown(f"Context: {finding.context}{evidence}: {verdict}")


def headline(findings: Sequence[Finding]) -> str:
    """How many findings (at how many places, when a value repeats), of which severities, in
    how many files; or ``no findings``."""
    if not findings:
        return "no findings"
    counts = ", ".join(
        f"{n} {s}" for s in reversed(SEVERITIES) if (n := sum(f.severity == s for f in findings))
    )
    paths = {f.path for f in findings} | {o.path for f in findings for o in f.occurrences}
    files = f"in {len(paths)} file(s)"
    places = sum(f.places for f in findings)
    found = f"{len(findings)} finding(s)"
    if places > len(findings):
        found += f" at {places} places"
    reported = [f for f in findings if not f.blocking]
    if not reported:
        return f"{found} ({counts}) {files}"
    blocking = len(findings) - len(reported)
    split = f"{blocking} blocking, {len(reported)} reported only: {by_context(reported)}"
    return f"{found} ({split}; {counts}) {files}"


def by_context(findings: Sequence[Finding]) -> str:
    """``7 test, 2 docs``: how many findings in each context, in the contexts' order."""
    return ", ".join(f"{n} {c}" for c in CONTEXTS if (n := sum(f.context == c for f in findings)))


def summary(result: ScanResult) -> str:
    """The line every report ends or begins with: counts, files scanned, skips; INCOMPLETE
    when a file could not be read."""
    stats = result.stats
    reasons = Counter(s.reason for s in stats.skipped)
    skips = ", ".join(f"{n} {reason} skipped" for reason, n in sorted(reasons.items()))
    notes = f"; {skips}" if skips else ""
    if stats.unreadable:
        notes += f"; {len(stats.unreadable)} unreadable: INCOMPLETE"
    scanned = f"{stats.files} file(s) scanned in {stats.seconds:.2f}s"
    return f"{headline(result.findings)}; {scanned}{notes}"
