"""Drive a scan: items from a source through detection into one result."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from scanner.detect import Interrupted, Ruleset, RuleTimeout, detect
from scanner.dotenv import EnvFile, env_file_finding
from scanner.findings import Finding, Fragment
from scanner.forgery import crack_tokens
from scanner.reuse import find_reuse
from scanner.sources import Item, Skipped, Unreadable

# A file gets this many seconds, plus one per BUDGET_CHARS_PER_SECOND characters, for all rules.
BUDGET_SECONDS = 5.0
BUDGET_CHARS_PER_SECOND = 200_000


@contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """Interrupt a regex that runs past ``seconds`` (Python's re checks signals as it runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    items: Iterable[Item],
    ruleset: Ruleset,
    *,
    crack: bool = True,
    show_secrets: bool = False,
    budget_seconds: float | None = None,
) -> ScanResult:
    """Detect in every item; then try the tokens found against the keys found (``crack``)."""
    started = time.perf_counter()
    budget = BUDGET_SECONDS if budget_seconds is None else budget_seconds
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    unreadable: list[Unreadable] = []
    files = size = 0
    for item in items:
        match item:
            case Fragment():
                files += 1
                size += len(item.text)
                try:
                    with _budget(budget + len(item.text) / BUDGET_CHARS_PER_SECOND):
                        findings.extend(detect(item, ruleset))
                except (RuleTimeout, Interrupted) as timeout:
                    rule = timeout.rule_id if isinstance(timeout, RuleTimeout) else "judgement"
                    unreadable.append(
                        Unreadable(
                            item.path,
                            f"rule {rule} ran out of time on this file (its regex "
                            "backtracks catastrophically?); fix or disable the rule",
                        )
                    )
            case Skipped():
                skipped.append(item)
            case Unreadable():
                unreadable.append(item)
            case EnvFile():
                findings.append(env_file_finding(item))
    if crack:
        findings = list(crack_tokens(findings, ruleset.weak, show_secrets=show_secrets))
    findings.extend(find_reuse(findings))
    findings.sort(key=lambda f: (f.path, f.line or 0, f.column or 0, f.rule_id))
    stats = Stats(files, size, time.perf_counter() - started, tuple(skipped), tuple(unreadable))
    return ScanResult(tuple(findings), stats)
