"""Forked processes that judge batches of texts side by side, their answers given in order.

multiprocessing's ``Pool`` does this too, but its worker-handling thread wakes whenever a result
is waiting to be read and, until another thread has read it, spins: checking every worker and
building its list of things to wait on again, about ten times per result (20,000 times in a
history audit of Django, a third of the parent's CPU time on a machine of two cores). A worker
that dies there (killed for its memory) leaves its batch unanswered and the pool waiting
forever. Here a thread feeds the batches to one queue that every worker reads, each worker
answers on a pipe of its own, and this process waits on those pipes only: it wakes for answers,
and a worker that dies is an error, never a hang.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, TypeVar

from scanner.errors import ScannerError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(ScannerError):
    """A worker process ended without answering (killed, out of memory): no verdict, exit 2,
    with this message (not an "internal error")."""


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows): else one process judges."""
    import multiprocessing  # only here: the hook judges in its own process

    return "fork" in multiprocessing.get_all_start_methods()


def ordered_map(
    function: Callable[[T], R],
    batches: Iterator[T],
    processes: int,
    finish: Callable[[], None] = lambda: None,
) -> Generator[R, None, None]:
    """``function`` applied to each batch in one of ``processes`` forked workers; the answers
    in the batches' order. ``batches`` is consumed by a thread of this process as the workers
    take them (the git walk goes on while they judge). An exception in a worker, or in
    ``batches``, is raised here; so is a worker's death. A worker runs ``finish`` after its
    last batch (to wait for the processes it started)."""
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    tasks = context.SimpleQueue()
    woken, wake = context.Pipe(duplex=False)
    workers: list[multiprocessing.process.BaseProcess] = []
    readers: dict[Connection, multiprocessing.process.BaseProcess] = {}
    total: list[int] = []  # the number of batches, once all are sent
    failure: list[BaseException] = []
    stop = threading.Event()
    finished = False
    feeder: threading.Thread | None = None

    def feed() -> None:
        count = 0
        try:
            for batch in batches:
                if stop.is_set():
                    return
                tasks.put((count, batch))
                count += 1
        except BaseException as exc:  # raised in the main thread
            failure.append(exc)
        finally:
            total.append(count)
            for _ in workers:
                if not stop.is_set():
                    tasks.put(None)
            if not stop.is_set():
                wake.send(None)

    try:
        for _ in range(processes):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_serve,
                args=(function, finish, tasks, writer),
                daemon=True,
            )
            process.start()
            writer.close()  # the worker holds the only writing end: its end is an EOF here
            workers.append(process)
            readers[reader] = process
        feeder = threading.Thread(target=feed, name="jwtscan-feeder", daemon=True)
        feeder.start()
        answers: dict[int, R] = {}
        given = 0
        while not total or given < total[0] or failure:
            if failure:
                raise failure[0]
            for ready in wait([*readers, woken]):
                if ready is woken:
                    woken.recv()
                    continue
                assert isinstance(ready, type(woken))
                try:
                    index, error, answer = ready.recv()
                except EOFError:
                    worker = readers.pop(ready)
                    worker.join()
                    if worker.exitcode != 0 or not total:
                        raise WorkerDied(
                            f"a worker process ended without answering (exit code "
                            f"{worker.exitcode}: killed, or out of memory?)"
                        ) from None
                    continue
                if error is not None:
                    raise error
                answers[index] = answer
            while given in answers:
                yield answers.pop(given)
                given += 1
            if total and given < total[0] and not readers:
                raise WorkerDied("the worker processes ended with batches unanswered")
        finished = True
    finally:
        if finished and feeder is not None:
            feeder.join()  # it has the workers' last message (None) to send, if any
        stop.set()
        for worker in workers:
            # After the last answer a worker is on its way out: it gets a moment to close
            # its git, else (an error, Ctrl-C) it is stopped at once.
            worker.join(1 if finished else 0)
            if worker.is_alive():
                worker.kill()
                worker.join()
        tasks.close()  # a feeder blocked on a full queue fails and ends
        for reader in readers:
            reader.close()
        woken.close()
        wake.close()


def _serve(
    function: Callable[[T], R],
    finish: Callable[[], None],
    tasks: multiprocessing.queues.SimpleQueue[tuple[int, T] | None],
    answers: Connection,
) -> None:
    """A worker: batches from ``tasks`` until None, each answer (or its exception) sent back;
    then ``finish``, before its pipe closes (the parent waits for that end)."""
    _leave_interrupts_to_the_parent()
    while (task := tasks.get()) is not None:
        index, batch = task
        try:
            answers.send((index, None, function(batch)))
        except BaseException as exc:
            try:
                answers.send((index, exc, None))
            except Exception:  # an exception that cannot be pickled: its text then
                answers.send((index, RuntimeError(f"{type(exc).__name__}: {exc}"), None))
    finish()
    answers.close()


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the group: a worker ignores it (no traceback from each
    one); the parent stops the workers and exits 130. A worker's own ``git cat-file`` inherits
    the ignored signal, so it keeps answering until the workers are stopped."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


if TYPE_CHECKING:
    import multiprocessing.process
    import multiprocessing.queues
