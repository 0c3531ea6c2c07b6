"""Where a firm belongs: the role readers of the BASED_IN frames (`tables/based_in.yaml`).

A firm's country is written around its name in many small ways ("Shanghai-based X", "X, based
in Shenzhen", "Chinese AI startup X", "X, the Hangzhou start-up", "China's X", "Saudi Aramco").
The parser hangs such runs together in too many ways for plain dependency roles, so these readers
read them off the words, as `loaders.frames.titles` does for job titles. Each target reader
returns the state as a `Resolved` on the firm's own mention; places go through `Sentence.places`.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import FIRM_TYPES, Sentence, prep_objects
from loaders.entities import Mention
from loaders.frames.backers import glued
from loaders.frames.tables import in_class, lexicon
from loaders.resolve import EntityRef, Resolved

HYPHENS = ("-", "–")
_LIST_WORDS = frozenset({"such", "as", "like", "including", "among", "them", ","})
_APPOS_WORDS = frozenset({"ADJ", "NOUN", "PROPN", "PUNCT", "VERB", "NUM"})
_APPOS_VERBS = frozenset({"based", "backed", "start", "owned", "listed"})
_WINDOW_STOP = frozenset({"DET", "ADP", "CCONJ", "PRON", "AUX"})
_MODS = ("amod", "compound", "nmod")


def is_firm_noun(tok: Token) -> bool:
    """Whether a word describes a firm (`described_nouns`); "start-up" is split into three words."""
    if in_class(tok, "described_nouns"):
        return True
    doc = tok.doc
    if tok.lower_ == "up" and tok.i >= 2 and doc[tok.i - 1].text in HYPHENS:
        return doc[tok.i - 2].lower_ == "start"
    return tok.lower_ == "start" and tok.i + 2 < len(doc) and doc[tok.i + 2].lower_ in ("up", "ups")


def _on(firm: Resolved, state: EntityRef | None) -> list[Resolved]:
    return [Resolved(firm.mention, state, ())] if state is not None else []


def _placed(tok: Token, state: EntityRef | None) -> list[Resolved]:
    """The state a place word names, as a mention of that word."""
    mention = Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text, "GPE")
    return [Resolved(mention, state, ())] if state is not None else []


def _firms(found: list[Resolved], *, named: bool = False) -> list[Resolved]:
    return [a for a in found if a.entity.type in FIRM_TYPES and (not named or a.mention.kind == "name")]


def _home(sent: Sentence, arg: Resolved | None) -> EntityRef | None:
    """The state a named state or a state's part stands for ("China", "Chinese", "U.S.")."""
    ok = arg is not None and arg.entity.type is NodeType.GOVERNMENT and "-" not in arg.entity.id
    if arg is None or not ok or not arg.entity.country or sent.places is None:
        return None
    return sent.places.state(arg.entity.country)


# "Shanghai-based X", "the Beijing-based startup", "G42, an Abu Dhabi-based AI group"


