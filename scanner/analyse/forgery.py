"""Offline proof of forgery: try every HS* token against the keys found and the weak keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scanner.detect.jwt import KeyRing, Token, parse
from scanner.detect.weak import WeakKeys
from scanner.findings import SECRET_KINDS, Finding, redact

# Key trials (one HMAC each) per scan: a few seconds. A file of thousands of distinct tokens
# must not hold a commit hook for minutes; the tokens left untried are still reported, and say so.
CRACK_BUDGET = 2_000_000


def crack_tokens(
    findings: Sequence[Finding],
    weak: WeakKeys,
    *,
    show_secrets: bool = False,
    budget: int = CRACK_BUDGET,
) -> tuple[Finding, ...]:
    """Turn each token signed with a known key into a ``jwt-forgeable-token`` finding.

    Keys tried, in order: every secret value found in this scan (so the report can say which
    key signs the token), then the weak-key dictionary with its spellings and --wordlist entries.
    Each distinct token is tried once, and at most ``budget`` keys are tried in all: a token
    past the budget keeps its finding, with a reason saying it was not tried.
    """
    found_keys: dict[bytes, Finding] = {}
    for finding in findings:
        if finding.kind in SECRET_KINDS:
            found_keys.setdefault(finding.secret.encode(), finding)
    tokens: dict[str, Token] = {}
    token_of: dict[int, Token] = {}  # finding id -> its token, parsed once
    for finding in findings:
        token = parse(finding.secret) if finding.kind == "jwt-token" else None
        if token is not None and token.crackable:
            token_of[id(finding)] = tokens.setdefault(token.raw, token)
    results, untried = _crack_all(tuple(tokens.values()), found_keys, weak, budget)
    signs: dict[int, list[str]] = {}
    out: list[Finding] = []
    for finding in findings:
        token = token_of.get(id(finding))
        if token is None:
            out.append(finding)
            continue
        if token.raw in untried:
            note = (
                f"its signing key was not searched for: this scan's budget of {budget:,} key "
                "trials was spent on other tokens (check it with: jwtscan token)"
            )
            out.append(replace(finding, reasons=(*finding.reasons, note)))
            continue
        hit = results.get(token.raw)
        if hit is None:
            out.append(finding)
            continue
        key, source = hit
        where = f"{finding.path}:{finding.line}"
        value = key.decode(errors="replace")
        if source is not None:
            shown = value if show_secrets else source.redacted
            signs.setdefault(id(source), []).append(where)
            origin = f"signed with the key at {source.path}:{source.line} ({shown})"
        else:
            origin = f"signed with a known weak key ({value if show_secrets else redact(value)})"
        out.append(
            replace(
                finding,
                kind="jwt-forgeable-token",
                severity="critical",
                message=f"Forgeable JWT: {origin}; anyone can mint tokens this system accepts",
                reasons=(origin, *finding.reasons),
            )
        )
    return tuple(replace(f, signs=(*f.signs, *signs[id(f)])) if id(f) in signs else f for f in out)


def _crack_all(
    tokens: tuple[Token, ...], found_keys: dict[bytes, Finding], weak: WeakKeys, budget: int
) -> tuple[dict[str, tuple[bytes, Finding | None]], frozenset[str]]:
    """(what signs each token, the tokens left untried). The keys found are tried on every
    token first (they are few and name the place of the key), then the dictionary."""
    results: dict[str, tuple[bytes, Finding | None]] = {}
    untried: set[str] = set()
    remaining = budget
    for keys in (KeyRing(found_keys), KeyRing(weak.candidates)):
        for token in tokens:
            if token.raw in results or token.raw in untried:
                continue
            if len(keys) > remaining:
                untried.add(token.raw)
                continue
            remaining -= len(keys)
            key = keys.find(token)
            if key is not None:
                results[token.raw] = (key, found_keys.get(key))
    return results, frozenset(untried)
