"""RESTRICTS readers and checks that `tables/restricts.yaml` names next to the general roles of
`loaders.frames.roles`: who takes a measure, whom it falls on, licences, orders and deadlines, and
the policy kind the engine names.

Two general readers do most of the work: `restricted` (`_object_args`), the actors an object
phrase points at ("Chinese users", "sales of chips to China", "the Chinese telecom giant"), and
`enactor`, who takes the measure a verb states, source by source: the verb's subject; the owner of
a measure that is its subject; the owner of the agent or measure noun its clause hangs on; for "the
rule", the owner of the measure named before or the government the passage is about. An owner is
what `_noun_owners` reads off a noun: an actor written on it, its "by" phrase, or whoever imposed
it. The word classes are the `restricts_*` and `measure_*` classes of `tables/lexicon.yaml`.
Demonyms are valid targets ("Chinese users" are China's), never enactors, unless they modify a
government noun ("the Chinese government").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import Sentence, chain, hedged, negated, prep_objects
from loaders.frames.tables import lexicon
from loaders.resolve import Resolved

_lex = lexicon().words
RESTRICT_NOUNS = _lex("restricts_nouns")
MEASURE_NOUNS = _lex("restricts_measure_nouns")
STOP_VERBS = _lex("restricts_stop_verbs")
DIVEST_VERBS = _lex("divest_verbs")
_WEAK_NOUNS = _lex("measure_weak_nouns")
IMPOSE_VERBS = _lex("measure_impose_verbs")
RESPOND_VERBS = _lex("measure_respond_verbs")
_LIST_MEMBERS = _lex("measure_list_members")
AGENT_NOUNS = _lex("measure_agent_nouns")
_EXPORT_WORDS = _lex("measure_export_words")
_ACCESS_WORDS = _lex("measure_access_words")
_FROM_OK = _lex("measure_from_ok")
_FIRM_NOUNS = _lex("measure_firm_nouns")
_MODS = ("poss", "compound", "amod", "nmod")
_STATES = frozenset({NodeType.GOVERNMENT})
AUTHOR_LOOKBACK = 8
"""Sentences back an ownerless "the rule" may reach for the government that issued it."""
_PARTICLES = {"cut": "off", "shut": "out"}
_AIMED = ("on", "against", "targeting")
"""Prepositions by which a measure names whom it falls on: "a ban on X", "curbs against X"."""
_AIMED_NOUNS = RESTRICT_NOUNS - _WEAK_NOUNS | {"control"}


def _governing_verb(tok: Token) -> Token | None:
    """The verb a noun is the object of, directly or through a preposition ("retaliated with curbs")."""
    if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head
    return None


def _subject_tokens(verb: Token) -> list[Token]:
    """The verb's own subjects, else (for a conjoined verb) those of the verb it is joined to."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if own or verb.dep_ != "conj":
        return own
    return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]


def _states(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.entity.type is NodeType.GOVERNMENT]


def _named(args: list[Resolved]) -> list[Resolved]:
    """The actors named by name (no demonym, pronoun or description)."""
    return [a for a in args if a.mention.kind == "name"]


def _as_state(arg: Resolved) -> Resolved:
    if arg.mention.kind == "demonym":
        return replace(arg, mention=replace(arg.mention, kind="name"))
    return arg


def _people_as_states(sent: Sentence, args: list[Resolved]) -> list[Resolved]:
    """'President Biden signed legislation that ...': a leader enacting a measure acts for the state."""
    out: list[Resolved] = []
    for a in args:
        state = None
        if a.entity.type is NodeType.PERSON and a.entity.country and sent.places is not None:
            state = sent.places.state(a.entity.country)
        out.append(Resolved(a.mention, state, ()) if state is not None else a)
    return out


# --- who takes the measure -------------------------------------------------------------------


def enactor(sent: Sentence, verb: Token, _: str = "") -> list[Resolved]:
    """Who takes the measure a verb states, from the first source that names someone: the verb's
    subject (or the state of "his administration"); the owner of a measure that is its subject
    ("the administration's new rules restrict", "the rule" -> the measure named before); the owner
    of the agent or measure noun its clause hangs on ("U.S. efforts to curb", "new rules
    restricting"); else a name written before a verb the parse left without a subject."""
    found = sent.subjects(verb) or _leader_state(sent, verb)
    for subj in _subject_tokens(verb):
        if subj.dep_ == "nsubj" and subj.lemma_.lower() in MEASURE_NOUNS:
            found = found or _noun_owners(sent, subj) or _earlier_owner(sent, subj)
    found = found or _hung_on_owners(sent, verb)
    if not found and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        found = _named(sent.surface_subjects(verb))
    return found


