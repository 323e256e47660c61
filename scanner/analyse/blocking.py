"""Which findings fail the run: by kind, strength and context together.

A finding in application code or deployment config blocks; one in a test, example, docs,
vendored or generated file is reported (audits keep it, with its context) but does not fail the
run, unless the settings name its context (``fail-contexts``, ``--strict``). Two exceptions, for
trust: a value no one can guess that is also in an app or config file blocks wherever it is
(a "test" key that is the production key is not a test key), and a forgeable or unsigned token
or a private key blocks anywhere but in tests and docs (vendored, example or generated code
ships).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from scanner.findings import (
    BLOCKING_CONTEXTS,
    Context,
    Finding,
    FindingKind,
    normalise_secret,
)

_ALWAYS_SHIPPED: frozenset[FindingKind] = frozenset(
    {"jwt-forgeable-token", "jwt-unsigned-token", "private-key"}
)
_NOT_SHIPPED: frozenset[Context] = frozenset({"test", "docs"})


def mark_blocking(
    findings: tuple[Finding, ...], fail_contexts: Iterable[Context] = ()
) -> tuple[Finding, ...]:
    """``findings`` with ``blocking`` set under the active settings, and on each occurrence a
    history audit lists (a finding blocks when one of its places does)."""
    blocking = BLOCKING_CONTEXTS | frozenset(fail_contexts)
    # Only values no one can guess, as in the reuse analysis: 'changeme' in a test and in app
    # code says nothing about the test (and the app one blocks anyway).
    in_app = {
        normalise_secret(f.secret)
        for f in findings
        if f.by_value
        and (f.context in blocking or any(o.context in blocking for o in f.occurrences))
    }
    return tuple(_with_places(_marked(f, blocking, in_app), blocking, in_app) for f in findings)


def _marked(finding: Finding, blocking: frozenset[Context], in_app: set[str]) -> Finding:
    why = _why(finding, finding.context, blocking, in_app)
    if why is None:
        return replace(finding, blocking=False)
    if not why:
        return replace(finding, blocking=True)
    return replace(finding, blocking=True, reasons=(*finding.reasons, why))


def _why(
    finding: Finding, context: Context, blocking: frozenset[Context], in_app: set[str]
) -> str | None:
    """Why a place of ``finding`` in ``context`` blocks: '' for its context alone, a reason
    for an exception, None when it does not block."""
    if context in blocking:
        return ""
    if finding.kind in _ALWAYS_SHIPPED and context not in _NOT_SHIPPED:
        return f"blocks in {context} code too: {finding.kind.replace('-', ' ')}"
    if finding.by_value and normalise_secret(finding.secret) in in_app:
        return "blocks: the same value is also in application code or config"
    return None


def _with_places(finding: Finding, blocking: frozenset[Context], in_app: set[str]) -> Finding:
    """Each occurrence judged like a finding of its own; the finding blocks when one does."""
    if not finding.occurrences:
        return finding
    places = tuple(
        place
        if place.context is None
        else replace(place, blocking=_why(finding, place.context, blocking, in_app) is not None)
        for place in finding.occurrences
    )
    first = next((p for p in places if p.blocking), None)
    if finding.blocking or first is None:
        return replace(finding, occurrences=places)
    where = f"{first.path}:{first.line}" if first.line is not None else first.path
    return replace(
        finding,
        occurrences=places,
        blocking=True,
        reasons=(*finding.reasons, f"blocks: the same value is also at {where} ({first.context})"),
    )
