"""The aigeo RDF vocabulary as Python terms, and its mapping to `graph.schema`.

The namespace is closed: asking for a term the ontology does not define raises, so a typo cannot mint
a property no reader knows. `tests/graph/test_rdf.py` checks that `ontology.ttl` declares exactly these
terms and that the node classes and relation properties match the enums.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from graph.schema import NodeType, RelType

ONTOLOGY_IRI = URIRef("https://aigeo.dev/ontology")


class AIGEO(DefinedNamespace):
    """Terms of `https://aigeo.dev/ontology#` (prefix `aigeo:`)."""

    _NS = Namespace("https://aigeo.dev/ontology#")
    _fail = True

    # Classes: one per NodeType, their superclass, and the records that carry provenance.
    Entity: URIRef
    Company: URIRef
    Government: URIRef
    Person: URIRef
    Policy: URIRef
    Organization: URIRef
    Document: URIRef
    Mention: URIRef
    Relation: URIRef
    Evidence: URIRef

    # Object properties: one per RelType.
    backs: URIRef
    restricts: URIRef
    competesWith: URIRef
    affiliatedWith: URIRef
    partnersWith: URIRef
    enacts: URIRef
    targets: URIRef
    basedIn: URIRef

    # Object properties that tie provenance together.
    mentions: URIRef
    entity: URIRef
    entityType: URIRef
    document: URIRef
    evidence: URIRef

    # Datatype properties.
    id: URIRef
    name: URIRef
    alias: URIRef
    country: URIRef
    mentionCount: URIRef
    firstSeen: URIRef
    lastSeen: URIRef
    weight: URIRef
    confidence: URIRef
    hedged: URIRef
    since: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef
    triggerStart: URIRef
    triggerEnd: URIRef
    extractor: URIRef
    source: URIRef
    title: URIRef
    url: URIRef
    outlet: URIRef
    published: URIRef
    dateSource: URIRef
    story: URIRef
    fingerprint: URIRef
    ingestedAt: URIRef
    ingestOrder: URIRef
    wordCount: URIRef
    text: URIRef

    # Annotation properties linking ontology terms back to the enums.
    nodeType: URIRef
    relationType: URIRef


def _camel(rel: RelType) -> str:
    head, *rest = rel.value.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


TERMS: frozenset[URIRef] = frozenset(AIGEO[name] for name in AIGEO.__annotations__)
"""Every term the ontology defines."""

NODE_CLASS: dict[NodeType, URIRef] = {t: AIGEO[t.value] for t in NodeType}
CLASS_NODE: dict[URIRef, NodeType] = {c: t for t, c in NODE_CLASS.items()}

REL_PROPERTY: dict[RelType, URIRef] = {r: AIGEO[_camel(r)] for r in RelType}
"""`RelType.COMPETES_WITH` is `aigeo:competesWith`: RDF properties are lowerCamelCase by convention."""
PROPERTY_REL: dict[URIRef, RelType] = {p: r for r, p in REL_PROPERTY.items()}

PREFIXES: dict[str, str] = {
    "aigeo": str(AIGEO),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
