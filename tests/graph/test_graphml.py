"""GraphML export: APOC's layout, read back by networkx and igraph, escaping, streaming."""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

import igraph
import networkx as nx
import pytest
from lxml import etree

from graph.export.graphml import EDGE_KEYS, NODE_KEYS, GraphMLStream, export_store, write_graphml
from graph.model import Entity, Evidence, GraphBatch, Relation
from graph.schema import NodeType, RelType
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import Claim, actor, make_batch, sample_batches

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
T = TypeVar("T")


def read_igraph(path: Path) -> igraph.Graph:
    with warnings.catch_warnings():
        # igraph names the node XML id attribute `id` too; our `id` key carries the same value.
        warnings.filterwarnings("ignore", "Could not add vertex ids", RuntimeWarning)
        return igraph.Graph.Read_GraphML(str(path))


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "data")
    for batch in sample_batches():
        store.upsert(batch)
    # Two relations between one pair: readers must keep both edges.
    store.upsert(
        make_batch("doc-parallel", relations=[("company:microsoft", "PARTNERS_WITH", "company:openai")])
    )
    yield store
    store.close()


@pytest.fixture
def exported(sample_store: EmbeddedStore, tmp_path: Path) -> Path:
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        export_store(sample_store, out)
    return path


def test_export_reads_back_in_networkx_and_igraph_with_equal_counts(
    sample_store: EmbeddedStore, exported: Path
) -> None:
    stats = sample_store.stats()

    with_nx = nx.read_graphml(exported)
    with_igraph = read_igraph(exported)

    assert (with_nx.number_of_nodes(), with_nx.number_of_edges()) == (stats.entities, stats.relations)
    assert (with_igraph.vcount(), with_igraph.ecount()) == (stats.entities, stats.relations)
    assert with_nx.is_directed() and with_igraph.is_directed()


def test_export_store_returns_the_counts_it_wrote(sample_store: EmbeddedStore) -> None:
    stats = sample_store.stats()
    assert export_store(sample_store, io.BytesIO()) == (stats.entities, stats.relations)


def test_layout_is_what_apoc_import_reads(exported: Path) -> None:
    root = etree.parse(str(exported)).getroot()
    children = [etree.QName(child).localname for child in root]
    assert children.index("graph") == len(children) - 1, "every key is declared before the graph"
    keys = root.findall("g:key", NS)
    # Key ids are unique in the document (GraphML); readers take the property name from attr.name.
    assert len({k.get("id") for k in keys}) == len(keys)
    assert all(k.get("id") in (k.get("attr.name"), f"edge_{k.get('attr.name')}") for k in keys)
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert declared == {("node", n): t for n, t in NODE_KEYS} | {("edge", n): t for n, t in EDGE_KEYS}
    graph = root.find("g:graph", NS)
    assert graph is not None and (graph.get("id"), graph.get("edgedefault")) == ("G", "directed")

    nodes = graph.findall("g:node", NS)
    assert nodes
    for node in nodes:
        data = {d.get("key"): d.text for d in node.findall("g:data", NS)}
        assert node.get("labels") == data["labels"] == f":{data['type']}:Entity"
        assert node.get("id") == data["id"]
        assert isinstance(json.loads(data["aliases"]), list)
    edges = graph.findall("g:edge", NS)
    assert edges
    names = {k.get("id"): k.get("attr.name") for k in keys}
    for edge in edges:
        data = {names[d.get("key")]: d.text for d in edge.findall("g:data", NS)}
        assert edge.get("label") == data["label"] and RelType(data["label"])
        assert "first_seen" in data and "last_seen" in data
        assert int(data["evidence_count"]) == len(json.loads(data["evidence"])) >= 1
        assert set(json.loads(data["evidence"])[0]) == {"doc_id", "sentence", "start", "end"}


