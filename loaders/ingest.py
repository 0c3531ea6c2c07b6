"""The last stage of the pipeline: read files, extract batches, write them to a store, report.

This is the only loader module that touches a store. Its error policy is explicit: `on_error="skip"`
(batch runs, the CLI, the API) reports a bad document and goes on; `on_error="raise"` (tests) stops at
the first one. Either way nothing already stored is lost, because each document is one atomic upsert.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from graph.errors import BadDocument
from graph.model import GraphBatch
from graph.store import GraphStore
from loaders.policies import resolve_policies
from loaders.raw import RawDocument
from loaders.readers import ReadResult, discover, read_file
from loaders.workers import FATAL, Extracted, ExtractionPool, Failure, extract_chunk, reason_of

if TYPE_CHECKING:
    from loaders.pipeline import Pipeline

Status = Literal["added", "unchanged", "replaced", "skipped", "failed"]
OnError = Literal["skip", "raise"]

_CHUNK = 64
"""Documents handed to the NLP model at once: enough for `nlp.pipe` to batch, small enough to report often."""
_WORKER_CHUNK = 16
"""Documents per chunk sent to a worker process: small, so a modest corpus still spreads over all workers."""


class Extractor(Protocol):
    def extract_many(self, raws: Iterable[RawDocument]) -> Iterator[GraphBatch]: ...

    def extract(self, raw: RawDocument, ingested_at: datetime | None = None) -> GraphBatch: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one document (or to one file that yielded none)."""

    source: str
    status: Status
    doc_id: str | None = None
    reason: str | None = None
    entities: int = 0
    relations: int = 0
    words: int = 0
    records: int = 1
    """How many records this outcome stands for: one, except for the records over a file's cap."""


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for o in self.outcomes:
            counts[o.status] += o.records
        return counts

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("skipped", "failed")]

    @property
    def words(self) -> int:
        return sum(o.words for o in self.outcomes if o.status in ("added", "replaced"))


ProgressFn = Callable[[Outcome], None]

_FATAL = FATAL


def check_paths(paths: Sequence[Path]) -> None:
    """Fail before any work when a path the user named does not exist."""
    for path in paths:
        if not path.exists():
            raise BadDocument(str(path), "no such file or directory")


