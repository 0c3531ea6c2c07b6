"""Extraction in worker processes: chunks of documents go out, batches (or failures) come back in order.

Parsing is what an ingest spends its time on, and one Python process uses one core. `ExtractionPool`
runs `extract_chunk` in N processes while the caller stays the one writer: it takes the results back
in the order it sent the chunks, so the store sees the same documents in the same order as with one
process, and each document is still one atomic upsert.

The workers grow from one template process. The template is started with "spawn" (a fresh
interpreter inherits no threads, locks or open database connections from the writer), builds the
extractor once, warms it on an invented text, and then forks the N workers: each starts with the
model already loaded and warm, and shares its memory copy-on-write, instead of paying the imports
and the model load (about 1.7 CPU-s) again. The extractor factory travels to the template by pickle
and must be a module-level callable (`loaders.ingest.PipelineSpec`), not a lambda.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
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


WARM_UP = RawDocument(
    source="aigeo-warm-up",
    text=(
        "Northwind Robotics said on Tuesday that it had raised $40 million from Contoso Ventures. "
        "The firm, based in Lisbon, competes with Fabrikam in warehouse automation."
    ),
)
"""An invented document each template extractor reads once, so the forked workers start warm."""

POLL_SECONDS = 0.5
"""How often a waiting process checks that the process it serves (or obeys) is still alive."""

_STARTUP = -1
"""The sequence number of the template's own message: the extractor could not be built."""

Message = tuple[int, "list[Extracted] | BaseException"]
Task = tuple[int, list[RawDocument]] | None


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the writer handles it (and stops the pool), not each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _orphaned(parent: int) -> bool:
    """Whether the process that started this one is gone (this one was handed to another parent)."""
    return os.getppid() != parent


def _work(extractor: ChunkExtractor, tasks: Queue[Task], results: Queue[Message], template: int) -> None:
    """A forked worker: extract chunks until the sentinel (or until the template is gone)."""
    while not _orphaned(template):
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue
        if task is None:
            return
        seq, chunk = task
        try:
            results.put((seq, extract_chunk(extractor, chunk)))
        except Exception as exc:  # fatal: the writer raises it and stops the run
            results.put((seq, exc))


def _template(
    make: Callable[[], ChunkExtractor], workers: int, tasks: Queue[Task], results: Queue[Message], writer: int
) -> None:
    """Build and warm one extractor, fork the workers from it, and wait for them.

    If the writer dies without stopping the pool, or a worker dies (killed, out of memory), the
    template stops the workers and exits, which the writer notices.
    """
    _ignore_interrupts()
    try:
        extractor = make()
        list(extractor.extract_many([WARM_UP]))
    except Exception as exc:
        results.put((_STARTUP, exc))
        return
    gc.freeze()  # the model's objects stay out of the workers' collections: less CPU, fewer pages copied
    fork = multiprocessing.get_context("fork")
    me = os.getpid()
    procs = [fork.Process(target=_work, args=(extractor, tasks, results, me)) for _ in range(workers)]
    for proc in procs:
        proc.start()

    def stop(*_: object) -> None:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    while any(proc.exitcode is None for proc in procs):
        if _orphaned(writer) or any(proc.exitcode for proc in procs):
            stop()
        wait([proc.sentinel for proc in procs if proc.exitcode is None], POLL_SECONDS)


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
        self._ctx = multiprocessing.get_context("spawn")
        self._template: SpawnProcess | None = None
        self._tasks: Queue[Task] = self._ctx.Queue()
        self._results: Queue[Message] = self._ctx.Queue()
        self._sent = 0
        self._taken = 0
        self._arrived: dict[int, list[Extracted]] = {}

    def submit(self, chunk: list[RawDocument]) -> Iterator[list[Extracted]]:
        """Queue `chunk`; yield the finished results that must make room for it, oldest first."""
        if self._template is None:
            self._template = self._ctx.Process(
                target=_template,
                args=(self._make, self.workers, self._tasks, self._results, os.getpid()),
                name="aigeo-extract",
            )
            self._template.start()
        self._tasks.put((self._sent, chunk))
        self._sent += 1
        while self._sent - self._taken > self.workers * IN_FLIGHT_PER_WORKER:
            yield self._take()

    def drain(self) -> Iterator[list[Extracted]]:
        """Every queued chunk's results, oldest first."""
        while self._taken < self._sent:
            yield self._take()

    def _take(self) -> list[Extracted]:
        """The oldest chunk's results, waiting for them; a worker's fatal error is raised here."""
        while self._taken not in self._arrived:
            try:
                seq, payload = self._results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if self._template is not None and not self._template.is_alive():
                    raise RuntimeError(
                        "the extraction workers stopped before their chunks were done"
                    ) from None
                continue
            if isinstance(payload, BaseException):
                raise payload
            self._arrived[seq] = payload
        self._taken += 1
        return self._arrived.pop(self._taken - 1)

    def close(self) -> None:
        """Stop the workers: at once when chunks are still out (an error, Ctrl-C), else when they finish."""
        template, self._template = self._template, None
        if template is None:
            return
        if self._taken < self._sent:
            self._tasks.cancel_join_thread()
            template.terminate()
        else:
            for _ in range(self.workers):
                self._tasks.put(None)
        template.join()
        self._sent = self._taken = 0
        self._arrived.clear()