def _hung_on_owners(sent: Sentence, verb: Token) -> list[Resolved]:
    """The owner of the agent or measure noun a clause hangs on: "U.S. efforts to curb ...",
    "pressure from X to restrict ...", "new rules restricting ..." (their issuer)."""
    head = verb.head.lemma_.lower()
    if (verb.dep_ in ("acl", "xcomp") and head in AGENT_NOUNS) or (
        verb.dep_ in ("acl", "relcl") and head in MEASURE_NOUNS
    ):
        return _noun_owners(sent, verb.head, ("from", "by"))
    return []


def written_states(sent: Sentence, noun: Token, _: str = "") -> list[Resolved]:
    """The actors written on a noun as its owner, as states: "Washington's push", "US controls"."""
    return [
        _as_state(a)
        for c in noun.children
        if c.dep_ in _MODS and c.lower_ not in ("its", "their")
        for a in sent.args_of(c, through_nouns=False)
    ]


def _noun_owners(sent: Sentence, noun: Token, preps: Collection[str] = ("by",)) -> list[Resolved]:
    """Who a measure or agent noun says acts: an actor written on it; its "by" phrase ("a ban by X",
    "the rule announced by X", for an agent noun "pressure from X"); else whoever imposed it ("the
    Bureau activated a denial order"; "President X signed rules": the state X leads)."""
    bys = prep_objects(noun, preps) + [
        p for c in noun.children if c.dep_ == "acl" for p in prep_objects(c, ("by",))
    ]
    owners = written_states(sent, noun) + [a for p in bys for a in sent.args_of(p)]
    governor = _governing_verb(noun)
    if owners or governor is None or governor.lemma_.lower() not in IMPOSE_VERBS:
        return owners
    subjects = sent.subjects(governor)
    return _people_as_states(sent, subjects) if governor.lemma_.lower() == "sign" else subjects


def _leader_state(sent: Sentence, verb: Token) -> list[Resolved]:
    """'his administration was pressing ahead with tariffs': the state of the leader "his" is."""
    rulers = [
        s for s in verb.children if s.dep_ == "nsubj" and s.lemma_.lower() in ("administration", "government")
    ]
    his = [c for s in rulers for c in s.children if c.dep_ == "poss" and c.lower_ in ("his", "her")]
    return _states(_people_as_states(sent, _previous_person(sent, his[0]))) if his else []


def _previous_person(sent: Sentence, tok: Token) -> list[Resolved]:
    """The person a "his"/"her" is: the last named before it, else the first named in the sentence
    before (the one that sentence is about, before anyone they deal with)."""
    here = [a for a in sent.args if a.mention.end <= tok.i and a.entity.type is NodeType.PERSON]
    before = [a for prev in sent.previous[-1:] for a in _named(prev.args) if a.entity.type is NodeType.PERSON]
    return here[-1:] or before[:1]


def _earlier_owner(sent: Sentence, measure: Token) -> list[Resolved]:
    """Whose "the rule" is: the owner of the measure named before; else the government the passage
    is about; else the state of the leader it is about ("President X signed an order. The order ...")."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in measure.children):
        return []
    found = _previous_measure_owner(sent)
    salient = sent.salient(_STATES) or sent.salient(frozenset({NodeType.PERSON}))
    return found or (_people_as_states(sent, [salient]) if salient is not None else [])


def _previous_measure_owner(sent: Sentence) -> list[Resolved]:
    """The government owning the last measure named with an owner in the two sentences before:
    "The rule announced by the Commerce Department widens ... The change denies Huawei ..."."""
    nouns = MEASURE_NOUNS | RESTRICT_NOUNS - _WEAK_NOUNS
    return _earlier(sent, 2, nouns, lambda prev, m: _states(_noun_owners(prev, m)))


def _earlier(
    sent: Sentence, back: int, nouns: Collection[str], read: Callable[[Sentence, Token], list[Resolved]]
) -> list[Resolved]:
    """What `read` finds first on a measure noun of the `back` sentences before, the last first."""
    for prev in reversed(sent.previous[-back:]):
        for m in prev.span:
            found = read(prev, m) if m.pos_ == "NOUN" and m.lemma_.lower() in nouns else []
            if found:
                return found
    return []


def under_measure(sent: Sentence, verb: Token, _: str = "") -> list[Resolved]:
    """The owner of the measure a clause is under: "barred ... under US export controls" -> the US."""
    for t in verb.subtree:
        if t.dep_ == "prep" and t.lower_ in ("under", "by"):
            for p in t.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in RESTRICT_NOUNS | MEASURE_NOUNS:
                    return written_states(sent, p)
    return []


def salient_enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The government the passage is about, unless named only as one of a list of three or more
    ("allies such as Japan, the Netherlands and Taiwan may buy freely": parties the measure sorts);
    else the issuer of the ownerless "the rule" the sentences around speak of."""
    salient = sent.salient(_STATES)
    if salient is not None and not any(
        prev.span.start <= salient.mention.start < prev.span.end and _in_long_list(prev, salient, _STATES)
        for prev in sent.previous
    ):
        return [salient]
    return _measure_author(sent)


