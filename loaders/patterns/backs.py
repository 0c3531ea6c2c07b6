"""BACKS: who funds, invests in, owns or bankrolls whom, in the ways news writes it.

- compound modifier: "Tencent-backed Zhipu AI", "Alibaba- and Tencent-backed Moonshot"
- passive: "OpenAI, backed by Microsoft", "Zhipu is funded by Tencent and Alibaba"
- active: "Microsoft invested $13 billion in OpenAI", "Tencent backs Zhipu", "Google acquired X"
- stakes and nominals: "Alibaba took a stake in Moonshot", "Microsoft's investment in OpenAI",
  "OpenAI investor Microsoft", "X, an investor in Y", "Y raised $1 billion from X"

The source is always the one putting money in; a negated trigger yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import (
    FIRM_TYPES,
    Found,
    Sentence,
    found,
    negated,
)
from loaders.resolve import Resolved

BACKED = frozenset({"backed", "funded", "financed", "bankrolled", "owned", "supported", "controlled"})
"""Participles of backing, as in "X-backed" or "backed by X"."""
BACK_VERBS = frozenset({"back", "fund", "finance", "bankroll", "acquire", "buy", "purchase"})
"""Verbs whose direct object is the backed actor."""
INVEST_VERBS = frozenset({"invest", "pour", "plow", "plough", "inject", "put", "sink"})
"""Verbs whose "in"/"into" object is the backed actor."""
STAKE_NOUNS = frozenset(
    {"stake", "investment", "interest", "shareholding", "holding", "position", "round", "series"}
)
ROUND_NOUNS = frozenset({"round", "series"})
LEAD_VERBS = frozenset({"lead", "co-lead", "colead", "join", "participate", "anchor", "back", "fund"})
UNIT_NOUNS = frozenset("unit subsidiary arm division affiliate offshoot spinoff spin-off".split())
"""'Huawei's chip unit HiSilicon', 'X, a subsidiary of Y': the parent owns the unit."""
OWN_VERBS = frozenset({"own", "hold", "control"})
SHARE_WORDS = frozenset(
    {"%", "percent", "per", "majority", "third", "quarter", "half", "stake", "share", "shares"}
)
BACKER_NOUNS = frozenset({"investor", "backer", "shareholder", "owner", "parent", "funder", "financier"})
FUNDING_NOUNS = frozenset({"funding", "investment", "backing", "financing", "capital", "money", "cash"})
RECEIVE_VERBS = frozenset({"receive", "secure", "raise", "get", "obtain", "attract", "land", "win", "close"})

GIVE_VERBS = frozenset({"give", "grant", "award", "provide", "extend", "offer"})
GRANT_NOUNS = frozenset(
    {"funding", "grant", "subsidy", "loan", "financing", "investment", "capital", "backing"}
)
AMONG_VERBS = frozenset({"count", "list", "name", "number", "include"})
"""'X counts Y among its investors'."""

_SKIP_BETWEEN = frozenset(
    {
        ",",
        "which",
        "that",
        "is",
        "was",
        "are",
        "were",
        "has",
        "have",
        "had",
        "been",
        "being",
        "also",
        "largely",
        "partly",
        "heavily",
        "mostly",
        "both",
        "jointly",
        "itself",
        "now",
        "majority",
        "-",
        "partially",
        "fully",
    }
)


def find(sent: Sentence) -> Iterator[Found]:
    for hit in _find(sent):
        # Money goes into firms and bodies; "invest $500 billion in the United States" is a place.
        if hit.target.type is not NodeType.GOVERNMENT or "-" in hit.target.id.partition(":")[2]:
            yield hit


