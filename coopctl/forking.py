"""CPU-bound work over many files, split over forked worker processes when it pays.

Forked workers share what the parent has loaded (schemas, the Gemeindeverzeichnis, the bytes
already read); only the position ranges go to them and only the results come back. Where
`fork` is not available the work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items per process a worker pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 400

_WORK: Callable[[int], Any] | None = None  # the one channel to forked workers


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
    """[work(0), ..., work(count - 1)], in worker processes when there are enough items."""
    global _WORK  # noqa: PLW0603 -- the one channel to forked workers
    processes = processes_for(count, workers)
    if processes <= 1:
        return [work(i) for i in range(count)]
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_run_range, _ranges(count, processes * 4), chunksize=1)
    finally:
        _WORK = None
    return [item for part in parts for item in part]


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _WORK is not None
    return [_WORK(i) for i in range(*bounds)]


def _ranges(total: int, pieces: int) -> list[tuple[int, int]]:
    size = -(-total // pieces)
    return [(start, min(start + size, total)) for start in range(0, total, size)]
