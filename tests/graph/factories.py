"""Builders of realistic `GraphBatch`es that store, API, RDF and export tests share.

`make_batch` writes one small article: each relation gets a sentence (yours or a generated one) placed
in the document text with true character offsets, and every entity a relation names is carried by the
batch. `sample_batches()` is a small AI-geopolitics world in six articles, worded for these tests.

    >>> batch = make_batch("doc-1", relations=[("company:microsoft", "BACKS", "company:openai")])
    >>> [e.id for e in batch.entities]
    ['company:microsoft', 'company:openai']
    >>> ev = batch.relations[0].evidence[0]
    >>> make_text(batch)[ev.start:ev.end] == ev.sentence
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from graph.model import Document, Entity, Evidence, GraphBatch, Relation
from graph.schema import NodeType, RelType
from graph.store import GraphStore


@dataclass(frozen=True)
class Actor:
    name: str
    type: NodeType
    country: str | None = None
    aliases: tuple[str, ...] = ()


WORLD: dict[str, Actor] = {
    "company:openai": Actor("OpenAI", NodeType.COMPANY, "USA", ("Open AI",)),
    "company:microsoft": Actor("Microsoft", NodeType.COMPANY, "USA", ("Microsoft Corp.", "MSFT")),
    "company:zhipu-ai": Actor("Zhipu AI", NodeType.COMPANY, "CHN", ("Zhīpǔ AI", "Z.ai")),
    "company:tencent": Actor("Tencent", NodeType.COMPANY, "CHN", ("Tencent Holdings",)),
    "company:baidu": Actor("Baidu", NodeType.COMPANY, "CHN", ("Baidu Inc.",)),
    "company:nvidia": Actor("Nvidia", NodeType.COMPANY, "USA", ("NVIDIA Corporation",)),
    "government:usa": Actor("United States", NodeType.GOVERNMENT, "USA", ("US", "Washington")),
    "government:chn": Actor("China", NodeType.GOVERNMENT, "CHN", ("PRC", "Beijing")),
    "policy:us-chip-export-controls": Actor(
        "US chip export controls", NodeType.POLICY, "USA", ("advanced computing rule",)
    ),
    "person:sam-altman": Actor("Sam Altman", NodeType.PERSON, "USA"),
    "organization:tsinghua-university": Actor("Tsinghua University", NodeType.ORGANIZATION, "CHN"),
}

VERBS: dict[RelType, str] = {
    RelType.BACKS: "puts money behind",
    RelType.RESTRICTS: "limits what is available to",
    RelType.COMPETES_WITH: "is a rival of",
    RelType.AFFILIATED_WITH: "works for",
    RelType.PARTNERS_WITH: "teams up with",
    RelType.ENACTS: "put in place",
    RelType.TARGETS: "is aimed at",
    RelType.BASED_IN: "has its headquarters in",
}

DEFAULT_PUBLISHED = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Claim:
    """One relation one article states, with its own sentence when the test cares about wording."""

    source: str
    type: RelType
    target: str
    sentence: str | None = None
    hedged: bool = False
    since: date | None = None
    confidence: float = 0.8
    extractor: str = "test-pattern"
    trigger: str | None = None
    """The word that fired the rule: its first occurrence in the sentence becomes the trigger span."""


RelationSpec = Claim | tuple[Any, ...]


@dataclass
class _Text:
    parts: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, sentence: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        return start, self.length


_TEXTS: dict[str, str] = {}


def actor(entity_id: str, **overrides: Any) -> Entity:
    """An `Entity` for a WORLD id (or any id, given `name` and `type`), mentioned once by default."""
    base = WORLD.get(entity_id)
    fields: dict[str, Any] = {"id": entity_id, "mention_count": 1}
    if base is not None:
        fields |= {
            "name": base.name,
            "type": base.type,
            "country": base.country,
            "aliases": list(base.aliases),
        }
    fields |= overrides
    return Entity(**fields)


def _claim(spec: RelationSpec) -> Claim:
    if isinstance(spec, Claim):
        return spec
    source, rel, target, *rest = spec
    return Claim(source, RelType(rel), target, *rest)


def _name(entity_id: str, entities: dict[str, Entity]) -> str:
    return entities[entity_id].name


def make_batch(
    doc_id: str,
    source: str | None = None,
    entities: Iterable[str | Entity] = (),
    relations: Iterable[RelationSpec] = (),
    published: datetime | None = DEFAULT_PUBLISHED,
    title: str | None = None,
    url: str | None = None,
    ingested_at: datetime | None = None,
) -> GraphBatch:
    """One article's batch; relation ends missing from `entities` are added from WORLD.

    Relations are `(source, type, target[, sentence[, hedged[, since]]])` tuples or `Claim`s;
    evidence offsets point into `make_text(batch)`.
    """
    carried: dict[str, Entity] = {}
    for item in entities:
        ent = item if isinstance(item, Entity) else actor(item)
        carried[ent.id] = ent
    claims = [_claim(spec) for spec in relations]
    for claim in claims:
        for end in (claim.source, claim.target):
            if end not in carried:
                carried[end] = actor(end)
    text = _Text()
    merged: dict[tuple[str, RelType, str], Relation] = {}
    for claim in claims:
        sentence = claim.sentence or (
            f"{_name(claim.source, carried)} {VERBS[claim.type]} {_name(claim.target, carried)}."
        )
        start, end = text.add(sentence)
        at = sentence.index(claim.trigger) if claim.trigger else None
        evidence = Evidence(
            doc_id=doc_id,
            sentence=sentence,
            start=start,
            end=end,
            extractor=claim.extractor,
            confidence=claim.confidence,
            hedged=claim.hedged,
            since=claim.since,
            trigger_start=at,
            trigger_end=None if at is None or claim.trigger is None else at + len(claim.trigger),
        )
        rel = Relation(source=claim.source, type=claim.type, target=claim.target)
        merged.setdefault(rel.key, rel).evidence.append(evidence)
    _TEXTS[doc_id] = "".join(text.parts)
    document = Document(
        id=doc_id,
        source=source or f"articles/{doc_id}.txt",
        title=title or f"Report {doc_id}",
        url=url,
        published=published,
        ingested_at=ingested_at,
        word_count=len(_TEXTS[doc_id].split()),
    )
    return GraphBatch(
        document=document,
        entities=sorted(carried.values(), key=lambda e: e.id),
        relations=list(merged.values()),
    )


def make_text(batch: GraphBatch) -> str:
    """The article text `make_batch` laid the batch's evidence sentences into."""
    return _TEXTS[batch.document.id]


