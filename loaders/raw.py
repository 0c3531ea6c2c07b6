"""A document as a reader found it, before any NLP: the hand-off between readers and extraction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RawDocument:
    """One article read from a file, a feed entry or a JSON record.

    `text` is the article's main text as the reader got it (HTML already reduced to text);
    boilerplate removal is a later stage (`loaders.clean`).
    """

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    format: str = "text"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """The document id: identical content gives the identical id, wherever it was read from.

        >>> RawDocument(source="a.txt", text="Same words.").content_hash == RawDocument(
        ...     source="b.txt", text="Same words.").content_hash
        True
        """
        basis = "\n".join([self.title or "", self.text])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
