"""Readers for rivalry (COMPETES_WITH) frames: a product stands for its maker.

"an alternative to Nvidia's GPUs", "holds its own against OpenAI's GPT-4o", "its model beat
DeepSeek-V3": the rival is the maker of the product a phrase names, read from a possessive, a
maker glued by a hyphen, or what the article said of the product before ("OpenAI showed off Sora
... Kling beat Sora"). Conjuncts count ("Nvidia's GPUs and AMD's chips").
"""

from __future__ import annotations

from spacy.tokens import Token

from graph.schema import NodeType
from loaders.discourse import FIRM_TYPES, Sentence, prep_objects
from loaders.frames.located import name_possessor
from loaders.frames.tables import in_class
from loaders.resolve import Resolved

_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
_SUBJECTS = ("nsubj", "nsubjpass")


def _names(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.mention.kind == "name"]


def _firms(args: list[Resolved]) -> list[Resolved]:
    return [a for a in args if a.entity.type in FIRM_TYPES]


def is_product(tok: Token) -> bool:
    """A product named or described: "GPT-4", "OpenAI's models", "OpenAI's best"."""
    return tok.pos_ == "PROPN" or in_class(tok, "product_nouns") or tok.tag_ == "JJS"


def _context_map(sent: Sentence) -> dict[int, Resolved]:
    """Every resolved name of the document by token index (for looking back past `previous`)."""
    return {i: a for a in _names(list(sent.context)) for i in range(a.mention.start, a.mention.end)}


def earlier_maker(sent: Sentence, tok: Token) -> Resolved | None:
    """The firm an unresolved product name belongs to, as an earlier mention of it said; else None."""
    if tok.pos_ != "PROPN" or sent.at(tok) is not None:
        return None
    by_token = _context_map(sent)
    for i in (i for i in range(tok.i, -1, -1) if tok.doc[i].lower_ == tok.lower_):
        owner = _said_maker(tok.doc[i], by_token)
        if owner is not None and owner.entity.type in FIRM_TYPES:
            return owner
    return None


def _said_maker(t: Token, by_token: dict[int, Resolved]) -> Resolved | None:
    """The maker one mention of a product gives: "Kuaishou's Kling", "OpenAI showed Sora"."""
    if t.i >= 2 and t.doc[t.i - 1].tag_ == "POS":
        return by_token.get(t.i - 2)
    if t.dep_ == "dobj" and in_class(t.head, "make_verbs"):
        subs = [by_token[c.i] for c in t.head.children if c.dep_ == "nsubj" and c.i in by_token]
        return subs[0] if len(subs) == 1 else None
    return None


def glued_maker(sent: Sentence, part: Token) -> list[Resolved]:
    """'DeepSeek-R1': a model code glued by a hyphen to its maker's name, with no space between."""
    doc, i = part.doc, part.i
    if i - 2 < sent.span.start or doc[i - 1].text not in ("-", "–"):
        return []
    maker = sent.at(doc[i - 2]) if not (doc[i - 1].whitespace_ or doc[i - 2].whitespace_) else None
    glued = maker is not None and maker.mention.end == i - 1 and maker.entity.type in FIRM_TYPES
    return [maker] if maker is not None and glued else []


def _product_maker(sent: Sentence, part: Token) -> list[Resolved]:
    """The maker the article or a glued name gives for an unowned product."""
    maker = earlier_maker(sent, part)
    return [maker] if maker is not None else glued_maker(sent, part)


def _owned(sent: Sentence, part: Token) -> list[Resolved]:
    """Who owns one noun: its possessor, a name compounded before it, else its earlier maker."""
    owned: list[Resolved] = []
    for c in part.children:
        if c.dep_ == "poss":
            owned.extend(sent.pronoun(c) if c.lower_ in _POSSESSIVE_PRONOUNS else sent.args_of(c))
        elif c.dep_ == "compound" and c.i < part.i and sent.at(c) is not None:
            owned.extend(_names(sent.args_of(c)))  # "Nvidia hardware"
    return owned or _product_maker(sent, part)


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
    if not in_class(tok, "product_words") or not any(c.lower_ == "the" for c in tok.children):
        return []
    found = sent.salient(frozenset({NodeType.COMPANY}))
    return [found] if found is not None else []


