"""Who takes a measure and whom it falls on: the phrase readers under the RESTRICTS frames.

`loaders.frames.restricted` reads roles through these: the actors an object phrase points at
(`_object_args`: "Chinese users", "sales of chips to China", "the Chinese telecom giant"), who
enacts what a verb states (`_enactors`: its subject, the owner of a measure noun that is its
subject, "U.S. efforts to curb ...", "new rules restricting ..."), the owner of the measure named
just before ("the rule", "the change"), the government the passage is about, lists of restricted
parties, licensed sales, and `measure_kind`, the short name of a measure that makes a Policy.
Demonyms are valid targets ("Chinese users" are China's), never enactors, unless they modify a
government noun ("the Chinese government").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.frames.tables import lexicon
from loaders.patterns.base import Sentence, chain, negated
from loaders.resolve import Resolved


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RESTRICT_VERBS = lexicon().words("restricts_verbs")
RESTRICT_NOUNS = lexicon().words("restricts_nouns")
_WEAK_NOUNS = _words("control limit measure rule block limitation")
"""Nouns that are a restriction only with an export/trade word next to them or a named target."""
IMPOSE_VERBS = _words(
    "impose announce introduce expand tighten issue unveil enact adopt roll implement extend slap place put "
    "approve pass levy apply enforce add update strengthen broaden order lead escalate step maintain keep "
    "propose finalize finalise tout consider weigh plan draft prepare mull seek activate press proceed "
    "lift ease relax loosen remove end reverse set create establish sign launch begin start unleash"
)
RESPOND_VERBS = _words("retaliate respond hit strike counter react answer")
"""'Beijing retaliated with curbs on ...': the measure is the subject's."""
STOP_VERBS = lexicon().words("restricts_stop_verbs")
DIVEST_VERBS = lexicon().words("divest_verbs")
"""'ordered ByteDance to sell its stake': a divestment order restricts the one ordered."""
TRADE_GERUNDS = _words("sell selling buy buying use using offer offering carry stock ship supply install")
"""'ordered stores to stop selling phones made by X': the goods' maker is the one restricted."""
MADE_VERBS = _words("make design produce build manufacture develop")
ORDER_KINDS = _words("denial executive divestment divestiture export shutdown")
"""Words that make an "order" a restriction ("a denial order against X"), not a purchase order."""
AHEAD_WORDS = _words("ahead forward on")
"""'pressing ahead with tariffs' states the measure; 'press' alone is a hedging head."""
LIST_MODIFIERS = _words("entity trade export sanction sanctions black unverified military")
_LIST_MEMBERS = _words("company companies entity entities firm firms group groups")
"""'The regulator ordered DeepSeek to block its chatbot': the orderer restricts the ordered."""
_CLEARANCE_NOUNS = _words("approval clearance")
"""Approvals restrict only when a state gives them: "have needed government approval"."""
_STATE_WORDS = _words("government governmental state regulatory official ministry")
_INFLOW_NOUNS = _words(
    "investment investments capital funding acquisition acquisitions deal deals purchase purchases "
    "takeover takeovers bid bids stake stakes import imports"
)
"""Subjects whose "from X" names who needs the approval: "investments from China need approval"."""
"""'The rules prevent Chinese firms from buying ...': only with "X from <doing>"."""
_MOVE_VERBS = _words(
    "sell ship export supply send deliver transfer move use route transship divert reach buy acquire invest"
)
DEADLINE_NOUNS = _words("month months day days week weeks year years time deadline")
NEED_VERBS = _words("need require obtain seek apply get")
REVOKE_VERBS = _words("revoke cancel withdraw rescind pull suspend deny refuse halt stop")
REPORT_VERBS = _words("say announce state rule decide tell inform warn notify order")
AGENT_NOUNS = _words("pressure push call effort campaign move plan decision bid attempt drive bid")
MEASURE_NOUNS = lexicon().words("restricts_measure_nouns")
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
_GOODS = _words("chip product phone app equipment device handset processor server model router camera drone")
_BUY_NOUNS = _words("purchase acquisition takeover buyout bid")
_FACE_VERBS = _words("face suffer endure")
"""'Huawei faces US restrictions': the subject is the one restricted."""
_UNDER_VERBS = _words("place put bring")
"""'placed Huawei under export controls': the object is the one restricted."""
_FIRM_NOUNS = _words("chipmaker maker company firm startup giant champion supplier manufacturer group")
_FLOW_VERBS = _words("sell ship export supply send deliver destine bind transfer")
"""Participles through which goods reach a target: "tools sold to China"."""
_OBJ_PREPS = _words("to in on against for into within targeting of at")

_STATES = frozenset({NodeType.GOVERNMENT})


