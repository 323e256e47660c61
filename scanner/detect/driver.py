"""Drive detection: items from a source through the rules, within time budgets, in workers."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType

from scanner.detect.engine import Interrupted, Prefiltered, Ruleset, RuleTimeout, detect
from scanner.findings import Finding, Fragment, ScanResult, Skipped, Stats, Unreadable, in_order
from scanner.sources.content import Item
from scanner.sources.dotenv import EnvFile, env_file_finding

# A file gets this many seconds, plus one per BUDGET_CHARS_PER_SECOND characters, for all rules.
BUDGET_SECONDS = 5.0
BUDGET_CHARS_PER_SECOND = 200_000


def _expire(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


@contextmanager
def alarms() -> Iterator[bool]:
    """Turn SIGALRM into :class:`Interrupted` for a whole scan (Python's re checks signals as
    it runs); False where a signal cannot be used (not the main thread), so no budget applies.
    Forked workers inherit the handler."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def scan(
    items: Iterable[Item],
    ruleset: Ruleset,
    *,
    budget_seconds: float | None = None,
    workers: int = 1,
) -> ScanResult:
    """Detect in every item, each text within its time budget.

    With ``workers`` > 1 (on platforms that fork), texts are judged in that many processes
    while this one keeps reading: a history audit uses every core.
    """
    started = time.perf_counter()
    seconds = BUDGET_SECONDS if budget_seconds is None else budget_seconds
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    unreadable: list[Unreadable] = []
    files = size = 0

    def judged(budget: float | None) -> Iterator[Judged]:
        if workers > 1 and _can_fork():
            yield from _parallel(fragments_of(items), ruleset, budget, workers)
        else:
            yield from (_judge(f, ruleset, budget) for f in fragments_of(items))

    def fragments_of(stream: Iterable[Item]) -> Iterator[Fragment]:
        nonlocal files, size
        for item in stream:
            match item:
                case Fragment():
                    files += 1
                    size += len(item.text)
                    yield item
                case Skipped():
                    skipped.append(item)
                case Unreadable():
                    unreadable.append(item)
                case EnvFile():
                    findings.extend(placed([env_file_finding(item)], item.path))

    with alarms() as timed:
        for outcome in judged(seconds if timed else None):
            if isinstance(outcome, Unreadable):
                unreadable.append(outcome)
            else:
                findings.extend(outcome)
    stats = Stats(files, size, time.perf_counter() - started, tuple(skipped), tuple(unreadable))
    return ScanResult(in_order(findings), stats)


Judged = list[Finding] | Unreadable


def placed(findings: list[Finding], path: str, text: str | None = None) -> list[Finding]:
    """The findings of one file, each with the file's context (decided only when there are
    findings: a clean file costs nothing)."""
    if not findings:
        return findings
    from scanner.detect.context import classify

    context, reasons = classify(path, text)
    found = [replace(f, context=context, context_reasons=reasons) for f in findings]
    if context in ("app", "config") and text is not None:
        from scanner.detect.context import in_prose

        found = in_prose(found, path, text)
    return found


def _judge(
    fragment: Fragment,
    ruleset: Ruleset,
    budget: float | None,
    prefiltered: Prefiltered | None = None,
) -> Judged:
    """Findings in one fragment, within ``budget`` seconds plus one per
    BUDGET_CHARS_PER_SECOND characters (None: no limit)."""
    try:
        if budget is not None:
            limit = budget + len(fragment.text) / BUDGET_CHARS_PER_SECOND
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return placed(
                list(detect(fragment, ruleset, prefiltered)), fragment.path, fragment.text
            )
        finally:
            if budget is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except (RuleTimeout, Interrupted) as timeout:
        rule = timeout.rule_id if isinstance(timeout, RuleTimeout) else "judgement"
        return Unreadable(
            fragment.path,
            f"rule {rule} ran out of time on this file (its regex backtracks "
            "catastrophically?); fix or disable the rule",
        )


def _can_fork() -> bool:
    import multiprocessing  # only here: the hook judges in its own process

    return "fork" in multiprocessing.get_all_start_methods()


# The ruleset a forked worker judges with: set in the parent just before the fork, so the
# workers inherit it instead of unpickling it.
_WORKER_RULESET: list[tuple[Ruleset, float | None]] = []


def _work(task: tuple[Fragment, Prefiltered]) -> Judged:
    ruleset, budget = _WORKER_RULESET[0]
    return _judge(task[0], ruleset, budget, task[1])


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the group: a worker ignores it (no traceback from each
    one); the parent stops the pool and exits 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parallel(
    fragments: Iterator[Fragment], ruleset: Ruleset, budget: float | None, workers: int
) -> Iterator[Judged]:
    import multiprocessing

    # The keyword prefilter runs here, before a text is sent: most texts have no keyword of a
    # rule that applies to them and so no finding, and copying them to a worker costs more
    # than the prefilter. A worker gets its answer and does not run it again.
    tasks = (
        (f, prefiltered)
        for f in fragments
        if (prefiltered := ruleset.prefiltered(f.path, f.text)) is not None
    )
    _WORKER_RULESET[:] = [(ruleset, budget)]
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers, initializer=_leave_interrupts_to_the_parent) as pool:
            yield from pool.imap(_work, tasks, chunksize=8)
    finally:
        _WORKER_RULESET.clear()
