"""Drive detection: items from a source through the rules, within time budgets, in workers."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from itertools import islice
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TypeAlias

from scanner.detect.engine import (
    PREFILTER,
    Interrupted,
    Prefiltered,
    Ruleset,
    RuleTimeout,
    Unresolved,
    detect,
)
from scanner.detect.workers import can_fork
from scanner.findings import (
    Finding,
    Fragment,
    ScanResult,
    Sink,
    Skipped,
    Stats,
    Unreadable,
    in_order,
)
from scanner.sources.content import Blob, File, Item, Screened
from scanner.sources.dotenv import EnvFile, env_file_finding
from scanner.sources.git import close_blob_readers, request_blobs

if TYPE_CHECKING:  # imported when profiling only (--profile-rules)
    from scanner.detect.profile import Profile, Timing

# Files that can embed code (scanner/detect/embedded.py, imported only for these: compiling its
# patterns would cost a hook that stages none of them).
EMBEDDING_SUFFIXES = (
    *(".md", ".markdown", ".mdx", ".rst", ".rest", ".adoc", ".asciidoc"),
    *(".html", ".htm", ".xhtml", ".vue", ".svelte"),
)

# Tasks sent to a worker at once; a worker asks its git for a batch's blobs in one request, and
# one process judging alone asks for this many ahead. Fewer, git waited on each batch's first
# blob and versions of one file went to either worker (Django's releases history, medians of
# 3: 8, 2.33 s; 16, 2.08 s; 32, 1.90 s; 64, 1.94 s).
BATCH = 32
# A batch of files whose sizes are known ends once it holds this many bytes: a large file goes
# alone, so no worker takes several of them at once.
BATCH_BYTES = 256 * 1024
# A tree's batches, four times as large: most of its files are judged from their bytes in
# microseconds (no keyword of a rule for their path), and taking a batch from the queue and
# answering it cost a worker as much as judging 30 such files (Go vendor tree, medians of 9:
# 0.58 s with batches of 32 files, 0.56 with 128). Files of 1 MiB or more still go alone, last.
TREE_SCALE = 4
# Files judged after all others, the largest first, when a scan lists them all at once (see
# _large_ones_last).
LARGE = 64 * 1024
# Tasks of a history ordered by path at a time, so that a file's versions go in a row (see
# _by_path). The whole walk at once was 6% faster on Django's file history, but the workers then
# waited for the walk's end before their first blob: not kept.
RUN = 1024

# A file gets this many seconds, plus one per BUDGET_CHARS_PER_SECOND characters, for all rules.
BUDGET_SECONDS = 5.0
BUDGET_CHARS_PER_SECOND = 200_000


def _expire(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


@contextmanager
def alarms() -> Iterator[bool]:
    """Turn the budget timer's signal into :class:`Interrupted` for a whole scan (Python's re
    checks signals as it runs); False where a signal cannot be used (not the main thread), so no
    budget applies. Forked workers inherit the handler. The timer counts this process's CPU
    time, not wall time: a loaded machine (a busy CI runner) must not cut a file short."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = signal.signal(signal.SIGPROF, _expire)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def scan(
    items: Iterable[Item],
    ruleset: Ruleset,
    *,
    budget_seconds: float | None = None,
    workers: int = 1,
    sinks: bool = False,
    profile: Profile | None = None,
    by_size: bool = False,
) -> ScanResult:
    """Detect in every item, each text within its time budget.

    With ``workers`` > 1 (on platforms that fork), texts are read and judged in that many
    processes while this one walks the history or lists the files: a scan uses every core.
    ``sinks``: also collect the references at sinks that only another file can resolve (see
    scanner/analyse/crossfile.py). ``profile``: each file's and each rule's time is added to it
    (--profile-rules). ``by_size``: the items are all listed at once (the files of a working
    tree, not a history being walked): the workers take the large files last, the largest
    first (see :func:`_large_ones_last`); the result is the same.
    """
    started = time.perf_counter()
    seconds = BUDGET_SECONDS if budget_seconds is None else budget_seconds
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    unreadable: list[Unreadable] = []
    references: list[Sink] = []
    files = size = 0

    def judged(budget: float | None) -> Iterator[Outcome]:
        if workers > 1 and can_fork():
            tasks = tasks_of(items)
            yield from _parallel(tasks, ruleset, budget, workers, sinks, profile, by_size)
        else:
            try:
                timing = profile is not None
                tasks = tasks_of(items)
                while batch := list(islice(tasks, BATCH)):
                    _read_ahead(batch)
                    yield from (_task(t, ruleset, budget, None, timing, sinks) for t in batch)
            finally:
                close_blob_readers()

    def tasks_of(stream: Iterable[Item]) -> Iterator[Fragment | Blob | File]:
        nonlocal files, size
        for item in stream:
            match item:
                case Fragment():
                    files += 1
                    size += len(item.text)
                    yield item
                case Blob() | File():
                    yield item  # read, counted and judged where it is judged
                case Skipped():
                    skipped.append(item)
                case Unreadable():
                    unreadable.append(item)
                case EnvFile():
                    findings.extend(placed([env_file_finding(item)], item.path))

    with alarms() as timed:
        for read, outcome, timing in judged(seconds if timed else None):
            files += read[0]
            size += read[1]
            if profile is not None and timing is not None:
                profile.add(timing)
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
            elif isinstance(outcome, Unreadable):
                unreadable.append(outcome)
            else:
                findings.extend(outcome[0])
                references.extend(outcome[1])
    stats = Stats(files, size, time.perf_counter() - started, tuple(skipped), tuple(unreadable))
    return ScanResult(in_order(findings), stats, tuple(references))