def _find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        low = tok.lower_
        lemma = tok.lemma_.lower()
        glued = tok.i > 0 and tok.doc[tok.i - 1].text in ("-", "–")
        by_follows = tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "by"
        if low in BACKED and (glued or by_follows):
            yield from _compound(sent, tok)
            yield from _passive(sent, tok)
        elif tok.pos_ in ("VERB", "AUX") and (lemma in BACK_VERBS or lemma in INVEST_VERBS):
            yield from _active(sent, tok)
        elif tok.pos_ == "NOUN" and lemma in STAKE_NOUNS:
            yield from _stake(sent, tok)
        elif tok.pos_ == "NOUN" and lemma in BACKER_NOUNS:
            yield from _backer_noun(sent, tok)
        elif tok.pos_ == "NOUN" and lemma in FUNDING_NOUNS:
            yield from _funding_from(sent, tok)
        if tok.pos_ == "VERB" and lemma in RECEIVE_VERBS:
            yield from _raised_from(sent, tok)
        if lemma == "round" and tok.pos_ == "NOUN":
            yield from _round_led_by(sent, tok)
        if tok.lower_ == "whose":
            yield from _whose_backers(sent, tok)
        if lemma in AMONG_VERBS and tok.pos_ == "VERB":
            yield from _among_backers(sent, tok)
        if lemma in GIVE_VERBS and tok.pos_ == "VERB":
            yield from _gave_funding(sent, tok)
        if lemma in UNIT_NOUNS and tok.pos_ == "NOUN":
            yield from _unit(sent, tok)
        if lemma in OWN_VERBS and tok.pos_ == "VERB":
            yield from _owns_share(sent, tok)


def _compound(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X-backed Y': the name glued to the participle backs the name it modifies."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text not in ("-", "–") or doc[tok.i - 1].whitespace_:
        return
    src = sent.at(doc[tok.i - 2])
    if src is None:
        return
    sources = [*sent.shared_modifiers(src), src]
    targets = _next_name(sent, tok.i + 1, 5)
    if not targets and tok.head.pos_ == "NOUN" and tok.head.i > tok.i:
        targets = sent.definite(tok.head)  # "the Tencent-backed group"
    if not targets or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.compound", 0.9, trigger=tok)


def _next_name(sent: Sentence, start: int, window: int) -> list[Resolved]:
    """The name a modifier applies to: the next mention within a few words, nothing in between."""
    doc = sent.span.doc
    for i in range(start, min(start + window, sent.span.end)):
        arg = sent.at(doc[i])
        if arg is not None:
            return [arg] if arg.mention.kind == "name" else []
        if doc[i].is_punct or doc[i].pos_ in ("VERB", "AUX", "ADP", "CCONJ"):
            return []
    return []


def _passive(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Y (, which is) backed by X (and Z)': the agent backs the participle's subject."""
    doc = tok.doc
    if tok.i + 1 >= sent.span.end or doc[tok.i + 1].lower_ != "by":
        return
    if tok.i >= 1 and doc[tok.i - 1].text in ("-", "–"):
        return
    sources = _names_after(sent, tok.i + 2)
    targets: list[Resolved] = []
    subj = [c for c in tok.children if c.dep_ in ("nsubjpass", "nsubj")]
    if subj:
        targets = sent.args_of(subj[0])
    elif tok.dep_ in ("acl", "amod", "relcl") and tok.head.i < tok.i:
        targets = sent.args_of(tok.head)
    if not targets:
        targets = _name_before(sent, tok.i - 1)
    if not sources or not targets or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.passive", 0.9, trigger=tok)


def _names_after(sent: Sentence, start: int) -> list[Resolved]:
    """A name right after a preposition, with the names coordinated with it ("X, Y and Z")."""
    doc = sent.span.doc
    out: list[Resolved] = []
    i = start
    # Allow a short descriptor before the name: "by tech giant Tencent", "by the Chinese quant fund X".
    for j in range(start, min(start + 7, sent.span.end)):
        arg = sent.at(doc[j])
        if arg is not None and arg.mention.kind == "name" and not sent.is_modifier(arg):
            i = j
            break
        if doc[j].is_punct or doc[j].pos_ in ("VERB", "ADP", "CCONJ"):
            return []
    else:
        return []
    while i < sent.span.end:
        arg = sent.at(doc[i])
        if arg is None:
            break
        if arg.mention.kind == "name":
            out.append(arg)
        i = arg.mention.end
        # the ticker-glued or suffixed continuation of a name is part of it
        if i < sent.span.end and doc[i].lower_ in (",", "and", "as") and i + 1 < sent.span.end:
            nxt = i + 1
            if doc[nxt].lower_ in ("and", "as", "well"):
                nxt += 1
            while nxt < sent.span.end and doc[nxt].lower_ in ("well", "as"):
                nxt += 1
            if nxt < sent.span.end and sent.at(doc[nxt]) is not None:
                i = nxt
                continue
        break
    return out


def _name_before(sent: Sentence, end: int) -> list[Resolved]:
    doc = sent.span.doc
    i = end
    while i >= sent.span.start:
        arg = sent.at(doc[i])
        if arg is not None:
            return [arg] if arg.mention.kind == "name" else []
        if doc[i].lower_ not in _SKIP_BETWEEN:
            return []
        i -= 1
    return []


def _active(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X backs/funds/acquired Y', 'X invested (money) in Y'."""
    if any(c.dep_ in ("agent", "auxpass") for c in tok.children):
        return
    if tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl"):
        return
    lemma = tok.lemma_.lower()
    targets: list[Resolved] = []
    preps = ("into",) if lemma in ("put", "sink") else ("in", "into")
    if lemma in BACK_VERBS:
        for c in tok.children:
            if c.dep_ == "dobj":
                targets.extend(sent.args_of(c))
        if not any(c.dep_ == "dobj" for c in tok.children):
            targets = sent.surface_objects(tok)
    else:
        for prep in _preps(tok, preps):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    targets.extend(sent.args_of(pobj))
        if not targets:
            targets = sent.surface_objects(tok, frozenset(preps))
    targets = [t for t in targets if t.mention.kind == "name"]
    if not targets:
        return
    sources = sent.subjects(tok) or (
        [] if any(c.dep_ == "nsubj" for c in tok.children) else sent.surface_subjects(tok)
    )
    if not sources or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, f"backs.active.{lemma}", 0.85, trigger=tok)


def _preps(tok: Token, words: tuple[str, ...]) -> list[Token]:
    """Prepositions with these words on the verb or on its direct object ("invested $1bn in X")."""
    out = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in words]
    for c in tok.children:
        if c.dep_ == "dobj":
            out.extend(g for g in c.children if g.dep_ == "prep" and g.lower_ in words)
    return out


