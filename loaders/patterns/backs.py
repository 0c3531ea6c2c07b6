"""BACKS still read here, not yet as frames: holder nouns and a stake with no holding named.

- a stake with no holding named: "KKR also has a stake" (in the holding the text is about)
- holder nouns: "OpenAI investor Microsoft", "X, an investor in Y", "one of Y's largest shareholders",
  "Among its largest shareholders is X", "X is the majority owner" / "another big holder" (of the
  firm the sentences before were about), "TikTok's parent company ByteDance"

Every other BACKS construction is a frame in `loaders/frames/tables/backs.yaml`. The source is
always the one putting money in. A negated trigger and backing put in the past ("no longer",
"a former investor") yield nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.frames import engine as frames
from loaders.frames.backers import (
    ROUND_NOUNS,
    disposed,
    recent_backer,
    recent_raiser,
    round_raiser,
    stake_holder,
)
from loaders.patterns.base import (
    Found,
    Sentence,
    chain,
    found,
    negated,
)
from loaders.resolve import Resolved

STAKE_NOUNS = frozenset(
    {"stake", "investment", "interest", "shareholding", "holding", "position", "round", "series"}
)
BACKER_NOUNS = frozenset(
    {"investor", "backer", "shareholder", "owner", "parent", "funder", "financier", "holder", "participant"}
)
_LAPSED_ADVERBS = frozenset({"formerly", "previously", "once"})
_FORMER = frozenset({"former", "ex", "erstwhile", "onetime", "one-time"})


def _off(tok: Token) -> bool:
    """Backing the sentence denies or puts in the past: "did not invest", "no longer owns",
    "formerly owned by", "a former investor", "its former unit"."""
    if negated(tok):
        return True
    for t in chain(tok, 3):
        for c in t.children:
            if c.dep_ == "advmod" and c.tag_ == "RB" and c.lower_ in _LAPSED_ADVERBS:
                return True
            if c.dep_ == "advmod" and c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return True
            if c.dep_ in ("amod", "compound") and c.lower_ in _FORMER and t.pos_ == "NOUN":
                return True
    return False


def find(sent: Sentence) -> Iterator[Found]:
    for hit in _find(sent):
        # Money goes into firms and bodies; "invest $500 billion in the United States" is a place.
        if hit.target.type is not NodeType.GOVERNMENT or "-" in hit.target.id.partition(":")[2]:
            yield hit


def _find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lemma in STAKE_NOUNS:
            yield from _stake(sent, tok)  # "whose Series B was led by X"
        elif tok.pos_ == "NOUN" and lemma in BACKER_NOUNS:
            yield from _backer_noun(sent, tok)


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


def _stake(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'KKR also has a stake': a stake with no holding named is in the firm the text is about."""
    if (
        tok.lemma_.lower() != "stake"
        or tok.dep_ != "dobj"
        or any(c.dep_ == "prep" and c.lower_ in ("in", "into") for c in tok.children)
    ):
        return
    if tok.head.lemma_.lower() not in ("have", "hold", "own", "keep", "retain"):
        return
    targets = _salient_firm(sent, tok.head)
    sources = stake_holder(sent, tok)
    if targets and sources and not _off(tok) and not disposed(tok):
        yield from found(sent, sources, RelType.BACKS, targets, "backs.stake", 0.8, trigger=tok)


_SIZE_WORDS = frozenset(
    "majority controlling largest biggest big major another key significant main principal sole".split()
)


def _sized_holding(tok: Token) -> bool:
    """A holder noun sized like an ownership: "the majority owner", "another big holder"."""
    if any(c.dep_ == "prep" for c in tok.children):
        return False  # "the largest holder of patents", "the biggest investor in AI": named its holding
    return any(c.dep_ in ("amod", "compound", "det") and c.lower_ in _SIZE_WORDS for c in tok.children)


def _salient_firm(sent: Sentence, verb: Token) -> list[Resolved]:
    """The holding a bare "another big holder" or "also has a stake" continues.

    First the firm the sentences just before said was backed (a list of holders goes on), else
    the company the text is about, if one stands out; never the verb's own subject or a firm
    just presented as the buyer.
    """
    subjects = {a.entity.id for a in sent.subjects(verb)}
    held = _recently_backed(sent)
    if held is not None:
        return [h for h in held if h.entity.id not in subjects]
    firm = sent.salient(frozenset({NodeType.COMPANY})) or _previous_subject_firm(sent)
    if firm is None:
        return []
    return [] if firm.entity.id in subjects or recent_backer(sent, firm) else [firm]


