"""AFFILIATED_WITH: a person and the organisation, firm or state they work for, lead or founded.

- appositions: "Xiaohu Zhu, founder of the Centre for Safe AGI", "Winston Ma, a professor at NYU"
- titles before the name: "OpenAI CEO Sam Altman", "Nvidia's chief executive Jensen Huang",
  "Chinese President Xi Jinping"; a head-of-state title alone ("President Xi Jinping") places the
  person in their registry country
- verbs: "Jane Doe, who founded Acme", "John Roe leads Acme", "X joined Y"
- "Gene Roe of Acme Capital", "Acme's Jane Doe"
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.patterns.base import Found, Sentence, found, negated
from loaders.resolve import EntityRef, Resolved

TITLE_WORDS = frozenset(
    """founder co-founder cofounder ceo cto cfo coo chief executive officer president chairman chairwoman
    chair chairperson director head professor researcher scientist analyst spokesperson spokesman
    spokeswoman official minister secretary partner engineer economist fellow lecturer employee adviser
    advisor member leader manager vp vice owner dean commissioner ambassador governor lawmaker senator
    representative premier chancellor boss executive general counsel strategist investor staffer
    co founding principal managing senior lead associate deputy former then""".split()
)
"""Words of job titles, as they sit before a name or in an apposition after it."""
LED_BY = frozenset(
    """found founded lead led head headed chair chaired run helm helmed direct directed set start started
    establish established create created co-found""".split()
)
"""Participles of "X, founded/led/headed by <person>"."""
HONORIFICS = frozenset("crown prince princess sheikh king queen sir dame dr mr ms mrs prof lord".split())
_BEFORE_NAME = TITLE_WORDS | HONORIFICS | {"the", "its", "their", "commerce", "former", "then", "dr."}
HEAD_OF_STATE = frozenset({"president", "premier", "chancellor", "king", "leader", "minister", "emperor"})
AFFIL_VERBS = frozenset(
    {"found", "co-found", "cofound", "lead", "run", "head", "chair", "join", "direct", "work"}
)
AFFIL_TARGETS = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION, NodeType.GOVERNMENT})


def find(sent: Sentence) -> Iterator[Found]:
    for arg in sent.args:
        if arg.entity.type is NodeType.PERSON:
            yield from _apposition(sent, arg)
            yield from _title_before(sent, arg)
            yield from _of_after(sent, arg)
            yield from _owner_of(sent, arg)
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.tag_ == "VBN" and (lemma in LED_BY or tok.lower_ in LED_BY) and _by_person(sent, tok):
            yield from _led_by(sent, tok)
        elif lemma in AFFIL_VERBS and (tok.pos_ == "VERB" or tok.tag_ in ("VBN", "VBD")):
            yield from _verb(sent, tok)
        elif tok.lower_ == "whose":
            yield from _whose(sent, tok)


def _emit(
    sent: Sentence, person: Resolved, orgs: list[Resolved], pattern: str, conf: float, tok: Token | None
) -> Iterator[Found]:
    yield from found(
        sent,
        [person],
        RelType.AFFILIATED_WITH,
        orgs,
        pattern,
        conf,
        trigger=tok,
        source_types=frozenset({NodeType.PERSON}),
        target_types=AFFIL_TARGETS,
        allow_demonym_target=True,
    )


def _apposition(sent: Sentence, person: Resolved) -> Iterator[Found]:
    """'<Person>, <title> of/at <Org>' and '<Person>, <Org>'s <title>'."""
    doc = sent.span.doc
    end = person.mention.end
    if end >= sent.span.end or doc[end].text != ",":
        return
    # The apposition: the words after the comma up to the next comma or verb, led by a title.
    orgs: list[Resolved] = []
    saw_title = False
    i = end + 1
    while i < min(sent.span.end, end + 12):
        tok = doc[i]
        if tok.text in (",", ";", "(", ")") or tok.pos_ in ("VERB", "AUX"):
            if not (tok.pos_ == "VERB" and tok.lower_ in ("based", "founding", "managing")):
                break
        arg = sent.at(tok)
        if arg is not None:
            if arg.entity.type in AFFIL_TARGETS and saw_title:
                orgs.append(arg)
            elif arg.entity.type in AFFIL_TARGETS and _title_follows(sent, arg.mention.end):
                orgs.append(arg)
                saw_title = True
            i = arg.mention.end
            continue
        if tok.lower_ in TITLE_WORDS or tok.lemma_.lower() in TITLE_WORDS:
            saw_title = True
        i += 1
    if orgs:
        yield from _emit(sent, person, orgs[:1], "affiliation.apposition", 0.85, None)


def _title_follows(sent: Sentence, i: int) -> bool:
    doc = sent.span.doc
    if i < sent.span.end and doc[i].tag_ == "POS":
        i += 1
    # "the European Commission's internal market commissioner": a few words may precede the title
    for j in range(i, min(i + 4, sent.span.end)):
        if doc[j].lower_ in TITLE_WORDS:
            return True
        if doc[j].pos_ not in ("ADJ", "NOUN", "PROPN") or sent.at(doc[j]) is not None:
            return False
    return False


