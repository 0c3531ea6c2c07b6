"""RDF interchange: the ontology matches the schema, exports read back everywhere, imports are exact.

Exports are checked by tools other than the one that wrote them: rdflib and pyoxigraph parse the same
Turtle, pyoxigraph answers SPARQL, pyshacl validates against the shipped shapes.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.collection import Collection
from rdflib.term import Node

from graph.errors import BadRDF
from graph.model import Entity, Evidence, GraphBatch, NeighbourhoodQuery, Relation, RelationFilter
from graph.rdf import (
    AIGEO,
    NODE_CLASS,
    REL_PROPERTY,
    UriScheme,
    export_store,
    export_subgraph,
    import_rdf,
    load_ontology,
    load_shapes,
    write_rdf,
)
from graph.rdf.export import rdf_triples
from graph.schema import NODE_DESCRIPTIONS, RELATION_DESCRIPTIONS, SYMMETRIC_RELATIONS, NodeType, RelType
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import Claim, actor, day, make_batch, store_state

BASE = "https://aigeo.test/id/"
PARSER = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
FORMATS = list(PARSER)


def export(store: GraphStore, fmt: str = "nt") -> bytes:
    out = io.BytesIO()
    export_store(store, out, fmt, BASE)  # type: ignore[arg-type]
    return out.getvalue()


def parse(data: bytes, fmt: str = "nt") -> Graph:
    return Graph().parse(data=data, format=PARSER[fmt])


def tricky_batches() -> list[GraphBatch]:
    """Data that breaks naive round trips.

    An id with a slash, a space and accents; a sentence with quotes, a backslash, a newline, a tab and
    a character outside the BMP; a confidence no short decimal represents; a naive and an offset
    timestamp; a mention count of zero; two identical evidence records; and two documents that
    disagree on OpenAI's name and type, published in the opposite order to the one they were stored
    in (the later stored wins, so an import must replay the store's order, not publication order).
    """
    odd = "company:zhīpǔ/labs x"
    first = make_batch(
        "doc-odd-1",
        published=day(20),
        entities=[
            actor(
                odd, name="Zhīpǔ Labs", type=NodeType.COMPANY, country=None, aliases=["ZL"], mention_count=2
            ),
            actor("company:openai", name="Open AI", type=NodeType.ORGANIZATION, country=None, aliases=[]),
        ],
        relations=[
            Claim(
                odd,
                RelType.COMPETES_WITH,
                "company:openai",
                'She said "we\'re close" \\ then left.\nA new line,\ta tab and a rocket \U0001f680.',
                since=date(2024, 2, 29),
                confidence=1 / 3,
            )
        ],
    )
    second = make_batch(
        "doc-odd-2",
        source="feeds/odd.xml#2",
        published=datetime(2025, 3, 2, 8, 30, 15, 250000, tzinfo=timezone(timedelta(hours=8))),
        title='A title with "quotes"',
        url="https://news.example/odd?id=2&lang=en",
        entities=[
            actor("company:openai", name="OpenAI Inc.", aliases=["OpenAI"], mention_count=0),
            actor("government:usa"),
        ],
    )
    dup = Evidence(doc_id="doc-odd-2", sentence="OpenAI is American.", start=0, end=19, extractor="twice")
    second.relations.append(
        Relation(source="company:openai", type=RelType.BASED_IN, target="government:usa", evidence=[dup, dup])
    )
    second.document.ingested_at = datetime(2025, 4, 2, 10, 0)  # naive
    return [first, second]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "imported")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def tricky(loaded: GraphStore) -> GraphStore:
    """The sample world plus `tricky_batches()`."""
    for batch in tricky_batches():
        loaded.upsert(batch)
    return loaded


# -- the ontology and the shapes agree with graph.schema ------------------------------------------


def test_ontology_has_one_class_per_node_type_under_entity() -> None:
    onto = load_ontology()
    declared = {str(o): s for s, o in onto.subject_objects(AIGEO.nodeType)}
    assert set(declared) == {t.value for t in NodeType}
    for node_type in NodeType:
        cls = declared[node_type.value]
        assert cls == NODE_CLASS[node_type]
        assert (cls, RDF.type, OWL.Class) in onto
        assert (cls, RDFS.subClassOf, AIGEO.Entity) in onto
        assert str(onto.value(cls, RDFS.comment)) == NODE_DESCRIPTIONS[node_type]
    for cls in (AIGEO.Entity, AIGEO.Document, AIGEO.Mention, AIGEO.Relation, AIGEO.Evidence):
        assert (cls, RDF.type, OWL.Class) in onto
    assert (AIGEO.Relation, RDFS.subClassOf, RDF.Statement) in onto


def test_ontology_has_one_object_property_per_relation_type() -> None:
    onto = load_ontology()
    declared = {str(o): s for s, o in onto.subject_objects(AIGEO.relationType)}
    assert set(declared) == {r.value for r in RelType}
    for rel in RelType:
        prop = declared[rel.value]
        assert prop == REL_PROPERTY[rel]
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert ((prop, RDF.type, OWL.SymmetricProperty) in onto) == (rel in SYMMETRIC_RELATIONS)
        assert onto.value(prop, RDFS.domain) == AIGEO.Entity
        assert onto.value(prop, RDFS.range) == AIGEO.Entity
        assert onto.value(prop, RDFS.label) is not None
        assert str(onto.value(prop, RDFS.comment)) == RELATION_DESCRIPTIONS[rel]


def test_ontology_defines_exactly_the_python_vocabulary() -> None:
    onto = load_ontology()
    defined = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(str(AIGEO))}
    assert {str(t) for t in defined} == {str(AIGEO[name]) for name in AIGEO.__annotations__}
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in defined:
        assert any((term, RDF.type, k) in onto for k in kinds), term
        assert onto.value(term, RDFS.label) is not None, term
        if (term, RDF.type, OWL.DatatypeProperty) in onto:
            assert str(onto.value(term, RDFS.range)).startswith(str(rns.XSD)), term


def test_shapes_accept_exactly_the_relation_properties() -> None:
    shapes = load_shapes()
    lists = [Collection(shapes, o) for s, o in shapes.subject_objects(rns.SH["in"])]
    predicates = [set(c) for c in lists if any(x in c for x in REL_PROPERTY.values())]
    assert predicates == [set(REL_PROPERTY.values())]
    ends = set(shapes.objects(None, rns.SH.targetSubjectsOf))
    assert ends == set(REL_PROPERTY.values())


# -- URIs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "path"),
    [
        ("company:openai", "company/openai"),
        ("person:jean/paul dupont", "person/jean%2Fpaul%20dupont"),
        ("company:zhīpǔ", "company/zh%C4%ABp%C7%94"),
        ("policy:a:b", "policy/a%3Ab"),
        ("bare-id", "bare-id"),
    ],
)
def test_entity_uris_are_minted_from_ids_and_read_back(entity_id: str, path: str) -> None:
    uris = UriScheme(BASE)
    assert uris.entity(entity_id) == URIRef(BASE + path)
    assert uris.entity_id(uris.entity(entity_id)) == entity_id


def test_uri_scheme_refuses_a_reserved_prefix_and_a_bad_base() -> None:
    with pytest.raises(ValueError, match="reserved"):
        UriScheme(BASE).entity("document:x")
    with pytest.raises(ValueError, match="must be an absolute IRI"):
        UriScheme("aigeo/id")
    with pytest.raises(ValueError, match="ending in '/' or '#'"):
        UriScheme("https://aigeo.test/id")


# -- exports read back -----------------------------------------------------------------------------


def test_turtle_reads_the_same_in_rdflib_and_pyoxigraph(tricky: GraphStore) -> None:
    turtle = export(tricky, "turtle")
    by_rdflib = parse(turtle, "turtle")
    by_oxigraph = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert len(by_rdflib) == len(by_oxigraph) > 500
    assert len(by_rdflib) == len(parse(export(tricky, "nt")))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_parses_back_to_the_same_graph(tricky: GraphStore, fmt: str) -> None:
    reference = set(parse(export(tricky, "nt")))
    assert set(parse(export(tricky, fmt), fmt)) == reference


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_counts_what_the_store_holds(tricky: GraphStore, fmt: str) -> None:
    out = io.BytesIO()
    counts = export_store(tricky, out, fmt, BASE)  # type: ignore[arg-type]
    stats = tricky.stats()
    assert counts[:3] == (stats.entities, stats.relations, stats.documents)
    assert counts.triples == len(parse(out.getvalue(), fmt))


def reference(store: GraphStore) -> set[tuple[Node, Node, Node]]:
    """The export's triples as `rdf_triples` defines them, with rdflib terms, from the store's models."""
    mentions = ((d.id, e) for d in store.iter_documents() for e in store.document_batch(d.id).entities)
    return set(
        rdf_triples(
            store.iter_entities(), store.iter_relations(), store.iter_documents(), UriScheme(BASE), mentions
        )
    )


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = None if term.datatype.value == str(rns.XSD.string) else URIRef(term.datatype.value)
    return Literal(term.value, datatype=datatype)


@pytest.mark.parametrize(("fmt", "ox_format"), [("nt", "N_TRIPLES"), ("nq", "N_QUADS"), ("turtle", "TURTLE")])
def test_ntriples_nquads_and_turtle_hold_exactly_the_reference_triples(
    tricky: GraphStore, fmt: str, ox_format: str
) -> None:
    data = export(tricky, fmt)
    expected = reference(tricky)
    assert len(expected) > 500
    by_oxigraph = [
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
        for t in ox.parse(data, format=getattr(ox.RdfFormat, ox_format))
    ]
    assert set(by_oxigraph) == expected
    if fmt == "nq":
        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib's N-Quads parser uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=data, format="nquads")
        by_rdflib = {(s, p, o) for s, p, o, _ in dataset.quads()}
    else:
        by_rdflib = set(parse(data, fmt))
    assert by_rdflib == expected
    assert export_store(tricky, io.BytesIO(), fmt, BASE).triples == len(by_oxigraph)  # type: ignore[arg-type]


def test_ntriples_are_byte_for_byte_what_pyoxigraph_writes(tricky: GraphStore) -> None:
    controls = "bell\x07 delete\x7f backspace\b form feed\f return\r escape\x1b"
    tricky.upsert(
        make_batch(
            "doc-controls",
            title=controls,
            entities=[actor("company:ctl", name=controls, type=NodeType.COMPANY, aliases=[controls])],
        )
    )
    nt = export(tricky, "nt")
    assert b"\\u0007" in nt and b"\\b" in nt
    assert ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), None, ox.RdfFormat.N_TRIPLES) == nt
    assert export(tricky, "nq") == nt  # every triple is in the default graph


def test_turtle_declares_its_prefixes_once_however_many_chunks_it_is_written_in(loaded: GraphStore) -> None:
    for i in range(60):  # well past one chunk of statements
        loaded.upsert(
            make_batch(f"doc-more-{i}", relations=[("company:baidu", "COMPETES_WITH", "company:tencent")])
        )
    turtle = export(loaded, "turtle")
    assert turtle.count(b"@prefix aigeo:") == 1
    assert len(parse(turtle, "turtle")) == len(parse(export(loaded, "nt")))


def test_ntriples_parse_in_pyoxigraph(tricky: GraphStore) -> None:
    nt = export(tricky, "nt")
    assert len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) == len(nt.splitlines())


def test_relations_are_direct_triples_plus_a_reified_statement_with_evidence(loaded: GraphStore) -> None:
    g = parse(export(loaded))
    uris = UriScheme(BASE)
    microsoft, openai = uris.entity("company:microsoft"), uris.entity("company:openai")
    assert (microsoft, AIGEO.backs, openai) in g
    statement = uris.relation(("company:microsoft", RelType.BACKS, "company:openai"))
    assert (statement, RDF.type, RDF.Statement) in g
    assert (g.value(statement, RDF.subject), g.value(statement, RDF.predicate)) == (microsoft, AIGEO.backs)
    assert g.value(statement, AIGEO.weight) == Literal(2)
    sentences = {str(g.value(ev, AIGEO.sentence)) for ev in g.objects(statement, AIGEO.evidence)}
    assert "Microsoft remains the largest outside investor in OpenAI." in sentences
    assert len(sentences) == 2


def test_sparql_finds_exactly_the_backs_pairs_the_store_holds(tricky: GraphStore) -> None:
    held = {(r.source, r.target) for r in tricky.relations(RelationFilter(type=RelType.BACKS, limit=10_000))}
    assert ("company:microsoft", "company:openai") in held
    query = f"""
        PREFIX aigeo: <{AIGEO}>
        SELECT ?source ?target WHERE {{
            ?s aigeo:backs ?t . ?s aigeo:id ?source . ?t aigeo:id ?target .
        }}
    """
    turtle = export(tricky, "turtle")
    oxi = ox.Store()
    oxi.bulk_load(turtle, format=ox.RdfFormat.TURTLE)
    found = {(s["source"].value, s["target"].value) for s in oxi.query(query)}  # type: ignore[union-attr]
    assert found == held
    assert {(str(s), str(t)) for s, t in parse(turtle, "turtle").query(query)} == held  # type: ignore[misc]


def test_ntriples_are_written_while_the_store_is_still_being_read() -> None:
    out = io.BytesIO()

    def entities() -> Iterator[Entity]:
        yield actor("company:openai")
        # Streaming: the first entity's triples are already out before the second is asked for.
        assert out.tell() > 0
        yield actor("company:baidu")

    written = write_rdf(entities(), [], [], out, "nt", BASE)
    assert written.entities == 2
    assert written.triples == len(out.getvalue().splitlines()) > 0


# -- SHACL -----------------------------------------------------------------------------------------


def shacl(g: Graph) -> tuple[bool, Graph]:
    conforms, results, _ = validate(g, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none")
    return bool(conforms), results


def test_exported_data_conforms_to_the_shapes(tricky: GraphStore) -> None:
    conforms, results = shacl(parse(export(tricky)))
    assert conforms, results.serialize(format="turtle")


def _drop_name(g: Graph, uris: UriScheme) -> URIRef:
    node = uris.entity("company:openai")
    g.remove((node, AIGEO.name, None))
    return node


def _wrong_weight(g: Graph, uris: UriScheme) -> URIRef:
    node = uris.relation(("company:microsoft", RelType.BACKS, "company:openai"))
    g.set((node, AIGEO.weight, Literal(3)))
    return node


def _two_letter_country(g: Graph, uris: UriScheme) -> URIRef:
    node = uris.entity("company:baidu")
    g.set((node, AIGEO.country, Literal("CN")))
    return node


def _unasserted_relation(g: Graph, uris: UriScheme) -> URIRef:
    g.remove((uris.entity("company:tencent"), AIGEO.backs, uris.entity("company:zhipu-ai")))
    return uris.relation(("company:tencent", RelType.BACKS, "company:zhipu-ai"))


def _backwards_offsets(g: Graph, uris: UriScheme) -> URIRef:
    statement = uris.relation(("company:tencent", RelType.BACKS, "company:zhipu-ai"))
    evidence = g.value(statement, AIGEO.evidence)
    assert isinstance(evidence, URIRef)
    g.set((evidence, AIGEO.start, Literal(10_000)))
    return evidence


def _backwards_trigger(g: Graph, uris: UriScheme) -> URIRef:
    statement = uris.relation(("company:microsoft", RelType.BACKS, "company:openai"))
    evidence = next(
        e for e in g.objects(statement, AIGEO.evidence) if g.value(e, AIGEO.triggerEnd) is not None
    )
    assert isinstance(evidence, URIRef)
    g.set((evidence, AIGEO.triggerStart, Literal(500)))
    return evidence


@pytest.mark.parametrize(
    "breakage",
    [
        _drop_name,
        _wrong_weight,
        _two_letter_country,
        _unasserted_relation,
        _backwards_offsets,
        _backwards_trigger,
    ],
)
def test_shapes_reject_a_broken_graph(
    loaded: GraphStore, breakage: Callable[[Graph, UriScheme], URIRef]
) -> None:
    g = parse(export(loaded))
    focus = breakage(g, UriScheme(BASE))
    conforms, results = shacl(g)
    assert not conforms
    assert focus in set(results.objects(None, rns.SH.focusNode))


# -- import: the round trip ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_import_export_gives_the_same_graph(
    tricky: GraphStore, fresh: EmbeddedStore, fmt: str
) -> None:
    first = export(tricky, fmt)
    report = import_rdf(first, fmt, fresh, BASE, without_text=True)
    assert (report.documents, report.added, report.skipped_entities) == (8, 8, [])
    assert set(parse(export(fresh, fmt), fmt)) == set(parse(first, fmt))
    assert store_state(fresh) == store_state(tricky)


def test_import_replays_the_store_order_not_publication_order(
    tricky: GraphStore, fresh: EmbeddedStore
) -> None:
    import_rdf(export(tricky, "turtle"), "turtle", fresh, BASE, without_text=True)
    openai = fresh.get_entity("company:openai")
    assert (openai.name, openai.type) == ("OpenAI Inc.", NodeType.COMPANY)
    assert openai == tricky.get_entity("company:openai")


def test_importing_the_same_file_twice_changes_nothing(loaded: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes(export(loaded, "turtle"))
    before = store_state(loaded)
    report = import_rdf(path, None, loaded, BASE, without_text=True)
    assert (report.format, report.unchanged, report.added) == ("turtle", 6, 0)
    assert store_state(loaded) == before


def test_subgraph_export_imports_to_that_subgraph(loaded: GraphStore, fresh: EmbeddedStore) -> None:
    sub = loaded.neighbourhood(NeighbourhoodQuery(entity_id="company:zhipu-ai", depth=1))
    out = io.BytesIO()
    export_subgraph(loaded, sub, out, "jsonld", BASE)
    report = import_rdf(out.getvalue(), "jsonld", fresh, BASE, without_text=True)
    assert report.skipped_entities == []
    assert {r.key for r in fresh.iter_relations()} == {r.key for r in sub.edges}
    assert {e.id for e in fresh.iter_entities()} == {e.id for e in sub.nodes}


HAND_WRITTEN = """
@prefix aigeo: <https://aigeo.dev/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://aigeo.test/id/company/mistral> a aigeo:Company ;
    aigeo:name "Mistral AI" ; aigeo:alias "Mistral" ; aigeo:country "FRA" ;
    owl:sameAs <https://example.org/mistral-ai> .
<https://aigeo.test/id/company/openai> a aigeo:Company ; aigeo:name "OpenAI" .
<https://aigeo.test/id/company/lonely> a aigeo:Company ; aigeo:name "Nobody Mentions Me" .

<https://aigeo.test/id/document/note-1> a aigeo:Document ;
    aigeo:source "notes/1.txt" ;
    aigeo:published "2025-05-01T09:00:00Z"^^xsd:dateTime ;
    aigeo:mentions <https://aigeo.test/id/company/mistral>, <https://aigeo.test/id/company/openai> .

<https://aigeo.test/id/company/openai> aigeo:competesWith <https://aigeo.test/id/company/mistral> .
[] a aigeo:Relation ;
    rdf:subject <https://aigeo.test/id/company/openai> ;
    rdf:predicate aigeo:competesWith ;
    rdf:object <https://aigeo.test/id/company/mistral> ;
    aigeo:evidence [
        a aigeo:Evidence ;
        aigeo:document <https://aigeo.test/id/document/note-1> ;
        aigeo:sentence "Mistral AI is pitched as Europe's answer to OpenAI." ;
        aigeo:start 0 ; aigeo:end 51 ; aigeo:extractor "analyst"
    ] .
"""


def test_hand_written_turtle_with_ids_from_uris_and_bare_mentions_imports(fresh: EmbeddedStore) -> None:
    data = HAND_WRITTEN.replace(
        "@prefix xsd:", "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix xsd:"
    )
    report = import_rdf(data.encode(), None, fresh, BASE, name="notes.ttl", without_text=True)
    assert (report.format, report.documents, report.relations, report.evidence) == ("turtle", 1, 1, 1)
    assert report.ignored_triples == 1  # owl:sameAs has no place in a store
    assert report.skipped_entities == ["company:lonely"]
    mistral = fresh.get_entity("company:mistral")
    assert (mistral.name, mistral.aliases, mistral.country, mistral.mention_count) == (
        "Mistral AI",
        ["Mistral"],
        "FRA",
        1,
    )
    [rel] = fresh.iter_relations()
    # Symmetric relations are stored once, in canonical order, whichever way the file states them.
    assert rel.key == ("company:mistral", RelType.COMPETES_WITH, "company:openai")
    assert rel.evidence[0].confidence == Evidence.model_fields["confidence"].default
    assert rel.first_seen == datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


# -- import: bad input changes nothing ---------------------------------------------------------------


def _nt(g: Graph) -> bytes:
    return g.serialize(format="nt", encoding="utf-8")


def _edit(edit: Callable[[Graph, UriScheme], object]) -> Callable[[bytes], bytes]:
    def apply(nt: bytes) -> bytes:
        g = parse(nt)
        edit(g, UriScheme(BASE))
        return _nt(g)

    return apply


def _first_evidence(g: Graph, uris: UriScheme) -> URIRef:
    node = g.value(uris.relation(("company:microsoft", RelType.BACKS, "company:openai")), AIGEO.evidence)
    assert isinstance(node, URIRef)
    return node


BAD_INPUTS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "syntax error": (lambda nt: nt[: len(nt) // 2] + b" <broken", "cannot parse as nt"),
    "unknown aigeo property": (
        _edit(
            lambda g, u: g.add(
                (u.entity("company:openai"), URIRef(f"{AIGEO}fundedBy"), u.entity("company:microsoft"))
            )
        ),
        "aigeo:fundedBy, which the aigeo ontology does not define",
    ),
    "unknown relation predicate": (
        _edit(
            lambda g, u: g.set(
                (
                    u.relation(("company:microsoft", RelType.BACKS, "company:openai")),
                    RDF.predicate,
                    URIRef("https://example.org/funds"),
                )
            )
        ),
        "not a relation property",
    ),
    "missing sentence": (
        _edit(lambda g, u: g.remove((_first_evidence(g, u), AIGEO.sentence, None))),
        "lacks aigeo:sentence",
    ),
    "missing name": (
        _edit(lambda g, u: g.remove((u.entity("company:baidu"), AIGEO.name, None))),
        "lacks aigeo:name",
    ),
    "wrong datatype": (
        _edit(
            lambda g, u: g.set((_first_evidence(g, u), AIGEO.start, Literal("12", datatype=rns.XSD.string)))
        ),
        "aigeo:start of",
    ),
    "ill-typed integer": (
        _edit(
            lambda g, u: g.set(
                (
                    u.mention("doc-altman", "person:sam-altman"),
                    AIGEO.mentionCount,
                    Literal("many", datatype=rns.XSD.integer),
                )
            )
        ),
        "must be a non-negative xsd:integer",
    ),
    "dangling document": (
        _edit(lambda g, u: g.set((_first_evidence(g, u), AIGEO.document, u.document("doc-nowhere")))),
        "not a valid aigeo:Document",
    ),
    "relation without evidence": (
        _edit(lambda g, u: g.add((u.entity("company:baidu"), AIGEO.backs, u.entity("company:openai")))),
        "is asserted but no aigeo:Relation gives its evidence",
    ),
    "two node types": (
        _edit(lambda g, u: g.add((u.entity("company:baidu"), RDF.type, AIGEO.Person))),
        "needs exactly one node type class",
    ),
    "id disagrees with uri": (
        _edit(lambda g, u: g.set((u.entity("company:baidu"), AIGEO.id, Literal("company:ernie")))),
        "which mints",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_rdf_raises_bad_rdf_and_writes_nothing(
    loaded: GraphStore, fresh: EmbeddedStore, case: str
) -> None:
    corrupt, message = BAD_INPUTS[case]
    good = export(loaded)
    bad = corrupt(good)
    before = store_state(loaded)
    for target in (loaded, fresh):
        with pytest.raises(BadRDF) as caught:
            import_rdf(bad, "nt", target, BASE, name="broken.nt", without_text=True)
        assert str(caught.value).startswith("broken.nt: ")
        assert message in str(caught.value)
    assert store_state(loaded) == before
    assert fresh.stats().documents == 0
    # the unbroken file goes in: the failures were the edits'
    import_rdf(good, "nt", fresh, BASE, without_text=True)
    assert store_state(fresh) == before


def test_problems_are_listed_together(loaded: GraphStore, fresh: EmbeddedStore) -> None:
    g = parse(export(loaded))
    uris = UriScheme(BASE)
    g.remove((uris.entity("company:baidu"), AIGEO.name, None))
    g.set((uris.entity("company:tencent"), AIGEO.country, Literal(3)))
    with pytest.raises(BadRDF, match=r"\(2 problems\)") as caught:
        import_rdf(_nt(g), "nt", fresh, BASE, name="two.nt", without_text=True)
    assert "company/baidu> lacks aigeo:name" in str(caught.value)
    assert "aigeo:country of <https://aigeo.test/id/company/tencent> must be a string" in str(caught.value)


def test_json_ld_with_a_remote_context_is_refused_before_any_fetch(fresh: EmbeddedStore) -> None:
    doc = {"@context": "https://example.org/context.jsonld", "@id": "https://aigeo.test/id/company/x"}
    with pytest.raises(BadRDF, match="remote JSON-LD context"):
        import_rdf(json.dumps(doc).encode(), "jsonld", fresh, BASE, name="remote.jsonld", without_text=True)


def test_unreadable_file_and_unknown_format_are_bad_rdf(tmp_path: Path, fresh: EmbeddedStore) -> None:
    with pytest.raises(BadRDF, match="missing.ttl: cannot read"):
        import_rdf(tmp_path / "missing.ttl", None, fresh, BASE, without_text=True)
    with pytest.raises(BadRDF, match="unknown RDF format 'rdfxml'"):
        import_rdf(b"", "rdfxml", fresh, BASE, without_text=True)
