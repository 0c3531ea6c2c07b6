"""Copy one store into another, document by document, through the `GraphStore` contract alone.

Each source document is rebuilt as the batch it once was (`GraphStore.document_batch`: the document,
what it said about each entity it mentions, its evidence) and upserted into the destination, oldest
first, so the destination computes the same aggregates (the latest document names an entity) from
the same statements. Upserts are idempotent, so syncing twice changes nothing, and a sync after more
ingests only adds what is new. `prune=True` also retracts destination documents the source no longer
holds, making the destination a mirror.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from graph.stores.embedded import EmbeddedStore
    >>> src = EmbeddedStore(Path(tempfile.mkdtemp()))
    >>> dst = EmbeddedStore(Path(tempfile.mkdtemp()))
    >>> copy_graph(src, dst).documents
    0
    >>> src.close(); dst.close()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.model import UpsertResult
from graph.store import GraphStore

SyncProgress = Callable[[UpsertResult, int, int], None]
"""Called after each document with its result, how many are done and how many there are."""


@dataclass
class SyncReport:
    """What a sync did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    retracted: int = 0
    seconds: float = 0.0
    replaced_ids: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        """Source documents handled."""
        return self.added + self.replaced + self.unchanged

    def count(self, result: UpsertResult) -> None:
        if result.status == "added":
            self.added += 1
        elif result.status == "replaced":
            self.replaced += 1
            if result.replaced_doc_id:
                self.replaced_ids.append(result.replaced_doc_id)
        else:
            self.unchanged += 1


def copy_graph(
    src: GraphStore, dst: GraphStore, progress: SyncProgress | None = None, prune: bool = False
) -> SyncReport:
    """Upsert every document of `src` into `dst`, oldest first; idempotent.

    Args:
        src: the store to read (it is not changed).
        dst: the store to write, one atomic upsert per document.
        progress: called after each document (result, done, total).
        prune: also retract the documents of `dst` that `src` does not hold.

    Returns:
        How many documents were added, replaced (same source, new content) or already there.

    Raises:
        StoreUnavailable: either store stops answering; what was copied before stays copied.
    """
    started = time.perf_counter()
    report = SyncReport()
    total = src.stats().documents
    seen: set[str] = set()
    # Ids first, then one batch at a time: the source's document iterator stays short-lived even
    # while the destination is slow, and memory holds ids, not documents.
    ids = [doc.id for doc in src.iter_documents()]
    for done, doc_id in enumerate(ids, 1):
        result = dst.upsert(src.document_batch(doc_id))
        seen.add(doc_id)
        report.count(result)
        if progress is not None:
            progress(result, done, max(total, done))
    if prune:
        stale = [doc.id for doc in dst.iter_documents() if doc.id not in seen]
        for doc_id in stale:
            dst.retract(doc_id)
        report.retracted = len(stale)
    report.seconds = time.perf_counter() - started
    return report
