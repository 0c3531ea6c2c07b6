"""Readers for holder nouns (BACKS frames `backs.holder_noun`, `backs.bare_stake`).

"Acme investor Globex", "Globex, an investor in Acme", "one of Acme's largest shareholders",
"Among its largest shareholders is Globex", "Acme's parent company Globex": the holder noun names
its holding (a modifier, a possessor, an in/of/behind phrase) and its holder (the name it is
apposed to or glued to, the subject it is said of). A holder sized like an ownership with no holding
named ("Globex is the majority owner", "another big holder") and a stake with none ("Globex also
has a stake") hold the firm the sentences before were about.
"""

from __future__ import annotations

from contextvars import ContextVar

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.frames.backers import ROUND_NOUNS, recent_backer, recent_raiser, round_raiser
from loaders.patterns.base import Sentence, chain, negated
from loaders.resolve import Resolved

_HOLDER_HEADS = frozenset({"company", "firm", "group", "fund"})
"""Nouns a holder noun may modify while still naming the holder: "parent company", "investor group"."""
_RAISE_NOUNS = ROUND_NOUNS | {"raise", "funding", "financing"}
_SIZE_WORDS = frozenset(
    "majority controlling largest biggest big major another key significant main principal sole".split()
)
_LAPSED_ADVERBS = frozenset({"formerly", "previously", "once"})
_FORMER = frozenset({"former", "ex", "erstwhile", "onetime", "one-time"})
_KEEP_VERBS = frozenset({"have", "hold", "own", "keep", "retain"})
_COUNTS = frozenset({"one", "some", "two", "three"})


def lapsed(tok: Token, _: str = "") -> bool:
    """Check: backing the sentence denies or puts in the past ("no longer owns", "formerly owned
    by", "a former investor")."""
    if negated(tok):
        return True
    return any(_lapsing(t, c) for t in chain(tok, 3) for c in t.children)


def _lapsing(t: Token, c: Token) -> bool:
    if c.dep_ == "advmod" and c.tag_ == "RB" and c.lower_ in _LAPSED_ADVERBS:
        return True
    if c.dep_ == "advmod" and c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
        return True
    return c.dep_ in ("amod", "compound") and c.lower_ in _FORMER and t.pos_ == "NOUN"


def _fundable(arg: Resolved) -> bool:
    """Money goes into firms and bodies; "invest $500 billion in the United States" is a place."""
    return arg.entity.type is not NodeType.GOVERNMENT or "-" in arg.entity.id.partition(":")[2]


def _phrase(tok: Token) -> Token:
    """The noun heading the holder phrase: "TikTok's parent company ByteDance" is headed by "company"."""
    if tok.dep_ == "compound" and tok.head.i == tok.i + 1 and tok.head.lemma_.lower() in _HOLDER_HEADS:
        return tok.head
    return tok


