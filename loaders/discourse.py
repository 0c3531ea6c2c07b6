"""The sentence every frame reads, and the discourse helpers it offers.

A `Sentence` is a parsed sentence with its resolved mentions and the sentences before it. Its helpers
walk spaCy's dependency parse: the actors a noun phrase names (through conjunctions, appositions and
"such as" lists), a verb's subjects (through control verbs and relative clauses), and what a pronoun
or "the company" points back to. Module functions say whether a trigger is negated or hedged, and
`found` turns the actors read into `Found` relations. Word lists are classes of
`loaders/frames/tables/lexicon.yaml`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

from spacy.tokens import Doc, Span, Token

from graph.names import name_key
from graph.schema import NodeType, RelType
from loaders.frames.tables import lexicon
from loaders.places import Places
from loaders.resolve import EntityRef, Resolved

ACTOR_TYPES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION, NodeType.PERSON})
FIRM_TYPES = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION})
ANAPHOR_TYPES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION})
"""Who "it" may point back to."""

NEGATORS = lexicon().words("negators")
NEGATING_VERBS = lexicon().words("negating_verbs")
HEDGE_MODALS = lexicon().words("hedge_modals")
HEDGE_ADVERBS = lexicon().words("hedge_adverbs")
HEDGE_HEADS = lexicon().words("hedge_heads")
ENACTING_VERBS = lexicon().words("enacting_verbs")
OBJECT_CONTROL = lexicon().words("object_control_verbs")
LIST_PREPS = lexicon().words("list_preps")
PRONOUNS = lexicon().words("pronouns")
GOV_NOUNS = lexicon().words("gov_nouns")
RIVAL_NOUNS = lexicon().words("rival_nouns")
FIRM_ANAPHORS = lexicon().words("firm_anaphors")
GROUP_NOUNS = lexicon().words("group_anaphors")
AGENCY_NOUNS = lexicon().words("agency_nouns")
PRODUCT_ANAPHORS = lexicon().words("product_anaphors")
MEASURE_VERBS = lexicon().words("product_ban_verbs")
_SUBJECT_SKIP = lexicon().words("subject_skip_words")
_PARTICIPLE_MODIFIERS = lexicon().words("participle_modifiers")
_DASHES = ("-", "–")
_SEPARATORS = (",", "and", "or", "&")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")

MAIN_SUBJECT_WEIGHT = 100
"""Salience bonus of a subject of the sentence just before: more than any count."""
SALIENCE_MARGIN = 2
"""How far ahead of the runner-up the salient actor must score; closer calls resolve to nothing."""


@dataclass(frozen=True)
class Found:
    """One relation a pattern read, with its direction decided and the evidence it rests on."""

    source: EntityRef
    type: RelType
    target: EntityRef
    pattern: str
    confidence: float
    sentence: Span
    hedged: bool = False
    since: date | None = None
    policy: str | None = None
    """For a RESTRICTS read from a measure: the kind of measure ("export controls", "access ban")."""
    trigger: tuple[int, int] | None = None
    """The character span of the word that fired the rule ("invested"), as offsets into the whole
    document's text (`Token.idx`), not the sentence: the pipeline makes them relative to the sentence
    it stores. None when the rule names no single trigger word."""


@dataclass
class Sentence:
    """A sentence with the resolved mentions inside it, and its neighbours for light anaphora."""

    span: Span
    args: list[Resolved]
    previous: list[Sentence] = field(default_factory=list)
    published: date | None = None
    places: Places | None = None
    context: Sequence[Resolved] = ()
    """Every resolved mention of the document, for salience counts."""

    def __post_init__(self) -> None:
        self._by_token: dict[int, Resolved] = {
            i: arg for arg in self.args for i in range(arg.mention.start, arg.mention.end)
        }

    def at(self, tok: Token) -> Resolved | None:
        """The mention covering a token, if any."""
        return self._by_token.get(tok.i)

    def _root(self, arg: Resolved) -> Token:
        """The syntactic head of a mention."""
        return self.span.doc[arg.mention.start : arg.mention.end].root

    def mentions_in(self, tokens: Iterable[Token]) -> list[Resolved]:
        """Distinct mentions covering any of the tokens, in text order."""
        covering = [a for a in map(self.at, tokens) if a is not None]
        return sorted(_dedupe(covering), key=lambda a: a.mention.start)

    # The actors a noun phrase names

    def args_of(self, tok: Token, *, through_nouns: bool = True, depth: int = 0) -> list[Resolved]:
        """The actors a noun phrase headed by `tok` names, with its conjuncts and listed members.

        "Alibaba and Tencent" -> both; "Chinese firms such as Baidu" -> Baidu (not China: the
        demonym modifies the group, it is not a member); "tech giant Google" -> Google.
        """
        if depth > 4:
            return []
        out = self._named_by(tok, through_nouns, depth)
        if tok.dep_ != "conj":
            for conj in [c for c in tok.conjuncts if c.i > tok.i]:
                out.extend(self.args_of(conj, through_nouns=through_nouns, depth=depth + 1))
        if not out:
            out = self._antecedents(tok, through_nouns)
        if depth == 0:
            out = self._list_heads(out)
        return _dedupe(out)

    def _named_by(self, tok: Token, through_nouns: bool, depth: int) -> list[Resolved]:
        """What the word itself names: its mention, the state a government noun stands for, the firm
        an apposition describes, or the members of a noun phrase."""
        arg = self.at(tok)
        if arg is not None:
            return [arg]
        lemma = tok.lemma_.lower()
        if lemma in GOV_NOUNS and not any(c.dep_ == "prep" and _is_list_prep(c) for c in tok.children):
            # "hostile states like Iran" names its list, not a state: the noun branch reads it
            return self.state_of_noun(tok)
        if tok.dep_ == "appos" and lemma in FIRM_ANAPHORS and self.at(tok.head) is not None and depth < 3:
            # "MGX, an investment firm backed by X": the firm is MGX
            return self.args_of(tok.head, through_nouns=False, depth=depth + 1)
        if through_nouns and tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return self._members(tok, depth)
        return []

    def _members(self, tok: Token, depth: int) -> list[Resolved]:
        """The actors in a noun's appositions, its name compound and its "such as" list."""
        out: list[Resolved] = []
        for child in tok.children:
            # an apposition, or a name right before the proper noun it qualifies ("Google Cloud")
            name_compound = child.dep_ == "compound" and child.i == tok.i - 1 and tok.pos_ == "PROPN"
            if child.dep_ == "appos" or (name_compound and self.at(child) is not None):
                out.extend(self.args_of(child, depth=depth + 1))
            elif child.dep_ == "prep" and _is_list_prep(child):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.extend(self.args_of(pobj, depth=depth + 1))
        return out

    def _antecedents(self, tok: Token, through_nouns: bool) -> list[Resolved]:
        """What a word naming no one points back to: "these companies", "the startup", "it"."""
        # "these companies", "those firms", "both groups": a plural firm noun pointing back
        group_noun = tok.lemma_.lower() in GROUP_NOUNS and _determined(tok, "NNS", ("these", "those", "both"))
        if through_nouns and group_noun:
            group = self.group_antecedent()
            if group:
                return group
        if through_nouns and tok.pos_ == "NOUN":
            meant = self.definite(tok) or self.owned_rival(tok)
            if meant:
                return meant
        if tok.lower_ in ("it", "they", "them"):
            return self.pronoun(tok)
        return []

    def _list_heads(self, out: list[Resolved]) -> list[Resolved]:
        """A lone actor widened to the flat list it sits in; names that only modify a firm dropped."""
        if len(out) == 1:
            out = self.surface_list(out[0]) or out
        if len(out) > 1:
            out = [a for a in out if not self.is_modifier_of_firm(a)] or out
        return out

    def surface_list(self, arg: Resolved) -> list[Resolved]:
        """Members of a flat list "including A, B and C" that holds `arg`, read off the words.

        The small model often breaks such lists when tickers or legal suffixes sit inside them;
        the words still show the list. Only lists opened by "including", "like", "such as" or
        "among them" count, and a member modified by "X-backed" is the member, not X. Returns []
        when `arg` is in no such list.
        """
        members, start = self._walk_left(arg)
        if not _opens_list(self.span.doc, start, self.span.start):
            return []
        members += self._walk_right(arg)[1:]
        return members if len({m.entity.id for m in members}) >= 2 else []

    def shared_modifiers(self, glued: Resolved) -> list[Resolved]:
        """Names coordinated before the one glued to "-backed" that modify the same firm.

        "Alibaba- and Tencent-backed X" always shares. "Tencent and Alibaba-backed X" shares too,
        read as one noun phrase, unless the names sit in a list opened by "including", "like" or
        "such as", where "A and B-backed X" lists A and X. Returns the other names, nearest last.
        """
        doc = self.span.doc
        out: list[Resolved] = []
        i = glued.mention.start - 1
        while i - 1 >= self.span.start and doc[i].lower_ in ("and", ",", "or"):
            j = i - 1
            suspended = doc[j].text in _DASHES
            if suspended:
                j -= 1
            other = self.at(doc[j]) if j >= self.span.start else None
            if other is None or other.mention.end - 1 != j or other.mention.kind != "name":
                break
            listed = _opens_list(doc, self._walk_left(other)[1], self.span.start)
            if not suspended and (other.entity.type is not NodeType.COMPANY or listed):
                break
            out.insert(0, other)
            i = other.mention.start - 1
        return out

    def is_modifier_of_firm(self, arg: Resolved) -> bool:
        """Whether a name only modifies a firm named after it ("Tencent" in "Tencent-backed Zhipu")."""
        if self._glued_participle(arg.mention.end):
            return True
        j = self._skip_separators(arg.mention.end, +1)
        nxt = self.at(self.span.doc[j]) if j is not None else None
        return (
            nxt is not None
            and self.is_modifier_of_firm(nxt)
            and any(m.mention.start == arg.mention.start for m in self.shared_modifiers(nxt))
        )

    def _glued_participle(self, end: int) -> bool:
        """Whether "-backed", "-owned" (a participle after a dash) starts at token `end`."""
        doc = self.span.doc
        return (
            end + 1 < self.span.end
            and doc[end].text in _DASHES
            and doc[end + 1].lower_ in _PARTICIPLE_MODIFIERS
        )

    def _element_start(self, arg: Resolved) -> int:
        """Where a list element starts, counting an "X-backed" modifier as part of it."""
        start = arg.mention.start
        while start - 3 >= self.span.start and self._glued_participle(start - 2):
            mod = self.at(self.span.doc[start - 3])
            if mod is None:
                break
            start = mod.mention.start
        return start

    def _element_at(self, i: int) -> Resolved | None:
        """The member whose element starts at token i ("Tencent-backed Zhipu" -> Zhipu)."""
        arg = self.at(self.span.doc[i])
        while arg is not None and self._glued_participle(arg.mention.end):
            after = arg.mention.end + 2
            arg = self.at(self.span.doc[after]) if after < self.span.end else None
        return arg

    def _skip_separators(self, i: int, step: int) -> int | None:
        """From token i, step over ",", "and", "or" (at least one); the next token's index, or None."""
        doc = self.span.doc
        moved = False
        while self.span.start <= i < self.span.end and doc[i].lower_ in _SEPARATORS:
            i += step
            moved = True
        return i if moved and self.span.start <= i < self.span.end else None

    def _walk_left(self, arg: Resolved) -> tuple[list[Resolved], int]:
        """`arg` and the names coordinated right before it ("A, B and C" from C), and where they start
        (a name's "X-backed" modifier counts as part of it: see `_element_start`)."""
        members = [arg]
        start = self._element_start(arg)
        while True:
            j = self._skip_separators(start - 1, -1)
            prev = self.at(self.span.doc[j]) if j is not None else None
            if prev is None or prev.mention.end - 1 != j:
                return members, start
            members.insert(0, prev)
            start = self._element_start(prev)

    def _walk_right(self, arg: Resolved) -> list[Resolved]:
        """`arg` and the list elements coordinated after it (see `_element_at`)."""
        members = [arg]
        end = arg.mention.end
        while end < self.span.end:
            j = self._skip_separators(end, +1)
            nxt = self._element_at(j) if j is not None else None
            if nxt is None:
                break
            members.append(nxt)
            end = nxt.mention.end
        return members

    def group_antecedent(self) -> list[Resolved]:
        """'These companies' -> the last list of two or more named firms in the sentences just before."""
        for prev in reversed(self.previous[-2:]):
            best: list[Resolved] = []
            for arg in prev.args:
                if arg.mention.kind != "name" or arg.entity.type not in FIRM_TYPES:
                    continue
                group = [a for a in prev.args_of(prev._root(arg)) if a.entity.type in FIRM_TYPES]
                if len({a.entity.id for a in group}) >= 2 and len(group) > len(best):
                    best = group
            if best:
                return best
        return []

    def state_of_noun(self, tok: Token) -> list[Resolved]:
        """'the Chinese government', 'U.S. officials' -> that state. ('the Biden administration' is
        already the state: entity resolution reads a leader's administration as the state.)"""
        for c in tok.children:
            arg = self.at(c) if c.dep_ in ("amod", "compound", "poss", "nmod") and c.i < tok.i else None
            if arg is not None and arg.entity.type is NodeType.GOVERNMENT:
                return [replace(arg, mention=replace(arg.mention, kind="name"))]
        return []

    # Who does what a verb says

    def subjects(self, verb: Token) -> list[Resolved]:
        """The actors doing what `verb` says, climbing control verbs, conjoined verbs and relatives."""
        v = verb
        for _ in range(5):
            subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if subs:
                return self._read_subjects(v, subs)
            obj = _control_object(v)
            if obj is not None:
                # Object control: "urged the Commerce Department to blacklist X" -> the department.
                return self.args_of(obj)
            if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
                v = v.head.head  # "retaliated by banning X": the doer is the subject of "retaliated"
            elif v.dep_ in ("xcomp", "conj", "advcl") and v.head.i != v.i:
                v = v.head
            else:
                return []
        return []

    def _read_subjects(self, v: Token, subs: list[Token]) -> list[Resolved]:
        """The actors the subject words name; a relative pronoun stands for the noun the clause is on."""
        relative = v.dep_ == "relcl"
        words = [_first_conjunct(v.head) if relative and s.tag_ in ("WDT", "WP") else s for s in subs]
        return _dedupe([a for word in words for a in self.args_of(word)])

    def surface_subjects(self, tok: Token) -> list[Resolved]:
        """The actor(s) written just before a verb, for when the parse misses its subject.

        Steps left over auxiliaries, modals, adverbs and a relative pronoun; "A and B" gives both.
        """
        for t in reversed(self.span.doc[max(self.span.start, tok.i - 7) : tok.i]):
            arg = self.at(t)
            if arg is not None:
                return self._walk_left(arg)[0]
            if not (t.lower_ in _SUBJECT_SKIP or t.tag_ in ("MD", "RB") or t.text in _DASHES):
                return []
        return []

    def surface_objects(self, tok: Token, preps: frozenset[str] | None = None) -> list[Resolved]:
        """The actor(s) written just after a verb (after one of `preps`, when given), past up to three
        determiners or adjectives; "A and B" gives both."""
        doc, end, i = self.span.doc, self.span.end, tok.i + 1
        if preps:
            if i >= end or doc[i].lower_ not in preps:
                return []
            i += 1
        for t in doc[i : min(i + 4, end)]:
            arg = self.at(t)
            if arg is not None:
                return [] if self.is_modifier(arg) else self._walk_right(arg)
            if t.tag_ not in ("DT", "JJ", "PRP$") and t.lower_ not in ("fellow", "rival"):
                return []
        return []

    def is_modifier(self, arg: Resolved) -> bool:
        """A name used as a modifier of the noun after it: "the Abu Dhabi firm", "U.S. chips"."""
        doc = self.span.doc
        nxt = arg.mention.end
        if nxt + 1 < self.span.end and doc[nxt].tag_ == "POS" and self.at(doc[nxt + 1]) is not None:
            return True  # "Sweden's Ericsson": the possessor only places the firm
        return nxt < self.span.end and doc[nxt].pos_ in ("NOUN", "ADJ") and self.at(doc[nxt]) is None

    # What a pronoun or "the company" points back to

    def pronoun(self, tok: Token) -> list[Resolved]:
        """Resolve 'it'/'its'/'their'/'they' cheaply, or not at all.

        Inside a relative clause the pronoun is the clause's antecedent ("Washington and The Hague,
        which coordinated their restrictions"). Otherwise 'it'/'its' is a named subject earlier in
        the sentence, else the firm or state the text is about (`salient`); 'their'/'they' is a
        group named just before. Anything ambiguous resolves to nothing.
        """
        if tok.lower_ not in PRONOUNS:
            return []
        in_clause = self._clause_antecedent(tok)
        if in_clause is not None:
            return in_clause
        if tok.lower_ in ("their", "they", "them"):
            return self.group_antecedent()
        return self._nearest_subject(tok)

    def _clause_antecedent(self, tok: Token) -> list[Resolved] | None:
        """The actor a pronoun stands for inside its clause, or None to look outside it."""
        for head in [tok, *islice(tok.ancestors, 5)]:
            obj = _control_object(head)
            controller = self.args_of(obj) if obj is not None else []
            if controller:
                # "ordered X to sell its stake": the infinitive's doer is the object, and so is 'its'
                return controller
            if head.dep_ == "relcl":
                if any(c.dep_ in _SUBJECT_DEPS and c.lower_ in PRONOUNS for c in head.children):
                    # "a model it pitched as ...", "which it said ...": the clause's own subject is a
                    # pronoun, so the antecedent is what it talks about, not who; read the main clause
                    return None
                return self.args_of(_first_conjunct(head.head))
        return None

    def _nearest_subject(self, tok: Token) -> list[Resolved]:
        """'it'/'its': the nearest subject before it (a named actor or "the US government"), else the
        actor the text is about. An object 'it' is never the subject of its own verb or of a verb
        coordinated with it ("NASA blocked it": not NASA, which would be "itself"); a subject of the
        clause above it may be ("Acme said officials told it to stop")."""
        own = _own_subjects(tok)
        for c in reversed(self.span.doc[self.span.start : tok.i]):
            if c.dep_ not in _SUBJECT_DEPS or c.lower_ in PRONOUNS or c.i in own:
                continue
            subject = self.at(c)
            if subject is not None:
                if subject.mention.kind == "name" and subject.entity.type in ANAPHOR_TYPES:
                    return [subject]
                break
            state = self.state_of_noun(c) if c.lemma_.lower() in GOV_NOUNS else []
            if state:
                return state
        found = self.salient(ANAPHOR_TYPES)
        own_ids = {a.entity.id for a in self.mentions_in(self.span.doc[i] for i in own)}
        return [found] if found is not None and found.entity.id not in own_ids else []

    def salient(
        self,
        types: frozenset[NodeType],
        country: str | None = None,
        name_word: str | None = None,
        country_known: bool = False,
    ) -> Resolved | None:
        """The actor of these types the text is about just before this sentence, if one stands out.

        Score: mentions so far in the document, +MAIN_SUBJECT_WEIGHT when it is a subject of the
        sentence just before (+3 when it is one in the sentence before that), +1 when the sentence
        just before names it. Only actors named in those
        two sentences compete; a tie resolves to nothing.
        """
        recent = self.previous[-2:]
        if not recent:
            return None
        counts = Counter(arg.entity.id for arg in self.context if arg.mention.start < self.span.start)
        scores: dict[str, float] = {}
        best_arg: dict[str, Resolved] = {}
        for n, prev in enumerate(recent):
            last = n == len(recent) - 1
            for arg in prev.args:
                if not _may_be(arg, types, country, name_word, country_known):
                    continue
                ent, subject = arg.entity, prev._is_subject(arg)
                # who the sentence just before was about outweighs how often others were named
                bonus = 1 + MAIN_SUBJECT_WEIGHT * subject if last else 3 * subject
                scores[ent.id] = scores.get(ent.id, float(counts[ent.id])) + bonus
                best_arg[ent.id] = arg
        return _standout(scores, best_arg)

    def topic(self, wanted: NodeType) -> Resolved | None:
        """The actor of that type the whole document is about: named most often, SALIENCE_MARGIN
        mentions ahead of the next ("Acme raised $1 billion ... it ... Acme's round" -> Acme)."""
        named = [arg for arg in self.context if arg.entity.type is wanted and arg.mention.kind == "name"]
        first = {arg.entity.id: arg for arg in reversed(named)}
        return _standout(Counter(arg.entity.id for arg in named), first)

    def definite(self, tok: Token) -> list[Resolved]:
        """'the company', 'the startup', 'the Chinese chipmaker', 'the department' -> the actor meant.

        Only singular nouns with "the"/"this"; a demonym or place on the noun must agree with the
        candidate's country; agency nouns pick an agency whose name has that word.
        """
        if not _determined(tok, "NN", ("the", "this")):
            return []
        mods = [self.at(c) for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i]
        named = [m for m in mods if m is not None]
        if any(m.entity.type is not NodeType.GOVERNMENT for m in named):
            return []  # "the Alibaba unit" names another actor
        country = named[-1].entity.country if named else None
        # "the Hangzhou startup", "the Shenzhen-based group": a place on the noun must be the firm's
        # known country, else the description names someone the text has not named.
        placed = self._place_country(tok) if country is None else None
        found = self._described_actor(tok, placed or country, placed is not None)
        return [found] if found is not None else []

    def owned_rival(self, tok: Token) -> list[Resolved]:
        """"its longtime competitor", "Acme's old rival": the firm the text is about (else the one it
        is about just before), when that is not the owner itself (a rival is someone else)."""
        owners = [c for c in tok.children if c.dep_ == "poss"]
        if tok.lemma_.lower() not in RIVAL_NOUNS or not owners or tok.tag_ != "NN":
            return []
        owned_by = [a for o in owners for a in (self.pronoun(o) or self.args_of(o, through_nouns=False))]
        owner_ids = {a.entity.id for a in owned_by}
        for found in (self.topic(NodeType.COMPANY), self.salient(FIRM_TYPES)):
            if found is not None and owner_ids and found.entity.id not in owner_ids:
                return [found]
        return []

    def _described_actor(self, tok: Token, country: str | None, placed: bool) -> Resolved | None:
        """The salient actor a "the <noun>" of an agency, a firm or a product describes."""
        lemma = tok.lemma_.lower()
        if lemma == "up" and any(c.lower_ == "start" for c in tok.children):
            lemma = "start-up"  # the tokenizer splits "start-up" and the parse heads it on "up"
        if lemma in AGENCY_NOUNS:
            return self.salient(frozenset({NodeType.GOVERNMENT}), country, name_word=lemma)
        if lemma in FIRM_ANAPHORS:
            return self.salient(frozenset({NodeType.COMPANY}), country, country_known=placed)
        if lemma in PRODUCT_ANAPHORS and _under(tok, MEASURE_VERBS):
            # "banned the app": the product stands for the firm that makes it
            return self.salient(frozenset({NodeType.COMPANY}), country)
        return None

    def _place_country(self, tok: Token) -> str | None:
        """The country of a city or region modifying a noun ("Hangzhou startup", "Shenzhen-based group")."""
        if self.places is None:
            return None
        for c in tok.children:
            if c.i >= tok.i or c.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
                continue
            words = [w for w in c.lefts if w.text != "-"] if c.lower_ in ("based", "headquartered") else [c]
            for w in words:
                # a place is written in title case: an upper-case "AI" is no Anguilla
                state = self.places.state_of(w.text) if w.is_title else None
                if state is not None and state.country:
                    return state.country
        return None

    def _is_subject(self, arg: Resolved) -> bool:
        root = self._root(arg)
        if root.dep_ in _SUBJECT_DEPS:
            return True
        # "Baidu, for its part, released ...": the small model hangs a name set off by commas on
        # the verb as a modifier; before a verb that has no subject of its own, it is the subject
        verb = root.head
        return (
            arg.mention.kind == "name"
            and root.dep_ in ("advmod", "npadvmod", "nmod", "dep")
            and root.i < verb.i
            and verb.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)
        )