def _title_before(sent: Sentence, person: Resolved) -> Iterator[Found]:
    """'OpenAI CEO Sam Altman', "Nvidia's chief executive Jensen Huang", 'President Xi Jinping'."""
    doc = sent.span.doc
    i = person.mention.start - 1
    titles: list[str] = []
    while i >= sent.span.start and (doc[i].lower_ in TITLE_WORDS or doc[i].text in ("-",)):
        titles.append(doc[i].lower_)
        i -= 1
    if not titles:
        return
    while i >= sent.span.start and doc[i].tag_ == "POS":
        i -= 1
    org = sent.at(doc[i]) if i >= sent.span.start else None
    if org is not None and org.entity.type in AFFIL_TARGETS:
        yield from _emit(sent, person, [org], "affiliation.title", 0.85, None)
        return
    if set(titles) & HEAD_OF_STATE and person.entity.country and sent.places is not None:
        state = sent.places.state(person.entity.country)
        if state is not None:
            yield from _emit(sent, person, [_virtual(person, state)], "affiliation.head_of_state", 0.7, None)


def _virtual(person: Resolved, state: EntityRef) -> Resolved:
    """A stand-in mention for a state the sentence implies (the person's own title names it)."""
    from dataclasses import replace

    return Resolved(replace(person.mention, kind="name"), state, ())


def _of_after(sent: Sentence, person: Resolved) -> Iterator[Found]:
    """'Gene Roe of Acme Capital'."""
    doc = sent.span.doc
    i = person.mention.end
    if i + 1 < sent.span.end and doc[i].lower_ in ("of", "at"):
        org = sent.at(doc[i + 1]) or (
            sent.at(doc[i + 2]) if doc[i + 1].lower_ == "the" and i + 2 < sent.span.end else None
        )
        if org is not None and org.entity.type in (NodeType.COMPANY, NodeType.ORGANIZATION):
            yield from _emit(sent, person, [org], "affiliation.of", 0.75, None)


def _verb(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'X, who founded Y', 'X leads Y', 'X joined Y'."""
    if negated(tok):
        return
    people = [s for s in sent.subjects(tok) or sent.surface_subjects(tok) if s.entity.type is NodeType.PERSON]
    if not people:
        return
    if tok.lemma_.lower() == "work":
        orgs = sent.surface_objects(tok, frozenset({"at", "for"}))
    else:
        orgs = [a for c in tok.children if c.dep_ == "dobj" for a in _org_of(sent, c)]
        orgs = orgs or sent.surface_objects(tok)
    for person in people:
        yield from _emit(sent, person, orgs, f"affiliation.verb.{tok.lemma_.lower()}", 0.8, tok)


def _by_person(sent: Sentence, tok: Token) -> list[Resolved]:
    """The person named after "by" within a few words of a participle ("founded in 2023 by P")."""
    doc = tok.doc
    for i in range(tok.i + 1, min(tok.i + 7, sent.span.end - 1)):
        if doc[i].lower_ == "by":
            nxt = i + 1
            while nxt < sent.span.end and sent.at(doc[nxt]) is None and doc[nxt].lower_ in _BEFORE_NAME:
                nxt += 1
            arg = sent.at(doc[nxt]) if nxt < sent.span.end else None
            return [arg] if arg is not None and arg.entity.type is NodeType.PERSON else []
        if doc[i].pos_ in ("VERB", "AUX") or doc[i].text in (",", ";"):
            return []
    return []


def _led_by(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Huawei, founded by Ren Zhengfei', 'the bureau, which is led by P', 'X was set up by P'."""
    people = _by_person(sent, tok)
    orgs: list[Resolved] = []
    subj = [c for c in tok.children if c.dep_ in ("nsubjpass", "nsubj")]
    if subj:
        orgs = sent.args_of(subj[0])
    elif tok.dep_ in ("acl", "amod", "relcl", "advcl") and tok.head.i < tok.i:
        orgs = sent.args_of(tok.head)
    if not orgs:
        orgs = sent.surface_subjects(tok)
    if people and orgs and not negated(tok):
        yield from _emit(sent, people[0], orgs, f"affiliation.led_by.{tok.lemma_.lower()}", 0.8, tok)


def _whose(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Nvidia, whose chief executive is Jensen Huang'."""
    doc = tok.doc
    org = sent.at(doc[tok.i - 2]) if tok.i - 2 >= sent.span.start and doc[tok.i - 1].text == "," else None
    if org is None:
        return
    i = tok.i + 1
    saw_title = False
    while i < min(sent.span.end, tok.i + 6) and doc[i].lemma_.lower() != "be":
        saw_title = saw_title or doc[i].lower_ in TITLE_WORDS
        i += 1
    if not saw_title or i + 1 >= sent.span.end:
        return
    person = sent.at(doc[i + 1])
    if person is not None and person.entity.type is NodeType.PERSON:
        yield from _emit(sent, person, [org], "affiliation.whose", 0.85, doc[i])


def _org_of(sent: Sentence, tok: Token) -> list[Resolved]:
    """An organisation named by a phrase, or whose board/team it is ("joined the G42 board")."""
    args = sent.args_of(tok)
    if args or tok.lemma_.lower() not in ("board", "team", "staff", "leadership", "faculty"):
        return args
    return [a for c in tok.children if c.dep_ in ("compound", "poss", "nmod") for a in sent.args_of(c)]


def _owner_of(sent: Sentence, person: Resolved) -> Iterator[Found]:
    """ "Elon Musk's xAI": a person's possessive on a firm."""
    doc = sent.span.doc
    i = person.mention.end
    if i + 1 < sent.span.end and doc[i].tag_ == "POS":
        firm = sent.at(doc[i + 1])
        if firm is not None and firm.entity.type in (NodeType.COMPANY, NodeType.ORGANIZATION):
            if firm.mention.kind == "name" and not sent.is_modifier(firm):
                yield from _emit(sent, person, [firm], "affiliation.owner", 0.7, None)
