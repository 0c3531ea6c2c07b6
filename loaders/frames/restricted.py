"""RESTRICTS readers and checks that `tables/restricts.yaml` names next to the general roles of
`loaders.frames.roles`: whom a restricting verb or measure noun falls on (`restricted_objects`,
`barred_from`, `measure_targets`, `listed`), who takes the measure (`enactor`,
`written_states`, `under_measure`: "under US export controls", `salient_enactor`: the government
the passage is about), licences, orders and deadlines, and the policy kind the engine names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.frames import measures
from loaders.frames.tables import lexicon
from loaders.patterns.base import Sentence, hedged
from loaders.resolve import Resolved

_PARTICLES = {"cut": "off", "shut": "out"}
_AIMED = ("on", "against", "targeting")
"""Prepositions by which a measure names whom it falls on: "a ban on X", "curbs against X"."""


def _pobjs(
    tok: Token, preps: Collection[str], deps: Collection[str] = ("prep",), obj: str = "pobj"
) -> list[Token]:
    """The objects (or, with `obj="pcomp"`, the gerunds) of the word's phrases with these prepositions."""
    return [
        p for c in tok.children if c.dep_ in deps and c.lower_ in preps for p in c.children if p.dep_ == obj
    ]


def _aimed_at(
    sent: Sentence, tok: Token, preps: Collection[str], deps: Collection[str] = ("prep",)
) -> list[Resolved]:
    """The actors the objects of the word's phrases with these prepositions point at."""
    return [a for p in _pobjs(tok, preps, deps) for a in measures._object_args(sent, p)]


def _comps(tok: Token, deps: Collection[str] = ("xcomp", "ccomp", "advcl")) -> list[Token]:
    """The verb's complement clauses: "ordered X to stop ...", "will not allow X to be used ..."."""
    return [c for c in tok.children if c.dep_ in deps]


def _states(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.entity.type is NodeType.GOVERNMENT]


def enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who takes the measure the verb states."""
    return measures._enactors(sent, tok)


def restricted(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors an object phrase points at."""
    return measures._object_args(sent, tok)


