"""RESTRICTS (and the policy behind it): who limits whose access to technology, markets or services.

- verbs: "OpenAI blocks Chinese users", "the US is trying to restrict China's access to chips",
  "Washington banned Nvidia from selling chips to China", "plans to block API access from China"
- nominalisations: "restrictions on the export of chips to China", "a ban on Huawei",
  "US export controls on China", "Washington's sanctions against X", "new rules restrict ...",
  "pressure from the US to curb ...", "Beijing retaliated with curbs on exports to the US"
- "added X to the Entity List"

Each hit names the kind of measure (`Found.policy`), so the pipeline can make one Policy node per
distinct measure with ENACTS and TARGETS edges. Demonyms are valid targets ("Chinese users" are
China's), never enactors, unless they modify a government noun ("the Chinese government").
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import replace

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import Found, Sentence, found, negated
from loaders.resolve import Resolved


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RESTRICT_VERBS = _words(
    "restrict block ban bar curb limit sanction blacklist prohibit forbid embargo throttle choke exclude "
    "deny cut suspend halt"
)
RESTRICT_NOUNS = _words(
    "restriction ban curb control sanction embargo blacklist blockade prohibition crackdown tariff limit "
    "limitation moratorium block measure rule"
)
_WEAK_NOUNS = _words("control limit measure rule block limitation")
"""Nouns that are a restriction only with an export/trade word next to them or a named target."""
_WEAK_VERBS = _words("cut suspend halt deny exclude limit")
"""Verbs that restrict only when their object is access, supply or service (not "cut costs")."""
IMPOSE_VERBS = _words(
    "impose announce introduce expand tighten issue unveil enact adopt roll implement extend slap place put "
    "approve pass levy apply enforce add update strengthen broaden order lead escalate step maintain keep "
    "propose finalize finalise tout consider weigh plan draft prepare mull seek"
)
RESPOND_VERBS = _words("retaliate respond hit strike counter react answer")
"""'Beijing retaliated with curbs on ...': the measure is the subject's."""
ORDER_VERBS = _words("order force require compel instruct direct tell")
STOP_VERBS = _words("block stop halt suspend remove cease restrict limit withdraw pull delete disable")
"""'The regulator ordered DeepSeek to block its chatbot': the orderer restricts the ordered."""
LICENCE_NOUNS = _words("licence license licences licenses permit waiver authorization authorisation")
NEED_VERBS = _words("need require obtain seek apply get")
REVOKE_VERBS = _words("revoke cancel withdraw rescind pull suspend deny refuse halt stop")
REPORT_VERBS = _words("say announce state rule decide tell inform warn notify order")
AGENT_NOUNS = _words("pressure push call effort campaign move plan decision bid attempt drive bid")
MEASURE_NOUNS = _words(
    "rule law regulation measure order policy restriction control ban curb sanction act bill directive"
)
"""Subjects that carry their enactor inside them: "the administration's new rules restrict ..."."""

_EXPORT_WORDS = _words(
    "export exports chip chips semiconductor semiconductors gpu gpus equipment technology technologies "
    "hardware processor processors lithography accelerator accelerators"
)
_ACCESS_WORDS = _words(
    "access user users service services tool tools api apis app apps platform platforms model models "
    "software product products developer developers account accounts supply sales shipments customers "
    "traffic requests"
)
_FROM_OK = _words("access user users traffic requests developers customers accounts")
"""Nouns whose "from X" names who is shut out: "block API access from China"."""
_FIRM_NOUNS = _words("chipmaker maker company firm startup giant champion supplier manufacturer group")
_FLOW_VERBS = _words("sell ship export supply send deliver destine bind transfer")
"""Participles through which goods reach a target: "tools sold to China"."""
_OBJ_PREPS = _words("to in on against for into within targeting of at")
_SKIP_DEPS = _words("relcl advcl agent appos acl")

RESTRICT_SOURCES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION})
RESTRICT_TARGETS = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION, NodeType.PERSON})


