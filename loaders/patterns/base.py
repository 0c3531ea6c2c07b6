"""What every relation pattern works on: a parsed sentence with its resolved mentions, and helpers.

A pattern reads one sentence and returns `Found` relations with their direction already decided.
The helpers walk spaCy's dependency parse: the actors a noun phrase names (through conjunctions,
appositions and "such as" lists), a verb's subjects (through control verbs and relative clauses),
and whether a trigger is negated or hedged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from graph.names import name_key
from graph.schema import NodeType, RelType
from loaders.places import Places
from loaders.resolve import EntityRef, Resolved

ACTOR_TYPES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION, NodeType.PERSON})
FIRM_TYPES = frozenset({NodeType.COMPANY, NodeType.ORGANIZATION})

NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
NEGATING_VERBS = frozenset("deny refuse decline fail reject dismiss avoid halt scrap".split())
"""Verbs that negate what they govern: "declined to invest", "denied plans to ban"."""
HEDGE_MODALS = frozenset({"may", "might", "could"})
ENACTING_VERBS = frozenset(
    "approve notify adopt sign pass enact finalize finalise clear authorize authorise".split()
)
"""Verbs that turn a plan into a decision: "approved the plan to fund X" is no hedge."""
HEDGE_ADVERBS = frozenset(
    {"reportedly", "potentially", "possibly", "perhaps", "allegedly", "likely", "maybe", "purportedly"}
)
HEDGE_HEADS = frozenset(
    {
        "plan",
        "consider",
        "weigh",
        "mull",
        "explore",
        "propose",
        "threaten",
        "discuss",
        "negotiate",
        "intend",
        "aim",
        "hope",
        "want",
        "seek",
        "expect",
        "rumor",
        "rumour",
        "speculate",
        "suggest",
        "eye",
        "contemplate",
        "study",
        "talk",
        "urge",
        "ask",
        "press",
        "pressure",
        "lobby",
        "call",
        "demand",
        "prepare",
        "draft",
    }
)
INTENT_NOUNS = frozenset(
    {
        "plan",
        "decision",
        "move",
        "effort",
        "attempt",
        "bid",
        "push",
        "intention",
        "step",
        "pledge",
        "commitment",
        "campaign",
        "strategy",
        "threat",
        "proposal",
        "way",
    }
)
LIST_PREPS = frozenset({"like", "including", "include", "as", "among"})
PRONOUNS = frozenset({"it", "its", "they", "their", "them", "itself"})


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
        self._by_token: dict[int, Resolved] = {}
        for arg in self.args:
            for i in range(arg.mention.start, arg.mention.end):
                self._by_token[i] = arg

    def at(self, tok: Token) -> Resolved | None:
        """The mention covering a token, if any."""
        return self._by_token.get(tok.i)

    def mentions_in(self, tokens: Iterable[Token]) -> list[Resolved]:
        """Distinct mentions covering any of the tokens, in text order."""
        seen: dict[int, Resolved] = {}
        for tok in tokens:
            arg = self.at(tok)
            if arg is not None:
                seen.setdefault(arg.mention.start, arg)
        return [seen[k] for k in sorted(seen)]

    def args_of(self, tok: Token, *, through_nouns: bool = True, depth: int = 0) -> list[Resolved]:
        """The actors a noun phrase headed by `tok` names, with its conjuncts and listed members.

        "Alibaba and Tencent" -> both; "Chinese firms such as Baidu" -> Baidu (not China: the
        demonym modifies the group, it is not a member); "tech giant Google" -> Google.
        """
        if depth > 4:
            return []
        out: list[Resolved] = []
        arg = self.at(tok)
        if arg is not None:
            out.append(arg)
        elif tok.lemma_.lower() in GOV_NOUNS and not any(
            c.dep_ == "prep" and _is_list_prep(c) for c in tok.children
        ):
            # "hostile states like Iran" names its list, not a state: the noun branch reads it
            out.extend(self.state_of_noun(tok))
        elif (
            tok.dep_ == "appos"
            and tok.lemma_.lower() in FIRM_ANAPHORS
            and self.at(tok.head) is not None
            and depth < 3
        ):
            # "MGX, an investment firm backed by X": the firm is MGX
            out.extend(self.args_of(tok.head, through_nouns=False, depth=depth + 1))
        elif through_nouns and tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            for child in tok.children:
                if child.dep_ == "appos" or (
                    child.dep_ == "compound"
                    and self.at(child) is not None
                    and child.i == tok.i - 1
                    and tok.pos_ == "PROPN"
                ):
                    out.extend(self.args_of(child, depth=depth + 1))
                elif child.dep_ == "prep" and _is_list_prep(child):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            out.extend(self.args_of(pobj, depth=depth + 1))
        if tok.dep_ != "conj":
            for conj in _conjuncts(tok):
                out.extend(self.args_of(conj, through_nouns=through_nouns, depth=depth + 1))
        if not out and through_nouns and _is_group_anaphor(tok):
            out.extend(self.group_antecedent())
        if not out and through_nouns and tok.pos_ == "NOUN":
            out.extend(self.definite(tok))
        if not out and tok.lower_ in ("it", "they", "them"):
            out.extend(self.pronoun(tok))
        if len(out) == 1 and depth == 0:
            out = self.surface_list(out[0]) or out
        if depth == 0 and len(out) > 1:
            heads = [a for a in out if not self.is_modifier_of_firm(a)]
            out = heads or out
        return _dedupe(out)

    def surface_list(self, arg: Resolved) -> list[Resolved]:
        """Members of a flat list "including A, B and C" that holds `arg`, read off the words.

        The small model often breaks such lists when tickers or legal suffixes sit inside them;
        the words still show the list. Only lists opened by "including", "like", "such as" or
        "among them" count, and a member modified by "X-backed" is the member, not X. Returns []
        when `arg` is in no such list.
        """
        doc = self.span.doc
        lo, hi = self.span.start, self.span.end
        members = [arg]
        start = self._element_start(arg)
        while True:
            j = self._skip_separators(start - 1, -1)
            if j is None:
                break
            prev = self.at(doc[j])
            if prev is None or prev.mention.end - 1 != j:
                break
            members.insert(0, prev)
            start = self._element_start(prev)
        if not _opens_list(doc, start, lo):
            return []
        end = arg.mention.end
        while end < hi:
            j = self._skip_separators(end, +1)
            if j is None:
                break
            nxt = self._element_at(j)
            if nxt is None:
                break
            members.append(nxt)
            end = nxt.mention.end
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
            suspended = doc[j].text in ("-", "–")
            if suspended:
                j -= 1
            other = self.at(doc[j]) if j >= self.span.start else None
            if other is None or other.mention.end - 1 != j or other.mention.kind != "name":
                break
            if not suspended and (other.entity.type is not NodeType.COMPANY or self._in_opened_list(other)):
                break
            out.insert(0, other)
            i = other.mention.start - 1
        return out

    def _in_opened_list(self, arg: Resolved) -> bool:
        doc = self.span.doc
        start = arg.mention.start
        while True:
            j = self._skip_separators(start - 1, -1)
            prev = self.at(doc[j]) if j is not None else None
            if prev is None or prev.mention.end - 1 != j:
                break
            start = prev.mention.start
        return _opens_list(doc, start, self.span.start)

    def is_modifier_of_firm(self, arg: Resolved) -> bool:
        """Whether a name only modifies a firm named after it ("Tencent" in "Tencent-backed Zhipu")."""
        doc = self.span.doc
        end = arg.mention.end
        if (
            end + 1 < self.span.end
            and doc[end].text in ("-", "–")
            and doc[end + 1].lower_ in _PARTICIPLE_MODIFIERS
        ):
            return True
        j = self._skip_separators(end, +1)
        if j is None:
            return False
        nxt = self.at(doc[j])
        return (
            nxt is not None
            and self.is_modifier_of_firm(nxt)
            and any(m.mention.start == arg.mention.start for m in self.shared_modifiers(nxt))
        )

    def _element_start(self, arg: Resolved) -> int:
        """Where a list element starts, counting an "X-backed" modifier as part of it."""
        doc = self.span.doc
        start = arg.mention.start
        while start - 3 >= self.span.start and doc[start - 2].text in ("-", "–"):
            if doc[start - 1].lower_ not in _PARTICIPLE_MODIFIERS:
                break
            mod = self.at(doc[start - 3])
            if mod is None:
                break
            start = mod.mention.start
        return start

    def _element_at(self, i: int) -> Resolved | None:
        """The member whose element starts at token i ("Tencent-backed Zhipu" -> Zhipu)."""
        doc = self.span.doc
        arg = self.at(doc[i])
        while arg is not None:
            after = arg.mention.end
            if (
                after + 1 < self.span.end
                and doc[after].text in ("-", "–")
                and (doc[after + 1].lower_ in _PARTICIPLE_MODIFIERS)
            ):
                arg = self.at(doc[after + 2]) if after + 2 < self.span.end else None
                continue
            return arg
        return None

    def _skip_separators(self, i: int, step: int) -> int | None:
        """From token i, step over ",", "and", "or" (at least one); the next token's index, or None."""
        doc = self.span.doc
        moved = False
        while self.span.start <= i < self.span.end and doc[i].lower_ in (",", "and", "or", "&"):
            i += step
            moved = True
        return i if moved and self.span.start <= i < self.span.end else None

    def group_antecedent(self) -> list[Resolved]:
        """'These companies' -> the last list of two or more named firms in the sentences just before."""
        for prev in reversed(self.previous[-2:]):
            doc = prev.span.doc
            best: list[Resolved] = []
            for arg in prev.args:
                if arg.mention.kind != "name" or arg.entity.type not in FIRM_TYPES:
                    continue
                root = doc[arg.mention.start : arg.mention.end].root
                group = [a for a in prev.args_of(root) if a.entity.type in FIRM_TYPES]
                if len({a.entity.id for a in group}) >= 2 and len(group) > len(best):
                    best = group
            if best:
                return best
        return []

    def subjects(self, verb: Token) -> list[Resolved]:
        """The actors doing what `verb` says, climbing control verbs, conjoined verbs and relatives."""
        v = verb
        for _ in range(5):
            subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if subs:
                out: list[Resolved] = []
                for s in subs:
                    if s.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
                        out.extend(self.args_of(_first_conjunct(v.head)))
                    elif s.lower_ in PRONOUNS:
                        out.extend(self.pronoun(s))
                    else:
                        out.extend(self.args_of(s))
                return _dedupe(out)
            if v.dep_ == "pcomp":
                # "led to the US imposing restrictions": the gerund's subject is the noun before it;
                # "retaliated by banning X": without one, it is the subject of the verb the "by" is on.
                owners = [c for c in v.head.children if c.dep_ == "pobj" and c.i < v.i]
                if owners:
                    return self.args_of(owners[0])
                if v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
                    v = v.head.head
                    continue
                return []
            if v.dep_ == "xcomp" and v.head.i != v.i and v.head.lemma_.lower() in OBJECT_CONTROL:
                # Object control: "urged the Commerce Department to blacklist X" -> the department.
                objects = [c for c in v.head.children if c.dep_ in ("dobj", "dative") and c.i < v.i]
                if objects:
                    return self.args_of(objects[0])
            if v.dep_ in ("xcomp", "conj", "advcl") and v.head.i != v.i:
                v = v.head
                continue
            if v.dep_ in ("acl", "relcl") and v.head.i != v.i:
                head = v.head
                if head.pos_ == "NOUN" and head.lemma_.lower() in INTENT_NOUNS:
                    # "Washington's efforts to ...", and "the US efforts to ..." (a name before it)
                    owners = [c for c in head.children if c.dep_ == "poss"] or [
                        c
                        for c in head.children
                        if c.dep_ in ("compound", "nmod", "amod") and c.i < head.i and self.at(c) is not None
                    ]
                    if owners:
                        return (
                            self.pronoun(owners[0])
                            if owners[0].lower_ in PRONOUNS
                            else self.args_of(owners[0])
                        )
                    if head.head.i != head.i and head.dep_ in ("dobj", "pobj", "attr", "nsubj"):
                        v = head.head if head.dep_ != "pobj" else head.head.head
                        continue
                    return []
                infinitive = any(c.lower_ == "to" and c.dep_ == "aux" for c in v.children)
                if v.dep_ == "relcl" and not infinitive:
                    return self.args_of(head)
                if infinitive:
                    # "offering free tokens to lure X's users": a purpose clause the parser hung on
                    # the object noun; its doer is the subject of the verb governing that noun.
                    noun = head
                    while noun.dep_ == "conj" and noun.head.i != noun.i:
                        noun = noun.head
                    if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
                        v = noun.head
                        continue
            break
        return []

    def state_of_noun(self, tok: Token) -> list[Resolved]:
        """'the Chinese government', 'U.S. officials', 'the Biden administration' -> that state."""
        from dataclasses import replace

        for c in tok.children:
            if c.dep_ not in ("amod", "compound", "poss", "nmod") or c.i > tok.i:
                continue
            arg = self.at(c)
            if arg is None:
                continue
            if arg.entity.type is NodeType.GOVERNMENT:
                return [replace(arg, mention=replace(arg.mention, kind="name"))]
            if arg.entity.type is NodeType.PERSON and arg.entity.country and self.places is not None:
                state = self.places.state(arg.entity.country)
                if state is not None and tok.lemma_.lower() in ("administration", "government"):
                    return [Resolved(arg.mention, state, ())]
        return []

    def surface_subjects(self, tok: Token) -> list[Resolved]:
        """The actor(s) written just before a verb, for when the parse misses its subject.

        Steps left over auxiliaries, modals, adverbs and a relative pronoun, and over one comma
        pair enclosing an apposition ("OpenAI, the ChatGPT maker, said"); "A and B" gives both.
        """
        doc = self.span.doc
        i, steps = tok.i - 1, 0
        while i >= self.span.start and steps < 7:
            t = doc[i]
            arg = self.at(t)
            if arg is not None:
                return self._left_members(arg)
            if t.lower_ in ("it", "they"):
                return self.pronoun(t)
            if t.lemma_.lower() in GOV_NOUNS:
                return self.state_of_noun(t)
            if t.text == ",":
                before = self.at(doc[i - 1]) if i - 1 >= self.span.start else None
                if before is not None:
                    return self._left_members(before)
                k = i - 1
                while k >= self.span.start and i - k < 14 and doc[k].text != ",":
                    if doc[k].pos_ in ("VERB", "AUX") and doc[k].lower_ not in _SUBJECT_SKIP:
                        return []
                    k -= 1
                if k < self.span.start or doc[k].text != ",":
                    return []
                i = k - 1
                continue
            if t.lower_ in _SUBJECT_SKIP or t.tag_ in ("MD", "RB") or t.text in ("-", "–"):
                i -= 1
                steps += 1
                continue
            return []
        return []

    def surface_objects(self, tok: Token, preps: frozenset[str] | None = None) -> list[Resolved]:
        """The actor(s) written just after a verb (after one of `preps`, when given)."""
        doc = self.span.doc
        i, end = tok.i + 1, self.span.end
        while i < end and (doc[i].tag_ in _AMOUNT_TAGS or doc[i].lower_ in _AMOUNT_WORDS) and i - tok.i < 8:
            if preps and doc[i].lower_ in preps:
                break
            i += 1
        if preps:
            if i >= end or doc[i].lower_ not in preps:
                return []
            i += 1
        steps = 0
        while i < end and steps < 3 and self.at(doc[i]) is None:
            if doc[i].tag_ not in ("DT", "JJ", "PRP$") and doc[i].lower_ not in ("fellow", "rival"):
                return []
            i += 1
            steps += 1
        arg = self.at(doc[i]) if i < end else None
        if arg is not None and arg.mention.end + 1 < end and doc[arg.mention.end].tag_ == "POS":
            arg = self.at(doc[arg.mention.end + 1]) or arg  # "with Sweden's Ericsson"
        if arg is None or self.is_modifier(arg):
            return []
        return self._right_members(arg)

    def is_modifier(self, arg: Resolved) -> bool:
        """A name used as a modifier of the noun after it: "the Abu Dhabi firm", "U.S. chips"."""
        doc = self.span.doc
        nxt = arg.mention.end
        if nxt + 1 < self.span.end and doc[nxt].tag_ == "POS" and self.at(doc[nxt + 1]) is not None:
            return True  # "Sweden's Ericsson": the possessor only places the firm
        return nxt < self.span.end and doc[nxt].pos_ in ("NOUN", "ADJ") and self.at(doc[nxt]) is None

    def _left_members(self, arg: Resolved) -> list[Resolved]:
        """`arg` and the names coordinated before it: "A, B and C compete" from C."""
        doc = self.span.doc
        members = [arg]
        start = arg.mention.start
        while True:
            j = self._skip_separators(start - 1, -1)
            if j is None:
                break
            prev = self.at(doc[j])
            if prev is None or prev.mention.end - 1 != j:
                break
            members.insert(0, prev)
            start = prev.mention.start
        return members

    def _right_members(self, arg: Resolved) -> list[Resolved]:
        doc = self.span.doc
        members = [arg]
        end = arg.mention.end
        while end < self.span.end:
            j = self._skip_separators(end, +1)
            if j is None or self.at(doc[j]) is None:
                break
            nxt = self.at(doc[j])
            assert nxt is not None
            if nxt.mention.end + 1 < self.span.end and doc[nxt.mention.end].tag_ == "POS":
                possessed = self.at(doc[nxt.mention.end + 1])  # "and Finland's Nokia"
                nxt = possessed if possessed is not None else nxt
            members.append(nxt)
            end = nxt.mention.end
        return members

    def pronoun(self, tok: Token) -> list[Resolved]:
        """Resolve 'it'/'its'/'their'/'they' cheaply, or not at all.

        Inside a relative clause the pronoun is the clause's antecedent ("Washington and The Hague,
        which coordinated their restrictions"). Otherwise 'it'/'its' is a named subject earlier in
        the sentence, else the firm or state the text is about (`salient`); 'their'/'they' is a
        group named just before. Anything ambiguous resolves to nothing.
        """
        low = tok.lower_
        if low not in PRONOUNS:
            return []
        head = tok
        for _ in range(6):
            if head.dep_ == "xcomp" and head.head.i != head.i and head.head.lemma_.lower() in OBJECT_CONTROL:
                # "ordered X to sell its stake": the infinitive's doer is the object, and so is 'its'
                objects = [c for c in head.head.children if c.dep_ in ("dobj", "dative") and c.i < head.i]
                controller = self.args_of(objects[0]) if objects else []
                if controller:
                    return controller
            if head.dep_ == "relcl":
                if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PRONOUNS for c in head.children):
                    # "a model it pitched as ...", "which it said ...": the clause's own subject is a
                    # pronoun, so the antecedent is what it talks about, not who; read the main clause
                    break
                antecedent = self.args_of(_first_conjunct(head.head))
                return antecedent if antecedent or low not in ("their", "they") else []
            if head.head.i == head.i:
                break
            head = head.head
        if low in ("their", "they", "them"):
            for arg in reversed(self.args):
                if arg.mention.end <= tok.i and self._is_subject(arg) and arg.mention.kind == "name":
                    group = self.args_of(self.span.doc[arg.mention.start : arg.mention.end].root)
                    return group if len(group) >= 2 else []
            return self.group_antecedent()
        # the nearest subject before the pronoun: a named actor or "the US government"
        for i in range(tok.i - 1, self.span.start - 1, -1):
            c = self.span.doc[i]
            if c.dep_ not in ("nsubj", "nsubjpass") or c.lower_ in PRONOUNS:
                continue
            subject = self.at(c)
            if subject is not None:
                if subject.mention.kind == "name" and subject.entity.type in ANAPHOR_TYPES:
                    return [subject]
                break
            if c.lemma_.lower() in GOV_NOUNS:
                state = self.state_of_noun(c)
                if state:
                    return state
            if c.lemma_.lower() in MEASURE_NOUNS and low == "it":
                return []  # "the order states it will ban ...": 'it' is the measure, no actor
        found = self.salient(ANAPHOR_TYPES)
        return [found] if found is not None else []

    def salient(
        self,
        types: frozenset[NodeType],
        country: str | None = None,
        name_word: str | None = None,
        noun: str | None = None,
        country_known: bool = False,
    ) -> Resolved | None:
        """The actor of these types the text is about just before this sentence, if one stands out.

        Score: mentions so far in the document, +MAIN_SUBJECT_WEIGHT when it is the main-clause
        subject of the sentence just before (else +3 when it is a grammatical subject in one of the
        two sentences before), +1 when the sentence just before names it. Only actors named in those
        two sentences compete; a tie resolves to nothing.
        """
        recent = self.previous[-2:]
        if not recent:
            return None
        start = self.span.start
        counts: dict[str, int] = {}
        for arg in self.context:
            if arg.mention.start < start:
                counts[arg.entity.id] = counts.get(arg.entity.id, 0) + 1
        scores: dict[str, float] = {}
        best_arg: dict[str, Resolved] = {}
        for n, prev in enumerate(recent):
            last = n == len(recent) - 1
            for arg in prev.args:
                ent = arg.entity
                if arg.mention.kind != "name" or ent.type not in types:
                    continue
                if country and (ent.country or country_known) and ent.country != country:
                    continue
                if name_word and name_word not in name_key(ent.name).split():
                    continue
                score = scores.get(ent.id, float(counts.get(ent.id, 0)))
                if last and prev._is_main_subject(arg):
                    # who the sentence just before was about outweighs how often others were named
                    score += MAIN_SUBJECT_WEIGHT
                elif prev._is_subject(arg):
                    score += 3
                if last:
                    score += 1
                if noun and prev.described_as(arg, noun):
                    score += 4
                scores[ent.id] = score
                best_arg[ent.id] = arg
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < SALIENCE_MARGIN:
            return None
        return best_arg[ranked[0][0]]

    def described_as(self, arg: Resolved, noun: str) -> bool:
        """Whether the sentence calls the actor a `noun`: "X, an AI company", "startup X"."""
        doc = self.span.doc
        before = arg.mention.start - 1
        if before >= self.span.start and doc[before].lemma_.lower() == noun:
            return True
        end = arg.mention.end
        if end + 1 >= self.span.end or doc[end].text != ",":
            return False
        for i in range(end + 1, min(end + 8, self.span.end)):
            if doc[i].lemma_.lower() == noun:
                return True
            if doc[i].text in (",", ";") or doc[i].pos_ in ("VERB", "AUX"):
                return False
        return False

    def definite(self, tok: Token) -> list[Resolved]:
        """'the company', 'the startup', 'the Chinese chipmaker', 'the department' -> the actor meant.

        Only singular nouns with "the"/"this"; a demonym or place on the noun must agree with the
        candidate's country; agency nouns pick an agency whose name has that word.
        """
        lemma = tok.lemma_.lower()
        if tok.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
            return []
        country = None
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i:
                mod = self.at(c)
                if mod is not None and mod.entity.type is NodeType.GOVERNMENT:
                    country = mod.entity.country
                elif mod is not None:
                    return []  # "the Alibaba unit" names another actor
        # "the Hangzhou startup", "the Shenzhen-based group": a place on the noun must be the firm's
        # known country, else the description names someone the text has not named.
        placed = country is None and self._place_country(tok)
        if placed:
            country = placed
        if lemma in AGENCY_NOUNS:
            found = self.salient(frozenset({NodeType.GOVERNMENT}), country, name_word=lemma)
        elif lemma in FIRM_ANAPHORS:
            found = self.salient(
                frozenset({NodeType.COMPANY}), country, noun=lemma, country_known=bool(placed)
            )
        elif lemma in PRODUCT_ANAPHORS and _under(tok, MEASURE_VERBS):
            # "banned the app": the product stands for the firm that makes it
            found = self.salient(frozenset({NodeType.COMPANY}), country)
        else:
            return []
        return [found] if found is not None else []

    def _place_country(self, tok: Token) -> str | None:
        """The country of a city or region modifying a noun ("Hangzhou startup", "Shenzhen-based group")."""
        if self.places is None:
            return None
        for c in tok.children:
            if c.i >= tok.i or c.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
                continue
            words = [c]
            if c.lower_ in ("based", "headquartered"):
                words = [w for w in c.lefts if w.text != "-"]
            for w in words:
                if w.is_title or w.is_upper:
                    state = self.places.state_of(w.text)
                    if state is not None and state.country:
                        return state.country
        return None

    def _is_subject(self, arg: Resolved) -> bool:
        doc = self.span.doc
        root = doc[arg.mention.start : arg.mention.end].root
        if root.dep_ in ("nsubj", "nsubjpass"):
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

    def _is_main_subject(self, arg: Resolved) -> bool:
        """Whether the actor is the subject of the sentence's main verb (or a verb joined to it)."""
        if not self._is_subject(arg):
            return False
        verb = self.span.doc[arg.mention.start : arg.mention.end].root.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT"