def holding(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Role: what a holder noun holds (written on it, else implied by the passage)."""
    noun = _phrase(tok)
    targets = [a for c in noun.children for a in _holding_of(sent, noun, c)] or _implied(sent, noun)
    return [t for t in targets if _fundable(t)]


def _holding_of(sent: Sentence, noun: Token, c: Token) -> list[Resolved]:
    """ "Acme investor", "Acme's investors", "its investors", "investors in/of/behind Acme"."""
    if c.dep_ in ("compound", "poss") and sent.at(c) is not None and c.i < noun.i:
        return sent.args_of(c)
    if c.dep_ == "poss" and c.lower_ in ("its", "their"):
        return sent.pronoun(c) or _its_firm(sent, c)
    if c.dep_ == "prep" and c.lower_ in ("in", "of", "behind"):
        return _prep_holdings(sent, c)
    return []


def _prep_holdings(sent: Sentence, prep: Token) -> list[Resolved]:
    """ "shareholders in Acme and in Globex", "investors in the round" (its raiser)."""
    out: list[Resolved] = []
    for p in (prep, *prep.conjuncts):
        for pobj in p.children:
            if pobj.dep_ == "pobj":
                out.extend(sent.args_of(pobj))
                if pobj.lemma_.lower() in _RAISE_NOUNS:
                    out.extend(round_raiser(sent, pobj))
    return out


def _implied(sent: Sentence, noun: Token) -> list[Resolved]:
    """ "Acme raised $6 billion. Key investors include X": the raiser; "X is the majority owner":
    the firm the text is about."""
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() == "include" and not _has_owner(noun):
        return recent_raiser(sent)
    if _sized_holding(noun) and noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return salient_firm(sent, noun.head)
    return []


def _has_owner(tok: Token) -> bool:
    return any(c.dep_ in ("poss", "compound", "prep") for c in tok.children)


def _sized_holding(tok: Token) -> bool:
    """A holder noun sized like an ownership: "the majority owner", "another big holder"."""
    if any(c.dep_ == "prep" for c in tok.children):
        return False  # "the largest holder of patents", "the biggest investor in AI": named its holding
    return any(c.dep_ in ("amod", "compound", "det") and c.lower_ in _SIZE_WORDS for c in tok.children)


def holder(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Role: who a holder noun says holds: "Among its largest shareholders is X", "X, one of Acme's
    biggest investors", "X is an investor in Acme", "Acme investor X"."""
    noun = _phrase(tok)
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "among" and head.head.lemma_ == "be":
        return [a for c in head.head.children if c.dep_ in ("nsubj", "attr") for a in sent.args_of(c)]
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _COUNTS:
        noun, head = head.head, head.head.head  # "X is one of Acme's largest shareholders"
    return _holder_at(sent, noun, head)


def _holder_at(sent: Sentence, noun: Token, head: Token) -> list[Resolved]:
    if noun.dep_ == "appos":
        return sent.args_of(head)
    if noun.dep_ == "attr" and head.lemma_ in ("be", "remain", "become"):
        return sent.subjects(head)
    if noun.dep_ == "oprd":  # "the deal makes Acme the largest shareholder in Globex"
        return [a for c in head.children if c.dep_ == "dobj" for a in sent.args_of(c)]
    return _named_with(sent, noun, head)


def _named_with(sent: Sentence, noun: Token, head: Token) -> list[Resolved]:
    """The holder written around the noun: "Globex investor Acme", "Globex's investors include Acme"."""
    if noun.dep_ == "compound" and sent.at(head) is not None:
        return sent.args_of(head)
    if noun.dep_ == "nsubj" and head.lemma_.lower() in ("include", "be"):
        return [a for c in head.children if c.dep_ in ("dobj", "attr") for a in sent.args_of(c)]
    # "Globex investor Acme" parsed with Acme heading a flat name phrase, or "Globex's two major
    # investors, Acme and Initech"
    apposed = [a for c in noun.children if c.dep_ == "appos" for a in sent.args_of(c)]
    return _next_name(sent, noun.i + 1) or apposed


def _next_name(sent: Sentence, i: int) -> list[Resolved]:
    """The name right after the noun, if one follows at once."""
    if i >= sent.span.end:
        return []
    arg = sent.at(sent.span.doc[i])
    return [arg] if arg is not None and arg.mention.kind == "name" else []


def kept_stake(tok: Token, _: str = "") -> bool:
    """Check: a stake had, held or kept, with no holding named ("Acme also has a stake")."""
    return (
        tok.dep_ == "dobj"
        and tok.head.lemma_.lower() in _KEEP_VERBS
        and not any(c.dep_ == "prep" and c.lower_ in ("in", "into") for c in tok.children)
    )


def stake_firm(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Role: the firm a stake with no holding named is in (see `salient_firm`)."""
    return [t for t in salient_firm(sent, tok.head) if _fundable(t)]


def salient_firm(sent: Sentence, verb: Token) -> list[Resolved]:
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
    """The one firm the two sentences before were read as backed (by the frames), most recent first.

    None when they backed no one; [] when they backed several (no telling which one goes on).
    """
    if _LOOKING_BACK.get():
        return None
    from loaders.frames import engine  # the engine reads through these roles: imported on use

    token = _LOOKING_BACK.set(True)
    try:
        for prev in reversed(sent.previous[-2:]):
            held = {h.target.id for h in engine.find(prev) if h.type is RelType.BACKS}
            if held:
                return _one_of(sent, prev, held)
    finally:
        _LOOKING_BACK.reset(token)
    return None


def _one_of(sent: Sentence, prev: Sentence, held: set[str]) -> list[Resolved]:
    if len(held) != 1:
        return []
    (only,) = held
    return [a for a in [*prev.args, *sent.context] if a.entity.id == only][:1]


def _previous_subject_firm(sent: Sentence) -> Resolved | None:
    """The named firm the sentence just before is about (its main clause's subject), if exactly one.

    The plainest antecedent of "its" when salience ties: "Acme says ... . Among its largest
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
