"""The contract every `GraphStore` keeps, run on each store the `store` fixture can reach.

Traversal answers are checked against networkx computed on the same graph, so "as networkx defines
it" is tested, not assumed.
"""

from __future__ import annotations

import itertools
import pathlib
import subprocess
import sys
from datetime import UTC, date, datetime

import networkx as nx
import pytest

from graph import stories, traversal
from graph.errors import AmbiguousName, DocumentNotFound, NodeNotFound, NoPath, StoreNotSupported
from graph.model import (
    GraphBatch,
    NeighbourhoodQuery,
    Path,
    PathQuery,
    Relation,
    RelationFilter,
)
from graph.schema import SYMMETRIC_RELATIONS, Direction, NodeType, RelType
from graph.store import GraphStore, resolve_entity
from graph.stores import layered_graph, live, name_index
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import (
    Claim,
    actor,
    day,
    make_batch,
    random_batches,
    store_state,
)


def rel_keys(relations: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.source, r.type.value, r.target) for r in relations}


def one_relation(store: GraphStore, source: str, rel: str, target: str) -> Relation:
    found = store.relations(RelationFilter(type=RelType(rel), source_id=source, target_id=target))
    assert len(found) == 1, found
    return found[0]


# -- writes, reads, aggregates ---------------------------------------------------------------------


def test_store_satisfies_the_protocol(store: GraphStore) -> None:
    assert isinstance(store, GraphStore)
    store.ping()
    assert store.stats().entities == 0


def test_upsert_then_read_back_counts_and_entities(store: GraphStore, sample: list[GraphBatch]) -> None:
    results = [store.upsert(b) for b in sample]

    assert [r.status for r in results] == ["added"] * len(sample)
    assert results[0].entities == 3 and results[0].relations == 2
    stats = store.stats()
    assert (stats.entities, stats.relations, stats.documents, stats.evidence) == (9, 14, 6, 15)
    assert stats.entities_by_type == {"Company": 5, "Government": 2, "Person": 1, "Policy": 1}
    assert stats.relations_by_type["BASED_IN"] == 4
    openai = store.get_entity("company:openai")
    assert (openai.name, openai.type, openai.country) == ("OpenAI", NodeType.COMPANY, "USA")
    assert openai.mention_count == 4
    assert (openai.first_seen, openai.last_seen) == (day(1), day(15))
    assert openai.aliases == ["Open AI"]