def glued_place(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The state of the place glued before "-based" (two title-case words first: "Abu Dhabi"); the
    firm is the source role's."""
    if sent.places is None or not glued(tok):
        return []
    doc, j = tok.doc, tok.i - 2
    place = doc[j].text
    if j - 1 >= sent.span.start and doc[j - 1].is_title:
        return _placed(tok, sent.places.state_of(f"{doc[j - 1].text} {place}") or sent.places.state_of(place))
    return _placed(tok, sent.places.state_of(place) or us_state(sent, place))


def place_in(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """'X, based in Shenzhen', 'X is headquartered in Beijing': the state of the place in the 'in'
    phrase (with its compounds: "Abu Dhabi"); the firm is the verb's object or subject."""
    place = next(iter(prep_objects(tok, ("in",), heads=("prep",))), None)
    if sent.places is None or glued(tok) or place is None:
        return []
    left = [c for c in place.children if c.dep_ == "compound" and c.i < place.i]
    return _placed(place, sent.places.state_of(tok.doc[left[0].i if left else place.i : place.i + 1].text))


# a demonym, country or place on a firm noun describing a named firm


def described_state(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """ "Chinese AI startup X", "X, a Chinese firm", "Chinese companies like X": the state on a firm
    noun that describes the named firm; for "domestic companies such as X", the one country the
    sentences just before are about; for "Chinese smartphone makers Vivo and Xiaomi" parsed flat,
    the state on the first member's noun."""
    arg = _named_firm(sent, tok)
    if arg is None:
        return []
    nouns = described_nouns(sent, arg)
    state = next((s for n in nouns if (s := state_modifier(sent, n, arg)) is not None), None)
    domestic = lexicon().words("domestic_words")
    if state is None and any(c.lower_ in domestic for n in nouns for c in _modifiers(sent, n)):
        state = country_in_focus(sent)
    return _on(arg, state or _flat_list_state(sent, arg))


def _flat_list_state(sent: Sentence, arg: Resolved) -> EntityRef | None:
    """The state on the noun before the first of the named firms joined by commas and 'and'."""
    doc, member = sent.span.doc, arg
    for _step in range(4):
        j = member.mention.start - 1
        if j < sent.span.start or doc[j].lower_ not in ("and", ","):
            return None
        while j >= sent.span.start and doc[j].lower_ in ("and", ","):
            j -= 1
        prev = sent.at(doc[j]) if j >= sent.span.start else None
        if prev is None or not _firms([prev], named=True):
            return None
        member, i = prev, prev.mention.start - 1
        noun = doc[i] if i >= sent.span.start else None
        state = state_modifier(sent, noun, member) if noun is not None and is_firm_noun(noun) else None
        if state is not None:
            return state
    return None


def _named_firm(sent: Sentence, tok: Token) -> Resolved | None:
    """The named firm whose name starts at the word."""
    arg = sent.at(tok)
    return arg if arg is not None and arg.mention.start == tok.i and _firms([arg], named=True) else None


def described_nouns(sent: Sentence, arg: Resolved) -> list[Token]:
    """The firm nouns that describe a named firm: in its phrase, in apposition, or the noun its list
    hangs on ("Chinese companies like X", "tech giants, including X"); a noun on a list's first
    name ("giants Alibaba and Baidu") is read from the noun's side by `based_in.definite`."""
    doc = sent.span.doc
    root = doc[arg.mention.start : arg.mention.end].root
    parsed = [c for c in root.children if c.dep_ in _MODS and c.i < arg.mention.start]
    parsed += [c for c in root.children if c.dep_ == "appos"] + _list_head(root)
    nouns = [n for n in parsed if is_firm_noun(n)]
    before = arg.mention.start - 1
    if not nouns and before >= sent.span.start and is_firm_noun(doc[before]):
        nouns.append(doc[before])  # flat parses: "<demonym> [words] <firm noun> <Name>"
    return nouns + [n for n in (_surface_apposition(sent, arg), _list_noun(sent, arg)) if n is not None]


def _list_head(root: Token) -> list[Token]:
    """The noun a "like"/"including"/"such as" list holding the name hangs on."""
    prep = root.head
    if root.dep_ != "pobj" or prep.dep_ != "prep":
        return []
    such_as = prep.lower_ == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such"
    return [prep.head] if prep.lower_ in ("like", "including") or such_as else []


def _list_noun(sent: Sentence, arg: Resolved) -> Token | None:
    """The noun a flat "such as"/"like"/"including" list that holds `arg` hangs on."""
    members = sent.surface_list(arg)
    if not members:
        return None
    doc = sent.span.doc
    k = min(m.mention.start for m in members) - 1
    while k >= sent.span.start and doc[k].lower_ in _LIST_WORDS:
        k -= 1
    return doc[k] if k >= sent.span.start and is_firm_noun(doc[k]) else None


def _surface_apposition(sent: Sentence, arg: Resolved) -> Token | None:
    """The firm noun of "<Firm>, the/a <modifiers> <noun>" read off the words (parses break on it).

    "DeepSeek, the Hangzhou AI start-up whose ..." -> "start-up"; the last firm noun before a
    comma, a relative word or a preposition is the head. A noun that is itself possessed
    ("a Chinese firm's rival") is not the firm's description.
    """
    doc = sent.span.doc
    j = arg.mention.end
    if j + 2 >= sent.span.end or doc[j].text != "," or doc[j + 1].lower_ not in ("the", "a", "an"):
        return None
    last: Token | None = None
    for tok in doc[j + 2 : min(j + 10, sent.span.end)]:
        if tok.text in (",", ";", "(", ")") or tok.pos_ not in _APPOS_WORDS or tok.tag_ == "POS":
            break
        if tok.pos_ == "VERB" and tok.lower_ not in _APPOS_VERBS:
            break
        last = tok if is_firm_noun(tok) else last
    possessed = last is not None and last.i + 1 < sent.span.end and doc[last.i + 1].tag_ == "POS"
    return None if possessed else last


def _modifiers(sent: Sentence, noun: Token) -> list[Token]:
    """The words just before the noun, its modifiers ("Chinese AI startup"); the window stops at a
    determiner or punctuation: "sold to Japan, a maker" is no Japanese maker."""
    doc = noun.doc
    lo = noun.i
    while lo - 1 >= max(sent.span.start, noun.i - 4):
        prev = doc[lo - 1]
        if prev.pos_ in _WINDOW_STOP or (prev.is_punct and prev.text not in HYPHENS):
            break
        lo -= 1
    return list(doc[lo : noun.i])


def state_modifier(sent: Sentence, noun: Token, firm: Resolved) -> EntityRef | None:
    """The state a demonym, country or place word on the noun names (up to a domestic word)."""
    doc = noun.doc
    domestic = lexicon().words("domestic_words")
    for c in _modifiers(sent, noun):
        mod = sent.at(c)
        if mod is not None and mod.entity.type is NodeType.GOVERNMENT and mod.entity.id != firm.entity.id:
            if mod.entity.country and sent.places is not None:
                return sent.places.state(mod.entity.country) or mod.entity
            return mod.entity
        if c.lower_ in domestic:
            return None  # the domestic frame reads it
        hyphened = c.i + 2 < len(doc) and doc[c.i + 1].text in HYPHENS and doc[c.i + 2].lower_ != "based"
        place = _place_word(sent, c) if mod is None and not hyphened else None
        if place is not None:
            return place
    return None


def _place_word(sent: Sentence, tok: Token) -> EntityRef | None:
    """The state a capitalised place word names ("Hangzhou", "Seoul", "Texas"); acronyms are not places."""
    if sent.places is None or not tok.is_title or tok.is_upper or len(tok.text) < 4 or tok.pos_ != "PROPN":
        return None
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].tag_ == "POS":
        return None
    return sent.places.state_of(tok.text) or us_state(sent, tok.text)


def us_state(sent: Sentence, word: str) -> EntityRef | None:
    """The United States for a US state's name (`us_states`), which the place list lacks; Georgia and
    Washington are countries or capitals too, so the place list answers for them first."""
    if word.lower() not in lexicon().words("us_states") or sent.places is None:
        return None
    return sent.places.state("USA")


def country_in_focus(sent: Sentence) -> EntityRef | None:
    """The one state the last few sentences talk about, if only one dominates."""
    states = [a.entity for s in [*sent.previous[-3:], sent] for a in s.args]
    counts = Counter(e.id for e in states if e.type is NodeType.GOVERNMENT and "-" not in e.id)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    return next(e for e in reversed(states) if e.id == ranked[0][0])


# "China's Huawei", "Saudi Aramco"


def possessor_state(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """ "China's Huawei", "Saudi Arabia's Public Investment Fund": a state's possessive on a named firm."""
    arg = _named_firm(sent, tok)
    return _on(arg, _home(sent, name_possessor(sent, arg))) if arg is not None else []


def name_possessor(sent: Sentence, arg: Resolved) -> Resolved | None:
    """The name whose possessive is written just before a name: "China's Huawei", "Google's YouTube"."""
    doc, i = sent.span.doc, arg.mention.start - 1
    owner = sent.at(doc[i - 1]) if i - 1 >= sent.span.start and doc[i].tag_ == "POS" else None
    return owner if owner is not None and owner.mention.kind == "name" else None


def name_state(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """A firm whose own name holds a country or its demonym: "Saudi Aramco", "Arm China"."""
    arg = _named_firm(sent, tok)
    words = arg.entity.name.replace(",", " ").split() if arg is not None else []
    if arg is None or sent.places is None or len(words) < 2:
        return []
    registry = sent.places.registry
    for actor in (registry.lookup(w) or registry.demonym(w) for w in words):
        if actor is None or actor.type is not NodeType.GOVERNMENT or "-" in actor.id or not actor.country:
            continue
        state = sent.places.state(actor.country)
        if state is not None and state.id != arg.entity.id:
            return _on(arg, state)
    return []