Judged = tuple[list[Finding], tuple[Sink, ...]] | Unreadable
# What judging one task gave: (files, characters) read for it, its findings or why none, and
# its times when profiling.
Outcome: TypeAlias = "tuple[tuple[int, int], Judged | Skipped, Timing | None]"


def _task(
    task: Fragment | Blob | File,
    ruleset: Ruleset,
    budget: float | None,
    prefiltered: Prefiltered | None = None,
    timed: bool = False,
    sinks: bool = False,
) -> Outcome:
    """Judge a fragment, or read a blob and judge it (in a worker: in that worker)."""
    clock = time.thread_time()
    rules: dict[str, float] | None = {} if timed else None
    read = (0, 0)
    outcome: Judged | Skipped
    if isinstance(task, Fragment):
        outcome = _judge(task, ruleset, budget, prefiltered, sinks, rules)
    else:
        item = task.load(partial(_may_apply, ruleset, rules))
        if isinstance(item, Fragment):
            read = (1, len(item.text))
            outcome = _judge(item, ruleset, budget, None, sinks, rules)
        elif isinstance(item, Screened):
            read = (1, item.size)
            outcome = [], ()
        else:
            outcome = item
    if rules is None:
        return read, outcome, None
    from scanner.detect.profile import Timing

    return read, outcome, Timing(task.path, time.thread_time() - clock, rules)


# What a scan in workers imports on first use, and this process too, later (its report, the
# workers' pipes): see preload.
_ON_FIRST_USE = ("json", "multiprocessing.connection")


def preload() -> None:
    """Import now what a scan in workers imports on first use, in the time the caller waits
    for something else (git listing the files). Only what this process imports anyway: what
    the workers alone use (Hyperscan, the judge, the remedies, 10 ms in each) is imported in
    each, after the fork; imported here, it added 1.4-2.9 MiB to this process, the largest
    of a tree scan of the JDK (31 MiB, detect-secrets' 33)."""
    import importlib

    for name in _ON_FIRST_USE:
        importlib.import_module(name)