def _in_long_list(sent: Sentence, arg: Resolved, types: frozenset[NodeType] | None = None) -> bool:
    """The actor is one member of a list of three or more (of those types): "groups such as A, B and C"."""
    root = sent.span.doc[arg.mention.start : arg.mention.end].root
    return len({a.entity.id for a in sent.args_of(root) if types is None or a.entity.type in types}) >= 3


def _measure_author(sent: Sentence) -> list[Resolved]:
    """Who issued the measure the text describes when it says only "the rule": "BIS published its
    framework ... The rule split the world into tiers. Rivals stayed shut out." -> BIS, the
    government that last issued a measure in the few sentences before."""
    window = [*sent.previous[-2:], sent]
    if not any(_ownerless_measure(t) for s in window for t in s.span):
        return []
    by_token = {i: a for a in sent.context for i in range(a.mention.start, a.mention.end)}
    earlier = [s for s in sent.span.doc.sents if s.end <= sent.span.start][-AUTHOR_LOOKBACK:]
    issuers = [c for span in reversed(earlier) for t in span if _issues_measure(t) for c in t.children]
    return _states([by_token[c.i] for c in issuers if c.dep_ == "nsubj" and c.i in by_token])[:1]


def _issues_measure(tok: Token) -> bool:
    """A verb that issues a measure: "published its framework", "issued the rule"."""
    if tok.lemma_.lower() not in IMPOSE_VERBS | _lex("measure_publish_verbs") or tok.pos_ != "VERB":
        return False
    issued = MEASURE_NOUNS | _lex("measure_guidance_nouns")
    return not negated(tok) and any(c.dep_ == "dobj" and c.lemma_.lower() in issued for c in tok.children)


def _ownerless_measure(tok: Token) -> bool:
    """'The rule', 'the order' with no owner word on it: a measure the text named before."""
    return (
        tok.pos_ == "NOUN"
        and tok.lemma_.lower() in MEASURE_NOUNS
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and not any(c.dep_ in _MODS for c in tok.children)
    )


# --- whom it falls on ------------------------------------------------------------------------


def _object_args(sent: Sentence, tok: Token, depth: int = 0, shut_out: bool = False) -> list[Resolved]:
    """Actors an object phrase points at: itself, its possessor or demonym, its to/in/on phrases.

    Under an access noun ("access to its API from mainland China"), "from" names who is shut out.
    """
    if depth > 3:
        return []
    shut_out = shut_out or tok.lower_ in _FROM_OK
    if tok.pos_ == "VERB":  # a gerund or participle in the phrase: follow its object and preps only
        return _pcomp_targets(sent, tok, depth, shut_out)
    if sent.at(tok) is None and _is_described_firm(tok):
        # "cut the Chinese telecom giant off": that firm, never the demonym's state
        return _described_firm(sent, tok)
    out = list(sent.args_of(tok))
    for c in tok.children:
        out.extend(_child_args(sent, tok, c, depth, shut_out))
    return out


def _child_args(sent: Sentence, tok: Token, c: Token, depth: int, shut_out: bool) -> list[Resolved]:
    """What one word on the object phrase adds: goods sent somewhere ("tools sold to China"), an
    actor written on it, its phrases, the investee of "investments by X in Y", a conjunct."""
    if c.dep_ == "acl" and c.lemma_.lower() in _lex("measure_flow_verbs"):
        return _object_args(sent, c, depth + 1, shut_out)
    if c.dep_ in _MODS and c.i < tok.i:
        return _modifier_args(sent, tok, c)
    if c.dep_ == "prep" and (c.lower_ in _lex("measure_object_preps") or (c.lower_ == "from" and shut_out)):
        return _prep_args(sent, tok, c, depth, shut_out)
    if c.dep_ == "prep" and c.lower_ == "by" and tok.pos_ == "NOUN":
        return _investee_args(sent, c, depth)
    return _object_args(sent, c, depth + 1, shut_out) if c.dep_ == "conj" else []


def _investee_args(sent: Sentence, by: Token, depth: int) -> list[Resolved]:
    """The investee, not the investor: "investments by US persons in Chinese companies"."""
    return [
        a
        for p in by.children
        for q in prep_objects(p, ("in", "into"))
        for a in _object_args(sent, q, depth + 1)
    ]


def _pcomp_targets(sent: Sentence, verb: Token, depth: int = 0, shut_out: bool = False) -> list[Resolved]:
    """What a gerund or participle reaches: its object and its to/in/into/for phrases ("barred from
    selling its chips to China": the "to" phrase may hang on the gerund, not the object)."""
    out = [a for c in verb.children if c.dep_ == "dobj" for a in _object_args(sent, c, depth + 1, shut_out)]
    return out + [
        a for p in prep_objects(verb, ("to", "in", "into", "for")) for a in _object_args(sent, p, depth + 1)
    ]


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
        if g.dep_ in _MODS and g.i < c.i and sent.at(g) is not None:
            out.extend(sent.args_of(g, through_nouns=False))
    return out