_TRADED = _words(
    "export exports sale sales shipment shipments import imports investment investments transfer"
)


def _restricted_holder(sent: Sentence, tok: Token) -> list[Resolved]:
    """Who a measure noun falls on when the noun has no "on" phrase.

    "Huawei faces US restrictions", "Huawei is subject to export controls", "Japan placed Huawei
    under export controls", "Huawei was hit with US sanctions".
    """
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_.lower() in _FACE_VERBS:
        return [a for c in head.children if c.dep_ == "nsubj" for a in _object_args(sent, c)]
    return _held_by_phrase(sent, head) if tok.dep_ == "pobj" else []


def _held_by_phrase(sent: Sentence, prep: Token) -> list[Resolved]:
    """The one "subject to", "hit with" or "placed under" the measure."""
    verb = prep.head
    if prep.lower_ == "to" and verb.lower_ == "subject" and verb.head.pos_ in ("AUX", "VERB"):
        return [a for c in verb.head.children if c.dep_ == "nsubj" for a in sent.args_of(c)]
    held = {"with": ("hit", "slap", "target"), "under": tuple(_UNDER_VERBS)}.get(prep.lower_, ())
    dep = "nsubjpass" if prep.lower_ == "with" else "dobj"
    if verb.lemma_.lower() in held:
        return [a for c in verb.children if c.dep_ == dep for a in sent.args_of(c)]
    return []


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun is the object of, directly or through a preposition ("retaliated with curbs")."""
    if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head
    return None


def _list_owner(sent: Sentence, lst: Token) -> list[Resolved]:
    """'the Pentagon's list', 'the US Entity List': who keeps the list (a government, never the
    list's own name read as an actor)."""
    return [
        _as_state(a)
        for c in lst.children
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.lower_ not in ("its", "their")
        for a in sent.args_of(c, through_nouns=False)
        if a.entity.type is NodeType.GOVERNMENT
    ]


def _listed(sent: Sentence, tok: Token) -> list[Resolved]:
    """Named members of "dozens of other Chinese companies including A and B" (not the demonym)."""
    out = list(sent.args_of(tok))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            out.extend(a for p in c.children if p.dep_ == "pobj" for a in sent.args_of(p))
    return [a for a in out if a.mention.kind == "name"]


def _is_blacklist(tok: Token) -> bool:
    """A list of restricted parties: "the Entity List", "a trade blacklist", "its list of companies"."""
    low = tok.lower_
    if low in ("blacklist", "blacklists"):
        return True
    if tok.lemma_.lower() != "list":
        return False
    if tok.text == "List" and tok.i > 0 and tok.nbor(-1).text[:1].isupper():
        return True  # a named list: "the Entity List", "the Unverified List"
    if any(c.lower_ in LIST_MODIFIERS for c in tok.children if c.dep_ in ("compound", "amod")):
        return True
    return any(
        p.lower_ == "of" and any(g.lower_ in _LIST_MEMBERS for g in p.children)
        for p in tok.children
        if p.dep_ == "prep"
    )


def _barred_from(sent: Sentence, verb: Token) -> list[Resolved]:
    """What a passive subject is kept from: "barred from buying shares in Chinese firms"."""
    out: list[Resolved] = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("from", "of"):
            continue
        for p in prep.children:
            if p.dep_ == "pcomp":
                out.extend(_pcomp_targets(sent, p))
            elif p.dep_ == "pobj":
                out.extend(a for a in _object_args(sent, p) if a.mention.kind == "name")
    return out


def _pcomp_targets(sent: Sentence, gerund: Token) -> list[Resolved]:
    """What a "from <gerund>" keeps one from: its object and where the goods were to go.

    "barred from selling its chips to China": the "to" phrase may hang on the gerund, not the object.
    """
    out = [a for g in gerund.children if g.dep_ == "dobj" for a in _object_args(sent, g)]
    for prep in gerund.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in ("to", "in", "into", "for"):
            out.extend(a for p in prep.children if p.dep_ == "pobj" for a in _object_args(sent, p))
    return out


def _under_measure(sent: Sentence, verb: Token) -> list[Resolved]:
    """The owner of the measure a passive names: "barred ... under US export controls"."""
    for t in verb.subtree:
        if t.dep_ != "prep" or t.lower_ not in ("under", "by"):
            continue
        for p in t.children:
            if p.dep_ == "pobj" and p.lemma_.lower() in RESTRICT_NOUNS | MEASURE_NOUNS:
                return [
                    _as_state(a)
                    for c in p.children
                    if c.dep_ in ("poss", "compound", "amod", "nmod")
                    for a in sent.args_of(c, through_nouns=False)
                ]
    return []


