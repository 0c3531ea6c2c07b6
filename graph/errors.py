"""The project's exceptions: one root, one class per thing that can go wrong for a user."""

from __future__ import annotations


class AigeoError(Exception):
    """Base of every error aigeo raises on purpose; its message is fit to show a user."""


class NodeNotFound(AigeoError):
    """No entity has this id, name or alias."""

    def __init__(self, key: str, suggestions: list[str] | None = None) -> None:
        self.key = key
        self.suggestions = suggestions or []
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no entity named or identified by {key!r}{hint}")


class AmbiguousName(AigeoError):
    """A name or alias matches several entities."""

    def __init__(self, key: str, candidates: list[str]) -> None:
        self.key = key
        self.candidates = candidates
        super().__init__(f"{key!r} names several entities: {', '.join(candidates)}; use an id")


class NoPath(AigeoError):
    """The two entities are not connected within the limits asked for."""

    def __init__(self, source: str, target: str, max_hops: int | None = None) -> None:
        self.source = source
        self.target = target
        within = f" within {max_hops} hops" if max_hops is not None else ""
        super().__init__(f"no path from {source!r} to {target!r}{within}")


class DocumentNotFound(AigeoError):
    """No stored document has this id."""

    def __init__(self, doc_id: str, kind: str = "id") -> None:
        self.doc_id = doc_id
        super().__init__(f"no document with {kind} {doc_id!r}")


class StoreUnavailable(AigeoError):
    """The store cannot be opened or does not answer (server down, bad credentials, locked file)."""


class StoreNotSupported(AigeoError):
    """The store setting names a backend this build cannot use."""


class BadDocument(AigeoError):
    """An input file or record cannot be read as a news article; it is skipped, nothing else is."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class BadQuery(AigeoError):
    """A query's parameters are out of range or contradict each other."""


class BadRDF(AigeoError):
    """An RDF file cannot be parsed or does not follow the aigeo ontology."""


class ModelNotFound(AigeoError):
    """The spaCy pipeline named in settings is not installed."""