Pattern = Callable[[Sentence], Iterator[Found]]


_SUBJECT_SKIP = frozenset(
    """is are was were be been being has have had will would could can may might should shall must did
    does do also now already recently reportedly still directly increasingly quickly further then just
    to who which that co jointly both later since previously once first again soon""".split()
)
"""Words that may stand between a subject and its verb: auxiliaries, adverbs, relative pronouns."""
_AMOUNT_WORDS = frozenset(
    """$ up to as much more than about around nearly almost over some an a additional further
    billion million bn m another roughly least at""".split()
)
"""Words of an amount between a verb and its preposition: "invest up to $4 billion in X"."""
_AMOUNT_TAGS = frozenset({"RB", "RP", "CD", "$"})
GOV_NOUNS = frozenset(
    {
        "government",
        "administration",
        "authority",
        "authorities",
        "regulator",
        "official",
        "lawmaker",
        "state",
        "congress",
        "leadership",
        "regime",
        "ministry",
        "cabinet",
    }
)
"""Nouns that, modified by a country, demonym or leader, stand for that state ("the Chinese government")."""
_PARTICIPLE_MODIFIERS = frozenset({"backed", "funded", "owned", "based", "led", "controlled", "supported"})


def _opens_list(doc: Doc, start: int, lo: int) -> bool:
    """Whether the words before token `start` open a list: "including", "like", "such as"."""
    i = start - 1
    if i < lo:
        return False
    if doc[i].lower_ in ("including", "like", "notably", "namely"):
        return True
    if doc[i].lower_ == "as" and i - 1 >= lo and doc[i - 1].lower_ == "such":
        return True
    return doc[i].lower_ == "them" and i - 1 >= lo and doc[i - 1].lower_ == "among"