_LIST_OPENERS = (("including",), ("like",), ("notably",), ("namely",), ("such", "as"), ("among", "them"))


def _opens_list(doc: Doc, start: int, lo: int) -> bool:
    """Whether the words before token `start` (not before token `lo`) open a list: "including", "such as"."""
    before = tuple(t.lower_ for t in doc[max(lo, start - 2) : start])
    return any(before[-len(words) :] == words for words in _LIST_OPENERS)


def _is_list_prep(tok: Token) -> bool:
    """A preposition opening a list: "like", "including", "such as"."""
    return _opens_list(tok.doc, tok.i + 1, 0)


def _determined(tok: Token, tag: str, determiners: tuple[str, ...]) -> bool:
    """A noun of that tag after one of the determiners: "the company" (NN), "these firms" (NNS); the
    determiner may hang on the noun's first modifier ("the Chinese start-up" is parsed so)."""
    if tok.tag_ != tag:
        return False
    heads = [tok, *(c for c in tok.lefts if c.dep_ in ("amod", "compound"))]
    return any(c.dep_ == "det" and c.lower_ in determiners for h in heads for c in h.children)


def _under(tok: Token, verbs: frozenset[str], hops: int = 3) -> bool:
    """Whether the nearest verb above `tok` (within `hops`) is one of `verbs`."""
    verb = next((t for t in islice(tok.ancestors, hops) if t.pos_ == "VERB"), None)
    return verb is not None and verb.lemma_.lower() in verbs


