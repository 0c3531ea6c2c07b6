"""The Neo4j store's pure conversions, checked without a server.

`_json_value` turns what the driver returns from a user's read-only Cypher into JSON-friendly data;
`_relation` reads a relationship back from the parallel evidence lists `_relation_row` writes. Both are
plain functions over driver value types, so they are tested here with values built the way the
driver's own hydration builds them; the store contract suite runs the whole round trip against a server.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from neo4j.graph import Graph, Node
from neo4j.graph import Path as Neo4jPath
from neo4j.spatial import CartesianPoint
from neo4j.time import Date, DateTime, Duration

from graph import cypher
from graph.model import Evidence, Relation
from graph.schema import RelType
from graph.stores.neo4j_store import _json_value, _relation, _relation_row


def _graph_values() -> tuple[Node, Node, Neo4jPath]:
    graph = Graph()
    a = Node(graph, "4:x:1", 1, ["Entity", "Company"], {"id": "company:acme", "since": Date(2024, 3, 1)})
    b = Node(graph, "4:x:2", 2, ["Entity", "Company"], {"id": "company:globex"})
    rel = graph.relationship_type("BACKS")(graph, "5:x:9", 9, {"weight": 2})
    # the driver's hydration sets the ends the same way after building the relationship
    rel._start_node, rel._end_node = a, b
    return a, b, Neo4jPath(a, rel)


def test_nodes_relationships_and_paths_become_plain_data() -> None:
    a, _, path = _graph_values()
    assert _json_value(a) == {
        "element_id": "4:x:1",
        "labels": ["Company", "Entity"],
        "properties": {"id": "company:acme", "since": "2024-03-01"},
    }
    out = _json_value(path)
    assert [n["element_id"] for n in out["nodes"]] == ["4:x:1", "4:x:2"]
    assert out["relationships"] == [
        {
            "element_id": "5:x:9",
            "type": "BACKS",
            "start": "4:x:1",
            "end": "4:x:2",
            "properties": {"weight": 2},
        }
    ]
    json.dumps(out)


def test_scalars_collections_and_bytes() -> None:
    value = {
        "when": DateTime(2025, 1, 2, 3, 4, 5),
        "gap": Duration(days=3),
        "where": CartesianPoint((1.5, 2.0)),
        "list": [Date(2020, 1, 1), (1, b"\x00\xff")],
        "raw": bytearray(b"\x10"),
        "n": 3,
        "none": None,
    }
    out = _json_value(value)
    assert out["when"].startswith("2025-01-02T03:04:05")
    assert out["gap"] == str(Duration(days=3))
    assert out["where"] == {"srid": 7203, "coordinates": [1.5, 2.0]}
    assert out["list"] == ["2020-01-01", [1, "00ff"]]
    assert out["raw"] == "10"
    assert (out["n"], out["none"]) == (3, None)
    json.dumps(out)


def _evidence(doc: str, start: int, trigger: tuple[int | None, int | None]) -> Evidence:
    return Evidence(
        doc_id=doc,
        sentence="Acme put money into Globex.",
        start=start,
        end=start + 27,
        extractor="frame:backs",
        confidence=0.75,
        hedged=start > 100,
        since=date(2024, 5, 1) if start == 0 else None,
        trigger_start=trigger[0],
        trigger_end=trigger[1],
    )


def _row(evidence: list[Evidence], doc_of: list[str], **props: object) -> dict[str, object]:
    rel = Relation(source="company:acme", type=RelType.BACKS, target="company:globex", evidence=evidence)
    written: dict[str, list[object]] = {name: [] for name in cypher.EVIDENCE_LISTS}
    for ev, doc in zip(evidence, doc_of, strict=True):
        one = _relation_row(rel.model_copy(update={"evidence": [ev]}), doc)
        for name in cypher.EVIDENCE_LISTS:
            written[name].extend(one[name])
    return {"source": rel.source, "type": "BACKS", "target": rel.target, "props": {**written, **props}}


def test_relation_reads_back_what_relation_row_wrote_in_document_order() -> None:
    evs = [_evidence("d2", 5, (None, None)), _evidence("d1", 200, (5, 8)), _evidence("d1", 0, (0, 4))]
    row = _row(evs, ["d2", "d1", "d1"], weight=3, outlets=2, confidence=0.8, hedged=True)
    published = DateTime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
    row["docs"] = [
        {"id": "d1", "seq": 1, "title": "One", "url": "https://example.org/1", "published": published},
        {"id": "d2", "seq": 2, "title": "Two"},
    ]
    rel = _relation(row)
    assert [(e.doc_id, e.start) for e in rel.evidence] == [("d1", 0), ("d1", 200), ("d2", 5)]
    first = rel.evidence[0]
    assert (first.trigger_start, first.trigger_end, first.since) == (0, 4, date(2024, 5, 1))
    assert (first.doc_title, first.doc_url) == ("One", "https://example.org/1")
    assert first.doc_published == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert rel.evidence[2].trigger_start is None and rel.evidence[2].doc_title == "Two"
    assert (rel.weight, rel.outlets, rel.confidence, rel.hedged) == (3, 2, 0.8, True)
    assert [(e.doc_id, e.start) for e in _relation(row, only_doc="d2").evidence] == [("d2", 5)]
    assert _relation(row, bare_evidence=True).evidence[0].doc_title is None


def test_relation_written_before_the_trigger_lists_existed() -> None:
    row = _row([_evidence("d1", 0, (0, 4))], ["d1"])
    props = row["props"]
    assert isinstance(props, dict)
    del props["evidence_trigger_starts"], props["evidence_trigger_ends"]
    row["docs"] = []
    rel = _relation(row)
    assert (rel.evidence[0].trigger_start, rel.evidence[0].trigger_end) == (None, None)
    assert (rel.weight, rel.first_seen, rel.since) == (0, None, None)