def test_unknown_ids_raise_the_contract_errors(loaded: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        loaded.get_entity("company:nobody")
    with pytest.raises(DocumentNotFound):
        loaded.get_document("doc-nobody")
    with pytest.raises(DocumentNotFound):
        loaded.retract("doc-nobody")
    with pytest.raises(DocumentNotFound):
        loaded.document_relations("doc-nobody")
    assert loaded.has_document("doc-altman") and not loaded.has_document("doc-nobody")


def test_same_batch_twice_changes_nothing(store: GraphStore, sample: list[GraphBatch]) -> None:
    for batch in sample:
        store.upsert(batch)
    before = store_state(store)

    again = [store.upsert(b) for b in sample]

    assert {r.status for r in again} == {"unchanged"}
    assert store_state(store) == before


def test_weight_counts_distinct_documents_not_sentences(store: GraphStore) -> None:
    twice = make_batch(
        "doc-a",
        published=day(2),
        relations=[
            Claim("company:microsoft", RelType.BACKS, "company:openai", "Microsoft funds OpenAI."),
            Claim(
                "company:microsoft", RelType.BACKS, "company:openai", "The Redmond firm backs the lab again."
            ),
        ],
    )
    store.upsert(twice)
    store.upsert(
        make_batch("doc-b", published=day(9), relations=[("company:microsoft", "BACKS", "company:openai")])
    )

    rel = one_relation(store, "company:microsoft", "BACKS", "company:openai")

    assert rel.weight == 2
    assert len(rel.evidence) == 3
    assert (rel.first_seen, rel.last_seen) == (day(2), day(9))


def test_relation_aggregates_confidence_since_and_hedged(store: GraphStore) -> None:
    store.upsert(
        make_batch(
            "doc-a",
            published=day(4),
            relations=[
                Claim(
                    "company:tencent",
                    RelType.BACKS,
                    "company:zhipu-ai",
                    "Tencent may back Zhipu.",
                    hedged=True,
                    since=date(2023, 5, 1),
                    confidence=0.4,
                )
            ],
        )
    )
    rel = one_relation(store, "company:tencent", "BACKS", "company:zhipu-ai")
    assert (rel.hedged, rel.confidence, rel.since) == (True, pytest.approx(0.4), date(2023, 5, 1))

    store.upsert(
        make_batch(
            "doc-b",
            published=day(6),
            relations=[
                Claim(
                    "company:tencent",
                    RelType.BACKS,
                    "company:zhipu-ai",
                    "Tencent backs Zhipu.",
                    since=date(2022, 1, 10),
                    confidence=0.9,
                )
            ],
        )
    )
    rel = one_relation(store, "company:tencent", "BACKS", "company:zhipu-ai")
    assert (rel.hedged, rel.confidence, rel.since) == (False, pytest.approx(0.9), date(2022, 1, 10))

    store.retract("doc-b")
    rel = one_relation(store, "company:tencent", "BACKS", "company:zhipu-ai")
    assert (rel.weight, rel.hedged, rel.since) == (1, True, date(2023, 5, 1))


def test_evidence_carries_its_document_metadata(loaded: GraphStore) -> None:
    rel = one_relation(loaded, "company:microsoft", "BACKS", "company:openai")
    first = next(ev for ev in rel.evidence if ev.doc_id == "doc-msft-openai")

    assert first.doc_title == "Microsoft deepens its bet on OpenAI"
    assert first.doc_url == "https://news.example/msft-openai"
    assert first.doc_published == day(1)
    assert first.sentence.startswith("Microsoft agreed")
    assert first.end - first.start == len(first.sentence)


def test_trigger_offsets_round_trip_through_every_read(store: GraphStore) -> None:
    batch = make_batch(
        "doc-trigger",
        relations=[
            Claim(
                "company:microsoft",
                RelType.BACKS,
                "company:openai",
                "Microsoft invested $1 billion in OpenAI.",
                trigger="invested",
            ),
            Claim("company:baidu", RelType.COMPETES_WITH, "company:openai", "Baidu and OpenAI vie."),
        ],
    )
    store.upsert(batch)

    def triggers(relations: list[Relation]) -> dict[tuple[str, str, str], list[str | None]]:
        return {
            (r.source, r.type.value, r.target): [
                None if ev.trigger_start is None else ev.sentence[ev.trigger_start : ev.trigger_end]
                for ev in r.evidence
            ]
            for r in relations
        }

    expected = {
        ("company:microsoft", "BACKS", "company:openai"): ["invested"],
        ("company:baidu", "COMPETES_WITH", "company:openai"): [None],
    }
    assert triggers(store.relations(RelationFilter())) == expected
    assert triggers(store.document_relations("doc-trigger")) == expected
    assert triggers(store.entity_relations("company:openai")) == expected
    assert triggers(list(store.iter_relations(with_evidence=True))) == expected
    assert triggers(store.document_batch("doc-trigger").relations) == expected
    hood = store.neighbourhood(NeighbourhoodQuery(entity_id="company:openai"))
    assert triggers(hood.edges) == expected
    (path,) = store.paths(PathQuery(source_id="company:microsoft", target_id="company:openai"))
    assert triggers(path.edges) == {("company:microsoft", "BACKS", "company:openai"): ["invested"]}
    ev = one_relation(store, "company:microsoft", "BACKS", "company:openai").evidence[0]
    assert (ev.trigger_start, ev.trigger_end) == (10, 18)


def test_symmetric_relation_is_stored_once_whichever_way_it_was_written(store: GraphStore) -> None:
    store.upsert(make_batch("doc-a", relations=[("company:openai", "COMPETES_WITH", "company:baidu")]))
    store.upsert(make_batch("doc-b", relations=[("company:baidu", "COMPETES_WITH", "company:openai")]))

    found = store.relations(RelationFilter(type=RelType.COMPETES_WITH))

    assert rel_keys(found) == {("company:baidu", "COMPETES_WITH", "company:openai")}
    assert found[0].weight == 2
    # Either end names it, since it has no direction.
    assert store.relations(RelationFilter(source_id="company:openai", type=RelType.COMPETES_WITH)) == found
    assert store.relations(RelationFilter(target_id="company:baidu", type=RelType.COMPETES_WITH)) == found


def test_aliases_are_the_union_of_names_over_mentions(loaded: GraphStore) -> None:
    zhipu = loaded.get_entity("company:zhipu-ai")
    assert zhipu.name == "Zhipu AI"
    assert set(zhipu.aliases) == {"Zhīpǔ AI", "Z.ai", "Zhipu"}
    assert zhipu.mention_count == 1 + 3

    loaded.retract("doc-zhipu-funding")

    zhipu = loaded.get_entity("company:zhipu-ai")
    assert set(zhipu.aliases) == {"Zhīpǔ AI", "Z.ai"}
    assert zhipu.mention_count == 1
    assert loaded.find_entities("zhipu") == []


def test_base_attributes_come_from_the_latest_batch(store: GraphStore) -> None:
    store.upsert(make_batch("doc-a", entities=[actor("company:zhipu-ai", country=None)]))
    store.upsert(make_batch("doc-b", entities=[actor("company:zhipu-ai", name="Z.ai", country="CHN")]))
    store.upsert(make_batch("doc-c", entities=[actor("company:zhipu-ai", name="Zhipu", country=None)]))

    latest = store.get_entity("company:zhipu-ai")
    assert (latest.name, latest.country) == ("Zhipu", "CHN")
    assert "Z.ai" in latest.aliases and "Zhipu AI" in latest.aliases and "Zhipu" not in latest.aliases

    store.retract("doc-c")
    assert store.get_entity("company:zhipu-ai").name == "Z.ai"


def test_new_content_from_the_same_source_replaces_the_old_document(store: GraphStore) -> None:
    old = make_batch(
        "doc-v1",
        source="feeds/wire.xml#7",
        relations=[
            ("company:openai", "RESTRICTS", "government:chn"),
            ("company:baidu", "BASED_IN", "government:chn"),
        ],
    )
    store.upsert(old)
    store.upsert(make_batch("doc-other", relations=[("company:baidu", "BASED_IN", "government:chn")]))
    new = make_batch(
        "doc-v2", source="feeds/wire.xml#7", relations=[("company:openai", "BACKS", "company:nvidia")]
    )

    result = store.upsert(new)

    assert (result.status, result.replaced_doc_id) == ("replaced", "doc-v1")
    assert not store.has_document("doc-v1") and store.has_document("doc-v2")
    assert rel_keys(list(store.iter_relations())) == {
        ("company:openai", "BACKS", "company:nvidia"),
        ("company:baidu", "BASED_IN", "government:chn"),
    }
    assert one_relation(store, "company:baidu", "BASED_IN", "government:chn").weight == 1
    assert {e.id for e in store.iter_entities()} == {
        "company:openai",
        "company:nvidia",
        "company:baidu",
        "government:chn",
    }


def test_retraction_removes_orphans_and_recomputes_what_is_shared(loaded: GraphStore) -> None:
    before = one_relation(loaded, "company:microsoft", "BACKS", "company:openai")
    assert (before.weight, before.last_seen) == (2, day(12))

    loaded.retract("doc-baidu-rivalry")

    after = one_relation(loaded, "company:microsoft", "BACKS", "company:openai")
    assert (after.weight, after.first_seen, after.last_seen) == (1, day(1), day(1))
    assert [ev.doc_id for ev in after.evidence] == ["doc-msft-openai"]
    keys = rel_keys(list(loaded.iter_relations()))
    assert ("company:baidu", "COMPETES_WITH", "company:openai") not in keys
    assert ("company:tencent", "BASED_IN", "government:chn") not in keys
    baidu = loaded.get_entity("company:baidu")  # still mentioned by the Zhipu article
    assert (baidu.mention_count, baidu.last_seen) == (1, day(8))
    assert loaded.stats().documents == 5

    loaded.retract("doc-altman")

    with pytest.raises(NodeNotFound):
        loaded.get_entity("person:sam-altman")
    assert loaded.get_entity("company:openai").last_seen == day(5)


def test_retracting_everything_leaves_an_empty_store(loaded: GraphStore, sample: list[GraphBatch]) -> None:
    for batch in sample:
        loaded.retract(batch.document.id)
    stats = loaded.stats()
    assert (stats.entities, stats.relations, stats.documents, stats.evidence) == (0, 0, 0, 0)
    assert loaded.search("OpenAI") == []


def test_documents_newest_first_with_mentions(loaded: GraphStore, sample: list[GraphBatch]) -> None:
    docs = loaded.documents(limit=3)
    assert [d.id for d in docs] == [b.document.id for b in reversed(sample)][:3]
    assert [d.id for d in loaded.documents(offset=5, limit=10)] == ["doc-msft-openai"]
    doc = loaded.get_document("doc-export-rule")
    assert doc.mentions == ["government:chn", "government:usa", "policy:us-chip-export-controls"]
    assert (doc.title, doc.published, doc.source) == (
        "Washington widens the chip rule",
        day(3),
        "articles/doc-export-rule.txt",
    )


def test_document_relations_carry_only_that_documents_evidence(loaded: GraphStore) -> None:
    rels = loaded.document_relations("doc-baidu-rivalry")
    assert rel_keys(rels) == {
        ("company:baidu", "COMPETES_WITH", "company:openai"),
        ("company:baidu", "BASED_IN", "government:chn"),
        ("company:tencent", "BASED_IN", "government:chn"),
        ("company:microsoft", "BACKS", "company:openai"),
    }
    backs = next(r for r in rels if r.type == RelType.BACKS)
    assert backs.weight == 2
    assert [ev.doc_id for ev in backs.evidence] == ["doc-baidu-rivalry"]


def test_entity_relations_cover_both_ends(loaded: GraphStore) -> None:
    rels = loaded.entity_relations("government:chn")
    assert len(rels) == 6
    assert all("government:chn" in (r.source, r.target) for r in rels)
    with pytest.raises(NodeNotFound):
        loaded.entity_relations("company:nobody")


def test_iterators_stream_everything(loaded: GraphStore) -> None:
    stats = loaded.stats()
    relations = list(loaded.iter_relations())
    assert len(list(loaded.iter_entities())) == stats.entities
    assert len(relations) == stats.relations
    assert sum(len(r.evidence) for r in relations) == stats.evidence
    assert all(r.evidence == [] for r in loaded.iter_relations(with_evidence=False))
    assert len(list(loaded.iter_documents())) == stats.documents


# -- relation listing ------------------------------------------------------------------------------


def test_relations_filter_and_paging(loaded: GraphStore) -> None:
    everything = loaded.relations(RelationFilter(limit=100))
    assert len(everything) == 14
    assert everything[0].weight == 2 and all(r.weight == 1 for r in everything[1:])
    assert loaded.relations(RelationFilter(offset=3, limit=4)) == everything[3:7]
    assert rel_keys(loaded.relations(RelationFilter(min_weight=2))) == {
        ("company:microsoft", "BACKS", "company:openai")
    }
    restricts = loaded.relations(RelationFilter(type=RelType.RESTRICTS))
    assert rel_keys(restricts) == {
        ("company:openai", "RESTRICTS", "government:chn"),
        ("government:usa", "RESTRICTS", "government:chn"),
    }
    assert rel_keys(loaded.relations(RelationFilter(source_id="person:sam-altman"))) == {
        ("person:sam-altman", "AFFILIATED_WITH", "company:openai")
    }
    assert len(loaded.relations(RelationFilter(target_id="government:chn"))) == 6


def test_relations_filter_by_date_range(loaded: GraphStore) -> None:
    recent = loaded.relations(RelationFilter(seen_from=datetime(2025, 3, 12, tzinfo=UTC)))
    assert rel_keys(recent) == {
        ("company:microsoft", "BACKS", "company:openai"),
        ("company:baidu", "COMPETES_WITH", "company:openai"),
        ("company:baidu", "BASED_IN", "government:chn"),
        ("company:tencent", "BASED_IN", "government:chn"),
        ("person:sam-altman", "AFFILIATED_WITH", "company:openai"),
    }
    early = loaded.relations(RelationFilter(seen_to=day(1)))
    assert rel_keys(early) == {
        ("company:microsoft", "BACKS", "company:openai"),
        ("company:openai", "BASED_IN", "government:usa"),
    }
    # The window keeps every relation whose [first seen, last seen] overlaps it.
    window = loaded.relations(RelationFilter(seen_from=day(4), seen_to=day(6)))
    assert rel_keys(window) == {
        ("company:microsoft", "BACKS", "company:openai"),
        ("company:openai", "RESTRICTS", "government:chn"),
        ("company:openai", "COMPETES_WITH", "company:zhipu-ai"),
    }


# -- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["Zhipu AI", "zhipu ai", "ZHIPU-AI", "Zhīpǔ AI", "z.ai", "  Zhipu AI’s "]
)
def test_find_entities_by_name_or_alias_ignoring_case_and_accents(loaded: GraphStore, spelling: str) -> None:
    assert [e.id for e in loaded.find_entities(spelling)] == ["company:zhipu-ai"]