OBJECT_CONTROL = frozenset(
    """urge ask order tell force persuade push pressure encourage allow require invite compel instruct
    direct lobby press call expect permit authorize authorise""".split()
)
"""Verbs whose object does what their infinitive says: "urged Commerce to blacklist X"."""
MAIN_SUBJECT_WEIGHT = 100
"""Salience bonus of the main-clause subject of the sentence just before: more than any count."""
SALIENCE_MARGIN = 2
"""How far ahead of the runner-up the salient actor must score; closer calls resolve to nothing."""
ANAPHOR_TYPES = frozenset({NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.ORGANIZATION})
FIRM_ANAPHORS = frozenset(
    """company startup start-up firm group giant maker chipmaker developer lab designer foundry business
    unicorn operator provider supplier manufacturer conglomerate fund investor platform""".split()
)
"""Nouns that, as "the <noun>", point back to a firm named before."""
PRODUCT_ANAPHORS = frozenset({"app", "chatbot", "assistant"})
MEASURE_NOUNS = frozenset("order rule law regulation ban measure decree directive guidance".split())
"""Nouns for a measure: a pronoun whose nearest subject is one of them speaks of the measure."""
MEASURE_VERBS = frozenset("ban block bar suspend remove restrict prohibit delete pull limit order".split())
"""Verbs under which "the app" names its maker as the one restricted."""