def _control_object(v: Token) -> Token | None:
    """The object of an object-control verb `v` is the infinitive of: "urged Commerce to blacklist X"."""
    if v.dep_ != "xcomp" or v.head.i == v.i or v.head.lemma_.lower() not in OBJECT_CONTROL:
        return None
    objects = [c for c in v.head.children if c.dep_ in ("dobj", "dative") and c.i < v.i]
    return objects[0] if objects else None


def _own_subjects(tok: Token) -> set[int]:
    """The subjects of the verb an object pronoun belongs to and of the verbs coordinated with it
    (none for 'its' or a subject 'it')."""
    if tok.dep_ not in ("dobj", "dative", "pobj") or tok.lower_ not in ("it", "them"):
        return set()
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    verbs = [verb, *verb.conjuncts]
    return {c.i for v in verbs for c in v.children if c.dep_ in _SUBJECT_DEPS}


def _first_conjunct(tok: Token) -> Token:
    """The first of "A, B and C" from any of them: a relative clause after C is about all three."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _dedupe(items: list[Resolved]) -> list[Resolved]:
    seen: dict[int, Resolved] = {}
    for item in items:
        seen.setdefault(item.mention.start, item)
    return list(seen.values())


def _may_be(
    arg: Resolved, types: frozenset[NodeType], country: str | None, name_word: str | None, country_known: bool
) -> bool:
    """Whether a mention may be the salient actor sought: a name of these types, of that country,
    whose name has that word."""
    ent = arg.entity
    if arg.mention.kind != "name" or ent.type not in types:
        return False
    if country and (ent.country or country_known) and ent.country != country:
        return False
    return not name_word or name_word in name_key(ent.name).split()


def _standout(scores: Mapping[str, float], best_arg: Mapping[str, Resolved]) -> Resolved | None:
    """The top-scoring actor, unless the runner-up is within SALIENCE_MARGIN."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < SALIENCE_MARGIN:
        return None
    return best_arg[ranked[0][0]]


