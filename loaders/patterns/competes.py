"""COMPETES_WITH: rivalry stated outright or through the users rivals fight over.

- verbs: "Baidu competes with OpenAI", "X rivals Y", "Alibaba and Tencent compete"
- rival nouns: "OpenAI rival Anthropic", "X, a rival to Y", "X is Y's biggest competitor",
  "an alternative to Y", "X vs. Y"
- users changing hands: "courting OpenAI's users", "to attract Y's former customers",
  "fill the void left by Y", "urging developers to switch to their products" (the rival being
  left is then the article's company in focus, named as a subject in the sentences just before)

Demonyms never compete here: "compete with U.S. industry leaders" does not name an actor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import FIRM_TYPES, Found, Sentence, found, negated
from loaders.resolve import Resolved

COMPETE_VERBS = frozenset(
    {"compete", "rival", "vie", "battle", "challenge", "race", "trail", "outsell", "undercut"}
)
CONTEST_NOUNS = frozenset({"war", "battle", "rivalry", "race", "fight", "contest", "competition", "showdown"})
"""'a price war with Alibaba', 'the race against OpenAI'."""
RIVAL_NOUNS = frozenset(
    {"rival", "competitor", "challenger", "alternative", "contender", "competition", "answer", "replacement",
     "substitute"}
)  # fmt: skip
_TO_ONLY = frozenset({"answer", "alternative", "replacement", "substitute"})
"""Rival nouns that need an explicit "to/for Y" ("China's answer to OpenAI"): no "Y answer X" reading."""
COURT_VERBS = frozenset(
    {
        "attract",
        "lure",
        "court",
        "woo",
        "poach",
        "win",
        "capture",
        "steal",
        "entice",
        "grab",
        "target",
        "onboard",
        "absorb",
        "welcome",
    }
)
USER_NOUNS = frozenset(
    {
        "user",
        "customer",
        "client",
        "developer",
        "subscriber",
        "clientele",
        "audience",
        "business",
        "enterprise",
    }
)
SWITCH_VERBS = frozenset({"switch", "transition", "migrate", "move", "defect", "shift", "turn", "flock"})
URGE_VERBS = frozenset(
    {"urge", "encourage", "invite", "help", "entice", "push", "persuade", "offer", "allow", "enable", "lure"}
)
OFFER_VERBS = frozenset({"offer", "provide", "give", "extend", "promise"})
VOID_NOUNS = frozenset({"void", "gap", "vacuum", "hole"})
COMPETITORS = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION, NodeType.GOVERNMENT})


def find(sent: Sentence) -> Iterator[Found]:
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lemma in RIVAL_NOUNS and any(_is_list(c) for c in tok.children):
            yield from _rival_noun(sent, tok)  # "rivals such as A and B": a noun, not the verb
        elif lemma in COMPETE_VERBS and (tok.pos_ == "VERB" or tok.tag_ in ("NNS", "VBZ")):
            yield from _verb(sent, tok)
        elif tok.pos_ in ("NOUN", "PROPN") and lemma in RIVAL_NOUNS:
            yield from _rival_noun(sent, tok)
        elif lemma in ("rival", "competitor") and tok.dep_ in ("amod", "compound") and tok.pos_ == "ADJ":
            yield from _rival_modifier(sent, tok)
        elif tok.pos_ == "VERB" and lemma in BENCHMARK_VERBS:
            yield from _benchmark(sent, tok)
        elif tok.lower_ == "behind" and tok.pos_ == "ADP":
            yield from _behind(sent, tok)
        elif tok.pos_ == "VERB" and lemma in COURT_VERBS:
            yield from _courting(sent, tok)
        elif tok.pos_ == "VERB" and lemma in SWITCH_VERBS:
            yield from _switching(sent, tok)
        elif tok.pos_ == "VERB" and lemma == "fill":
            yield from _void(sent, tok)
        elif tok.pos_ == "VERB" and lemma in OFFER_VERBS:
            yield from _offered_to_users(sent, tok)
        elif tok.lower_ in ("vs", "vs.", "versus"):
            yield from _versus(sent, tok)
        if tok.pos_ == "NOUN" and lemma in CONTEST_NOUNS:
            yield from _contest(sent, tok)
        if tok.lower_ == "head" and tok.i + 2 < sent.span.end and tok.doc[tok.i + 2].lower_ == "head":
            yield from _head_to_head(sent, tok)
        if (
            tok.pos_ == "VERB"
            and lemma == "hold"
            and any(c.dep_ == "dobj" and c.lower_ == "own" for c in tok.children)
        ):
            yield from _hold_own(sent, tok)
        if tok.pos_ == "VERB" and lemma in ("catch", "take", "go", "square") and _particle_phrase(tok):
            yield from _phrasal(sent, tok)


def _emit(
    sent: Sentence, a: list[Resolved], b: list[Resolved], pattern: str, conf: float, tok: Token
) -> Iterator[Found]:
    types = COMPETITORS
    # Companies compete with companies, states with states: a firm "competing with" a state is
    # a misread of "compete with U.S. leaders"-style phrases.
    for s in a:
        for t in b:
            if (s.entity.type is NodeType.GOVERNMENT) != (t.entity.type is NodeType.GOVERNMENT):
                continue
            yield from found(
                sent,
                [s],
                RelType.COMPETES_WITH,
                [t],
                pattern,
                conf,
                trigger=tok,
                source_types=types,
                target_types=types,
            )


def _verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    if negated(tok):
        return
    lemma = tok.lemma_.lower()
    is_verb = tok.pos_ == "VERB"
    subjects = (_where_it(sent, tok) or sent.subjects(tok)) if is_verb else []
    if not subjects and is_verb:
        # "Anthropic's Claude competes with ...", "All of them compete": the owner, the group
        subjects = [a for c in _nsubj_of(tok) for a in _side(sent, c)]
    if not subjects:
        subjects = sent.surface_subjects(tok)
    others: list[Resolved] = []
    takes_object = lemma == "race" and any(c.dep_ == "dobj" for c in tok.children)  # "racing X to"
    if takes_object or lemma in ("rival", "challenge", "trail", "outsell", "undercut"):
        if is_verb:
            others = [a for c in tok.children if c.dep_ == "dobj" for a in _owner_args(sent, c)]
        others = others or sent.surface_objects(tok)
    else:
        if is_verb:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("with", "against"):
                    others.extend(a for p in prep.children if p.dep_ == "pobj" for a in _owner_args(sent, p))
        others = others or sent.surface_objects(tok, frozenset({"with", "against"}))
    if others:
        subjects = _with_parents(sent, subjects)
        yield from _emit(sent, subjects, others, f"competes.verb.{tok.lemma_.lower()}", 0.85, tok)
    elif len(subjects) >= 2 and tok.lemma_.lower() in ("compete", "vie", "battle"):
        for i, s in enumerate(subjects):
            yield from _emit(sent, [s], subjects[i + 1 :], "competes.verb.mutual", 0.8, tok)


def _rival_noun(sent: Sentence, tok: Token) -> Iterator[Found]:
    lemma = tok.lemma_.lower()
    doc = tok.doc
    if negated(tok):
        return
    # Who is rivalled: "rival to/of Y", "Y's rival", "Y rival X".
    rivalled: list[Resolved] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "of", "for", "against"):
            rivalled.extend(a for p in c.children if p.dep_ == "pobj" for a in _owner_args(sent, p))
        elif c.dep_ == "poss" and c.lower_ not in ("its", "their"):
            rivalled.extend(sent.args_of(c))
        elif c.dep_ == "poss" and _named_after(sent, tok):
            rivalled.extend(sent.pronoun(c))  # "ZTE trails its larger rival Huawei"
    if lemma == "competition" and not any(c.dep_ == "prep" and c.lower_ == "from" for c in tok.children):
        return
    left = sent.at(doc[tok.i - 1]) if tok.i > sent.span.start else None
    if left is None and tok.i - 2 >= sent.span.start and doc[tok.i - 1].tag_ == "POS":
        left = sent.at(doc[tok.i - 2])
    if not rivalled and left is not None and left.mention.kind == "name" and lemma not in _TO_ONLY:
        rivalled = [left]
    if not rivalled and tok.dep_ == "pobj" and tok.head.lower_ in ("among", "as"):
        # "listed Huawei among its competitors", "treats the company as a rival": the object is
        # the rival of the subject.
        verb = tok.head.head
        objects = [a for c in verb.children if c.dep_ == "dobj" for a in sent.args_of(c)]
        if objects and verb.pos_ in ("VERB", "AUX"):
            yield from _emit(sent, objects, sent.subjects(verb), f"competes.noun.{lemma}", 0.75, tok)
        return
    if not rivalled and tok.tag_ == "NNS" and any(_is_list(c) for c in tok.children):
        # "could push buyers toward rivals such as A and B": rivals of the firm the sentence is about
        members = [a for a in sent.args_of(tok) if a.mention.kind == "name"]
        focus = _sentence_focus(sent, {m.entity.id for m in members})
        if members and focus is not None and not negated(tok):
            yield from _emit(sent, members, [focus], f"competes.noun.{lemma}.list", 0.7, tok)
        return
    if not rivalled:
        return
    # Who is the rival: the name right after ("OpenAI rival Anthropic"), the head of an apposition,
    # the subject of "is/became/emerged as", or whoever offers the alternative.
    rivals: list[Resolved] = []
    right = sent.at(doc[tok.i + 1]) if tok.i + 1 < sent.span.end else None
    if right is not None and right.mention.kind == "name":
        rivals = sent.args_of(doc[right.mention.end - 1]) or [right]
    elif tok.dep_ == "appos":
        rivals = sent.args_of(tok.head)
    elif tok.dep_ == "pobj" and tok.head.lower_ == "into" and _into_verb(tok.head) is not None:
        # "turned Huawei (back) into a serious challenger to Apple": the object becomes the rival
        into = _into_verb(tok.head)
        assert into is not None
        rivals = [a for c in into.children if c.dep_ == "dobj" for a in _side(sent, c)]
    elif tok.dep_ in ("attr", "dobj", "pobj", "oprd", "nsubj"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        if tok.dep_ == "nsubj":
            rivals = [a for c in verb.children if c.dep_ in ("attr", "dobj") for a in sent.args_of(c)]
        elif verb.pos_ in ("VERB", "AUX"):
            rivals = sent.subjects(verb) or [
                a for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for a in _side(sent, c)
            ]
    elif lemma == "competition":
        rivals = [
            a
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == "from"
            for p in c.children
            if p.dep_ == "pobj"
            for a in sent.args_of(p)
        ]
    if lemma == "competition":
        rivals, rivalled = rivalled, rivals
    yield from _emit(sent, rivals, rivalled, f"competes.noun.{lemma}", 0.8, tok)


def _hold_own(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X's model can hold its own against Y's GPT-4o': a claim of parity with Y's product.

    The subject may be a product released in the main clause ("X pushed out Z, which it said
    could hold its own against ..."): then its releaser.
    """
    own = next(c for c in tok.children if c.dep_ == "dobj" and c.lower_ == "own")
    others = [
        a
        for prep in (*tok.children, *own.children)
        if prep.dep_ == "prep" and prep.lower_ == "against"
        for p in prep.children
        if p.dep_ == "pobj"
        for a in _owner_args(sent, p)
    ]
    if not others or negated(tok):
        return
    holders = _firms(sent.subjects(tok)) or [a for c in _nsubj_of(tok) for a in _firms(_side(sent, c))]
    if not holders and any(c.dep_ == "nsubj" and c.tag_ == "WDT" for c in tok.children):
        clause = tok
        while clause.dep_ in ("ccomp", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        speakers = [c for c in clause.children if c.dep_ == "nsubj"] if clause.dep_ == "relcl" else []
        if speakers and speakers[0].lower_ == "it" and clause.lemma_.lower() in _SAY_VERBS:
            # "X pushed out Z, which it said could hold its own": "it" is the firm that released Z,
            # the named subject before the clause (a named speaker talks about someone else's Z)
            before = [
                a for a in sent.args if a.mention.end <= clause.head.i and a.mention.kind == "name"
                and sent._is_subject(a) and a.entity.type in FIRM_TYPES
            ]  # fmt: skip
            holders = before[-1:]
        product = clause.head if clause.dep_ == "relcl" and not holders else None
        if (
            product is not None
            and product.dep_ == "dobj"
            and product.head.lemma_.lower() in (*_MAKE_VERBS, "push", "put")
        ):
            holders = _firms(sent.subjects(product.head))  # "X pushed out Z, which ..."
    yield from _emit(sent, holders, others, "competes.hold_own", 0.7, tok)


def _led_by(sent: Sentence, tok: Token) -> list[Resolved]:
    """'domestic alternatives led by Huawei', 'a pack headed by X': the named leader of the group."""
    return [
        a
        for acl in tok.children
        if acl.dep_ == "acl" and acl.lower_ in ("led", "headed", "spearheaded")
        for agent in acl.children
        if agent.dep_ == "agent"
        for p in agent.children
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
        if a.mention.kind == "name" and a.entity.type in FIRM_TYPES
    ]


def _where_it(sent: Sentence, verb: Token) -> list[Resolved]:
    """'X sells Y to Chinese buyers, where it competes with Z': "it" in a where/when clause is not
    the noun the clause hangs on (a place or a market) but the seller the main clause is about."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ != "relcl" or len(subj) != 1 or subj[0].lower_ != "it":
        return []
    if not any(c.dep_ == "advmod" and c.lower_ in ("where", "when") for c in verb.children):
        return []
    main = verb.head
    while main.pos_ not in ("VERB", "AUX") and main.head.i != main.i:
        main = main.head
    if main.pos_ not in ("VERB", "AUX"):
        return []
    return [a for a in sent.subjects(main) if a.entity.type in FIRM_TYPES]


def _owner_args(sent: Sentence, tok: Token) -> list[Resolved]:
    """Actors a phrase names, or owns: "OpenAI's products" -> OpenAI.

    Each conjunct counts ("Intel's Xeon and AMD's EPYC chips" -> both makers); a product named
    without its maker takes the maker the article gave it before ("OpenAI showed off Sora ...").
    """
    args = sent.args_of(tok)
    if args:
        return args
    led = _led_by(sent, tok)
    if led:
        return led
    out: list[Resolved] = []
    for part in (tok, *(c for c in tok.conjuncts if c.i > tok.i)):
        if part.i != tok.i and sent.at(part) is not None:
            out.extend(sent.args_of(part, through_nouns=False))
            continue
        owned: list[Resolved] = []
        for c in part.children:
            if c.dep_ == "poss":
                owned.extend(sent.pronoun(c) if c.lower_ in ("its", "their") else sent.args_of(c))
            elif c.dep_ == "compound" and c.i < part.i and sent.at(c) is not None:
                owned.extend(a for a in sent.args_of(c) if a.mention.kind == "name")  # "Nvidia hardware"
        if not owned:
            maker = _maker(sent, part)
            owned = [maker] if maker is not None else []
        out.extend(owned)
    if not out and tok.lemma_.lower() in PRODUCT_WORDS and any(c.lower_ == "the" for c in tok.children):
        found_ = sent.salient(frozenset({NodeType.COMPANY}))  # "to compete with the app"
        out = [found_] if found_ is not None else []
    return out


def _courting(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X courts/attracts Y's users': X competes with Y."""
    owners: list[Resolved] = []
    for obj in tok.children:
        if obj.dep_ != "dobj" or obj.lemma_.lower() not in USER_NOUNS:
            continue
        for c in obj.children:
            if c.dep_ in ("poss", "compound") and c.lower_ not in ("its", "their"):
                owners.extend(a for a in sent.args_of(c) if a.mention.kind == "name")
            elif c.dep_ == "prep" and c.lower_ in ("of", "from"):
                owners.extend(a for p in c.children if p.dep_ == "pobj" for a in _owner_args(sent, p))
    if not owners or negated(tok):
        return
    yield from _emit(sent, _firms(sent.subjects(tok)), owners, "competes.courting", 0.75, tok)


def _void(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X steps in to fill the void left by Y'."""
    for obj in tok.children:
        if obj.dep_ == "dobj" and obj.lemma_.lower() in VOID_NOUNS:
            left = [
                a
                for c in obj.children
                if c.dep_ == "acl"
                for g in c.children
                if g.dep_ == "agent"
                for p in g.children
                for a in sent.args_of(p)
            ]
            if left and not negated(tok):
                yield from _emit(sent, _firms(sent.subjects(tok)), left, "competes.void", 0.7, tok)


def _switching(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'urging developers to switch (from Y) to their products': the urgers compete with Y."""
    to_theirs = False
    left: list[Resolved] = []
    for prep in tok.children:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "to":
            for p in prep.children:
                if p.dep_ == "pobj" and any(c.dep_ == "poss" for c in p.children):
                    to_theirs = True
        elif prep.lower_ in ("from", "away"):
            left.extend(a for p in prep.children if p.dep_ == "pobj" for a in _owner_args(sent, p))
    for c in tok.children:  # "move away from OpenAI": "away" is an adverb holding the "from"
        if c.lower_ == "away":
            left.extend(
                a
                for prep in c.children
                if prep.dep_ == "prep" and prep.lower_ == "from"
                for p in prep.children
                if p.dep_ == "pobj"
                for a in _owner_args(sent, p)
            )
    left = [a for a in left if a.mention.kind == "name"]
    if left and not to_theirs and tok.dep_ == "acl" and tok.head.lemma_.lower() in USER_NOUNS:
        # "offered free migration to developers switching from OpenAI": the offer's maker
        rivals = _firms(_clause_subjects(sent, tok.head))
        if rivals and not negated(tok):
            yield from _emit(sent, rivals, left, "competes.switch.from", 0.7, tok)
        return
    if not to_theirs and not left:
        return
    head = tok.head
    if tok.dep_ not in ("xcomp", "ccomp", "advcl") or head.lemma_.lower() not in URGE_VERBS:
        return
    rivals = _firms(sent.subjects(head))
    if not rivals or negated(tok) or negated(head):
        return
    if left:
        yield from _emit(sent, rivals, left, "competes.switch", 0.75, head)
        return
    focus = _focus_company(sent, {r.entity.id for r in rivals})
    if focus is not None:
        yield from _emit(sent, rivals, [focus], "competes.switch.focus", 0.55, head)


def _clause_subjects(sent: Sentence, tok: Token) -> list[Resolved]:
    """The subjects of the nearest verb above a noun: who does something to or for it."""
    cur = tok
    for _ in range(5):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return sent.subjects(cur)
    return []


def _offered_to_users(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X offers free tokens to OpenAI's users': incentives aimed at a rival's users."""
    owners: list[Resolved] = []
    preps = [c for c in tok.children if c.dep_ in ("prep", "dative")]
    for obj in tok.children:  # "provide free tokens and migration services to OpenAI's users"
        if obj.dep_ == "dobj":
            for o in (obj, *obj.conjuncts):
                preps.extend(c for c in o.children if c.dep_ == "prep")
    for prep in preps:
        if prep.lower_ != "to":
            continue
        for users in prep.children:
            if users.dep_ != "pobj" or users.lemma_.lower() not in USER_NOUNS:
                continue
            for c in users.children:
                if c.dep_ in ("poss", "compound") and c.lower_ not in ("its", "their"):
                    owners.extend(a for a in sent.args_of(c) if a.mention.kind == "name")
    if owners and not negated(tok):
        yield from _emit(sent, _firms(sent.subjects(tok)), owners, "competes.offer_to_users", 0.7, tok)


def _focus_company(sent: Sentence, exclude: set[str]) -> Resolved | None:
    """The company the last few sentences are about: the one most often their grammatical subject."""
    counts: Counter[str] = Counter()
    by_id: dict[str, Resolved] = {}
    for prev in sent.previous[-3:]:
        for arg in prev.args:
            if arg.entity.type is NodeType.COMPANY and arg.entity.id not in exclude and prev._is_subject(arg):
                counts[arg.entity.id] += 1
                by_id[arg.entity.id] = arg
    if not counts:
        return None
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return by_id[ranked[0][0]]


def _versus(sent: Sentence, tok: Token) -> Iterator[Found]:
    doc = tok.doc
    left = sent.at(doc[tok.i - 1]) if tok.i > sent.span.start else None
    nxt = tok.i + 1
    if nxt < sent.span.end and doc[nxt].text == ".":
        nxt += 1
    right = sent.at(doc[nxt]) if nxt < sent.span.end else None
    if left is not None and right is not None:
        yield from _emit(sent, [left], [right], "competes.versus", 0.7, tok)


def _firms(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.entity.type in FIRM_TYPES and a.mention.kind == "name"]


def _contest(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Baidu, now in a price war with Alibaba', 'locked in a race against OpenAI'."""
    others = [
        a
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ in ("with", "against")
        for p in prep.children
        if p.dep_ == "pobj"
        for a in _owner_args(sent, p)
    ]
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "into"):
        # "in its race with X, and with Y": the parser hangs the second "with" on the verb
        carrier = tok.head.head
        for second in carrier.children:
            if (
                second.dep_ in ("conj", "prep")
                and second.lower_ in ("with", "against")
                and second.i > tok.i
                and second.nbor(-1).lower_ == "and"
            ):
                others += [a for p in second.children if p.dep_ == "pobj" for a in _owner_args(sent, p)]
    if not others or negated(tok):
        return
    holders: list[Resolved] = _contest_owner(sent, tok)
    head = tok.head
    if holders:
        pass  # the race's owner is written on it ("its race", "xAI's race")
    elif tok.dep_ == "pobj" and head.lower_ in ("in", "into"):
        holder = head.head
        if holder.pos_ in ("VERB", "AUX"):
            holders = sent.subjects(holder)
        else:
            holders = sent.args_of(holder)
    elif tok.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        holders = sent.subjects(head)
    elif tok.dep_ == "appos":
        holders = sent.args_of(head)
    if not holders:
        holders = [a for a in sent.surface_subjects(tok) if a.mention.kind == "name"]
    yield from _emit(sent, holders, others, f"competes.contest.{tok.lemma_.lower()}", 0.75, tok)


def _contest_owner(sent: Sentence, tok: Token) -> list[Resolved]:
    """Whose race it is: "xAI's race with X"; "strengthens xAI in its race with X" -> the object
    of the verb the phrase hangs on, which "its" points back to."""
    poss = [c for c in tok.children if c.dep_ == "poss"]
    if not poss:
        return []
    if poss[0].lower_ not in ("its", "their"):
        return [a for a in sent.args_of(poss[0]) if a.mention.kind == "name"]
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "into"):
        return [a for a in sent.pronoun(poss[0]) if a.entity.type in FIRM_TYPES]  # "X said its race"
    carrier = tok.head.head
    if carrier.pos_ in ("NOUN", "PROPN") and carrier.dep_ == "dobj":
        return [a for a in sent.args_of(carrier) if a.entity.type in FIRM_TYPES]
    if carrier.pos_ == "VERB":
        objects = [c for c in carrier.children if c.dep_ == "dobj"]
        if len(objects) == 1:
            return [a for a in sent.args_of(objects[0]) if a.entity.type in FIRM_TYPES]
    return []


def _head_to_head(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X goes head to head with Y', 'X and Y are going head to head'."""
    doc = tok.doc
    verb = tok.head if tok.head.pos_ in ("VERB", "AUX") else tok.head.head
    subjects = sent.subjects(verb) if verb.pos_ in ("VERB", "AUX") else []
    subjects = subjects or sent.surface_subjects(verb)
    after = tok.i + 3
    others: list[Resolved] = []
    if after < sent.span.end and doc[after].lower_ in ("with", "against"):
        others = sent.surface_objects(doc[after - 1], frozenset({"with", "against"}))
    if others:
        yield from _emit(sent, subjects, others, "competes.head_to_head", 0.8, verb)
    elif len(subjects) >= 2:
        for i, s in enumerate(subjects):
            yield from _emit(sent, [s], subjects[i + 1 :], "competes.head_to_head", 0.8, verb)


_PHRASALS = {"catch": ("up", ("with", "to")), "take": ("on", ()), "go": ("up", ("against",)),
             "square": ("off", ("against", "with"))}  # fmt: skip
"""'catch up with X', 'take on X', 'go up against X', 'square off against X'."""


def _particle_phrase(tok: Token) -> bool:
    particle, _ = _PHRASALS[tok.lemma_.lower()]
    return any(c.lower_ == particle for c in tok.children) or (
        tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == particle
    )


def _phrasal(sent: Sentence, tok: Token) -> Iterator[Found]:
    particle, preps = _PHRASALS[tok.lemma_.lower()]
    doc = tok.doc
    i = tok.i + 1
    while i < sent.span.end and doc[i].lower_ != particle:
        i += 1
    if i >= sent.span.end or negated(tok):
        return
    anchor = doc[i]
    # a parsed object wins over the words after it: "take on TikTok, and Snap ..." is no list
    others = [a for c in tok.children if c.dep_ == "dobj" for a in sent.args_of(c)] if not preps else []
    if not others:
        others = sent.surface_objects(anchor, frozenset(preps)) if preps else sent.surface_objects(anchor)
    if not others:
        # "taking on OpenAI's Sora": the product's owner
        nxt = doc[i + 1] if i + 1 < sent.span.end else None
        if nxt is not None and not preps:
            others = _owner_args(sent, nxt.head if sent.at(nxt) is None else nxt)
    subjects = (
        sent.subjects(tok)
        or [a for c in _nsubj_of(tok) for a in _side(sent, c)]
        or sent.surface_subjects(tok)
    )
    named = [o for o in others if o.mention.kind == "name"]
    rivals = _with_parents(sent, _firms(subjects))
    yield from _emit(sent, rivals, named, f"competes.phrasal.{tok.lemma_.lower()}", 0.7, tok)


BENCHMARK_VERBS = frozenset({"match", "beat", "outperform", "surpass", "outscore", "outpace", "outdo"})
"""Benchmark claims: "its model beat OpenAI's GPT-4o" (the loser's maker must be written)."""
_BEAT_FIRMS = frozenset({"beat", "outperform", "surpass", "outpace", "outdo"})
"""Benchmark verbs whose object may be a firm itself: "Apple beat Samsung to ..."; never "match"."""
BEHIND_DEGREE = frozenset(
    """further farther far well way still years generations months steps miles slightly just
    badly""".split()
)
"""Words that make "behind" a ranking ("further behind X"), not a sponsor ("the firm behind X")."""
LAG_VERBS = frozenset({"fall", "lag", "trail", "leave", "remain", "stay", "drop", "slip"})
_LEAVE_VERBS = frozenset({"leave", "put", "keep", "push", "set", "knock"})
"""Verbs whose object is the one left behind: "the ban leaves SMIC further behind TSMC"."""
PRODUCT_WORDS = frozenset({"app", "chatbot", "assistant", "service", "tool"})
"""'the app' after a rivalry word stands for the firm the text is about."""
PRODUCT_NOUNS = frozenset(
    """model models chip chips processor processors product products tool tools app apps chatbot
    system systems software phone phones service platform generator engine version""".split()
)
_MAKE_VERBS = frozenset(
    """unveil release launch show introduce debut open build develop make roll announce ship
    unleash preview demo train""".split()
)
"""Verbs whose subject makes the product they take: "OpenAI showed off Sora"."""
_SAY_VERBS = frozenset({"say", "claim", "boast", "argue", "insist", "report", "announce", "contend"})
_ALL_WORDS = frozenset({"all", "each", "both", "every"})
_GROUP_PRONOUNS = frozenset({"them", "these", "those"})


def _into_verb(prep: Token) -> Token | None:
    """The verb an "into" hangs on, past an adverb ("turned X back into")."""
    head = prep.head
    if head.pos_ == "ADV" and head.head.i != head.i:
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _nsubj_of(verb: Token) -> list[Token]:
    """A verb's subjects, also where the parser hung them on its auxiliary ("X is catching up")."""
    out = [c for c in verb.children if c.dep_ == "nsubj"]
    for aux in verb.children:
        if aux.dep_ == "aux":
            out.extend(c for c in aux.children if c.dep_ == "nsubj")
    return out


def _named_after(sent: Sentence, tok: Token) -> bool:
    """Whether a name follows the rival noun right away: "its larger rival Huawei"."""
    nxt = tok.i + 1
    return nxt < sent.span.end and sent.at(tok.doc[nxt]) is not None


def _is_list(tok: Token) -> bool:
    if tok.dep_ != "prep":
        return False
    if tok.lower_ in ("like", "including"):
        return True
    return tok.lower_ == "as" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "such"


def _sentence_focus(sent: Sentence, exclude: set[str]) -> Resolved | None:
    """The one named firm the sentence is about (subject or object), else the recent focus."""
    doc = sent.span.doc
    picks: dict[str, Resolved] = {}
    for arg in sent.args:
        if arg.mention.kind != "name" or arg.entity.type not in FIRM_TYPES or arg.entity.id in exclude:
            continue
        if doc[arg.mention.start : arg.mention.end].root.dep_ in ("nsubj", "nsubjpass", "dobj"):
            picks.setdefault(arg.entity.id, arg)
    if len(picks) == 1:
        return next(iter(picks.values()))
    if picks:
        return None
    return _focus_company(sent, exclude)


def _context_map(sent: Sentence) -> dict[int, Resolved]:
    """Every resolved name of the document by token index (for looking back past `previous`)."""
    out: dict[int, Resolved] = {}
    for arg in sent.context:
        if arg.mention.kind == "name":
            for i in range(arg.mention.start, arg.mention.end):
                out[i] = arg
    return out


def _maker(sent: Sentence, tok: Token) -> Resolved | None:
    """The firm an unresolved product name belongs to, as the article said earlier.

    "Kuaishou's Kling", or "OpenAI showed off Sora": the first earlier mention of the same word
    that has a possessive maker or is the object of a making verb. Nothing when none was said.
    """
    if tok.pos_ != "PROPN" or sent.at(tok) is not None:
        return None
    doc = tok.doc
    by_token = _context_map(sent)
    owner: Resolved | None
    for i in range(tok.i, -1, -1):
        t = doc[i]
        if t.lower_ != tok.lower_:
            continue
        if i >= 2 and doc[i - 1].tag_ == "POS" and i - 2 in by_token:
            owner = by_token[i - 2]
        elif t.dep_ == "dobj" and t.head.lemma_.lower() in _MAKE_VERBS:
            subs = [by_token[c.i] for c in t.head.children if c.dep_ == "nsubj" and c.i in by_token]
            owner = subs[0] if len(subs) == 1 else None
        else:
            owner = None
        if owner is not None and owner.entity.type in FIRM_TYPES:
            return owner
    return None


def _side(sent: Sentence, tok: Token) -> list[Resolved]:
    """The actors a subject or object phrase stands for in a rivalry.

    Names first; then "all of them" (the firms the paragraph has been about); then the owner or
    maker of a product ("its newest model", "Kling"); then, for a product subject of a reported
    claim ("Baidu says Ernie is catching up with ..."), the firm making the claim.
    """
    args = [a for a in sent.args_of(tok) if a.mention.kind == "name"]
    if args:
        return args
    if tok.lower_ in _ALL_WORDS and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(p.lower_ in _GROUP_PRONOUNS for p in c.children)
        for c in tok.children
    ):
        return _paragraph_firms(sent)
    owners = _owner_args(sent, tok)
    if owners:
        return owners
    is_product = tok.pos_ == "PROPN" or tok.lemma_.lower() in PRODUCT_NOUNS
    verb = tok.head if tok.head.dep_ != "aux" else tok.head.head
    if is_product and tok.dep_ == "nsubj" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _SAY_VERBS:
        return _firms(sent.subjects(verb.head))
    return []


def _paragraph_firms(sent: Sentence, limit: int = 8) -> list[Resolved]:
    """The firms the sentences since the last subheading were about: their subjects or makers.

    "Zhipu AI released a tool. Google's Veo is in testing. All of them ..." -> Zhipu AI, Google.
    At least two firms, or nothing.
    """
    doc = sent.span.doc
    by_token = _context_map(sent)
    floor = _section_start(doc.text, sent.span.start_char)
    out: dict[str, Resolved] = {}
    sents = [s for s in doc.sents if s.end <= sent.span.start][-limit:]
    for s in reversed(sents):
        for t in s:
            if t.idx < floor:
                continue
            subject = t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "appos" and t.head.dep_ == "nsubj")
            if not subject or t.head.dep_ == "relcl":
                continue
            arg = by_token.get(t.i)
            if arg is None:
                owners = [by_token[c.i] for c in t.children if c.dep_ == "poss" and c.i in by_token]
                arg = owners[0] if owners else _maker(sent, t)
            if arg is not None and arg.entity.type in FIRM_TYPES:
                out.setdefault(arg.entity.id, arg)
    return list(out.values()) if len(out) >= 2 else []


def _section_start(text: str, end: int) -> int:
    """Where the section holding character `end` starts: after the last subheading line before it.

    A subheading is a short non-empty line without closing punctuation ("A crowded field").
    """
    pos = end
    while pos > 0:
        line_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[line_start:pos].strip()
        if line and len(line) < 80 and line[-1] not in ".!?:;\"'”’)":
            return pos
        if line_start == 0:
            return 0
        pos = line_start
    return 0


def _rival_modifier(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'OpenAI's rival Anthropic', 'its crosstown rival Baidu': "rival" parsed as an adjective."""
    head = tok.head
    rivals = [a for a in sent.args_of(head, through_nouns=False) if a.mention.kind == "name"]
    if not rivals or negated(tok):
        return
    rivalled: list[Resolved] = []
    for c in (*head.children, *tok.children):
        if c.dep_ == "poss" and c.i < tok.i:
            rivalled.extend(sent.pronoun(c) if c.lower_ in ("its", "their") else sent.args_of(c))
    left = sent.at(tok.doc[tok.i - 1]) if tok.i > sent.span.start else None
    if not rivalled and left is not None and left.mention.kind == "name":
        rivalled = [left]
    yield from _emit(sent, rivals, rivalled, f"competes.noun.{tok.lemma_.lower()}", 0.8, tok)


def _benchmark(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Alibaba says its Qwen model matches OpenAI's GPT-4', 'Apple beat Samsung to the market'."""
    if negated(tok):
        return
    losers: list[Resolved] = []
    for obj in tok.children:
        if obj.dep_ != "dobj":
            continue
        named = [a for a in sent.args_of(obj) if a.mention.kind == "name"]
        if named and tok.lemma_.lower() in _BEAT_FIRMS:
            losers.extend(named)
            continue
        losers.extend(_product_makers(sent, obj))
    if not losers:
        return
    winners = (
        sent.subjects(tok)
        or [a for c in _nsubj_of(tok) for a in _side(sent, c)]
        or _contact_clause_subject(sent, tok)
    )
    yield from _emit(sent, _firms(winners), losers, f"competes.benchmark.{tok.lemma_.lower()}", 0.7, tok)


_CLAIM_VERBS = frozenset(
    "pitch bill tout market describe present position advertise promote say claim".split()
)
"""Verbs of a maker's claim about its product: "a model it pitched as matching Y"."""


def _contact_clause_subject(sent: Sentence, tok: Token) -> list[Resolved]:
    """'X launched Z, a model it pitched as matching Y': "it" in a relative clause without a
    relative pronoun is the subject of the clause that introduced the product, not the product.
    """
    verb = tok
    for _ in range(3):
        if verb.dep_ == "relcl":
            break
        verb = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else verb.head
    if verb.dep_ != "relcl" or verb.lemma_.lower() not in _CLAIM_VERBS:
        return []
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subj) != 1 or subj[0].lower_ != "it" or any(c.tag_ in ("WDT", "WP") for c in verb.children):
        return []
    noun = verb.head
    while noun.dep_ in ("appos", "conj") and noun.head.i != noun.i:
        noun = noun.head
    intro = noun.head
    if noun.dep_ != "dobj" or intro.pos_ != "VERB":
        return []
    subj = [c for c in intro.children if c.dep_ == "nsubj"]
    if len(subj) == 1 and subj[0].lower_ == "it":
        # "Baidu is competing on price. In May it launched Z, a model it pitched as ...": the
        # subject of the sentence before, not the firm the whole article mentions most
        return _previous_subject(sent)
    return sent.subjects(intro)


def _previous_subject(sent: Sentence) -> list[Resolved]:
    """The one named firm that is a subject in the sentence just before, else nothing."""
    if not sent.previous:
        return []
    prev = sent.previous[-1]
    subjects = {a.entity.id: a for a in prev.args if a.mention.kind == "name" and prev._is_subject(a)}
    return list(subjects.values()) if len(subjects) == 1 else []


def _product_makers(sent: Sentence, obj: Token) -> list[Resolved]:
    """The makers a list of products names: "OpenAI's GPT-4o", "DeepSeek-V3" (maker glued by a hyphen).

    The parser often hangs later list members as appositions of the first ("beat X-V3, Y's Z and
    W's V"), so appositions are walked like conjuncts. "beat Microsoft's forecasts" names no rival's
    product and gives nothing.
    """
    out: list[Resolved] = []
    todo: list[Token] = [obj]
    seen: set[int] = set()
    while todo:
        part = todo.pop()
        if part.i in seen or len(seen) > 8:
            continue
        seen.add(part.i)
        todo.extend(c for c in part.children if c.dep_ in ("conj", "appos"))
        if not (_is_product_word(part) or any(ch.isdigit() for ch in part.text)):
            continue
        out.extend(
            a for c in part.children if c.dep_ == "poss" and c.lower_ not in ("its", "their")
            for a in sent.args_of(c)
        )  # fmt: skip
        out.extend(_glued_maker(sent, part))
    return [a for a in out if a.mention.kind == "name"]


def _glued_maker(sent: Sentence, part: Token) -> list[Resolved]:
    """'DeepSeek-R1': a model code glued by a hyphen to its maker's name, with no space between."""
    doc = part.doc
    i = part.i
    if i - 2 < sent.span.start or doc[i - 1].text not in ("-", "–"):
        return []
    if doc[i - 1].whitespace_ or doc[i - 2].whitespace_:
        return []
    maker = sent.at(doc[i - 2])
    if maker is None or maker.mention.end != i - 1 or maker.entity.type not in FIRM_TYPES:
        return []
    return [maker]


def _behind(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'leaves SMIC further behind TSMC and Samsung', 'Huawei has fallen years behind Apple'."""
    ranked = any(c.lower_ in BEHIND_DEGREE for c in tok.children) or (
        tok.i > sent.span.start and tok.doc[tok.i - 1].lower_ in BEHIND_DEGREE
    )
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.dep_ in ("npadvmod", "advmod"):
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or not (ranked or verb.lemma_.lower() in LAG_VERBS):
        return
    leaders = [a for p in tok.children if p.dep_ == "pobj" and p.lower_ not in ("it", "them")
               for a in _owner_args(sent, p)]  # fmt: skip
    # a ticker in brackets breaks the parsed list: "behind TSMC (NYSE:TSM) and Samsung" hangs
    # Samsung on the ticker
    leaders += [
        a
        for p in tok.children
        if p.dep_ == "pobj"
        for ticker in p.children
        if ticker.dep_ == "appos"
        for c in ticker.conjuncts
        for a in sent.args_of(c)
    ]
    if not leaders or negated(verb):
        return
    if verb.lemma_.lower() in _LEAVE_VERBS:
        laggards = [a for c in verb.children if c.dep_ == "dobj" for a in _side(sent, c)]
    else:
        laggards = sent.subjects(verb) or [
            a for c in verb.children if c.dep_ == "nsubj" for a in _side(sent, c)
        ]
    yield from _emit(sent, _firms(laggards) or [a for a in laggards if a.entity.type is NodeType.GOVERNMENT],
                     leaders, "competes.behind", 0.7, tok)  # fmt: skip


def _with_parents(sent: Sentence, args: list[Resolved]) -> list[Resolved]:
    """Add the owning firm of "Google's YouTube": a unit's rivalry is its parent's too."""
    doc = sent.span.doc
    out = list(args)
    for arg in args:
        start = arg.mention.start
        if start - 2 < sent.span.start or doc[start - 1].tag_ != "POS":
            continue
        owner = sent.at(doc[start - 2])
        if owner is not None and owner.mention.kind == "name" and owner.entity.type is NodeType.COMPANY:
            out.append(owner)
    return out


def _is_product_word(tok: Token) -> bool:
    """A product named or described: "GPT-4", "OpenAI's models", "OpenAI's best"."""
    return tok.pos_ == "PROPN" or tok.lemma_.lower() in PRODUCT_NOUNS or tok.tag_ == "JJS"