def _prep_args(sent: Sentence, tok: Token, prep: Token, depth: int, shut_out: bool) -> list[Resolved]:
    """The object noun's phrases: "sales of chipmaking technology to China"."""
    if prep.lower_ == "of" and tok.lemma_.lower() in _lex("measure_buy_nouns"):
        return []  # "blocked Huawei's purchase of a Dutch plant": the buyer is stopped, not the plant
    return [
        a
        for p in prep.children
        # "chips of US origin": where goods come from is not who is restricted
        if p.dep_ in ("pobj", "pcomp") and p.lemma_.lower() not in ("origin", "design")
        for a in _object_args(sent, p, depth + 1, shut_out)
    ]


def barred_from(sent: Sentence, verb: Token, _: str = "") -> list[Resolved]:
    """What the one a verb bars or keeps is kept from: "barred from buying shares in Chinese firms",
    "kept X from buying Acme's chips" -> Acme."""
    out: list[Resolved] = []
    for p in prep_objects(verb, ("from", "of"), ("pobj", "pcomp")):
        if p.dep_ == "pcomp":
            out.extend(_pcomp_targets(sent, p))
        else:
            out.extend(_named(_object_args(sent, p)))
    return out


def worker_under(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who works under the measure a noun names: the subject of the clause its "under" phrase sits
    in, or of the clause above ("Chinese labs have spent years working under US controls" -> China)."""
    verbs = [v for v in chain(tok.head.head) if v.pos_ in ("VERB", "AUX") and _subject_tokens(v)]
    return [a for s in _subject_tokens(verbs[0]) for a in _object_args(sent, s)] if verbs else []


def _campaign_targets(sent: Sentence, verb: Token) -> list[Resolved]:
    """'joined Washington's campaign against China's chip ambitions, restricting exports of
    tools': an export curb with no destination aims at the campaign's target."""
    return [
        a
        for t in verb.head.subtree
        if t.lemma_.lower() in AGENT_NOUNS | MEASURE_NOUNS
        for p in prep_objects(t, ("against",))
        for a in _object_args(sent, p)
    ]


def _goods_makers(sent: Sentence, tok: Token) -> list[Resolved]:
    """Makers of the goods a trade gerund names: "selling phones made by A and B", "selling B phones"."""
    goods = tok
    if tok.lemma_.lower() in _lex("measure_trade_gerunds") and tok.pos_ == "VERB":
        goods = next((c for c in tok.children if c.dep_ == "dobj"), tok)
        if goods.i == tok.i:
            return []
    makers = _made_by(sent, goods.children)
    makers += [
        a
        for c in goods.children
        if c.dep_ in ("compound", "poss", "nmod") and c.i < goods.i
        for a in sent.args_of(c, through_nouns=False)
    ]
    return _named(makers)


def _made_by(sent: Sentence, words: Iterable[Token]) -> list[Resolved]:
    """Who made the goods, by the "by" phrase of a participle among the words ("phones made by A and
    B"): every name in the phrase, since the parse often hangs "A and B X" on the last name."""
    return [
        a
        for c in words
        if c.dep_ == "acl" and c.lemma_.lower() in _lex("measure_made_verbs")
        for g in c.children
        if g.dep_ == "agent"
        for a in sent.mentions_in(g.subtree)
    ]


def _sold_to(sent: Sentence, verb: Token, licence: Token) -> list[Resolved]:
    """Who the licensed goods go to: "to sell to SMIC", "exports of X to China", "selling chips to
    Huawei"; and the designer of goods that need the licence ("chips designed by Huawei")."""
    roots = [verb, licence]
    roots += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "xcomp", "advcl")]
    roots += [c for c in licence.children if c.dep_ in ("acl", "relcl", "prep")]
    preps = {t.i: t for root in roots for t in root.subtree if _to_phrase(t)}
    out = [a for t in preps.values() for p in t.children if p.dep_ == "pobj" for a in _object_args(sent, p)]
    # the designer of the goods the verb's subject names: "chips designed by Huawei will need a licence"
    designers = [
        a for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for a in _made_by(sent, c.subtree)
    ]
    return out + designers


def _to_phrase(t: Token) -> bool:
    """A 'to' phrase: "sell to X", "exports of X to China"; not "subject to US rules" (what governs
    the goods, not where they go)."""
    return t.lower_ == "to" and t.dep_ in ("prep", "dative") and t.head.lower_ not in ("subject", "according")


def _inflow_from(sent: Sentence, verb: Token) -> list[Resolved]:
    """Who the approved inflow comes from: "investments from countries bordering India, in practice China"."""
    return [
        a
        for subj in verb.children
        if subj.dep_ in ("nsubj", "nsubjpass") and subj.lemma_.lower() in _lex("measure_inflow_nouns")
        for p in prep_objects(subj, ("from", "in", "by"))
        for a in _object_args(sent, p)
    ]


