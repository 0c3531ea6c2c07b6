"""The named act or programme a measure's sentence says it was taken under.

"The Commerce Department awarded Micron $6bn under the CHIPS and Science Act" states a grant and
names the law behind it. The Policy node of that grant keeps its usual name (enactor, kind, targets:
`loaders.policies` reads the kind back from it) and adds the act: "US state aid to Micron Technology
under the CHIPS and Science Act", so a reader searching for the act finds the measure.

An act counts only where the sentence ties the measure to it: the measure is taken under, through or
via it, the act is the subject that does it ("The Goods Availability Act lets the minister ..."), or
it names the money or the rule ("CHIPS Act grants", "the Export Control Act's rules"). An act merely
mentioned in the same sentence ("Commerce, which also runs the CHIPS Act, listed Acme") is left out.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

ACT_WORDS = frozenset({"act", "law", "programme", "program"})
"""Last words of a named act or programme ("the Chips Act", "the Dual-Use Items Law")."""
_PARTICLES = frozenset({"and", "of", "for", "on"})
_TYING_PREPOSITIONS = frozenset({"under", "through", "via"})
_LONGEST = 10


def named_act(sentence: Span) -> str | None:
    """The act the sentence's measure is taken under, as written ("CHIPS and Science Act"), if any."""
    for tok in sentence:
        if tok.lower_ in ACT_WORDS and tok.text[0].isupper() and _tied(tok):
            start = _name_start(tok, sentence.start)
            if start < tok.i:
                return sentence.doc[start : tok.i + 1].text
    return None


def _tied(tok: Token) -> bool:
    """Whether the act's word is where the sentence ties the measure to it."""
    if tok.dep_ == "pobj":
        return tok.head.lower_ in _TYING_PREPOSITIONS
    if tok.dep_ in ("nsubj", "poss"):
        return True
    return tok.dep_ == "compound" and tok.head.pos_ == "NOUN"


def _name_start(tok: Token, floor: int) -> int:
    """Where the capitalised name ending at `tok` starts ("CHIPS and Science Act" -> "CHIPS").

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("under the CHIPS and Science Act")
    >>> doc[_name_start(doc[-1], 0)].text
    'CHIPS'
    """
    doc = tok.doc
    start = tok.i
    j = tok.i - 1
    while j >= floor and tok.i - j <= _LONGEST:
        word = doc[j]
        if word.text[:1].isupper() and (word.is_alpha or "-" in word.text):
            start = j
        elif word.lower_ not in _PARTICLES or j == floor:
            break
        j -= 1
    return start
