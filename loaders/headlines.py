"""Headlines in Title Case, rewritten in sentence case for the model, at the same character offsets.

The statistical model reads every capitalised word of "OpenAI Blocks Chinese Users From Accessing
its Tools" as part of a name ("Tools and Services" becomes an ORG) and parses the verb as a noun. A
headline's words that the article never capitalises elsewhere are ordinary words, so they are
lower-cased before the model sees the text. Only letter case changes, so every offset the model
reports is an offset into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"[^\W\d_][\w'’.]*")
_SMALL = frozenset(
    "a an and as at but by for from in into its of off on or over per the their to up via vs with".split()
)
# A body word after one of these starts a sentence, so its capital says nothing about the word.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")

MIN_WORDS = 3
MAX_WORDS = 24
TITLE_SHARE = 0.75


def is_headline(line: str) -> bool:
    """True for a line most of whose content words are capitalised, as headlines are written.

    >>> is_headline("OpenAI Blocks Chinese Users From Accessing its Tools")
    True
    >>> is_headline("OpenAI said on Tuesday that it would block users in China.")
    False
    >>> is_headline("Tencent and Alibaba Met Regulators In Beijing.")
    False
    """
    stripped = line.strip()
    # A sentence full of names ends with a period; a headline does not, and stays short.
    if stripped.endswith(".") and not stripped.endswith("..."):
        return False
    words = [w for w in _WORD.findall(line) if w.lower() not in _SMALL]
    if len(words) < MIN_WORDS or len(words) > MAX_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= TITLE_SHARE


def body_capitalised(text: str, headline_spans: list[tuple[int, int]]) -> set[str]:
    """Words the article capitalises mid-sentence outside headlines: names, as far as case tells."""
    found: set[str] = set()
    spans = iter(headline_spans)
    current = next(spans, None)
    for match in _WORD.finditer(text):
        while current is not None and match.start() >= current[1]:
            current = next(spans, None)
        if current is not None and current[0] <= match.start() < current[1]:
            continue
        word = match.group()
        if word[0].isupper() and not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
            found.add(_bare(word))
    return found


def sentence_case(text: str, is_name: Callable[[str], bool] | None = None) -> str:
    """Lower-case the ordinary words of headline lines; everything else is returned unchanged.

    A headline word keeps its capital when it is the line's first word, has capitals inside it
    ("OpenAI", "US"), is capitalised mid-sentence somewhere in the body, or `is_name` says so.

    >>> text = "Acme Blocks Users From Its Tools\\n\\nAcme said it acted. Users were told."
    >>> sentence_case(text)
    'Acme blocks users from its tools\\n\\nAcme said it acted. Users were told.'
    """
    lines: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if is_headline(line):
            lines.append((offset, offset + len(line)))
        offset += len(line)
    if not lines:
        return text
    names = body_capitalised(text, lines)
    chars = list(text)
    for start, end in lines:
        first = True
        for match in _WORD.finditer(text, start, end):
            word = match.group()
            keep = (
                first
                or not word[0].isupper()
                or any(ch.isupper() for ch in word[1:])
                or _bare(word) in names
                or (is_name is not None and is_name(_bare(word)))
            )
            first = False
            lowered = word[0].lower()
            if not keep and len(lowered) == 1:
                chars[match.start()] = lowered
    return "".join(chars)


def _bare(word: str) -> str:
    return re.sub(r"(?:['’]s?|\.)$", "", word)
