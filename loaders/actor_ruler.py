"""An entity ruler for the actor registry, on spaCy's PhraseMatcher.

It takes the registry's EntityRuler patterns (`Registry.patterns`: token sequences matched on LOWER
or ORTH, each with the actor id) and behaves like spaCy's `entity_ruler` with `overwrite_ents`:
the longest match wins, each span carries its label and the actor id as `ent_id_`. The difference
is speed: spaCy's ruler runs token patterns through the Matcher, which on a registry of a few
hundred actors cost more than the NER model itself; phrase matching on two attributes is a
fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

_ATTRS = ("LOWER", "ORTH")
"""Token attributes a pattern may use: LOWER matches any case, ORTH only as written."""


class ActorRuler:
    """Marks registry actors as entities (label + id) before the statistical NER runs.

    Every pattern is matched case-insensitively; tokens the pattern wants exactly as written
    (ORTH: acronyms, tickers, names that are also ordinary words) are then checked on the match.

    Example:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> ruler = nlp.add_pipe("actor_ruler")
        >>> ruler.add_patterns([{"label": "ORG", "pattern": [{"LOWER": "zhipu"}, {"ORTH": "AI"}],
        ...                      "id": "company:zhipu-ai"}])
        >>> [(e.text, e.ent_id_) for e in nlp("ZHIPU AI and zhipu ai.").ents]
        [('ZHIPU AI', 'company:zhipu-ai')]
    """

    def __init__(self, nlp: Language, name: str = "actor_ruler") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[str, str, tuple[tuple[int, str], ...]]] = {}
        self.count = 0

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Add EntityRuler-style patterns: a string, or one {"LOWER"|"ORTH": text} per token."""
        loose: dict[tuple[str, str], list[Doc]] = {}
        for pattern in patterns:
            label, actor_id, spec = pattern["label"], pattern.get("id", ""), pattern["pattern"]
            if isinstance(spec, str):
                spec = [{"LOWER": t.lower_} for t in self._make_doc(spec)]
            words: list[str] = []
            exact: list[tuple[int, str]] = []
            for i, tok in enumerate(spec):
                (attr, value), *rest = tok.items()
                if rest or attr not in _ATTRS:
                    raise ValueError(f"actor pattern tokens take one of {_ATTRS}: {spec!r}")
                words.append(str(value).lower())
                if attr == "ORTH":
                    exact.append((i, str(value)))
            doc = Doc(self.vocab, words=words)
            self.count += 1
            if not exact:
                loose.setdefault((label, actor_id), []).append(doc)
                continue
            key = f"{label}|{actor_id}|{self.count}"
            self._keys[self.vocab.strings.add(key)] = (label, actor_id, tuple(exact))
            self.matcher.add(key, [doc])
        for (label, actor_id), docs in loose.items():
            key = f"{label}|{actor_id}"
            self._keys[self.vocab.strings.add(key)] = (label, actor_id, ())
            self.matcher.add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        ruled: list[Span] = []
        for key, start, end in self.matcher(doc):
            label, actor_id, exact = self._keys[key]
            if all(doc[start + i].text == text for i, text in exact):
                ruled.append(Span(doc, start, end, label=label, span_id=actor_id))
        # Registry spans win over anything set before; among themselves, the longest wins.
        ruled = filter_spans(ruled)
        taken = {i for s in ruled for i in range(s.start, s.end)}
        kept = [s for s in doc.ents if not taken.intersection(range(s.start, s.end))]
        doc.ents = sorted([*ruled, *kept], key=lambda s: s.start)
        return doc

    def __len__(self) -> int:
        return self.count


@Language.factory("actor_ruler")
def make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler(nlp, name)
