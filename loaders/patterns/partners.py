"""PARTNERS_WITH: actors cooperating on a product, deal or programme.

- verbs: "Apple partners with Alibaba", "X teamed up with Y", "X and Y collaborate",
  "X could potentially partner with Y" (hedged)
- deals: "X signed a deal/agreement/partnership with Y", "X's partnership with Y",
  "a partnership between X and Y"
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import Found, Sentence, found, negated
from loaders.resolve import Resolved

PARTNER_VERBS = frozenset({"partner", "collaborate", "cooperate", "team", "ally", "join", "work"})
DEAL_NOUNS = frozenset(
    {
        "partnership",
        "deal",
        "agreement",
        "alliance",
        "collaboration",
        "cooperation",
        "pact",
        "tie-up",
        "venture",
        "contract",
        "memorandum",
    }
)
DEAL_VERBS = frozenset({"sign", "strike", "ink", "seal", "clinch", "reach", "form", "forge", "announce"})
"""Verbs whose object is a deal: "signed a deal with G42"."""
TALK_NOUNS = frozenset({"talk", "negotiation", "discussion"})
_NEEDS_PARTICLE = {"team": "up", "join": "forces", "work": "with"}
PARTNERS = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION})


def find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in PARTNER_VERBS:
            yield from _verb(sent, tok)
        elif tok.pos_ == "NOUN" and lemma in DEAL_NOUNS:
            yield from _deal(sent, tok)
        elif tok.pos_ == "NOUN" and lemma == "partner":
            yield from _partner_noun(sent, tok)
        if tok.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ == "jointly" for c in tok.children):
            yield from _jointly(sent, tok)


def _verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    lemma = tok.lemma_.lower()
    needed = _NEEDS_PARTICLE.get(lemma)
    if needed and not any(c.lower_ == needed for c in tok.children):
        return
    if negated(tok):
        return
    subjects = sent.subjects(tok) or _talks_subjects(sent, tok)
    others = _with(sent, tok)
    for c in tok.children:
        if c.lower_ in ("up", "forces", "together"):
            others.extend(_with(sent, c))
    if others:
        yield from _emit(sent, subjects, others, f"partners.verb.{lemma}", 0.8, tok)
    elif len(subjects) >= 2:
        for i, s in enumerate(subjects):
            yield from _emit(sent, [s], subjects[i + 1 :], f"partners.verb.{lemma}", 0.75, tok)


def _with(sent: Sentence, tok: Token) -> list[Resolved]:
    return [
        a
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ in ("with", "alongside")
        for p in prep.children
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
    ]


def _deal(sent: Sentence, tok: Token) -> Iterator[Found]:
    if negated(tok):
        return
    others = _with(sent, tok)
    between = [
        a
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ == "between"
        for p in prep.children
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
    ]
    if len(between) >= 2:
        for i, s in enumerate(between):
            yield from _emit(sent, [s], between[i + 1 :], "partners.deal.between", 0.75, tok)
        return
    if not others and tok.dep_ == "dobj" and tok.head.lemma_.lower() in DEAL_VERBS:
        others = _with(sent, tok.head)  # "signed a deal with G42": the parser hung "with" on the verb
    if not others:
        # "Google and Anthropic announced a partnership": the announcers are the partners
        verb = tok.head if tok.dep_ in ("dobj", "attr") else None
        if verb is not None and verb.lemma_.lower() in (
            "announce",
            "sign",
            "form",
            "strike",
            "unveil",
            "forge",
        ):
            announcers = sent.subjects(verb)
            for i, s in enumerate(announcers):
                yield from _emit(sent, [s], announcers[i + 1 :], "partners.deal.mutual", 0.7, tok)
        return
    parties: list[Resolved] = [a for c in tok.children if c.dep_ == "poss" for a in sent.args_of(c)]
    if not parties and tok.dep_ in ("dobj", "pobj", "attr"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        if verb.pos_ in ("VERB", "AUX"):
            parties = sent.subjects(verb)
    yield from _emit(sent, parties, others, "partners.deal", 0.75, tok)


def _emit(
    sent: Sentence, a: list[Resolved], b: list[Resolved], pattern: str, conf: float, tok: Token
) -> Iterator[Found]:
    yield from found(
        sent,
        a,
        RelType.PARTNERS_WITH,
        b,
        pattern,
        conf,
        trigger=tok,
        source_types=PARTNERS,
        target_types=PARTNERS,
    )


def _partner_noun(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X becomes Y's training partner', 'X, a partner of Y', "Y's partner X"."""
    if negated(tok):
        return
    others = [
        a
        for c in tok.children
        if c.dep_ == "poss" and c.lower_ not in ("its", "their")
        for a in sent.args_of(c)
    ]
    others += [a for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "to")
               for p in c.children if p.dep_ == "pobj" for a in sent.args_of(p)]  # fmt: skip
    as_own = tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.pos_ == "VERB"
    if not others and as_own:
        # "Apple chose Alibaba as its AI partner": "its" is the chooser, the partner the object
        verb = tok.head.head
        owners = [a for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")
                  for a in sent.subjects(verb)]  # fmt: skip
        chosen = [a for c in verb.children if c.dep_ == "dobj" for a in sent.args_of(c)]
        yield from _emit(sent, owners, chosen, "partners.partner_noun.as", 0.75, tok)
        return
    if not others:
        return
    parties: list[Resolved] = []
    if tok.dep_ == "appos":
        parties = sent.args_of(tok.head)
    elif tok.dep_ in ("attr", "oprd") or (tok.dep_ == "pobj" and tok.head.lower_ == "as"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        parties = sent.subjects(verb)
    elif tok.i + 1 < sent.span.end and sent.at(tok.doc[tok.i + 1]) is not None:
        parties = [a for a in [sent.at(tok.doc[tok.i + 1])] if a is not None]
    yield from _emit(sent, parties, others, "partners.partner_noun", 0.75, tok)


def _talks_subjects(sent: Sentence, tok: Token) -> list[Resolved]:
    """'Apple is in talks to partner with Baidu': the partner-to-be is whoever is in the talks."""
    if tok.dep_ not in ("acl", "relcl") or tok.head.lemma_.lower() not in TALK_NOUNS:
        return []
    cur = tok.head
    for _ in range(3):
        if cur.head.i == cur.i:
            return []
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return sent.subjects(cur)
    return []


def _jointly(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Foxconn and Nvidia will jointly develop servers': the joint doers partner."""
    if negated(tok):
        return
    doers = [a for a in sent.subjects(tok) if a.mention.kind == "name"]
    for i, s in enumerate(doers):
        yield from _emit(sent, [s], doers[i + 1 :], "partners.jointly", 0.7, tok)
