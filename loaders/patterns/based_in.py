"""BASED_IN: a firm or organisation and the country it belongs to.

- "Shanghai-based X", "U.S.-based X", "X, based in Shenzhen", "X is headquartered in Beijing"
- a demonym or country on the firm noun describing it: "Chinese AI startup Zhipu", "US chipmaker
  Nvidia", "Chinese companies like Baidu", "U.S. tech giants, including Google", "X, a Chinese firm"
- "domestic companies such as X" when the sentences just before are about a single country
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import Found, Sentence, found
from loaders.resolve import EntityRef, Resolved

FIRM_NOUNS = frozenset(
    """company firm startup start-up giant maker chipmaker developer lab laboratory unicorn provider
    operator manufacturer supplier vendor conglomerate player champion rival group business corporation
    institute university organization organisation foundry designer titan heavyweight leader neighbour
    neighbor compatriot peer counterpart outfit house vendors""".split()
)
"""Nouns that describe a firm; a demonym on one places the firm in that country."""
DOMESTIC = frozenset({"domestic", "local", "homegrown", "home-grown", "indigenous"})
LOCATED = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION})


def is_firm_noun(tok: Token) -> bool:
    """Whether a word describes a firm; "start-up" is split by the tokenizer into three words."""
    if tok.lemma_.lower() in FIRM_NOUNS or tok.lower_ in FIRM_NOUNS:
        return True
    doc = tok.doc
    if tok.lower_ == "up" and tok.i >= 2 and doc[tok.i - 1].text in ("-", "–"):
        return doc[tok.i - 2].lower_ == "start"
    return tok.lower_ == "start" and tok.i + 2 < len(doc) and doc[tok.i + 2].lower_ in ("up", "ups")


def find(sent: Sentence) -> Iterator[Found]:
    if sent.places is None:
        return
    for tok in sent.span:
        low = tok.lower_
        if low in ("based", "headquartered"):
            yield from _based(sent, tok)
    for arg in sent.args:
        if arg.entity.type in LOCATED and arg.mention.kind == "name":
            yield from _described(sent, arg)
            yield from _country_possessive(sent, arg)
            yield from _country_in_name(sent, arg)
    for tok in sent.span:
        if tok.pos_ == "NOUN" and is_firm_noun(tok) and sent.at(tok) is None:
            yield from _definite_described(sent, tok)


def _emit(
    sent: Sentence, firms: list[Resolved], state: EntityRef, pattern: str, conf: float
) -> Iterator[Found]:
    target = Resolved(firms[0].mention, state, ())
    yield from found(
        sent,
        firms,
        RelType.BASED_IN,
        [target],
        pattern,
        conf,
        hedge=False,
        source_types=LOCATED,
        target_types=frozenset({NodeType.GOVERNMENT}),
    )


def _based(sent: Sentence, tok: Token) -> Iterator[Found]:
    doc = tok.doc
    assert sent.places is not None
    if tok.i >= 2 and doc[tok.i - 1].text in ("-", "–") and not doc[tok.i - 1].whitespace_:
        # "Shanghai-based X": the place is the word(s) glued before the hyphen.
        j = tok.i - 2
        place = doc[j].text
        if j - 1 >= sent.span.start and doc[j - 1].is_title and not doc[j - 1].whitespace_ == "":
            two = f"{doc[j - 1].text} {place}"
            state = sent.places.state_of(two) or sent.places.state_of(place)
        else:
            state = sent.places.state_of(place) or _us_state(sent, place)
        if state is None:
            return
        firm = _next_firm(sent, tok.i + 1)
        if not firm and tok.head.pos_ == "NOUN" and tok.head.i > tok.i:
            # "the Beijing-based startup": the firm named before
            firm = [a for a in sent.definite(tok.head) if a.entity.type in LOCATED]
            if not firm and tok.head.dep_ == "appos" and tok.head.head.i < tok.i:
                # "G42, an Abu Dhabi-based AI group"
                firm = [a for a in sent.args_of(tok.head.head) if a.entity.type in LOCATED]
        if firm:
            yield from _emit(sent, firm, state, "based_in.compound", 0.9)
        return
    # "X, based in Y" / "X is headquartered in Y"
    place_tok = next(
        (
            p
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == "in"
            for p in c.children
            if p.dep_ == "pobj"
        ),
        None,
    )
    if place_tok is None:
        return
    state = sent.places.state_of(_phrase(place_tok))
    if state is None:
        return
    firms = [s for s in sent.subjects(tok) if s.entity.type in LOCATED]
    if not firms and tok.dep_ in ("acl", "amod") and tok.head.i < tok.i:
        firms = [a for a in sent.args_of(tok.head) if a.entity.type in LOCATED]
    if firms:
        yield from _emit(sent, firms, state, "based_in.located", 0.85)


def _phrase(tok: Token) -> str:
    left = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
    start = left[0].i if left else tok.i
    return tok.doc[start : tok.i + 1].text


def _next_firm(sent: Sentence, start: int) -> list[Resolved]:
    doc = sent.span.doc
    for i in range(start, min(start + 5, sent.span.end)):
        arg = sent.at(doc[i])
        if arg is not None:
            return [arg] if arg.entity.type in LOCATED and arg.mention.kind == "name" else []
        if doc[i].is_punct or doc[i].pos_ in ("VERB", "AUX", "ADP", "CCONJ"):
            return []
    return []


def _described(sent: Sentence, arg: Resolved) -> Iterator[Found]:
    """A firm described by a noun that a demonym or country modifies, before it or in apposition."""
    state = _described_state(sent, arg)
    if state is None:
        # "Chinese smartphone makers Vivo and Xiaomi" parsed flat: the list's first member carries it
        state = _list_neighbour_state(sent, arg)
    if state is not None:
        yield from _emit(sent, [arg], state, "based_in.described", 0.75)


def _list_neighbour_state(sent: Sentence, arg: Resolved) -> EntityRef | None:
    doc = sent.span.doc
    current = arg
    for _ in range(4):
        j = current.mention.start - 1
        if j < sent.span.start or doc[j].lower_ not in ("and", ","):
            return None
        while j >= sent.span.start and doc[j].lower_ in ("and", ","):
            j -= 1
        prev = sent.at(doc[j]) if j >= sent.span.start else None
        if prev is None or prev.entity.type not in LOCATED or prev.mention.kind != "name":
            return None
        state = _described_state(sent, prev, flat_only=True)
        if state is not None:
            return state
        current = prev
    return None


def _described_state(sent: Sentence, arg: Resolved, *, flat_only: bool = False) -> EntityRef | None:
    doc = sent.span.doc
    root = doc[arg.mention.start : arg.mention.end].root
    nouns: list[Token] = []
    if flat_only:
        i = arg.mention.start - 1
        noun = doc[i] if i >= sent.span.start and is_firm_noun(doc[i]) else None
        return _state_modifier(sent, noun, arg) if noun is not None else None
    # "Chinese AI startup Zhipu": firm noun inside the name's own phrase (compound before it)
    nouns.extend(
        c
        for c in root.children
        if c.dep_ in ("compound", "amod", "nmod") and c.i < arg.mention.start and is_firm_noun(c)
    )
    # "X, a Chinese firm": an apposition
    nouns.extend(c for c in root.children if c.dep_ == "appos" and is_firm_noun(c))
    # "Chinese companies like X" / "tech giants, including X" / "giants Alibaba and Baidu"
    head = root
    for _ in range(3):
        if head.dep_ == "conj":
            head = head.head
            continue
        break
    if head.i != root.i:
        # "Chinese smartphone makers Vivo and Xiaomi": the noun sits on the first conjunct
        nouns.extend(
            c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i and is_firm_noun(c)
        )
    if head.dep_ == "pobj" and head.head.dep_ == "prep" and _list_prep(head.head):
        nouns.append(head.head.head)
    elif head.dep_ == "appos" and is_firm_noun(head.head):
        nouns.append(head.head)
    if not nouns:
        # surface fallback for flat parses: "<demonym> [words] <firm noun> <Name>"
        i = arg.mention.start - 1
        if i >= sent.span.start and is_firm_noun(doc[i]):
            nouns.append(doc[i])
    surface = _surface_apposition(sent, arg)
    if surface is not None:
        nouns.append(surface)
    opener = _list_noun(sent, arg)
    if opener is not None:
        nouns.append(opener)
    for noun in nouns:
        if not is_firm_noun(noun):
            continue
        state = _state_modifier(sent, noun, arg)
        if state is not None:
            return state
    return None


def _list_noun(sent: Sentence, arg: Resolved) -> Token | None:
    """The noun a flat "such as"/"like"/"including" list that holds `arg` hangs on."""
    members = sent.surface_list(arg)
    if not members:
        return None
    doc = sent.span.doc
    k = min(m.mention.start for m in members) - 1
    while k >= sent.span.start and doc[k].lower_ in ("such", "as", "like", "including", "among", "them", ","):
        k -= 1
    return doc[k] if k >= sent.span.start and is_firm_noun(doc[k]) else None


_APPOS_WORDS = frozenset({"ADJ", "NOUN", "PROPN", "PUNCT", "VERB", "NUM"})


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
    for k in range(j + 2, min(j + 10, sent.span.end)):
        tok = doc[k]
        if tok.text in (",", ";", "(", ")") or tok.pos_ not in _APPOS_WORDS or tok.tag_ == "POS":
            break
        if tok.pos_ == "VERB" and tok.lower_ not in ("based", "backed", "start", "owned", "listed"):
            break
        if is_firm_noun(tok):
            last = tok
    if last is not None and last.i + 1 < sent.span.end and doc[last.i + 1].tag_ == "POS":
        return None
    return last


def _list_prep(tok: Token) -> bool:
    if tok.lower_ in ("like", "including"):
        return True
    return tok.lower_ == "as" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "such"


def _state_modifier(sent: Sentence, noun: Token, firm: Resolved) -> EntityRef | None:
    doc = noun.doc
    # modifiers of the noun, and the words just before it ("Chinese AI startup")
    # (the window stops at a determiner or punctuation: "sold to Japan, a maker" is no Japanese maker)
    lo = noun.i
    while lo - 1 >= max(sent.span.start, noun.i - 4):
        prev = doc[lo - 1]
        if prev.pos_ in ("DET", "ADP", "CCONJ", "PRON", "AUX") or (
            prev.is_punct and prev.text not in ("-", "–")
        ):
            break
        lo -= 1
    window = [doc[i] for i in range(lo, noun.i)]
    candidates = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod", "poss")] + window
    for c in candidates:
        mod = sent.at(c)
        if mod is not None and mod.entity.type is NodeType.GOVERNMENT and mod.entity.id != firm.entity.id:
            if mod.entity.country and sent.places is not None:
                return sent.places.state(mod.entity.country) or mod.entity
            return mod.entity
        if c.lower_ in DOMESTIC:
            return _country_in_focus(sent)
        if (
            mod is None
            and (c.i + 2 < len(doc) and doc[c.i + 1].text in ("-", "–"))
            and doc[c.i + 2].lower_ != "based"
        ):
            continue
        if mod is None:
            place = _place_word(sent, c)
            if place is not None:
                return place
    return None


def _place_word(sent: Sentence, tok: Token) -> EntityRef | None:
    """The state a capitalised place word names ("Hangzhou", "Seoul", "Texas"); acronyms are not places."""
    if sent.places is None or not tok.is_title or tok.is_upper or len(tok.text) < 4 or tok.pos_ != "PROPN":
        return None
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].tag_ == "POS":
        return None
    return sent.places.state_of(tok.text) or _us_state(sent, tok.text)


US_STATES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming""".split()
)
"""US states, which the place list lacks: "California-based" places a firm in the United States.
Georgia and Washington are countries or capitals too; the place list answers for them first."""


