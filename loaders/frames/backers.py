"""Role readers and checks of the BACKS frames: who put money in, and what they hold.

Lists of backers ("backed by A, B and C", "investors, including A (NYSE:A), B and C", "led by funds
managed by A"), rounds and their raisers ("Acme raised $1bn. The round was led by ..."), money put
into a firm's sites, rounds and units ("pledged $1bn to Acme's plant"), founders who pay, shares,
what a holder noun holds ("Acme investor Globex"), units and "-backed" compounds. Whatever a general
role of `loaders.frames.roles` reads (subjects, objects, possessors, appositions) is written in the
frames of `tables/backs.yaml` instead. Word lists are lexicon classes (the `backs_` ones).
"""

from __future__ import annotations

from contextvars import ContextVar

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.discourse import FIRM_TYPES, PRONOUNS, Sentence, prep_objects
from loaders.frames.tables import in_class, lexicon
from loaders.resolve import Resolved

ROUND_NOUNS = lexicon().words("round_nouns")


def _names(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.mention.kind == "name"]


def _named_by(sent: Sentence, tok: Token) -> list[Resolved]:
    """The actors a word names, a possessive pronoun resolved ("its round")."""
    return sent.pronoun(tok) if tok.lower_ in PRONOUNS else sent.args_of(tok)


def dedupe_args(args: list[Resolved]) -> list[Resolved]:
    seen: dict[str, Resolved] = {}
    for a in _names(args):
        seen.setdefault(a.entity.id, a)
    return list(seen.values())


# --- names read off the words, where the parse loses lists and brackets ---


def next_name(sent: Sentence, start: int, window: int = 5) -> list[Resolved]:
    """The name a modifier applies to: the next mention within a few words, nothing in between."""
    doc = sent.span.doc
    for i in range(start, min(start + window, sent.span.end)):
        arg = sent.at(doc[i])
        if arg is not None:
            return [arg] if arg.mention.kind == "name" else []
        if doc[i].is_punct or doc[i].pos_ in ("VERB", "AUX", "ADP", "CCONJ"):
            return []
    return []


def listed_names(sent: Sentence, noun: Token) -> list[Resolved]:
    """The names a group noun lists: "investors, including A (TICK:A), B and C" -> A, B, C.

    The parser loses such lists once tickers sit inside them, so after "including"/"such as" the
    names are read off the words: names separated by commas and "and", each may carry a bracket.
    """
    named = _names(sent.args_of(noun))
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


# --- 'by' phrases: backed by, led by, owned by ---


def agents(sent: Sentence, tok: Token, depth: int = 0) -> list[Resolved]:
    """The "by" agents of a participle read off the parse: "owned by the Saudi state" -> Saudi Arabia.

    A collective noun lists its members ("a roster of investors, including X and Y"); one with its
    own "managed/led by" agent hands over to that agent ("led by funds managed by BlackRock").
    """
    by = prep_objects(tok, ("by",), heads=("agent", "prep"))
    return [a for pobj in by for a in _agent_names(sent, pobj, depth)]


def _agent_names(sent: Sentence, pobj: Token, depth: int) -> list[Resolved]:
    named = _names(sent.args_of(pobj))
    if not named and in_class(pobj, "backs_group_nouns"):
        named = [a for m in prep_objects(pobj, ("of",), heads=("prep",)) for a in listed_names(sent, m)]
    if not named and depth < 2:
        vehicles = [c for c in pobj.children if c.dep_ == "acl" and in_class(c, "backs_vehicle_verbs")]
        named = [a for acl in vehicles for a in agents(sent, acl, depth + 1)]
    return named