def day(n: int) -> datetime:
    """Midday UTC on the n-th of March 2025: readable, ordered publication dates."""
    return datetime(2025, 3, n, 12, 0, tzinfo=UTC)


def sample_batches() -> list[GraphBatch]:
    """A small world in six articles, oldest first.

    Microsoft BACKS OpenAI in two articles (weight 2); the US enacts export controls aimed at China;
    OpenAI limits access from China; Tencent backs Zhipu AI; Baidu, Zhipu AI and OpenAI compete
    (one of those statements hedged); Sam Altman works for OpenAI.
    """
    return [
        make_batch(
            "doc-msft-openai",
            title="Microsoft deepens its bet on OpenAI",
            url="https://news.example/msft-openai",
            published=day(1),
            relations=[
                Claim(
                    "company:microsoft",
                    RelType.BACKS,
                    "company:openai",
                    "Microsoft agreed to add several billion dollars to its stake in OpenAI.",
                    since=date(2019, 7, 22),
                    trigger="stake",
                ),
                ("company:openai", "BASED_IN", "government:usa"),
            ],
        ),
        make_batch(
            "doc-export-rule",
            title="Washington widens the chip rule",
            published=day(3),
            relations=[
                Claim(
                    "government:usa",
                    RelType.ENACTS,
                    "policy:us-chip-export-controls",
                    "The Commerce Department published a wider version of the advanced computing rule.",
                ),
                Claim(
                    "policy:us-chip-export-controls",
                    RelType.TARGETS,
                    "government:chn",
                    "The rule is written to keep top accelerators out of Chinese data centres.",
                ),
                ("government:usa", "RESTRICTS", "government:chn"),
            ],
        ),
        make_batch(
            "doc-openai-access",
            title="OpenAI shuts the door on mainland developers",
            published=day(5),
            relations=[
                Claim(
                    "company:openai",
                    RelType.RESTRICTS,
                    "government:chn",
                    "OpenAI will stop serving its API to developers in mainland China next month.",
                ),
                ("company:zhipu-ai", "COMPETES_WITH", "company:openai"),
            ],
        ),
        make_batch(
            "doc-zhipu-funding",
            title="Tencent joins Zhipu round",
            published=day(8),
            entities=[actor("company:zhipu-ai", mention_count=3, aliases=["Zhīpǔ AI", "Zhipu"])],
            relations=[
                Claim(
                    "company:tencent",
                    RelType.BACKS,
                    "company:zhipu-ai",
                    "Tencent took part in the latest funding round of Zhipu, the Beijing model maker.",
                ),
                Claim(
                    "company:baidu",
                    RelType.COMPETES_WITH,
                    "company:zhipu-ai",
                    "Analysts say Baidu may end up fighting Zhipu AI for the same enterprise buyers.",
                    hedged=True,
                ),
                ("company:zhipu-ai", "BASED_IN", "government:chn"),
            ],
        ),
        make_batch(
            "doc-baidu-rivalry",
            title="Baidu pitches Ernie against GPT",
            published=day(12),
            relations=[
                ("company:baidu", "COMPETES_WITH", "company:openai"),
                ("company:baidu", "BASED_IN", "government:chn"),
                ("company:tencent", "BASED_IN", "government:chn"),
                Claim(
                    "company:microsoft",
                    RelType.BACKS,
                    "company:openai",
                    "Microsoft remains the largest outside investor in OpenAI.",
                ),
            ],
        ),
        make_batch(
            "doc-altman",
            title="Altman on the compute race",
            published=day(15),
            relations=[("person:sam-altman", "AFFILIATED_WITH", "company:openai")],
        ),
    ]


