"""Stable URIs for the graph's things, minted from canonical ids under one configurable base.

An entity id `type:slug` becomes `<base>type/slug`; each part is percent-encoded on its own (a `/` in
a slug becomes `%2F`), so the mapping is one-to-one and `entity_id` inverts it. Documents, mentions,
relations and evidence live under reserved first segments that no entity id prefix may take.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from rdflib import URIRef

from graph.model import Evidence
from graph.schema import RelType

RESERVED_SEGMENTS = frozenset({"document", "mention", "relation", "evidence"})


def _enc(part: str) -> str:
    return quote(part, safe="")


@dataclass(frozen=True)
class UriScheme:
    """Mints and reads back the URIs of one export.

    >>> uris = UriScheme("https://aigeo.dev/id/")
    >>> uris.entity("company:openai")
    rdflib.term.URIRef('https://aigeo.dev/id/company/openai')
    >>> uris.entity_id(uris.entity("person:a/b c"))
    'person:a/b c'
    >>> uris.relation(("company:microsoft", RelType.BACKS, "company:openai"))
    rdflib.term.URIRef('https://aigeo.dev/id/relation/BACKS/company:microsoft/company:openai')
    """

    base: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        if not parts.scheme or not (parts.netloc or parts.path) or not self.base.endswith(("/", "#")):
            raise ValueError(
                f"RDF base {self.base!r} must be an absolute IRI ending in '/' or '#' "
                "(for example https://aigeo.dev/id/)"
            )

    def entity(self, entity_id: str) -> URIRef:
        prefix, sep, local = entity_id.partition(":")
        if prefix in RESERVED_SEGMENTS:
            # Such an id would share its URI with a document, mention, relation or evidence record.
            raise ValueError(f"entity id {entity_id!r} uses the reserved prefix {prefix!r}")
        path = f"{_enc(prefix)}/{_enc(local)}" if sep else _enc(entity_id)
        return URIRef(self.base + path)

    def entity_id(self, uri: str) -> str | None:
        """The id `entity` minted `uri` from, or None when `uri` is not an entity URI of this base."""
        path = self._path(uri)
        if path is None:
            return None
        segments = path.split("/")
        if not segments[0] or segments[0] in RESERVED_SEGMENTS or len(segments) > 2 or "" in segments:
            return None
        return ":".join(unquote(s) for s in segments)

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}document/{_enc(doc_id)}")

    def document_id(self, uri: str) -> str | None:
        path = self._path(uri)
        if path is None or not path.startswith("document/"):
            return None
        rest = path.removeprefix("document/")
        return unquote(rest) if rest and "/" not in rest else None

    def mention(self, doc_id: str, entity_id: str) -> URIRef:
        return URIRef(f"{self.base}mention/{_enc(doc_id)}/{_id_segment(entity_id)}")

    def relation(self, key: tuple[str, RelType, str]) -> URIRef:
        source, rel, target = key
        return URIRef(f"{self.base}relation/{rel.value}/{_id_segment(source)}/{_id_segment(target)}")

    def evidence(self, key: tuple[str, RelType, str], evidence: Evidence, ordinal: int = 1) -> URIRef:
        """A content-addressed URI: the same sentence read the same way always gets the same URI.

        `ordinal` tells apart exact duplicates within one relation, should a store keep them.
        """
        # Evidence without a trigger keeps the URI it had before triggers were recorded.
        untriggered = {"trigger_start", "trigger_end"} if evidence.trigger_start is None else set()
        record = evidence.model_dump(
            mode="json", exclude={"doc_title", "doc_url", "doc_published", *untriggered}
        )
        payload = json.dumps([key[0], key[1].value, key[2], record], sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:24]
        suffix = "" if ordinal == 1 else f"-{ordinal}"
        return URIRef(f"{self.base}evidence/{_enc(evidence.doc_id)}/{digest}{suffix}")

    def _path(self, uri: str) -> str | None:
        return uri[len(self.base) :] if uri.startswith(self.base) else None


def _id_segment(entity_id: str) -> str:
    # One segment per id, colon kept for readability: `company:openai`.
    return quote(entity_id, safe=":")