def by_backers(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The backers of a participle's 'by' phrase: the names written right after "by" (with their
    list; a fund named after its manager is the manager's), else the parsed agents ("backed by a
    roster of investors, including ...")."""
    written = _names(sent.surface_objects(tok, frozenset({"by"})))
    return written or agents(sent, tok)


# --- rounds and who raised them ---


def is_round(tok: Token, _: str = "") -> bool:
    """Check: a funding round noun: "round", "Series B" (the letter heads it)."""
    return tok.lemma_.lower() in ROUND_NOUNS or any(
        c.dep_ == "compound" and c.lower_ in ROUND_NOUNS for c in tok.children
    )


def is_money(tok: Token) -> bool:
    """An amount of money: "$5bn", "1.2 trillion yen" (a currency word with a number on it)."""
    if tok.ent_type_ == "MONEY" or any(t.text in ("$", "€", "£", "¥") for t in tok.subtree):
        return True
    return in_class(tok, "currency_words") and any(c.dep_ == "nummod" for c in tok.children)


def funds(tok: Token, _: str = "") -> bool:
    """Check: the word is an amount of money or a word for money ("$20 million", "the capital")."""
    return is_money(tok) or in_class(tok, "backs_funding_nouns")


def _raises(verb: Token) -> bool:
    """A verb of raising money or a round: "raised $1bn", "closed a round", "completed a Series B"."""
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in lexicon().words("backs_take_verbs") | {"complete"}
        and any(c.dep_ == "dobj" and (funds(c) or is_round(c)) for c in verb.children)
    )


