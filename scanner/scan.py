"""Drive a scan: items from a source through detection into one result."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.detect import Ruleset, detect
from scanner.dotenv import EnvFile, env_file_finding
from scanner.findings import Finding, Fragment
from scanner.forgery import crack_tokens
from scanner.sources import Item, Skipped, Unreadable


@dataclass(frozen=True, slots=True)
class Stats:
    files: int  # scanned
    bytes: int
    seconds: float
    skipped: tuple[Skipped, ...]
    unreadable: tuple[Unreadable, ...]


@dataclass(frozen=True, slots=True)
class ScanResult:
    findings: tuple[Finding, ...]
    stats: Stats

    @property
    def complete(self) -> bool:
        """False when some input could not be read: no clean verdict is possible."""
        return not self.stats.unreadable


def scan(
    items: Iterable[Item], ruleset: Ruleset, *, crack: bool = True, show_secrets: bool = False
) -> ScanResult:
    """Detect in every item; then try the tokens found against the keys found (``crack``)."""
    started = time.perf_counter()
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    unreadable: list[Unreadable] = []
    files = size = 0
    for item in items:
        match item:
            case Fragment():
                files += 1
                size += len(item.text)
                findings.extend(detect(item, ruleset))
            case Skipped():
                skipped.append(item)
            case Unreadable():
                unreadable.append(item)
            case EnvFile():
                findings.append(env_file_finding(item))
    if crack:
        findings = list(crack_tokens(findings, ruleset.weak, show_secrets=show_secrets))
    findings.sort(key=lambda f: (f.path, f.line or 0, f.column or 0, f.rule_id))
    stats = Stats(files, size, time.perf_counter() - started, tuple(skipped), tuple(unreadable))
    return ScanResult(tuple(findings), stats)
