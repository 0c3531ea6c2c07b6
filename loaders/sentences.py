"""Sentence boundaries the parser gets wrong on scraped news, set before it runs.

The parser keeps boundaries set before it and decides the rest itself. Three kinds are fixed here:
a blank line (or a line ending a sentence, or a bulleted line starting) always ends one, so
headlines, paragraphs and the points of a list never run together; a short "Label:" prefix
("What Happened: OpenAI said ...") is its own sentence; and "Ltd." or "U.S." followed by a name or
ticker never ends one ("Alibaba Group Holding Ltd. BABA").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

LINES_NAME = "line_breaks"
HEADING_WORDS = 8
"""A line this short without final punctuation, before a capitalised line, is a heading: its own
sentence. Hard-wrapped lines inside a paragraph are far longer, so they still join."""


@Language.component(LINES_NAME)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, a line ending a sentence, a short heading line, or
    before a bullet ("- Canada bans the app"): a list of points is one sentence per point.

    Headlines and paragraphs then never run into each other, while hard-wrapped lines inside a
    paragraph stay one sentence. The parser keeps boundaries set before it and decides the rest.
    """
    line_start = 0
    for tok in doc[:-1]:
        breaks = tok.whitespace_.count("\n") + (tok.text.count("\n") if tok.is_space else 0)
        if breaks == 0:
            continue
        prev = tok if not tok.is_space or tok.i == 0 else doc[tok.i - 1]
        nxt = doc[tok.i + 1]
        words = sum(1 for t in doc[line_start : prev.i + 1] if t.is_alpha)
        heading = words <= HEADING_WORDS and (nxt.is_title or nxt.is_upper)
        if breaks >= 2 or prev.text in _FINAL or heading:
            nxt.is_sent_start = True
        line_start = tok.i + 1
    _bullets(doc)
    _label_prefixes(doc)
    _abbreviations(doc)
    return doc


def _bullets(doc: Doc) -> None:
    """A bullet at the start of a line opens a sentence, which goes on after its mark."""
    for tok in doc[1:-1]:
        prev = doc[tok.i - 1]
        if tok.text in _BULLETS and ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            tok.is_sent_start = True
            doc[tok.i + 1].is_sent_start = False


# After these, a sentence goes on unless a function word opens the next one ("Acme Inc. The firm").
_ABBREVIATIONS = frozenset(
    """inc. corp. co. ltd. plc. llc. u.s. u.k. u.n. e.u. mr. ms. mrs. dr. prof. gov. sen. rep. st. jr.
    no.""".split()
)
_OPENER_TAGS = frozenset({"DT", "PRP", "PRP$", "EX", "WRB", "WP", "WDT", "IN", "CC", "RB", "``", "-LRB-"})


def _abbreviations(doc: Doc) -> None:
    """No sentence break after "Ltd." or "U.S." when a name or ticker follows ("Ltd. BABA and ...")."""
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if tok.lower_ in _ABBREVIATIONS and not tok.whitespace_.count("\n") and nxt.is_sent_start is None:
            if nxt.tag_ not in _OPENER_TAGS:
                nxt.is_sent_start = False


def _label_prefixes(doc: Doc) -> None:
    """'What Happened: OpenAI said ...': a short capitalised label before a colon is its own sentence."""
    line_start = 0
    for tok in doc:
        if tok.i == line_start and tok.is_space:
            line_start = tok.i + 1
            continue
        if tok.text == ":" and 0 < tok.i - line_start <= 4 and tok.i + 1 < len(doc):
            if _is_label(doc[line_start : tok.i]):
                doc[tok.i + 1].is_sent_start = True
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            line_start = tok.i + 1


def _is_label(words: Span) -> bool:
    """A capitalised label of short words: "What Happened", "KEY POINTS", "Why It Matters"."""
    shaped = all(t.is_alpha and (t.is_title or t.is_upper or t.is_stop) for t in words)
    return words[0].is_title and shaped


_FINAL = frozenset({".", "!", "?", ":", "”", '"', "’", "'", ")"})

_BULLETS = frozenset({"-", "–", "—", "•", "·", "*", "▪", "■", "►"})
"""Marks that open a point of a list at the start of a line."""