def _may_apply(ruleset: Ruleset, timing: dict[str, float] | None, path: str, data: bytes) -> bool:
    """Whether a file's text can hold a finding (see Ruleset.may_apply); a file that can embed
    code always can: its blocks are judged by the rules of their language. ``timing``: the
    prefilter's time on the bytes is added there (--profile-rules)."""
    if path.lower().endswith(EMBEDDING_SUFFIXES):
        return True
    if timing is None:
        return ruleset.may_apply(path, data)
    clock = time.thread_time()
    may = ruleset.may_apply(path, data)
    timing[PREFILTER] = timing.get(PREFILTER, 0.0) + time.thread_time() - clock
    return may


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
    sinks: bool = False,
    timing: dict[str, float] | None = None,
) -> Judged:
    """Findings in one fragment, within ``budget`` seconds plus one per
    BUDGET_CHARS_PER_SECOND characters (None: no limit); with ``sinks``, the references at
    sinks it leaves to other files."""
    try:
        if budget is not None:
            limit = budget + len(fragment.text) / BUDGET_CHARS_PER_SECOND
            signal.setitimer(signal.ITIMER_PROF, limit)
        try:
            unresolved: list[Unresolved] | None = [] if sinks else None
            found = list(detect(fragment, ruleset, prefiltered, unresolved, timing))
            if fragment.path.lower().endswith(EMBEDDING_SUFFIXES):
                from scanner.detect import embedded

                found = embedded.judged(fragment, ruleset, found)
            found = placed(found, fragment.path, fragment.text)
            if not unresolved:
                return found, ()
            from scanner.analyse.crossfile import sinks_in

            return found, sinks_in(fragment, unresolved)
        finally:
            if budget is not None:
                signal.setitimer(signal.ITIMER_PROF, 0)
    except (RuleTimeout, Interrupted) as timeout:
        rule = timeout.rule_id if isinstance(timeout, RuleTimeout) else "judgement"
        return Unreadable(
            fragment.path,
            f"rule {rule} ran out of time on this file (its regex backtracks "
            "catastrophically?); fix or disable the rule",
        )


def _embeds(fragment: Fragment, ruleset: Ruleset) -> bool:
    from scanner.detect import embedded

    return embedded.embeds(fragment, ruleset)


# The ruleset a forked worker judges with: set in the parent just before the fork, so the
# workers inherit it instead of unpickling it.
_WORKER_RULESET: list[tuple[Ruleset, float | None, bool, bool]] = []


def _work(batch: list[tuple[Fragment | Blob | File, Prefiltered | None]]) -> list[Outcome]:
    ruleset, budget, timed, sinks = _WORKER_RULESET[0]
    _read_ahead([task for task, _ in batch])
    return [_task(task, ruleset, budget, prefiltered, timed, sinks) for task, prefiltered in batch]


def _read_ahead(batch: Iterable[Fragment | Blob | File]) -> None:
    """Ask git for the blobs of a batch at once, per repository: it answers the next while
    this process judges one (one round trip a batch, not one per blob: a history judged in one
    process waited on git 2 of its 6 seconds, blob by blob)."""
    blobs: dict[Path, list[Blob]] = {}
    for task in batch:
        if isinstance(task, Blob):
            blobs.setdefault(task.repo.git_dir, []).append(task)
    for asked in blobs.values():
        request_blobs(asked[0].repo, [blob.blob for blob in asked])


Task: TypeAlias = "Fragment | Blob | File"


Entry: TypeAlias = "tuple[Task, Prefiltered | None]"


def _large_ones_last(entries: Iterable[Entry]) -> Iterator[tuple[int, int, Entry]]:
    """Each entry's place in ``entries``, its task's size and the entry: the tasks under
    :data:`LARGE` bytes as they come, then the others, the largest first (a file's size on
    disk, a text's length; a blob, unknown, counts as 0).

    Judging takes time with size, and the workers take batches as they come: files in path
    order left the largest to chance, and a few large ones near the end (generated tables, the
    3 MB one-line OpenAPI documents of a vendored ``k8s.io``) kept one worker busy 0.4-0.7 s
    after the other had run out of work. Taken last, largest first, each alone in its batch,
    the last batches are the smallest. The small files go as they are sized: the workers judge
    them while this thread sizes the rest (with all files sized first and 256 sent before,
    each worker of the Go vendor tree's scan waited 70 ms of its 560)."""
    large = []
    root, folder = None, ""  # the last file's root, as a string (a Path is joined slowly)
    for place, entry in enumerate(entries):
        task, size = entry[0], 0
        if isinstance(task, File):
            if task.root is not root:
                root, folder = task.root, os.fspath(task.root)
            try:  # not contextlib.suppress: an object per file
                size = os.lstat(os.path.join(folder, task.name)).st_size
            except OSError:  # the worker that reads it says why it cannot
                size = 0
        elif isinstance(task, Fragment):
            size = len(task.text)
        if size < LARGE:
            yield place, size, entry
        else:
            large.append((size, place, entry))
    large.sort(key=lambda item: -item[0])  # stable: files of one size keep their order
    yield from ((place, size, entry) for size, place, entry in large)