def test_find_entities_by_alias_and_not_by_fragment(loaded: GraphStore) -> None:
    assert [e.id for e in loaded.find_entities("Washington")] == ["government:usa"]
    assert loaded.find_entities("Wash") == []
    assert loaded.find_entities("") == []


def _ranking_world(store: GraphStore) -> None:
    store.upsert(
        make_batch(
            "doc-names",
            entities=[
                actor("company:baidu"),
                actor("company:baidu-cloud", name="Baidu Cloud", type=NodeType.COMPANY),
                actor("company:baido", name="Baido Labs", type=NodeType.COMPANY),
                actor("organization:baidu-foundation", name="Baidu Foundation", type=NodeType.ORGANIZATION),
                actor("company:tencent"),
                actor("government:chn"),
            ],
        )
    )


def test_search_ranks_exact_then_prefix_then_fuzzy(store: GraphStore) -> None:
    _ranking_world(store)

    hits = store.search("baidu")

    ids = [h.entity.id for h in hits]
    assert ids[0] == "company:baidu" and hits[0].score == 100.0
    assert set(ids[1:3]) == {"company:baidu-cloud", "organization:baidu-foundation"}
    assert all(90 <= h.score < 100 for h in hits[1:3])
    fuzzy = next(h for h in hits if h.entity.id == "company:baido")
    assert fuzzy.score < 90
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "company:tencent" not in ids


