"""The named conditions a frame may require of its trigger, each a small predicate.

A check is written `name` or `name:argument`; an argument names a word class of the lexicon.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from spacy.tokens import Token

from loaders.discourse import chain
from loaders.frames import backers, located, restricted, roles
from loaders.frames.roles import governor, is_passive
from loaders.frames.tables import lexicon

Check = Callable[[Token, str], bool]


def word_in(tok: Token, cls: str) -> bool:
    """The word itself is of the class: anchored, a particle ("prt.word_in:rival_particles")."""
    words = lexicon().words(cls)
    return tok.lemma_.lower() in words or tok.lower_ in words


def _child_in(*deps: str) -> Check:
    """A check that one of the word's children with these labels is a word of the class."""

    def check(tok: Token, cls: str) -> bool:
        return any(c.dep_ in deps and word_in(c, cls) for c in tok.children)

    return check


def firm_noun(tok: Token, _: str = "") -> bool:
    """The word describes a firm (`described_nouns`, "start-up" split in three words included)."""
    return located.is_firm_noun(tok)


def near_in(tok: Token, cls: str) -> bool:
    """The word hangs on, or has under it, a word of the class ("asserting control", "took control")."""
    return word_in(tok.head, cls) or any(word_in(c, cls) for c in tok.children)


def governor_in(tok: Token, cls: str) -> bool:
    """A noun trigger is the object of a verb of the class ("imposed curbs")."""
    gov = governor(tok)
    return gov is not None and word_in(gov, cls)


def head_in(tok: Token, cls: str) -> bool:
    """The trigger hangs on a word of the class ("orders banning X", "plans to support")."""
    return tok.head.i != tok.i and word_in(tok.head, cls)


def xcomp_negated(tok: Token, _: str = "") -> bool:
    """The verb's infinitive is negated: "told X not to offer"."""
    return any(c.dep_ == "xcomp" and any(g.dep_ == "neg" for g in c.children) for c in tok.children)


def xcomp_object_in(tok: Token, cls: str) -> bool:
    """The verb's infinitive has an object of the class: "require X to obtain licences"."""
    return any(
        c.dep_ == "xcomp" and any(g.dep_ == "dobj" and word_in(g, cls) for g in c.children)
        for c in tok.children
    )


def passive(tok: Token, _: str = "") -> bool:
    """The trigger is a passive verb."""
    return is_passive(tok)


def active(tok: Token, _: str = "") -> bool:
    """The trigger is not a passive verb."""
    return not is_passive(tok)


def has_prep(tok: Token, preps: str) -> bool:
    """The word has one of these prepositions ("has_prep:to|for")."""
    wanted = set(preps.split("|"))
    return any(c.dep_ == "prep" and c.lower_ in wanted for c in tok.children)


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
    for t in chain(tok, 3):
        if any(c.dep_ in ("aux", "mark") and c.lower_ in words for c in t.children):
            return False
    return True


def agentless(tok: Token, _: str = "") -> bool:
    """The verb has no 'by' phrase ("Acme has been restricted from ...")."""
    return not any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by") for c in tok.children)


def recent(tok: Token, cls: str) -> bool:
    """A word of the class is in this sentence or the two before it (the topic of the passage)."""
    words = lexicon().words(cls)
    doc, start = tok.doc, tok.sent.start
    for _hop in range(2):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return any(t.lemma_.lower() in words for t in doc[start : tok.sent.end])


def lacks_prep(tok: Token, preps: str) -> bool:
    """The word has none of these prepositions ("lacks_prep:with|alongside")."""
    return not has_prep(tok, preps)


def pobj_in(tok: Token, cls: str) -> bool:
    """An object of a preposition on the word is a word of the class ("added X to its blacklist")."""
    return any(
        c.dep_ == "prep" and any(p.dep_ == "pobj" and word_in(p, cls) for p in c.children)
        for c in tok.children
    )


def in_clause(tok: Token, _: str = "") -> bool:
    """The verb heads a clause of its own, not a participle on a noun ("firms blacklisted in 2019")."""
    return tok.dep_ not in ("acl", "amod")


def followed_by(tok: Token, words: str) -> bool:
    """The next word is one of these ("followed_by:by": "backed by")."""
    nxt = tok.i + 1
    return nxt < len(tok.doc) and tok.doc[nxt].lower_ in words.split("|")


def apposition(tok: Token, _: str = "") -> bool:
    """The word stands in apposition to the noun before it ("Jane Roe, a professor at Acme")."""
    return tok.dep_ == "appos"


CHECKS: dict[str, Check] = {
    "subject_in": _child_in("nsubj", "nsubjpass"),  # its subject is of the class: "Investors include"
    "object_in": _child_in("dobj", "attr"),  # a direct object is: "received a grant"
    "governor_in": governor_in,
    "head_in": head_in,
    "near_in": near_in,
    "xcomp_negated": xcomp_negated,
    "xcomp_in": _child_in("xcomp"),  # its infinitive is: "ordered X to stop selling"
    "xcomp_object_in": xcomp_object_in,
    "passive": passive,
    "active": active,
    "has_prep": has_prep,
    "lacks_prep": lacks_prep,
    "pobj_in": pobj_in,
    "modifier_in": _child_in("compound", "amod", "nmod"),  # a word on the noun is: "export rules"
    "agentless": agentless,
    "factual": factual,
    "object_money": object_money,
    "recent": recent,
    "firm_noun": firm_noun,
    "word_in": word_in,
    "particle": restricted.particle,
    "unhedged": restricted.unhedged,
    "in_clause": in_clause,
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
    "apposition": apposition,
}


def known(check: str) -> bool:
    """Whether a check string names an existing check (and anchors) with a valid argument."""
    anchors, name, argument = roles.parse_spec(check.removeprefix("!"))
    if name not in CHECKS or any(a not in roles.ANCHORS for a in anchors):
        return False
    if "cls" in inspect.signature(CHECKS[name]).parameters:
        lexicon().words(argument)  # a check whose argument is named `cls` takes a word class
    return True


def holds(check: str, tok: Token) -> bool:
    """Whether the named check holds for the trigger (for each anchored word, when anchored); a
    check written `!check` holds when that check does not ("!modifier_in:backs_failed_words")."""
    if check.startswith("!"):
        return not holds(check[1:], tok)
    anchors, name, argument = roles.parse_spec(check)
    words = roles.anchored(anchors, tok)
    return bool(words) and all(CHECKS[name](w, argument) for w in words)
