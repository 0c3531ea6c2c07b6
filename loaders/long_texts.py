"""Texts longer than spaCy's `max_length` parsed in pieces, with every offset exact.

spaCy refuses a text over `nlp.max_length` (E088, one million characters by default) because its
models' memory grows with the text. Such a text is cut at paragraph breaks (else line breaks, else
sentence ends, else spaces) into pieces of at most `PIECE_CHARS` (and `max_length`), each is parsed, and
`Doc.from_docs` joins them with nothing inserted, so the joined `Doc` has exactly the original text
and every token, sentence and entity keeps its true character offset. Texts within the limit are
parsed whole, exactly as before. The reader's byte limit (`max_document_bytes`) is what bounds a
document.

>>> import spacy
>>> nlp = allow_long_texts(spacy.blank("en"))
>>> nlp.max_length = 20
>>> doc = nlp("First paragraph here.\\n\\nSecond one is here.")
>>> doc.text == "First paragraph here.\\n\\nSecond one is here.", [t.idx for t in doc][-2:]
(True, [37, 41])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

PIECE_CHARS = 100_000
"""Longest piece of a long text: the model's memory grows with the piece, not with the whole text."""
_BREAKS = ("\n\n", "\n", ". ", " ")
"""Where a piece may end, best first; each break stays at the end of the piece before it."""


def split_text(text: str, size: int) -> list[str]:
    """Cut `text` into pieces of at most `size` characters whose concatenation is `text`.

    >>> split_text("aa bb\\n\\ncc dd", 8)
    ['aa bb\\n\\n', 'cc dd']
    >>> split_text("abcdefg", 3)
    ['abc', 'def', 'g']
    """
    size = max(size, 1)
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = size  # no break at all: a hard cut, which only splits a word a million characters long
        for mark in _BREAKS:
            at = window.rfind(mark)
            if at > 0 and at + len(mark) >= size // 2:
                cut = at + len(mark)
                break
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


class _PiecewiseLanguage(Language):  # type: ignore[no-untyped-call]  # spaCy's __init_subclass__
    """A `Language` that parses texts over `max_length` in pieces (see the module docstring)."""

    def _is_long(self, text: object) -> bool:
        return isinstance(text, str) and len(text) > self.max_length

    def __call__(self, text: Any, **kwargs: Any) -> Doc:
        if not self._is_long(text):
            return super().__call__(text, **kwargs)
        size = min(self.max_length, PIECE_CHARS)
        docs = [super(_PiecewiseLanguage, self).__call__(piece, **kwargs) for piece in split_text(text, size)]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[Any], *, as_tuples: bool = False, **kwargs: Any) -> Iterator[Any]:
        if as_tuples:
            for_texts, for_contexts = itertools.tee(texts)
            docs = self.pipe((text for text, _ in for_texts), **kwargs)
            yield from zip(docs, (context for _, context in for_contexts), strict=True)
            return
        for long, run in itertools.groupby(texts, key=self._is_long):
            if long:
                for text in run:
                    yield self(text)
            else:
                yield from super().pipe(run, **kwargs)


def allow_long_texts(nlp: Language) -> Language:
    """Make `nlp` (in place) parse texts over its `max_length` in pieces; return it."""
    cls = type(nlp)
    if not issubclass(cls, _PiecewiseLanguage):
        nlp.__class__ = type(f"Piecewise{cls.__name__}", (_PiecewiseLanguage, cls), {})
    return nlp