def find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if lemma in RESTRICT_VERBS and tok.pos_ in ("VERB", "AUX"):
            yield from _verb(sent, tok)
        elif lemma in RESTRICT_NOUNS and tok.pos_ in ("NOUN", "PROPN"):
            if not (yield from _noun(sent, tok)) and lemma in RESTRICT_VERBS and tok.tag_ == "NNS":
                # "OpenAI blocks Chinese users": a present-tense verb the tagger took for a plural noun
                yield from _surface_verb(sent, tok)
        elif lemma == "add" and tok.pos_ == "VERB":
            yield from _entity_list(sent, tok)
        elif lemma in ORDER_VERBS and tok.pos_ == "VERB":
            yield from _ordered(sent, tok)
        if lemma in LICENCE_NOUNS and tok.pos_ in ("NOUN", "PROPN"):
            yield from _licence(sent, tok)


def _verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    lemma = tok.lemma_.lower()
    passive = any(c.dep_ in ("auxpass", "agent") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod")
    )
    if passive:
        targets = [a for c in tok.children if c.dep_ in ("nsubjpass", "nsubj") for a in _object_args(sent, c)]
        if tok.dep_ == "acl" and not targets:
            targets = sent.args_of(tok.head)
        sources = [a for c in tok.children if c.dep_ == "agent" for p in c.children for a in sent.args_of(p)]
    else:
        if lemma == "cut" and not any(c.dep_ == "prt" and c.lower_ == "off" for c in tok.children):
            return
        objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
        targets = [a for o in objects for a in _object_args(sent, o)]
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "to", "on", "against", "from") or not objects:
                continue
            if prep.lower_ == "from" and lemma not in ("cut", "exclude", "ban", "bar", "block", "prohibit"):
                if not any(o.lower_ in _FROM_OK for o in objects):
                    continue
            for p in prep.children:
                if p.dep_ == "pobj":
                    targets.extend(_object_args(sent, p))
                elif p.dep_ == "pcomp":  # "banned Nvidia from selling chips to China"
                    targets.extend(
                        a for g in p.children if g.dep_ in ("dobj", "prep") for a in _object_args(sent, g)
                    )
        if lemma in _WEAK_VERBS and not _mentions_words(objects, _ACCESS_WORDS | _EXPORT_WORDS):
            if not any(sent.at(o) is not None for o in objects):
                return
        if not targets and not objects:
            targets = [
                a
                for a in sent.surface_objects(tok)
                if a.mention.kind == "name" or a.mention.kind == "demonym"
            ]
        sources = _enactors(sent, tok)
    if not targets or not sources or negated(tok):
        return
    kind = _kind(tok, [c for c in tok.children if c.dep_ in ("dobj", "prep", "nsubjpass")])
    yield from _emit(sent, sources, targets, f"restricts.verb.{lemma}", 0.85, tok, kind)


def _surface_verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    """A restricting verb known only from the words: '<Actor> blocks <Actor/demonym> ...'."""
    sources = [a for a in sent.surface_subjects(tok) if a.mention.kind == "name"]
    doc = tok.doc
    targets: list[Resolved] = []
    for i in range(tok.i + 1, min(tok.i + 4, sent.span.end)):
        arg = sent.at(doc[i])
        if arg is not None:
            targets = [arg]
            break
        if doc[i].tag_ not in ("DT", "JJ", "PRP$"):
            break
    if sources and targets and not negated(tok):
        kind = _kind(tok, [doc[i] for i in range(tok.i + 1, min(tok.i + 6, sent.span.end))])
        yield from _emit(sent, sources, targets, f"restricts.surface.{tok.lemma_.lower()}", 0.7, tok, kind)