def _state_given(sent: Sentence, tok: Token) -> bool:
    """An approval a state gives: "government approval", "Chinese approval", "approval from Beijing"."""
    others = [t for t in tok.subtree if t.i != tok.i]
    words = _lex("measure_state_words") | {"authorities", "regulators"}
    return any(t.lower_ in words for t in others) or bool(_states(sent.mentions_in(others)))


def _is_blacklist(tok: Token) -> bool:
    """A list of restricted parties: "the Entity List", "a trade blacklist", "its list of companies"."""
    if tok.lower_ in ("blacklist", "blacklists"):
        return True
    if tok.lemma_.lower() != "list":
        return False
    if tok.text == "List" and tok.i > 0 and tok.nbor(-1).text[:1].isupper():
        return True  # a named list: "the Entity List", "the Unverified List"
    modifiers = _lex("measure_list_modifiers")
    if any(c.lower_ in modifiers for c in tok.children if c.dep_ in ("compound", "amod")):
        return True
    return any(g.lower_ in _LIST_MEMBERS for g in prep_objects(tok, ("of",)))


def _listed(sent: Sentence, tok: Token) -> list[Resolved]:
    """Named members of "dozens of other Chinese companies including A and B" (not the demonym)."""
    out = list(sent.args_of(tok)) + [a for p in prep_objects(tok, ("of",)) for a in sent.args_of(p)]
    return _named(out)


def _examples_after(sent: Sentence, noun: Token) -> list[Resolved]:
    """Named examples "including A and B" / "such as A and B" following a member noun in its clause."""
    for t in sent.span[noun.i - sent.span.start + 1 :]:
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("conj", "ROOT") and t.lower_ != "including":
            return []  # a new clause: its examples are another list's
        if t.lower_ in ("including", "like") or (t.lower_ == "as" and t.nbor(-1).lower_ == "such"):
            return [a for p in t.children if p.dep_ == "pobj" for a in _listed(sent, p)]
    return []


# --- described firms -------------------------------------------------------------------------


def _is_described_firm(tok: Token) -> bool:
    """'the US company', 'the Chinese chipmaker': a singular firm noun with "the" and a home state."""
    return (
        tok.lemma_.lower() in _FIRM_NOUNS
        and tok.tag_ == "NN"
        and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)
    )


def _described_firm(sent: Sentence, noun: Token) -> list[Resolved]:
    """The firm a described noun ("the US company", "the Shenzhen-based group") stands for: the one
    firm (of the country on the noun, if any) named earlier in the sentence, else in the sentence
    just before; two such firms name nobody. Else the salient firm that fits (`Sentence.definite`)."""
    countries = _home_countries(sent, noun)
    for where, end in [(sent, noun.i), *((prev, prev.span.end) for prev in sent.previous[-1:])]:
        firms = {a.entity.id: a for a in where.args if a.mention.end <= end and _fits(where, a, countries)}
        if firms:
            return list(firms.values()) if len(firms) == 1 else []
    return sent.definite(noun)


def _fits(sent: Sentence, a: Resolved, countries: set[str | None]) -> bool:
    """A firm named by name, of one of the countries (of any, for none), not one of a long list."""
    return (
        a.mention.kind == "name"
        and a.entity.type is NodeType.COMPANY
        and (not countries or a.entity.country in countries)
        and not _in_long_list(sent, a)
    )


def _home_countries(sent: Sentence, noun: Token) -> set[str | None]:
    """The countries a demonym or country on the noun names, else the country of its city
    ("the Shenzhen-based group")."""
    countries = {
        a.entity.country
        for c in noun.children
        if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i
        for a in [sent.at(c)]
        if a is not None and a.entity.type is NodeType.GOVERNMENT
    }
    return countries or _city_country(sent, noun)


def _city_country(sent: Sentence, noun: Token) -> set[str | None]:
    """The country of the city in "<City>-based" on the noun."""
    based = [c for c in noun.children if c.i < noun.i and c.lower_ in ("based", "headquartered")]
    cities = [w.text for c in based for w in c.lefts if w.is_title or w.is_upper]
    state = sent.places.state_of(cities[0]) if cities and sent.places is not None else None
    return {state.country} if state is not None and state.country else set()


# --- small shared tests ----------------------------------------------------------------------


def _mentions_words(tokens: list[Token], words: frozenset[str]) -> bool:
    return any(t.lower_ in words for root in tokens for t in root.subtree)


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
    if words & _lex("measure_export_kind"):
        return "export controls"
    if words & _ACCESS_WORDS or lemma in ("block", "bar", "cut", "suspend", "exclude"):
        return "access restrictions"
    if lemma == "ban":
        return "ban"
    return "restrictions"


# --- the verb's and the measure's targets, lists, orders, licences and deadlines -------------


def _aimed_at(sent: Sentence, tok: Token, preps: Collection[str]) -> list[Resolved]:
    """The actors the objects of the word's phrases with these prepositions point at."""
    return [a for p in prep_objects(tok, preps) for a in _object_args(sent, p)]


