"""Readers for funding (BACKS) frames: the firm a sum of money is paid for.

"subsidise half the cost of Acme's plant", "subsidies for the Hokkaido project" (the firm the text
is about), "chip plants built by Acme": the firm is the one named in the object, or the owner of the
site (plant, fab, project) it names, never the maker of a product ("Acme chips").
"""

from __future__ import annotations

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.frames.tables import lexicon
from loaders.patterns.base import FIRM_TYPES, Sentence
from loaders.resolve import Resolved


def _site(tok: Token) -> bool:
    words = lexicon().words("backs_site_nouns")
    return tok.lemma_.lower() in words or tok.lower_ in words


def paid_for(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Firms named in the verb's object or prepositions that are not mere product modifiers
    ("half the cost of Acme's plant", "the Acme fab" -> Acme; "Acme chips" -> none)."""
    doc = tok.doc
    out: list[Resolved] = []
    for c in tok.children:
        if c.dep_ not in ("dobj", "prep"):
            continue
        for arg in sent.mentions_in(c.subtree):
            if arg.mention.kind != "name" or arg.entity.type not in FIRM_TYPES:
                continue
            owns_site = arg.mention.end < sent.span.end and _site(doc[arg.mention.end])
            if owns_site or not sent.is_modifier(arg):
                out.append(arg)
    return out


def site_firm(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm whose site a noun names: "two Acme plants", "Acme's fab" (registered names only:
    "the Hokkaido project" names a place), else for "the project" the company the text is about."""
    if not _site(tok):
        return []
    owners = [
        a
        for c in tok.children
        if c.dep_ in ("compound", "poss") and c.i < tok.i
        for a in sent.args_of(c, through_nouns=False)
        if a.mention.kind == "name" and a.mention.actor_id is not None
    ]
    if owners or not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
        return owners
    firm = sent.salient(frozenset({NodeType.COMPANY}))
    return [firm] if firm is not None else []


def investors(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who puts the money in: the verb's subject, with the co-investors of an 'alongside' phrase
    ("Acme invested in Globex alongside Initech" -> Acme, Initech)."""
    from loaders.frames.roles import pobj, subject

    found = subject(sent, tok)
    return found + [a for a in pobj(sent, tok, "alongside") if a.mention.kind == "name"] if found else []


def relative_in(sent: Sentence, tok: Token, preps: str) -> list[Resolved]:
    """The noun a relative clause hangs on when the relative pronoun is the object of one of these
    prepositions ("Globex, in which Acme invested" -> Globex, for "invested" with 'in')."""
    wanted = set(preps.split("|"))
    if tok.dep_ != "relcl" or not any(
        c.dep_ == "prep" and c.lower_ in wanted and any(p.tag_ in ("WDT", "WP") for p in c.children)
        for c in tok.children
    ):
        return []
    return sent.args_of(tok.head, through_nouns=False)


def written_before(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors written just before a verb that has no subject of its own ("Acme, the chip
    designer, recently funded ...": the parse lost it)."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return []
    return sent.surface_subjects(tok)


def _is(tok: Token, cls: str) -> bool:
    words = lexicon().words(cls)
    return tok.lemma_.lower() in words or tok.lower_ in words


def held(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """What money put into a round or a unit reaches: the round's or unit's owner, and the unit named
    right after its noun ("into Acme's Series B" -> Acme; "into Acme's subsidiary, Globex" -> both);
    nothing for any other noun ("into Acme's data centres")."""
    is_round = _is(tok, "round_nouns") or any(
        c.dep_ == "compound" and _is(c, "round_nouns") for c in tok.children
    )
    if not is_round and not _is(tok, "backs_unit_nouns"):
        return []
    from loaders.frames.roles import poss

    return poss(sent, tok) + (unit_named(sent, tok) if not is_round else [])


def unit_named(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm named right after a unit noun ("arm Globex", "unit, Globex"), or after its place
    ("subsidiary in Shanghai, Globex")."""
    doc, end = tok.doc, sent.span.end
    nxt = tok.i + 1
    if nxt < end and doc[nxt].lower_ in ("in", "based"):
        k = nxt + 1
        while k < end and k - nxt <= 4 and doc[k].text != ",":
            if doc[k].pos_ in ("VERB", "AUX"):
                return []
            k += 1
        if k >= end or doc[k].text != ",":
            return []
        nxt = k
    if nxt < end and doc[nxt].text == ",":
        nxt += 1
    right = sent.at(doc[nxt]) if nxt < end else None
    if right is None or right.mention.kind != "name" or right.entity.type not in FIRM_TYPES:
        return []
    return [right]


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
    return [a for a in sent.args_of(tok.head, through_nouns=False) if a.mention.kind == "name"]


def _glued(tok: Token) -> bool:
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text in ("-", "–") and not doc[tok.i - 1].whitespace_


def glued(tok: Token, _: str = "") -> bool:
    """Check: the word is glued by a hyphen to the word before it ("Acme-backed", "Acme-led")."""
    return _glued(tok)


def glued_backer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The name glued before "-backed" / "-led", with the names sharing the hyphen
    ("Alibaba- and Tencent-backed" -> Alibaba, Tencent)."""
    if not _glued(tok):
        return []
    arg = sent.at(tok.doc[tok.i - 2])
    return [*sent.shared_modifiers(arg), arg] if arg is not None and arg.mention.kind == "name" else []


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


def backed_firm(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm an "Acme-backed" word describes: named just after it, the noun it sits on ("the
    Acme-backed group", "Globex, the Acme-backed start-up"), or the subject of "Globex is Acme-backed"."""
    found = next_name(sent, tok.i + 1)
    if not found and tok.head.pos_ == "NOUN" and tok.head.i > tok.i:
        found = described(sent, tok.head) or sent.definite(tok.head)
    if not found and tok.dep_ == "acomp":
        found = [a for a in sent.subjects(tok.head) if a.mention.kind == "name"]
    return found


def suffix_backer(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The backer of a word like "Inc.-backed" (the name the word belongs to, or the one just before)
    or "(9988.HK)-backed" (the name before the bracket)."""
    doc = tok.doc
    if ")-" in tok.text:
        i = tok.i - 1
        while i >= sent.span.start and tok.i - i <= 4 and doc[i].text != "(":
            i -= 1
        arg = sent.at(doc[i - 1]) if i - 1 >= sent.span.start and doc[i].text == "(" else None
    else:
        arg = sent.at(tok) or (sent.at(doc[tok.i - 1]) if tok.i - 1 >= sent.span.start else None)
    return [arg] if arg is not None and arg.mention.kind == "name" else []


def suffix_backed(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm named just after a glued "-backed" word, past a ticker in brackets."""
    from loaders.frames.backers import skip_bracket

    return next_name(sent, skip_bracket(sent, tok.i + 1))