def _noun(sent: Sentence, tok: Token) -> Generator[Found, None, bool]:
    """A measure named by a noun; returns (as the generator's value) whether it produced anything."""
    lemma = tok.lemma_.lower()
    targets: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "targeting", "to", "for"):
            targets.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
        elif prep.dep_ == "acl" and prep.lower_ in ("targeting", "aimed", "affecting"):
            targets.extend(a for p in prep.subtree if p.i != prep.i for a in _maybe(sent, p))
    governor = _governing_verb(tok)
    if not targets and governor is not None and tok.dep_ in ("dobj", "pobj"):
        # "imposing restrictions on the export of chips to China": the target hangs off the verb
        for prep in governor.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "to", "targeting") and prep.i > tok.i:
                targets.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
    if not targets and tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        # "Huawei was hit by U.S. sanctions": the passive verb's subject is the target
        verb = tok.head.head
        targets = [a for c in verb.children if c.dep_ in ("nsubjpass",) for a in _object_args(sent, c)]
    compounds = [c for c in tok.children if c.dep_ in ("compound", "amod")]
    if lemma in _WEAK_NOUNS:
        has_trade_word = any(
            c.lower_ in _EXPORT_WORDS or c.lower_ in ("trade", "investment") for c in compounds
        )
        if not has_trade_word and not (targets and lemma in ("limit", "block", "limitation")):
            return False
    if not targets:
        return False
    sources: list[Resolved] = []
    for c in tok.children:
        if c.dep_ == "poss":
            sources.extend(sent.pronoun(c) if c.lower_ in ("its", "their") else sent.args_of(c))
        elif c.dep_ in ("compound", "amod", "nmod") and sent.at(c) is not None:
            # "American sanctions", "Dutch export rules": a demonym on the measure is its enactor
            sources.extend(_as_state(a) for a in sent.args_of(c))
        elif c.dep_ == "acl":  # "restrictions imposed by the US"
            sources.extend(
                a for g in c.children if g.dep_ == "agent" for p in g.children for a in sent.args_of(p)
            )
        elif c.dep_ == "prep" and c.lower_ == "by":
            sources.extend(a for p in c.children if p.dep_ == "pobj" for a in sent.args_of(p))
    if not sources and governor is not None:
        verb_lemma = governor.lemma_.lower()
        if verb_lemma in IMPOSE_VERBS or (verb_lemma in RESPOND_VERBS and tok.head.lower_ == "with"):
            sources = _enactors(sent, governor)
    if not sources or negated(tok):
        return False
    kind = _kind(tok, list(tok.children))
    emitted = False
    for hit in _emit(sent, sources, targets, f"restricts.noun.{lemma}", 0.8, tok, kind):
        emitted = True
        yield hit
    return emitted


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun is the object of, directly or through a preposition ("retaliated with curbs")."""
    if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head
    return None


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
    # "bars American investors": a state (or its agency) limiting its own people is not a target
    targets = [t for t in targets if not (t.mention.kind == "demonym" and _same_state(sources, t))]
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
    """Who takes the measure: the verb's subject, the owner of a measure-noun subject, or an agent noun."""
    subs = sent.subjects(verb)
    if subs:
        return subs
    for subj in verb.children:
        if subj.dep_ == "nsubj" and subj.lemma_.lower() in MEASURE_NOUNS:
            owners = [
                a
                for c in subj.children
                if c.dep_ in ("poss", "compound", "amod", "nmod")
                for a in (sent.args_of(c) if sent.at(c) is not None else sent.state_of_noun(c))
            ]
            if owners:
                return owners
    head = verb.head
    if verb.dep_ in ("acl", "xcomp") and head.lemma_.lower() in AGENT_NOUNS:
        # "U.S. efforts to curb ...", "Washington's push to restrict ...": the noun's owner acts
        owners = [
            a
            for c in head.children
            if c.dep_ in ("poss", "compound", "amod", "nmod")
            for a in sent.args_of(c)
        ]
        if owners:
            return [_as_state(a) for a in owners]
    if verb.dep_ in ("acl", "relcl") and head.lemma_.lower() in MEASURE_NOUNS:
        # "unveiled new rules restricting ...": whoever owns or issues the rules
        owners = [a for c in head.children if c.dep_ in ("poss", "compound", "amod") for a in sent.args_of(c)]
        if owners:
            return [_as_state(a) for a in owners]
        governor = _governing_verb(head)
        if governor is not None and governor.lemma_.lower() in IMPOSE_VERBS:
            return sent.subjects(governor)
    if verb.dep_ in ("acl", "xcomp") and head.lemma_.lower() in AGENT_NOUNS:
        # "pressure from the U.S. government to curb ...": the noun's "from" names the agent.
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
                return [a for p in prep.children if p.dep_ == "pobj" for a in sent.args_of(p)]
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return [a for a in sent.surface_subjects(verb) if a.mention.kind == "name"]
    return []


