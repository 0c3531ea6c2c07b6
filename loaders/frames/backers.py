"""Readers for who put money in (BACKS frames): the names of a 'by' phrase, the members of an
investor list, and who raised the round a passage speaks of.

"backed by Acme, Globex and Initech", "led by funds managed by Acme" (a vehicle hands over to its
manager), "a roster of investors, including Acme (NYSE:ACM), Globex and Initech" (names read off the
words once tickers break the parse), "the round, which valued Acme at $2bn", "Acme raised $1
billion. The round was led by ..." (the raiser of the sentences just before).
"""

from __future__ import annotations

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.frames.tables import lexicon
from loaders.patterns.base import FIRM_TYPES, Sentence
from loaders.resolve import Resolved

ROUND_NOUNS = frozenset({"round", "series"})
FUNDING_NOUNS = lexicon().words("backs_funding_nouns")
RECEIVE_VERBS = lexicon().words("backs_take_verbs")


_SKIP_BETWEEN = frozenset(
    {
        ",",
        "which",
        "that",
        "is",
        "was",
        "are",
        "were",
        "has",
        "have",
        "had",
        "been",
        "being",
        "also",
        "largely",
        "partly",
        "heavily",
        "mostly",
        "both",
        "jointly",
        "itself",
        "now",
        "majority",
        "-",
        "partially",
        "fully",
    }
)


def names_after(sent: Sentence, start: int) -> list[Resolved]:
    """A name right after a preposition, with the names coordinated with it ("X, Y and Z")."""
    doc = sent.span.doc
    out: list[Resolved] = []
    i = _first_name(sent, start)
    while i is not None and i < sent.span.end:
        arg = sent.at(doc[i])
        if arg is None:
            break
        if arg.mention.kind == "name":
            out.append(vehicle_owner(sent, arg))
        i = _next_listed(sent, arg.mention.end)
    return out


def _first_name(sent: Sentence, start: int) -> int | None:
    """Where the first name stands, past a short descriptor ("by tech giant Tencent", "by the
    Chinese quant fund X"); None when a verb, preposition or punctuation comes first."""
    doc = sent.span.doc
    for j in range(start, min(start + 7, sent.span.end)):
        arg = sent.at(doc[j])
        if arg is not None and arg.mention.kind == "name" and not sent.is_modifier(arg):
            return j
        if doc[j].is_punct or doc[j].pos_ in ("VERB", "ADP", "CCONJ"):
            return None
    return None


def _next_listed(sent: Sentence, i: int) -> int | None:
    """Where the next name of a list ("X, Y and Z", "X as well as Y") starts after index i, if any."""
    doc, end = sent.span.doc, sent.span.end
    if not (i + 1 < end and doc[i].lower_ in (",", "and", "as")):
        return None
    nxt = i + 1
    if doc[nxt].lower_ in ("and", "as", "well"):
        nxt += 1
    while nxt < end and doc[nxt].lower_ in ("well", "as"):
        nxt += 1
    return nxt if nxt < end and sent.at(doc[nxt]) is not None else None


def agents(sent: Sentence, tok: Token, depth: int = 0) -> list[Resolved]:
    """The "by" agents of a participle read off the parse: "owned by the Saudi state" -> Saudi Arabia.

    A collective noun with its own "managed/led by" agent hands over to that agent: "led by funds
    managed by BlackRock" -> BlackRock.
    """
    return [
        a
        for agent in tok.children
        if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by")
        for pobj in agent.children
        if pobj.dep_ == "pobj"
        for a in _agent_names(sent, pobj, depth)
    ]


def _collective_members(sent: Sentence, pobj: Token) -> list[Resolved]:
    """ "a long roster of investors, including X and Y": the members are the agents."""
    return [
        a
        for of in pobj.children
        if of.dep_ == "prep" and of.lower_ == "of"
        for member in of.children
        if member.dep_ == "pobj"
        for a in listed_names(sent, member)
    ]


def _agent_names(sent: Sentence, pobj: Token, depth: int) -> list[Resolved]:
    named = [vehicle_owner(sent, a) for a in sent.args_of(pobj) if a.mention.kind == "name"]
    if not named and pobj.lemma_.lower() in _COLLECTIVE_NOUNS:
        named = _collective_members(sent, pobj)
    if not named and depth < 2:
        named = [
            a
            for acl in pobj.children
            if acl.dep_ == "acl" and acl.lower_ in _VEHICLE_VERBS
            for a in agents(sent, acl, depth + 1)
        ]
    return named


