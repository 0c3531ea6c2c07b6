"""Cytoscape.js `elements` JSON: what front ends hand to `cytoscape({elements})` to draw the graph.

Each node is `{"data": {"id", "label", ...}, "classes": "<NodeType>"}` and each edge
`{"data": {"id", "source", "target", "label", ...}, "classes": "<RelType>"}`, so a stylesheet can
colour by type with `node.Company` / `edge.BACKS` selectors. Evidence is summarised as a count: a
front end fetches the sentences for the one relation a user clicks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, BinaryIO

from graph.model import Entity, Relation
from graph.schema import SYMMETRIC_RELATIONS


def node_element(entity: Entity) -> dict[str, Any]:
    """One entity as a Cytoscape node.

    >>> from graph.schema import NodeType
    >>> node_element(Entity(id="company:openai", name="OpenAI", type=NodeType.COMPANY))["data"]["label"]
    'OpenAI'
    """
    return {
        "data": {
            "id": entity.id,
            "label": entity.name,
            "type": entity.type.value,
            "aliases": list(entity.aliases),
            "country": entity.country,
            "mention_count": entity.mention_count,
            "first_seen": entity.first_seen.isoformat() if entity.first_seen else None,
            "last_seen": entity.last_seen.isoformat() if entity.last_seen else None,
        },
        "classes": entity.type.value,
    }


def edge_id(rel: Relation) -> str:
    """A stable id for a relation, unique because relations are keyed on (source, type, target)."""
    return f"{rel.source}|{rel.type.value}|{rel.target}"


def edge_element(rel: Relation) -> dict[str, Any]:
    """One relation as a Cytoscape edge (symmetric ones flagged, since Cytoscape edges have a direction).

    >>> from graph.schema import RelType
    >>> rel = Relation(source="company:msft", type=RelType.BACKS, target="company:openai")
    >>> edge_element(rel)["data"]["id"]
    'company:msft|BACKS|company:openai'
    """
    return {
        "data": {
            "id": edge_id(rel),
            "source": rel.source,
            "target": rel.target,
            "label": rel.type.value,
            "symmetric": rel.type in SYMMETRIC_RELATIONS,
            "weight": rel.weight,
            "confidence": rel.confidence,
            "hedged": rel.hedged,
            "since": rel.since.isoformat() if rel.since else None,
            "first_seen": rel.first_seen.isoformat() if rel.first_seen else None,
            "last_seen": rel.last_seen.isoformat() if rel.last_seen else None,
            "evidence_count": len(rel.evidence),
        },
        "classes": rel.type.value,
    }


def cytoscape_elements(entities: Iterable[Entity], relations: Iterable[Relation]) -> dict[str, Any]:
    """The whole document in memory, for small results.

    >>> cytoscape_elements([], [])
    {'elements': {'nodes': [], 'edges': []}}
    """
    return {
        "elements": {
            "nodes": [node_element(e) for e in entities],
            "edges": [edge_element(r) for r in relations],
        }
    }


def write_cytoscape(
    entities: Iterable[Entity], relations: Iterable[Relation], out: BinaryIO
) -> tuple[int, int]:
    """Stream the same document as `cytoscape_elements` to `out`, one element at a time.

    Relations whose ends are not among `entities` are the caller's to avoid: Cytoscape.js refuses an
    edge to a missing node. Returns (nodes, edges) written.

    >>> import io
    >>> from graph.schema import NodeType
    >>> buf = io.BytesIO()
    >>> write_cytoscape([Entity(id="company:openai", name="OpenAI", type=NodeType.COMPANY)], [], buf)
    (1, 0)
    >>> json.loads(buf.getvalue())["elements"]["nodes"][0]["data"]["id"]
    'company:openai'
    """
    nodes = edges = 0
    out.write(b'{"elements":{"nodes":[')
    for entity in entities:
        out.write(_element_bytes(node_element(entity), first=nodes == 0))
        nodes += 1
    out.write(b'],"edges":[')
    for rel in relations:
        out.write(_element_bytes(edge_element(rel), first=edges == 0))
        edges += 1
    out.write(b"]}}\n")
    return nodes, edges


def _element_bytes(element: dict[str, Any], first: bool) -> bytes:
    text = json.dumps(element, ensure_ascii=False, separators=(",", ":"))
    return (text if first else ",\n" + text).encode("utf-8")