_LOOKING_BACK: ContextVar[bool] = ContextVar("_LOOKING_BACK", default=False)
"""Set while re-reading earlier sentences, so a look back never looks further back."""


def _recently_backed(sent: Sentence) -> list[Resolved] | None:
    """The one firm the two sentences before were read as backed, most recent first.

    None when they backed no one; [] when they backed several (no telling which one goes on).
    """
    if _LOOKING_BACK.get():
        return None
    token = _LOOKING_BACK.set(True)
    try:
        for prev in reversed(sent.previous[-2:]):
            # what the frames read there too: most BACKS constructions now live in the tables
            framed = (h for h in frames.find(prev) if h.type is RelType.BACKS)
            held = {h.target.id for h in (*_find(prev), *framed)}
            if len(held) == 1:
                (only,) = held
                return [a for a in [*prev.args, *sent.context] if a.entity.id == only][:1]
            if held:
                return []
    finally:
        _LOOKING_BACK.reset(token)
    return None


def _previous_subject_firm(sent: Sentence) -> Resolved | None:
    """The named firm the sentence just before is about (its main clause's subject), if exactly one.

    The plainest antecedent of "its" when salience ties: "ByteDance says ... . Among its largest
    shareholders is X."
    """
    if not sent.previous:
        return None
    prev = sent.previous[-1]
    firms = [
        a
        for a in prev.subjects(prev.span.root)
        if a.mention.kind == "name" and a.entity.type is NodeType.COMPANY
    ]
    return firms[0] if len({a.entity.id for a in firms}) == 1 else None


def _its_firm(sent: Sentence, its: Token) -> list[Resolved]:
    """'its' opening a sentence whose antecedent salience could not settle: the last subject firm."""
    if its.lower_ != "its" or any(sent.at(t) is not None for t in sent.span if t.i < its.i):
        return []
    firm = _previous_subject_firm(sent)
    return [firm] if firm is not None else []


_HOLDER_HEADS = frozenset({"company", "firm", "group", "fund"})
"""Nouns a backer noun may modify while still naming the backer: "parent company", "investor group"."""


def _backer_noun(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'OpenAI investor Microsoft', 'X, an investor in Y', 'Y's backers include X'."""
    if tok.dep_ == "compound" and tok.head.i == tok.i + 1 and tok.head.lemma_.lower() in _HOLDER_HEADS:
        tok = tok.head  # "TikTok's parent company ByteDance": the phrase is headed by "company"
    targets: list[Resolved] = []
    for c in tok.children:
        if c.dep_ in ("compound", "poss") and sent.at(c) is not None and c.i < tok.i:
            targets.extend(sent.args_of(c))
        elif c.dep_ == "poss" and c.lower_ in ("its", "their"):
            targets.extend(sent.pronoun(c) or _its_firm(sent, c))
        elif c.dep_ == "prep" and c.lower_ in ("in", "of", "behind"):
            for prep in (c, *c.conjuncts):  # "shareholders in Baichuan and in Zhipu AI"
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        targets.extend(sent.args_of(pobj))
                        if pobj.lemma_.lower() in ROUND_NOUNS | {"raise", "funding", "financing"}:
                            targets.extend(round_raiser(sent, pobj))  # "investors in the round"
    if not targets and tok.dep_ == "nsubj" and tok.head.lemma_.lower() == "include" and not _has_owner(tok):
        targets = recent_raiser(sent)  # "xAI raised $6 billion. Key investors include X and Y."
    if not targets and _sized_holding(tok) and tok.dep_ == "attr" and tok.head.lemma_ == "be":
        # "Carlyle is the majority owner", "General Atlantic is another big holder": of the firm
        # the text is about, when one stands out
        targets = _salient_firm(sent, tok.head)
    if not targets:
        return
    sources: list[Resolved] = []
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "among" and head.head.lemma_ == "be":
        # "Among its largest shareholders is Susquehanna"
        sources = [a for c in head.head.children if c.dep_ in ("nsubj", "attr") for a in sent.args_of(c)]
        if sources and not _off(tok):
            yield from found(sent, sources, RelType.BACKS, targets, "backs.backer", 0.8, trigger=tok)
        return
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in ("one", "some", "two", "three"):
        # "Nvidia is one of Groq's largest shareholders", "Susquehanna, one of its biggest investors,"
        tok, head = head.head, head.head.head
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
    if not sources or _off(tok):
        return
    yield from found(sent, sources, RelType.BACKS, targets, "backs.backer", 0.8, trigger=tok)


def _has_owner(tok: Token) -> bool:
    return any(c.dep_ in ("poss", "compound", "prep") for c in tok.children)
