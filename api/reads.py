"""Where a route's store read runs: on the event loop itself, or in the thread pool.

A hop to the thread pool and back costs about 0.3 ms of CPU and two thread wake-ups, and on a busy
machine each wake-up waits for a time slice: more than a read from the embedded store's in-memory
graph takes (a depth-1 neighbourhood or a shortest path, about 0.5-2 ms). So the loop runs such a read
itself, for as long as that kind of read stays fast: each kind ("neighbourhood", depth 1) keeps a
moving average of the CPU time its reads took (CPU, not wall time: a read that waits for a time
slice on a busy machine did not cost the loop that wait), and while the average is over
`INLINE_BUDGET` the kind reads in the thread pool, where a slow read does not hold up every other
request; its reads there keep the average current, so a kind that turns fast again comes back. A
store that reads over the network (Neo4j) always reads in the thread pool: the loop must never wait
on a socket.

>>> import anyio
>>> reads = ReadPlacement(inline=True)
>>> anyio.run(reads.run, ("stats",), lambda: 42)
42
>>> reads.on_loop(("stats",))
True
>>> reads.note(("stats",), 1.0)  # one very slow read: the kind goes to the thread pool
>>> reads.on_loop(("stats",))
False
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from fastapi.concurrency import run_in_threadpool

T = TypeVar("T")

INLINE_BUDGET = 0.004
"""CPU seconds: a kind of read whose average is over this runs in the thread pool."""
WEIGHT = 0.2
"""The weight of the newest duration in a kind's moving average."""


class ReadPlacement:
    """Runs store reads on the loop or in the thread pool, by the recent durations of their kind."""

    def __init__(self, inline: bool, budget: float = INLINE_BUDGET) -> None:
        self.inline = inline
        """Whether reads may run on the loop at all (an in-process store)."""
        self.budget = budget
        self._average: dict[Hashable, float] = {}

    def on_loop(self, kind: Hashable) -> bool:
        """Whether the next read of this kind runs on the loop (a kind not seen yet does)."""
        return self.inline and self._average.get(kind, 0.0) <= self.budget

    def note(self, kind: Hashable, seconds: float) -> None:
        """Fold one read's CPU time into its kind's moving average."""
        before = self._average.get(kind)
        self._average[kind] = seconds if before is None else before + WEIGHT * (seconds - before)

    async def run(self, kind: Hashable, work: Callable[[], T]) -> T:
        """`work()`'s result, run where its kind belongs; its CPU time is noted either way (also when
        it raises: a read that ends in "not found" took its time too)."""
        if self.on_loop(kind):
            started = time.thread_time()
            try:
                return work()
            finally:
                self.note(kind, time.thread_time() - started)
        took: list[float] = []

        def timed() -> T:
            started = time.thread_time()
            try:
                return work()
            finally:
                took.append(time.thread_time() - started)

        try:
            return await run_in_threadpool(timed)
        finally:
            if took:
                self.note(kind, took[0])
