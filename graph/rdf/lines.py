"""The export's statements as N-Triples lines, made straight from the plain rows of `graph.export.rows`.

The same triples, in the same order, as `graph.rdf.export.rdf_triples` makes from models with rdflib
terms (a test holds them equal), written the way pyoxigraph's N-Triples serialiser writes them (a test
holds the bytes equal), at a fraction of the cost: no model and no term object per statement, the
vocabulary's IRIs written once as text, and a string's escape only when it holds a character N-Triples
escapes. Literal lexical forms are the ones rdflib gives the same Python values (a float's `repr`, a
datetime's `isoformat()`), so every export reads back to identical terms.

Each method returns one record's lines and how many there are. Every line is a triple in the default
graph, so the same lines are also valid N-Quads.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from json.encoder import encode_basestring
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD

from graph.export.rows import DocumentRow, EntityRow, EvidenceRow, MentionRow, RelationRow
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO, NODE_CLASS, REL_PROPERTY

Lines = tuple[str, int]
"""Newline-terminated statements and their number."""

A = f" <{RDF.type}> "
V = {name: f"<{AIGEO[name]}>" for name in AIGEO.__annotations__}
"""Every aigeo term as N-Triples writes it, by local name."""
P = {name: f" {iri} " for name, iri in V.items()}
"""Every aigeo term as a predicate between a subject and an object (spaces included)."""
LABEL = f" <{RDFS.label}> "
STATEMENT = f"<{RDF.Statement}>"
SUBJECT, PREDICATE, OBJECT = (f" <{t}> " for t in (RDF.subject, RDF.predicate, RDF.object))
CLASS = {t.value: f"<{c}>" for t, c in NODE_CLASS.items()}
PROPERTY = {r.value: f"<{p}>" for r, p in REL_PROPERTY.items()}
_INTEGER, _DOUBLE, _DATE, _DATETIME, _ANY_URI, _POSITIVE, _BOOLEAN = (
    f"^^<{t}>"
    for t in (XSD.integer, XSD.double, XSD.date, XSD.dateTime, XSD.anyURI, XSD.positiveInteger, XSD.boolean)
)
TRUE, FALSE = f'"true"{_BOOLEAN}', f'"false"{_BOOLEAN}'

_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\\x7f]').search
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
        "\b": "\\b",
        "\t": "\\t",
        "\n": "\\n",
        "\f": "\\f",
        "\r": "\\r",
        '"': '\\"',
        "\\": "\\\\",
    }
)
"""pyoxigraph's (canonical N-Triples) string escapes: the named ones, `\\uXXXX` for other controls."""
_json_string = encode_basestring  # json.dumps(text, ensure_ascii=False)


def text(value: str) -> str:
    """A plain literal.

    >>> print(text('say "hi"\\n'), text("plain"))
    "say \\"hi\\"\\n" "plain"
    """
    return f'"{value.translate(_ESCAPES)}"' if _NEEDS_ESCAPE(value) else f'"{value}"'


def integer(n: int) -> str:
    return f'"{n}"{_INTEGER}'


def double(x: float) -> str:
    return f'"{float(x)!r}"{_DOUBLE}'


def datetime_text(iso: str) -> str:
    return f'"{iso}"{_DATETIME}'


def _json_int(n: int | None) -> str:
    return "null" if n is None else str(n)


@lru_cache(maxsize=65_536)
def _segment(entity_id: str) -> str:
    """An entity id as one path segment (`UriScheme`'s rule), kept for the ids seen lately."""
    return quote(entity_id, safe=":")


@lru_cache(maxsize=4_096)
def _doc_segment(doc_id: str) -> str:
    return quote(doc_id, safe="")


