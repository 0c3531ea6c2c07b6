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
    establish established create created co-found co-founded cofounded co-led co-run""".split()
)
"""Participles of "X, founded/led/headed by <person>"."""
HONORIFICS = frozenset("crown prince princess sheikh king queen sir dame dr mr ms mrs prof lord".split())
_BEFORE_NAME = TITLE_WORDS | HONORIFICS | {"the", "its", "their", "commerce", "former", "then", "dr."}
HEAD_OF_STATE = frozenset({"president", "premier", "chancellor", "king", "leader", "minister", "emperor"})
OFFICE_TITLES = frozenset(
    {"secretary", "minister", "senator", "representative", "lawmaker", "congressman", "congresswoman"}
)
"""Titles of public office: they belong to a department, a chamber or, failing that, the state."""
CHAMBERS = {
    "senator": "Senate",
    "representative": "House of Representatives",
    "congressman": "House of Representatives",
    "congresswoman": "House of Representatives",
}
"""The chamber a legislator's title names, looked up in the registry for the person's country."""
TITLE_MODIFIERS = frozenset(
    """rotating interim acting outgoing incoming current longtime long-time new top global group
    joint co executive technical financial operating scientific""".split()
)
"""Words that may sit inside a title run: "rotating chairman", "interim chief executive"."""
AFFIL_VERBS = frozenset(
    {"found", "co-found", "cofound", "lead", "run", "head", "chair", "join", "direct", "work"}
)
AFFIL_TARGETS = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION, NodeType.GOVERNMENT})
DESCRIPTORS = frozenset(
    """billionaire tycoon entrepreneur magnate mogul veteran investor engineer industrialist banker""".split()
)
"""Words that describe a person just before the name: "co-founded by billionaire Jeff Yass"."""
ROLE_NOUNS = frozenset(
    """chairman chairwoman chair chairperson president ceo cto cfo coo executive director head chief
    founder co-founder cofounder boss leader board""".split()
)
"""Role nouns a verb can give a person: "took over as X's chairman", "sits on X's board"."""
SEAT_VERBS = frozenset({"sit", "serve", "join"})


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
        elif lemma in ROLE_NOUNS and tok.pos_ == "NOUN":
            yield from _role(sent, tok)


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
    """'OpenAI CEO Sam Altman', "Nvidia's chief executive Jensen Huang", 'President Xi Jinping'.

    The title may carry modifiers and coordinated titles ("Huawei's rotating chairman", "Aramco
    president and chief executive"), and may sit before a comma ("Its chief executive, P, said").
    An office title names the body the office belongs to when there is one ("Commerce Secretary P"
    -> the Commerce Department, "Senator P" -> the Senate), else the person's state.
    """
    doc = sent.span.doc
    i = person.mention.start - 1
    if i >= sent.span.start and doc[i].text == "," and _comma_title(sent, person):
        i -= 1
    titles: list[str] = []
    while i >= sent.span.start and sent.at(doc[i]) is None:
        low = doc[i].lower_
        if low in TITLE_WORDS or doc[i].lemma_.lower() in TITLE_WORDS or low in ("-", "–"):
            titles.append(low)
        elif titles and (
            low in TITLE_MODIFIERS or (low in ("and", "&") and doc[i - 1].lower_ in TITLE_WORDS)
        ):
            titles.append(low)
        else:
            break
        i -= 1
    if not set(titles) & TITLE_WORDS:
        return
    if set(titles) & {"former", "ex"}:
        return
    while i >= sent.span.start and doc[i].tag_ == "POS":
        i -= 1
    org = sent.at(doc[i]) if i >= sent.span.start else None
    if org is not None and _former_before(sent, org.mention.start):
        # "Former Intel chief executive P": a past role
        return
    if org is None and i >= sent.span.start and doc[i].lower_ in ("its", "their"):
        owners = [a for a in sent.pronoun(doc[i]) if a.entity.type in AFFIL_TARGETS]
        # two firms named before "its" in the sentence leave it ambiguous: say nothing
        earlier = {a.entity.id for a in sent.args if a.mention.end <= i and a.entity.type in AFFIL_TARGETS}
        org = owners[0] if len(owners) == 1 and len(earlier) < 2 else None
    office = _office(sent, person, i, titles)
    if office is not None:
        yield from _emit(sent, person, [_virtual(person, office)], "affiliation.office", 0.8, None)
        return
    if org is not None and org.entity.type in AFFIL_TARGETS:
        yield from _emit(sent, person, [org], "affiliation.title", 0.85, None)
        return
    if set(titles) & (HEAD_OF_STATE | OFFICE_TITLES) and person.entity.country and sent.places is not None:
        state = sent.places.state(person.entity.country)
        if state is not None:
            yield from _emit(sent, person, [_virtual(person, state)], "affiliation.head_of_state", 0.7, None)


def _former_before(sent: Sentence, i: int) -> bool:
    """Whether "former"/"ex-" stands just before token i ("former Intel", "ex-Google")."""
    doc = sent.span.doc
    j = i - 1
    if j >= sent.span.start and doc[j].text in ("-", "–"):
        j -= 1
    return j >= sent.span.start and doc[j].lower_ in ("former", "ex", "erstwhile", "onetime", "one-time")


def _comma_title(sent: Sentence, person: Resolved) -> bool:
    """Whether "<title>, <Person>," is an apposition: the name is closed by a comma too."""
    end = person.mention.end
    return end < sent.span.end and sent.span.doc[end].text == ","


def _office(sent: Sentence, person: Resolved, before: int, titles: list[str]) -> EntityRef | None:
    """The body an office title belongs to: "Commerce Secretary" -> the Commerce Department.

    `before` is the index of the word just before the title. A department or ministry word there
    ("Commerce", "Treasury", "Home Affairs") is looked up in the registry; a legislator's title
    names its chamber; a bare "Minister" is the one ministry of the person's state named in this
    sentence or the one before. The body must belong to the person's country when that is known.
    """
    if sent.places is None or not set(titles) & OFFICE_TITLES:
        return None
    doc = sent.span.doc
    registry = sent.places.registry
    country = person.entity.country
    words: list[str] = []
    j = before
    while j >= sent.span.start and doc[j].is_title and doc[j].tag_ != "POS" and len(words) < 3:
        words.insert(0, doc[j].text)
        j -= 1
    if words and words[0].lower() == "the":
        words = words[1:]
    bare = not words and (before < sent.span.start or doc[before].is_lower or doc[before].is_punct)
    phrases: list[str] = []
    if words:
        w = " ".join(words)
        phrases = [
            f"{w} Department",
            f"Department of {w}",
            f"Department of the {w}",
            f"Ministry of {w}",
            f"{w} Ministry",
            w,
        ]
    for title, chamber in CHAMBERS.items():
        if title in titles:
            phrases.append(chamber)
    for phrase in phrases:
        actor = registry.lookup(phrase)
        if (
            actor is not None
            and actor.type is NodeType.GOVERNMENT
            and "-" in actor.id
            and (country is None or actor.country == country)
        ):
            return EntityRef(actor.id, actor.name, actor.type, actor.country, known=True)
    if not bare or not set(titles) & {"minister", "secretary"}:
        return None
    ministries = {
        a.entity.id: a.entity
        for s in [*sent.previous[-3:], sent]
        for a in s.args
        if a.entity.type is NodeType.GOVERNMENT
        and "-" in a.entity.id
        and a.entity.country == country
        and any(k in a.entity.name.lower() for k in ("ministry", "department"))
    }
    return next(iter(ministries.values())) if country and len(ministries) == 1 else None


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
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        if objects and objects[0].tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
            # "ByteDance, which Zhang Yiming founded in 2012": the object is the antecedent
            orgs = sent.args_of(tok.head)
        else:
            orgs = [a for c in objects for a in _org_of(sent, c)]
        orgs = orgs or sent.surface_objects(tok)
    for person in people:
        yield from _emit(sent, person, orgs, f"affiliation.verb.{tok.lemma_.lower()}", 0.8, tok)


def _by_person(sent: Sentence, tok: Token) -> list[Resolved]:
    """The person named after "by" within a few words of a participle ("founded in 2023 by P")."""
    doc = tok.doc
    for i in range(tok.i + 1, min(tok.i + 7, sent.span.end - 1)):
        if doc[i].lower_ == "by":
            nxt = i + 1
            while nxt < sent.span.end and sent.at(doc[nxt]) is None and _before_name(doc[nxt]):
                nxt += 1
            arg = sent.at(doc[nxt]) if nxt < sent.span.end else None
            return [arg] if arg is not None and arg.entity.type is NodeType.PERSON else []
        if doc[i].pos_ in ("VERB", "AUX") or doc[i].text in (",", ";"):
            return []
    return []


def _led_by(sent: Sentence, tok: Token) -> Iterator[Found]:
    """'Huawei, founded by Ren Zhengfei', 'the bureau, which is led by P', 'X was set up by P'."""
    people = _by_person(sent, tok)
    if people:
        # "run by co-chief executives A and B": every conjoined person
        root = tok.doc[people[0].mention.start : people[0].mention.end].root
        people = _people_in(sent, root) or people
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
        named = sent.at(doc[i])
        if saw_title and named is not None and named.entity.type is NodeType.PERSON:
            # "General Atlantic, whose chief executive Bill Ford sits on ..."
            yield from _emit(sent, named, [org], "affiliation.whose", 0.85, None)
            return
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


def _before_name(tok: Token) -> bool:
    """A word that may stand between "by" and a name: titles (also plural), honorifics, descriptors."""
    low = tok.lower_
    return low in _BEFORE_NAME or tok.lemma_.lower() in _BEFORE_NAME or low in DESCRIPTORS or low == "-"


def _people_in(sent: Sentence, tok: Token) -> list[Resolved]:
    """The people a phrase names with its conjuncts ("A and B")."""
    return [a for a in sent.args_of(tok, through_nouns=False) if a.entity.type is NodeType.PERSON]


def _role(sent: Sentence, tok: Token) -> Iterator[Found]:
    """A role taken or held: "took over as ZTE's chairman", "became chief executive of Acme",
    "was named Acme's president", "sits on Acme's board".

    The role noun must name its organisation (a possessive or "of"/"at"), and the person is the
    subject of the verb the role hangs on. Negated verbs and "former" roles do not count.
    """
    orgs = [
        a
        for c in tok.children
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("of", "at"))
        for a in (sent.args_of(c) if c.dep_ == "poss" else [x for p in c.children for x in sent.args_of(p)])
        if a.entity.type in AFFIL_TARGETS and a.mention.kind == "name"
    ]
    if not orgs or any(c.lower_ in ("former", "ex", "then") for c in tok.children):
        return
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("as", "on") and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head
        if head.lower_ == "on" and (tok.lemma_.lower() != "board" or verb.lemma_.lower() not in SEAT_VERBS):
            return
    elif tok.dep_ in ("attr", "oprd") and head.pos_ in ("VERB", "AUX"):
        verb = head
        if verb.lemma_.lower() == "be" and tok.lemma_.lower() == "board":
            return
    else:
        return
    if tok.lemma_.lower() == "board" and head.lower_ != "on":
        return
    if negated(verb) or verb.tag_ == "VBG" and verb.dep_ == "amod":
        return
    people = [s for s in sent.subjects(verb) if s.entity.type is NodeType.PERSON]
    for person in people:
        yield from _emit(sent, person, orgs[:1], "affiliation.role", 0.8, verb)