def round_of(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who raised the round the word names: its owner ("Acme's round", "whose Series B" -> the
    relative's antecedent), the raise verb's subject, the firm it valued, or the raiser just before."""
    return round_raiser(sent, tok) if is_round(tok) else []


def round_raiser(sent: Sentence, rnd: Token) -> list[Resolved]:
    """Who raised the money of a round noun: "Y's round", "Y raised $X in a round", "the round,
    which valued Y at", else (for "the round") the raiser just before."""
    from loaders.frames.roles import poss

    return poss(sent, rnd) or _unowned_raiser(sent, rnd)


def _unowned_raiser(sent: Sentence, rnd: Token) -> list[Resolved]:
    verb = rnd.head.head if rnd.dep_ == "pobj" and rnd.head.dep_ == "prep" else rnd.head
    if rnd.dep_ in ("dobj", "pobj") and _raises(verb):
        return _names(sent.subjects(verb))
    valued = [
        c
        for rel in rnd.children
        if rel.dep_ == "relcl" and rel.lemma_.lower() == "value"
        for c in rel.children
    ]
    if valued:  # "the round, which valued Y at $2bn"
        return _names([a for c in valued if c.dep_ == "dobj" for a in sent.args_of(c)])
    return recent_raiser(sent) if _definite(rnd) else []


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)


def recent_raiser(sent: Sentence, depth: int = 0) -> list[Resolved]:
    """The one firm the sentences just before say raised money or closed a round.

    Looks back past headings and past sentences that only go on about the round ("The round was
    backed by ..."), but stops at a sentence where another named actor is a subject: the text
    has moved on to it.
    """
    for prev in reversed(sent.previous):
        raised = [a for t in prev.span if _raises(t) for a in prev.subjects(t)]
        raisers = _names(raised) or _round_owners(prev)
        if raisers:
            return raisers[:1] if len({a.entity.id for a in raisers}) == 1 else []
        if any(a.mention.kind == "name" and prev._is_subject(a) for a in prev.args):
            return []
        if depth < 2 and any(_is_the_round(t) for t in prev.span):
            # "Y closed a round. The round was backed by ... . A and B all participated": the round
            # the sentence before talks about is still the one meant
            return recent_raiser(prev, depth + 1)
    return []


def _round_owners(sent: Sentence) -> list[Resolved]:
    """'Acme will stay private on the back of a $1bn Series G round': a priced round with no owner
    of its own belongs to the subject of the clause that names it."""
    for tok in sent.span:
        if not is_round(tok) or any(c.dep_ == "poss" for c in tok.children):
            continue
        if any(is_money(t) or t.tag_ == "$" for t in tok.subtree):
            verb = next((h for h in tok.ancestors if h.pos_ in ("VERB", "AUX")), None)
            return _names(sent.subjects(verb)) if verb is not None else []
    return []


def _is_the_round(tok: Token) -> bool:
    """'The round' as a subject: a sentence going on about a round named before."""
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.lemma_.lower() in ROUND_NOUNS and _definite(tok)


# --- taking part in a round ---


def participants(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who took part: the verb's subjects, with names the parser hung on them as proper-noun
    appositions ("A, the B Authority, C and D all participated" -> B, C, D too; "A, the Gulf fund"
    adds no one)."""
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    apposed = [c for s in subjects for c in s.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    return dedupe_args(sent.subjects(tok) + _names([a for c in apposed for a in sent.args_of(c)]))


def round_joined(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whose round a participation verb is about: the owner of the round in its 'in' phrase ("took
    part in Acme's Series D"), the raiser of a 'with' clause it opens ("Acme closed a round, with X
    taking part"), else, with no object of its own, the raiser just before ("Acme raised $1bn. X
    also took part"; never for "join", which says what was joined)."""
    from loaders.frames.roles import raiser

    rounds = [r for r in prep_objects(tok, ("in",), heads=("prep",)) if is_round(r)]
    owners = [o for r in rounds for g in (r, *_compounds(r)) for o in g.children if o.dep_ == "poss"]
    found = [a for o in owners for a in _named_by(sent, o)]
    found = found or [a for a in raiser(sent, tok) if a.mention.start >= sent.span.start]
    if not found and tok.lemma_.lower() != "join" and not _has_object(tok):
        found = recent_raiser(sent)
    return _names(found)


def _compounds(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "compound"]


def _has_object(tok: Token) -> bool:
    """Whether a participation verb says what it took part in ("part" itself is no object)."""
    return any(c.dep_ == "prep" or (c.dep_ == "dobj" and c.lower_ != "part") for c in tok.children)


# --- money from and to ---


def relative_in(sent: Sentence, tok: Token, preps: str) -> list[Resolved]:
    """The noun a relative clause hangs on when the relative pronoun is the object of one of these
    prepositions ("Globex, in which Acme invested" -> Globex, for "invested" with 'in')."""
    wanted = preps.split("|")
    if tok.dep_ != "relcl" or not any(
        c.dep_ == "prep" and c.lower_ in wanted and any(p.tag_ in ("WDT", "WP") for p in c.children)
        for c in tok.children
    ):
        return []
    return sent.args_of(tok.head, through_nouns=False)


def paid_for(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Firms named in the verb's object or prepositions that are not mere product modifiers
    ("half the cost of Acme's plant", "the Acme fab" -> Acme; "Acme chips" -> none)."""
    doc = tok.doc
    out: list[Resolved] = []
    for c in (c for c in tok.children if c.dep_ in ("dobj", "prep")):
        for arg in sent.mentions_in(c.subtree):
            if arg.mention.kind != "name" or arg.entity.type not in FIRM_TYPES:
                continue
            owns_site = arg.mention.end < sent.span.end and in_class(doc[arg.mention.end], "backs_site_nouns")
            if owns_site or not sent.is_modifier(arg):
                out.append(arg)
    return out


def held(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What money put into a round or a unit reaches: the round's or unit's owner, and the unit named
    right after its noun ("into Acme's Series B" -> Acme; "into Acme's subsidiary, Globex" -> both);
    nothing for any other noun ("into Acme's data centres")."""
    from loaders.frames.roles import poss

    rnd = in_class(tok, "round_nouns") or any(in_class(c, "round_nouns") for c in _compounds(tok))
    if not rnd and not in_class(tok, "backs_unit_nouns"):
        return []
    return poss(sent, tok) + ([] if rnd else unit_named(sent, tok))


# --- units: "Acme's chip unit Globex" ---


def unit_named(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm named right after a unit noun ("arm Globex", "unit, Globex"), or after its place
    ("subsidiary in Shanghai, Globex")."""
    doc, end = tok.doc, sent.span.end
    nxt = tok.i + 1
    if nxt < end and doc[nxt].lower_ in ("in", "based"):
        # the place runs to a comma within five words, with no verb on the way
        comma = next((k for k in range(nxt + 1, min(nxt + 6, end)) if doc[k].text == ","), None)
        if comma is None or any(doc[k].pos_ in ("VERB", "AUX") for k in range(nxt + 1, comma)):
            return []
        nxt = comma
    if nxt < end and doc[nxt].text == ",":
        nxt += 1
    return [a for a in next_name(sent, nxt, 1) if a.entity.type in FIRM_TYPES]


def described(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm a describing noun stands for: in apposition ("Globex, a unit of Acme" -> Globex) or
    after a copula ("Globex is a unit of Acme" -> Globex)."""
    if tok.dep_ == "appos":
        return sent.args_of(tok.head)
    if tok.dep_ == "attr":
        return sent.subjects(tok.head)
    return []


def listed_with(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm a noun with 'its' is coordinated with: "Acme and its arm Globex" -> Acme (the
    pronoun's own antecedent may lie further back)."""
    if tok.dep_ != "conj" or not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children):
        return []
    return _names(sent.args_of(tok.head, through_nouns=False))


# --- "-backed" compounds ---


def glued(tok: Token, _: str = "") -> bool:
    """Check: the word is glued by a hyphen to the word before it ("Acme-backed", "Acme-led")."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text in ("-", "–") and not doc[tok.i - 1].whitespace_


def glued_backer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The name glued before "-backed" / "-led", with the names sharing the hyphen
    ("Alibaba- and Tencent-backed" -> Alibaba, Tencent)."""
    arg = sent.at(tok.doc[tok.i - 2]) if glued(tok) else None
    return [*sent.shared_modifiers(arg), arg] if arg is not None and arg.mention.kind == "name" else []


def suffix_backer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The backer of a word like "Inc.-backed" (the name the word belongs to, or the one just before)
    or "(9988.HK)-backed" (the name before the bracket)."""
    doc, start = tok.doc, sent.span.start
    if ")-" in tok.text:
        i = tok.i - 1
        while i >= start and tok.i - i <= 4 and doc[i].text != "(":
            i -= 1
        arg = sent.at(doc[i - 1]) if i - 1 >= start and doc[i].text == "(" else None
    else:
        arg = sent.at(tok) or (sent.at(doc[tok.i - 1]) if tok.i - 1 >= start else None)
    return _names([arg]) if arg is not None else []


def suffix_backed(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm named just after a glued "-backed" word, past a ticker in brackets."""
    return next_name(sent, skip_bracket(sent, tok.i + 1))


# --- sales, founders, shares and stakes ---


def _founding_agent(tok: Token) -> Token | None:
    """The "by" of a founding verb a relative clause's (coordinated or apposed) noun hangs from."""
    if tok.dep_ != "relcl":
        return None
    cur = tok.head
    for _hop in range(4):
        if cur.dep_ == "pobj" and cur.head.dep_ == "agent":
            return cur.head if in_class(cur.head.head, "backs_found_verbs") else None
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


def share_held(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What a holder owns part of, read by the general roles: "owns about 90% of Acme", "holds close
    to a third of Acme" (the parser makes a preposition of the approximation), else "Acme, in which
    Globex holds 49%". "The company" never stands for a firm the sentence names as a fellow holder,
    or one the sentences before present as the buyer ("Carlyle is the majority owner, while Oracle
    holds a third of the company": not Carlyle)."""
    from loaders.frames.roles import read

    found = read("object.pobj:of|in+nested.pobj:of+adverb.nested.pobj:of", sent, tok)
    held = [a for a in found if a.mention.start >= sent.span.start or not _rival_holder(sent, a)]
    return held or relative_in(sent, tok, "in")


def _rival_holder(sent: Sentence, arg: Resolved) -> bool:
    subject = any(a.entity.id == arg.entity.id and sent._is_subject(a) for a in sent.args)
    return subject or recent_backer(sent, arg)


def recent_backer(sent: Sentence, arg: Resolved) -> bool:
    """Whether the sentences just before present the firm as the one buying or investing.

    After "SoftBank agreed to buy Ampere", "the company" a holder owns part of is not SoftBank.
    """
    return any(
        a.entity.id == arg.entity.id
        for prev in sent.previous[-2:]
        for t in prev.span
        if t.pos_ == "VERB" and in_class(t, "backs_buy_verbs")
        for a in prev.subjects(t)
    )


def disposed(tok: Token, _: str = "") -> bool:
    """Check: the holding is said to be sold off ("sold its stake in Y", "sell most of its stake",
    "agreed to divest its stake", "pull out of its investments"): no current backing."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "of" and in_class(head.head, "backs_portion_words"):
        return disposed(head.head)  # "sell most of its stake", "divest part of its holding"
    # "the sale of its stake" reads as a noun; "exit from its stake"
    seller = head if tok.dep_ == "dobj" else head.head if tok.dep_ == "pobj" else None
    if seller is not None and seller.lower_ == "out" and seller.dep_ in ("prep", "prt", "advmod"):
        seller = seller.head  # "pull out of its investments", "cashed out of its holding"
        return in_class(seller, "backs_dispose_verbs") or in_class(seller, "backs_pull_out_verbs")
    return seller is not None and in_class(seller, "backs_dispose_verbs")


def _phrase(tok: Token) -> Token:
    """The noun heading the holder phrase: "TikTok's parent company ByteDance" is headed by "company"."""
    head = tok.head
    if tok.dep_ == "compound" and head.i == tok.i + 1 and in_class(head, "backs_holder_heads"):
        return head
    return tok


def holding(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What a holder noun holds (written on it, else implied by the passage)."""
    noun = _phrase(tok)
    return [a for c in noun.children for a in _holding_of(sent, noun, c)] or _implied(sent, noun)


def _holding_of(sent: Sentence, noun: Token, c: Token) -> list[Resolved]:
    """ "Acme investor", "Acme's investors", "its investors", "investors in/of/behind Acme" (for "in
    the round", its raiser)."""
    if c.dep_ in ("compound", "poss") and c.i < noun.i:
        return _named_by(sent, c)
    if c.dep_ != "prep" or c.lower_ not in ("in", "of", "behind"):
        return []
    pobjs = [p for prep in (c, *c.conjuncts) for p in prep.children if p.dep_ == "pobj"]
    rounds = {p.i for p in pobjs if in_class(p, "round_nouns")}
    return [a for p in pobjs for a in sent.args_of(p) + (round_raiser(sent, p) if p.i in rounds else [])]


def _implied(sent: Sentence, noun: Token) -> list[Resolved]:
    """ "Acme raised $6 billion. Key investors include X": the raiser; "X is the majority owner":
    the firm the text is about."""
    if _sized_holding(noun) and noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return salient_holding(sent, noun.head)
    return []


def _sized_holding(tok: Token) -> bool:
    """A holder noun sized like an ownership ("the majority owner", "another big holder"), with no
    holding named ("the largest holder of patents", "the biggest investor in AI")."""
    return not any(c.dep_ == "prep" for c in tok.children) and any(
        c.dep_ in ("amod", "compound", "det") and in_class(c, "backs_size_words") for c in tok.children
    )


def salient_holding(sent: Sentence, verb: Token, _: str = "") -> list[Resolved]:
    """The holding a bare "another big holder" or "also has a stake" continues (the verb's).

    First the firm the sentences just before said was backed (a list of holders goes on), else
    the company the text is about, if one stands out; never the verb's own subject or a firm
    just presented as the buyer.
    """
    subjects = {a.entity.id for a in sent.subjects(verb)}
    held = _recently_backed(sent)
    if held is not None:
        return [h for h in held if h.entity.id not in subjects]
    firm = sent.salient(frozenset({NodeType.COMPANY}))
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
            backed = {h.target.id for h in engine.find(prev) if h.type is RelType.BACKS}
            if len(backed) > 1:
                return []
            if backed:
                return [a for a in [*prev.args, *sent.context] if a.entity.id in backed][:1]
    finally:
        _LOOKING_BACK.reset(token)
    return None