def chain_batches(n: int, rel: RelType = RelType.BACKS, prefix: str = "company:n") -> list[GraphBatch]:
    """`n` one-relation articles forming the chain n0 -> n1 -> ... -> n{n}, for traversal tests."""
    batches = []
    for i in range(n):
        a, b = f"{prefix}{i}", f"{prefix}{i + 1}"
        batches.append(
            make_batch(
                f"doc-chain-{prefix}-{i}",
                entities=[
                    actor(a, name=f"Node {i}", type=NodeType.COMPANY),
                    actor(b, name=f"Node {i + 1}", type=NodeType.COMPANY),
                ],
                relations=[(a, rel, b)],
                published=day(1 + i % 28),
            )
        )
    return batches


def edges_of(batches: Sequence[GraphBatch]) -> set[tuple[str, str, str]]:
    """Every (source, type, target) the batches state, canonical direction."""
    return {(r.source, r.type.value, r.target) for b in batches for r in b.relations}


def store_state(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """Everything a store holds, in a canonical order: equal states mean equal stores."""
    relations = []
    for rel in store.iter_relations(with_evidence=True):
        dumped = rel.model_dump(mode="json")
        dumped["evidence"] = sorted(
            dumped["evidence"], key=lambda ev: (ev["doc_id"], ev["start"], ev["sentence"])
        )
        relations.append(dumped)
    return {
        "entities": sorted((e.model_dump(mode="json") for e in store.iter_entities()), key=lambda e: e["id"]),
        "relations": sorted(relations, key=lambda r: (r["source"], r["type"], r["target"])),
        "documents": sorted(
            (d.model_dump(mode="json") for d in store.iter_documents()), key=lambda d: d["id"]
        ),
    }


RANDOM_TYPES = (NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION)


def random_batches(seed: int, nodes: int = 24, docs: int = 24, per_doc: int = 3) -> list[GraphBatch]:
    """A seeded random world for comparing traversals to networkx.

    Every node takes part in some relation; the relation pool is smaller than the number of
    statements, so some relations are stated by several documents (weights 1 to about 4).
    """
    import random

    rng = random.Random(seed)
    actors = [
        actor(f"company:r{i}", name=f"Random Actor {i}", type=RANDOM_TYPES[i % len(RANDOM_TYPES)], aliases=[])
        for i in range(nodes)
    ]
    kinds = list(RelType)
    pool = [(i, rng.choice([j for j in range(nodes) if j != i])) for i in range(nodes)]
    pool += [tuple(rng.sample(range(nodes), 2)) for _ in range(nodes // 2)]
    statements = [(actors[a].id, rng.choice(kinds), actors[b].id) for a, b in pool]
    slots = list(statements) + [rng.choice(statements) for _ in range(docs * per_doc - len(statements))]
    rng.shuffle(slots)
    by_id = {a.id: a for a in actors}
    batches = []
    for d in range(docs):
        picked = slots[d * per_doc : (d + 1) * per_doc]
        claims = sorted({Relation(source=s, type=t, target=o).key for s, t, o in picked})
        ends = sorted({end for s, _, o in claims for end in (s, o)})
        batches.append(
            make_batch(
                f"doc-random-{seed}-{d}",
                entities=[by_id[e] for e in ends],
                relations=claims,
                published=day(1 + d % 28),
            )
        )
    return batches
