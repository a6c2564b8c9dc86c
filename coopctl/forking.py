"""CPU-bound work over many files, split over forked worker processes when it pays.

Forked workers share what the parent has loaded (schemas, the Gemeindeverzeichnis, the bytes
already read); only the position ranges go to them and only the results come back. The parent
is one of the processes: it works through ranges as the workers do instead of waiting, so
N processes fork N - 1 workers, and the parent's own share is never pickled. The ranges are
handed out through one counter in shared memory, so a process that the machine slows down
takes fewer of them. Each worker sends all its results back in one message, where pickle
writes a text that many results share (an id, a JSON pointer) once. Where `fork` is not
available the work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items per process a worker pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 400
# Ranges per process: enough that the processes finish at nearly the same moment.
RANGES_PER_PROCESS = 8

_WORK: Callable[[int], Any] | None = None  # the one channel to forked workers
_RANGES: list[tuple[int, int]] = []
_NEXT: Any = None  # the shared counter: the index of the next range to take


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def processes_for(count: int, workers: int | None = None) -> int:
    """How many processes `forked_map` uses for `count` items: at most `workers` (default:
    one per core), at least MIN_ITEMS_PER_WORKER items each; 1 where `fork` is missing."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = default_workers() if workers is None else workers
    return max(1, min(wanted, count // MIN_ITEMS_PER_WORKER))


def forked_map(work: Callable[[int], T], count: int, workers: int | None = None) -> list[T]:
    """[work(0), ..., work(count - 1)], in this and forked worker processes when there are
    enough items."""
    global _WORK, _RANGES, _NEXT  # noqa: PLW0603 -- the one channel to forked workers
    processes = processes_for(count, workers)
    if processes <= 1:
        return [work(i) for i in range(count)]
    context = multiprocessing.get_context("fork")
    _WORK, _RANGES = work, _ranges(count, processes * RANGES_PER_PROCESS)
    _NEXT = context.Value("l", 0)
    parts: dict[int, list[Any]] = {}
    try:
        with context.Pool(processes - 1) as pool:
            theirs = pool.map_async(_drain, range(processes - 1), chunksize=1)
            parts.update(_drain(-1))
            for taken in theirs.get():
                parts.update(taken)
    finally:
        _WORK, _RANGES, _NEXT = None, [], None
    return [item for index in range(len(parts)) for item in parts[index]]


def _drain(_process: int) -> list[tuple[int, list[Any]]]:
    """Take ranges until none is left: (the range's index, its results) for each."""
    assert _WORK is not None and _NEXT is not None
    work = _WORK
    taken: list[tuple[int, list[Any]]] = []
    while True:
        with _NEXT.get_lock():
            index = _NEXT.value
            _NEXT.value = index + 1
        if index >= len(_RANGES):
            return taken
        taken.append((index, [work(i) for i in range(*_RANGES[index])]))


def _ranges(total: int, pieces: int) -> list[tuple[int, int]]:
    size = -(-total // pieces)
    return [(start, min(start + size, total)) for start in range(0, total, size)]