def _under(tok: Token, verbs: frozenset[str], hops: int = 3) -> bool:
    cur = tok
    for _ in range(hops):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur.lemma_.lower() in verbs
    return False


"""Products whose "the <noun>" stands for their maker when a measure targets them."""
AGENCY_NOUNS = frozenset({"department", "ministry", "bureau", "agency", "commission", "administration"})
"""Nouns that, as "the <noun>", point back to a government body named before with that word."""
GROUP_NOUNS = frozenset(
    {"company", "firm", "startup", "player", "rival", "giant", "group", "developer", "lab"}
)


def _is_group_anaphor(tok: Token) -> bool:
    """'these companies', 'those firms', 'the startups': a plural firm noun pointing back."""
    if tok.lemma_.lower() not in GROUP_NOUNS or tok.tag_ != "NNS":
        return False
    return any(c.dep_ == "det" and c.lower_ in ("these", "those", "both") for c in tok.children)


def _first_conjunct(tok: Token) -> Token:
    """The first of "A, B and C" from any of them: a relative clause after C is about all three."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _is_list_prep(tok: Token) -> bool:
    if tok.lower_ in ("like", "including"):
        return True
    if tok.lower_ == "as":
        return any(c.lower_ == "such" for c in tok.children) or tok.nbor(-1).lower_ == "such"
    return False


def _conjuncts(tok: Token) -> list[Token]:
    return [c for c in tok.conjuncts if c.i > tok.i]


def _dedupe(items: list[Resolved]) -> list[Resolved]:
    seen: dict[int, Resolved] = {}
    for item in items:
        seen.setdefault(item.mention.start, item)
    return list(seen.values())


_CLIMB = frozenset({"xcomp", "ccomp", "acl", "advcl", "dobj", "pobj", "prep", "relcl", "attr", "pcomp"})
"""Dependencies through which a governing word's negation or hedge reaches the trigger below it.

