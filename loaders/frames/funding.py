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
