"""A document as a reader found it, before any NLP: the hand-off between readers and extraction."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import datetime

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""JSON may carry `\\ud800` alone; such a string cannot be encoded to UTF-8, so no store can hold it."""


def scrub(text: str) -> str:
    r"""Replace lone surrogates (legal in JSON, illegal in UTF-8) with U+FFFD; any other text is kept.

    >>> scrub("a\ud800b") == "a\ufffdb"
    True
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


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
    date_source: str | None = None
    """Where `published` came from (`loaders.dates` lists the names); None when it is unknown."""
    format: str = "text"
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Scrubbed once here, so that hashing, the model and every store see encodable text.
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, scrub(value))
        if self.extra:
            object.__setattr__(self, "extra", {scrub(k): scrub(v) for k, v in self.extra.items()})

    @property
    def content_hash(self) -> str:
        """The document id: identical content gives the identical id, wherever it was read from.

        >>> RawDocument(source="a.txt", text="Same words.").content_hash == RawDocument(
        ...     source="b.txt", text="Same words.").content_hash
        True
        """
        basis = "\n".join([self.title or "", self.text])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