class NTriplesLines:
    """Mints the IRIs of one export (one base IRI) and turns rows into N-Triples lines.

    >>> lines, n = NTriplesLines("https://aigeo.dev/id/").entity(
    ...     ("company:openai", "OpenAI", "Company", [], None, 2, None, None))
    >>> print(lines.splitlines()[3])
    <https://aigeo.dev/id/company/openai> <https://aigeo.dev/ontology#name> "OpenAI" .
    >>> n
    6
    """

    def __init__(self, base: str) -> None:
        self.uris = UriScheme(base)  # checks the base
        self.base = base
        self.entity_iri = lru_cache(maxsize=65_536)(self._entity_iri)

    def _entity_iri(self, entity_id: str) -> str:
        return f"<{self.uris.entity(entity_id)}>"

    def document_iri(self, doc_id: str) -> str:
        return f"<{self.base}document/{_doc_segment(doc_id)}>"

    def entity(self, row: EntityRow) -> Lines:
        eid, name, type_, aliases, country, count, first, last = row
        s, name_literal = self.entity_iri(eid), text(name)
        out = [
            f"{s}{A}{V['Entity']} .\n",
            f"{s}{A}{CLASS[type_]} .\n",
            f"{s}{P['id']}{text(eid)} .\n",
            f"{s}{P['name']}{name_literal} .\n",
            f"{s}{LABEL}{name_literal} .\n",
        ]
        out += [f"{s}{P['alias']}{text(alias)} .\n" for alias in aliases]
        if country is not None:
            out.append(f"{s}{P['country']}{text(country)} .\n")
        out.append(f"{s}{P['mentionCount']}{integer(count)} .\n")
        if first is not None:
            out.append(f"{s}{P['firstSeen']}{datetime_text(first)} .\n")
        if last is not None:
            out.append(f"{s}{P['lastSeen']}{datetime_text(last)} .\n")
        return "".join(out), len(out)

    def document(self, row: DocumentRow, order: int) -> Lines:
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
            article,
        ) = row
        s = self.document_iri(doc_id)
        out = [
            f"{s}{A}{V['Document']} .\n",
            f"{s}{P['id']}{text(doc_id)} .\n",
            f"{s}{P['source']}{text(source)} .\n",
        ]
        if title is not None:
            out.append(f"{s}{P['title']}{text(title)} .\n")
        if url is not None:
            out.append(f"{s}{P['url']}{text(url)}{_ANY_URI} .\n")
        if outlet is not None:
            out.append(f"{s}{P['outlet']}{text(outlet)} .\n")
        if published is not None:
            out.append(f"{s}{P['published']}{datetime_text(published)} .\n")
        out += [
            f"{s}{P[name]}{text(value)} .\n"
            for name, value in (("dateSource", date_source), ("story", story), ("fingerprint", fingerprint))
            if value is not None
        ]
        if ingested is not None:
            out.append(f"{s}{P['ingestedAt']}{datetime_text(ingested)} .\n")
        out.append(f"{s}{P['wordCount']}{integer(words)} .\n")
        if article is not None:
            out.append(f"{s}{P['text']}{text(article)} .\n")
        out.append(f'{s}{P["ingestOrder"]}"{order}"{_POSITIVE} .\n')
        out += [f"{s}{P['mentions']}{self.entity_iri(entity_id)} .\n" for entity_id in ids]
        return "".join(out), len(out)

    def mention(self, row: MentionRow) -> Lines:
        doc_id, entity_id, name, type_, country, aliases, count = row
        s = f"<{self.base}mention/{_doc_segment(doc_id)}/{_segment(entity_id)}>"
        out = [
            f"{s}{A}{V['Mention']} .\n",
            f"{s}{P['document']}{self.document_iri(doc_id)} .\n",
            f"{s}{P['entity']}{self.entity_iri(entity_id)} .\n",
            f"{s}{P['name']}{text(name)} .\n",
            f"{s}{P['entityType']}{CLASS[type_]} .\n",
        ]
        out += [f"{s}{P['alias']}{text(alias)} .\n" for alias in aliases]
        if country is not None:
            out.append(f"{s}{P['country']}{text(country)} .\n")
        out.append(f"{s}{P['mentionCount']}{integer(count)} .\n")
        return "".join(out), len(out)

    def relation(self, row: RelationRow) -> Lines:
        source, type_, target, weight, confidence, first, last, since, hedged, evidence = row
        subject, obj, predicate = self.entity_iri(source), self.entity_iri(target), PROPERTY[type_]
        s = f"<{self.base}relation/{type_}/{_segment(source)}/{_segment(target)}>"
        out = [
            f"{subject} {predicate} {obj} .\n",
            f"{s}{A}{STATEMENT} .\n",
            f"{s}{A}{V['Relation']} .\n",
            f"{s}{SUBJECT}{subject} .\n",
            f"{s}{PREDICATE}{predicate} .\n",
            f"{s}{OBJECT}{obj} .\n",
            f"{s}{P['weight']}{integer(weight)} .\n",
            f"{s}{P['confidence']}{double(confidence)} .\n",
            f"{s}{P['hedged']}{TRUE if hedged else FALSE} .\n",
        ]
        if since is not None:
            out.append(f'{s}{P["since"]}"{since}"{_DATE} .\n')
        if first is not None:
            out.append(f"{s}{P['firstSeen']}{datetime_text(first)} .\n")
        if last is not None:
            out.append(f"{s}{P['lastSeen']}{datetime_text(last)} .\n")
        seen: dict[str, int] = {}
        n = len(out)
        for ev in evidence:
            iri = self.evidence_iri((source, type_, target), ev)
            seen[iri] = seen.get(iri, 0) + 1
            node = f"<{iri}>" if seen[iri] == 1 else f"<{iri}-{seen[iri]}>"
            lines, k = self.evidence(node, ev)
            out += (f"{s}{P['evidence']}{node} .\n", lines)
            n += k + 1
        return "".join(out), n

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

    def evidence(self, node: str, ev: EvidenceRow) -> Lines:
        doc_id, sentence, start, end, extractor, confidence, hedged, since, t_start, t_end = ev
        out = [
            f"{node}{A}{V['Evidence']} .\n",
            f"{node}{P['document']}{self.document_iri(doc_id)} .\n",
            f"{node}{P['sentence']}{text(sentence)} .\n",
            f"{node}{P['start']}{integer(start)} .\n",
            f"{node}{P['end']}{integer(end)} .\n",
        ]
        if t_start is not None:
            out.append(f"{node}{P['triggerStart']}{integer(t_start)} .\n")
        if t_end is not None:
            out.append(f"{node}{P['triggerEnd']}{integer(t_end)} .\n")
        out += (
            f"{node}{P['extractor']}{text(extractor)} .\n",
            f"{node}{P['confidence']}{double(confidence)} .\n",
            f"{node}{P['hedged']}{TRUE if hedged else FALSE} .\n",
        )
        if since is not None:
            out.append(f'{node}{P["since"]}"{since}"{_DATE} .\n')
        return "".join(out), len(out)