def _comps(tok: Token, deps: Collection[str] = ("xcomp", "ccomp", "advcl")) -> list[Token]:
    """The verb's complement clauses: "ordered X to stop ...", "will not allow X to be used ..."."""
    return [c for c in tok.children if c.dep_ in deps]


def restricted(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors an object phrase points at."""
    return _object_args(sent, tok)


def restricted_objects(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom an active restricting verb falls on (a weak verb only with access or trade words): its
    objects and its to/on/against/from phrases."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    if not objects:
        return [a for a in sent.surface_objects(tok) if a.mention.kind in ("name", "demonym")]
    out = [a for o in objects for a in _object_args(sent, o)]
    if not out and tok.dep_ == "advcl" and _mentions_words(objects, _EXPORT_WORDS):
        out = _campaign_targets(sent, tok)
    return out + _kept_out(sent, tok, objects)


def _kept_out(sent: Sentence, tok: Token, objects: list[Token]) -> list[Resolved]:
    """The verb's in/to/on/against phrases, and 'from' where it names whom the measure keeps out."""
    from_ok = tok.lemma_.lower() in _lex("restricts_from_verbs") or any(o.lower_ in _FROM_OK for o in objects)
    preps = ("in", "to", "on", "against", "from") if from_ok else ("in", "to", "on", "against")
    gerunds = prep_objects(tok, preps, ("pcomp",))  # "banned Nvidia from selling chips to China"
    return _aimed_at(sent, tok, preps) + [a for g in gerunds for a in _pcomp_targets(sent, g)]


def particle(tok: Token, _: str = "") -> bool:
    """'cut X off', 'shut X out': the verbs that restrict only with their particle have it."""
    particle = _PARTICLES.get(tok.lemma_.lower())
    return particle is None or any(c.dep_ in ("prt", "prep") and c.lower_ == particle for c in tok.children)


def unhedged(tok: Token, _: str = "") -> bool:
    """Stated as fact: not hedged ("would be barred if ..." is: its modal hedges it)."""
    return not hedged(tok)


def not_own_people(sources: list[Resolved], targets: list[Resolved]) -> list[Resolved]:
    """A state (or its agency) limiting its own people ("bars American investors") is no target."""
    own = {s.entity.country for s in _states(sources) if s.entity.country}
    return [t for t in targets if not (t.mention.kind == "demonym" and t.entity.country in own)]


def measure_targets(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom a measure noun falls on: "a ban on Acme", "curbs targeting X", "restrictions on the
    export of chips to China" (the 'to' on the verb), "a denial order against Acme", "retaliated
    against X with curbs" (who holds a measure, "Acme faces US curbs", is for the measure_faced,
    measure_held and subject_to frames). Nothing for a noun in another sense ("a purchase order",
    "price controls")."""
    targets = _named_on(sent, tok)
    verb = _governing_verb(tok)
    if (
        verb is not None
        and tok.dep_ in ("dobj", "pobj")
        and all(t.mention.kind == "demonym" for t in targets)
    ):
        # "lifted a ban on sales of American parts to Acme", "retaliated against Acme with curbs":
        # the target hangs off the verb
        retaliates = verb.lemma_.lower() in RESPOND_VERBS
        later = [p for p in prep_objects(verb, (*_AIMED, "to")) if p.i > tok.i or retaliates]
        targets += [a for p in later for a in _object_args(sent, p)]
    return targets if _measure_sense(tok, targets) else []


def _named_on(sent: Sentence, tok: Token) -> list[Resolved]:
    """The actors the measure's own phrases name: "a ban on X", "curbs targeting X"."""
    acls = [c for c in tok.children if c.dep_ == "acl" and c.lower_ in ("targeting", "aimed", "affecting")]
    named = [sent.at(p) for acl in acls for p in acl.subtree if p.i != acl.i]
    return _aimed_at(sent, tok, (*_AIMED, "to", "for")) + [a for a in named if a is not None]


def _measure_sense(tok: Token, targets: list[Resolved]) -> bool:
    """The noun names a restriction: an "order" only of a restricting kind ("a denial order"); a
    weak noun ("controls", "limits") only with a trade word or, for plain plural "controls", named
    targets ("new controls on Chinese chipmakers")."""
    lemma = tok.lemma_.lower()
    compounds = [c for c in tok.children if c.dep_ in ("compound", "amod")]
    if lemma == "order":
        return any(c.lower_ in _lex("measure_order_kinds") for c in compounds)
    if lemma not in _WEAK_NOUNS or _trade_word(tok, compounds):
        return True
    if targets and lemma in ("limit", "block", "limitation"):
        return True
    named = any(t.mention.kind in ("name", "demonym") for t in targets)
    plain = not any(c.dep_ == "compound" for c in compounds)
    return named and lemma == "control" and plain and tok.tag_ == "NNS"


def _trade_word(tok: Token, compounds: list[Token]) -> bool:
    """A trade word on the measure ("export controls") or in its 'on' phrase ("limits on sales")."""
    if any(c.lower_ in _EXPORT_WORDS or c.lower_ in ("trade", "investment") for c in compounds):
        return True
    return any(
        p.lower_ in ("on", "targeting")
        and any(g.dep_ == "pobj" and g.lemma_.lower() in _lex("measure_traded") for g in p.children)
        for p in tok.children
    )


def imposer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who imposes the measure a noun names: the subject of "imposed/lifted/expanded curbs", or of
    "retaliated with curbs"."""
    verb = _governing_verb(tok)
    lemma = verb.lemma_.lower() if verb is not None else ""
    if verb is not None and (lemma in IMPOSE_VERBS or (lemma in RESPOND_VERBS and tok.head.lower_ == "with")):
        return enactor(sent, verb)
    return []


def hedge(tok: Token) -> bool | None:
    """Whether a measure is hedged, where `base.hedged` on the trigger would misjudge it:
    "pressing ahead with tariffs" is as hedged as its verb alone."""
    governor = _governing_verb(tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if governor is not None and any(
        c.lower_ in _lex("measure_ahead_words") and c.dep_ in ("advmod", "prt") for c in governor.children
    ):
        return hedged(governor)
    return None


def _blacklists(tok: Token, preps: Collection[str]) -> list[Token]:
    """The blacklists in the word's (or its object's) phrases: "added X to the Entity List"."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    return [g for h in heads for g in prep_objects(h, preps) if _is_blacklist(g)]


