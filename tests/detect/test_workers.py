"""The forked workers that judge in parallel: answers in order, failures raised, never a hang."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner.detect.workers import WorkerDied, ordered_map


def _slow_square(value: int) -> tuple[int, int]:
    time.sleep(0.002 * (value % 5))  # later batches often finish first
    return value * value, os.getpid()


def test_answers_come_in_the_batches_order_from_every_worker() -> None:
    answers = list(ordered_map(_slow_square, iter(range(200)), 3))
    assert [square for square, _ in answers] == [n * n for n in range(200)]
    assert len({pid for _, pid in answers}) > 1
    assert os.getpid() not in {pid for _, pid in answers}


def test_no_batches_no_answers() -> None:
    assert list(ordered_map(_slow_square, iter([]), 2)) == []


class Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("not picklable")


def _fail_at(value: int) -> int:
    if value == 7:
        raise ValueError("bad batch 7")
    if value == 9:
        raise Unpicklable("cannot travel")
    return value


def test_an_exception_in_a_worker_is_raised_here() -> None:
    with pytest.raises(ValueError, match="bad batch 7"):
        list(ordered_map(_fail_at, iter(range(8)), 2))
    with pytest.raises(RuntimeError, match="Unpicklable: cannot travel"):
        list(ordered_map(_fail_at, iter([8, 9]), 2))


def _batches_then_failure() -> Iterator[int]:
    yield from range(5)
    raise OSError("the git walk failed")


def test_an_exception_while_making_batches_is_raised_here() -> None:
    with pytest.raises(OSError, match="the git walk failed"):
        list(ordered_map(_slow_square, _batches_then_failure(), 2))


def _killed_at(value: int) -> int:
    if value == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel does to a process out of memory
    return value


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    outcome: list[BaseException | list[int]] = []

    def run() -> None:
        try:
            outcome.append(list(ordered_map(_killed_at, iter(range(20)), 2)))
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the scan hung on a dead worker"
    (result,) = outcome
    assert isinstance(result, WorkerDied)
    assert "-9" in str(result)


def _pid(value: int) -> int:
    time.sleep(0.01)
    return os.getpid()


def test_workers_are_stopped_when_the_reader_stops_early() -> None:
    answers = ordered_map(_pid, iter(range(1000)), 2)
    pids = {next(answers), next(answers)}
    answers.close()  # as when a scan stops at an error or Ctrl-C
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: not a zombie, not running


def test_each_worker_finishes_after_its_last_batch(tmp_path: Path) -> None:
    """``finish`` runs in every worker before it ends (the driver waits there for the worker's
    git cat-file, so none is left unreaped and its memory counts in the parent's rusage)."""

    def finish() -> None:
        (tmp_path / str(os.getpid())).write_text("finished")

    pids = {pid for _, pid in ordered_map(_slow_square, iter(range(50)), 2, finish)}
    finished = {int(p.name) for p in tmp_path.iterdir()}
    assert pids <= finished
    assert len(finished) == 2


def test_a_scan_whose_worker_dies_exits_2_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker killed mid-scan (as for its memory): no verdict, exit 2, and the reason."""
    import scanner.detect.driver
    from scanner.cli import main

    for n in range(40):
        (tmp_path / f"f{n}.js").write_text("jwt.sign(payload, 'changeme');\n")
    real = scanner.detect.driver._work

    def dying(batch: list[Any]) -> list[Any]:
        if any(task.path.endswith("f17.js") for task, _ in batch):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(batch)

    monkeypatch.setattr(scanner.detect.driver, "_work", dying)
    code = main(["scan", "--jobs", "2", "--format", "json", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "a worker process ended without answering (exit code -9" in err
    assert "internal error" not in err


def test_files_listed_at_once_go_large_ones_last_largest_first(tmp_path: Path) -> None:
    from scanner.detect import driver
    from scanner.sources.content import File

    sizes = [10, 70_000, 5, 90_000, 20, 200_000, 65_536, 30, "missing", 90_000]
    files = []
    for n, size in enumerate(sizes):
        if isinstance(size, int):
            (tmp_path / f"f{n}").write_bytes(b"x" * size)
        files.append(File(f"f{n}", tmp_path, f"f{n}", 10_000_000))
    order = [(place, size) for place, size, _ in driver._large_ones_last((f, None) for f in files)]
    # Under 64 KiB in their order (a file that cannot be sized counts as 0: its worker says
    # why); then the others, the largest first, those of one size in their order.
    assert order == [
        (0, 10),
        (2, 5),
        (4, 20),
        (7, 30),
        (8, 0),
        (5, 200_000),
        (3, 90_000),
        (9, 90_000),
        (1, 70_000),
        (6, 65_536),
    ]


def test_a_tree_judged_by_size_gives_the_result_of_path_order(tmp_path: Path) -> None:
    """The same findings, skipped and unreadable files and cross-file references, in the same
    order, whichever order the workers took the files in."""
    from scanner.detect import driver
    from scanner.detect.loader import load_ruleset
    from scanner.sources.content import File

    filler = "// filler line of a generated module\n" * 3_000  # ~110 KB: a large file
    for n in range(40):
        text = f"jwt.sign(payload, 'changeme{n}');\n" if n % 3 else "const x = 1;\n"
        if n % 7 == 0:
            text = filler + text
        (tmp_path / f"f{n:02}.js").write_text(text)
    (tmp_path / "f05.bin").write_bytes(b"\0\1\2" * 100)
    (tmp_path / "f09.js").write_text("import { secret } from './config';\njwt.sign(p, secret);\n")
    names = sorted(p.name for p in tmp_path.iterdir())
    files = [File(name, tmp_path, name, 10_000_000) for name in names]
    ruleset = load_ruleset(accelerated=True)

    def judged(by_size: bool) -> Any:
        return driver.scan(files, ruleset, workers=2, sinks=True, by_size=by_size)

    ordered, sized = judged(False), judged(True)
    assert sized.findings == ordered.findings
    assert len(sized.findings) >= 20
    assert sized.stats.skipped == ordered.stats.skipped
    assert [s.path for s in sized.stats.skipped] == ["f05.bin"]
    assert sized.stats.files == ordered.stats.files == len(names) - 1
    assert sized.sinks == ordered.sinks
    assert sized.sinks  # f09.js's secret, from ./config


def test_history_tasks_go_in_runs_ordered_by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.detect import driver
    from scanner.findings import Fragment

    monkeypatch.setattr(driver, "RUN", 4)
    paths = ["b", "a", "b", "c", "a", "b", "a"]
    entries = [(Fragment(path, str(n)), None) for n, path in enumerate(paths)]
    order = [(place, entry[0].path) for place, _, entry in driver._by_path(entries)]
    # Each run of four by path, a path's versions in their order; the last run shorter.
    assert order == [(1, "a"), (0, "b"), (2, "b"), (3, "c"), (4, "a"), (6, "a"), (5, "b")]


def test_a_history_judged_by_path_gives_the_result_of_walk_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Versions of a few files interleaved as a walk meets them, some without a keyword (not
    sent to a worker: places with gaps), binary files whose names sort the other way: the same
    findings, and skipped files in the same order, from two workers taking runs by path as
    from one process."""
    from scanner.detect import driver
    from scanner.detect.loader import load_ruleset
    from scanner.findings import Fragment
    from scanner.sources.content import File, Item

    monkeypatch.setattr(driver, "RUN", 5)
    items: list[Item] = []
    for version in range(30):
        for name in ("src/auth.js", "package.json", "src/util.js"):
            if name == "src/util.js":
                text = f"const v = {version};\n"  # no keyword: judged in no worker
            elif name == "package.json":
                text = f'{{"jwtSecret": "changeme-{version % 4}"}}\n'
            else:
                text = f"jwt.sign(payload, 'secret{version}');\n" * (1 + version % 3)
            items.append(Fragment(name, text))
        binary = f"{'z' if version % 2 else 'a'}{version:02}.bin"
        (tmp_path / binary).write_bytes(b"\0\1\2" * 50)
        items.append(File(binary, tmp_path, binary, 10_000_000))
    ruleset = load_ruleset(accelerated=True)
    one = driver.scan(items, ruleset, workers=1)
    two = driver.scan(items, ruleset, workers=2)
    assert len(one.findings) >= 40
    assert [(f.path, f.line, f.rule_id, f.fingerprint) for f in two.findings] == [
        (f.path, f.line, f.rule_id, f.fingerprint) for f in one.findings
    ]
    assert [s.path for s in two.stats.skipped] == [s.path for s in one.stats.skipped]
    assert len(one.stats.skipped) == 30
    assert two.stats.files == one.stats.files == 90
