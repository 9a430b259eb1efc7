"""Work spread over processes, results in input order: for the commands that read thousands of files.

Processes, not threads (the work is Python, held by the GIL), and only above a size where starting
them pays (`MIN_ITEMS`); below it, or with `jobs` 1 (`--jobs 1`), everything runs in this process,
through the same functions, so both paths give the same results in the same order.

Both paths run `paced`: the cyclic garbage collector is paused while the files are read and runs
only after every `GC_EVERY` container objects more made than freed. Each file is composed into
thousands of YAML nodes that reference counting frees once the file is read; left to its usual
thresholds, the collector ran while they were alive, promoted them and so rescanned the whole heap
(every module loaded) every few files: about 40% of the CPU time of a report over many files.
It then collects the young generations only: what was kept (a portfolio's thousands of running
totals) is not rescanned at each collection, which made a long run quadratic.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 400
"""Below this many items a second process costs more (its start-up, ~0.2 s) than it saves."""
CHUNKS_PER_WORKER = 8
"""Each worker takes several chunks: a slow file delays one chunk, not a whole worker's share."""
MAX_CHUNK = 50
"""Items per chunk at most: its results are unpickled here at once, so they bound the memory held."""
WINDOW_PER_WORKER = 2
"""Chunks in flight per worker: enough to keep each busy, few enough that finished results do not pile up here."""
GC_EVERY = 100_000
"""`paced` collects cyclic garbage once this many more container objects were made than freed."""


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system says, else the count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1


def ordered_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
    min_items: int | None = None,
) -> Iterator[R]:
    """`map(fn, items)`, over `jobs` processes (None: every core) when there are enough items.

    `initializer(*initargs)` prepares each process (in this one too, when the work stays here);
    `fn` and the initializer must be module-level functions, their arguments and results picklable.
    Results come back in input order, as they are ready; an exception in `fn` is raised here. When no
    worker process can be started (a process or thread limit, no /dev/shm), all of it is done here.
    Workers ignore Ctrl-C: the interrupt is this process's, which then stops them.
    """
    min_items = MIN_ITEMS if min_items is None else min_items
    workers = min(jobs or available_cores(), max(1, len(items) // max(1, min_items // 2)))
    if workers > 1 and len(items) >= min_items:
        from concurrent.futures import ProcessPoolExecutor  # here: its import (~10 ms) is paid only when used

        chunk = max(1, min(MAX_CHUNK, len(items) // (workers * CHUNKS_PER_WORKER)))
        chunks = (items[start : start + chunk] for start in range(0, len(items), chunk))
        pool = None
        try:  # the workers start with the first submissions
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(initializer, initargs))
            pending = deque(
                pool.submit(_run_chunk, fn, part) for part in itertools.islice(chunks, workers * WINDOW_PER_WORKER)
            )
        except (OSError, RuntimeError):  # no process or thread to be had: everything in this process
            _abandon(pool)
        else:
            try:
                yield from paced(_windowed(pool, fn, chunks, pending))
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            return
    if initializer is not None:
        initializer(*initargs)
    yield from paced(map(fn, items))


def _worker_start(initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the caller handles it
    if initializer is not None:
        initializer(*initargs)


def _abandon(pool: Any) -> None:
    """Stop a pool that failed to start: workers forked before the failure would wait for work forever
    (no manager thread to tell them to stop), and the interpreter waits for them at exit."""
    if pool is None:
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # a private field, if there
        process.terminate()
    with contextlib.suppress(RuntimeError):  # its manager thread never started
        pool.shutdown(wait=False, cancel_futures=True)


def paced(items: Iterable[T]) -> Iterator[T]:
    """`items`, with the cyclic garbage collector paused while they are taken (and whatever the caller
    does with each), collecting after an item once `GC_EVERY` more container objects were made than
    freed. The collector is resumed when the items end (or the loop is left); the objects there were
    before are frozen meanwhile (gc.freeze), so a collection looks only at the ones made since. Within
    another paced loop it only collects: the outer one resumes the collector."""
    owner = gc.isenabled()
    if owner:
        gc.freeze()
        gc.disable()
    try:
        for item in items:
            yield item
            if gc.get_count()[0] > GC_EVERY:
                gc.collect(1)  # the young generations only: a full one would rescan every object kept so far
    finally:
        if owner:
            gc.enable()
            gc.unfreeze()


def _windowed(pool: Any, fn: Callable[[T], R], chunks: Iterator[Sequence[T]], pending: deque[Any]) -> Iterator[R]:
    """The results of `fn` over the `pending` chunks and then `chunks`, in order, one more submitted as each
    is taken: results waiting here (unpickled objects) stay a window's worth, however many items there are."""
    while pending:
        results = pending.popleft().result()
        for part in itertools.islice(chunks, 1):
            pending.append(pool.submit(_run_chunk, fn, part))
        yield from results


def _run_chunk(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """One chunk, in a worker process: paced as the caller's loop is."""
    return list(paced(map(fn, items)))