def on_blacklist(tok: Token, preps: str) -> bool:
    """The word (or its object) has a phrase with one of the prepositions on a list of restricted
    parties: "the Entity List", "a trade blacklist", "its list of companies"."""
    return bool(_blacklists(tok, preps.split("|")))


def list_keeper(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who keeps the list the word puts someone on: "the Pentagon's list", "the US Entity List"."""
    lists = _blacklists(tok, ("to", "on", "onto"))
    return _states(written_states(sent, lists[0])) if lists else []


def listed(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom a listing verb puts on the list: its object ("named SMIC on its list", the small model's
    predicate included), the demonym one modifier out, the named examples after a counted member
    noun ("140 entities, including A and B"), a passive's subject, and those "along with" them."""
    if any(c.dep_ == "auxpass" for c in tok.children):
        out = [a for c in tok.children if c.dep_ == "nsubjpass" for a in sent.args_of(c)]
    else:
        out = _listed_objects(sent, tok)
    if not out:
        return []
    along = [  # members added "along with" / "including" / "with" the listed
        g
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ in ("along", "including", "with")
        for g in prep.subtree
        if g.dep_ == "pobj" and g.head.head.i in (prep.i, tok.i)
    ]
    return out + [a for g in along for a in _listed(sent, g)]


def _listed_objects(sent: Sentence, tok: Token) -> list[Resolved]:
    """The listing verb's objects, else the named examples after a counted member noun."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "oprd")]
    direct = [c for c in objects if c.dep_ == "dobj"]
    out = [a for c in objects for a in sent.args_of(c)]
    out = out or [a for c in direct for a in _object_args(sent, c)]
    members = [c for c in direct if c.lemma_.lower() in _LIST_MEMBERS]
    return out or [a for c in members for a in _examples_after(sent, c)]


def listed_subject(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The named subject of "has been on the Entity List" (a described firm: "the Shenzhen-based
    group" is the one named before)."""
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    return _named([a for c in subjects for a in _object_args(sent, c)])


def comp_in(tok: Token, cls: str) -> bool:
    """The verb's first complement clause of a stopping or selling kind is of the class."""
    ordered = STOP_VERBS | DIVEST_VERBS
    comps = [c for c in _comps(tok) if c.lemma_.lower() in ordered]
    return bool(comps) and comps[0].lemma_.lower() in _lex(cls)


def stopped_makers(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The makers of goods an order stops trade in: "ordered stores to stop selling phones made by
    A and B" -> A and B, not the stores told to comply."""
    stops = [c for c in _comps(tok) if c.lemma_.lower() in STOP_VERBS]
    goods = [g for c in stops for g in c.children if g.dep_ in ("xcomp", "dobj")]
    return [a for g in goods for a in _goods_makers(sent, g)]


def as_in(tok: Token, cls: str) -> bool:
    """An 'as' phrase on the verb holds a word of the class ("names X as a country of concern")."""
    words = _lex(cls)
    return any(
        p.dep_ == "prep" and p.lower_ == "as" and any(t.lower_ in words for t in p.subtree)
        for p in tok.children
    )


def from_doing(tok: Token, _: str = "") -> bool:
    """The verb keeps someone "from <doing>": "kept X from buying", not "kept its promise"."""
    return bool(prep_objects(tok, ("from",), ("pcomp",)))


def moves_goods(tok: Token, _: str = "") -> bool:
    """A complement clause of the verb moves or buys goods ("allow the country to be used as a
    route for moving chips")."""
    return any(
        t.lemma_.lower() in _lex("measure_move_verbs")
        for c in _comps(tok, ("xcomp", "ccomp"))
        for t in c.subtree
    )


def refused_destinations(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Where a refused movement of goods would go: the 'to' phrases and the "such as" members
    under the refused act."""
    return [
        a
        for comp in _comps(tok, ("xcomp", "ccomp"))
        for t in comp.subtree
        if t.dep_ == "pobj"
        and (_to_phrase(t.head) or (t.head.lower_ == "as" and t.doc[t.head.i - 1].lower_ == "such"))
        for a in _object_args(sent, t)
    ]


def licensed_to(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who the licensed sales go to ("a licence to sell to X", "chips designed by X will need a
    licence"), never the licensee selling."""
    return _sold_to(sent, tok.head, tok)


def approved_inflow(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who needs a state's approval: where the licensed goods go or the approved inflow comes
    from ("investments from X have needed government approval"); nothing for a firm's own
    approval ("needed board approval")."""
    if not _state_given(sent, tok):
        return []
    return _sold_to(sent, tok.head, tok) + _inflow_from(sent, tok.head)


def licensor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The government that requires or revokes the licence: who revokes it; the state requiring
    it ("the US has required licences for ..."); else the state whose licence it is ("a US
    licence", with the agency whose rule was named just before). The frames go on to the
    government announcing the requirement (`head.clause_subject`) and to `standing_rule`."""
    head = tok.head
    verb = head.lemma_.lower()
    if verb in _lex("measure_revoke_verbs"):
        return enactor(sent, head)
    if verb == "require" and tok.dep_ == "dobj" and _states(sent.subjects(head)):
        return sent.subjects(head)
    return _licence_states(sent, tok)


def _licence_states(sent: Sentence, tok: Token) -> list[Resolved]:
    """The state written on the licence ("a US licence"), with its agency whose rule came before."""
    out = written_states(sent, tok)
    countries = {s.entity.country for s in _states(out)}
    if countries:
        out += [a for a in _previous_measure_owner(sent) if a.entity.country in countries]
    return out


def standing_rule(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whose rule a plain requirement is: "Acme must now obtain a licence to sell to X" belongs to
    the rule named just before, else to the government the passage is about; a state approval
    ("investments from X have needed government approval") to that government."""
    clearance = tok.lemma_.lower() in _lex("measure_clearance_nouns")
    head = tok.head
    if not clearance and (head.lemma_.lower() not in ("need", "obtain") or hedged(head)):
        return []
    found = [] if clearance else _previous_measure_owner(sent)
    salient = sent.salient(frozenset({NodeType.GOVERNMENT}))
    return found or ([salient] if salient is not None else [])


def _sells(tok: Token) -> list[Token]:
    """The selling clauses of a deadline: "gives X nine months to sell ..." (the deadline noun is
    looked for anywhere under the verb: the small model may hang it as an apposition of X)."""
    times = [
        t for t in tok.subtree if t.lemma_.lower() in _lex("measure_deadline_nouns") and t.pos_ == "NOUN"
    ]
    if not times:
        return []
    clauses = [t for time in times for t in time.children if t.dep_ in ("advcl", "xcomp", "acl", "relcl")]
    clauses += [t for t in tok.children if t.dep_ in ("advcl", "xcomp")]
    return [t for t in clauses if t.lemma_.lower() in DIVEST_VERBS]


def deadline_to_sell(tok: Token, _: str = "") -> bool:
    """The verb gives a deadline to sell ("gives X nine months to sell its US business")."""
    return bool(_sells(tok))


def deadline_sale(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What must be sold by the deadline: what the selling clause names ("to sell TikTok")."""
    sold = [c for sell in _sells(tok) for c in sell.children if c.dep_ == "dobj"]
    return [a for c in sold for a in _object_args(sent, c)]


def earlier_targets(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom the measure named in the sentence before falls on ("Washington's package of controls
    against China ... The rules, released Monday by ..." -> China)."""
    return _earlier(sent, 1, _AIMED_NOUNS, lambda prev, m: _named(_aimed_at(prev, m, _AIMED)))


def is_subject(tok: Token, _: str = "") -> bool:
    """The word is a clause's subject."""
    return tok.dep_ in ("nsubj", "nsubjpass")


def kind(policy: str, tok: Token) -> str:
    """The kind of measure a frame names: its table's words, or named from the words of the trigger
    by mode: `auto` (the trigger and the words around it), `arguments` (a verb's object, subject
    and phrases), `own` (a noun's own words: "export controls"), `subject` (a measure that is the
    subject: "the sanctions hit X")."""
    if policy == "subject":
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), tok)
        return measure_kind(subject, [subject, *tok.children])
    context = {
        "auto": [tok.head, *tok.children],
        "own": list(tok.children),
        "arguments": [c for c in tok.children if c.dep_ in ("dobj", "prep", "nsubjpass")],
    }
    return measure_kind(tok, context[policy]) if policy in context else policy