def _object_args(sent: Sentence, tok: Token, depth: int = 0, shut_out: bool = False) -> list[Resolved]:
    """Actors an object phrase points at: itself, its possessor or demonym, its to/in/on phrases.

    Under an access noun ("access to its API from mainland China"), "from" names who is shut out.
    """
    if depth > 3:
        return []
    shut_out = shut_out or tok.lower_ in _FROM_OK
    if tok.pos_ == "VERB":  # a gerund or participle in the phrase: follow its object and preps only
        out: list[Resolved] = []
        for c in tok.children:
            if c.dep_ == "dobj":
                out.extend(_object_args(sent, c, depth + 1, shut_out))
            elif c.dep_ in ("prep", "dative") and c.lower_ in ("to", "into", "for"):
                out.extend(
                    a for p in c.children if p.dep_ == "pobj" for a in _object_args(sent, p, depth + 1)
                )
        return out
    out = list(sent.args_of(tok))
    for c in tok.children:
        if c.dep_ == "acl" and c.lemma_.lower() in _FLOW_VERBS:  # "tools sold to China"
            out.extend(_object_args(sent, c, depth + 1, shut_out))
            continue
        if c.dep_ in _SKIP_DEPS:
            continue
        if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i:
            if c.lower_ in ("its", "their") or (c.dep_ == "poss" and tok.lemma_.lower() in _FIRM_NOUNS):
                continue  # "China's top chipmaker" is the chipmaker, not China
            out.extend(sent.args_of(c, through_nouns=False))
            # "Chinese AI companies": the demonym may sit one modifier further out
            for g in c.children:
                if g.dep_ in ("amod", "compound", "nmod", "poss") and g.i < c.i and sent.at(g) is not None:
                    out.extend(sent.args_of(g, through_nouns=False))
        elif c.dep_ == "prep" and (c.lower_ in _OBJ_PREPS or (c.lower_ == "from" and shut_out)):
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):  # "sales of chipmaking technology to China"
                    out.extend(_object_args(sent, p, depth + 1, shut_out))
        elif c.dep_ == "conj":
            out.extend(_object_args(sent, c, depth + 1, shut_out))
    seen: dict[int, Resolved] = {}
    for a in out:
        seen.setdefault(a.mention.start, a)
    return list(seen.values())


def _maybe(sent: Sentence, tok: Token) -> list[Resolved]:
    arg = sent.at(tok)
    return [arg] if arg is not None else []


def _mentions_words(tokens: list[Token], words: frozenset[str]) -> bool:
    return any(t.lower_ in words for root in tokens for t in root.subtree)


_EXPORT_KIND = _words(
    "export exports chip chips semiconductor semiconductors gpu gpus equipment lithography processors "
    "accelerators hardware"
)


def _kind(trigger: Token, context: list[Token]) -> str:
    """A short name for the kind of measure, from the trigger and the words around it."""
    lemma = trigger.lemma_.lower()
    words = {t.lower_ for root in context for t in root.subtree} | {trigger.lower_}
    if lemma in ("sanction", "blacklist"):
        return "sanctions"
    if lemma == "tariff":
        return "tariffs"
    if words & _EXPORT_KIND:
        return "export controls"
    if words & {"investment", "investments", "invest", "investing"}:
        return "investment restrictions"
    if words & _ACCESS_WORDS or lemma in ("block", "bar", "cut", "suspend", "exclude"):
        return "access restrictions"
    if lemma == "ban":
        return "ban"
    return "restrictions"


