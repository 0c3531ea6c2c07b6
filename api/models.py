"""Every shape the API answers with (and the one body it accepts), with OpenAPI examples.

These mirror `graph.model` but are the API's own: the wire format stays put when a store's model
grows a field, and each carries the examples the OpenAPI document shows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from graph.model import Document, Entity, Evidence, Path, Relation, Stats
from graph.schema import SYMMETRIC_RELATIONS, Direction, NodeType, RelType

_NOW = "2025-01-14T09:30:00Z"


class _Out(BaseModel):
    # from_attributes: a response is validated straight from the graph model's objects in one pass,
    # nested lists included, which is several times faster than dumping and rebuilding them.
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class EntityRef(_Out):
    """Just enough to name an entity next to its id."""

    id: str = Field(examples=["company:openai"])
    name: str = Field(examples=["OpenAI"])
    type: NodeType = Field(examples=[NodeType.COMPANY])

    @classmethod
    def of(cls, entity: Entity) -> EntityRef:
        return cls.model_validate(entity)


class EntityOut(EntityRef):
    """An actor (or policy) as the graph knows it."""

    aliases: list[str] = Field(examples=[["Open AI", "OpenAI Inc."]])
    country: str | None = Field(description="ISO 3166-1 alpha-3 code, where known.", examples=["USA"])
    mention_count: int = Field(description="Mentions across all stored documents.", examples=[12])
    first_seen: datetime | None = Field(examples=["2024-03-02T00:00:00Z"])
    last_seen: datetime | None = Field(examples=[_NOW])

    @classmethod
    def of(cls, entity: Entity) -> EntityOut:
        return cls.model_validate(entity)


class EvidenceOut(_Out):
    """One sentence of one document that supports a relation."""

    doc_id: str = Field(examples=["3f9a0c1d2b4e5f6a7b8c9d0e"])
    sentence: str = Field(examples=["Microsoft has put billions of dollars into OpenAI."])
    start: int = Field(description="Character offset of the sentence in the document text.", examples=[120])
    end: int = Field(examples=[171])
    extractor: str = Field(
        description="The rule or model that read the relation.", examples=["pattern:invest"]
    )
    confidence: float = Field(ge=0.0, le=1.0, examples=[0.8])
    hedged: bool = Field(description="The sentence only speculates.", examples=[False])
    since: date | None = Field(description="Date the text gives for the relation.", examples=["2023-01-23"])
    trigger_start: int | None = Field(
        ge=0,
        description="Offset in `sentence` (in Unicode code points) where the word that fired the extractor "
        "starts; null when the extractor names no single word, or the store predates trigger offsets.",
        examples=[14],
    )
    trigger_end: int | None = Field(
        ge=0,
        description="Offset in `sentence` just after the trigger word: "
        "`sentence[trigger_start:trigger_end]` is the word.",
        examples=[17],
    )
    doc_title: str | None = Field(examples=["Cloud giants deepen their AI bets"])
    doc_url: str | None = Field(examples=["https://news.example.com/ai-bets"])
    doc_published: datetime | None = Field(examples=[_NOW])

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceOut:
        return cls.model_validate(evidence)


class RelationOut(_Out):
    """A typed relation between two entities (by id), with the evidence behind it."""

    source: str = Field(examples=["company:microsoft"])
    type: RelType = Field(examples=[RelType.BACKS])
    target: str = Field(examples=["company:openai"])
    weight: int = Field(
        description="Number of distinct stories supporting it: copies of one article count once.",
        examples=[3],
    )
    outlets: int = Field(
        default=0, description="Number of distinct outlets among its documents.", examples=[2]
    )
    confidence: float = Field(ge=0.0, le=1.0, examples=[0.8])
    hedged: bool = Field(description="Every supporting sentence only speculates.", examples=[False])
    since: date | None = Field(examples=["2023-01-23"])
    first_seen: datetime | None = Field(examples=["2024-03-02T00:00:00Z"])
    last_seen: datetime | None = Field(examples=[_NOW])
    evidence: list[EvidenceOut]

    @computed_field(description="COMPETES_WITH and PARTNERS_WITH hold both ways.", examples=[False])
    def symmetric(self) -> bool:
        return self.type in SYMMETRIC_RELATIONS

    @classmethod
    def of(cls, rel: Relation) -> RelationOut:
        return cls.model_validate(rel)


class LinkedRelation(RelationOut):
    """A relation with both ends named, for lists that carry no node list of their own."""

    source_entity: EntityRef
    target_entity: EntityRef


class RelationGroup(_Out):
    """An entity's relations of one type in one direction."""

    type: RelType = Field(examples=[RelType.BACKS])
    direction: Direction = Field(
        description="out: the entity is the source; in: the target; both: a symmetric relation.",
        examples=[Direction.OUT],
    )
    relations: list[LinkedRelation]