def _main_subjects(sent: Sentence) -> list[Resolved]:
    root = sent.span.root
    return [
        a
        for c in root.children
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("it", "they")
        for a in sent.args_of(c)
        if a.mention.kind == "name"
    ]


def _leader_state(sent: Sentence, verb: Token) -> list[Resolved]:
    """'his administration was pressing ahead with tariffs': the state the pronoun's leader runs."""
    for subj in verb.children:
        if subj.dep_ != "nsubj" or subj.lemma_.lower() not in ("administration", "government"):
            continue
        for c in subj.children:
            if c.dep_ == "poss" and c.lower_ in ("his", "her") and sent.places is not None:
                for person in _previous_people(sent, c):
                    state = sent.places.state(person.entity.country) if person.entity.country else None
                    if state is not None:
                        return [Resolved(person.mention, state, ())]
    return []


def _previous_people(sent: Sentence, tok: Token) -> list[Resolved]:
    """The last person named before a "his"/"her", in this sentence or the one before."""
    here = [a for a in sent.args if a.mention.end <= tok.i and a.entity.type is NodeType.PERSON]
    if here:
        return here[-1:]
    for prev in reversed(sent.previous[-1:]):
        # the first person named: the one the sentence is about, before anyone they deal with
        people = [a for a in prev.args if a.entity.type is NodeType.PERSON and a.mention.kind == "name"]
        if people:
            return people[:1]
    return []


def _enactors(sent: Sentence, verb: Token) -> list[Resolved]:
    """Who takes the measure: the verb's subject, the owner of a measure-noun subject, or an agent noun."""
    subs = sent.subjects(verb) or _leader_state(sent, verb)
    if subs:
        return subs
    found = _measure_subject_owner(sent, verb)
    head = verb.head
    if found is None and verb.dep_ in ("acl", "xcomp") and head.lemma_.lower() in AGENT_NOUNS:
        found = _agent_noun_owner(sent, head)
    if found is None and verb.dep_ in ("acl", "relcl") and head.lemma_.lower() in MEASURE_NOUNS:
        found = _issuer(sent, head)
    if found is not None:
        return found
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return [a for a in sent.surface_subjects(verb) if a.mention.kind == "name"]
    return []


def _measure_subject_owner(sent: Sentence, verb: Token) -> list[Resolved] | None:
    """The owner of a measure that is the verb's subject ("the administration's new rules restrict");
    for "the rule" the owner of the measure named before, else the government the text is about,
    else the state of the leader it is about. None when no measure is the subject."""
    for subj in _subject_tokens(verb):
        if subj.dep_ != "nsubj" or subj.lemma_.lower() not in MEASURE_NOUNS:
            continue
        owners = [
            a
            for c in subj.children
            if c.dep_ in ("poss", "compound", "amod", "nmod")
            for a in (sent.args_of(c) if sent.at(c) is not None else sent.state_of_noun(c))
        ]
        if owners:
            return owners
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subj.children):
            # "The rule bars SMIC ...", "The change denies Huawei ...": a measure named before
            earlier = _previous_measure_owner(sent)
            if earlier:
                return earlier
            salient = sent.salient(_STATES)
            if salient is not None:
                return [salient]
            # "President Biden signed an order. The order names ...": the signing leader's state
            leader = sent.salient(frozenset({NodeType.PERSON}))
            return _people_as_states(sent, [leader]) if leader is not None else []
    return None


def _agent_noun_owner(sent: Sentence, noun: Token) -> list[Resolved] | None:
    """The owner of an agent noun acts ("U.S. efforts to curb ...", "Washington's push to restrict
    ..."), or its "from" phrase ("pressure from the U.S. government to curb ...")."""
    owners = [
        a for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod") for a in sent.args_of(c)
    ]
    if owners:
        return [_as_state(a) for a in owners]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
            return [a for p in prep.children if p.dep_ == "pobj" for a in sent.args_of(p)]
    return None


def _issuer(sent: Sentence, rules: Token) -> list[Resolved] | None:
    """Whoever owns or issues the rules a clause hangs on ("unveiled new rules restricting ...")."""
    owners = [a for c in rules.children if c.dep_ in ("poss", "compound", "amod") for a in sent.args_of(c)]
    if owners:
        return [_as_state(a) for a in owners]
    governor = _governing_verb(rules)
    if governor is None or governor.lemma_.lower() not in IMPOSE_VERBS:
        return None
    subjects = sent.subjects(governor)
    return _people_as_states(sent, subjects) if governor.lemma_.lower() == "sign" else subjects