def restricted_objects(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom an active restricting verb falls on (a weak verb only with access or trade words): its
    objects, the owner of banned goods ("banned its chips") and its to/on/against/from phrases."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    if _weak_use(sent, tok, objects):
        return []
    if not objects:
        return [a for a in sent.surface_objects(tok) if a.mention.kind in ("name", "demonym")]
    out = [a for o in objects for a in measures._object_args(sent, o)]
    if not out:
        out = [a for o in objects for a in measures._under_measure_subjects(sent, tok, o)]
    if not out and tok.dep_ == "advcl" and measures._mentions_words(objects, measures._EXPORT_WORDS):
        out = measures._campaign_targets(sent, tok)
    return out + _goods_owners(sent, tok, objects) + _kept_out(sent, tok, objects)


def _goods_owners(sent: Sentence, tok: Token, objects: list[Token]) -> list[Resolved]:
    """The maker of banned goods ("barring its chips from critical networks") is the one kept out."""
    goods = [o for o in objects if o.lemma_.lower() in measures._GOODS]
    owners = [c for o in goods for c in o.children if c.dep_ == "poss" and c.lower_ in ("its", "their")]
    return [a for c in owners for a in measures._goods_owner(sent, tok, c)]


def _weak_use(sent: Sentence, tok: Token, objects: list[Token]) -> bool:
    """A weak verb on neither access, supply or service nor an actor: "limited its losses"."""
    lemma = tok.lemma_.lower()
    if lemma not in lexicon().words("restricts_weak_verbs") or lemma in _PARTICLES:
        return False
    trade = measures._ACCESS_WORDS | measures._EXPORT_WORDS
    return not measures._mentions_words(objects, trade) and not any(sent.at(o) is not None for o in objects)


def _kept_out(sent: Sentence, tok: Token, objects: list[Token]) -> list[Resolved]:
    """The verb's in/to/on/against phrases, and 'from' where it names whom the measure keeps out."""
    from_ok = tok.lemma_.lower() in lexicon().words("restricts_from_verbs") or any(
        o.lower_ in measures._FROM_OK for o in objects
    )
    preps = ("in", "to", "on", "against", "from") if from_ok else ("in", "to", "on", "against")
    gerunds = _pobjs(tok, preps, obj="pcomp")  # "banned Nvidia from selling chips to China"
    return _aimed_at(sent, tok, preps) + [a for g in gerunds for a in measures._pcomp_targets(sent, g)]


def barred_from(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What the one a verb bars or keeps is kept from: "barred from buying shares in Chinese firms",
    "kept X from buying Acme's chips" -> Acme."""
    return measures._barred_from(sent, tok)


def under_measure(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The owner of the measure a clause is under: "barred ... under US export controls" -> the US."""
    return measures._under_measure(sent, tok)


def salient_enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The government the passage is about (not one state of a list), else the issuer of the
    ownerless "the rule" the sentences around speak of."""
    return measures._salient_enactor(sent) or measures._measure_author(sent)


def has_particle(tok: Token) -> bool:
    """'cut X off', 'shut X out': the verbs that restrict only with their particle have it."""
    particle = _PARTICLES.get(tok.lemma_.lower())
    return particle is None or any(c.dep_ in ("prt", "prep") and c.lower_ == particle for c in tok.children)


def unhedged(tok: Token) -> bool:
    """Neither hedged nor the consequence of an 'if'/'unless' clause."""
    return not hedged(tok) and not measures._conditional(tok)


def not_own_people(sources: list[Resolved], targets: list[Resolved]) -> list[Resolved]:
    """A state (or its agency) limiting its own people ("bars American investors") is no target."""
    return [t for t in targets if not (t.mention.kind == "demonym" and measures._same_state(sources, t))]


def measure_targets(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom a measure noun falls on: "a ban on Acme", "curbs targeting X", "restrictions on the
    export of chips to China" (the 'to' on the verb), "a denial order against it", "retaliated
    against X with curbs", "Acme was hit by sanctions", "Acme faces US restrictions", "is subject to
    export controls", "placed Acme under export controls". Nothing for a noun in another sense
    ("a purchase order", "price controls")."""
    targets = _named_on(sent, tok)
    verb = measures._governing_verb(tok)
    if (
        verb is not None
        and tok.dep_ in ("dobj", "pobj")
        and all(t.mention.kind == "demonym" for t in targets)
    ):
        # "lifted a ban on sales of American parts to Acme": the target hangs off the verb
        later = [p for p in _pobjs(verb, (*_AIMED, "to"), ("prep", "dative")) if p.i > tok.i]
        targets += [a for p in later for a in measures._object_args(sent, p)]
    targets = targets or _lost_targets(sent, tok, verb) or measures._restricted_holder(sent, tok)
    return targets if _measure_sense(tok, targets) else []


def _named_on(sent: Sentence, tok: Token) -> list[Resolved]:
    """The actors the measure's own phrases name: "a ban on X", "curbs targeting X"."""
    acls = [c for c in tok.children if c.dep_ == "acl" and c.lower_ in ("targeting", "aimed", "affecting")]
    named = [a for acl in acls for p in acl.subtree if p.i != acl.i for a in measures._maybe(sent, p)]
    return _aimed_at(sent, tok, (*_AIMED, "to", "for")) + named


def _lost_targets(sent: Sentence, tok: Token, verb: Token | None) -> list[Resolved]:
    """Targets away from the measure: "an order against it" (the parse lost it), "retaliated against
    X with curbs", "X was hit by sanctions"."""
    lost = measures._main_subjects(sent) if "it" in (p.lower_ for p in _pobjs(tok, ("against", "on"))) else []
    if not lost and verb is not None and verb.lemma_.lower() in measures.RESPOND_VERBS:
        lost = _aimed_at(sent, verb, ("against",))
    if not lost and tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        lost = [
            a for c in tok.head.head.children if c.dep_ == "nsubjpass" for a in measures._object_args(sent, c)
        ]
    return lost


def _measure_sense(tok: Token, targets: list[Resolved]) -> bool:
    """The noun names a restriction: an "order" only of a restricting kind ("a denial order"); a
    weak noun ("controls", "limits") only with a trade word or, for plain plural "controls", named
    targets ("new controls on Chinese chipmakers")."""
    lemma = tok.lemma_.lower()
    compounds = [c for c in tok.children if c.dep_ in ("compound", "amod")]
    if lemma == "order":
        return any(c.lower_ in measures.ORDER_KINDS for c in compounds)
    if lemma not in measures._WEAK_NOUNS or _trade_word(tok, compounds):
        return True
    if targets and lemma in ("limit", "block", "limitation"):
        return True
    named = any(t.mention.kind in ("name", "demonym") for t in targets)
    plain = not any(c.dep_ == "compound" for c in compounds)
    return named and lemma == "control" and plain and tok.tag_ == "NNS"


def _trade_word(tok: Token, compounds: list[Token]) -> bool:
    """A trade word on the measure ("export controls") or in its 'on' phrase ("limits on sales")."""
    if any(c.lower_ in measures._EXPORT_WORDS or c.lower_ in ("trade", "investment") for c in compounds):
        return True
    return any(
        p.lower_ in ("on", "targeting")
        and any(g.dep_ == "pobj" and g.lemma_.lower() in measures._TRADED for g in p.children)
        for p in tok.children
    )


def written_states(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors written on a noun as modifiers, a demonym as its state: "American sanctions"."""
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and sent.at(c) is not None]
    return [measures._as_state(a) for c in mods for a in sent.args_of(c)]


def imposer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who imposes the measure a noun names: the subject of "imposed/lifted/expanded curbs", or of
    "retaliated with curbs"."""
    verb = measures._governing_verb(tok)
    lemma = verb.lemma_.lower() if verb is not None else ""
    if verb is not None and (
        lemma in measures.IMPOSE_VERBS or (lemma in measures.RESPOND_VERBS and tok.head.lower_ == "with")
    ):
        return measures._enactors(sent, verb)
    return []


def hedge(tok: Token) -> bool | None:
    """Whether a measure is hedged, where `base.hedged` on the trigger would misjudge it: the
    consequence of an 'if' clause is; "pressing ahead with tariffs" is as hedged as its verb alone."""
    if measures._conditional(tok):
        return True
    governor = measures._governing_verb(tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if governor is not None and any(
        c.lower_ in measures.AHEAD_WORDS and c.dep_ in ("advmod", "prt") for c in governor.children
    ):
        return hedged(governor)
    return None


def surface_enactor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The name written before a restricting verb the tagger took for a plural noun ("Acme blocks
    Chinese users"), when the noun reads as no measure."""
    if tok.tag_ != "NNS" or measure_targets(sent, tok):
        return []
    return [a for a in sent.surface_subjects(tok) if a.mention.kind == "name"]


def _blacklists(tok: Token, preps: Collection[str]) -> list[Token]:
    """The blacklists in the word's (or its object's) phrases: "added X to the Entity List"."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    return [g for h in heads for g in _pobjs(h, preps) if measures._is_blacklist(g)]


def on_blacklist(tok: Token, preps: str) -> bool:
    """The word (or its object) has a phrase with one of the prepositions on a list of restricted
    parties: "the Entity List", "a trade blacklist", "its list of companies"."""
    return bool(_blacklists(tok, preps.split("|")))


def list_keeper(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who keeps the list the word puts someone on: "the Pentagon's list", "the US Entity List"."""
    lists = _blacklists(tok, ("to", "on", "onto"))
    return measures._list_owner(sent, lists[0]) if lists else []


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
    return out + [a for g in along for a in measures._listed(sent, g)]


def _listed_objects(sent: Sentence, tok: Token) -> list[Resolved]:
    objects = [c for c in tok.children if c.dep_ in ("dobj", "oprd")]
    direct = [c for c in objects if c.dep_ == "dobj"]
    out = [a for c in objects for a in sent.args_of(c)]
    out = out or [a for c in direct for a in measures._object_args(sent, c)]
    members = [c for c in direct if c.lemma_.lower() in measures._LIST_MEMBERS]
    return out or [a for c in members for a in measures._examples_after(sent, c)]


def listed_subject(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The named subject of "has been on the Entity List" (a described firm: "the Shenzhen-based
    group" is the one named before)."""
    return [
        a
        for c in tok.children
        if c.dep_ == "nsubj"
        for a in (measures._described_firm(sent, c) if measures._is_described_firm(c) else sent.args_of(c))
        if a.mention.kind == "name"
    ]


def comp_in(tok: Token, cls: str) -> bool:
    """The verb's first complement clause of a stopping or selling kind is of the class."""
    ordered = measures.STOP_VERBS | measures.DIVEST_VERBS
    comps = [c for c in _comps(tok) if c.lemma_.lower() in ordered]
    return bool(comps) and comps[0].lemma_.lower() in lexicon().words(cls)


def stopped_makers(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The makers of goods an order stops trade in: "ordered stores to stop selling phones made by
    A and B" -> A and B, not the stores told to comply."""
    stops = [c for c in _comps(tok) if c.lemma_.lower() in lexicon().words("restricts_stop_verbs")]
    goods = [g for c in stops for g in c.children if g.dep_ in ("xcomp", "dobj")]
    return [a for g in goods for a in measures._goods_makers(sent, g)]


def as_in(tok: Token, cls: str) -> bool:
    """An 'as' phrase on the verb holds a word of the class ("names X as a country of concern")."""
    words = lexicon().words(cls)
    return any(
        p.dep_ == "prep" and p.lower_ == "as" and any(t.lower_ in words for t in p.subtree)
        for p in tok.children
    )


def measure_subject(tok: Token, _: str = "") -> bool:
    """The verb's subject is a measure ("the new rules target X"); a weak noun only with a trade
    word on it ("the export controls hit X") unless a rule, measure or restriction."""
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    lemma = subject.lemma_.lower()
    if lemma not in (measures.MEASURE_NOUNS | measures.RESTRICT_NOUNS) - {"order", "block"}:
        return False
    return lemma in ("rule", "measure", "restriction") or _measure_sense(subject, [])


def from_doing(tok: Token, _: str = "") -> bool:
    """The verb keeps someone "from <doing>": "kept X from buying", not "kept its promise"."""
    return bool(_pobjs(tok, ("from",), obj="pcomp")) and any(
        c.dep_ in ("dobj", "nsubjpass") for c in tok.children
    )


def moves_goods(tok: Token, _: str = "") -> bool:
    """A complement clause of the verb moves or buys goods ("allow the country to be used as a
    route for moving chips")."""
    return any(
        t.lemma_.lower() in measures._MOVE_VERBS for c in _comps(tok, ("xcomp", "ccomp")) for t in c.subtree
    )


def refused_destinations(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Where a refused movement of goods would go: the 'to' phrases and the "such as" members
    under the refused act."""
    doc = tok.doc
    out: list[Resolved] = []
    for comp in _comps(tok, ("xcomp", "ccomp")):
        for t in comp.subtree:
            prep = t.head
            to_phrase = prep.lower_ == "to" and prep.dep_ in ("prep", "dative")
            such_as = prep.lower_ == "as" and prep.i > 0 and doc[prep.i - 1].lower_ == "such"
            if t.dep_ == "pobj" and (to_phrase or such_as):
                out.extend(measures._object_args(sent, t))
    return out


def speaker(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who says what the clause states: "The ministry said it would not allow ..." -> the ministry,
    "the department said suppliers will need a licence" -> the department (up to three clauses up)."""
    cur = tok
    for _hop in range(3):
        if cur.dep_ not in ("ccomp", "xcomp", "conj") or cur.head.i == cur.i:
            return []
        cur = cur.head
        if cur.lemma_.lower() in measures.REPORT_VERBS:
            return sent.subjects(cur)
    return []


def licensed_to(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who the licensed sales go to ("a licence to sell to X", "chips designed by X will need a
    licence"), never the licensee selling."""
    return measures._sold_to(sent, tok.head, tok)


def approved_inflow(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who needs a state's approval: where the licensed goods go or the approved inflow comes
    from ("investments from X have needed government approval"); nothing for a firm's own
    approval ("needed board approval")."""
    if not measures._state_given(sent, tok):
        return []
    return measures._sold_to(sent, tok.head, tok) + measures._inflow_from(sent, tok.head)


def licensor(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The government that requires or revokes the licence: who revokes it; the state requiring
    it ("the US has required licences for ..."); the state whose licence it is ("a US licence",
    with the agency whose rule was named just before); the government announcing the requirement;
    else, for a plain "must obtain a licence", the owner of the rule named before or the
    government the passage is about."""
    head = tok.head
    verb = head.lemma_.lower()
    if verb in measures.REVOKE_VERBS:
        sources = measures._enactors(sent, head)
    elif verb == "require" and tok.dep_ == "dobj" and _states(sent.subjects(head)):
        sources = sent.subjects(head)
    else:
        sources = _licence_states(sent, tok) or _states(speaker(sent, head)) or _standing_rule(sent, tok)
    return _states(sources)


def _licence_states(sent: Sentence, tok: Token) -> list[Resolved]:
    """The state written on the licence ("a US licence"), with its agency whose rule came before."""
    out = written_states(sent, tok)
    countries = {s.entity.country for s in _states(out)}
    if countries:
        out += [a for a in measures._previous_measure_owner(sent) if a.entity.country in countries]
    return out


def _standing_rule(sent: Sentence, tok: Token) -> list[Resolved]:
    """Whose rule a plain requirement is: "Acme must now obtain a licence to sell to X" belongs to
    the rule named just before, else to the government the passage is about; a state approval
    ("investments from X have needed government approval") to that government."""
    clearance = tok.lemma_.lower() in measures._CLEARANCE_NOUNS
    head = tok.head
    if not clearance and (head.lemma_.lower() not in ("need", "obtain") or hedged(head)):
        return []
    found = [] if clearance else measures._previous_measure_owner(sent)
    salient = sent.salient(frozenset({NodeType.GOVERNMENT}))
    return found or ([salient] if salient is not None else [])


def _sells(tok: Token) -> list[Token]:
    """The selling clauses of a deadline: "gives X nine months to sell ..." (the deadline noun is
    looked for anywhere under the verb: the small model may hang it as an apposition of X)."""
    times = [t for t in tok.subtree if t.lemma_.lower() in measures.DEADLINE_NOUNS and t.pos_ == "NOUN"]
    if not times:
        return []
    clauses = [t for time in times for t in time.children if t.dep_ in ("advcl", "xcomp", "acl", "relcl")]
    clauses += [t for t in tok.children if t.dep_ in ("advcl", "xcomp")]
    return [t for t in clauses if t.lemma_.lower() in measures.DIVEST_VERBS]


def deadline_to_sell(tok: Token, _: str = "") -> bool:
    """The verb gives a deadline to sell ("gives X nine months to sell its US business")."""
    return bool(_sells(tok))


def deadline_sale(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What must be sold by the deadline (named as the business the one given it owns: "gives
    ByteDance, TikTok's owner, nine months"), and what the alternative would ban ("or see it banned")."""
    owners = [
        c for o in tok.children if o.dep_ in ("dative", "dobj") for c in o.children if c.dep_ == "appos"
    ]
    owned = [
        p for o in owners if o.lemma_.lower() in ("owner", "parent") for p in o.children if p.dep_ == "poss"
    ]
    out = [a for p in owned for a in sent.args_of(p, through_nouns=False)]
    for sell in _sells(tok):
        for c in sell.children:
            if c.dep_ == "dobj":
                out.extend(measures._object_args(sent, c))
            elif c.dep_ == "conj":
                out.extend(measures._banned_alternative(sent, c))
    return out


def _earlier_measures(span: Iterable[Token]) -> list[Token]:
    """The measure nouns of a sentence that say whom they fall on ("controls against China")."""
    nouns = measures.RESTRICT_NOUNS - measures._WEAK_NOUNS | {"control"}
    return [m for m in span if m.pos_ == "NOUN" and m.lemma_.lower() in nouns and _pobjs(m, _AIMED)]


def earlier_targets(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom the measure named in the sentence before falls on ("Washington's package of controls
    against China ... The rules, released Monday by ..." -> China)."""
    if not sent.previous:
        return []
    prev = sent.previous[-1]
    for m in _earlier_measures(prev.span):
        targets = [a for a in _aimed_at(prev, m, _AIMED) if a.mention.kind == "name"]
        if targets:
            return targets
    return []


def is_subject(tok: Token, _: str = "") -> bool:
    """The word is a clause's subject."""
    return tok.dep_ in ("nsubj", "nsubjpass")


def kind(policy: str, tok: Token) -> str:
    """The kind of measure a frame names: its table's words, or named from the words of the trigger
    by mode: `auto` (the trigger and the words around it), `arguments` (a verb's object, subject
    and phrases), `own` (a noun's own words: "export controls"), `subject` (a measure that is the
    subject: "the sanctions hit X"), `earlier` (the measure named in the sentence before)."""
    if policy == "subject":
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), tok)
        return measures.measure_kind(subject, [subject, *tok.children])
    context = {
        "auto": [tok.head, *tok.children],
        "own": list(tok.children),
        "arguments": [c for c in tok.children if c.dep_ in ("dobj", "prep", "nsubjpass")],
    }
    if policy == "earlier":
        before = [s for s in tok.doc.sents if s.end <= tok.sent.start]
        earlier = _earlier_measures(before[-1]) if before else []
        if earlier:
            return measures.measure_kind(earlier[0], list(earlier[0].children))
        policy = "own"
    return measures.measure_kind(tok, context[policy]) if policy in context else policy
