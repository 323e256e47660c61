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
    """``findings`` with ``blocking`` set under the active settings."""
    blocking = BLOCKING_CONTEXTS | frozenset(fail_contexts)
    # Only values no one can guess, as in the reuse analysis: 'changeme' in a test and in app
    # code says nothing about the test (and the app one blocks anyway).
    in_app = {normalise_secret(f.secret) for f in findings if f.by_value and f.context in blocking}
    return tuple(_marked(f, blocking, in_app) for f in findings)


def _marked(finding: Finding, blocking: frozenset[Context], in_app: set[str]) -> Finding:
    if finding.context in blocking:
        return replace(finding, blocking=True)
    if finding.kind in _ALWAYS_SHIPPED and finding.context not in _NOT_SHIPPED:
        why = f"blocks in {finding.context} code too: {finding.kind.replace('-', ' ')}"
    elif finding.by_value and normalise_secret(finding.secret) in in_app:
        why = "blocks: the same value is also in application code or config"
    else:
        return replace(finding, blocking=False)
    return replace(finding, blocking=True, reasons=(*finding.reasons, why))
