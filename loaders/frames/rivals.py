"""Readers for rivalry (COMPETES_WITH) frames: a product stands for its maker.

"an alternative to Nvidia's GPUs", "holds its own against OpenAI's GPT-4o", "courting OpenAI's
users", "its model beat DeepSeek-V3": the rival is the maker of the product a phrase names, read
from a possessive, a maker glued by a hyphen, or what the article said of the product before
("OpenAI showed off Sora ... Kling beat Sora"). Conjuncts count ("Nvidia's GPUs and AMD's chips").
"""

from __future__ import annotations

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import FIRM_TYPES, Sentence, prep_objects
from loaders.frames.tables import lexicon
from loaders.resolve import Resolved

_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})


def _in(tok: Token, cls: str) -> bool:
    return tok.lemma_.lower() in lexicon().words(cls) or tok.lower_ in lexicon().words(cls)


def _names(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.mention.kind == "name"]


def is_product(tok: Token) -> bool:
    """A product named or described: "GPT-4", "OpenAI's models", "OpenAI's best"."""
    return tok.pos_ == "PROPN" or _in(tok, "product_nouns") or tok.tag_ == "JJS"


def _context_map(sent: Sentence) -> dict[int, Resolved]:
    """Every resolved name of the document by token index (for looking back past `previous`)."""
    names = [a for a in sent.context if a.mention.kind == "name"]
    return {i: a for a in names for i in range(a.mention.start, a.mention.end)}


def _said_maker(tok: Token, i: int, by_token: dict[int, Resolved]) -> Resolved | None:
    """The maker an earlier mention of the product gives: "Kuaishou's Kling", "OpenAI showed Sora"."""
    doc = tok.doc
    if i >= 2 and doc[i - 1].tag_ == "POS":
        return by_token.get(i - 2)
    t = doc[i]
    if t.dep_ == "dobj" and _in(t.head, "make_verbs"):
        subs = [by_token[c.i] for c in t.head.children if c.dep_ == "nsubj" and c.i in by_token]
        return subs[0] if len(subs) == 1 else None
    return None


def earlier_maker(sent: Sentence, tok: Token) -> Resolved | None:
    """The firm an unresolved product name belongs to, as the article said earlier; else None."""
    if tok.pos_ != "PROPN" or sent.at(tok) is not None:
        return None
    by_token = _context_map(sent)
    for i in range(tok.i, -1, -1):
        if tok.doc[i].lower_ != tok.lower_:
            continue
        owner = _said_maker(tok, i, by_token)
        if owner is not None and owner.entity.type in FIRM_TYPES:
            return owner
    return None


def glued_maker(sent: Sentence, part: Token) -> list[Resolved]:
    """'DeepSeek-R1': a model code glued by a hyphen to its maker's name, with no space between."""
    doc = part.doc
    i = part.i
    if i - 2 < sent.span.start or doc[i - 1].text not in ("-", "–"):
        return []
    if doc[i - 1].whitespace_ or doc[i - 2].whitespace_:
        return []
    maker = sent.at(doc[i - 2])
    if maker is None or maker.mention.end != i - 1 or maker.entity.type not in FIRM_TYPES:
        return []
    return [maker]


def _owned(sent: Sentence, part: Token) -> list[Resolved]:
    """Who owns one noun: its possessor, a name compounded before it, else its earlier maker."""
    owned: list[Resolved] = []
    for c in part.children:
        if c.dep_ == "poss":
            owned.extend(sent.pronoun(c) if c.lower_ in _POSSESSIVE_PRONOUNS else sent.args_of(c))
        elif c.dep_ == "compound" and c.i < part.i and sent.at(c) is not None:
            owned.extend(_names(sent.args_of(c)))  # "Nvidia hardware"
    if owned:
        return owned
    maker = earlier_maker(sent, part)
    return [maker] if maker is not None else glued_maker(sent, part)


def owners(sent: Sentence, tok: Token) -> list[Resolved]:
    """Actors a phrase names, or owns: "OpenAI's products" -> OpenAI; each conjunct counts."""
    args = _names(sent.args_of(tok))
    if args:  # "Sweden's Ericsson and Finland's Nokia": the parse hangs Ericsson on Nokia
        held = [
            c for c in tok.children
            if c.dep_ in ("poss", "nmod") and any(g.dep_ == "cc" for g in c.children)
        ]  # fmt: skip
        return args + [a for c in held if (a := sent.at(c)) is not None]
    out = led_by(sent, tok)
    for part in () if out else (tok, *(c for c in tok.conjuncts if c.i > tok.i)):
        if part.i != tok.i and sent.at(part) is not None:
            out.extend(sent.args_of(part, through_nouns=False))
        else:
            out.extend(_owned(sent, part))
    return out or _the_product(sent, tok)