def _ordered(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'The Garante ordered DeepSeek to block its chatbot in Italy'."""
    comp = next(
        (c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in STOP_VERBS), None
    )
    if comp is None:
        return
    targets = [a for c in tok.children if c.dep_ in ("dobj", "dative") for a in sent.args_of(c)]
    sources = _enactors(sent, tok)
    if targets and sources and not negated(tok):
        yield from _emit(sent, sources, targets, "restricts.ordered", 0.75, tok, "orders")


def _as_state(arg: Resolved) -> Resolved:
    if arg.mention.kind == "demonym":
        return replace(arg, mention=replace(arg.mention, kind="name"))
    return arg


def _same_state(sources: list[Resolved], target: Resolved) -> bool:
    return any(
        s.entity.type is NodeType.GOVERNMENT
        and s.entity.country
        and s.entity.country == target.entity.country
        for s in sources
    )


def _licence(sent: Sentence, tok: Token) -> Iterator[Found]:
    """Licence requirements and revocations: the classic export-control move.

    "American suppliers will need a licence to sell to SMIC" (said by the department), "exports of
    the H20 to China would require a licence", "revoked the licences that let Intel sell to Huawei".
    The target is whoever the licensed sales go to, never the licensee selling.
    """
    head = tok.head
    verb_lemma = head.lemma_.lower()
    if tok.dep_ not in ("dobj", "nsubjpass") or head.pos_ not in ("VERB", "AUX"):
        return
    if verb_lemma not in NEED_VERBS | REVOKE_VERBS:
        return
    if negated(head):
        return
    targets = _sold_to(sent, head, tok)
    if not targets:
        return
    sources: list[Resolved] = []
    if verb_lemma in REVOKE_VERBS:
        sources = _enactors(sent, head)
    else:
        # a requirement is imposed by whoever announces it, or the state whose licence it is
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "nmod") and sent.at(c) is not None:
                sources.extend(_as_state(a) for a in sent.args_of(c))
        cur = head
        for _ in range(3):
            if sources or cur.dep_ not in ("ccomp", "xcomp", "conj") or cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.lemma_.lower() in REPORT_VERBS:
                sources = [a for a in sent.subjects(cur) if a.entity.type is NodeType.GOVERNMENT]
    sources = [s for s in sources if s.entity.type is NodeType.GOVERNMENT]
    if sources:
        yield from _emit(
            sent, sources, targets, f"restricts.licence.{verb_lemma}", 0.75, head, "export controls"
        )


def _sold_to(sent: Sentence, verb: Token, licence: Token) -> list[Resolved]:
    """Who the licensed goods go to: "to sell to SMIC", "exports of X to China", "selling chips to Huawei"."""
    out: list[Resolved] = []
    roots = [verb, licence]
    roots += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "xcomp", "advcl")]
    roots += [c for c in licence.children if c.dep_ in ("acl", "relcl", "prep")]
    seen: set[int] = set()
    for root in roots:
        for t in root.subtree:
            if t.i in seen or t.lower_ not in ("to", "for") or t.dep_ not in ("prep", "dative"):
                continue
            seen.add(t.i)
            if t.lower_ == "for" and not any(
                g.lower_ in ("export", "exports", "sale", "sales") for g in t.children
            ):
                if t.head.lemma_.lower() not in ("export", "sale", "shipment"):
                    continue
            for p in t.children:
                if p.dep_ == "pobj":
                    out.extend(_object_args(sent, p))
    seen_ids: dict[int, Resolved] = {}
    for a in out:
        seen_ids.setdefault(a.mention.start, a)
    return list(seen_ids.values())
