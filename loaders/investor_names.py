"""Names the small model misses where money changes hands: the firm that raised it, and its investors.

Funding news names many small firms and funds the model has never seen: "Qorvex raised $300 million",
"from investors including Atreides Management, 1789 Capital, Benchmark and Eclipse". The model reads
such names as dates, products or people, or not at all. Two constructions vouch for a firm here:

- the subject of a raising verb whose object is money or a round ("X raised/secured/closed ...");
- a member of a list introduced by an investor cue ("investors including", "backers such as",
  "with participation from", "a round led by", "raised ... from").

Both give weak mentions (`loaders.entities.Mention`): they become entities only when a relation uses
them or the article repeats them, like every other recovered name.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from loaders.entities import Mention, name_mention

RAISE_VERBS = frozenset({"raise", "secure", "close", "land", "bag", "net", "attract", "complete"})
"""Verbs whose subject raised money when their object is money or a round."""

ROUND_NOUNS = frozenset({"round", "funding", "financing", "investment", "capital", "series", "backing"})

INVESTOR_NOUNS = frozenset(
    {"investor", "backer", "shareholder", "fund", "participation", "participant", "lender", "stakeholder"}
)
"""Nouns a list of investors hangs on: "investors including", "backers such as", "participation from"."""

_LIST_CUES = (("including",), ("such", "as"), ("from",), ("by",), ("include",), ("included",))
"""Words that open a list; the word before the cue (or the cue's head) says whether it lists investors."""

_BY_VERBS = frozenset({"lead", "co-lead", "colead", "join", "back", "fund", "finance"})
_SEPARATORS = frozenset({",", "and", "&"})


def funding_names(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for raisers and listed investors, in document order. A weak guess of the model's over
    the same words ("Benchmark" read as a person) gives way; any other mention there stays."""
    out = list(mentions)
    for start, end in [*_raisers(doc), *_listed_investors(doc)]:
        inside = [m for m in out if m.start < end and m.end > start]
        if all(m.weak and m.actor_id is None for m in inside):
            out = [m for m in out if m not in inside] + [name_mention(doc, text, start, end, weak=True)]
    return sorted(out, key=lambda m: m.start)


def _raisers(doc: Doc) -> list[tuple[int, int]]:
    """'Qorvex raised $300 million', 'Lumio closed a Series B': the subject's name, where it is one."""
    out: list[tuple[int, int]] = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in RAISE_VERBS or not _raises_money(verb):
            continue
        for subject in verb.children:
            if subject.dep_ == "nsubj":
                span = _name_at(doc, subject)
                if span is not None:
                    out.append(span)
    return out


def _raises_money(verb: Token) -> bool:
    """The verb's object is an amount of money or a funding round."""
    for obj in verb.children:
        if obj.dep_ != "dobj":
            continue
        if any(t.ent_type_ == "MONEY" for t in obj.subtree):
            return True
        compounds = [c for c in obj.children if c.dep_ == "compound"]
        if any(t.lemma_.lower() in ROUND_NOUNS for t in [obj, *compounds]):
            return True  # "a funding round", "a Series B"
    return False


def _name_at(doc: Doc, head: Token) -> tuple[int, int] | None:
    """The capitalised name a proper-noun head ends (with its compounds), if it is one."""
    if head.pos_ != "PROPN" or not head.text[:1].isupper():
        return None
    start = head.i
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == head.i:
        start -= 1
    if not all(_name_word(t) for t in doc[start : head.i + 1]):
        return None
    return start, head.i + 1


def _name_word(tok: Token) -> bool:
    """A word a firm's name is made of: capitalised, or a number opening it ("1789 Capital")."""
    return (tok.is_alpha and tok.text[0].isupper()) or tok.like_num or tok.text in ("&", "-")


def _listed_investors(doc: Doc) -> list[tuple[int, int]]:
    """Each capitalised member of a list an investor cue opens."""
    out: list[tuple[int, int]] = []
    for tok in doc:
        if tok.lower_ not in _CUE_STARTS:
            continue
        after = _cue_end(doc, tok.i)
        if after is not None and _investor_context(doc, tok.i):
            out.extend(_members(doc, after))
    return out


_CUE_STARTS = frozenset(cue[0] for cue in _LIST_CUES)


def _cue_end(doc: Doc, i: int) -> int | None:
    """Where the list starts if a cue of `_LIST_CUES` starts at token `i`."""
    if doc[i].lower_ not in _CUE_STARTS:
        return None
    for cue in _LIST_CUES:
        end = i + len(cue)
        if end <= len(doc) and all(doc[i + k].lower_ == word for k, word in enumerate(cue)):
            return end
    return None


def _investor_context(doc: Doc, i: int) -> bool:
    """The cue at `i` lists investors: an investor noun just before it, a raising verb for 'from',
    a round led or joined 'by' them, or money or a round in a 'from' clause."""
    before = doc[max(0, i - 4) : i]
    if any(t.lemma_.lower() in INVESTOR_NOUNS for t in before):
        return True
    word = doc[i].lower_
    if word == "by":
        return i > 0 and doc[i - 1].lemma_.lower() in _BY_VERBS and _near_round(doc, i)
    if word == "from":
        head = doc[i].head
        return head.lemma_.lower() in RAISE_VERBS or head.lemma_.lower() in ROUND_NOUNS
    return False


def _near_round(doc: Doc, i: int) -> bool:
    """A funding round or amount in the eight words before `i`."""
    return any(t.lemma_.lower() in ROUND_NOUNS or t.ent_type_ == "MONEY" for t in doc[max(0, i - 8) : i])


def _members(doc: Doc, start: int) -> list[tuple[int, int]]:
    """The capitalised runs of a list starting at `start`, up to the first member that is not one."""
    out: list[tuple[int, int]] = []
    i = start
    while i < len(doc):
        while i < len(doc) and doc[i].lower_ in ("the", "a"):
            i += 1
        end = i
        while end < len(doc) and _name_word(doc[end]) and doc[end].lower_ not in _SEPARATORS:
            end += 1
        if end == i or end - i > 5:
            break
        out.append((i, end))
        i = end
        while i < len(doc) and doc[i].lower_ in _SEPARATORS:
            i += 1
        if i == end:
            break
    return out
