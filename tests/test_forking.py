"""Work split over forked processes (the parent among them): the results come back in order,
and a failure in any process reaches the caller."""

from __future__ import annotations

import os

import pytest

from coopctl.forking import MIN_ITEMS_PER_WORKER, forked_map, processes_for

pytestmark = pytest.mark.skipif(processes_for(2 * MIN_ITEMS_PER_WORKER, 2) < 2, reason="needs fork")


def test_results_come_back_in_order_from_at_most_the_processes_asked_for() -> None:
    count = 5 * MIN_ITEMS_PER_WORKER + 7  # ranges of unequal length
    results = forked_map(lambda i: (i * i, os.getpid()), count, 3)
    assert [square for square, _pid in results] == [i * i for i in range(count)]
    assert len({pid for _square, pid in results}) <= 3


@pytest.mark.parametrize("failing", [0, 4 * MIN_ITEMS_PER_WORKER - 1])
def test_an_error_in_any_process_reaches_the_caller(failing: int) -> None:
    def work(i: int) -> int:
        if i == failing:
            raise ValueError(f"item {i}")
        return i

    with pytest.raises(ValueError, match=f"item {failing}"):
        forked_map(work, 4 * MIN_ITEMS_PER_WORKER, 2)
