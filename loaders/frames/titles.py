"""Role readers for job titles written around a name, read off the words rather than the parse.

The parser hangs "OpenAI CEO Sam Altman" or "Aramco president and chief executive Amin Nasser"
together in many ways, so these readers walk the words of the title run instead: from a title
word (the frame's trigger) to the name it stands before, to the firm written before it ("OpenAI",
"Nvidia's", "its", "whose"), or to the public body an office title names ("Commerce Secretary" ->
the Commerce Department, "Senator" -> the Senate, a head of state's title -> their state). An
apposition ("Winston Ma, a professor at NYU") needs none of this: the general roles read it.
The words themselves are word classes of `tables/lexicon.yaml`.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import Sentence
from loaders.frames.tables import in_class, lexicon
from loaders.places import Places
from loaders.resolve import EntityRef, Resolved

CHAMBERS = {
    "senator": "Senate",
    "representative": "House of Representatives",
    "congressman": "House of Representatives",
    "congresswoman": "House of Representatives",
}
"""The chamber a legislator's title names, looked up in the registry for the person's country."""
OFFICE_PHRASES = (
    "{w} Department", "Department of {w}", "Department of the {w}", "Ministry of {w}", "{w} Ministry"
)
"""How a department word before an office title ("Commerce", "Treasury") names its body."""


def _person(sent: Sentence, i: int) -> Resolved | None:
    arg = sent.at(sent.span.doc[i]) if sent.span.start <= i < sent.span.end else None
    ok = arg is not None and arg.entity.type is NodeType.PERSON and arg.mention.start == i
    return arg if ok else None


def titled(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The person named right after the title run the trigger ends ("CEO Sam Altman"), or set off
    by commas after it ("its chief, P,": an apposition only when the name is closed too)."""
    person = _person(sent, tok.i + 1)
    if person is None and tok.i + 1 < sent.span.end and tok.nbor().text == ",":
        person = _person(sent, tok.i + 2)
        end = person.mention.end if person is not None else sent.span.end
        person = person if end < sent.span.end and sent.span.doc[end].text == "," else None
    return [person] if person is not None else []


def _current_run(sent: Sentence, tok: Token) -> tuple[list[str], int, Resolved] | None:
    """The title run ending at `tok` before a name (its words, lower case), the index of the word
    before it and the person named, unless the run names a past role ("former chief executive")."""
    people = titled(sent, tok)
    doc, i = sent.span.doc, tok.i
    titles: list[str] = []
    while people and i >= sent.span.start and sent.at(doc[i]) is None:
        low = doc[i].lower_
        joined = low in ("and", "&") and in_class(doc[i - 1], "title_words")
        later = bool(titles) and (in_class(doc[i], "title_modifiers") or joined)
        if not (in_class(doc[i], "title_words") or low in ("-", "–") or later):
            break
        titles.append(low)
        i -= 1
    if not titles or set(titles) & lexicon().words("past_words"):
        return None
    return titles, i, people[0]


def title_owner(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm or body named before the title run: "OpenAI CEO", "Nvidia's chief executive" (a
    pronoun, "its chief executive", "whose chief executive", is the general `poss` role's)."""
    run = _current_run(sent, tok)
    if run is None:
        return []
    doc, i = sent.span.doc, run[1]
    while i >= sent.span.start and doc[i].tag_ == "POS":
        i -= 1
    if i < sent.span.start:
        return []
    org = sent.at(doc[i])
    return [org] if org is not None else []


def office(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The body an office title belongs to: "Commerce Secretary" -> the Commerce Department,
    "Senator" -> the Senate (a bare "Minister" names none: `home_state` reads the person's state).
    The body must belong to the person's country when known."""
    run = _current_run(sent, tok)
    if run is None or sent.places is None or not set(run[0]) & lexicon().words("office_titles"):
        return []
    titles, before, person = run
    body = _registered_office(sent, sent.places, person, before, titles)
    return [_virtual(person, body)] if body is not None else []


def _department_words(sent: Sentence, before: int) -> list[str]:
    """Capitalised words just before the title ("Commerce", "Home Affairs"), without "The"."""
    doc, j = sent.span.doc, before
    words: list[str] = []
    while j >= sent.span.start and doc[j].is_title and doc[j].tag_ != "POS" and len(words) < 3:
        words.insert(0, doc[j].text)
        j -= 1
    return words[1:] if words and words[0].lower() == "the" else words


def _registered_office(
    sent: Sentence, places: Places, person: Resolved, before: int, titles: list[str]
) -> EntityRef | None:
    """The department or chamber the words around the title name, in the person's country."""
    words = " ".join(_department_words(sent, before))
    phrases = [*(p.format(w=words) for p in OFFICE_PHRASES), words] if words else []
    phrases += [chamber for title, chamber in CHAMBERS.items() if title in titles]
    country = person.entity.country
    for actor in (places.registry.lookup(p) for p in phrases):
        if actor is not None and actor.type is NodeType.GOVERNMENT and "-" in actor.id:
            if country is None or actor.country == country:
                return EntityRef(actor.id, actor.name, actor.type, actor.country, known=True)
    return None


def home_state(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The state of a person whose title is a head of state's or a public office ("President P")."""
    run = _current_run(sent, tok)
    words = lexicon().words("head_of_state_titles") | lexicon().words("office_titles")
    person = run[2] if run is not None and set(run[0]) & words else None
    if person is None or not person.entity.country or sent.places is None:
        return []
    state = sent.places.state(person.entity.country)
    return [_virtual(person, state)] if state is not None else []


def _virtual(person: Resolved, body: EntityRef) -> Resolved:
    """A stand-in mention for a body the sentence implies (the person's own title names it)."""
    return Resolved(replace(person.mention, kind="name"), body, ())