def vehicle_owner(sent: Sentence, arg: Resolved) -> Resolved:
    """'BlackRock Private Equity Partners' -> BlackRock: an unregistered fund name glued to a known firm.

    Only when the name the registry does not know follows a registered name with nothing between;
    a fund named after its manager is that manager's money.
    """
    if arg.mention.actor_id is not None or arg.mention.start - 1 < sent.span.start:
        return arg
    before = sent.at(sent.span.doc[arg.mention.start - 1])
    if before is None or before.mention.actor_id is None or before.entity.type is not NodeType.COMPANY:
        return arg
    return before


_COLLECTIVE_NOUNS = frozenset(
    """roster group list slate number host array range string syndicate consortium clutch line-up
    lineup""".split()
)
"""Nouns for a set of investors whose "of" phrase says who they are: "a roster of investors"."""


def listed_names(sent: Sentence, noun: Token) -> list[Resolved]:
    """The names a group noun lists: "investors, including A (TICK:A), B and C" -> A, B, C.

    The parser loses such lists once tickers sit inside them, so after "including"/"such as" the
    names are read off the words: names separated by commas and "and", each may carry a bracket.
    """
    named = [a for a in sent.args_of(noun) if a.mention.kind == "name"]
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("including", "like", "as")):
        out = _names_from(sent, prep.i + 1)
        if len(out) > len(named):
            named = out
    return dedupe_args(named)


def _names_from(sent: Sentence, i: int) -> list[Resolved]:
    """The names written in a row from index i, separated by commas, "and" or "&"."""
    doc, end = sent.span.doc, sent.span.end
    out: list[Resolved] = []
    while i < end:
        arg = sent.at(doc[i])
        if arg is None or arg.mention.kind != "name":
            break
        out.append(arg)
        i = skip_bracket(sent, _run_on(sent, arg))
        if not (i + 1 < end and doc[i].lower_ in (",", "and", "&")):
            break
        i += 2 if doc[i + 1].lower_ == "and" else 1
    return out


def _run_on(sent: Sentence, arg: Resolved) -> int:
    """Where a name ends when it runs on past what the registry knows ("Fidelity Management & Research")."""
    doc = sent.span.doc
    i = arg.mention.end
    while i < min(arg.mention.end + 5, sent.span.end) and (
        (doc[i].pos_ == "PROPN" and sent.at(doc[i]) is None) or doc[i].text == "&"
    ):
        i += 1
    return i


def skip_bracket(sent: Sentence, i: int) -> int:
    """The index after a short bracket ("(NYSE:BLK)") starting at i, else i."""
    doc = sent.span.doc
    if i < sent.span.end and doc[i].text == "(":
        for j in range(i + 1, min(i + 8, sent.span.end)):
            if doc[j].text == ")" or doc[j].text.endswith(")"):
                return j + 1
    return i


_VEHICLE_VERBS = frozenset({"managed", "run", "led", "advised", "controlled", "operated", "backed"})
"""Participles through which a vehicle hands over to its manager: "funds managed by X"."""


def name_before(sent: Sentence, end: int) -> list[Resolved]:
    doc = sent.span.doc
    i = end
    while i >= sent.span.start:
        arg = sent.at(doc[i])
        if arg is not None:
            return [arg] if arg.mention.kind == "name" else []
        if doc[i].lower_ not in _SKIP_BETWEEN:
            return []
        i -= 1
    return []


def is_round(tok: Token) -> bool:
    """A funding round noun: "round", "Series B" (the letter heads it)."""
    return tok.lemma_.lower() in ROUND_NOUNS or any(
        c.dep_ == "compound" and c.lower_ in ("series", "round") for c in tok.children
    )


def round_raiser(sent: Sentence, rnd: Token) -> list[Resolved]:
    """Who raised the money of a round noun: "Y's round", "Y raised $X in a round", "Y closed a
    round", "the round, which valued Y at", else (for "the round") the raiser just before."""
    owners = [c for c in rnd.children if c.dep_ == "poss"]
    return _owner(sent, owners[0]) if owners else _unowned_raiser(sent, rnd)


