"""Offline proof of forgery: try every HS* token against the keys found and the weak keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scanner.findings import SECRET_KINDS, Finding, redact
from scanner.jwt import Token, crack, parse
from scanner.secrets import WeakKeys


def crack_tokens(
    findings: Sequence[Finding], weak: WeakKeys, *, show_secrets: bool = False
) -> tuple[Finding, ...]:
    """Turn each token signed with a known key into a ``jwt-forgeable-token`` finding.

    Keys tried, in order: every secret value found in this scan (so the report can say which
    key signs the token), then the weak-key dictionary with its spellings and --wordlist entries.
    Each distinct token is tried once. A secret that verifiably signs a token lists it in
    ``signs``.
    """
    found_keys: dict[bytes, Finding] = {}
    for finding in findings:
        if finding.kind in SECRET_KINDS:
            found_keys.setdefault(finding.secret.encode(), finding)
    results: dict[str, tuple[bytes, Finding | None] | None] = {}
    signs: dict[int, list[str]] = {}
    out: list[Finding] = []
    for finding in findings:
        token = parse(finding.secret) if finding.kind == "jwt-token" else None
        if token is None or not token.crackable:
            out.append(finding)
            continue
        if token.raw not in results:
            results[token.raw] = _crack(token, found_keys, weak)
        hit = results[token.raw]
        if hit is None:
            out.append(finding)
            continue
        key, source = hit
        where = f"{finding.path}:{finding.line}"
        shown = (
            key.decode(errors="replace") if show_secrets else redact(key.decode(errors="replace"))
        )
        if source is not None:
            signs.setdefault(id(source), []).append(where)
            origin = f"signed with the key at {source.path}:{source.line} ({shown})"
        else:
            origin = f"signed with a known weak key ({shown})"
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


def _crack(
    token: Token, found_keys: dict[bytes, Finding], weak: WeakKeys
) -> tuple[bytes, Finding | None] | None:
    key = crack(token, found_keys)
    if key is not None:
        return key, found_keys[key]
    key = crack(token, weak.candidates)
    return (key, None) if key is not None else None
