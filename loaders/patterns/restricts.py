"""RESTRICTS (and the policy behind it): who limits whose access to technology, markets or services.

- verbs: "OpenAI blocks Chinese users", "the US is trying to restrict China's access to chips",
  "Washington banned Huawei", "plans to restrict access to its tools in China"
- nominalisations: "restrictions on the export of chips to China", "a ban on Huawei",
  "US export controls", "Washington's sanctions against X", "pressure from the US to curb ..."
- "added X to the Entity List"

Each hit names the kind of measure (`Found.policy`), so the pipeline can make one Policy node per
distinct measure with ENACTS and TARGETS edges. Demonyms are valid targets ("Chinese users" are
China's), never enactors, unless they modify a government noun ("the Chinese government").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import Found, Sentence, found, negated
from loaders.resolve import Resolved

RESTRICT_VERBS = frozenset(
    {
        "restrict",
        "block",
        "ban",
        "bar",
        "curb",
        "limit",
        "sanction",
        "blacklist",
        "prohibit",
        "forbid",
        "embargo",
        "throttle",
        "choke",
        "exclude",
        "deny",
        "cut",
        "suspend",
        "halt",
    }
)
RESTRICT_NOUNS = frozenset(
    {
        "restriction",
        "ban",
        "curb",
        "control",
        "sanction",
        "embargo",
        "blacklist",
        "blockade",
        "prohibition",
        "crackdown",
        "tariff",
        "limit",
        "limitation",
        "moratorium",
        "block",
        "measure",
        "rule",
    }
)
_WEAK_NOUNS = frozenset({"control", "limit", "measure", "rule", "block", "limitation"})
"""Nouns that are a restriction only with an export/trade word or an "on"/"against" target."""
_WEAK_VERBS = frozenset({"cut", "suspend", "halt", "deny", "exclude", "limit"})
"""Verbs that restrict only when their object is access, supply or service (not "cut costs")."""
IMPOSE_VERBS = frozenset(
    {
        "impose",
        "announce",
        "introduce",
        "expand",
        "tighten",
        "issue",
        "unveil",
        "enact",
        "adopt",
        "roll",
        "implement",
        "extend",
        "slap",
        "place",
        "put",
        "approve",
        "pass",
        "levy",
        "apply",
        "enforce",
        "add",
        "update",
        "strengthen",
        "broaden",
        "order",
        "lead",
        "escalate",
        "step",
    }
)
AGENT_NOUNS = frozenset({"pressure", "push", "call", "effort", "campaign", "move", "plan", "decision", "bid"})
GOV_NOUNS = frozenset(
    {"government", "administration", "authority", "regulator", "official", "lawmaker", "state", "congress"}
)

_EXPORT_WORDS = frozenset(
    {
        "export",
        "exports",
        "chip",
        "chips",
        "semiconductor",
        "semiconductors",
        "gpu",
        "gpus",
        "equipment",
        "technology",
        "technologies",
        "hardware",
        "processor",
        "processors",
        "lithography",
        "accelerator",
    }
)
_ACCESS_WORDS = frozenset(
    {
        "access",
        "user",
        "users",
        "service",
        "services",
        "tool",
        "tools",
        "api",
        "apis",
        "app",
        "apps",
        "platform",
        "platforms",
        "model",
        "models",
        "software",
        "product",
        "products",
        "developer",
        "developers",
        "account",
        "accounts",
        "supply",
        "sales",
        "shipments",
        "customers",
    }
)
_OBJ_PREPS = frozenset({"to", "in", "on", "against", "for", "into", "within", "targeting", "of", "at"})
_SKIP_DEPS = frozenset({"relcl", "advcl", "agent", "appos", "acl"})

RESTRICT_SOURCES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION})
RESTRICT_TARGETS = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION, NodeType.PERSON})


def find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in RESTRICT_VERBS:
            yield from _verb(sent, tok)
        elif tok.pos_ in ("NOUN", "PROPN") and lemma in RESTRICT_NOUNS:
            yield from _noun(sent, tok)
        elif lemma == "add" and tok.pos_ == "VERB":
            yield from _entity_list(sent, tok)


def _verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    lemma = tok.lemma_.lower()
    passive = any(c.dep_ in ("auxpass", "agent") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod")
    )
    if passive:
        targets = [a for c in tok.children if c.dep_ in ("nsubjpass", "nsubj") for a in _np(sent, c)]
        if tok.dep_ == "acl" and not targets:
            targets = _np(sent, tok.head)
        sources = [a for c in tok.children if c.dep_ == "agent" for p in c.children for a in sent.args_of(p)]
    else:
        objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
        if lemma == "cut" and not any(c.dep_ == "prt" and c.lower_ == "off" for c in tok.children):
            return
        targets = [a for o in objects for a in _object_args(sent, o)]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "to", "on", "against", "from") and objects:
                if prep.lower_ == "from" and lemma not in ("cut", "exclude", "ban", "bar", "block"):
                    continue
                targets.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
        if lemma in _WEAK_VERBS and not _mentions_words(objects, _ACCESS_WORDS | _EXPORT_WORDS):
            if not any(sent.at(o) is not None for o in objects):
                return
        sources = _enactors(sent, tok)
    if not targets or not sources or negated(tok):
        return
    kind = _kind(tok, [c for c in tok.children if c.dep_ in ("dobj", "prep", "nsubjpass")])
    yield from _emit(sent, sources, targets, f"restricts.verb.{lemma}", 0.85, tok, kind)


def _noun(sent: Sentence, tok: Token) -> Iterator[Found]:
    lemma = tok.lemma_.lower()
    targets: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "targeting", "to", "for"):
            targets.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
        elif prep.dep_ == "acl" and prep.lower_ in ("targeting", "aimed", "affecting"):
            targets.extend(a for p in prep.subtree if p.i != prep.i for a in _maybe(sent, p))
    if not targets and tok.dep_ == "dobj" and tok.head.lemma_.lower() in IMPOSE_VERBS:
        # "imposing restrictions on the export of chips to China": the target hangs off the verb
        for prep in tok.head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "to", "targeting"):
                targets.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
    compounds = [c for c in tok.children if c.dep_ in ("compound", "amod")]
    if lemma in _WEAK_NOUNS:
        has_trade_word = any(
            c.lower_ in _EXPORT_WORDS or c.lower_ in ("trade", "investment") for c in compounds
        )
        if not has_trade_word and not (targets and lemma in ("limit", "block", "limitation")):
            return
    if not targets:
        return
    sources: list[Resolved] = []
    for c in tok.children:
        if c.dep_ == "poss":
            sources.extend(sent.pronoun(c) if c.lower_ in ("its", "their") else sent.args_of(c))
        elif c.dep_ in ("compound", "amod", "nmod") and sent.at(c) is not None:
            sources.extend(_as_enactor(sent.args_of(c)))
        elif c.dep_ == "acl":  # "restrictions imposed by the US"
            sources.extend(
                a for g in c.children if g.dep_ == "agent" for p in g.children for a in sent.args_of(p)
            )
        elif c.dep_ == "prep" and c.lower_ == "by":
            sources.extend(a for p in c.children if p.dep_ == "pobj" for a in sent.args_of(p))
    if not sources and tok.dep_ in ("dobj", "pobj", "nsubjpass", "attr"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        if verb.lemma_.lower() in IMPOSE_VERBS:
            sources = _enactors(sent, verb)
    if not sources or negated(tok):
        return
    kind = _kind(tok, list(tok.children))
    yield from _emit(sent, sources, targets, f"restricts.noun.{lemma}", 0.8, tok, kind)


def _entity_list(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'The Commerce Department added Huawei to the Entity List'."""
    listed = any(
        p.lower_ == "to" and any(g.lower_ in ("list", "blacklist") for g in p.subtree)
        for p in tok.children
        if p.dep_ == "prep"
    )
    if not listed:
        return
    targets = [a for c in tok.children if c.dep_ == "dobj" for a in sent.args_of(c)]
    sources = _enactors(sent, tok)
    if targets and sources and not negated(tok):
        yield from _emit(sent, sources, targets, "restricts.entity_list", 0.9, tok, "entity listing")