def _people_as_states(sent: Sentence, args: list[Resolved]) -> list[Resolved]:
    """'President Biden signed legislation that ...': a leader enacting a measure acts for the state."""
    out: list[Resolved] = []
    for a in args:
        if a.entity.type is NodeType.PERSON and a.entity.country and sent.places is not None:
            state = sent.places.state(a.entity.country)
            if state is not None:
                out.append(Resolved(a.mention, state, ()))
                continue
        out.append(a)
    return out


def _object_args(sent: Sentence, tok: Token, depth: int = 0, shut_out: bool = False) -> list[Resolved]:
    """Actors an object phrase points at: itself, its possessor or demonym, its to/in/on phrases.

    Under an access noun ("access to its API from mainland China"), "from" names who is shut out.
    """
    if depth > 3:
        return []
    shut_out = shut_out or tok.lower_ in _FROM_OK
    if tok.pos_ == "VERB":  # a gerund or participle in the phrase: follow its object and preps only
        return _clause_args(sent, tok, depth, shut_out)
    if sent.at(tok) is None and _is_described_firm(tok):
        # "cut the Chinese telecom giant off": that firm, never the demonym's state
        return _described_firm(sent, tok)
    out = list(sent.args_of(tok))
    for c in tok.children:
        out.extend(_child_args(sent, tok, c, depth, shut_out))
    return _unique(out)


def _child_args(sent: Sentence, tok: Token, c: Token, depth: int, shut_out: bool) -> list[Resolved]:
    """What one word on the object phrase adds: goods sent somewhere ("tools sold to China"), an
    actor written on it, its phrases, the investee of "investments by X in Y", a conjunct."""
    if c.dep_ == "acl" and c.lemma_.lower() in _FLOW_VERBS:
        return _object_args(sent, c, depth + 1, shut_out)
    if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i:
        return _modifier_args(sent, tok, c)
    if c.dep_ == "prep" and (c.lower_ in _OBJ_PREPS or (c.lower_ == "from" and shut_out)):
        return _prep_args(sent, tok, c, depth, shut_out)
    if c.dep_ == "prep" and c.lower_ == "by" and tok.pos_ == "NOUN":
        return _investee_args(sent, c, depth)
    return _object_args(sent, c, depth + 1, shut_out) if c.dep_ == "conj" else []


def _unique(args: list[Resolved]) -> list[Resolved]:
    """The actors once each, by where they are named, in order."""
    seen: dict[int, Resolved] = {}
    for a in args:
        seen.setdefault(a.mention.start, a)
    return list(seen.values())


def _clause_args(sent: Sentence, tok: Token, depth: int, shut_out: bool) -> list[Resolved]:
    """A gerund or participle in an object phrase: its object and its to/into/for phrases."""
    out: list[Resolved] = []
    for c in tok.children:
        if c.dep_ == "dobj":
            out.extend(_object_args(sent, c, depth + 1, shut_out))
        elif c.dep_ in ("prep", "dative") and c.lower_ in ("to", "into", "for"):
            out.extend(a for p in c.children if p.dep_ == "pobj" for a in _object_args(sent, p, depth + 1))
    return out


def _modifier_args(sent: Sentence, tok: Token, c: Token) -> list[Resolved]:
    """An actor written on the object noun ("Chinese users", "Huawei's phones")."""
    if c.lower_ in ("its", "their") or (c.dep_ == "poss" and tok.lemma_.lower() in _FIRM_NOUNS):
        return []  # "China's top chipmaker" is the chipmaker, not China
    if _is_described_firm(c):
        # "buying the US company's products": the firm so described, never its home state
        return _described_firm(sent, c)
    out = list(sent.args_of(c, through_nouns=False))
    # "Chinese AI companies": the demonym may sit one modifier further out
    for g in c.children:
        if g.dep_ in ("amod", "compound", "nmod", "poss") and g.i < c.i and sent.at(g) is not None:
            out.extend(sent.args_of(g, through_nouns=False))
    return out


def _prep_args(sent: Sentence, tok: Token, prep: Token, depth: int, shut_out: bool) -> list[Resolved]:
    """The object noun's phrases: "sales of chipmaking technology to China"."""
    if prep.lower_ == "of" and tok.lemma_.lower() in _BUY_NOUNS:
        return []  # "blocked Huawei's purchase of a Dutch plant": the buyer is stopped, not the plant
    return [
        a
        for p in prep.children
        # "chips of US origin": where goods come from is not who is restricted
        if p.dep_ in ("pobj", "pcomp") and p.lemma_.lower() not in ("origin", "design")
        for a in _object_args(sent, p, depth + 1, shut_out)
    ]