def _us_state(sent: Sentence, word: str) -> EntityRef | None:
    if word.lower() not in US_STATES or sent.places is None:
        return None
    return sent.places.state("USA")


def _country_in_focus(sent: Sentence) -> EntityRef | None:
    """The one state the last few sentences talk about, if only one dominates."""
    counts: Counter[str] = Counter()
    refs: dict[str, EntityRef] = {}
    for s in [*sent.previous[-3:], sent]:
        for a in s.args:
            if a.entity.type is NodeType.GOVERNMENT and "-" not in a.entity.id:
                counts[a.entity.id] += 1
                refs[a.entity.id] = a.entity
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return refs[ranked[0][0]]


def _country_possessive(sent: Sentence, arg: Resolved) -> Iterator[Found]:
    """ "China's Huawei", "Saudi Arabia's Public Investment Fund": a state's possessive on a firm."""
    doc = sent.span.doc
    i = arg.mention.start - 1
    if i - 1 < sent.span.start or doc[i].tag_ != "POS":
        return
    owner = sent.at(doc[i - 1])
    if owner is None or owner.entity.type is not NodeType.GOVERNMENT or "-" in owner.entity.id:
        return
    if owner.mention.kind != "name" or not owner.entity.country or sent.places is None:
        return
    state = sent.places.state(owner.entity.country)
    if state is not None:
        yield from _emit(sent, [arg], state, "based_in.possessive", 0.7)