def _emit(
    sent: Sentence,
    sources: list[Resolved],
    targets: list[Resolved],
    pattern: str,
    conf: float,
    tok: Token,
    kind: str,
) -> Iterator[Found]:
    yield from found(
        sent,
        sources,
        RelType.RESTRICTS,
        targets,
        pattern,
        conf,
        trigger=tok,
        policy=kind,
        source_types=RESTRICT_SOURCES,
        target_types=RESTRICT_TARGETS,
        allow_demonym_target=True,
    )


def _enactors(sent: Sentence, verb: Token) -> list[Resolved]:
    subs = sent.subjects(verb)
    if not subs:
        # "pressure from the U.S. government to curb ...": the noun's "from" names the agent.
        head = verb.head
        if verb.dep_ in ("acl", "xcomp") and head.lemma_.lower() in AGENT_NOUNS:
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
                    subs = [a for p in prep.children if p.dep_ == "pobj" for a in _np(sent, p)]
    return _as_enactor(subs)


def _as_enactor(args: list[Resolved]) -> list[Resolved]:
    return args


def _np(sent: Sentence, tok: Token) -> list[Resolved]:
    """Actors of a noun phrase, reading 'the Chinese government' / 'U.S. officials' as the state."""
    args = sent.args_of(tok)
    if args:
        return args
    if tok.lemma_.lower() in GOV_NOUNS:
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                found_args = sent.args_of(c)
                if found_args and found_args[0].entity.type is NodeType.GOVERNMENT:
                    from dataclasses import replace

                    return [replace(a, mention=replace(a.mention, kind="name")) for a in found_args]
    return []