_CLIMB = frozenset({"xcomp", "ccomp", "acl", "advcl", "dobj", "pobj", "prep", "relcl", "attr", "pcomp"})
"""Dependencies through which a governing word's negation or hedge reaches the trigger below it.

Not subjects, compounds or conjuncts: "Microsoft, an OpenAI investor, declined to comment" does not
negate the investment, and "did not block X but restricted Y" does not negate the restriction.
"""


def chain(tok: Token, hops: int = 4) -> list[Token]:
    """`tok` and the heads above it that govern it as a complement, object or modifier clause."""
    out = [tok]
    while len(out) <= hops and out[-1].dep_ in _CLIMB and out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


PREP_HEADS = ("prep", "dative", "agent")
"""The labels a preposition hangs on its word by: "sales to X" (prep), "sold to X" (often dative),
"backed by X" (agent)."""


def prep_objects(
    tok: Token,
    preps: Collection[str] | None,
    deps: Collection[str] = ("pobj",),
    heads: Collection[str] = PREP_HEADS,
) -> list[Token]:
    """The objects of the word's prepositions among `preps` (of every one when None): "sales to X"
    -> X. `deps=("pcomp",)` gives the gerunds instead ("kept from selling"); `heads` narrows the labels
    a preposition may carry."""
    return [
        p
        for c in tok.children
        if c.dep_ in heads and (preps is None or c.lower_ in preps)
        for p in c.children
        if p.dep_ in deps
    ]