def makers(sent: Sentence, obj: Token, _: str = "") -> list[Resolved]:
    """The makers a list of products names ("matches OpenAI's GPT-4o and DeepSeek-V3"); appositions
    are walked like conjuncts, as the parser hangs list members on the first. "Microsoft's
    forecasts" names no product and gives nothing."""
    out: list[Resolved] = []
    todo, seen = [obj], set[int]()
    while todo and len(seen) <= 8:
        part = todo.pop()
        if part.i in seen:
            continue
        seen.add(part.i)
        todo.extend(c for c in part.children if c.dep_ in ("conj", "appos"))
        if is_product(part) or any(ch.isdigit() for ch in part.text):
            poss = [c for c in part.children if c.dep_ == "poss" and c.lower_ not in _POSSESSIVE_PRONOUNS]
            out += [a for c in poss for a in sent.args_of(c)] + _product_maker(sent, part)
    return _names(out)


def maker(sent: Sentence, tok: Token, preps: str = "") -> list[Resolved]:
    """The actors the objects of the word's prepositions name or own ("maker:to|for"); with no
    preposition named, the word's own phrase ("OpenAI's users" -> OpenAI)."""
    if not preps:
        return owners(sent, tok)
    wanted = set(preps.split("|"))
    words = prep_objects(tok, wanted, ("pobj", "pcomp"), ("prep", "dative"))
    return [a for w in words for a in owners(sent, w)]


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
    named = _firms(_names(sent.subjects(tok)))
    if named:
        # a unit's rivalry is its parent firm's too: "Google's YouTube"
        return _firms(named + [p for a in named if (p := name_possessor(sent, a)) is not None])
    out: list[Resolved] = []
    # the parser may hang the subject on the auxiliary: "Ernie is catching up"
    for subj in (c for h in (tok, *tok.children) if h.i == tok.i or h.dep_ == "aux" for c in h.children):
        if subj.dep_ not in _SUBJECTS:
            continue
        of = prep_objects(subj, ("of",), heads=("prep",))
        if in_class(subj, "all_words") and any(in_class(p, "group_pronouns") for p in of):
            out.extend(paragraph_firms(sent))  # "all of them", "each of these"
        else:
            out.extend(owners(sent, subj) or _claimant(sent, subj, tok))
    return _firms(out)


def paragraph_firms(sent: Sentence, limit: int = 8) -> list[Resolved]:
    """The firms the sentences since the last subheading were about, as subjects (or appositions
    of one, not in a relative clause) named, owning ("Google's Veo") or making a product, as the
    article said ("Zhipu AI released a tool. Google's Veo is in testing. All of them ...").
    At least two firms, or nothing."""
    by_token = _context_map(sent)
    floor = _section_start(sent.span.doc.text, sent.span.start_char)
    out: dict[str, Resolved] = {}
    sents = [s for s in sent.span.doc.sents if s.end <= sent.span.start][-limit:]
    for t in (t for s in reversed(sents) for t in s if t.idx >= floor and _main_subject(t)):
        arg = by_token.get(t.i) or _subject_maker(sent, t, by_token)
        if arg is not None and arg.entity.type in FIRM_TYPES:
            out.setdefault(arg.entity.id, arg)
    return list(out.values()) if len(out) >= 2 else []


def _subject_maker(sent: Sentence, t: Token, by_token: dict[int, Resolved]) -> Resolved | None:
    """The firm owning ("Google's Veo") or, as the article said, making a subject's product."""
    found = [by_token[c.i] for c in t.children if c.dep_ == "poss" and c.i in by_token]
    return found[0] if found else earlier_maker(sent, t)


def _main_subject(t: Token) -> bool:
    subject = t.dep_ in _SUBJECTS or (t.dep_ == "appos" and t.head.dep_ == "nsubj")
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
        pos = line_start
    return 0


def _claimant(sent: Sentence, subj: Token, verb: Token) -> list[Resolved]:
    """'Baidu says Ernie 4.0 is catching up', 'Kimi 2, which it said holds its own': the firm that
    says it of its product; a named speaker of a relative clause talks of another's product."""
    if verb.dep_ != "ccomp" or not in_class(verb.head, "say_verbs"):
        return []
    speakers = [c for c in verb.head.children if c.dep_ == "nsubj"]
    if speakers and all(s.pos_ == "PRON" for s in speakers):
        return [a for s in speakers for a in sent.pronoun(s)]
    if not is_product(subj):
        return []
    return _names(sent.subjects(verb.head)) or [a for c in speakers for a in _names(sent.args_of(c))]


def led_by(sent: Sentence, tok: Token) -> list[Resolved]:
    """'domestic alternatives led by Huawei', 'a pack headed by X': the named leader of the group."""
    leads = [acl for acl in tok.children if acl.dep_ == "acl" and in_class(acl, "group_lead_verbs")]
    leaders = [p for acl in leads for p in prep_objects(acl, {"by"}, ("pobj",), ("agent",))]
    return _firms([a for p in leaders for a in _names(sent.args_of(p))])
