"""RDF interchange: the aigeo ontology and SHACL shapes, export to Turtle, N-Triples or JSON-LD, import.

>>> from rdflib import OWL, RDF
>>> ontology = load_ontology()
>>> (AIGEO.competesWith, RDF.type, OWL.SymmetricProperty) in ontology
True
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph

from graph.rdf.export import FORMATS, RdfCounts, RdfFormat, export_store, export_subgraph, write_rdf
from graph.rdf.importer import ImportReport, import_rdf
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO, NODE_CLASS, REL_PROPERTY

__all__ = [
    "AIGEO",
    "FORMATS",
    "NODE_CLASS",
    "REL_PROPERTY",
    "ImportReport",
    "RdfCounts",
    "RdfFormat",
    "UriScheme",
    "export_store",
    "export_subgraph",
    "import_rdf",
    "load_ontology",
    "load_shapes",
    "ontology_text",
    "shapes_text",
    "write_rdf",
]


def ontology_text() -> str:
    """The shipped ontology, as Turtle."""
    return files("graph.rdf").joinpath("ontology.ttl").read_text(encoding="utf-8")


def shapes_text() -> str:
    """The shipped SHACL shapes, as Turtle."""
    return files("graph.rdf").joinpath("shapes.ttl").read_text(encoding="utf-8")


def load_ontology() -> Graph:
    """The ontology parsed into a fresh rdflib Graph."""
    return Graph().parse(data=ontology_text(), format="turtle")


def load_shapes() -> Graph:
    """The SHACL shapes parsed into a fresh rdflib Graph (for pyshacl's `shacl_graph`)."""
    return Graph().parse(data=shapes_text(), format="turtle")
