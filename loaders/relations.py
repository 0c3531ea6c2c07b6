"""Find relations sentence by sentence: run the frames, then settle what they said.

The frames (`loaders.frames`: one engine over the rule tables) read one `loaders.discourse.Sentence`
at a time; this module builds that input (sentences with resolved mentions and the sentences before
them), runs them, attaches the date a sentence
gives for a measure ("starting July 9"), and merges repeats of the same (source, type, target)
within a sentence, keeping the strongest reading (and the kind of measure either reading named).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from dateutil import parser as dateparser
from spacy.tokens import Doc, Span

from loaders.discourse import Found, Sentence
from loaders.frames import engine as frames
from loaders.resolve import Resolved

_SINCE_CUES = frozenset(
    {"starting", "from", "since", "effective", "beginning", "as", "begins", "starts", "on"}
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s|$|,)", re.IGNORECASE
)
_DATE_NOISE = re.compile(r"\b(?:early|late|mid|the end of|the start of|this|last|next)\b-?", re.IGNORECASE)
PREVIOUS = 3
"""Sentences before the current one a pattern may look at (for "these companies", "it")."""


def sentences(doc: Doc, resolved: Sequence[Resolved], published: date | None = None) -> list[Sentence]:
    """The doc's sentences, each with its resolved mentions and up to PREVIOUS sentences before it."""
    out: list[Sentence] = []
    by_sent: dict[int, list[Resolved]] = {}
    starts = [s.start for s in doc.sents]
    for item in resolved:
        by_sent.setdefault(max(bisect_right(starts, item.mention.start) - 1, 0), []).append(item)
    for idx, span in enumerate(doc.sents):
        out.append(Sentence(span, by_sent.get(idx, []), out[-PREVIOUS:], published, context=resolved))
    return out


def find_relations(sents: Iterable[Sentence]) -> list[Found]:
    """Every relation the frames read, one per (source, type, target) and sentence."""
    out: list[Found] = []
    for sent in sents:
        # A sentence that names no actor still runs: "All of them are taking on Sora" or "It was
        # blacklisted in 2020" take their actors from the sentences before it.
        best: dict[tuple[str, str, str], Found] = {}
        for hit in frames.find(sent):
            key = (hit.source.id, hit.type.value, hit.target.id)
            prior = best.get(key)
            best[key] = hit if prior is None else _merged(hit, prior)
        for hit in best.values():
            since = since_date(hit.sentence, sent.published) if hit.policy else None
            out.append(hit if since is None else replace(hit, since=since))
    return out


def since_date(sentence: Span, published: date | None) -> date | None:
    """The date a sentence says a measure starts ("starting July 9", "since October 2022").

    Only dates naming a month or a year count ("on Tuesday" does not); a date without a year takes
    the publication year, and without either it is not guessed. A month alone is its first day.
    """
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        before = sentence.doc[ent.start - 1].lower_ if ent.start > sentence.start else ""
        before2 = sentence.doc[ent.start - 2].lower_ if ent.start - 1 > sentence.start else ""
        if before not in _SINCE_CUES and not (before == "in" and before2 in _SINCE_CUES):
            continue
        text = _DATE_NOISE.sub("", ent.text).strip(" ,.")
        has_year = bool(_YEAR.search(text))
        if not has_year and (published is None or not _MONTH.search(text)):
            continue
        parsed = _parsed(text, datetime(published.year if published else 2000, 1, 1))
        if parsed is not None:
            return parsed
    return None


def document_date(doc: Doc, published: date | None, head_chars: int = 800) -> date | None:
    """The publication date, else the first full date printed near the top (a byline or dateline)."""
    if published is not None:
        return published
    for ent in doc.ents:
        if ent.start_char > head_chars:
            break
        full = ent.label_ == "DATE" and _YEAR.search(ent.text) and _MONTH.search(ent.text)
        parsed = _parsed(_DATE_NOISE.sub("", ent.text)) if full else None
        if parsed is not None:
            return parsed
    return None


def _parsed(text: str, default: datetime | None = None) -> date | None:
    """The date `text` gives (missing parts from `default`), or None when it gives none."""
    try:
        parsed = dateparser.parse(text, default=default, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if isinstance(parsed, datetime) else None


def _merged(new: Found, prior: Found) -> Found:
    """The stronger reading (an unhedged one, else the more confident, else the earlier), keeping the
    measure's kind when only the other reading named it."""
    stronger = (new.hedged, -new.confidence) < (prior.hedged, -prior.confidence)
    kept, other = (new, prior) if stronger else (prior, new)
    return replace(kept, policy=other.policy) if kept.policy is None and other.policy else kept