def _unowned_raiser(sent: Sentence, rnd: Token) -> list[Resolved]:
    """The raiser of a round with no possessor: the raise verb's subject, the firm it valued, or
    for "the round" the raiser just before."""
    verb = rnd.head.head if rnd.dep_ == "pobj" and rnd.head.dep_ == "prep" else rnd.head
    if rnd.dep_ in ("dobj", "pobj") and _raises(verb):
        return [a for a in sent.subjects(verb) if a.mention.kind == "name"]
    valued = [rel for rel in rnd.children if rel.dep_ == "relcl" and rel.lemma_.lower() == "value"]
    if valued:
        return _valued(sent, valued[0])
    if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in rnd.children):
        return recent_raiser(sent)
    return []


def _owner(sent: Sentence, poss: Token) -> list[Resolved]:
    return sent.pronoun(poss) if poss.lower_ in ("its", "their") else sent.args_of(poss)


def _valued(sent: Sentence, rel: Token) -> list[Resolved]:
    """The firm "which valued Y at $2bn" names."""
    return [a for c in rel.children if c.dep_ == "dobj" for a in sent.args_of(c) if a.mention.kind == "name"]


def _raises(verb: Token) -> bool:
    """A verb of raising money: "raised", "closed", "completed"."""
    return verb.pos_ == "VERB" and verb.lemma_.lower() in RECEIVE_VERBS | {"complete"}


def recent_raiser(sent: Sentence, depth: int = 0) -> list[Resolved]:
    """The one firm the sentences just before say raised money or closed a round.

    Looks back past headings and past sentences that only go on about the round ("The round was
    backed by ..."), but stops at a sentence where another named actor is a subject: the text
    has moved on to it.
    """
    for prev in reversed(sent.previous):
        raisers = _raisers_in(prev)
        if raisers:
            return raisers[:1] if len({a.entity.id for a in raisers}) == 1 else []
        if any(a.mention.kind == "name" and prev._is_subject(a) for a in prev.args):
            return []
        if depth < 2 and any(_is_the_round(t) for t in prev.span):
            # "Y closed a round. The round was backed by ... . A and B all participated": the round
            # the sentence before talks about is still the one meant
            return recent_raiser(prev, depth + 1)
    return []


def _raisers_in(prev: Sentence) -> list[Resolved]:
    """The named subjects of the sentence's verbs of raising money or a round."""
    return [
        a
        for t in prev.span
        if _raises(t)
        and any(
            c.dep_ == "dobj" and (is_money(c) or c.lemma_.lower() in ROUND_NOUNS | FUNDING_NOUNS)
            for c in t.children
        )
        for a in prev.subjects(t)
        if a.mention.kind == "name"
    ]


def _is_the_round(tok: Token) -> bool:
    """'The round' as a subject: a sentence going on about a round named before."""
    return (
        tok.dep_ in ("nsubj", "nsubjpass")
        and tok.lemma_.lower() in ROUND_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    )


_CURRENCY_WORDS = frozenset(
    """yen yuan renminbi euro euros dollar dollars won pound pounds rupee rupees riyal riyals dirham
    dirhams""".split()
)


def is_money(tok: Token) -> bool:
    """An amount of money: "$5bn", "1.2 trillion yen" (a currency word with a number on it)."""
    if tok.ent_type_ == "MONEY" or any(t.text in ("$", "€", "£", "¥") for t in tok.subtree):
        return True
    return tok.lower_ in _CURRENCY_WORDS and any(c.dep_ == "nummod" for c in tok.children)


def dedupe_args(args: list[Resolved]) -> list[Resolved]:
    seen: dict[str, Resolved] = {}
    for a in args:
        if a.mention.kind == "name":
            seen.setdefault(a.entity.id, a)
    return list(seen.values())


def by_backers(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The backers of a participle's 'by' phrase: the names written right after "by" (with their
    list), else the parsed agents ("backed by a roster of investors, including ...")."""
    doc = tok.doc
    if tok.i + 2 < sent.span.end and doc[tok.i + 1].lower_ == "by":
        return names_after(sent, tok.i + 2) or agents(sent, tok)
    return agents(sent, tok)


def backed_subject(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who a "backed by" participle is said of: its subject (for a round, the round's raiser), the
    subject of the clause it opens ("Backed by X, Acme raised ..."), the noun it describes ("Acme,
    the start-up bankrolled by X"), else the name just before it."""
    from loaders.frames.funding import described

    subj = [c for c in tok.children if c.dep_ in ("nsubjpass", "nsubj")]
    found: list[Resolved] = []
    if subj:
        # the parser hangs list members on a round ("The round was backed by ..., X, Y"): the round
        # stands for whoever raised it
        is_round = subj[0].lemma_.lower() in ROUND_NOUNS
        found = round_raiser(sent, subj[0]) if is_round else sent.args_of(subj[0])
    elif tok.dep_ == "advcl" and tok.head.i > tok.i and tok.head.pos_ in ("VERB", "AUX"):
        found = sent.subjects(tok.head)
    elif tok.dep_ in ("acl", "amod", "relcl") and tok.head.i < tok.i:
        found = sent.args_of(tok.head) or [a for a in described(sent, tok.head) if a.mention.kind == "name"]
    return found or name_before(sent, tok.i - 1)