class EntityCounts(_Out):
    relations: int = Field(examples=[7])
    evidence: int = Field(description="Supporting sentences over all its relations.", examples=[15])
    documents: int = Field(description="Distinct documents supporting its relations.", examples=[5])
    relations_by_type: dict[str, int] = Field(examples=[{"BACKS": 3, "COMPETES_WITH": 4}])


class EntityDetail(EntityOut):
    """An entity with its counts and its relations grouped by type and direction."""

    counts: EntityCounts
    groups: list[RelationGroup]


class SearchHitOut(_Out):
    entity: EntityOut
    score: float = Field(
        ge=0.0, le=100.0, description="Fuzzy match score, 100 for an exact name.", examples=[100.0]
    )
    matched: str = Field(description="The name or alias that matched.", examples=["OpenAI"])


class _Page(_Out):
    page: int = Field(ge=1, examples=[1])
    page_size: int = Field(ge=1, examples=[50])
    next_page: int | None = Field(description="The next page's number, null on the last page.", examples=[2])


class SearchPage(_Page):
    items: list[SearchHitOut]


class RelationPage(_Page):
    items: list[LinkedRelation]


class DocumentOut(_Out):
    """A stored news article's metadata."""

    id: str = Field(description="Content hash.", examples=["3f9a0c1d2b4e5f6a7b8c9d0e"])
    source: str = Field(examples=["examples/cloud-bets.html"])
    title: str | None = Field(examples=["Cloud giants deepen their AI bets"])
    url: str | None = Field(examples=["https://news.example.com/ai-bets"])
    outlet: str | None = Field(examples=["Example News"])
    published: datetime | None = Field(examples=[_NOW])
    date_source: str | None = Field(
        default=None,
        description="Where `published` came from: feed, json, front-matter, html-meta, text:published, "
        "text:updated, text:dateline or url.",
        examples=["html-meta"],
    )
    ingested_at: datetime | None = Field(examples=[_NOW])
    word_count: int = Field(examples=[640])
    story: str | None = Field(
        default=None,
        description="The story it is a copy of (named by its first document's id); null for a story's "
        "first document.",
        examples=["3f9a0c1d2b4e5f6a7b8c9d0e"],
    )
    mention_count: int = Field(description="Distinct entities it mentions.", examples=[9])

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        fields = {k: v for k, v in doc if k not in ("mentions", "fingerprint")}
        return cls.model_validate({**fields, "mention_count": len(doc.mentions)})


class DocumentPage(_Page):
    items: list[DocumentOut]


class DocumentDetail(DocumentOut):
    """A document with the entities it mentions and the relations it supports."""

    entities: list[EntityRef]
    relations: list[LinkedRelation] = Field(description="With this document's evidence only.")


class SubgraphOut(_Out):
    """A neighbourhood: the centre, the nodes within reach and the relations among them."""

    entity: EntityRef
    nodes: list[EntityOut]
    edges: list[RelationOut]


class PathOut(_Out):
    """A walk: `edges[i]` joins `nodes[i]` and `nodes[i+1]`, in whichever direction it is stored."""

    hops: int = Field(examples=[2])
    nodes: list[EntityOut]
    edges: list[RelationOut]

    @classmethod
    def of(cls, path: Path) -> PathOut:
        return cls.model_validate({"hops": path.hops, "nodes": path.nodes, "edges": path.edges})


class PathsOut(_Out):
    source: EntityRef
    target: EntityRef
    mode: Literal["shortest", "all_shortest", "k_shortest"] = Field(examples=["shortest"])
    paths: list[PathOut]


