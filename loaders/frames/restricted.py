"""RESTRICTS readers: whom a restricting verb falls on and who takes the measure.

- `enactor`: who takes the measure a verb states (its subject, the owner of a measure noun that is
  its subject, "U.S. efforts to curb ..." -> the US, "new rules restricting ..." -> their issuer);
- `restricted`: the actors an object phrase points at ("Chinese users", "sales of chips to China",
  "the Chinese telecom giant", "access to its API from China");
- `restricted_objects`: the objects of an active restricting verb with its to/on/against/from
  phrases and the owner of banned goods ("banned its chips"); `restricted_subjects`: the subject
  of a passive one and what it is barred from ("barred from selling to X");
- `measure_agent`, `under_measure`, `salient_enactor`: the source of a passive measure, by its
  'by' phrase, the owner of the measure it is under ("under US export controls"), or the
  government the passage is about (a measure named just before as "the rule" is its issuer's).
"""

from __future__ import annotations

from spacy.tokens import Token

from loaders.patterns import restricts as old
from loaders.patterns.base import Sentence, hedged
from loaders.resolve import Resolved

_FROM_VERBS = frozenset({"cut", "exclude", "ban", "bar", "block", "prohibit", "restrict", "forbid"})
"""Verbs whose "from" phrase names whom the measure keeps out: "banned Acme from selling to X"."""
_WEAK_VERBS = frozenset({"cut", "suspend", "halt", "deny", "exclude", "limit"})
"""Verbs that restrict only when their object is access, supply or service (not "cut costs")."""
_PARTICLES = {"cut": "off", "shut": "out"}


def enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who takes the measure the verb states."""
    return old._enactors(sent, tok)


def restricted(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors an object phrase points at."""
    return old._object_args(sent, tok)


def restricted_objects(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom an active restricting verb falls on (a weak verb only with access or trade words)."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    if _weak_use(sent, tok, objects):
        return []
    if not objects:
        return [a for a in sent.surface_objects(tok) if a.mention.kind in ("name", "demonym")]
    out = [a for o in objects for a in old._object_args(sent, o)]
    if not out:
        out = [a for o in objects for a in old._under_measure_subjects(sent, tok, o)]
    if not out and tok.dep_ == "advcl" and old._mentions_words(objects, old._EXPORT_WORDS):
        out = old._campaign_targets(sent, tok)
    out += _goods_owners(sent, tok, objects)
    return out + _kept_out(sent, tok, objects)


def _weak_use(sent: Sentence, tok: Token, objects: list[Token]) -> bool:
    """A weak verb on neither access, supply or service nor an actor: "limited its losses"."""
    lemma = tok.lemma_.lower()
    if lemma not in _WEAK_VERBS or lemma in _PARTICLES:
        return False
    trade = old._ACCESS_WORDS | old._EXPORT_WORDS
    return not old._mentions_words(objects, trade) and not any(sent.at(o) is not None for o in objects)


def _goods_owners(sent: Sentence, tok: Token, objects: list[Token]) -> list[Resolved]:
    """The maker of banned goods ("barring its chips from critical networks") is the one kept out."""
    return [
        a
        for o in objects
        if o.lemma_.lower() in old._GOODS
        for c in o.children
        if c.dep_ == "poss" and c.lower_ in ("its", "their")
        for a in old._goods_owner(sent, tok, c)
    ]


def _kept_out(sent: Sentence, tok: Token, objects: list[Token]) -> list[Resolved]:
    """The verb's in/to/on/against phrases, and 'from' where it names whom the measure keeps out."""
    from_ok = tok.lemma_.lower() in _FROM_VERBS or any(o.lower_ in old._FROM_OK for o in objects)
    out: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "to", "on", "against", "from"):
            continue
        if prep.lower_ == "from" and not from_ok:
            continue
        for p in prep.children:
            if p.dep_ == "pobj":
                out.extend(old._object_args(sent, p))
            elif p.dep_ == "pcomp":  # "banned Nvidia from selling chips to China"
                out.extend(old._pcomp_targets(sent, p))
    return out


def restricted_subjects(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom a passive restricting verb falls on, and what it is barred from reaching."""
    out = [a for c in tok.children if c.dep_ in ("nsubjpass", "nsubj") for a in old._object_args(sent, c)]
    if tok.dep_ == "acl" and not out:
        out = sent.args_of(tok.head)
    # "barred from acquiring stakes in Chinese firms": what the barred party may not reach
    return out + old._barred_from(sent, tok)


def measure_agent(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors of a passive verb's 'by' phrase."""
    return [a for c in tok.children if c.dep_ == "agent" for p in c.children for a in sent.args_of(p)]


def under_measure(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The owner of the measure a clause is under: "barred ... under US export controls" -> the US."""
    return old._under_measure(sent, tok)


def salient_enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The government the passage is about (not one state of a list), else the issuer of the
    ownerless "the rule" the sentences around speak of."""
    return old._salient_enactor(sent) or old._measure_author(sent)


def is_passive(tok: Token) -> bool:
    """A passive restricting verb: an auxiliary or 'by' phrase, or a participle on a noun."""
    return any(c.dep_ in ("auxpass", "agent") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod")
    )


def has_particle(tok: Token) -> bool:
    """'cut X off', 'shut X out': the verbs that restrict only with their particle have it."""
    particle = _PARTICLES.get(tok.lemma_.lower())
    return particle is None or any(c.dep_ in ("prt", "prep") and c.lower_ == particle for c in tok.children)


def unhedged(tok: Token) -> bool:
    """Neither hedged nor the consequence of an 'if'/'unless' clause."""
    return not hedged(tok) and not old._conditional(tok)


def conditional(tok: Token) -> bool:
    """The consequence of an 'if'/'unless' clause: "if no deal is done, X would be barred"."""
    return old._conditional(tok)


def not_own_people(sources: list[Resolved], targets: list[Resolved]) -> list[Resolved]:
    """A state (or its agency) limiting its own people ("bars American investors") is no target."""
    return [t for t in targets if not (t.mention.kind == "demonym" and old._same_state(sources, t))]