def _by_path(entries: Iterable[Entry]) -> Iterator[tuple[int, int, Entry]]:
    """Each entry's place in ``entries``, 0 and the entry: in runs of :data:`RUN`, each ordered
    by path (stable, so a file's versions keep their order).

    A history walk meets the versions of a file apart (parse-server's lockfile, one version
    every dozen blobs), so consecutive versions went to either worker, each remembering
    (scanner/detect/memo.py, the pure-Python prefilter's pieces) only the versions it had
    judged: a third more windows searched than in one process. In a row, most versions go in
    the batch of the version before, and each worker's git reads the versions of a file one
    after the other, from the deltas it has just expanded (git cat-file of Django's history's
    blobs: in the walk's order 1.17 CPU-s, in runs of 1,024 ordered by path 1.02, the whole
    walk ordered by path 0.5)."""
    run: list[tuple[str, int, Entry]] = []
    for place, entry in enumerate(entries):
        run.append((entry[0].path, place, entry))
        if len(run) == RUN:
            run.sort(key=lambda item: item[0])
            yield from ((place, 0, entry) for _, place, entry in run)
            run = []
    run.sort(key=lambda item: item[0])
    yield from ((place, 0, entry) for _, place, entry in run)


def _parallel(
    tasks: Iterator[Task],
    ruleset: Ruleset,
    budget: float | None,
    workers: int,
    sinks: bool,
    profile: Profile | None,
    by_size: bool = False,
) -> Iterator[Outcome]:
    from scanner.detect.workers import ordered_map

    # A blob of the history goes as its id: the worker reads it with its own git cat-file, so
    # this process only walks the history; a file of a working tree goes as its name, the
    # worker reads, decodes and prefilters it. A file already read here (an environment file)
    # is prefiltered first: most texts have no keyword of a rule that applies to them and so no
    # finding, and copying them to a worker costs more than the prefilter. A worker gets its
    # answer and does not run it again. A file that can embed code (Markdown, HTML) goes too
    # when its blocks might hold keywords.
    here = [0.0, 0.0]  # this thread's prefilter: seconds, files (merged at the end)
    # The places of each batch's entries, appended (by the thread that feeds the workers)
    # before the batch is sent, so before its outcomes come back; taken as they do.
    places: deque[list[int]] = deque()

    def sent() -> Iterator[Entry]:
        for task in tasks:
            if isinstance(task, (Blob, File)):
                yield task, None
                continue
            clock = time.thread_time()
            prefiltered = ruleset.prefiltered(task.path, task.text)
            here[0] += time.thread_time() - clock
            here[1] += 1
            if prefiltered is not None or (
                task.path.lower().endswith(EMBEDDING_SUFFIXES) and _embeds(task, ruleset)
            ):
                yield task, prefiltered

    def batches() -> Iterator[list[Entry]]:
        batch: list[Entry] = []
        batch_places: list[int] = []
        held = 0
        ordered = _large_ones_last(sent()) if by_size else _by_path(sent())
        scale = TREE_SCALE if by_size else 1
        most, most_bytes = BATCH * scale, BATCH_BYTES * scale
        for place, size, entry in ordered:
            batch.append(entry)
            batch_places.append(place)
            held += size
            if held >= most_bytes or len(batch) >= most:
                places.append(batch_places)
                yield batch
                batch, batch_places, held = [], [], 0
        if batch:
            places.append(batch_places)
            yield batch

    _WORKER_RULESET[:] = [(ruleset, budget, profile is not None, sinks)]
    try:
        # Each worker waits for its git cat-file at the end (no process is left unreaped).
        # The outcomes are given back in the tasks' order, as each next one comes: the result
        # does not depend on the order the workers took them in.
        waiting: dict[int, Outcome] = {}
        following = 0
        for outcomes in ordered_map(_work, batches(), workers, close_blob_readers):
            waiting.update(zip(places.popleft(), outcomes, strict=True))
            while following in waiting:
                yield waiting.pop(following)
                following += 1
        assert not waiting
        if profile is not None:
            profile.total += here[0]
            profile.rules[PREFILTER] += here[0]
            profile.runs[PREFILTER] += int(here[1])
    finally:
        _WORKER_RULESET.clear()
