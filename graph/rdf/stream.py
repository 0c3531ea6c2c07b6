"""Turtle and JSON-LD written as the triples come, so an export's memory does not grow with the graph.

rdflib's serialisers first build the whole graph in memory (about 1 KB per triple) and write nothing
until it is built, so a large export could neither be bounded nor stopped. The exporters yield each
subject's triples together, so grouping *consecutive* triples by subject gives the same shorthand
(`;` in Turtle, one node object in JSON-LD) in constant memory; a subject that comes back later simply
gets another statement, which both formats allow.

>>> import io
>>> from rdflib import RDF, URIRef, Literal
>>> out = io.BytesIO()
>>> s = URIRef("https://aigeo.dev/id/company/x")
>>> write_turtle([(s, RDF.type, URIRef("https://aigeo.dev/ontology#Company")), (s, URIRef(
...     "https://aigeo.dev/ontology#name"), Literal("X"))], out, {"aigeo": "https://aigeo.dev/ontology#"})
2
>>> print(out.getvalue().decode().strip())
@prefix aigeo: <https://aigeo.dev/ontology#> .
<BLANKLINE>
<https://aigeo.dev/id/company/x> a aigeo:Company ;
    aigeo:name "X" .
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


def write_turtle(triples: Iterable[Triple], out: BinaryIO, prefixes: Mapping[str, str]) -> int:
    """Write Turtle, grouping consecutive triples of one subject; return the number of triples."""
    out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode() + b"\n")
    n = 0
    current: Node | None = None
    for s, p, o in triples:
        if s == current:
            line = f" ;\n    {_turtle_predicate(p, prefixes)} {term_text(o, prefixes)}"
        else:
            line = f"{' .' + chr(10) if current is not None else ''}{term_text(s, prefixes)} "
            line += f"{_turtle_predicate(p, prefixes)} {term_text(o, prefixes)}"
            current = s
        out.write(line.encode())
        n += 1
    if current is not None:
        out.write(b" .\n")
    return n


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


def term_text(node: Node, prefixes: Mapping[str, str] | None = None) -> str:
    """A term as N-Triples writes it (an IRI prefixed where `prefixes` allow, for Turtle).

    Literals are always quoted and typed: N-Triples has no shorthand for numbers and booleans, and
    rdflib's Turtle shorthand for doubles keeps only six digits.
    """
    if isinstance(node, Literal):
        text = json.dumps(str(node), ensure_ascii=False)
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^{term_text(node.datatype, prefixes)}"
        return text
    if isinstance(node, URIRef) and prefixes:
        short = _compact(node, prefixes)
        if short != str(node):
            return short
    return str(node.n3())


def _turtle_predicate(p: Node, prefixes: Mapping[str, str]) -> str:
    return "a" if p == RDF.type else term_text(p, prefixes)


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
