"""The one table of export formats: name, media type, file extensions and writers.

The CLI (`aigeo export`) and the API (`/export/*`) both read it, so a format is added, named and
dispatched in one place; the CLI also infers the format of `--output g.ttl` from it.

>>> format_for_path("graph.ttl")
<ExportFormat.TURTLE: 'turtle'>
>>> format_for_path("elements.cyjs.json")
<ExportFormat.CYTOSCAPE: 'cytoscape'>
>>> format_for_path("notes.txt") is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import BinaryIO, cast

from graph.model import Subgraph
from graph.store import GraphStore


class ExportFormat(StrEnum):
    """Every format an export can take; the RDF ones follow the ontology in `graph/rdf`."""

    GRAPHML = "graphml"
    CYTOSCAPE = "cytoscape"
    TURTLE = "turtle"
    NT = "nt"
    NQ = "nq"
    JSONLD = "jsonld"


Counts = tuple[int, int]
"""(nodes, edges) written."""


def _graphml_store(store: GraphStore, out: BinaryIO, base: str) -> Counts:
    from graph.export.graphml import write_graphml

    return write_graphml(store.iter_entities(), store.iter_relations(with_evidence=True), out)


def _graphml_sub(store: GraphStore, sub: Subgraph, out: BinaryIO, base: str) -> Counts:
    from graph.export.graphml import write_graphml

    return write_graphml(sub.nodes, sub.edges, out)


def _cytoscape_store(store: GraphStore, out: BinaryIO, base: str) -> Counts:
    from graph.export.cytoscape import write_cytoscape

    return write_cytoscape(store.iter_entities(), store.iter_relations(with_evidence=True), out)


def _cytoscape_sub(store: GraphStore, sub: Subgraph, out: BinaryIO, base: str) -> Counts:
    from graph.export.cytoscape import write_cytoscape

    return write_cytoscape(sub.nodes, sub.edges, out)


def _rdf_store(fmt: str) -> Callable[[GraphStore, BinaryIO, str], Counts]:
    def write(store: GraphStore, out: BinaryIO, base: str) -> Counts:
        from graph.rdf.export import RdfFormat, export_store

        counts = export_store(store, out, cast(RdfFormat, fmt), base)
        return counts.entities, counts.relations

    return write


def _rdf_sub(fmt: str) -> Callable[[GraphStore, Subgraph, BinaryIO, str], Counts]:
    def write(store: GraphStore, sub: Subgraph, out: BinaryIO, base: str) -> Counts:
        from graph.rdf.export import RdfFormat, export_subgraph

        counts = export_subgraph(store, sub, out, cast(RdfFormat, fmt), base)
        return counts.entities, counts.relations

    return write


@dataclass(frozen=True)
class FormatSpec:
    """How one format is served and written."""

    media_type: str
    extensions: tuple[str, ...]
    """File name endings, the first one used for downloads."""
    write_store: Callable[[GraphStore, BinaryIO, str], Counts]
    """(store, out, rdf_base): the whole graph."""
    write_subgraph: Callable[[GraphStore, Subgraph, BinaryIO, str], Counts]
    """(store, subgraph, out, rdf_base): a query result (RDF adds the documents its evidence cites)."""


FORMATS: dict[ExportFormat, FormatSpec] = {
    ExportFormat.GRAPHML: FormatSpec(
        "application/graphml+xml", ("graphml", "xml"), _graphml_store, _graphml_sub
    ),
    ExportFormat.CYTOSCAPE: FormatSpec(
        "application/json", ("cyjs.json", "cyjs"), _cytoscape_store, _cytoscape_sub
    ),
    ExportFormat.TURTLE: FormatSpec(
        "text/turtle", ("ttl", "turtle"), _rdf_store("turtle"), _rdf_sub("turtle")
    ),
    ExportFormat.NT: FormatSpec("application/n-triples", ("nt",), _rdf_store("nt"), _rdf_sub("nt")),
    ExportFormat.NQ: FormatSpec("application/n-quads", ("nq",), _rdf_store("nq"), _rdf_sub("nq")),
    ExportFormat.JSONLD: FormatSpec(
        "application/ld+json", ("jsonld",), _rdf_store("jsonld"), _rdf_sub("jsonld")
    ),
}


AMBIGUOUS_EXTENSIONS: dict[str, tuple[ExportFormat, ...]] = {
    "json": (ExportFormat.CYTOSCAPE, ExportFormat.JSONLD),
}
"""Endings more than one format writes: a file named so needs the format said ("--format")."""


def ambiguous_formats(path: str | PurePath) -> tuple[ExportFormat, ...]:
    """The formats a file name's ending could mean when it names none for sure ("g.json")."""
    if format_for_path(path) is not None:
        return ()
    suffix = PurePath(path).suffix.lower().lstrip(".")
    return AMBIGUOUS_EXTENSIONS.get(suffix, ())


def format_for_path(path: str | PurePath) -> ExportFormat | None:
    """The format a file name's ending names (the longest matching ending wins), else None."""
    name = PurePath(path).name.lower()
    best: tuple[int, ExportFormat] | None = None
    for fmt, spec in FORMATS.items():
        for ext in spec.extensions:
            if name.endswith(f".{ext}") and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt)
    return best[1] if best else None