def test_search_filters_by_type_and_pages(store: GraphStore) -> None:
    _ranking_world(store)
    assert [h.entity.id for h in store.search("baidu", types=[NodeType.ORGANIZATION])] == [
        "organization:baidu-foundation"
    ]
    full = store.search("baidu", limit=10)
    assert store.search("baidu", limit=2, offset=1) == full[1:3]


def test_search_matches_aliases_typos_and_accents(loaded: GraphStore) -> None:
    by_alias = loaded.search("Beijing")
    assert by_alias[0].entity.id == "government:chn" and by_alias[0].matched == "Beijing"
    assert by_alias[0].score == 100.0
    typo = loaded.search("Tencnet")
    assert typo[0].entity.id == "company:tencent" and typo[0].score < 90
    assert loaded.search("zhīpǔ")[0].entity.id == "company:zhipu-ai"
    assert loaded.search("") == []


def test_resolve_entity_by_id_name_alias_ambiguity_and_suggestions(loaded: GraphStore) -> None:
    loaded.upsert(
        make_batch(
            "doc-mercury",
            entities=[
                actor(
                    "company:mercury-labs", name="Mercury Labs", type=NodeType.COMPANY, aliases=["Mercury"]
                ),
                actor(
                    "organization:mercury-institute",
                    name="Mercury Institute",
                    type=NodeType.ORGANIZATION,
                    aliases=["Mercury"],
                ),
            ],
        )
    )
    assert resolve_entity(loaded, "company:openai").id == "company:openai"
    assert resolve_entity(loaded, "open ai").id == "company:openai"
    assert resolve_entity(loaded, "PRC").id == "government:chn"
    with pytest.raises(AmbiguousName) as ambiguous:
        resolve_entity(loaded, "mercury")
    assert {c.split(" ")[0] for c in ambiguous.value.candidates} == {
        "company:mercury-labs",
        "organization:mercury-institute",
    }
    with pytest.raises(NodeNotFound) as unknown:
        resolve_entity(loaded, "Tencnet")
    assert "Tencent" in unknown.value.suggestions


# -- traversals against networkx -------------------------------------------------------------------


def reference_graph(
    store: GraphStore,
    rel_types: set[RelType] | None = None,
    node_types: set[NodeType] | None = None,
    min_weight: int = 1,
    keep: str | None = None,
) -> nx.MultiDiGraph:
    """The store's graph reduced by the filters, symmetric relations entered both ways."""
    graph = nx.MultiDiGraph()
    for ent in store.iter_entities():
        if node_types is None or ent.type in node_types or ent.id == keep:
            graph.add_node(ent.id)
    for rel in store.iter_relations(with_evidence=False):
        if rel_types is not None and rel.type not in rel_types:
            continue
        if rel.weight < min_weight or rel.source not in graph or rel.target not in graph:
            continue
        graph.add_edge(rel.source, rel.target, key=rel.type)
        if rel.type in SYMMETRIC_RELATIONS:
            graph.add_edge(rel.target, rel.source, key=rel.type)
    return graph


def oriented(graph: nx.MultiDiGraph, direction: Direction) -> nx.Graph:
    if direction == Direction.OUT:
        return nx.DiGraph(graph)
    if direction == Direction.IN:
        return nx.DiGraph(graph.reverse())
    return nx.Graph(graph.to_undirected())


def hop_allowed(rel: Relation, u: str, v: str, direction: Direction) -> bool:
    if {rel.source, rel.target} != {u, v} and not (u == v == rel.source == rel.target):
        return False
    if direction == Direction.BOTH or rel.type in SYMMETRIC_RELATIONS:
        return True
    forward = (rel.source, rel.target) == (u, v)
    return forward if direction == Direction.OUT else (rel.source, rel.target) == (v, u)


def assert_valid_path(path: Path, query: PathQuery) -> None:
    ids = [n.id for n in path.nodes]
    assert ids[0] == query.source_id and ids[-1] == query.target_id
    assert len(set(ids)) == len(ids), "paths are simple"
    assert path.hops == len(ids) - 1 <= query.max_hops
    for (u, v), rel in zip(itertools.pairwise(ids), path.edges, strict=True):
        assert hop_allowed(rel, u, v, query.direction), (u, v, rel.key)
        assert query.rel_types is None or rel.type in query.rel_types
        assert rel.evidence, "every hop comes with its evidence"


@pytest.fixture
def random_world(store: GraphStore) -> GraphStore:
    for batch in random_batches(seed=7):
        store.upsert(batch)
    return store


