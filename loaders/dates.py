"""Publication dates a reader's metadata missed: a dateline or "Published"/"Updated" line, or the URL.

Readers take a date from what the source declares (feed and JSON fields, front matter, HTML metadata
through trafilatura's htmldate) and name where it came from in `RawDocument.date_source`. An article
saved as plain text often still prints its date near the top ("October 12, 2022 4:05 PM | 4 min read",
"Published September 9, 2024", "by Grace Liu · January 21, 2025"), and many URLs carry one
(".../2024/06/25/..."). `with_publication_date` fills those in, in that order of trust; a document
with none keeps no date: the ingest time is never passed off as one.

Sources named in `date_source`: the readers' ``feed``, ``json``, ``front-matter``, ``html-meta``, and
here ``text:published``, ``text:updated``, ``text:dateline`` and ``url``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from loaders.raw import RawDocument

HEAD_LINES = 25
"""Non-empty lines from the top searched for a dateline: bylines and datelines sit above the story."""
HEAD_CHARS = 3_000
MAX_DATELINE_CHARS = 100
"""A longer line is a sentence of the story, whose dates are events, not the publication."""
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = (
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?:UTC|GMT|[ECMP][SD]?T|BST|CET|CEST))?)?"
)
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # October 12, 2022
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"  # 1 August 2024
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"  # 2024-06-25
    rf"(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)"
    rf"{_TIME}",
    re.IGNORECASE,
)
_KIND = (
    ("published", re.compile(r"\b(?:first\s+)?(?:published|posted|released)\b", re.IGNORECASE)),
    ("updated", re.compile(r"\b(?:updated|modified|last\s+edited)\b", re.IGNORECASE)),
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_PARSER_SETTINGS: dict[str, Any] = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "STRICT_PARSING": True,
}


def with_publication_date(raw: RawDocument, now: datetime | None = None) -> RawDocument:
    """`raw` with `published` and `date_source` from its text or URL, when its source declared none.

    >>> raw = RawDocument(source="a.txt", text="Chips\\nBy A. Writer\\nOctober 12, 2022 4:05 PM\\n\\nBody.")
    >>> dated = with_publication_date(raw)
    >>> dated.published.isoformat(), dated.date_source
    ('2022-10-12T16:05:00+00:00', 'text:dateline')
    >>> with_publication_date(RawDocument(source="a.txt", text="No date here.")).published is None
    True
    """
    if raw.published is not None:
        return raw
    now = now or datetime.now(UTC)
    found = date_in_text(raw.text, now)
    if found is None:
        for where in (raw.url, raw.source):
            if where and "://" in where:
                when = date_in_url(where, now)
                if when is not None:
                    found = (when, "url")
                    break
    if found is None:
        return raw
    return replace(raw, published=found[0], date_source=found[1])


def date_in_text(text: str, now: datetime | None = None) -> tuple[datetime, str] | None:
    """The publication date a text prints near its top, with how it was printed.

    A "Published" (or "Posted") line wins over an "Updated" one, which wins over a bare dateline.

    >>> date_in_text("Title\\nUpdated 3 May 2024\\nPublished: May 1, 2024\\nText.")[1]
    'text:published'
    >>> date_in_text("The rule of October 7, 2022 was the first of many steps the US took, and more came.")
    """
    now = now or datetime.now(UTC)
    found: dict[str, datetime] = {}
    lines = [line.strip(" \t*_#>|·•-") for line in text[:HEAD_CHARS].splitlines()]
    for line in [line for line in lines if line][:HEAD_LINES]:
        kind = _line_kind(line)
        if kind is None or kind in found:
            continue
        match = _DATE.search(line)
        when = _parse(match.group(0), now) if match else None
        if when is not None:
            found[kind] = when
    for kind in ("published", "updated", "dateline"):
        if kind in found:
            return found[kind], f"text:{kind}"
    return None


def _line_kind(line: str) -> str | None:
    """What date a top line may print: published, updated or a bare dateline; None for a sentence."""
    kind = next((name for name, pattern in _KIND if pattern.search(line)), "dateline")
    if kind == "dateline" and (len(line) > MAX_DATELINE_CHARS or line.endswith(".")):
        return None
    return kind


def date_in_url(url: str, now: datetime | None = None) -> datetime | None:
    """A year-month-day written in a URL's path.

    >>> date_in_url("https://example.org/tech/2024/06/25/chip-rules/").date().isoformat()
    '2024-06-25'
    >>> date_in_url("https://example.org/news/20231017-export-controls").date().isoformat()
    '2023-10-17'
    >>> date_in_url("https://example.org/2024/06/chip-rules") is None
    True
    """
    path = url.split("://", 1)[-1].partition("/")[2].split("?")[0]
    match = _URL_DATE.search(f"/{path}")
    if match is None:
        return None
    try:
        when = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None
    return when if _plausible(when, now or datetime.now(UTC)) else None


def _parse(text: str, now: datetime) -> datetime | None:
    import dateparser  # imported on first need: most documents carry their date in metadata

    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    try:
        when = dateparser.parse(cleaned, languages=["en"], settings=_PARSER_SETTINGS)
    except (ValueError, OverflowError):
        return None
    return when if when is not None and _plausible(when, now) else None


def _plausible(when: datetime, now: datetime) -> bool:
    return EARLIEST <= when <= now + timedelta(days=2)
