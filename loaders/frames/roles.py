"""Role readers: where a frame's source and target are, relative to its trigger word.

A role is written `[anchor.]...name[:argument]`:

- names: `subject` and `object` (logical: a passive verb's subject is its object, its `by` phrase
  its subject), `agent`, `pobj:to,for` (objects of those prepositions on the word), `poss`
  (the possessor: "Acme's"), `mod` (an actor written on the noun: "German aid", "the Acme grant"),
  `salient:Government` (the actor of that type the text is about just before, from the discourse
  model in `Sentence.salient`), `topic:Company` (the one the whole document is about), `relative`
  (the noun a relative clause hangs on: "Acme, which P founded"), `written_after` (actors written
  just after a verb), and the job-title readers of `loaders.frames.titles` (`titled`,
  `title_owner`, `office`, `home_state`) and the BASED_IN readers of
  `loaders.frames.located` (`glued_place`, `place_in`, `described_state`, `possessor_state`, ...)
  and the RESTRICTS readers of `loaders.frames.restricted` (`enactor`, `restricted_objects`, ...);
- anchors move the word first: `governor.` (the verb a noun trigger is the object or subject of:
  "imposed curbs"), `object.` (the trigger verb's direct objects: "backed Acme's project"),
  `head.` (the word the trigger hangs on: "orders banning X" -> orders), `nested.` (objects of
  any preposition on the word: "rules for shipments to X" -> shipments), `clause.` (a relative or
  participle clause on a noun: "restrictions that require X to ..." -> require), `subj.` (the
  word's grammatical subjects: "Acme's investors include ..." -> investors), `adverb.` (its adverbial
  modifiers: "holds close to a third of X" -> close), `modifier.` (the words written on a noun:
  "export rules" -> export). Anchors chain; `ANCHORS` lists them all.

Voice, control verbs, conjoined verbs and relative clauses are handled here once for every frame;
pronouns, descriptions ("the chipmaker"), group nouns and lists come resolved from `Sentence`.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice, takewhile

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import LIST_PREPS, PRONOUNS, Sentence, prep_objects
from loaders.frames import backers, located, restricted, rivals, titles
from loaders.frames.tables import lexicon
from loaders.resolve import Resolved

Reader = Callable[[Sentence, Token, str], list[Resolved]]
Anchor = Callable[[Token], list[Token]]
NOUNS = frozenset({"NOUN", "PROPN"})
_PREP_OR_AGENT = ("prep", "agent")
"""The labels the prepositions of `pobj`, `agent` and `prep_objects` roles carry (not a dative)."""
_GOVERNED = frozenset({"dobj", "nsubjpass", "attr", "appos", "conj"})


def is_passive(tok: Token) -> bool:
    """A passive verb: "was banned", or a participle hung on a noun ("grants awarded to X")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return True
    if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
        return True  # "is majority-owned by X": a participle under a copula, with its 'by' phrase
    return tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod")


def governor(tok: Token) -> Token | None:
    """The verb a noun is the object or passive subject of, through 'on/to' phrases and conjuncts."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep":
            cur = cur.head.head
        elif cur.dep_ in _GOVERNED and cur.head.i != cur.i:
            cur = cur.head
        else:
            break
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def _args(sent: Sentence, tok: Token) -> list[Resolved]:
    return sent.pronoun(tok) if tok.lower_ in PRONOUNS else sent.args_of(tok)


def subject(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who does what the trigger says."""
    if tok.pos_ in NOUNS:
        gov = governor(tok)
        return subject(sent, gov) if gov is not None else []
    if is_passive(tok):
        return agent(sent, tok)
    found = sent.subjects(tok)
    if not found and tok.dep_ == "relcl" and tok.head.dep_ == "attr" and tok.head.head.i != tok.head.i:
        # "OpenAI is a research lab that counts X as ...": the lab is the copula's subject
        return subject(sent, tok.head.head)
    if not found and (tok.dep_ == "acl" or _infinitive_clause(tok)) and tok.head.pos_ in NOUNS:
        # "signed orders banning X", "is in talks to invest in X": the clause's doer is whoever acted
        # on the noun it hangs on
        gov = governor(tok.head)
        found = subject(sent, gov) if gov is not None else []
    return found