def _the_product(sent: Sentence, tok: Token) -> list[Resolved]:
    """'to compete with the app': the firm the text is about."""
    if not _in(tok, "product_words") or not any(c.lower_ == "the" for c in tok.children):
        return []
    found = sent.salient(frozenset({NodeType.COMPANY}))
    return [found] if found is not None else []


def product_makers(sent: Sentence, obj: Token) -> list[Resolved]:
    """The makers a list of products names ("OpenAI's GPT-4o", "DeepSeek-V3"); appositions are
    walked like conjuncts, as the parser hangs list members on the first. "Microsoft's forecasts"
    names no product and gives nothing."""
    out: list[Resolved] = []
    todo: list[Token] = [obj]
    seen: set[int] = set()
    while todo and len(seen) <= 8:
        part = todo.pop()
        if part.i in seen:
            continue
        seen.add(part.i)
        todo.extend(c for c in part.children if c.dep_ in ("conj", "appos"))
        if not (is_product(part) or any(ch.isdigit() for ch in part.text)):
            continue
        out.extend(
            a for c in part.children if c.dep_ == "poss" and c.lower_ not in _POSSESSIVE_PRONOUNS
            for a in sent.args_of(c)
        )  # fmt: skip
        out.extend(glued_maker(sent, part) or ([m] if (m := earlier_maker(sent, part)) else []))
    return _names(out)


def maker(sent: Sentence, tok: Token, preps: str = "") -> list[Resolved]:
    """The actors the objects of the word's prepositions name or own ("maker:to|for"); with no
    preposition named, the word's own phrase ("OpenAI's users" -> OpenAI)."""
    words = (
        prep_objects(tok, set(preps.split("|")), ("pobj", "pcomp"), ("prep", "dative")) if preps else [tok]
    )
    return [a for w in words for a in owners(sent, w)]