def _investee_args(sent: Sentence, by: Token, depth: int) -> list[Resolved]:
    """The investee, not the investor: "investments by US persons in Chinese companies"."""
    return [
        a
        for p in by.children
        for g in p.children
        if g.dep_ == "prep" and g.lower_ in ("in", "into")
        for q in g.children
        if q.dep_ == "pobj"
        for a in _object_args(sent, q, depth + 1)
    ]


def _maybe(sent: Sentence, tok: Token) -> list[Resolved]:
    arg = sent.at(tok)
    return [arg] if arg is not None else []


def _mentions_words(tokens: list[Token], words: frozenset[str]) -> bool:
    return any(t.lower_ in words for root in tokens for t in root.subtree)


_EXPORT_KIND = _words(
    "export exports chip chips semiconductor semiconductors gpu gpus equipment lithography processors "
    "accelerators hardware"
)


def measure_kind(trigger: Token, context: list[Token]) -> str:
    """A short name for the kind of measure, from the trigger and the words around it."""
    lemma = trigger.lemma_.lower()
    words = {t.lower_ for root in context for t in root.subtree} | {trigger.lower_}
    if lemma in ("sanction", "blacklist"):
        return "sanctions"
    if lemma in ("tariff", "duty"):
        return "tariffs"
    if lemma == "order":
        return "denial order" if "denial" in words else "orders"
    if words & {"investment", "investments", "invest", "investing"}:
        return "investment restrictions"
    if words & _EXPORT_KIND:
        return "export controls"
    if words & _ACCESS_WORDS or lemma in ("block", "bar", "cut", "suspend", "exclude"):
        return "access restrictions"
    if lemma == "ban":
        return "ban"
    return "restrictions"


def _goods_makers(sent: Sentence, tok: Token) -> list[Resolved]:
    """Makers of the goods a trade gerund names: "selling phones made by A and B", "selling B phones"."""
    goods = tok
    if tok.lemma_.lower() in TRADE_GERUNDS and tok.pos_ == "VERB":
        goods = next((c for c in tok.children if c.dep_ == "dobj"), tok)
        if goods.i == tok.i:
            return []
    # every name in the by-phrase: the parse often hangs "ZTE and Huawei X" on the last name
    out = [a for g in _made_by(goods) for a in sent.mentions_in(g.subtree) if a.mention.kind == "name"]
    return out + [
        a
        for c in goods.children
        if c.dep_ in ("compound", "poss", "nmod") and c.i < goods.i
        for a in sent.args_of(c, through_nouns=False)
        if a.mention.kind == "name"
    ]


def _made_by(goods: Token) -> list[Token]:
    """The 'by' phrases of the participles saying who made the goods ("phones made by X")."""
    return [
        g
        for c in goods.children
        if c.dep_ == "acl" and c.lemma_.lower() in MADE_VERBS
        for g in c.children
        if g.dep_ == "agent"
    ]


def _conditional(tok: Token) -> bool:
    """'If no deal is done, X would be prohibited from ...': a consequence, not a measure in force."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for t in chain(tok)
        for c in t.children
    )


def _agents(sent: Sentence, verb: Token) -> list[Resolved]:
    """The actors in a participle's "by" phrase: "phones made by ZTE and Huawei"."""
    return [a for g in verb.children if g.dep_ == "agent" for p in g.children for a in sent.args_of(p)]


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


def _state_given(sent: Sentence, tok: Token) -> bool:
    """An approval a state gives: "government approval", "Chinese approval", "approval from Beijing"."""
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod") and (c.lower_ in _STATE_WORDS or sent.at(c) is not None):
            return True
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            for p in c.subtree:
                arg = sent.at(p)
                if p.lower_ in ("authorities", "regulators", "government") or (
                    arg is not None and arg.entity.type is NodeType.GOVERNMENT
                ):
                    return True
    return False


def _inflow_from(sent: Sentence, verb: Token) -> list[Resolved]:
    """Who the approved inflow comes from: "investments from countries bordering India, in practice China".

    Clauses describing the source ("countries that border India") are left out: they name the
    reference point, not the restricted party.
    """
    out: list[Resolved] = []
    for subj in verb.children:
        if subj.dep_ not in ("nsubj", "nsubjpass") or subj.lemma_.lower() not in _INFLOW_NOUNS:
            continue
        for prep in subj.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("from", "in", "by"):
                continue
            for p in prep.children:
                if p.dep_ == "pobj":
                    out.extend(_object_args(sent, p))
    return out


