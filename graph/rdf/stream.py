"""JSON-LD written as the triples come, so an export's memory does not grow with the graph.

rdflib's serialisers first build the whole graph in memory (about 1 KB per triple) and write nothing
until it is built, so a large export could neither be bounded nor stopped. The exporters yield each
subject's triples together, so grouping *consecutive* triples by subject gives one node object per
subject in constant memory; a subject that comes back later simply gets another node object, which
JSON-LD allows. (Turtle, N-Triples and N-Quads are written by `graph.rdf.export` without rdflib terms.)

>>> import io
>>> from rdflib import RDF, URIRef, Literal
>>> out = io.BytesIO()
>>> s = URIRef("https://aigeo.dev/id/company/x")
>>> write_jsonld([(s, RDF.type, URIRef("https://aigeo.dev/ontology#Company")), (s, URIRef(
...     "https://aigeo.dev/ontology#name"), Literal("X"))], out, {"aigeo": "https://aigeo.dev/ontology#"})
2
>>> print(out.getvalue().decode().strip())
{"@context": {"aigeo": "https://aigeo.dev/ontology#"},
 "@graph": [
  {"@id": "https://aigeo.dev/id/company/x", "@type": ["aigeo:Company"], "aigeo:name": [{"@value": "X"}]}
]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
"""Local names safe to write prefixed in both Turtle and JSON-LD; any other IRI is written in full."""


def write_jsonld(triples: Iterable[Triple], out: BinaryIO, prefixes: Mapping[str, str]) -> int:
    """Write JSON-LD (a context and a `@graph` of node objects), one node object per run of triples
    with the same subject; return the number of triples."""
    out.write(b'{"@context": ' + json.dumps(dict(prefixes)).encode() + b',\n "@graph": [')
    n = 0
    node: dict[str, Any] | None = None
    first = True
    for s, p, o in triples:
        if node is None or node["@id"] != str(s):
            if node is not None:
                out.write((("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False)).encode())
                first = False
            node = {"@id": str(s)}
        if p == RDF.type and isinstance(o, URIRef):
            node.setdefault("@type", []).append(_compact(o, prefixes))
        else:
            node.setdefault(_compact(URIRef(str(p)), prefixes), []).append(_jsonld_value(o))
        n += 1
    if node is not None:
        out.write((("\n  " if first else ",\n  ") + json.dumps(node, ensure_ascii=False)).encode())
    out.write(b"\n]}\n")
    return n


def _compact(iri: URIRef, prefixes: Mapping[str, str]) -> str:
    text = str(iri)
    for prefix, ns in prefixes.items():
        if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _jsonld_value(o: Node) -> dict[str, str]:
    if not isinstance(o, Literal):
        return {"@id": str(o)}
    value = {"@value": str(o)}
    if o.language:
        value["@language"] = o.language
    elif o.datatype is not None and o.datatype != XSD.string:
        value["@type"] = str(o.datatype)
    return value