def _object_args(sent: Sentence, tok: Token, depth: int = 0) -> list[Resolved]:
    """Actors an object phrase points at: itself, its possessor or demonym, its to/in/on phrases."""
    if depth > 3:
        return []
    out = list(_np(sent, tok))
    for c in tok.children:
        if c.dep_ in _SKIP_DEPS:
            continue
        if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i:
            if c.lower_ in ("its", "their"):
                continue
            out.extend(sent.args_of(c, through_nouns=False))
        elif c.dep_ == "prep" and c.lower_ in _OBJ_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(_object_args(sent, p, depth + 1))
        elif c.dep_ == "conj":
            out.extend(_object_args(sent, c, depth + 1))
    seen: dict[int, Resolved] = {}
    for a in out:
        seen.setdefault(a.mention.start, a)
    return list(seen.values())


def _maybe(sent: Sentence, tok: Token) -> list[Resolved]:
    arg = sent.at(tok)
    return [arg] if arg is not None else []


def _mentions_words(tokens: list[Token], words: frozenset[str]) -> bool:
    return any(t.lower_ in words for root in tokens for t in root.subtree)


def _kind(trigger: Token, context: list[Token]) -> str:
    """A short name for the kind of measure, from the trigger and the words around it."""
    lemma = trigger.lemma_.lower()
    words = {t.lower_ for root in context for t in root.subtree} | {trigger.lower_}
    if lemma in ("sanction", "blacklist"):
        return "sanctions"
    if lemma == "tariff":
        return "tariffs"
    if words & {
        "export",
        "exports",
        "chip",
        "chips",
        "semiconductor",
        "semiconductors",
        "gpu",
        "gpus",
        "equipment",
        "lithography",
        "processors",
        "accelerators",
        "hardware",
    }:
        return "export controls"
    if words & {"investment", "investments", "invest", "investing"}:
        return "investment restrictions"
    if words & _ACCESS_WORDS or lemma in ("block", "bar", "cut", "suspend", "exclude"):
        return "access restrictions"
    if lemma == "ban":
        return "ban"
    return "restrictions"