def negated(tok: Token, above: Token | None = None) -> bool:
    """The trigger, or a verb governing it, is negated: "did not block", "denied plans to ban", "no
    longer requires". `above` is the verb a noun or adverb trigger hangs on ("the grant was never paid")."""
    return any(_negated_at(word) for word in (tok, above) if word is not None)


def _negated_at(word: Token) -> bool:
    for i, t in enumerate(chain(word, 3)):
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or _negator(c) for c in t.children):
            return True
        if i > 0 and t.pos_ == "VERB" and t.lemma_.lower() in NEGATING_VERBS:
            return True
    # "no longer requires", "not yet approved": an adverb that is itself negated
    return any(c.dep_ == "advmod" and any(g.lower_ in NEGATORS for g in c.children) for c in word.children)


def _negator(word: Token) -> bool:
    """A negating word, not "without" opening a clause of its own ("withdrew X, without naming Y")."""
    return word.lower_ in NEGATORS and not (
        word.lower_ == "without" and any(c.dep_ == "pcomp" for c in word.children)
    )


def hedged(tok: Token) -> bool:
    """Speculation: a modal, a hedging adverb, or a planning/considering verb above the trigger.

    A plan that was approved, notified, adopted or signed ("the Commission approved a plan to fund
    X") is a decision, not speculation: the hedge stops at it.
    """
    for i, t in enumerate(chain(tok, 4)):
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in HEDGE_MODALS:
                return True
            if c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS:
                return True
        if i > 0 and t.lemma_.lower() in HEDGE_HEADS:
            return not _enacted(t)
    return False


def _enacted(noun: Token) -> bool:
    """A plan or proposal noun that a factual verb acted on: "notified the plan", "approved the plan"."""
    gov = noun.head
    return (
        noun.pos_ == "NOUN"
        and noun.dep_ in ("dobj", "nsubjpass")
        and gov.lemma_.lower() in ENACTING_VERBS
        and not hedged(gov)
    )


def found(
    sent: Sentence,
    sources: Iterable[Resolved],
    rel: RelType,
    targets: Sequence[Resolved],
    pattern: str,
    confidence: float,
    *,
    trigger: Token,
    hedge: bool | None = None,
    policy: str | None = None,
) -> Iterator[Found]:
    """Every (source, target) pair as a `Found`, skipping self-loops; hedged as `hedge` says, or as
    the words above the trigger say when it is None (`hedged`)."""
    is_hedged = hedged(trigger) if hedge is None else hedge
    span = (trigger.idx, trigger.idx + len(trigger.text))
    for s in sources:
        for t in targets:
            if s.entity.id != t.entity.id:
                yield Found(
                    s.entity, rel, t.entity, pattern, confidence, sent.span, is_hedged, None, policy, span
                )
