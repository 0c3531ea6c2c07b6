"""Resolve mentions to canonical entities: one actor, one id, however the article spells it.

In order, a mention resolves through: the registry match the EntityRuler made; the registry under
normalised variants of its text (possessive, leading article, trailing ticker and legal suffixes
removed: "Alibaba Group Holding Ltd. BABA" -> Alibaba); demonyms and capitals standing for their
state; country names via pycountry; an earlier, longer mention in the same article it shortens
("Zhipu" after "Zhipu AI", "Ma" after "Winston Ma"); a fuzzy registry match above a safe threshold;
and last, a new entity typed from the evidence around it, with id `<type>:<slug>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pycountry
from rapidfuzz import fuzz, process
from spacy.tokens import Doc

from graph.names import name_key, slug
from graph.schema import NodeType
from loaders.entities import LEGAL_SUFFIXES, Mention, firm_tail, initials
from loaders.regions import region_of
from loaders.registry import Actor, Registry

FUZZY_THRESHOLD = 92.0
"""rapidfuzz `ratio` (0-100) a name must reach against a registry name to be taken for it."""
FUZZY_MIN_LENGTH = 6
"""Shorter names are too easily one edit away from another actor ("Baidu" vs "Badu")."""

_STRONG_LEGAL = LEGAL_SUFFIXES - {"group", "holding", "holdings"}

ORG_WORDS = frozenset(
    """university universities institute institution centre center college school academy
    foundation association society council forum alliance consortium organization organisation
    observatory initiative coalition federation laboratory union programme program network""".split()
)
"""Words in a name that make it a research, civil-society or international body."""

GOV_WORDS = frozenset(
    """ministry department bureau agency administration commission parliament congress senate
    office cabinet treasury""".split()
)
"""Words in a name that make it a government body."""

COMPANY_CUES = frozenset(
    """startup start-up company firm maker chipmaker developer giant unicorn provider operator
    manufacturer supplier vendor conglomerate lab fund designer carmaker automaker subsidiary spinoff
    spin-off corporation retailer contractor""".split()
)
"""Nouns that, next to a name, say it is a firm ("startup Moonshot", "X, a Beijing-based company",
"X is a Chinese chip designer")."""

_TICKER = re.compile(r"^[A-Z]{1,5}(?:\.[A-Z])?$")
_POSSESSIVE = re.compile(r"['’]s?$")
_GOVERNMENT_TAIL = re.compile(r"\s+(?:government|administration|authorities|state)$", re.IGNORECASE)


@dataclass(frozen=True)
class EntityRef:
    """The canonical entity a mention resolves to."""

    id: str
    name: str
    type: NodeType
    country: str | None = None
    known: bool = False
    """Whether the registry (or pycountry, for states) vouches for it."""


@dataclass(frozen=True)
class Resolved:
    """A mention with the entity it names and the alias it used (possessive, ticker stripped)."""

    mention: Mention
    entity: EntityRef
    aliases: tuple[str, ...] = field(default=())


def name_variants(text: str) -> list[str]:
    """Spellings to try for a name, longest first: as written, then without ticker and legal suffixes.

    >>> name_variants("Alibaba Group Holding Ltd. BABA")[1:]
    ['Alibaba Group Holding Ltd.', 'Alibaba Group Holding', 'Alibaba Group', 'Alibaba']
    >>> name_variants("the U.S. government")
    ['the U.S. government', 'U.S. government', 'U.S.']
    """
    out: list[str] = []

    def add(v: str) -> None:
        v = v.strip(" ,")
        if v and v not in out:
            out.append(v)

    text = _POSSESSIVE.sub("", text.strip())
    add(text)
    if text.lower().startswith("the "):
        text = text[4:]
        add(text)
    if _GOVERNMENT_TAIL.search(text):
        text = _GOVERNMENT_TAIL.sub("", text)
        add(text)
    words = text.split()
    if trailing_ticker(text):
        words = words[:-1]
        add(" ".join(words))
    while len(words) > 1 and name_key(words[-1]) in LEGAL_SUFFIXES:
        words = words[:-1]
        if words[-1].endswith(","):
            words[-1] = words[-1][:-1]
        add(" ".join(words))
    return out


def trailing_ticker(text: str) -> str | None:
    """The ticker glued after a company's legal suffix, as scraped market pages write it.

    Only after a suffix: in "Zhipu AI" or "Centre for Safe AGI" the capitals are part of the name.

    >>> trailing_ticker("Baidu Inc. BIDU"), trailing_ticker("Zhipu AI")
    ('BIDU', None)
    """
    words = text.split()
    if len(words) > 2 and _TICKER.match(words[-1]) and name_key(words[-1]) not in LEGAL_SUFFIXES:
        if name_key(words[-2]) in LEGAL_SUFFIXES:
            return words[-1]
    return None


def has_legal_suffix(text: str) -> bool:
    words = [name_key(w) for w in text.split()]
    return any(w in _STRONG_LEGAL for w in words[1:])


class Resolver:
    """Resolves the mentions of one article at a time against a registry.

    Example:
        >>> from loaders.entities import LEGAL_SUFFIXES, Mention, firm_tail, initials
        >>> r = Resolver(Registry.load())
        >>> m = Mention(0, 5, 0, 31, "Alibaba Group Holding Ltd. BABA", "ORG")
        >>> r.resolve_one(m, []).entity.id
        'company:alibaba'
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._keys: dict[str, Actor] = {}
        for actor in registry:
            for form in actor.surface_forms():
                key = name_key(form)
                if len(key) >= FUZZY_MIN_LENGTH:
                    self._keys.setdefault(key, actor)
        self._choices = list(self._keys)

    def resolve(self, mentions: list[Mention], doc: Doc | None = None) -> list[Resolved]:
        """Resolve an article's mentions in order; later short forms link to earlier long ones."""
        out: list[Resolved] = []
        for mention in mentions:
            cue = _company_cue(doc, mention) if doc is not None else False
            found = self.resolve_one(mention, out, company_cue=cue)
            if found is not None:
                out.append(found)
        if doc is not None:
            out = _described_agencies(out, doc)
        return _merge_adjacent(out, doc)

    def resolve_one(
        self, mention: Mention, earlier: list[Resolved], *, company_cue: bool = False
    ) -> Resolved | None:
        """The entity one mention names, given the article's earlier resolved mentions; None if none."""
        aliases = _aliases(mention.text)
        if mention.actor_id:
            actor = self.registry.by_id(mention.actor_id)
            if actor is not None:
                return Resolved(mention, _ref(actor), aliases)
        variants = name_variants(mention.text)
        known = self._registered(mention.label, variants)
        if known is not None:
            return Resolved(replace(mention, weak=False), _ref(known), aliases)
        if mention.region is not None:
            return Resolved(replace(mention, weak=False), _regional_government(mention), aliases)
        if mention.label in ("GPE", "LOC"):
            state = _country(variants) or _region(mention.text)
            if state is None:
                person = _surname_of(mention, earlier)
                return Resolved(replace(mention, weak=False), person, aliases) if person else None
            return Resolved(replace(mention, weak=False), state, aliases)
        shortened = (
            _shortened(mention, earlier) or _acronym_of(mention, earlier) or _surname_of(mention, earlier)
        )
        if shortened is not None:
            return Resolved(replace(mention, weak=False), shortened, aliases)
        fuzzy = self._fuzzy(variants[-1], mention.label)
        if fuzzy is not None:
            return Resolved(replace(mention, weak=False), _ref(fuzzy), aliases)
        return self._new_entity(mention, variants, aliases, company_cue)

    def _registered(self, label: str, variants: list[str]) -> Actor | None:
        """The registry's actor for the first variant that names one of a type the label fits."""
        for variant in variants:
            actor = self.registry.lookup(variant) or self.registry.capital(variant)
            if actor is None and label in ("NORP", "GPE"):
                actor = self.registry.demonym(variant)
            if actor is not None and _label_fits(label, actor.type):
                return actor
        return None

    def _fuzzy(self, text: str, label: str) -> Actor | None:
        key = name_key(text)
        if len(key) < FUZZY_MIN_LENGTH or not self._choices:
            return None
        best = process.extractOne(key, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best is None:
            return None
        if _numbers(key) != _numbers(best[0]):
            return None  # "Big Fund II" is not "Big Fund III", however close the spelling
        actor = self._keys[best[0]]
        return actor if _label_fits(label, actor.type) else None

    def _new_entity(
        self, mention: Mention, variants: list[str], aliases: tuple[str, ...], company_cue: bool
    ) -> Resolved | None:
        name = variants[-1]
        words = {name_key(w) for w in mention.text.split()}
        weak = mention.weak
        if mention.label == "PERSON" and not firm_tail(name) and not company_cue:
            if len(name.split()) < 2:
                return None
            node_type = NodeType.PERSON
        elif has_legal_suffix(mention.text):
            node_type, weak = NodeType.COMPANY, False
        elif words & ORG_WORDS:
            node_type, weak = NodeType.ORGANIZATION, False
        elif words & GOV_WORDS:
            node_type = NodeType.GOVERNMENT
        elif company_cue or firm_tail(name):
            node_type, weak = NodeType.COMPANY, mention.recovered
        else:
            node_type = NodeType.COMPANY
        if node_type is not NodeType.COMPANY:
            name = (
                variants[1] if len(variants) > 1 and variants[0].lower().startswith("the ") else variants[0]
            )
        ref = EntityRef(id=f"{node_type.value.lower()}:{slug(name)}", name=name, type=node_type)
        return Resolved(replace(mention, weak=weak), ref, aliases)


_NUMBER_WORD = re.compile(r"^(?:[ivx]+|\d+)$")


def _numbers(key: str) -> list[str]:
    """The numerals in a name key ("big fund ii" -> ["ii"]): a different one is a different actor."""
    return [w for w in key.split() if _NUMBER_WORD.match(w)]


def _ref(actor: Actor) -> EntityRef:
    return EntityRef(id=actor.id, name=actor.name, type=actor.type, country=actor.country, known=True)


def _aliases(text: str) -> tuple[str, ...]:
    """The forms to record as aliases: without possessive, with any glued ticker split off."""
    bare = _POSSESSIVE.sub("", text.strip())
    ticker = trailing_ticker(bare)
    if ticker:
        return (bare[: -len(ticker)].strip(), ticker)
    return (bare,)


def _label_fits(label: str, node_type: NodeType) -> bool:
    if label == "PERSON":
        return node_type is NodeType.PERSON
    if node_type is NodeType.PERSON:
        return label == "PERSON"
    return True


def _country(variants: list[str]) -> EntityRef | None:
    for variant in variants:
        try:
            country = pycountry.countries.lookup(variant)
        except LookupError:
            continue
        name = getattr(country, "common_name", None) or country.name
        return EntityRef(
            id=f"government:{country.alpha_3.lower()}",
            name=name,
            type=NodeType.GOVERNMENT,
            country=country.alpha_3,
            known=True,
        )
    return None


def _shortened(mention: Mention, earlier: list[Resolved]) -> EntityRef | None:
    """The entity of an earlier, longer mention this one abbreviates, if exactly one fits."""
    words = name_key(name_variants(mention.text)[-1]).split()
    if not words or len(" ".join(words)) < 3:
        return None
    found: dict[str, EntityRef] = {}
    for prior in earlier:
        full = name_key(prior.entity.name).split()
        if len(full) <= len(words) or prior.mention.kind != "name":
            continue
        if prior.entity.type is NodeType.PERSON:
            if mention.label == "PERSON" and words == full[-len(words) :]:
                found[prior.entity.id] = prior.entity
        elif mention.label != "PERSON" and full[: len(words)] == words:
            found[prior.entity.id] = prior.entity
    return next(iter(found.values())) if len(found) == 1 else None


_REGION_FORM = re.compile(
    r"^(?:the\s+)?(?:(?:State|Province|Government|Prefecture|Region)\s+of\s+(?P<a>.+)"
    r"|(?P<b>.+?)\s+(?:state\s+)?(?:government|administration|authorities))$",
    re.IGNORECASE,
)


def _region(text: str) -> EntityRef | None:
    """'State of Arizona', 'Gujarat government': a regional government named after its place.

    >>> _region("the Gujarat government").id, _region("Arizona")
    ('government:gujarat', None)
    """
    match = _REGION_FORM.match(text.strip())
    if match is None:
        return None
    place = (match.group("a") or match.group("b") or "").strip()
    if not place or not place[0].isupper():
        return None
    return EntityRef(id=f"government:{slug(place)}", name=place, type=NodeType.GOVERNMENT)


def _regional_government(mention: Mention) -> EntityRef:
    """The government of a listed region the text has act ("Texas banned ..."), with its country."""
    place = _region_place(mention.text)
    known = region_of(place)
    name = known[0] if known else place
    return EntityRef(
        id=f"government:{slug(name)}", name=name, type=NodeType.GOVERNMENT, country=mention.region, known=True
    )


def _region_place(text: str) -> str:
    """'the State of Texas' -> 'Texas', 'the Saxony state government' -> 'Saxony', 'Texas' -> 'Texas'."""
    match = _REGION_FORM.match(text.strip())
    place = (match.group("a") or match.group("b")) if match else text
    return re.sub(r"^the\s+", "", place.strip(), flags=re.IGNORECASE)


def _acronym_of(mention: Mention, earlier: list[Resolved]) -> EntityRef | None:
    """The one earlier named firm or body whose initials this all-caps word spells ("NBMC")."""
    word = mention.text
    if not (word.isupper() and word.isalpha() and len(word) >= 2):
        return None
    found = {
        p.entity.id: p.entity
        for p in earlier
        if p.entity.type is not NodeType.PERSON
        and len(p.entity.name.split()) >= 2
        and initials(p.entity.name) == word
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _surname_of(mention: Mention, earlier: list[Resolved]) -> EntityRef | None:
    """The one person named earlier whose surname this single word is, whatever the model labelled it.

    The small model often reads a bare surname ("Koike", "Mnuchin") as a place or a firm.
    """
    words = mention.text.split()
    if len(words) != 1 or not words[0].istitle():
        return None
    found = {
        p.entity.id: p.entity
        for p in earlier
        if p.entity.type is NodeType.PERSON
        and len(p.entity.name.split()) >= 2
        and name_key(p.entity.name.split()[-1]) == name_key(words[0])
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _company_cue(doc: Doc, mention: Mention) -> bool:
    """A firm noun right before the name ("startup Moonshot"), in an apposition after it ("X, a
    Beijing-based company") or in what the sentence says it is ("X is a chip designer")."""
    before = doc[max(0, mention.start - 3) : mention.start]
    if any(t.lemma_.lower() in COMPANY_CUES or t.lower_ in COMPANY_CUES for t in before):
        return True
    after = doc[mention.end : mention.end + 7]
    described = len(after) > 2 and after[0].lemma_ == "be" and after[1].lower_ in ("a", "an")
    if len(after) and (after[0].text == "," or described):
        for tok in after[1 + described :]:
            if tok.lemma_.lower() in COMPANY_CUES or tok.lower_ in COMPANY_CUES:
                return True
            if tok.is_punct or tok.pos_ == "VERB":
                break
    return False


AGENCY_DESCRIPTORS = frozenset(
    """regulator watchdog authority agency ministry department commission office bureau""".split()
)
"""Nouns that, after a state's possessive, describe one of its bodies ("Italy's data watchdog")."""


def _described_agencies(resolved: list[Resolved], doc: Doc) -> list[Resolved]:
    """"Italy's data watchdog", "South Korea's privacy regulator": the one body of that state the
    article names (the Garante, the PIPC) where it names exactly one; else the state stays.

    A body is a Government of the state's country with an id under the state's ("government:ita-..."),
    so a region of the same country ("Texas") is never taken for it.
    """
    out: list[Resolved] = []
    for item in resolved:
        end = _descriptor_end(item, doc)
        state = item.entity
        bodies = {
            r.entity.id: r.entity for r in resolved if r.entity.id.startswith(f"{state.id}-")
        } if end is not None else {}
        if end is not None and len(bodies) == 1:
            span = doc[item.mention.start : end]
            mention = replace(item.mention, end=end, end_char=span.end_char, text=span.text, label="ORG")
            out.append(Resolved(mention, next(iter(bodies.values())), (span.text,)))
        else:
            out.append(item)
    return out


def _descriptor_end(item: Resolved, doc: Doc) -> int | None:
    """The end of "<state>'s [modifiers] <agency noun>" after a state's mention, if written so."""
    ent = item.entity
    if ent.country is None or ent.id != f"government:{ent.country.lower()}":
        return None  # not a state itself
    i = item.mention.end
    if i >= len(doc) or doc[i].tag_ != "POS":
        return None
    for j in range(i + 1, min(i + 4, len(doc))):
        tok = doc[j]
        if tok.lower_ in AGENCY_DESCRIPTORS and tok.text.islower():
            return j + 1
        if not (tok.is_lower and tok.pos_ in ("NOUN", "ADJ", "PROPN")):
            return None
    return None


def _merge_adjacent(resolved: list[Resolved], doc: Doc | None) -> list[Resolved]:
    """One mention for a name and the ticker or legal suffix the model split off it."""
    out: list[Resolved] = []
    for item in resolved:
        if out and doc is not None:
            prev = out[-1]
            gap = doc[prev.mention.end : item.mention.start]
            if (
                prev.entity.id == item.entity.id
                and len(gap) <= 2
                and all(t.text in "():,;" or t.lower_ in ("nasdaq", "nyse", "hkex") for t in gap)
            ):
                merged = replace(
                    prev.mention,
                    end=item.mention.end,
                    end_char=item.mention.end_char,
                )
                out[-1] = Resolved(merged, prev.entity, _unique(prev.aliases + item.aliases))
                continue
        out.append(item)
    return out


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
