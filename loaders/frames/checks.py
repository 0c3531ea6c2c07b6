"""The named conditions a frame may require of its trigger, each a small predicate.

A check is written `[!][anchor.]...name[:argument]`: an argument names a word class of the lexicon
(or the words or labels to look for); anchors (`roles.ANCHORS`) move to other words first, and the
check holds when it holds for one of them; `!` asks that it does not hold. `SHORTHANDS` names the
common anchored checks ("head_in:copulas" is "head.word_in:copulas").
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from spacy.tokens import Token

from loaders.discourse import chain
from loaders.frames import backers, located, restricted, roles
from loaders.frames.roles import is_passive
from loaders.frames.tables import in_class, lexicon

Check = Callable[[Token, str], bool]


def firm_noun(tok: Token, _: str = "") -> bool:
    """The word describes a firm (`described_nouns`, "start-up" split in three words included)."""
    return located.is_firm_noun(tok)


def near_in(tok: Token, cls: str) -> bool:
    """The word hangs on, or has under it, a word of the class ("asserting control", "took control")."""
    return in_class(tok.head, cls) or any(in_class(c, cls) for c in tok.children)


def xcomp_negated(tok: Token, _: str = "") -> bool:
    """The verb's infinitive is negated: "told X not to offer"."""
    return any(c.dep_ == "xcomp" and any(g.dep_ == "neg" for g in c.children) for c in tok.children)


def passive(tok: Token, _: str = "") -> bool:
    """The trigger is a passive verb."""
    return is_passive(tok)


def has_prep(tok: Token, preps: str) -> bool:
    """The word has one of these prepositions ("has_prep:to|for"; a passive's 'by' too)."""
    return any(c.dep_ in ("prep", "agent") and c.lower_ in preps.split("|") for c in tok.children)


def object_money(tok: Token, _: str = "") -> bool:
    """The direct object is an amount of money ("receive $6 billion", "10 billion yuan", "two
    billion euros", which the model does not always label as money)."""
    return any(
        c.dep_ == "dobj" and (backers.is_money(c) or any(t.tag_ == "$" for t in c.subtree))
        for c in tok.children
    )


def factual(tok: Token, _: str = "") -> bool:
    """Stated as fact: no would/could/might on the verb, no 'if'/'unless' clause on it or above it."""
    words = lexicon().words("conditional_words")
    return not any(c.dep_ in ("aux", "mark") and c.lower_ in words for t in chain(tok, 3) for c in t.children)


def recent(tok: Token, cls: str) -> bool:
    """A word of the class is in this sentence or the two before it (the topic of the passage)."""
    words = lexicon().words(cls)
    doc, start = tok.doc, tok.sent.start
    for _hop in range(2):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return any(t.lemma_.lower() in words for t in doc[start : tok.sent.end])


def followed_by(tok: Token, words: str) -> bool:
    """The next word is one of these ("followed_by:by": "backed by")."""
    nxt = tok.i + 1
    return nxt < len(tok.doc) and tok.doc[nxt].lower_ in words.split("|")


def dep(tok: Token, labels: str) -> bool:
    """The word's own label in the parse is one of these ("dep:appos": "Jane Roe, a professor at Acme")."""
    return tok.dep_ in labels.split("|")


CHECKS: dict[str, Check] = {
    "near_in": near_in,
    "xcomp_negated": xcomp_negated,
    "passive": passive,
    "has_prep": has_prep,
    "factual": factual,
    "object_money": object_money,
    "recent": recent,
    "firm_noun": firm_noun,
    "word_in": in_class,  # the word itself is of the class; anchored: "prt.word_in:rival_particles"
    "particle": restricted.particle,
    "unhedged": restricted.unhedged,
    "on_blacklist": restricted.on_blacklist,
    "comp_in": restricted.comp_in,
    "as_in": restricted.as_in,
    "from_doing": restricted.from_doing,
    "moves_goods": restricted.moves_goods,
    "deadline_to_sell": restricted.deadline_to_sell,
    "is_subject": restricted.is_subject,
    "glued": backers.glued,
    "followed_by": followed_by,
    "round": backers.is_round,
    "funds": backers.funds,
    "disposed": backers.disposed,
    "dep": dep,
}

SHORTHANDS: dict[str, str] = {
    "subject_in": "subj.word_in",  # its subject is of the class: "Investors include"
    "object_in": "object.word_in",  # a direct object is: "received a grant"
    "governor_in": "governor.word_in",  # a noun trigger is the object of such a verb: "imposed curbs"
    "head_in": "head.word_in",  # the trigger hangs on such a word: "orders banning X", "plans to support"
    "xcomp_in": "comp.word_in",  # its infinitive is: "ordered X to stop selling"
    "xcomp_object_in": "comp.object.word_in",  # its infinitive's object is: "require X to obtain licences"
    "pobj_in": "nested.word_in",  # an object of a preposition on it is: "added X to its blacklist"
    "modifier_in": "modifier.word_in",  # a word on the noun is: "export rules"
    "active": "!passive",
    "lacks_prep": "!has_prep",  # none of these prepositions: "lacks_prep:with|alongside"
    "agentless": "!has_prep:by",  # no 'by' phrase: "Acme has been restricted from ..."
    "in_clause": "!dep:acl|amod",  # a clause of its own, not a participle: "firms blacklisted in 2019"
    "apposition": "dep:appos",  # in apposition to the noun before it: "Jane Roe, a professor at Acme"
}
"""Checks written as another, anchored or negated: `x.lacks_prep:by` is `!x.has_prep:by` (no word
the anchor finds has it)."""


def _expand(check: str) -> tuple[bool, str]:
    """A check as (negated, `[anchor.]...name[:argument]`), its shorthand written out."""
    negated, spec = check.startswith("!"), check.removeprefix("!")
    anchors, name, argument = roles.parse_spec(spec)
    if name in SHORTHANDS:
        full = SHORTHANDS[name]
        negated ^= full.startswith("!")
        spec = ".".join([*anchors, full.removeprefix("!")]) + (f":{argument}" if argument else "")
    return negated, spec


def known(check: str) -> bool:
    """Whether a check string names an existing check (and anchors) with a valid argument."""
    anchors, name, argument = roles.parse_spec(_expand(check)[1])
    if name not in CHECKS or any(a not in roles.ANCHORS for a in anchors):
        return False
    if "cls" in inspect.signature(CHECKS[name]).parameters:
        lexicon().words(argument)  # a check whose argument is named `cls` takes a word class
    return True


def holds(check: str, tok: Token) -> bool:
    """Whether the named check holds for the trigger (for some anchored word, when anchored); a
    check written `!check` holds when that check does not ("!modifier_in:backs_failed_words")."""
    negated, spec = _expand(check)
    anchors, name, argument = roles.parse_spec(spec)
    return negated != any(CHECKS[name](w, argument) for w in roles.anchored(anchors, tok))