def test_random_world_has_weights_and_symmetric_relations(random_world: GraphStore) -> None:
    rels = list(random_world.iter_relations())
    assert any(r.weight > 1 for r in rels)
    assert any(r.type in SYMMETRIC_RELATIONS for r in rels)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_neighbourhood_is_the_ego_graph(random_world: GraphStore, direction: Direction, depth: int) -> None:
    graph = oriented(reference_graph(random_world), direction)
    all_relations = list(random_world.iter_relations(with_evidence=False))
    for centre in ["company:r0", "company:r5", "company:r11"]:
        sub = random_world.neighbourhood(
            NeighbourhoodQuery(entity_id=centre, depth=depth, direction=direction, limit=10_000)
        )
        nodes = [n.id for n in sub.nodes]
        assert nodes[0] == centre
        assert set(nodes) == set(nx.ego_graph(graph, centre, radius=depth).nodes)
        inside = set(nodes)
        assert rel_keys(sub.edges) == rel_keys([r for r in all_relations if {r.source, r.target} <= inside])


def test_neighbourhood_filters_match_the_reduced_ego_graph(random_world: GraphStore) -> None:
    cases = [
        ({RelType.BACKS, RelType.COMPETES_WITH, RelType.PARTNERS_WITH}, None, 1),
        (None, {NodeType.COMPANY, NodeType.ORGANIZATION}, 1),
        (None, None, 2),
        ({RelType.RESTRICTS, RelType.TARGETS, RelType.ENACTS, RelType.BASED_IN}, {NodeType.GOVERNMENT}, 1),
    ]
    for rel_types, node_types, min_weight in cases:
        for centre in ["company:r0", "company:r3", "company:r8"]:
            query = NeighbourhoodQuery(
                entity_id=centre,
                depth=2,
                rel_types=sorted(rel_types) if rel_types else None,
                node_types=sorted(node_types) if node_types else None,
                min_weight=min_weight,
                limit=10_000,
            )
            sub = random_world.neighbourhood(query)
            graph = oriented(
                reference_graph(random_world, rel_types, node_types, min_weight, keep=centre), Direction.BOTH
            )
            assert {n.id for n in sub.nodes} == set(nx.ego_graph(graph, centre, radius=2).nodes), query
            for rel in sub.edges:
                assert rel.weight >= min_weight
                assert rel_types is None or rel.type in rel_types


def test_neighbourhood_limit_keeps_breadth_first_order(random_world: GraphStore) -> None:
    graph = oriented(reference_graph(random_world), Direction.BOTH)
    distance = nx.single_source_shortest_path_length(graph, "company:r0", cutoff=3)
    full = random_world.neighbourhood(NeighbourhoodQuery(entity_id="company:r0", depth=3, limit=10_000))
    assert len(full.nodes) > 6

    cut = random_world.neighbourhood(NeighbourhoodQuery(entity_id="company:r0", depth=3, limit=6))

    ids = [n.id for n in cut.nodes]
    assert len(ids) == 6 and ids[0] == "company:r0"
    assert [distance[i] for i in ids] == sorted(distance[i] for i in ids)
    assert max(distance[i] for i in ids) <= min(distance[n.id] for n in full.nodes if n.id not in ids)
    assert all({r.source, r.target} <= set(ids) for r in cut.edges)


def test_neighbourhood_follows_direction_and_symmetric_relations(loaded: GraphStore) -> None:
    def around(entity: str, direction: Direction) -> set[str]:
        query = NeighbourhoodQuery(entity_id=entity, direction=direction)
        return {n.id for n in loaded.neighbourhood(query).nodes}

    assert around("company:microsoft", Direction.OUT) == {"company:microsoft", "company:openai"}
    assert around("company:microsoft", Direction.IN) == {"company:microsoft"}
    # COMPETES_WITH is stored baidu -> openai, and still walked from openai going "out".
    assert "company:baidu" in around("company:openai", Direction.OUT)
    assert "company:openai" in around("company:baidu", Direction.IN)
    assert around("company:openai", Direction.IN) >= {
        "company:microsoft",
        "person:sam-altman",
        "company:baidu",
    }
    with pytest.raises(NodeNotFound):
        loaded.neighbourhood(NeighbourhoodQuery(entity_id="company:nobody"))


PAIRS = [(f"company:r{a}", f"company:r{b}") for a, b in itertools.permutations(range(0, 24, 3), 2)]


@pytest.mark.parametrize("direction", list(Direction))
def test_shortest_and_all_shortest_paths_match_networkx(
    random_world: GraphStore, direction: Direction
) -> None:
    graph = oriented(reference_graph(random_world), direction)
    found = 0
    for source, target in PAIRS:
        try:
            expected = set(map(tuple, nx.all_shortest_paths(graph, source, target)))
        except nx.NetworkXNoPath:
            expected = set()
        expected = {p for p in expected if len(p) - 1 <= 4}
        for mode in ("shortest", "all_shortest"):
            query = PathQuery(source_id=source, target_id=target, mode=mode, max_hops=4, direction=direction)
            if not expected:
                with pytest.raises(NoPath):
                    random_world.paths(query)
                continue
            paths = random_world.paths(query)
            for path in paths:
                assert_valid_path(path, query)
            got = {tuple(n.id for n in p.nodes) for p in paths}
            if mode == "shortest":
                assert len(paths) == 1 and got <= expected
            else:
                assert got == expected
                found += 1
    assert found > 5, "the random world should connect several pairs"


@pytest.mark.parametrize("direction", [Direction.OUT, Direction.BOTH])
def test_k_shortest_paths_match_networkx_lengths(random_world: GraphStore, direction: Direction) -> None:
    graph = oriented(reference_graph(random_world), direction)
    for source, target in PAIRS[:20]:
        query = PathQuery(
            source_id=source, target_id=target, mode="k_shortest", k=5, max_hops=5, direction=direction
        )
        try:
            expected = [
                p
                for p in itertools.islice(nx.shortest_simple_paths(graph, source, target), 50)
                if len(p) - 1 <= 5
            ][:5]
        except nx.NetworkXNoPath:
            expected = []
        if not expected:
            with pytest.raises(NoPath):
                random_world.paths(query)
            continue
        paths = random_world.paths(query)
        for path in paths:
            assert_valid_path(path, query)
        assert [p.hops for p in paths] == [len(p) - 1 for p in expected]
        assert len({tuple(n.id for n in p.nodes) for p in paths}) == len(paths)