class StatsOut(_Out):
    """How big the graph is."""

    entities: int = Field(examples=[140])
    relations: int = Field(examples=[310])
    documents: int = Field(examples=[12])
    evidence: int = Field(examples=[455])
    entities_by_type: dict[str, int] = Field(examples=[{"Company": 80, "Government": 20}])
    relations_by_type: dict[str, int] = Field(examples=[{"BACKS": 40, "RESTRICTS": 25}])

    @classmethod
    def of(cls, stats: Stats) -> StatsOut:
        return cls.model_validate(stats)


class HealthOut(_Out):
    status: Literal["ok"] = "ok"


class ReadyOut(_Out):
    status: Literal["ready"] = "ready"
    store: Literal["embedded", "neo4j"] = Field(examples=["embedded"])


class DocumentOutcome(_Out):
    """What an upload did with one document."""

    source: str = Field(examples=["notes.txt"])
    status: Literal["added", "unchanged", "replaced", "skipped", "failed"] = Field(examples=["added"])
    doc_id: str | None = Field(examples=["3f9a0c1d2b4e5f6a7b8c9d0e"])
    reason: str | None = Field(description="Why it was skipped or failed.", examples=[None])
    entities: int = Field(examples=[6])
    relations: int = Field(examples=[4])


class FileOutcome(_Out):
    file: str = Field(examples=["notes.txt"])
    documents: list[DocumentOutcome]


class UploadOut(_Out):
    files: list[FileOutcome]
    counts: dict[str, int] = Field(examples=[{"added": 1, "skipped": 1}])


class RetractOut(_Out):
    doc_id: str = Field(examples=["3f9a0c1d2b4e5f6a7b8c9d0e"])
    status: Literal["retracted"] = "retracted"


class CypherIn(_Out):
    """A read-only Cypher query and its parameters."""

    query: str = Field(
        min_length=1,
        max_length=20_000,
        examples=["MATCH (a:Company)-[r:BACKS]->(b) RETURN a.name AS backer, b.name AS backed"],
    )
    parameters: dict[str, Any] = Field(default_factory=dict, examples=[{}])


class CypherOut(_Out):
    rows: list[dict[str, Any]] = Field(examples=[[{"backer": "Microsoft", "backed": "OpenAI"}]])
    row_count: int = Field(examples=[1])
    truncated: bool = Field(description="The row cap cut the result short.", examples=[False])


class CytoscapeElement(BaseModel):
    """One Cytoscape.js element: `data` holds id (and source/target for edges) plus attributes."""

    data: dict[str, Any] = Field(examples=[{"id": "company:openai", "label": "OpenAI", "type": "Company"}])
    classes: str | None = Field(default=None, examples=["Company"])


class CytoscapeElements(BaseModel):
    """What `cy.add(...)` or `cytoscape({elements})` takes."""

    nodes: list[CytoscapeElement]
    edges: list[CytoscapeElement]


class CytoscapeOut(BaseModel):
    elements: CytoscapeElements


class FieldProblem(BaseModel):
    field: str = Field(examples=["depth"])
    location: str = Field(examples=["query"])
    reason: str = Field(examples=["Input should be greater than or equal to 1"])


class Problem(BaseModel):
    """An RFC 9457 problem: every error the API answers has this shape."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["urn:aigeo:problem:entity-not-found"])
    title: str = Field(examples=["Entity not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no entity named or identified by 'Open A' (did you mean: OpenAI?)"])
    instance: str | None = Field(default=None, examples=["/entities/Open%20A"])
    suggestions: list[str] | None = Field(
        default=None, description="On 404: the closest names.", examples=[["OpenAI"]]
    )
    candidates: list[str] | None = Field(default=None, description="On 409: the entities a name matches.")
    errors: list[FieldProblem] | None = Field(default=None, description="On 422: each invalid field.")
    limit: str | None = Field(
        default=None, description="On 400/413: the server setting exceeded.", examples=["max_depth"]
    )
    maximum: int | None = Field(default=None, examples=[3])
    key: str | None = Field(default=None, description="On 404/409: the id or name asked for.")
    source: str | None = Field(default=None, description="On a missing path: its start.")
    target: str | None = Field(default=None, description="On a missing path: its end.")
    doc_id: str | None = Field(default=None, description="On a missing document: its id.")