def _definite_described(sent: Sentence, noun: Token) -> Iterator[Found]:
    """'the Chinese telecoms giant', 'the Dutch maker of lithography systems' -> the firm meant."""
    state_mod = None
    for c in noun.children:
        mod = sent.at(c) if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i else None
        if mod is not None and mod.entity.type is NodeType.GOVERNMENT and "-" not in mod.entity.id:
            state_mod = mod
    if state_mod is None or not state_mod.entity.country or sent.places is None:
        return
    firms = [a for a in sent.definite(noun) if a.entity.type in LOCATED]
    if not firms and noun.dep_ == "appos" and noun.head.i < noun.i:
        firms = [a for a in sent.args_of(noun.head) if a.entity.type in LOCATED and a.mention.kind == "name"]
    state = sent.places.state(state_mod.entity.country)
    if firms and state is not None:
        yield from _emit(sent, firms, state, "based_in.definite", 0.65)


def _country_in_name(sent: Sentence, arg: Resolved) -> Iterator[Found]:
    """A firm whose own name holds a country or its demonym: "Saudi Aramco", "Arm China"."""
    if sent.places is None:
        return
    registry = sent.places.registry
    words = arg.entity.name.replace(",", " ").split()
    if len(words) < 2:
        return
    for word in words:
        actor = registry.lookup(word) or registry.demonym(word)
        if actor is None or actor.type is not NodeType.GOVERNMENT or "-" in actor.id or not actor.country:
            continue
        state = sent.places.state(actor.country)
        if state is not None and state.id != arg.entity.id:
            yield from _emit(sent, [arg], state, "based_in.name", 0.7)
            return