def test_paths_respect_max_hops_rel_types_and_direction(loaded: GraphStore) -> None:
    two_hops = PathQuery(source_id="company:microsoft", target_id="government:usa", max_hops=2)
    path = loaded.paths(two_hops)[0]
    assert [n.id for n in path.nodes] == ["company:microsoft", "company:openai", "government:usa"]
    assert [e.type for e in path.edges] == [RelType.BACKS, RelType.BASED_IN]
    with pytest.raises(NoPath):
        loaded.paths(two_hops.model_copy(update={"max_hops": 1}))
    with pytest.raises(NoPath):
        loaded.paths(two_hops.model_copy(update={"rel_types": [RelType.BACKS]}))
    # Microsoft has no incoming relation at all.
    with pytest.raises(NoPath):
        loaded.paths(two_hops.model_copy(update={"direction": Direction.IN}))
    assert loaded.paths(two_hops.model_copy(update={"direction": Direction.OUT}))[0].hops == 2


def test_paths_unknown_ends_raise_node_not_found(loaded: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        loaded.paths(PathQuery(source_id="company:nobody", target_id="company:openai"))
    with pytest.raises(NodeNotFound):
        loaded.paths(PathQuery(source_id="company:openai", target_id="company:nobody"))


def test_all_shortest_paths_in_the_sample_world(loaded: GraphStore) -> None:
    query = PathQuery(source_id="person:sam-altman", target_id="company:tencent", mode="all_shortest")
    got = {tuple(n.id for n in p.nodes) for p in loaded.paths(query)}
    assert got == {
        ("person:sam-altman", "company:openai", "company:zhipu-ai", "company:tencent"),
        ("person:sam-altman", "company:openai", "government:chn", "company:tencent"),
    }


def test_a_path_from_a_node_to_itself_has_no_hops(loaded: GraphStore) -> None:
    paths = loaded.paths(PathQuery(source_id="company:openai", target_id="company:openai"))
    assert [(len(p.nodes), p.hops) for p in paths] == [(1, 0)]


def test_document_batch_rebuilds_what_one_document_contributed(
    loaded: GraphStore, sample: list[GraphBatch], tmp_path: pathlib.Path
) -> None:
    original = next(b for b in sample if b.document.id == "doc-zhipu-funding")

    rebuilt = loaded.document_batch("doc-zhipu-funding")

    assert rebuilt.document == original.document
    assert rebuilt.entities == sorted(original.entities, key=lambda e: e.id)
    assert rel_keys(rebuilt.relations) == rel_keys(original.relations)
    for rel in rebuilt.relations:
        source = next(r for r in original.relations if r.key == rel.key)
        assert rel.evidence == source.evidence
    with pytest.raises(DocumentNotFound):
        loaded.document_batch("doc-nobody")


def test_document_batches_copy_a_store_exactly(loaded: GraphStore, tmp_path: pathlib.Path) -> None:
    copy = EmbeddedStore(tmp_path / "copy")
    try:
        for doc in loaded.iter_documents():
            copy.upsert(loaded.document_batch(doc.id))
        assert store_state(copy) == store_state(loaded)
    finally:
        copy.close()


def test_search_ranks_token_matches_and_drops_names_that_only_share_letters(store: GraphStore) -> None:
    # issue 11: q=china returned Lina Khan, q=zhipu the EU.
    store.upsert(
        make_batch(
            "doc-tokens",
            entities=[
                actor("government:chn"),
                actor("person:lina-khan", name="Lina Khan", type=NodeType.PERSON),
                actor("organization:boc", name="Bank of China", type=NodeType.ORGANIZATION),
                actor("organization:eu", name="European Union", type=NodeType.ORGANIZATION, aliases=["EU"]),
                actor("company:zhipu-ai"),
                actor("company:tencent"),
            ],
        )
    )
    china = store.search("china")
    assert [h.entity.id for h in china][:2] == ["government:chn", "organization:boc"]
    assert 80 <= china[1].score < 90
    assert "person:lina-khan" not in {h.entity.id for h in china}
    assert [h.entity.id for h in store.search("zhipu")] == ["company:zhipu-ai"]
    assert store.search("tencnet")[0].entity.id == "company:tencent"  # a real typo still finds it


def test_undated_documents_are_seen_at_no_time_and_keep_their_date_source(store: GraphStore) -> None:
    # issue 11: an undated article used to count as seen on its ingest day.
    dated = make_batch(
        "doc-dated",
        relations=[("company:microsoft", RelType.BACKS, "company:openai")],
        published=datetime(2022, 10, 12, 16, 5, tzinfo=UTC),
    )
    dated.document.date_source = "text:dateline"
    undated = make_batch(
        "doc-undated",
        relations=[
            ("company:microsoft", RelType.BACKS, "company:openai"),
            ("company:tencent", RelType.BACKS, "company:zhipu-ai"),
        ],
        published=None,
        ingested_at=datetime(2026, 12, 7, tzinfo=UTC),
    )
    store.upsert(dated)
    store.upsert(undated)

    assert store.get_document("doc-dated").date_source == "text:dateline"
    kept = store.get_document("doc-undated")
    assert kept.published is None and kept.date_source is None and kept.ingested_at is not None
    backs = store.relations(RelationFilter(source_id="company:microsoft"))[0]
    assert backs.weight == 2
    assert backs.first_seen == backs.last_seen == datetime(2022, 10, 12, 16, 5, tzinfo=UTC)
    assert store.relations(RelationFilter(seen_from=datetime(2026, 1, 1, tzinfo=UTC))) == []
    tencent = store.relations(RelationFilter(source_id="company:tencent"))[0]
    assert tencent.first_seen is None and tencent.last_seen is None
    assert store.get_entity("company:tencent").first_seen is None
    assert store.get_entity("company:microsoft").last_seen == datetime(2022, 10, 12, 16, 5, tzinfo=UTC)


_STORY = (
    "Microsoft said on Monday it would invest a further ten billion dollars in OpenAI, the maker of "
    "ChatGPT, deepening a partnership that began in 2019 and giving the software group exclusive rights "
    "to sell the start-up's models through its Azure cloud to business customers around the world."
)


def _copy(doc_id: str, text: str, outlet: str | None, *claims: tuple[str, RelType, str]) -> GraphBatch:
    batch = make_batch(doc_id, source=f"{doc_id}.txt", relations=list(claims))
    batch.document.outlet = outlet
    batch.document.fingerprint = stories.fingerprint(text)
    return batch


def test_copies_of_one_story_count_once_and_retraction_stays_exact(store: GraphStore) -> None:
    # issue 11: wire copy republished by many outlets added one to the weight per copy.
    backs = ("company:microsoft", RelType.BACKS, "company:openai")
    store.upsert(_copy("doc-wire", _STORY, "Wire", backs))
    edited = "Asia Post\n" + _STORY.replace("a further", "another")
    store.upsert(_copy("doc-copy-a", edited, "Asia Post", backs))
    store.upsert(_copy("doc-copy-b", _STORY + " Shares rose.", "Metro", backs))
    other = "Tencent led a new funding round in Zhipu AI, the Beijing start-up, valuing it at three billion."
    tencent = ("company:tencent", RelType.BACKS, "company:zhipu-ai")
    store.upsert(_copy("doc-other", other, "Metro", backs, tencent))

    assert store.get_document("doc-copy-a").story == store.get_document("doc-copy-b").story == "doc-wire"
    assert store.get_document("doc-wire").story is None and store.get_document("doc-other").story is None
    rel = store.relations(RelationFilter(source_id="company:microsoft"))[0]
    assert (rel.weight, rel.outlets) == (2, 3)  # two stories, told by Wire, Asia Post and Metro
    assert {e.doc_id for e in rel.evidence} == {"doc-wire", "doc-copy-a", "doc-copy-b", "doc-other"}

    store.retract("doc-wire")  # the story's first document: its copies still tell it
    rel = store.relations(RelationFilter(source_id="company:microsoft"))[0]
    assert rel.weight == 2
    store.retract("doc-copy-a")
    assert store.relations(RelationFilter(source_id="company:microsoft"))[0].weight == 2
    store.retract("doc-copy-b")  # the last copy: now the story is gone
    assert store.relations(RelationFilter(source_id="company:microsoft"))[0].weight == 1


def test_a_story_given_in_the_batch_is_kept(store: GraphStore) -> None:
    backs = ("company:microsoft", RelType.BACKS, "company:openai")
    first = _copy("doc-1", _STORY, None, backs)
    second = _copy("doc-2", "Nothing alike at all in these words.", None, backs)
    second.document.story = "doc-1"  # as `sync` and an RDF import carry it over
    store.upsert(first)
    store.upsert(second)
    assert store.get_document("doc-2").story == "doc-1"
    assert store.relations(RelationFilter())[0].weight == 1
    rebuilt = store.document_batch("doc-2").document
    assert rebuilt.story == "doc-1" and rebuilt.fingerprint == second.document.fingerprint


# -- in-memory state follows writes without a rebuild ----------------------------------------------


def _memory(store: GraphStore) -> live.MemoryStats | None:
    """The embedded store's build/patch counters; None for a store without in-memory state."""
    if isinstance(store, EmbeddedStore) and store.config.memory_graph:
        return store.memory_stats()
    return None


def _newcomer_batch(doc_id: str, partner: str) -> GraphBatch:
    """A new company, named nowhere else, that backs `partner` (a sample-world id or company:r0)."""
    known = (
        actor(partner, name="Random Actor 0", type=NodeType.COMPANY)
        if partner == "company:r0"
        else actor(partner)
    )
    return make_batch(
        doc_id,
        entities=[actor("company:quillwort", name="Quillwort Dynamics", type=NodeType.COMPANY), known],
        relations=[Claim("company:quillwort", RelType.BACKS, partner)],
        published=day(20),
    )


def test_a_write_is_seen_by_the_next_read_without_a_rebuild(loaded: GraphStore) -> None:
    centre = "company:openai"
    loaded.neighbourhood(NeighbourhoodQuery(entity_id=centre))
    loaded.search("OpenAI")
    before = _memory(loaded)

    loaded.upsert(_newcomer_batch("doc-newcomer", centre))

    sub = loaded.neighbourhood(NeighbourhoodQuery(entity_id=centre))
    assert "company:quillwort" in {n.id for n in sub.nodes}
    assert ("company:quillwort", "BACKS", centre) in rel_keys(sub.edges)
    assert [h.entity.id for h in loaded.search("Quillwort")][:1] == ["company:quillwort"]
    found = loaded.paths(PathQuery(source_id="company:quillwort", target_id=centre))
    assert [n.id for n in found[0].nodes] == ["company:quillwort", centre]
    after = _memory(loaded)
    if before is not None and after is not None:
        assert (after.graph_builds, after.names_builds) == (before.graph_builds, before.names_builds)
        assert after.graph_patches > before.graph_patches and after.names_patches > before.names_patches
        assert isinstance(loaded, EmbeddedStore)
        assert after.graph_generation == after.names_generation == loaded.generation()


def test_a_retraction_updates_the_in_memory_state(loaded: GraphStore) -> None:
    centre = "company:openai"
    loaded.upsert(_newcomer_batch("doc-newcomer", centre))
    assert "company:quillwort" in {
        n.id for n in loaded.neighbourhood(NeighbourhoodQuery(entity_id=centre)).nodes
    }
    assert loaded.search("Quillwort")
    before = _memory(loaded)

    loaded.retract("doc-newcomer")

    sub = loaded.neighbourhood(NeighbourhoodQuery(entity_id=centre))
    assert "company:quillwort" not in {n.id for n in sub.nodes}
    assert all("company:quillwort" not in (r.source, r.target) for r in sub.edges)
    assert [h.entity.id for h in loaded.search("Quillwort")] == []
    with pytest.raises(NodeNotFound):
        loaded.neighbourhood(NeighbourhoodQuery(entity_id="company:quillwort"))
    after = _memory(loaded)
    if before is not None and after is not None:
        assert (after.graph_builds, after.names_builds) == (before.graph_builds, before.names_builds)
        assert after.graph_patches > before.graph_patches


def _fresh_state(store: EmbeddedStore) -> tuple[traversal.Adjacency, list[tuple[str, str, str, NodeType]]]:
    with store._read() as conn:
        return live.build_adjacency(conn), live.build_names(conn).entries()


@pytest.mark.parametrize("fold", [False, True], ids=["overlays", "folded"])
def test_patched_memory_equals_a_fresh_build_through_writes_replacements_and_retractions(
    embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, fold: bool
) -> None:
    if fold:  # merge every overlay into a new whole at once
        monkeypatch.setattr(layered_graph, "FOLD_MIN", 0)
        monkeypatch.setattr(name_index, "OVERLAY_MIN", 0)
    batches = random_batches(seed=3)
    for i, batch in enumerate(batches):
        embedded.upsert(batch)
        if i == 2:
            embedded.warm()  # from here on every change is a delta
        if i % 5 == 4:
            embedded.retract(batches[i - 2].document.id)
        if i % 7 == 6:  # new content from an old source replaces that document
            renamed = batch.document.model_copy(update={"id": f"{batch.document.id}-v2"})
            embedded.upsert(batch.model_copy(update={"document": renamed, "relations": batch.relations[:1]}))
        embedded.neighbourhood(NeighbourhoodQuery(entity_id=batch.relations[0].source))
        embedded.search("Random Actor")
    adj, names = _fresh_state(embedded)
    held = embedded.adjacency()
    assert held.node_types == adj.node_types
    assert held.succ == adj.succ and held.pred == adj.pred  # same arcs, in the same order
    with embedded._read() as conn:
        assert embedded._name_index(conn).entries() == names
    stats = embedded.memory_stats()
    assert (stats.graph_builds, stats.names_builds) == (1, 1)
    assert stats.graph_patches > 10


def test_another_process_write_is_patched_in_from_the_log(tmp_path: pathlib.Path) -> None:
    with EmbeddedStore(tmp_path / "data") as writer, EmbeddedStore(tmp_path / "data") as reader:
        for batch in random_batches(seed=5):
            writer.upsert(batch)
        reader.warm()
        writer.upsert(_newcomer_batch("doc-newcomer", "company:r0"))
        sub = reader.neighbourhood(NeighbourhoodQuery(entity_id="company:r0"))
        assert "company:quillwort" in {n.id for n in sub.nodes}
        assert reader.memory_stats().graph_builds == 1


def test_a_write_too_large_to_log_is_read_correctly_after_a_build(
    embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for batch in random_batches(seed=5):
        embedded.upsert(batch)
    embedded.warm()
    monkeypatch.setattr(live, "CHANGE_LOG_LIMIT", 1)
    embedded.upsert(_newcomer_batch("doc-newcomer", "company:r0"))
    sub = embedded.neighbourhood(NeighbourhoodQuery(entity_id="company:r0"))
    assert "company:quillwort" in {n.id for n in sub.nodes}
    assert embedded.memory_stats().graph_builds == 2


def test_capabilities_are_declared_not_probed(store: GraphStore) -> None:
    caps = store.capabilities
    if not caps.read_cypher:
        with pytest.raises(StoreNotSupported):
            store.read_cypher("MATCH (n) RETURN n LIMIT 1")
    results = store.upsert_many(random_batches(seed=9)[:3])
    assert [r.status for r in results] == ["added"] * 3
    assert [r.status for r in store.upsert_many(random_batches(seed=9)[:3])] == ["unchanged"] * 3


def test_graph_does_not_import_aigeo() -> None:
    code = (
        "import sys, graph.stores, graph.stores.embedded, graph.stores.neo4j_store, graph.store;"
        " assert not [m for m in sys.modules if m.split('.')[0] == 'aigeo'], 'graph imported aigeo'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=pathlib.Path(__file__).parents[2])


def test_a_large_store_answers_from_its_indexes_while_the_graph_builds_in_the_background(
    embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.stores import embedded as embedded_module

    monkeypatch.setattr(embedded_module, "SYNC_BUILD_MAX", 0)  # every store counts as large
    for batch in random_batches(seed=5):
        embedded.upsert(batch)
    query = NeighbourhoodQuery(entity_id="company:r0", depth=2)
    first = embedded.neighbourhood(query)  # starts the build, answers from SQLite
    embedded.warm()  # joins the background build
    stats = embedded.memory_stats()
    assert (stats.graph_builds, stats.names_builds) == (1, 1)
    assert stats.graph_generation == embedded.generation()
    assert embedded.neighbourhood(query) == first


def test_a_document_keeps_its_text_idempotently_until_retracted(store: GraphStore) -> None:
    text = 'Microsoft agreed to back OpenAI again.\n\tA "quoted" line \\ with \U0001f916.'
    batch = make_batch("doc-with-text", relations=[("company:microsoft", "BACKS", "company:openai")])
    batch = batch.model_copy(update={"text": text})
    store.upsert(batch)
    store.upsert(make_batch("doc-without-text", entities=["company:baidu"]))
    assert store.document_text("doc-with-text") == text
    assert store.document_text("doc-without-text") is None
    assert store.document_batch("doc-with-text").text == text
    assert store.upsert(batch.model_copy(update={"text": "other words"})).status == "unchanged"
    assert store.document_text("doc-with-text") == text
    store.retract("doc-with-text")
    with pytest.raises(DocumentNotFound):
        store.document_text("doc-with-text")
    with pytest.raises(DocumentNotFound):
        store.document_text("doc-never-stored")
