"""The `GraphStore` contract that every store fulfils, and lookups built on it alone.

Loaders hand a store `GraphBatch`es; the API, the CLI and the exporters read through these methods and
nothing else, so a behaviour pinned by the contract tests holds on every backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from graph.errors import AmbiguousName, NodeNotFound
from graph.model import (
    Document,
    Entity,
    GraphBatch,
    NeighbourhoodQuery,
    Path,
    PathQuery,
    Relation,
    RelationFilter,
    SearchHit,
    Stats,
    Subgraph,
    UpsertResult,
)
from graph.schema import NodeType


@dataclass(frozen=True)
class Capabilities:
    """What a store offers beyond the common contract: declared, so callers never probe for methods."""

    read_cypher: bool = False
    """`read_cypher` runs read-only Cypher; a store without it raises `StoreNotSupported`."""
    atomic_bulk: bool = False
    """`upsert_many` writes all its batches in one transaction (else one transaction per batch)."""


@runtime_checkable
class GraphStore(Protocol):
    """A durable home for the graph. Every write is atomic per batch and idempotent."""

    @property
    def capabilities(self) -> Capabilities: ...

    def upsert(self, batch: GraphBatch) -> UpsertResult:
        """Store one document's contribution.

        The same document id again changes nothing ("unchanged"); a new id for a source already
        stored replaces that source's old document and its evidence ("replaced").
        """
        ...

    def upsert_many(self, batches: Iterable[GraphBatch]) -> list[UpsertResult]:
        """Store several batches in order, each with the meaning it has alone (a later one may replace
        an earlier one's source); in one transaction when `capabilities.atomic_bulk`."""
        ...

    def read_cypher(
        self,
        query: str,
        parameters: dict[str, Any] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a read-only Cypher query when `capabilities.read_cypher`; else raise `StoreNotSupported`.

        Raises `BadQuery` for a query that writes, is invalid or runs longer than `timeout` seconds.
        """
        ...

    def retract(self, doc_id: str) -> None:
        """Remove a document, its evidence and mentions, and whatever is left with no support.

        Raises `DocumentNotFound` when no such document is stored.
        """
        ...

    def has_document(self, doc_id: str) -> bool: ...

    def get_document(self, doc_id: str) -> Document:
        """Raises `DocumentNotFound`."""
        ...

    def document_batch(self, doc_id: str) -> GraphBatch:
        """Rebuild exactly what one document contributed (its mentions and evidence) as a batch.

        Upserting it into another store reproduces that document there; `sync` and RDF use it.
        Raises `DocumentNotFound`.
        """
        ...

    def document_text(self, doc_id: str) -> str | None:
        """The article's text as read (with its title, the basis of its id), or None when the document
        was stored without it (by an older aigeo, or from a batch that carried none).

        Raises `DocumentNotFound`.
        """
        ...

    def documents(self, offset: int = 0, limit: int = 100) -> list[Document]:
        """Documents, newest ingested first."""
        ...

    def get_entity(self, entity_id: str) -> Entity:
        """Raises `NodeNotFound`."""
        ...

    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or an alias equals `name` under `graph.names.name_key`."""
        ...

    def search(
        self, text: str, types: list[NodeType] | None = None, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        """Fuzzy search over names and aliases, best first."""
        ...

    def relations(self, flt: RelationFilter) -> list[Relation]:
        """Relations matching the filter, heaviest first, with their evidence."""
        ...

    def entity_relations(self, entity_id: str) -> list[Relation]:
        """Every relation with the entity at either end, with evidence."""
        ...

    def document_relations(self, doc_id: str) -> list[Relation]:
        """The relations a document supports, with that document's evidence only."""
        ...

    def neighbourhood(self, query: NeighbourhoodQuery) -> Subgraph:
        """Entities within `depth` hops (as networkx `ego_graph`) and the relations among them."""
        ...

    def paths(self, query: PathQuery) -> list[Path]:
        """Paths between two entities; raises `NoPath` when there is none within the limits."""
        ...

    def iter_entities(self) -> Iterator[Entity]: ...

    def iter_relations(self, with_evidence: bool = True) -> Iterator[Relation]: ...

    def iter_documents(self) -> Iterator[Document]: ...

    def stats(self) -> Stats: ...

    def ping(self) -> None:
        """Raise `StoreUnavailable` unless the store answers."""
        ...

    def close(self) -> None: ...


def resolve_entity(store: GraphStore, key: str) -> Entity:
    """Find one entity by canonical id, else by name or alias.

    Raises `AmbiguousName` with the candidates' ids when several match, and `NodeNotFound` with
    the closest names as suggestions when none does.
    """
    try:
        return store.get_entity(key)
    except NodeNotFound:
        pass
    found = store.find_entities(key)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousName(key, sorted(f"{e.id} ({e.name}, {e.type})" for e in found))
    suggestions = [hit.entity.name for hit in store.search(key, limit=5) if hit.score >= 60]
    raise NodeNotFound(key, list(dict.fromkeys(suggestions)))
