"""The export's triples as pyoxigraph terms, made straight from the plain rows of `graph.export.rows`.

The same triples, in the same order, as `graph.rdf.export.rdf_triples` makes from models with rdflib
terms (a test holds them equal), at a fraction of the cost: no model, no rdflib term, one pyoxigraph
`Triple` (or `Quad`, in the default graph) per statement, with the vocabulary's IRIs and the repeated
literals made once. Literal lexical forms are the ones rdflib gives the same Python values (a float's
`repr`, a datetime's `isoformat()`), so both exports read back to identical terms.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from json.encoder import encode_basestring
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD

from graph.export.rows import DocumentRow, EntityRow, EvidenceRow, MentionRow, RelationRow
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO, NODE_CLASS, REL_PROPERTY

Statement = ox.Triple | ox.Quad


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


A = _node(RDF.type)
V = {name: _node(AIGEO[name]) for name in AIGEO.__annotations__}
"""Every aigeo term, by local name."""
LABEL = _node(RDFS.label)
STATEMENT, SUBJECT, PREDICATE, OBJECT = (
    _node(t) for t in (RDF.Statement, RDF.subject, RDF.predicate, RDF.object)
)
CLASS = {t.value: _node(c) for t, c in NODE_CLASS.items()}
PROPERTY = {r.value: _node(p) for r, p in REL_PROPERTY.items()}
_INTEGER, _DOUBLE, _DATE, _DATETIME = (_node(t) for t in (XSD.integer, XSD.double, XSD.date, XSD.dateTime))
_ANY_URI, _POSITIVE = _node(XSD.anyURI), _node(XSD.positiveInteger)
TRUE, FALSE = (
    ox.Literal("true", datatype=_node(XSD.boolean)),
    ox.Literal("false", datatype=_node(XSD.boolean)),
)


_SMALL = tuple(ox.Literal(str(n), datatype=_INTEGER) for n in range(1024))


def integer(n: int) -> ox.Literal:
    return _SMALL[n] if 0 <= n < 1024 else ox.Literal(str(n), datatype=_INTEGER)


def double(x: float) -> ox.Literal:
    return ox.Literal(repr(float(x)), datatype=_DOUBLE)


def _json_int(n: int | None) -> str:
    return "null" if n is None else str(n)


def boolean(b: bool) -> ox.Literal:
    return TRUE if b else FALSE


@lru_cache(maxsize=65_536)
def _segment(entity_id: str) -> str:
    """An entity id as one path segment (`UriScheme`'s rule), kept for the ids seen lately."""
    return quote(entity_id, safe=":")


@lru_cache(maxsize=4_096)
def _doc_segment(doc_id: str) -> str:
    return quote(doc_id, safe="")


_json_string = encode_basestring  # json.dumps(text, ensure_ascii=False)


class OxTriples:
    """Mints the terms of one export (one base IRI) and turns rows into lists of statements.

    >>> t = OxTriples("https://aigeo.dev/id/")
    >>> [str(s) for s in t.entity(("company:openai", "OpenAI", "Company", [], None, 2, None, None))][3]
    '<https://aigeo.dev/id/company/openai> <https://aigeo.dev/ontology#name> "OpenAI"'
    """

    def __init__(self, base: str, quads: bool = False) -> None:
        self.uris = UriScheme(base)  # checks the base
        self.base = base
        self.make: Callable[[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal], Statement] = (
            ox.Quad if quads else ox.Triple
        )
        self.entity_node = lru_cache(maxsize=65_536)(self._entity_node)
        self.document_node = lru_cache(maxsize=4_096)(self._document_node)

    def _entity_node(self, entity_id: str) -> ox.NamedNode:
        return ox.NamedNode(str(self.uris.entity(entity_id)))

    def _document_node(self, doc_id: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}document/{_doc_segment(doc_id)}")

    def entity(self, row: EntityRow) -> list[Statement]:
        eid, name, type_, aliases, country, count, first, last = row
        s, t, name_literal = self.entity_node(eid), self.make, ox.Literal(name)
        out = [
            t(s, A, V["Entity"]),
            t(s, A, CLASS[type_]),
            t(s, V["id"], ox.Literal(eid)),
            t(s, V["name"], name_literal),
            t(s, LABEL, name_literal),
        ]
        out += [t(s, V["alias"], ox.Literal(alias)) for alias in aliases]
        if country is not None:
            out.append(t(s, V["country"], ox.Literal(country)))
        out.append(t(s, V["mentionCount"], integer(count)))
        if first is not None:
            out.append(t(s, V["firstSeen"], ox.Literal(first, datatype=_DATETIME)))
        if last is not None:
            out.append(t(s, V["lastSeen"], ox.Literal(last, datatype=_DATETIME)))
        return out

    def document(self, row: DocumentRow, order: int) -> list[Statement]:
        (
            doc_id,
            source,
            title,
            url,
            outlet,
            published,
            date_source,
            story,
            fingerprint,
            ingested,
            words,
            ids,
        ) = row
        s, t = self.document_node(doc_id), self.make
        out = [
            t(s, A, V["Document"]),
            t(s, V["id"], ox.Literal(doc_id)),
            t(s, V["source"], ox.Literal(source)),
        ]
        out += self._texts(s, (("title", title),))
        if url is not None:
            out.append(t(s, V["url"], ox.Literal(url, datatype=_ANY_URI)))
        out += self._texts(s, (("outlet", outlet),))
        if published is not None:
            out.append(t(s, V["published"], ox.Literal(published, datatype=_DATETIME)))
        out += self._texts(s, (("dateSource", date_source), ("story", story), ("fingerprint", fingerprint)))
        if ingested is not None:
            out.append(t(s, V["ingestedAt"], ox.Literal(ingested, datatype=_DATETIME)))
        out.append(t(s, V["wordCount"], integer(words)))
        out.append(t(s, V["ingestOrder"], ox.Literal(str(order), datatype=_POSITIVE)))
        out += [t(s, V["mentions"], self.entity_node(entity_id)) for entity_id in ids]
        return out

    def _texts(self, s: ox.NamedNode, fields: tuple[tuple[str, str | None], ...]) -> list[Statement]:
        return [self.make(s, V[name], ox.Literal(value)) for name, value in fields if value is not None]

    def mention(self, row: MentionRow) -> list[Statement]:
        doc_id, entity_id, name, type_, country, aliases, count = row
        t = self.make
        s = ox.NamedNode(f"{self.base}mention/{_doc_segment(doc_id)}/{_segment(entity_id)}")
        out = [
            t(s, A, V["Mention"]),
            t(s, V["document"], self.document_node(doc_id)),
            t(s, V["entity"], self.entity_node(entity_id)),
            t(s, V["name"], ox.Literal(name)),
            t(s, V["entityType"], CLASS[type_]),
        ]
        out += [t(s, V["alias"], ox.Literal(alias)) for alias in aliases]
        if country is not None:
            out.append(t(s, V["country"], ox.Literal(country)))
        out.append(t(s, V["mentionCount"], integer(count)))
        return out

    def relation(self, row: RelationRow) -> list[Statement]:
        source, type_, target, weight, confidence, first, last, since, hedged, evidence = row
        subject, obj, predicate, t = (
            self.entity_node(source),
            self.entity_node(target),
            PROPERTY[type_],
            self.make,
        )
        s = ox.NamedNode(f"{self.base}relation/{type_}/{_segment(source)}/{_segment(target)}")
        out = [
            t(subject, predicate, obj),
            t(s, A, STATEMENT),
            t(s, A, V["Relation"]),
            t(s, SUBJECT, subject),
            t(s, PREDICATE, predicate),
            t(s, OBJECT, obj),
            t(s, V["weight"], integer(weight)),
            t(s, V["confidence"], double(confidence)),
            t(s, V["hedged"], boolean(hedged)),
        ]
        if since is not None:
            out.append(t(s, V["since"], ox.Literal(since, datatype=_DATE)))
        if first is not None:
            out.append(t(s, V["firstSeen"], ox.Literal(first, datatype=_DATETIME)))
        if last is not None:
            out.append(t(s, V["lastSeen"], ox.Literal(last, datatype=_DATETIME)))
        seen: Counter[str] = Counter()
        for ev in evidence:
            iri = self.evidence_iri((source, type_, target), ev)
            seen[iri] += 1
            node = ox.NamedNode(iri if seen[iri] == 1 else f"{iri}-{seen[iri]}")
            out.append(t(s, V["evidence"], node))
            out += self.evidence(node, ev)
        return out

    def evidence_iri(self, key: tuple[str, str, str], ev: EvidenceRow) -> str:
        """`UriScheme.evidence`'s content address, from a row (without the duplicate ordinal)."""
        doc_id, sentence, start, end, extractor, confidence, hedged, since, t_start, t_end = ev
        # json.dumps([source, type, target, record], sort_keys=True, ensure_ascii=False), spelt out:
        # the record's keys in sorted order, null for None, a float's repr.
        triggered = (
            f', "trigger_end": {_json_int(t_end)}, "trigger_start": {t_start}' if t_start is not None else ""
        )
        payload = (
            f"[{_json_string(key[0])}, {_json_string(key[1])}, {_json_string(key[2])},"
            f' {{"confidence": {float(confidence)!r}, "doc_id": {_json_string(doc_id)}, "end": {end},'
            f' "extractor": {_json_string(extractor)}, "hedged": {"true" if hedged else "false"},'
            f' "sentence": {_json_string(sentence)},'
            f' "since": {"null" if since is None else _json_string(since)}, "start": {start}{triggered}}}]'
        )
        digest = hashlib.sha256(payload.encode()).hexdigest()[:24]
        return f"{self.base}evidence/{_doc_segment(doc_id)}/{digest}"

    def evidence(self, node: ox.NamedNode, ev: EvidenceRow) -> list[Statement]:
        doc_id, sentence, start, end, extractor, confidence, hedged, since, t_start, t_end = ev
        t = self.make
        out = [
            t(node, A, V["Evidence"]),
            t(node, V["document"], self.document_node(doc_id)),
            t(node, V["sentence"], ox.Literal(sentence)),
            t(node, V["start"], integer(start)),
            t(node, V["end"], integer(end)),
        ]
        if t_start is not None:
            out.append(t(node, V["triggerStart"], integer(t_start)))
        if t_end is not None:
            out.append(t(node, V["triggerEnd"], integer(t_end)))
        out += [
            t(node, V["extractor"], ox.Literal(extractor)),
            t(node, V["confidence"], double(confidence)),
            t(node, V["hedged"], boolean(hedged)),
        ]
        if since is not None:
            out.append(t(node, V["since"], ox.Literal(since, datatype=_DATE)))
        return out