def test_values_keep_their_types_and_content(exported: Path, sample_store: EmbeddedStore) -> None:
    graph = nx.read_graphml(exported)
    zhipu = graph.nodes["company:zhipu-ai"]
    entity = sample_store.get_entity("company:zhipu-ai")
    assert json.loads(zhipu["aliases"]) == entity.aliases
    assert (zhipu["name"], zhipu["type"], zhipu["country"]) == ("Zhipu AI", "Company", "CHN")
    assert zhipu["mention_count"] == entity.mention_count
    assert zhipu["first_seen"] == entity.first_seen.isoformat()  # type: ignore[union-attr]

    backs = [d for _, _, d in graph.edges(["company:microsoft"], data=True) if d["label"] == "BACKS"]
    assert len(backs) == 1
    assert backs[0]["weight"] == 2 and backs[0]["hedged"] is False
    assert backs[0]["confidence"] == pytest.approx(0.8)
    assert backs[0]["since"] == "2019-07-22"
    hedged = [d for _, _, d in graph.edges(data=True) if d["label"] == "COMPETES_WITH" and d["hedged"]]
    assert len(hedged) == 1


ODD = "Odd & <Co> \"quoted\" 'single'\nsecond line\ttab\r\x07bell 雷 🚀 עברית"


def test_odd_characters_are_escaped_and_survive_a_round_trip(tmp_path: Path) -> None:
    odd_id = "company:odd&<id>"
    entities = [
        Entity(id=odd_id, name=ODD, type=NodeType.COMPANY, aliases=[ODD, "]]>"]),
        Entity(id="company:plain", name="Plain", type=NodeType.COMPANY),
    ]
    evidence = Evidence(doc_id="doc-1", sentence=ODD, start=0, end=len(ODD), extractor="test")
    relations = [
        Relation(source=odd_id, type=RelType.BACKS, target="company:plain", evidence=[evidence], weight=1)
    ]
    path = tmp_path / "odd.graphml"
    with path.open("wb") as out:
        assert write_graphml(entities, relations, out) == (2, 1)

    etree.parse(str(path))  # well-formed
    graph = nx.read_graphml(path)
    readable = ODD.replace("\x07", "\ufffd")  # XML 1.0 cannot carry a bell, escaped or not
    assert graph.nodes[odd_id]["name"] == readable
    assert json.loads(graph.nodes[odd_id]["aliases"]) == [ODD, "]]>"]  # JSON escapes it itself
    (edge,) = graph.edges(data=True)
    assert json.loads(edge[2]["evidence"])[0]["sentence"] == ODD
    assert read_igraph(path).vs.find(id=odd_id)["name"] == readable


def test_an_empty_graph_is_a_valid_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.graphml"
    with path.open("wb") as out:
        assert write_graphml([], [], out) == (0, 0)
    assert nx.read_graphml(path).number_of_nodes() == 0
    assert read_igraph(path).vcount() == 0