class Ingestor:
    """Feeds documents through an extractor into a store, one atomic upsert per document.

    The extractor is built on first need only, so re-ingesting an unchanged corpus never loads the
    NLP model.
    """

    def __init__(
        self,
        store: GraphStore,
        make_extractor: Callable[[], Extractor],
        *,
        max_bytes: int = 5_000_000,
        max_records: int = 5_000,
        min_words: int = 1,
        force: bool = False,
        on_error: OnError = "skip",
        workers: int = 1,
        chunk_size: int | None = None,
    ) -> None:
        self.store = store
        self._make = make_extractor
        self._extractor: Extractor | None = None
        self.workers = max(1, workers)
        """Processes that extract; more than one needs a picklable `make_extractor` (`PipelineSpec`)."""
        self.chunk_size = chunk_size or (_CHUNK if self.workers == 1 else _WORKER_CHUNK)
        self._pool: ExtractionPool | None = None
        self.max_bytes = max_bytes
        self.max_records = max_records
        self.min_words = min_words
        self.force = force
        self.on_error = on_error

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = self._make()
        return self._extractor

    def ingest_paths(
        self, paths: Sequence[Path], progress: ProgressFn | None = None, *, follow_symlinks: bool = False
    ) -> IngestReport:
        check_paths(paths)
        files = list(discover(paths, follow_symlinks=follow_symlinks))
        roots = None if follow_symlinks else paths
        reads = ((str(f), read_file(f, self.max_bytes, roots=roots)) for f in files)
        return self.ingest_reads(reads, progress)

    def ingest_reads(
        self, reads: Iterable[tuple[str, ReadResult]], progress: ProgressFn | None = None
    ) -> IngestReport:
        """Ingest what readers produced: each (source, ReadResult) pair, problems reported as skipped.

        With `workers` > 1 the documents are extracted in that many processes while this one writes,
        in the order read, one atomic upsert per document as with one worker.
        """
        started = time.perf_counter()
        report = IngestReport()

        def record(outcome: Outcome) -> None:
            report.outcomes.append(outcome)
            if progress:
                progress(outcome)

        self._pool = ExtractionPool(self._make, self.workers) if self.workers > 1 else None
        try:
            self._ingest(reads, record)
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
        report.seconds = time.perf_counter() - started
        return report

    def _ingest(self, reads: Iterable[tuple[str, ReadResult]], record: ProgressFn) -> None:
        pending: list[RawDocument] = []
        for source, result in reads:
            for problem in result.problems:
                if self.on_error == "raise":
                    raise problem
                record(Outcome(problem.source, "skipped", reason=problem.reason))
            if not result.documents and not result.problems:
                record(Outcome(source, "skipped", reason="no article text found"))
            kept, over = result.documents[: self.max_records], len(result.documents) - self.max_records
            if over > 0:
                record(Outcome(source, "skipped", reason=self._over_cap(kept, over), records=over))
            short: list[RawDocument] = []
            for raw in kept:
                if len(raw.text.split()) < self.min_words:
                    short.append(raw)
                    continue
                if not self._is_new(raw, record):
                    continue
                pending.append(raw)
                if len(pending) >= self.chunk_size:
                    self._flush(pending, record)
            if short:
                record(self._too_short(source, short))
        self._flush(pending, record)
        if self._pool is not None:
            for results in self._pool.drain():
                self._write_all(results, record)

    def _is_new(self, raw: RawDocument, record: ProgressFn) -> bool:
        """Whether a record still needs extracting: not stored yet (or `force`). A store error on one
        record is reported for it, and the records and files after it are still read."""
        try:
            if not self.force and self.store.has_document(raw.content_hash):
                record(Outcome(raw.source, "unchanged", doc_id=raw.content_hash))
                return False
        except _FATAL:
            raise
        except Exception as exc:
            if self.on_error == "raise":
                raise
            record(Outcome(raw.source, "failed", reason=reason_of(exc)))
            return False
        return True

    def _too_short(self, source: str, short: list[RawDocument]) -> Outcome:
        """One outcome for a file's documents under the minimum length: one line, not one per record."""
        minimum = f"the minimum article length is {self.min_words} words (setting min_article_words)"
        if len(short) == 1:
            words = len(short[0].text.split())
            return Outcome(short[0].source, "skipped", reason=f"too short: {words} words, {minimum}")
        return Outcome(
            source, "skipped", reason=f"{len(short):,} records too short: {minimum}", records=len(short)
        )

    def _over_cap(self, kept: list[RawDocument], over: int) -> str:
        first = kept[-1].source if kept else "?"
        return (
            f"{over:,} records after {first} skipped: a file may hold at most {self.max_records:,} "
            f"(setting max_records_per_file)"
        )

    def _flush(self, pending: list[RawDocument], record: ProgressFn) -> None:
        """Extract the pending documents (here, or in the pool) and write what is ready."""
        if not pending:
            return
        chunk = list(pending)
        pending.clear()
        if self._pool is None:
            self._write_all(extract_chunk(self.extractor, chunk, self.on_error), record)
            return
        for results in self._pool.submit(chunk):
            self._write_all(results, record)

    def _write_all(self, results: list[Extracted], record: ProgressFn) -> None:
        for item in results:
            if isinstance(item, Failure):
                if self.on_error == "raise":
                    raise BadDocument(item.source, item.reason)
                record(Outcome(item.source, "failed", item.doc_id, reason=item.reason))
            else:
                record(self._write(item))

    def _write(self, batch: GraphBatch) -> Outcome:
        doc = batch.document
        if doc.ingested_at is None:
            doc.ingested_at = datetime.now(UTC)
        try:
            result = self.store.upsert(resolve_policies(batch, self.store))
        except _FATAL:
            raise
        except Exception as exc:
            if self.on_error == "raise":
                raise
            return Outcome(doc.source, "failed", doc.id, reason=reason_of(exc))
        return Outcome(
            doc.source,
            result.status,
            doc.id,
            entities=len(batch.entities),
            relations=len(batch.relations),
            words=doc.word_count,
        )


@dataclass(frozen=True)
class PipelineSpec:
    """A deferred `Pipeline` constructor that pickles: what a worker process needs to build its own."""

    model: str
    registry_files: tuple[Path, ...] = ()

    def __call__(self) -> Pipeline:
        from loaders.pipeline import Pipeline

        return Pipeline(model=self.model, registry_files=self.registry_files)


def pipeline_factory(model: str, registry_files: Sequence[Path] = ()) -> PipelineSpec:
    """A deferred `Pipeline` constructor, so the spaCy model loads only when a document needs it."""
    return PipelineSpec(model, tuple(registry_files))
