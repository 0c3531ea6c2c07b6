"""Documents keep their text, and an RDF import checks a document against it (issue 13, defect 4).

A document's id is the hash of its title and text (`RawDocument.content_hash`); its evidence offsets
point into the analysed text (`loaders.clean.analysed_text`). An export carries the text, so an import
recomputes both exactly and refuses what does not match.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import BadRDF
from graph.model import Document, Evidence, GraphBatch, Relation
from graph.rdf import export_store, import_rdf, importer
from graph.rdf.export import rdf_triples
from graph.rdf.importer import MAX_TEXT_CHARS
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO
from graph.schema import RelType
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.sync import copy_graph
from loaders.clean import analysed_text
from loaders.raw import RawDocument
from tests.graph.factories import actor, day, store_state

BASE = "https://aigeo.test/id/"
PARSER = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS}

# Invented articles. The second holds what breaks naive serialisers: quotes, a backslash, a tab, a form
# feed, a character outside the BMP, and a title the text does not repeat.
ARTICLES = [
    (
        "Quantra backs Lumen Labs",
        "Quantra backs Lumen Labs\n\nQuantra agreed to put money behind Lumen Labs on Monday. "
        "The deal was small.\n\nLumen Labs is based in the United States.",
        [("company:microsoft", RelType.BACKS, "company:openai", "Quantra agreed to put money behind Lumen")],
    ),
    (
        "Rival models",
        'Baidu said "we compete" with Zhipu AI \\ 2025.\tIt added \U0001f916 nothing.\x0c\n'
        "Zhipu AI answered the next day.",
        [("company:baidu", RelType.COMPETES_WITH, "company:zhipu-ai", 'Baidu said "we compete"')],
    ),
]


def article_batch(title: str, text: str, claims: list[tuple[str, RelType, str, str]], n: int) -> GraphBatch:
    """The batch an ingest of this article gives: its id the content hash, offsets into the analysed text.

    Each claim names the opening words of its sentence; the sentence runs to the next full stop.
    """
    doc_id = RawDocument(source="x", text=text, title=title).content_hash
    analysed = analysed_text(title, text)
    relations = []
    for source, type_, target, opening in claims:
        start = analysed.index(opening)
        end = analysed.index(".", start) + 1
        evidence = Evidence(
            doc_id=doc_id, sentence=analysed[start:end].strip(), start=start, end=end, extractor="test"
        )
        relations.append(Relation(source=source, type=type_, target=target, evidence=[evidence]))
    ends = sorted({end for c in claims for end in (c[0], c[2])})
    document = Document(
        id=doc_id,
        source=f"articles/text-{n}.txt",
        title=title,
        published=day(n + 1),
        word_count=len(analysed.split()),
    )
    return GraphBatch(document=document, entities=[actor(e) for e in ends], relations=relations, text=text)


def articles() -> list[GraphBatch]:
    return [article_batch(title, text, claims, n) for n, (title, text, claims) in enumerate(ARTICLES)]


@pytest.fixture
def written(tmp_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path / "written") as store:
        store.upsert_many(articles())
        yield store


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path / "fresh") as store:
        yield store


def export(store: GraphStore, fmt: str) -> bytes:
    out = io.BytesIO()
    export_store(store, out, fmt, BASE)  # type: ignore[arg-type]
    return out.getvalue()


def texts(store: GraphStore) -> dict[str, str | None]:
    return {d.id: store.document_text(d.id) for d in store.iter_documents()}


# -- the store keeps it -----------------------------------------------------------------------------


def test_the_store_keeps_each_documents_text_and_retraction_removes_it(written: EmbeddedStore) -> None:
    batches = articles()
    assert texts(written) == {b.document.id: b.text for b in batches}
    assert written.document_batch(batches[1].document.id).text == ARTICLES[1][1]
    written.retract(batches[0].document.id)
    assert texts(written) == {batches[1].document.id: ARTICLES[1][1]}
    rows = written._conn().execute("SELECT count(*) FROM document_texts").fetchone()
    assert rows == (1,)


def test_sync_carries_the_text(written: EmbeddedStore, fresh: EmbeddedStore) -> None:
    copy_graph(written, fresh)
    assert texts(fresh) == texts(written)


# -- export writes it -------------------------------------------------------------------------------


def from_oxigraph(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    assert isinstance(term, ox.Literal)
    datatype = None if term.datatype.value.endswith("#string") else URIRef(term.datatype.value)
    return Literal(term.value, datatype=datatype)


@pytest.mark.parametrize("fmt", ["nt", "nq", "turtle"])
def test_every_output_carries_the_text_and_parses_alike_in_rdflib_and_pyoxigraph(
    written: EmbeddedStore, fmt: str
) -> None:
    data = export(written, fmt)
    mentions = ((d.id, e) for d in written.iter_documents() for e in written.document_batch(d.id).entities)
    expected = set(
        rdf_triples(
            written.iter_entities(),
            written.iter_relations(),
            written.iter_documents(),
            UriScheme(BASE),
            mentions,
            written.document_text,
        )
    )
    by_oxigraph = {
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
        for t in ox.parse(data, format=OX_FORMAT[fmt])
    }
    assert by_oxigraph == expected
    if fmt != "nq":
        assert set(Graph().parse(data=data, format=PARSER[fmt])) == expected
    assert {str(o) for _, p, o in expected if str(p).endswith("#text")} == {a[1] for a in ARTICLES}


# -- import checks it --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(PARSER))
def test_export_then_import_into_a_fresh_store_gives_the_same_graph_and_texts(
    written: EmbeddedStore, fresh: EmbeddedStore, fmt: str
) -> None:
    report = import_rdf(export(written, fmt), fmt, fresh, BASE)
    assert (report.documents, report.added) == (2, 2)
    assert store_state(fresh) == store_state(written)
    assert texts(fresh) == texts(written)
    assert set(Graph().parse(data=export(fresh, "nt"), format="nt")) == set(
        Graph().parse(data=export(written, "nt"), format="nt")
    )


def refused(data: bytes, store: EmbeddedStore) -> str:
    with pytest.raises(BadRDF) as caught:
        import_rdf(data, "nt", store, BASE, name="edited.nt")
    assert store.stats().documents == 0  # nothing written
    return str(caught.value)


def test_a_document_whose_id_is_not_its_hash_is_refused(written: EmbeddedStore, fresh: EmbeddedStore) -> None:
    nt = export(written, "nt").decode()
    edited = nt.replace("Zhipu AI answered the next day.", "Zhipu AI answered a week later.")
    assert edited != nt
    message = refused(edited.encode(), fresh)
    assert "but its title and text hash to" in message
    assert "Traceback" not in message


def test_evidence_not_at_its_offsets_is_refused(written: EmbeddedStore, fresh: EmbeddedStore) -> None:
    nt = export(written, "nt").decode()
    start = re.search(r'#start> "(\d+)"', nt)
    assert start is not None
    moved = nt.replace(start.group(0), f'#start> "{int(start.group(1)) + 1}"', 1)
    message = refused(moved.encode(), fresh)
    assert "is not its document's text between" in message


def test_evidence_past_the_end_of_its_text_is_refused(written: EmbeddedStore, fresh: EmbeddedStore) -> None:
    nt = export(written, "nt").decode()
    end = re.search(r'#end> "(\d+)"', nt)
    assert end is not None
    message = refused(nt.replace(end.group(0), '#end> "900000"', 1).encode(), fresh)
    assert "past the end of its document's text" in message


def test_a_document_without_text_is_refused_with_a_reason_unless_asked(
    written: EmbeddedStore, fresh: EmbeddedStore
) -> None:
    lines = export(written, "nt").decode().splitlines(keepends=True)
    bare = "".join(line for line in lines if "#text>" not in line).encode()
    message = refused(bare, fresh)
    assert "carries no aigeo:text, so its id and evidence cannot be checked" in message
    assert "--without-text" in message
    assert import_rdf(bare, "nt", fresh, BASE, without_text=True).added == 2
    assert set(texts(fresh).values()) == {None}


def test_a_text_over_the_limit_is_refused(
    written: EmbeddedStore, fresh: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit (MAX_TEXT_CHARS) is what the ingest's byte limit allows; rdflib parses a literal
    # that long in minutes, so the test lowers it to one these articles exceed.
    assert MAX_TEXT_CHARS >= 5_000_000
    monkeypatch.setitem(importer._MAX_CHARS, AIGEO.text, 60)
    message = refused(export(written, "nt"), fresh)
    assert "over the limit of 60" in message