def _sold_to(sent: Sentence, verb: Token, licence: Token) -> list[Resolved]:
    """Who the licensed goods go to: "to sell to SMIC", "exports of X to China", "selling chips to Huawei"."""
    roots = [verb, licence]
    roots += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "xcomp", "advcl")]
    roots += [c for c in licence.children if c.dep_ in ("acl", "relcl", "prep")]
    preps = {t.i: t for root in roots for t in root.subtree if _sale_destination(t)}
    out = [a for t in preps.values() for p in t.children if p.dep_ == "pobj" for a in _object_args(sent, p)]
    # "chips designed by Huawei will need a licence": the designer is the one cut off
    out += [
        a for subj in verb.children if subj.dep_ in ("nsubj", "nsubjpass") for a in _designers(sent, subj)
    ]
    return _unique(out)


def _designers(sent: Sentence, subj: Token) -> list[Resolved]:
    """Who the subject's goods were made by ("chips designed by Huawei")."""
    return [
        a
        for t in subj.subtree
        if t.dep_ == "acl" and t.lemma_.lower() in MADE_VERBS
        for a in _agents(sent, t)
    ]


def _sale_destination(t: Token) -> bool:
    """A 'to' phrase, or a 'for' phrase on exports or sales ("licences for exports to X")."""
    if t.lower_ not in ("to", "for") or t.dep_ not in ("prep", "dative"):
        return False
    if t.lower_ == "to" or t.head.lemma_.lower() in ("export", "sale", "shipment"):
        return True
    return any(g.lower_ in ("export", "exports", "sale", "sales") for g in t.children)


def _banned_alternative(sent: Sentence, alt: Token) -> list[Resolved]:
    """'... or see it banned': what the alternative bans (a pronoun resolved to its antecedent)."""
    out: list[Resolved] = []
    for banned in alt.subtree:
        if banned.lemma_.lower() not in RESTRICT_VERBS or banned.tag_ != "VBN":
            continue
        for subj in banned.children:
            if subj.dep_ in ("nsubj", "nsubjpass", "dobj"):
                pronoun = subj.lower_ in ("it", "they", "them")
                out.extend(sent.pronoun(subj) if pronoun else sent.args_of(subj))
    return out


def _previous_measure_owner(sent: Sentence) -> list[Resolved]:
    """Who owns the last measure named with an owner in the two sentences before.

    "The rule announced by the Commerce Department widens ... The change denies Huawei ...":
    "the change" is that rule, so its enactor is the department.
    """
    for prev in reversed(sent.previous[-2:]):
        for tok in prev.span:
            if tok.pos_ != "NOUN" or tok.lemma_.lower() not in MEASURE_NOUNS | RESTRICT_NOUNS - _WEAK_NOUNS:
                continue
            owners = [a for a in _measure_owners(prev, tok) if a.entity.type is NodeType.GOVERNMENT]
            if owners:
                return owners
    return []


def _measure_owners(prev: Sentence, tok: Token) -> list[Resolved]:
    """Who a measure noun says owns it: a modifier, "the rule announced by X", "a ban by X"; else
    the subject that imposed it ("the Bureau activated a denial order against it")."""
    owners = [
        _as_state(a)
        for c in tok.children
        if c.dep_ in ("poss", "compound", "amod", "nmod") and prev.at(c) is not None
        for a in prev.args_of(c, through_nouns=False)
    ]
    owners += [a for p in _by_phrases(tok) for a in prev.args_of(p)]
    governor = _governing_verb(tok)
    if not owners and governor is not None and governor.lemma_.lower() in IMPOSE_VERBS:
        owners = prev.subjects(governor)
    return owners


def _by_phrases(tok: Token) -> list[Token]:
    """The objects of 'by' on a noun or on its participle ("the rule announced by X", "a ban by X")."""
    out = [
        p
        for c in tok.children
        if c.dep_ == "acl"
        for g in c.children
        if g.dep_ == "agent"
        for p in g.children
    ]
    return out + [
        p
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "by"
        for p in c.children
        if p.dep_ == "pobj"
    ]


def _goods_owner(sent: Sentence, verb: Token, pronoun: Token) -> list[Resolved]:
    """The firm an "its" on banned goods points at, never the one banning.

    "China fined Micron. Beijing then banned its chips": the resolver's favourite for "its" is the
    subject; a ban on one's own goods is no restriction, so the firm named last before the
    pronoun (in this sentence, else the salient firm of the sentences before) is the owner.
    """
    subjects = {a.entity.id for a in sent.subjects(verb)}
    owners = [a for a in sent.pronoun(pronoun) if a.entity.id not in subjects]
    if owners:
        return owners
    here = [
        a
        for a in sent.args
        if a.mention.end <= pronoun.i and a.entity.type is NodeType.COMPANY and a.entity.id not in subjects
    ]
    if here:
        return here[-1:]
    salient = sent.salient(frozenset({NodeType.COMPANY}))
    return [salient] if salient is not None and salient.entity.id not in subjects else []


