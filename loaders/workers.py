"""Extraction in worker processes: chunks of documents go out, batches (or failures) come back in order.

Parsing is what an ingest spends its time on, and one Python process uses one core. `ExtractionPool`
runs `extract_chunk` in N processes, each building its own extractor once (the spaCy model loads once
per process, not per document), while the caller stays the one writer: it takes the results back in
the order it sent the chunks, so the store sees the same documents in the same order as with one
process, and each document is still one atomic upsert.

Worker processes are started with "spawn": a fresh interpreter inherits no threads, locks or open
database connections from the parent. The extractor factory therefore travels by pickle and must be
a module-level callable (`loaders.ingest.PipelineSpec`), not a lambda.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal, Protocol

from graph.errors import ModelNotFound, StoreUnavailable
from graph.model import GraphBatch
from loaders.raw import RawDocument

FATAL = (ModelNotFound, StoreUnavailable)
"""Errors no other document would escape: stop the run rather than report each document."""

IN_FLIGHT_PER_WORKER = 2
"""Chunks queued per worker: one being parsed, one waiting, so no worker idles while the writer writes."""


class ChunkExtractor(Protocol):
    def extract_many(self, raws: Iterable[RawDocument]) -> Iterator[GraphBatch]: ...

    def extract(self, raw: RawDocument) -> GraphBatch: ...


@dataclass(frozen=True)
class Failure:
    """A document the extractor could not read; the run reports it and goes on."""

    source: str
    doc_id: str
    reason: str


Extracted = GraphBatch | Failure


def reason_of(exc: BaseException) -> str:
    """One line naming the error: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else 'no detail'}"


def extract_chunk(
    extractor: ChunkExtractor, chunk: list[RawDocument], on_error: Literal["skip", "raise"] = "skip"
) -> list[Extracted]:
    """The chunk's batches in order, parsed together; a document that fails becomes a `Failure`.

    When the chunk as a whole fails, it is redone one document at a time, so one bad document does not
    sink its neighbours. Fatal errors (no model) propagate; so does any error under `on_error="raise"`.
    """
    try:
        return list(extractor.extract_many(chunk))
    except FATAL:
        raise
    except Exception:
        pass  # find the bad document below
    results: list[Extracted] = []
    for raw in chunk:
        try:
            results.append(extractor.extract(raw))
        except FATAL:
            raise
        except Exception as exc:
            if on_error == "raise":
                raise
            results.append(Failure(raw.source, raw.content_hash, reason_of(exc)))
    return results


_worker_extractor: ChunkExtractor | None = None
"""The extractor of this worker process, built by its first chunk and kept for the next ones."""


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the parent handles it (and stops the pool), not each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_in_worker(make: Callable[[], ChunkExtractor], chunk: list[RawDocument]) -> list[Extracted]:
    global _worker_extractor
    if _worker_extractor is None:
        _worker_extractor = make()
    return extract_chunk(_worker_extractor, chunk)


class ExtractionPool:
    """N worker processes extracting chunks, the results handed back in the order the chunks went out.

    `submit` returns the results of chunks that are done (oldest first) once enough are queued to keep
    every worker busy; `drain` returns the rest. The processes start with the first chunk, so a run
    that extracts nothing starts none; `close` stops them (also on error or Ctrl-C).
    """

    def __init__(self, make: Callable[[], ChunkExtractor], workers: int) -> None:
        if workers < 2:
            raise ValueError("an extraction pool needs at least 2 workers")
        self._make = make
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[list[Extracted]]] = deque()

    def submit(self, chunk: list[RawDocument]) -> Iterator[list[Extracted]]:
        """Queue `chunk`; yield the finished results that must make room for it, oldest first."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupts
            )
        self._pending.append(self._pool.submit(_extract_in_worker, self._make, chunk))
        while len(self._pending) > self.workers * IN_FLIGHT_PER_WORKER:
            yield self._pending.popleft().result()

    def drain(self) -> Iterator[list[Extracted]]:
        """Every queued chunk's results, oldest first."""
        while self._pending:
            yield self._pending.popleft().result()

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