def round_check(tok: Token, _: str = "") -> bool:
    """Check: the word is a funding round ("round", "Series B": the letter heads the phrase)."""
    return is_round(tok)


def round_of(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who raised the round the word names: its owner ("Acme's round", "whose Series B" -> the
    relative's antecedent), the raise verb's subject, the firm it valued, or the raiser just before."""
    from loaders.frames.roles import poss

    if not is_round(tok):
        return []
    return poss(sent, tok) or round_raiser(sent, tok)


def also_participating(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Co-investors of a trailing absolute clause on the verb a round hangs on: "raised $1bn in a
    round led by X, with A and B also participating" -> A, B (for the round)."""
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    if verb.pos_ != "VERB":
        return []
    out: list[Resolved] = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"):
        for clause in prep.children:
            if clause.lemma_.lower() in ("participate", "join", "invest", "contribute", "chip"):
                out.extend(a for c in clause.children if c.dep_ == "nsubj" for a in sent.args_of(c))
    return [a for a in out if a.mention.kind == "name"]


def participants(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who took part: the verb's subjects, with names the parser hung on them as proper-noun
    appositions ("A, the B Authority, C and D all participated" -> B, C, D too; "A, the Gulf fund"
    adds no one)."""
    out = sent.subjects(tok)
    for subj in (c for c in tok.children if c.dep_ == "nsubj"):
        out += [
            a
            for c in subj.children
            if c.dep_ == "appos" and c.pos_ == "PROPN"
            for a in sent.args_of(c)
            if a.mention.kind == "name"
        ]
    return dedupe_args(out)


def round_joined(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whose round a participation verb is about: the owner of the round in its 'in' phrase ("took
    part in Acme's Series D"), the raiser of a 'with' clause it opens ("Acme closed a round, with X
    taking part"), else, with no object of its own, the raiser just before ("Acme raised $1bn. X
    also took part"; never for "join", which says what was joined)."""
    found = [a for rnd in _rounds_in(tok) for a in _round_owners(sent, rnd)]
    found = found or [a for verb in _absolute_raiser(tok) for a in sent.subjects(verb)]
    if not found and tok.lemma_.lower() != "join" and not _has_object(tok):
        found = recent_raiser(sent)
    return [a for a in found if a.mention.kind == "name"]


def _rounds_in(tok: Token) -> list[Token]:
    return [
        rnd
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for rnd in prep.children
        if rnd.dep_ == "pobj" and is_round(rnd)
    ]


def _round_owners(sent: Sentence, rnd: Token) -> list[Resolved]:
    owners = [c for c in rnd.children if c.dep_ == "poss"] + [
        c for g in rnd.children if g.dep_ == "compound" for c in g.children if c.dep_ == "poss"
    ]
    return [a for o in owners for a in (sent.pronoun(o) if o.lower_ in ("its", "their") else sent.args_of(o))]


def _absolute_raiser(tok: Token) -> list[Token]:
    """'Y closed a $6bn round, with X taking part (as investors)': the raising verb the clause hangs on.

    Only a "with" absolute clause under a verb of raising whose object is money or a round.
    """
    head = tok.head
    if tok.dep_ in ("pcomp", "pobj") and head.lower_ == "with":
        head = head.head
    elif not (tok.dep_ == "advcl" and any(c.lower_ == "with" and c.i < tok.i for c in head.children)):
        return []
    if head.pos_ != "VERB" or head.lemma_.lower() not in RECEIVE_VERBS | {"complete"}:
        return []
    objects = [c for c in head.children if c.dep_ == "dobj"]
    if not any(is_money(o) or is_round(o) or o.lemma_.lower() in FUNDING_NOUNS for o in objects):
        return []
    return [head]


def _has_object(tok: Token) -> bool:
    """Whether a participation verb says what it took part in ("part" itself is no object)."""
    return any(c.dep_ == "prep" or (c.dep_ == "dobj" and c.lower_ != "part") for c in tok.children)


def money_receiver(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who gets the money a noun names: the subject of "received funding" / "received $5bn in
    funding", the firm of "built a plant with support from ..." (firms only), the raiser of "a
    round with participation from ..." or of "the round saw participation from ..."."""
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_.lower() in RECEIVE_VERBS:
        return sent.subjects(head)
    if tok.dep_ == "dobj" and head.lemma_.lower() in ("see", "draw", "attract", "include"):
        rounds = [c for c in head.children if c.dep_ == "nsubj" and c.lemma_.lower() in ROUND_NOUNS]
        return round_raiser(sent, rounds[0]) if rounds else []
    return _receiver_of_phrase(sent, head) if tok.dep_ == "pobj" else []


def _receiver_of_phrase(sent: Sentence, prep: Token) -> list[Resolved]:
    """The receiver for money named in a phrase: "$5 billion in funding", "with support from"."""
    above = prep.head
    if prep.lower_ == "in" and above.dep_ == "dobj" and above.head.lemma_.lower() in RECEIVE_VERBS:
        return sent.subjects(above.head)  # the amount is the object, the funding its kind
    if prep.lower_ == "with" and above.pos_ == "VERB":
        return [a for a in sent.subjects(above) if a.entity.type in FIRM_TYPES]
    if prep.lower_ == "with" and above.lemma_ in ROUND_NOUNS:
        return round_raiser(sent, above)
    return []


SHARE_WORDS = frozenset(
    {"%", "percent", "per", "majority", "third", "quarter", "half", "stake", "share", "shares"}
)


def is_share(obj: Token) -> bool:
    """An object that is a share of something: "51% of Acme", "a third of the company"."""
    return bool({t.lower_ for t in obj.subtree} & SHARE_WORDS)


def share_holding(sent: Sentence, obj: Token) -> list[Resolved]:
    """What a share object is a share of: "about 90% of Acme" -> Acme."""
    return [
        a
        for t in obj.subtree
        if t.dep_ == "prep" and t.lower_ in ("of", "in")
        for p in t.children
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
    ]


def buyers(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who a sale goes to: the names of its 'to' phrase, or the agents of a group there ("to a
    group of investors led by Acme" -> Acme)."""
    return [
        a
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ == "to"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for a in (
            [x for x in sent.args_of(pobj) if x.mention.kind == "name"]
            or [x for acl in pobj.children if acl.dep_ == "acl" for x in agents(sent, acl)]
        )
    ]


def sold(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The named company sold, or part of which is sold ("sold 51% of Acme", "sell Acme to ...")."""
    out: list[Resolved] = []
    for obj in (c for c in tok.children if c.dep_ == "dobj"):
        out += share_holding(sent, obj) if is_share(obj) else sent.args_of(obj, through_nouns=False)
    return [a for a in out if a.mention.kind == "name" and a.entity.type is NodeType.COMPANY]


def funds(tok: Token, _: str = "") -> bool:
    """Check: the word is an amount of money or a word for money ("$20 million", "the capital")."""
    return is_money(tok) or tok.lemma_.lower() in FUNDING_NOUNS


FOUND_VERBS = frozenset({"set", "found", "start", "create", "launch", "establish", "form"})
"""Verbs of founding: "set up by A and B, who put up $20 million" makes the founders backers."""


def _founding_agent(tok: Token) -> Token | None:
    """The "by" of a founding verb a relative clause's (coordinated or apposed) noun hangs from."""
    if tok.dep_ != "relcl":
        return None
    cur = tok.head
    for _hop in range(4):
        if cur.dep_ == "pobj" and cur.head.dep_ == "agent":
            return cur.head if cur.head.head.lemma_.lower() in FOUND_VERBS else None
        if cur.dep_ not in ("conj", "appos") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def founders_paying(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who put the money up: the verb's subject, and for "set up by A, B and C, who put up ..."
    every founder listed in the 'by' phrase, however the parser chained the list."""
    found = sent.subjects(tok)
    agent = _founding_agent(tok)
    if agent is None:
        return found
    clause = {t.i for t in tok.subtree}
    listed = [t for p in agent.children for t in p.subtree if t.i not in clause]
    return dedupe_args([*found, *sent.mentions_in(listed)])


def founded(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What the founders paying in a relative clause set up ("Acme was set up by A, who put up ...")."""
    agent = _founding_agent(tok)
    if agent is None:
        return []
    return [a for c in agent.head.children if c.dep_ in ("nsubjpass", "nsubj") for a in sent.args_of(c)]


BACK_VERBS = frozenset({"back", "fund", "finance", "bankroll", "acquire", "buy", "purchase"})
"""Verbs whose direct object is the backed actor."""


INVEST_VERBS = frozenset({"invest", "pour", "plow", "plough", "inject", "put", "sink"})
"""Verbs whose "in"/"into" object is the backed actor."""


def recent_backer(sent: Sentence, arg: Resolved) -> bool:
    """Whether the sentences just before present the firm as the one buying or investing.

    After "SoftBank agreed to buy Ampere", "the company" a holder owns part of is not SoftBank.
    """
    for prev in sent.previous[-2:]:
        for t in prev.span:
            if t.pos_ == "VERB" and t.lemma_.lower() in BACK_VERBS | INVEST_VERBS:
                if any(a.entity.id == arg.entity.id for a in prev.subjects(t)):
                    return True
    return False


_SHARE_PREPS = frozenset({"to", "about", "around", "over", "under", "nearly"})
"""Prepositions the parser makes of an approximation: "holds close to a third", "owns about 40%"."""


def _shares(tok: Token) -> list[Token]:
    """The verb's objects that are shares: "owns 90% of X", "holds close to a third of X"."""
    near = [*tok.children, *(g for a in tok.children if a.dep_ == "advmod" for g in a.children)]
    objects = [c for c in tok.children if c.dep_ == "dobj"] + [
        p
        for c in near
        if c.dep_ == "prep" and c.lower_ in _SHARE_PREPS
        for p in c.children
        if p.dep_ == "pobj"
    ]
    return [o for o in objects if is_share(o)]


def share_held(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What a holder owns a share of: "owns about 90% of Acme" -> Acme; "Acme, in which Globex holds
    just under half" -> Acme. "The company" never stands for a firm the sentence names as a fellow
    holder, or one the sentences before present as the buyer."""
    out: list[Resolved] = []
    for obj in _shares(tok):
        held = [a for a in share_holding(sent, obj) if not _rival_holder(sent, a, obj)]
        out += held or _relative_in_antecedent(sent, tok)
    return out


def _relative_in_antecedent(sent: Sentence, tok: Token) -> list[Resolved]:
    if tok.dep_ != "relcl" or not any(
        c.dep_ == "prep" and c.lower_ == "in" and any(p.tag_ == "WDT" for p in c.children)
        for c in tok.children
    ):
        return []
    return sent.args_of(tok.head, through_nouns=False)


def _rival_holder(sent: Sentence, arg: Resolved, obj: Token) -> bool:
    """'Carlyle is the majority owner, while Oracle holds a third of the company': not Carlyle."""
    if arg.mention.start >= sent.span.start and arg.mention.start in range(
        obj.left_edge.i, obj.right_edge.i + 1
    ):
        return False  # named right there in the object
    subject = any(a.entity.id == arg.entity.id and sent._is_subject(a) for a in sent.args)
    return subject or recent_backer(sent, arg)


DISPOSE_VERBS = frozenset(
    "sell divest dump offload unload exit dispose liquidate shed relinquish sold".split()
)
"""Verbs that end a holding: "sold its stake in Y" is no current backing."""


def disposed(tok: Token) -> bool:
    """A holding the sentence says was sold off: "sold its stake in Y", "agreed to divest its stake"."""
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_.lower() in DISPOSE_VERBS:
        return True
    if tok.dep_ == "pobj" and head.head.lemma_.lower() in DISPOSE_VERBS:
        return True  # "the sale of its stake" reads as a noun; "exit from its stake"
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _PART_WORDS:
        return disposed(head.head)  # "sell most of its stake", "divest part of its holding"
    return any(c.dep_ == "amod" and c.lower_ in ("former", "sold", "divested") for c in tok.children)


_PART_WORDS = frozenset("most part all half some portion bulk rest remainder majority much".split())
"""Words for a share of a holding: "sold most of its stake"."""


def stake_holder(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who holds a stake: its possessor ("Acme's stake", "its stake"), else the subject of the verb it
    is the object of ("Acme took a stake", "Acme holds a 10% interest")."""
    owners = [c for c in tok.children if c.dep_ == "poss"]
    if owners:
        return _owner(sent, owners[0])
    if tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        return sent.subjects(tok.head)
    return []


def disposed_check(tok: Token, _: str = "") -> bool:
    """Check: the holding is said to be sold off ("sold its stake", "sell most of its stake")."""
    return disposed(tok)