def _infinitive_clause(tok: Token) -> bool:
    """A relative clause that is an infinitive ("talks to invest"): it has no subject of its own."""
    return tok.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def at(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actor named by the word itself only, without its conjuncts or list."""
    arg = sent.at(tok)
    return [arg] if arg is not None else []


def after(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actor named right after the word and those conjoined to it, read off the words when the
    parse hangs them apart ("Chinese telecom Huawei Monday": both words on "Monday"; "partners
    Nvidia and Cisco")."""
    nxt = tok.i + 1
    arg = sent.at(sent.span.doc[nxt]) if nxt < sent.span.end else None
    if arg is None or arg.mention.start != nxt:
        return []
    return members(sent, sent.span.doc[arg.mention.start : arg.mention.end].root)


def firms(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The named members of a firm noun's list ("16 entities, including A and B" -> A, B); nothing
    for any other noun ("algorithms like Acme's")."""
    nouns = lexicon().words("firm_nouns")
    if tok.lemma_.lower() not in nouns and tok.lower_ not in nouns:
        return []
    listed = [p for c in tok.subtree if c.dep_ == "prep" and c.lower_ in LIST_PREPS for p in c.children]
    return [
        a
        for p in listed
        if p.dep_ == "pobj"
        for a in sent.args_of(p)
        if a.entity.type in (NodeType.COMPANY, NodeType.ORGANIZATION)
    ]


def members(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors the word and its conjuncts name themselves ("Acme and Globex"), no lists."""
    out: list[Resolved] = []
    for word in (tok, *tok.conjuncts):
        arg = sent.at(word)
        if arg is not None and arg not in out:
            out.append(arg)
    return out


def destination(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Where goods go: a 'to X' in the clause of the word, outside its subject, under a trade noun
    ("unveiled export rules for shipments of chips made in Y to X" -> X; "after a visit to X" -> none)."""
    clause = governor(tok) if tok.pos_ in NOUNS else tok
    if clause is None:
        return []
    skip = {t.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    trade = lexicon().words("trade_nouns")
    out: list[Resolved] = []
    for t in clause.subtree:
        if t.dep_ == "pobj" and t.head.lower_ in ("to", "into") and t.i not in skip:
            path = takewhile(lambda a: a.i != clause.i, t.head.ancestors)  # the words up to the clause
            if any(a.lower_ in trade or a.lemma_.lower() in trade for a in path):
                out.extend(_args(sent, t))
    return out


def topic(sent: Sentence, tok: Token, kind: str) -> list[Resolved]:
    """The actor of that type the whole document is about (`Sentence.topic`)."""
    found = sent.topic(NodeType(kind))
    return [found] if found is not None else []


def raiser(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who raised the round the passage speaks of: the subject of the last raise verb with money or
    a round as object, in this sentence before the word or the sentences just before, until a
    sentence whose subject is another named firm. A pronoun subject defers to the document's topic
    company when there is one."""
    for scope in (sent, *reversed(sent.previous)):
        for verb in reversed(scope.span):
            if (scope is not sent or verb.i < tok.i) and _raises(verb):
                found = _raiser_of(sent, scope, verb)
                if found:
                    return found
        if scope is not sent and _named_subject(scope):
            return []  # another firm took the floor since: its sentence is no longer about the round
    return []


def _raises(verb: Token) -> bool:
    """A raise verb with money or a round as object ("raised $1bn", "closed a Series B")."""
    words, rounds = lexicon().words("raise_verbs"), lexicon().words("round_nouns")
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in words
        and any(
            o.dep_ == "dobj" and (o.ent_type_ == "MONEY" or o.lemma_.lower() in rounds) for o in verb.children
        )
    )


def _raiser_of(sent: Sentence, scope: Sentence, verb: Token) -> list[Resolved]:
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.pos_ == "PRON":
        return topic(sent, verb, "Company") or subject(scope, verb)
    return subject(scope, verb)


def _named_subject(scope: Sentence) -> bool:
    """The sentence's subject is a company named there."""
    for t in scope.span:
        arg = scope.at(t) if t.dep_ == "nsubj" else None
        if arg is not None and arg.entity.type is NodeType.COMPANY and arg.mention.kind == "name":
            return True
    return False


def all_(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors of the phrase and those added by "along with" / "together with" / "as well as"."""
    out = _args(sent, tok)
    # the parser hangs "along with B" on the name or, for an object, on its verb
    around = (
        [*tok.children, *(c for c in tok.head.children if c.i > tok.i)]
        if tok.dep_ in ("attr", "dobj")
        else list(tok.children)
    )
    for c in around:
        if c.dep_ in ("prep", "cc", "advmod") and c.lower_ in ("along", "together", "as"):
            for w in c.subtree:
                if w.dep_ in ("pobj", "conj") and w.i > c.i:
                    out.extend(a for a in _args(sent, w) if a not in out)
    return out


def clause_subject(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The subject of the nearest clause above the word that has one ("China pours money into a
    fund to drive growth amid a race with X" -> China, for "race")."""
    for cur in islice(tok.ancestors, 8):
        if cur.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
            return subject(sent, cur)
    return []


def object_(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Whom the trigger acts on: direct objects, or a passive verb's subject."""
    if tok.pos_ not in NOUNS and is_passive(tok):
        if tok.dep_ in ("acl", "amod") and tok.head.pos_ in NOUNS:
            return _args(sent, tok.head)
        if tok.dep_ in ("acomp", "attr") and not sent.subjects(tok):
            return sent.subjects(tok.head)  # "Humain is majority-owned by X": the copula's subject
        return sent.subjects(tok)
    return [a for c in ANCHORS["object"](tok) for a in _args(sent, c)]


def self_(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors the word itself names (with its conjuncts and lists)."""
    return _args(sent, tok)


def agent(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actor of a 'by' phrase on the word."""
    return [a for p in prep_objects(tok, {"by"}, heads=_PREP_OR_AGENT) for a in _args(sent, p)]


def pobj(sent: Sentence, tok: Token, preps: str) -> list[Resolved]:
    """Objects of the named prepositions on the word ("pobj:to|for")."""
    return [a for p in prep_objects(tok, set(preps.split("|")), heads=_PREP_OR_AGENT) for a in _args(sent, p)]


def poss(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The possessor written on a noun ("Acme's stake", "its app")."""
    out: list[Resolved] = []
    for c in tok.children:
        if c.dep_ == "poss" and c.tag_ == "WP$":
            out.extend(_antecedent(sent, c))  # "MiniMax, whose investors include ..." -> MiniMax
        elif c.dep_ == "poss" or _marked_possessive(c, tok):
            out.extend(_args(sent, c))
    return out


def _marked_possessive(c: Token, head: Token) -> bool:
    """A modifier the parser did not call a possessor, though "'s" follows it ("Musk’s AI company")."""
    if c.dep_ not in ("nmod", "compound") or c.i >= head.i:
        return False
    nxt = c.doc[c.i + 1]
    return nxt.lower_ in ("'s", "’s") or nxt.tag_ == "POS"


def _antecedent(sent: Sentence, tok: Token) -> list[Resolved]:
    """The noun a relative clause holding `tok` hangs on."""
    for cur in islice(tok.ancestors, 4):
        if cur.dep_ == "relcl" and cur.head.i != cur.i:
            return _args(sent, cur.head)
    return []


def mod(sent: Sentence, tok: Token, which: str = "") -> list[Resolved]:
    """An actor written before a noun as its modifier ("German state aid", "the Acme grant"); with
    `mod:known`, one the registry knows ("the Intel plant", not "the Hokkaido project")."""
    out: list[Resolved] = []
    for c in tok.subtree:
        if c.i >= tok.i or c.dep_ not in ("compound", "amod", "nmod"):
            continue
        arg = sent.at(c)
        if arg is not None and arg not in out and (which != "known" or arg.entity.known):
            out.append(arg)
    return out


def relative(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The noun a relative clause hangs on when its object is the relative pronoun
    ("ByteDance, which Zhang Yiming founded" -> ByteDance, for "founded")."""
    if tok.dep_ != "relcl" or not any(c.dep_ == "dobj" and c.tag_ in ("WDT", "WP") for c in tok.children):
        return []
    return sent.args_of(tok.head)


def written_after(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors written just after a verb, read off the words when the parse hides them
    ("chairs the investment vehicle MGX")."""
    return sent.surface_objects(tok)


def salient(sent: Sentence, tok: Token, kind: str) -> list[Resolved]:
    """The actor of that type the text is about just before this sentence, when one stands out."""
    found = sent.salient(frozenset({NodeType(kind)}))
    return [found] if found is not None else []


_NAMES: dict[str, Reader] = {
    "subject": subject,
    "object": object_,
    "agent": agent,
    "pobj": pobj,
    "poss": poss,
    "mod": mod,
    "salient": salient,
    "self": self_,
    "clause_subject": clause_subject,
    "at": at,
    "members": members,
    "after": after,
    "firms": firms,
    "all": all_,
    "destination": destination,
    "topic": topic,
    "raiser": raiser,
    "relative": relative,
    "written_after": written_after,
    "titled": titles.titled,
    "title_owner": titles.title_owner,
    "office": titles.office,
    "home_state": titles.home_state,
    "glued_place": located.glued_place,
    "place_in": located.place_in,
    "described_state": located.described_state,
    "possessor_state": located.possessor_state,
    "name_state": located.name_state,
    "maker": rivals.maker,
    "makers": rivals.makers,
    "prep_object": rivals.prep_object,
    "rival_side": rivals.side,
    "enactor": restricted.enactor,
    "restricted": restricted.restricted,
    "restricted_objects": restricted.restricted_objects,
    "barred_from": restricted.barred_from,
    "under_measure": restricted.under_measure,
    "salient_enactor": restricted.salient_enactor,
    "measure_targets": restricted.measure_targets,
    "written_states": restricted.written_states,
    "imposer": restricted.imposer,
    "list_keeper": restricted.list_keeper,
    "listed": restricted.listed,
    "listed_subject": restricted.listed_subject,
    "stopped_makers": restricted.stopped_makers,
    "refused_destinations": restricted.refused_destinations,
    "standing_rule": restricted.standing_rule,
    "licensed_to": restricted.licensed_to,
    "approved_inflow": restricted.approved_inflow,
    "licensor": restricted.licensor,
    "deadline_sale": restricted.deadline_sale,
    "earlier_targets": restricted.earlier_targets,
    "worker_under": restricted.worker_under,
    "paid_for": backers.paid_for,
    "relative_in": backers.relative_in,
    "held": backers.held,
    "unit_named": backers.unit_named,
    "described": backers.described,
    "listed_with": backers.listed_with,
    "glued_backer": backers.glued_backer,
    "by_backers": backers.by_backers,
    "round_of": backers.round_of,
    "participants": backers.participants,
    "round_joined": backers.round_joined,
    "founders_paying": backers.founders_paying,
    "founded": backers.founded,
    "suffix_backer": backers.suffix_backer,
    "suffix_backed": backers.suffix_backed,
    "share_held": backers.share_held,
    "holding": backers.holding,
    "salient_holding": backers.salient_holding,
}


def _children(*deps: str) -> Anchor:
    """An anchor to the word's children with these labels."""
    return lambda tok: [c for c in tok.children if c.dep_ in deps]


ANCHORS: dict[str, Anchor] = {
    "governor": lambda tok: [g for g in (governor(tok),) if g is not None],  # "imposed curbs" -> imposed
    "object": _children("dobj", "dative", "attr"),  # "backed Acme's project" -> project
    "head": lambda tok: [tok.head] if tok.head.i != tok.i else [],  # "orders banning X" -> orders
    "nested": lambda tok: prep_objects(tok, None, heads=_PREP_OR_AGENT),  # "rules for shipments" -> shipments
    "pobj": _children("pobj"),  # a preposition's own objects: "vs. Nvidia" -> Nvidia
    # a relative or participle clause on a noun: "restrictions that require X to ..." -> require
    "clause": lambda tok: [c for c in _children("relcl", "acl")(tok) if c.pos_ in ("VERB", "AUX")],
    "subj": _children("nsubj", "nsubjpass"),  # "Acme's investors include ..." -> investors
    "prt": _children("prt"),
    "comp": _children("xcomp", "ccomp"),  # "told staff not to use X" -> use; "let Acme sell" -> sell
    "adverb": _children("advmod"),  # "holds close to a third of X" -> close
    "modifier": _children("compound", "amod", "nmod"),  # "export rules" -> export
}


def parse_spec(spec: str) -> tuple[list[str], str, str]:
    """A role or check written `[anchor.]...name[:argument]`, as (anchors, name, argument)."""
    *anchors, rest = spec.split(".")
    name, _, argument = rest.partition(":")
    return anchors, name, argument


def anchored(anchors: list[str], tok: Token) -> list[Token]:
    """The words the anchors lead to from the trigger, in order (the trigger itself for none)."""
    words = [tok]
    for anchor in anchors:
        words = [w for word in words for w in ANCHORS[anchor](word)]
    return words


def known(role: str) -> bool:
    """Whether a role string names an existing reader (and anchors); `a+b` joins two roles."""
    if "+" in role:
        return all(known(part) for part in role.split("+"))
    anchors, name, argument = parse_spec(role)
    if any(a not in ANCHORS for a in anchors):
        return False
    if name in ("salient", "topic"):
        return argument in {t.value for t in NodeType}
    return name in _NAMES and (name not in ("pobj", "relative_in") or bool(argument))


def read(role: str, sent: Sentence, tok: Token) -> list[Resolved]:
    """The actors a role names for this trigger (for `a+b`, those of both, in order)."""
    if "+" in role:
        return [a for part in role.split("+") for a in read(part, sent, tok)]
    anchors, name, argument = parse_spec(role)
    return [a for word in anchored(anchors, tok) for a in _NAMES[name](sent, word, argument)]


def first(
    roles: tuple[str, ...], sent: Sentence, tok: Token, allowed: Callable[[Resolved], bool]
) -> tuple[str | None, list[Resolved]]:
    """The first role in the list that names an allowed actor, with those actors."""
    for role in roles:
        found = [r for r in read(role, sent, tok) if allowed(r)]
        if found:
            return role, found
    return None, []