class OnePass(Generic[T]):
    """An iterable that can be walked once and counts how far it has been walked."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = items
        self.used = False
        self.pulled = 0

    def __iter__(self) -> Iterator[T]:
        if self.used:
            raise AssertionError("the writer materialised its input a second time")
        self.used = True
        for item in self._items:
            self.pulled += 1
            yield item


class RecordingSink(io.RawIOBase):
    """A binary sink that remembers the size of each write and how much input had been read then."""

    def __init__(self, *sources: OnePass[object]) -> None:
        self.sizes: list[int] = []
        self.pulled_at_write: list[int] = []
        self._sources = sources

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sizes.append(len(data))
        self.pulled_at_write.append(sum(s.pulled for s in self._sources))
        return len(data)


def _big_world() -> list[GraphBatch]:
    """2,000 articles, each tying one actor to its ten successors: 20,000 distinct relations."""
    batches = []
    for d in range(2000):
        ids = [f"company:g{(d + k) % 2000}" for k in range(11)]
        entities = [actor(i, name=f"Generated {i[9:]}", type=NodeType.COMPANY) for i in ids]
        claims = [
            Claim(ids[0], RelType.BACKS, ids[k], f"G{ids[0][9:]} funds G{ids[k][9:]}, says report {d}.")
            for k in range(1, 11)
        ]
        batches.append(make_batch(f"doc-g{d}", entities=entities, relations=claims))
    return batches


@pytest.mark.slow
def test_a_20k_relation_export_streams_in_bounded_chunks(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "big") as store:
        store.upsert_many(_big_world())
        stats = store.stats()
        assert stats.relations == 20_000
        entities, relations = OnePass(store.iter_entities()), OnePass(store.iter_relations())
        sink = RecordingSink(entities, relations)

        assert write_graphml(entities, relations, sink) == (stats.entities, stats.relations)

    total = sum(sink.sizes)
    assert total > 5_000_000
    assert len(sink.sizes) > 50
    # Each write holds a bounded slice of the document, never the document...
    assert max(sink.sizes) < 256 * 1024
    # ...and is made while most of the input is still unread.
    assert sink.pulled_at_write[0] < (stats.entities + stats.relations) / 20


def test_stream_chunks_concatenate_to_the_written_document(sample_store: EmbeddedStore) -> None:
    stream = GraphMLStream(sample_store.iter_entities(), sample_store.iter_relations())
    chunks = list(stream)
    out = io.BytesIO()
    export_store(sample_store, out)
    assert b"".join(chunks) == out.getvalue()
    assert (stream.nodes, stream.edges) == (sample_store.stats().entities, sample_store.stats().relations)


def test_lists_are_declared_as_apoc_writes_them(exported: Path) -> None:
    # issue 11: without attr.list, apoc.import.graphml stored aliases as a string and
    # `$name IN e.aliases` failed on an imported graph. APOC's reader parses such a value as a JSON list.
    root = etree.parse(str(exported)).getroot()
    lists = {(k.get("for"), k.get("id")): k.get("attr.list") for k in root.findall("g:key", NS)}
    assert lists[("node", "aliases")] == "string"
    assert [key for key, kind in lists.items() if kind is not None] == [("node", "aliases")]
    for node in root.find("g:graph", NS).findall("g:node", NS):  # type: ignore[union-attr]
        aliases = next(d.text for d in node.findall("g:data", NS) if d.get("key") == "aliases")
        assert all(isinstance(a, str) for a in json.loads(aliases or "[]"))


def test_documents_and_mentions_are_written_when_asked(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "with-docs.graphml"
    with out.open("wb") as fh:
        counts = export_store(sample_store, fh, with_documents=True)
    stats = sample_store.stats()
    assert counts == (stats.entities, stats.relations)
    graph = nx.read_graphml(out, force_multigraph=True)
    docs = [n for n, d in graph.nodes(data=True) if d.get("labels") == ":Document"]
    assert len(docs) == stats.documents
    mentions = [(u, v, d) for u, v, d in graph.edges(data=True) if d.get("label") == "MENTIONS"]
    expected = sum(len(d.mentions) for d in sample_store.iter_documents())
    assert len(mentions) == expected and all(d["count"] >= 1 for _, _, d in mentions)
    assert all(u.startswith("document:") and not v.startswith("document:") for u, v, _ in mentions)
    # the entity/relation layout stays what APOC reads
    root = etree.parse(str(out)).getroot()
    assert root.find("g:graph", NS) is not None


class ReadThroughModels(EmbeddedStore):
    """The embedded store with its iterators overridden, so exports read it through its public models
    rather than straight from its file."""

    def iter_entities(self) -> Iterator[Entity]:
        yield from super().iter_entities()


@pytest.mark.parametrize("with_documents", [False, True])
def test_rows_read_from_the_file_export_exactly_what_the_models_give(
    sample_store: EmbeddedStore, with_documents: bool
) -> None:
    odd_id = "company:odd&<id>"
    sample_store.upsert(
        make_batch(
            "doc-odd",
            title=ODD,
            entities=[actor(odd_id, name=ODD, type=NodeType.COMPANY, aliases=[ODD, "]]>"])],
            relations=[Claim(odd_id, RelType.BACKS, "company:openai", ODD.replace("\x07", ""))],
        )
    )
    direct, through_models = io.BytesIO(), io.BytesIO()
    stats = sample_store.stats()
    assert export_store(sample_store, direct, with_documents) == (stats.entities, stats.relations)
    models = ReadThroughModels(sample_store.path)
    try:
        export_store(models, through_models, with_documents)
    finally:
        models.close()
    assert direct.getvalue() == through_models.getvalue()
    assert b"odd&amp;&lt;id&gt;" in direct.getvalue()