def _salient_enactor(sent: Sentence) -> list[Resolved]:
    """The government a passive or agentless restriction belongs to, when one stands out.

    A state named only as one member of a list of three or more ("allies such as Japan, the
    Netherlands and Taiwan may buy freely") is a party the measure sorts, not its author.
    """
    salient = sent.salient(_STATES)
    if salient is None:
        return []
    for prev in sent.previous:
        span = prev.span
        if not span.start <= salient.mention.start < span.end:
            continue
        root = span.doc[salient.mention.start : salient.mention.end].root
        members = {a.entity.id for a in prev.args_of(_first_of(root)) if a.entity.type is NodeType.GOVERNMENT}
        if len(members) >= 3:
            return []
    return [salient]


def _first_of(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _subject_tokens(verb: Token) -> list[Token]:
    """The verb's own subjects, else (for a conjoined verb) those of the verb it is joined to."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if own or verb.dep_ != "conj":
        return own
    return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]


def _is_described_firm(tok: Token) -> bool:
    """'the US company', 'the Chinese chipmaker': a singular firm noun with "the" and a home state."""
    return (
        tok.lemma_.lower() in _FIRM_NOUNS
        and tok.tag_ == "NN"
        and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)
    )


def _described_firm(sent: Sentence, noun: Token) -> list[Resolved]:
    """The firm a described noun ("the US company", "the Shenzhen-based group") stands for.

    One firm from that home state named earlier in the sentence; else the salient firm that fits
    (`Sentence.definite`); else the one firm of that country named in the two sentences before
    that is neither one of a list of three or more nor described with another city. Else nobody.
    """
    place = _based_place(noun)
    countries = _home_countries(sent, noun, place)
    here = _named_before(sent, noun, countries)
    if here:
        return list(here.values()) if len(here) == 1 else []
    if place is None or not countries:
        # without a city, the salient firm of that country (if one stands out) is meant
        return sent.definite(noun)
    fits = {
        a.entity.id: a
        for prev in sent.previous[-2:]
        for a in prev.args
        if a.mention.kind == "name"
        and a.entity.type is NodeType.COMPANY
        and a.entity.country in countries
        and _placed_at(prev, a, place)
    }
    return list(fits.values()) if len(fits) == 1 else []


def _named_before(sent: Sentence, noun: Token, countries: set[str | None]) -> dict[str, Resolved]:
    """The firms of those countries named in the sentence before the noun."""
    return {
        a.entity.id: a
        for a in sent.args
        if a.mention.end <= noun.i
        and a.mention.kind == "name"
        and a.entity.type is NodeType.COMPANY
        and (not countries or a.entity.country in countries)
    }


def _home_countries(sent: Sentence, noun: Token, place: str | None) -> set[str | None]:
    """The countries a demonym or country on the noun names, else the country of its city."""
    countries = {
        a.entity.country
        for c in noun.children
        if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i
        for a in [sent.at(c)]
        if a is not None and a.entity.type is NodeType.GOVERNMENT
    }
    if not countries and place is not None and sent.places is not None:
        state = sent.places.state_of(place)
        if state is not None and state.country:
            return {state.country}
    return countries


def _placed_at(prev: Sentence, a: Resolved, place: str) -> bool:
    """A firm named earlier may be the one "the <place>-based group" means: not one example of a
    list of three or more ("groups such as A, B and C"), not described with another city
    ("Hangzhou-based DeepSeek" is not "the Shenzhen-based group")."""
    root = prev.span.doc[a.mention.start : a.mention.end].root
    if len({m.entity.id for m in prev.args_of(_first_of(root))}) >= 3:
        return False
    other = _based_place(root) or _place_before(prev, a.mention.start)
    return other is None or other == place


def _based_place(tok: Token) -> str | None:
    """The city in "<City>-based" modifying a word ("Shenzhen-based group" -> "Shenzhen")."""
    for c in tok.children:
        if c.i < tok.i and c.lower_ in ("based", "headquartered"):
            places = [w.text for w in c.lefts if w.text not in ("-", "–") and (w.is_title or w.is_upper)]
            if places:
                return places[0]
    return None


def _under_measure_subjects(sent: Sentence, verb: Token, obj: Token) -> list[Resolved]:
    """'Chinese labs work under US controls that cut them off from ...': "them" is the subject of
    the clause the measure is the setting of (and a demonym on it names the state)."""
    if obj.lower_ not in ("them", "they", "it") or verb.dep_ != "relcl":
        return []
    measure = verb.head
    if measure.lemma_.lower() not in MEASURE_NOUNS | RESTRICT_NOUNS or measure.dep_ != "pobj":
        return []
    prep = measure.head
    if prep.lower_ not in ("under", "by", "with") or prep.head.pos_ not in ("VERB", "AUX"):
        return []
    head = prep.head
    for _ in range(3):  # "spent years operating under ...": the subject sits on the governing verb
        subjects = _subject_tokens(head)
        if subjects or head.dep_ not in ("xcomp", "advcl", "pcomp", "conj") or head.head.i == head.i:
            break
        head = head.head
    return [a for s in subjects for a in _object_args(sent, s)]


def _examples_after(sent: Sentence, noun: Token) -> list[Resolved]:
    """Named examples "including A and B" / "such as A and B" following a member noun in its clause."""
    for t in sent.span[noun.i - sent.span.start + 1 :]:
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("conj", "ROOT") and t.lower_ != "including":
            return []  # a new clause: its examples are another list's
        if t.lower_ in ("including", "like") or (t.lower_ == "as" and t.nbor(-1).lower_ == "such"):
            return [a for p in t.children if p.dep_ == "pobj" for a in _listed(sent, p)]
    return []


def _place_before(sent: Sentence, start: int) -> str | None:
    """A "<City>-based" written in the few words before a name ("Hangzhou-based startup DeepSeek")."""
    doc = sent.span.doc
    for i in range(start - 1, max(sent.span.start, start - 4) - 1, -1):
        if doc[i].lower_ in ("based", "headquartered") and i - 2 >= sent.span.start:
            j = i - 2 if doc[i - 1].text in ("-", "–") else i - 1
            word = doc[j]
            return word.text if word.is_title or word.is_upper else None
        if doc[i].text in (",", ";") or sent.at(doc[i]) is not None:
            return None
    return None


_AUTHOR_VERBS = IMPOSE_VERBS | _words("publish release unveil")
_AUTHORED_NOUNS = MEASURE_NOUNS | _words("framework guidance guideline")
AUTHOR_LOOKBACK = 8
"""Sentences back an ownerless "the rule" may reach for the government that issued it."""


def _measure_author(sent: Sentence) -> list[Resolved]:
    """Who issued the measure the text is describing, when it says only "the rule".

    "BIS published its framework for ... The rule split the world into tiers. Rivals stayed shut
    out.": an agentless restriction while the sentences around speak of an ownerless "the rule"
    is that rule's, and the rule is the one a government last issued in the few sentences before.
    """
    window = [*sent.previous[-2:], sent]
    if not any(_ownerless_measure(t) for s in window for t in s.span):
        return []
    doc = sent.span.doc
    by_token = {i: a for a in sent.context for i in range(a.mention.start, a.mention.end)}
    earlier = [s for s in doc.sents if s.end <= sent.span.start][-AUTHOR_LOOKBACK:]
    for span in reversed(earlier):
        for tok in (t for t in span if _issues_measure(t)):
            authors = _government_subjects(by_token, tok)
            if authors:
                return authors[:1]
    return []


def _government_subjects(by_token: dict[int, Resolved], verb: Token) -> list[Resolved]:
    """The governments the verb's subject names, by the document's resolved mentions."""
    return [
        by_token[c.i]
        for c in verb.children
        if c.dep_ == "nsubj" and c.i in by_token and by_token[c.i].entity.type is NodeType.GOVERNMENT
    ]


def _issues_measure(tok: Token) -> bool:
    """A verb that issues a measure: "published its framework", "issued the rule"."""
    if tok.lemma_.lower() not in _AUTHOR_VERBS or tok.pos_ != "VERB" or negated(tok):
        return False
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _AUTHORED_NOUNS for c in tok.children)


def _ownerless_measure(tok: Token) -> bool:
    """'The rule', 'the order' with no owner word on it: a measure the text named before."""
    return (
        tok.pos_ == "NOUN"
        and tok.lemma_.lower() in MEASURE_NOUNS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and not any(c.dep_ in ("poss", "compound", "amod", "nmod") for c in tok.children)
    )


_SEIZE_WORDS = _words("assert seize take impose exert gain")


def _campaign_targets(sent: Sentence, verb: Token) -> list[Resolved]:
    """'joined Washington's campaign against China's chip ambitions, restricting exports of
    tools': an export curb with no destination aims at the campaign's target."""
    main = verb.head
    return [
        a
        for t in main.subtree
        if t.lower_ == "against" and t.dep_ == "prep" and t.head.lemma_.lower() in AGENT_NOUNS | MEASURE_NOUNS
        for p in t.children
        if p.dep_ == "pobj"
        for a in _object_args(sent, p)
    ]


_RELEASE_VERBS = _words("release issue publish announce unveil draft write")