def object_maker(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The makers of the products a verb's direct objects name ("matches OpenAI's GPT-4")."""
    return [a for c in tok.children if c.dep_ == "dobj" for a in product_makers(sent, c)]


def prep_object(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The actors a preposition's object names or owns ("behind TSMC and Samsung")."""
    objects = [c for c in tok.children if c.dep_ == "pobj" and c.lower_ not in ("it", "them")]
    # a ticker in brackets breaks the parsed list: "behind TSMC (NYSE:TSM) and Samsung" hangs
    # Samsung on the ticker
    tickers = [t for o in objects for t in o.children if t.dep_ == "appos"]
    objects += [c for t in tickers for c in t.children if c.dep_ == "conj"]
    return [a for c in objects for a in owners(sent, c)]


def side(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """Who a verb's subject stands for in a rivalry: the named firms it resolves to (through control
    verbs: "is vying to take on X", with the parent of "Google's YouTube"); "all of them", the firms
    the section was about; else the owner or maker of a product ("its newest model", "Kling"); else,
    for a product in a reported claim ("Baidu says Ernie is catching up"), the firm making the claim."""
    named = [a for a in _names(sent.subjects(tok)) if a.entity.type in FIRM_TYPES]
    if named:
        return with_parent(sent, named)
    out: list[Resolved] = []
    for subj in _subject_words(tok):
        if _all_of_them(subj):
            out.extend(paragraph_firms(sent))
        else:
            out.extend(owners(sent, subj) or _claimant(sent, subj, tok))
    return [a for a in out if a.entity.type in FIRM_TYPES]


def _subject_words(tok: Token) -> list[Token]:
    """A verb's subject words, also where the parser hung them on the auxiliary ("Ernie is
    catching up")."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "aux")]
    return [c for h in heads for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]


def _all_of_them(tok: Token) -> bool:
    """'All of them', 'each of these': a group pointing back at the section's firms."""
    return _in(tok, "all_words") and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(_in(p, "group_pronouns") for p in c.children)
        for c in tok.children
    )


def paragraph_firms(sent: Sentence, limit: int = 8) -> list[Resolved]:
    """The firms the sentences since the last subheading were about, as subjects or makers ("Zhipu AI
    released a tool. Google's Veo is in testing. All of them ..."). At least two firms, or nothing."""
    by_token = _context_map(sent)
    floor = _section_start(sent.span.doc.text, sent.span.start_char)
    out: dict[str, Resolved] = {}
    sents = [s for s in sent.span.doc.sents if s.end <= sent.span.start][-limit:]
    for t in (t for s in reversed(sents) for t in s if t.idx >= floor and _main_subject(t)):
        arg = _subject_firm(sent, t, by_token)
        if arg is not None:
            out.setdefault(arg.entity.id, arg)
    return list(out.values()) if len(out) >= 2 else []


def _subject_firm(sent: Sentence, t: Token, by_token: dict[int, Resolved]) -> Resolved | None:
    """The firm a subject word names, owns ("Google's Veo") or makes, as the article said."""
    arg = by_token.get(t.i)
    if arg is None:
        found = [by_token[c.i] for c in t.children if c.dep_ == "poss" and c.i in by_token]
        arg = found[0] if found else earlier_maker(sent, t)
    return arg if arg is not None and arg.entity.type in FIRM_TYPES else None


def _main_subject(t: Token) -> bool:
    subject = t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "appos" and t.head.dep_ == "nsubj")
    return subject and t.head.dep_ != "relcl"


def _section_start(text: str, end: int) -> int:
    """Where the section holding character `end` starts: after the last subheading line before it
    (a short non-empty line without closing punctuation: "A crowded field")."""
    pos = end
    while pos > 0:
        line_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[line_start:pos].strip()
        if line and len(line) < 80 and line[-1] not in ".!?:;\"'”’)":
            return pos
        if line_start == 0:
            return 0
        pos = line_start
    return 0


def _claimant(sent: Sentence, subj: Token, verb: Token) -> list[Resolved]:
    """'Baidu says Ernie 4.0 is catching up', 'Kimi 2, which it said holds its own': the firm that
    says it of its product; a named speaker of a relative clause talks of another's product."""
    if verb.dep_ != "ccomp" or not _in(verb.head, "say_verbs"):
        return []
    speakers = [c for c in verb.head.children if c.dep_ == "nsubj"]
    if speakers and all(s.pos_ == "PRON" for s in speakers):
        return [a for s in speakers for a in sent.pronoun(s)]
    if not is_product(subj):
        return []
    return _names(sent.subjects(verb.head)) or [a for c in speakers for a in _names(sent.args_of(c))]


def left_firm(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The firm users are asked to leave: "urging developers to move (away) from Globex"."""
    moves = [c for c in tok.children if c.dep_ == "xcomp"] or [tok]
    froms = [m for v in moves for m in (v, *(c for c in v.children if c.dep_ == "advmod"))]
    return [a for w in froms for a in maker(sent, w, "from")]


def into_object(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """'turned Huawei (back) into a challenger': the object of the verb an "into" hangs on."""
    if tok.lower_ != "into":
        return []
    verb = tok.head
    if verb.pos_ == "ADV" and verb.head.i != verb.i:
        verb = verb.head  # "turned X back into"
    return [a for c in verb.children if c.dep_ == "dobj" for a in _names(sent.args_of(c))]


def led_by(sent: Sentence, tok: Token) -> list[Resolved]:
    """'domestic alternatives led by Huawei', 'a pack headed by X': the named leader of the group."""
    return [
        a
        for acl in tok.children
        if acl.dep_ == "acl" and _in(acl, "group_lead_verbs")
        for agent in acl.children
        if agent.dep_ == "agent"
        for p in agent.children
        if p.dep_ == "pobj"
        for a in _names(sent.args_of(p))
        if a.entity.type in FIRM_TYPES
    ]


def with_parent(sent: Sentence, args: list[Resolved]) -> list[Resolved]:
    """Add the owning firm of "Google's YouTube": a unit's rivalry is its parent's too."""
    doc = sent.span.doc
    out = list(args)
    for arg in args:
        start = arg.mention.start
        if start - 2 < sent.span.start or doc[start - 1].tag_ != "POS":
            continue
        owner = sent.at(doc[start - 2])
        if owner is not None and owner.mention.kind == "name" and owner.entity.type is NodeType.COMPANY:
            out.append(owner)
    return out


def sentence_focus(sent: Sentence, tok: Token, _: str = "") -> list[Resolved]:
    """The one named firm the sentence is about, as subject or object of a verb ("The ban leaves
    SMIC behind TSMC, and could push designers toward rivals such as X"); else nothing."""
    focus = {
        a.entity.id: a
        for t in sent.span
        if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.pos_ in ("VERB", "AUX")
        and (a := sent.at(t)) is not None and a.mention.kind == "name" and a.entity.type in FIRM_TYPES
    }  # fmt: skip
    return list(focus.values()) if len(focus) == 1 else []


def race_rivals(sent: Sentence, tok: Token, preps: str) -> list[Resolved]:
    """The 'with' objects of a race, also one the parser hung on the verb after a comma and "and":
    "helps X in its race with A, and with B" -> A, B."""
    out = maker(sent, tok, preps)
    verb = tok.head.head if tok.dep_ == "pobj" else None
    if verb is None or not any(c.dep_ == "cc" and c.i > tok.i for c in verb.children):
        return out
    wanted = set(preps.split("|"))
    late = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in wanted and c.i > tok.i]
    return out + [a for p in late for o in p.children if o.dep_ == "pobj" for a in owners(sent, o)]