Not subjects, compounds or conjuncts: "Microsoft, an OpenAI investor, declined to comment" does not
negate the investment, and "did not block X but restricted Y" does not negate the restriction.
"""


def chain(tok: Token, hops: int = 4) -> list[Token]:
    """`tok` and the heads above it that govern it as a complement, object or modifier clause."""
    out = [tok]
    cur = tok
    for _ in range(hops):
        if cur.head.i == cur.i or cur.dep_ not in _CLIMB:
            break
        cur = cur.head
        out.append(cur)
    return out


def negated(tok: Token) -> bool:
    """The trigger, or a verb governing it, is negated ("did not block", "denied plans to ban")."""
    for i, t in enumerate(chain(tok, 3)):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                return True
        if i > 0 and t.pos_ == "VERB" and t.lemma_.lower() in NEGATING_VERBS:
            return True
    return False


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
    targets: Iterable[Resolved],
    pattern: str,
    confidence: float,
    *,
    trigger: Token | None = None,
    hedge: bool | None = None,
    policy: str | None = None,
    source_types: frozenset[NodeType] = ACTOR_TYPES,
    target_types: frozenset[NodeType] = ACTOR_TYPES,
    allow_demonym_source: bool = False,
    allow_demonym_target: bool = False,
) -> Iterator[Found]:
    """Every (source, target) pair as a `Found`, skipping self-loops and demonyms unless allowed."""
    is_hedged = hedge if hedge is not None else (hedged(trigger) if trigger is not None else False)
    span = (trigger.idx, trigger.idx + len(trigger.text)) if trigger is not None else None
    target_list = list(targets)
    for s in sources:
        if s.entity.type not in source_types or (s.mention.kind == "demonym" and not allow_demonym_source):
            continue
        for t in target_list:
            if t.entity.type not in target_types or (
                t.mention.kind == "demonym" and not allow_demonym_target
            ):
                continue
            if s.entity.id == t.entity.id:
                continue
            yield Found(
                s.entity, rel, t.entity, pattern, confidence, sent.span, is_hedged, None, policy, span
            )