def _stake(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X's stake in Y', 'X took/holds a stake in Y', 'X's investment in Y', 'X led Y's round'."""
    if tok.lemma_.lower() in ROUND_NOUNS:
        yield from _led_round(sent, tok)
        return
    targets: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "into"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    targets.extend(sent.args_of(pobj))
    if not targets:
        return
    owners = [c for c in tok.children if c.dep_ == "poss"]
    if owners:
        sources = sent.pronoun(owners[0]) if owners[0].lower_ in ("its", "their") else sent.args_of(owners[0])
    elif tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        sources = sent.subjects(tok.head)
    else:
        return
    if not sources or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.stake", 0.8, trigger=tok)


def _backer_noun(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'OpenAI investor Microsoft', 'X, an investor in Y', 'Y's backers include X'."""
    targets: list[Resolved] = []
    for c in tok.children:
        if c.dep_ in ("compound", "poss") and sent.at(c) is not None and c.i < tok.i:
            targets.extend(sent.args_of(c))
        elif c.dep_ == "poss" and c.lower_ in ("its", "their"):
            targets.extend(sent.pronoun(c))
        elif c.dep_ == "prep" and c.lower_ in ("in", "of", "behind"):
            for prep in (c, *c.conjuncts):  # "shareholders in Baichuan and in Zhipu AI"
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        targets.extend(sent.args_of(pobj))
    if not targets:
        return
    sources: list[Resolved] = []
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "among" and head.head.lemma_ == "be":
        # "Among its largest shareholders is Susquehanna"
        sources = [a for c in head.head.children if c.dep_ in ("nsubj", "attr") for a in sent.args_of(c)]
        if sources and not negated(tok):
            yield from found(sent, sources, RelType.BACKS, targets, "backs.backer", 0.8, trigger=tok)
        return
    if tok.dep_ == "appos" or (tok.dep_ == "attr" and head.lemma_ in ("be", "remain", "become")):
        sources = sent.args_of(head) if tok.dep_ == "appos" else sent.subjects(head)
    elif tok.dep_ == "oprd":  # "the deal makes Microsoft the largest shareholder in OpenAI"
        sources = [a for c in head.children if c.dep_ == "dobj" for a in sent.args_of(c)]
    elif tok.dep_ == "compound" and sent.at(head) is not None:
        sources = sent.args_of(head)
    elif tok.dep_ in ("nsubj",) and head.lemma_.lower() in ("include", "be"):
        sources = [a for c in head.children if c.dep_ in ("dobj", "attr") for a in sent.args_of(c)]
    else:
        # "Y investor X" where the parser made X the head of a flat name phrase, or
        # "Ampere's two major investors, Carlyle and Oracle"
        sources = _next_name(sent, tok.i + 1, 1) or [
            a for c in tok.children if c.dep_ == "appos" for a in sent.args_of(c)
        ]
    if not sources or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.backer", 0.8, trigger=tok)


def _funding_from(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Y raised/secured funding from X', 'investment from X in Y'."""
    sources: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    sources.extend(sent.args_of(pobj))
    if not sources:
        return
    targets: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "into", "for"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    targets.extend(sent.args_of(pobj))
    if not targets and tok.dep_ == "dobj" and tok.head.lemma_.lower() in RECEIVE_VERBS:
        targets = sent.subjects(tok.head)
    if not targets or negated(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.funding_from", 0.8, trigger=tok)


def _raised_from(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Y raised $1 billion from X and Z': money (or a round) received from named investors."""
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    money = any(
        o.ent_type_ == "MONEY" or o.lemma_.lower() in FUNDING_NOUNS or o.lemma_.lower() in ("round", "stake")
        for o in objects
    )
    if not money:
        return
    sources = [
        a
        for prep in _preps(tok, ("from",))
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for a in sent.args_of(pobj)
        if a.mention.kind == "name"
    ]
    if not sources or negated(tok):
        return
    targets = [a for a in sent.subjects(tok) if a.mention.kind == "name"]
    yield from found(sent, sources, RelType.BACKS, targets, "backs.raised_from", 0.8, trigger=tok)


def _round_led_by(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'raised $1 billion in a funding round led by Alibaba': the lead investor backs the raiser."""
    led = next((c for c in tok.children if c.lower_ in ("led", "co-led") and c.tag_ == "VBN"), None)
    if led is None:
        return
    sources = (
        _names_after(sent, led.i + 2)
        if led.i + 1 < sent.span.end and tok.doc[led.i + 1].lower_ == "by"
        else []
    )
    targets: list[Resolved] = [a for c in tok.children if c.dep_ == "poss" for a in sent.args_of(c)]
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    if not targets and verb.pos_ == "VERB" and verb.lemma_.lower() in RECEIVE_VERBS | {"close", "complete"}:
        targets = sent.subjects(verb)
    if sources and targets and not negated(verb):
        yield from found(sent, sources, RelType.BACKS, targets, "backs.round_led_by", 0.8, trigger=led)


def _whose_backers(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'MiniMax, whose investors include Alibaba and Tencent', '..., whose largest investor is X'."""
    doc = tok.doc
    if tok.i - 2 < sent.span.start or doc[tok.i - 1].text != ",":
        return
    backed = sent.at(doc[tok.i - 2])
    targets = [backed] if backed is not None else sent.args_of(doc[tok.i - 2])
    i = tok.i + 1
    saw = False
    while i < min(sent.span.end, tok.i + 5):
        if doc[i].lemma_.lower() in BACKER_NOUNS:
            saw = True
        if doc[i].lemma_.lower() in ("include", "be", "count"):
            break
        i += 1
    if not saw or i + 1 >= sent.span.end:
        return
    sources = _names_after(sent, i + 1)
    if targets and sources and not negated(doc[i]):
        yield from found(sent, sources, RelType.BACKS, targets, "backs.whose_backers", 0.8, trigger=doc[i])


def _among_backers(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Mistral counts General Catalyst and Nvidia among its investors'."""
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ != "among":
            continue
        nouns = [p for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in BACKER_NOUNS]
        if not nouns:
            continue
        sources = [a for c in tok.children if c.dep_ == "dobj" for a in sent.args_of(c)]
        targets = sent.subjects(tok)
        if sources and targets and not negated(tok):
            yield from found(sent, sources, RelType.BACKS, targets, "backs.among", 0.8, trigger=tok)


def _gave_funding(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'The Commerce Department agreed to give TSMC $6.6 billion in funding'."""
    recipients = [a for c in tok.children if c.dep_ in ("dative", "dobj") for a in sent.args_of(c)]
    if not recipients:
        return
    words = {t.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "prep") for t in c.subtree}
    if not words & GRANT_NOUNS:
        return
    sources = sent.subjects(tok)
    if sources and not negated(tok):
        yield from found(sent, sources, RelType.BACKS, recipients, "backs.gave_funding", 0.75, trigger=tok)


def _led_round(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Alibaba led Moonshot AI's $1 billion round', "whose Series B was led by X"."""
    targets = [
        a for c in tok.children if c.dep_ == "poss" for a in sent.args_of(c) if a.mention.kind == "name"
    ]
    if not targets and any(c.dep_ == "poss" and c.lower_ == "whose" for c in tok.children):
        doc = tok.doc
        whose = next(c for c in tok.children if c.dep_ == "poss")
        if whose.i - 2 >= sent.span.start and doc[whose.i - 1].text == ",":
            targets = [a for a in [sent.at(doc[whose.i - 2])] if a is not None]
    if not targets:
        return
    sources: list[Resolved] = []
    if tok.dep_ in ("dobj",) and tok.head.lemma_.lower() in LEAD_VERBS:
        sources = sent.subjects(tok.head)
    elif tok.dep_ in ("nsubjpass", "nsubj") and tok.head.lower_ == "led":
        by = next((c for c in tok.head.children if c.dep_ == "agent"), None)
        sources = [a for p in (by.children if by is not None else []) for a in sent.args_of(p)]
    if sources and not negated(tok.head):
        yield from found(sent, sources, RelType.BACKS, targets, "backs.led_round", 0.8, trigger=tok)


def _unit(sent: Sentence, tok: Token) -> Iterator[Found]:
    """ "Huawei's chip unit HiSilicon", "ByteDance's cloud arm, Volcano Engine", "X, a subsidiary of Y"."""
    parents = [
        a for c in tok.children if c.dep_ == "poss" for a in sent.args_of(c) if a.mention.kind == "name"
    ]
    parents += [
        a
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
        if a.mention.kind == "name"
    ]
    if not parents:
        return
    doc = tok.doc
    units: list[Resolved] = []
    nxt = tok.i + 1
    if nxt < sent.span.end and doc[nxt].text == ",":
        nxt += 1
    right = sent.at(doc[nxt]) if nxt < sent.span.end else None
    if right is not None and right.mention.kind == "name":
        units = [right]
    elif tok.dep_ == "appos":
        units = sent.args_of(tok.head)
    elif tok.dep_ == "attr":
        units = sent.subjects(tok.head)
    units = [u for u in units if u.entity.type in FIRM_TYPES]
    if units and not negated(tok):
        yield from found(sent, parents, RelType.BACKS, units, "backs.unit", 0.75, trigger=tok)


def _owns_share(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'SoftBank owns about 90% of Arm', 'Oracle holds close to a third of the company'."""
    for obj in tok.children:
        if obj.dep_ != "dobj" or not {t.lower_ for t in obj.subtree} & SHARE_WORDS:
            continue
        targets = [
            a
            for t in obj.subtree
            if t.dep_ == "prep" and t.lower_ in ("of", "in")
            for p in t.children
            if p.dep_ == "pobj"
            for a in sent.args_of(p)
        ]
        sources = sent.subjects(tok)
        if targets and sources and not negated(tok):
            yield from found(sent, sources, RelType.BACKS, targets, "backs.owns_share", 0.8, trigger=tok)
