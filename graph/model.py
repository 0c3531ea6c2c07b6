"""The typed model: entities, relations with their evidence, documents, and the batches loaders emit.

A store accepts only `GraphBatch`es: everything one document says, validated here once so that no store
has to second-guess its input. Aggregates (a relation's weight, an entity's mention count and aliases)
are the store's to compute from what the batches it holds say, so retracting a document is exact.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.schema import Direction, NodeType, RelType, canonical_pair


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """One sentence of one document that supports a relation."""

    doc_id: str
    sentence: str
    start: int = Field(ge=0, description="Character offset of the sentence in the document text.")
    end: int = Field(ge=0)
    extractor: str = Field(description="The rule or model that read the relation from the sentence.")
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    hedged: bool = False
    since: date | None = None
    trigger_start: int | None = Field(
        default=None,
        ge=0,
        description="Offset in `sentence` (in Unicode code points, as Python indexes a str) where the "
        "word that fired the rule starts (\"invested\"); None when the extractor names no single "
        "trigger word, or the evidence was stored before triggers were recorded.",
    )
    trigger_end: int | None = Field(
        default=None,
        ge=0,
        description="Offset in `sentence` just after the trigger word: "
        "`sentence[trigger_start:trigger_end]` is the word.",
    )
    # Filled in on reads, from the document the evidence comes from.
    doc_title: str | None = None
    doc_url: str | None = None
    doc_published: datetime | None = None

    @model_validator(mode="after")
    def _trigger_in_sentence(self) -> Evidence:
        if (self.trigger_start is None) != (self.trigger_end is None):
            raise ValueError("trigger_start and trigger_end are given together or not at all")
        if self.trigger_start is not None and self.trigger_end is not None:
            if not 0 <= self.trigger_start < self.trigger_end <= len(self.sentence):
                raise ValueError(
                    f"the trigger {self.trigger_start}..{self.trigger_end} is not a span of the sentence"
                    f" ({len(self.sentence)} characters)"
                )
        return self


class Entity(_Model):
    """An actor (or policy) with a stable id that never depends on how one article spelled it."""

    id: str = Field(examples=["company:openai"])
    name: str = Field(examples=["OpenAI"])
    type: NodeType
    aliases: list[str] = Field(default_factory=list)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code, where known.")
    mention_count: int = Field(default=0, ge=0)
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class Relation(_Model):
    """A typed, directed relation keyed on (source, type, target), with the evidence behind it."""

    source: str
    type: RelType
    target: str
    evidence: list[Evidence] = Field(default_factory=list)
    weight: int = Field(
        default=0,
        ge=0,
        description="Number of distinct stories supporting it: copies of one article count once.",
    )
    outlets: int = Field(default=0, ge=0, description="Number of distinct outlets among its documents.")
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    since: date | None = None
    hedged: bool = False

    @model_validator(mode="after")
    def _canonical_direction(self) -> Relation:
        self.source, self.target = canonical_pair(self.source, self.type, self.target)
        return self

    @property
    def key(self) -> tuple[str, RelType, str]:
        return (self.source, self.type, self.target)


class Document(_Model):
    """A news article as stored: its content hash is its id."""

    id: str
    source: str = Field(description="Path or URL it was read from (with #N for one record of a feed).")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = Field(default=None, description="When it was published; None if unknown.")
    date_source: str | None = Field(
        default=None,
        description="Where `published` came from: feed, json, front-matter, html-meta, text:published, "
        "text:updated, text:dateline or url.",
        examples=["text:dateline"],
    )
    ingested_at: datetime | None = Field(
        default=None, description="When aigeo read it; never taken for a date of the news."
    )
    word_count: int = 0
    story: str | None = Field(
        default=None,
        description="The story it is a copy of, named by that story's first document; None when it is "
        "a story's first document (or no copy at all). The store finds it when a batch does not say.",
    )
    fingerprint: str | None = Field(
        default=None, description="MinHash of its text (`graph.stories`), which finds its copies."
    )
    mentions: list[str] = Field(default_factory=list, description="Ids of the entities it mentions.")

    @property
    def seen_at(self) -> datetime | None:
        """When its facts were reported: the publication date. An undated document was seen at no known
        time (its ingest time says when aigeo read it, not when the news said it)."""
        return self.published


class GraphBatch(_Model):
    """Everything one document contributes: the unit a store writes atomically.

    `entities` carry this document's mention count and the names it (and the registry) used;
    `relations` carry only this document's evidence.
    """

    document: Document
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    text: str | None = Field(
        default=None,
        description="The article's text as read (the basis of its id with its title); stores keep it so "
        "that an export can be checked on import. None for batches built without an article.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> GraphBatch:
        ids = {e.id for e in self.entities}
        if len(ids) != len(self.entities):
            raise ValueError("an entity id appears twice in one batch")
        for rel in self.relations:
            for end in (rel.source, rel.target):
                if end not in ids:
                    raise ValueError(f"relation {rel.key} names {end!r}, which the batch does not carry")
            for ev in rel.evidence:
                if ev.doc_id != self.document.id:
                    raise ValueError(f"evidence for {rel.key} cites another document ({ev.doc_id})")
        keys = [r.key for r in self.relations]
        if len(set(keys)) != len(keys):
            raise ValueError("a relation appears twice in one batch; merge its evidence")
        self.document.mentions = sorted(ids)
        return self


class UpsertResult(_Model):
    """What writing one batch did."""

    doc_id: str
    status: Literal["added", "unchanged", "replaced"]
    replaced_doc_id: str | None = None
    entities: int = 0
    relations: int = 0


class SearchHit(_Model):
    entity: Entity
    score: float = Field(ge=0.0, le=100.0, description="Fuzzy match score, 100 for an exact name.")
    matched: str = Field(description="The name or alias that matched.")


class Subgraph(_Model):
    """Nodes and the relations among them, as a neighbourhood or path query returns them."""

    nodes: list[Entity] = Field(default_factory=list)
    edges: list[Relation] = Field(default_factory=list)


class Path(_Model):
    """A walk from source to target; `edges[i]` joins `nodes[i]` and `nodes[i+1]`, stored either way."""

    nodes: list[Entity]
    edges: list[Relation]

    @property
    def hops(self) -> int:
        return len(self.edges)


class NeighbourhoodQuery(_Model):
    entity_id: str
    depth: int = Field(default=1, ge=1, le=5)
    rel_types: list[RelType] | None = None
    node_types: list[NodeType] | None = None
    direction: Direction = Direction.BOTH
    min_weight: int = Field(default=1, ge=1)
    limit: int = Field(default=200, ge=1, le=10_000, description="Most nodes returned, centre included.")


class PathQuery(_Model):
    source_id: str
    target_id: str
    mode: Literal["shortest", "all_shortest", "k_shortest"] = "shortest"
    k: int = Field(default=3, ge=1, le=50)
    max_hops: int = Field(default=4, ge=1, le=10)
    rel_types: list[RelType] | None = None
    direction: Direction = Direction.BOTH


class RelationFilter(_Model):
    type: RelType | None = None
    source_id: str | None = None
    target_id: str | None = None
    min_weight: int = Field(default=1, ge=1)
    seen_from: datetime | None = Field(default=None, description="Last seen on or after.")
    seen_to: datetime | None = Field(default=None, description="First seen on or before.")
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=10_000)


class Stats(_Model):
    entities: int
    relations: int
    documents: int
    evidence: int
    entities_by_type: dict[str, int]
    relations_by_type: dict[str, int]
