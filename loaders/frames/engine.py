"""The one engine every frame runs through: index triggers by lemma, check, read roles, emit.

Negation, past roles and requests are applied here once (a negated trigger, one marked "former",
or one under "called on X to" reads nothing) and hedging once (`discourse.hedged`:
a modal, a hedging adverb or a planning verb above the trigger marks the relation hedged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from spacy.tokens import Token

from graph.schema import NodeType, RelType
from loaders.discourse import ACTOR_TYPES, Found, Sentence, chain, found, negated
from loaders.frames import checks, restricted, roles
from loaders.frames.tables import Frame, frames, lexicon
from loaders.resolve import Resolved


class Engine:
    """Frames compiled into one lemma index; `find` reads one sentence (`loaders.relations` runs it)."""

    def __init__(self, table: Sequence[Frame]) -> None:
        self.index: dict[str, list[Frame]] = {}
        self.named = [f for f in table if f.trigger.named]
        self.suffixed = [f for f in table if f.trigger.suffixes]
        for frame in table:
            words = set(frame.trigger.lemmas)
            for cls in frame.trigger.classes:
                words |= lexicon().words(cls)
            for word in words:
                self.index.setdefault(word, []).append(frame)

    def find(self, sent: Sentence) -> Iterator[Found]:
        """Every relation a frame reads in the sentence."""
        for tok in sent.span:
            for frame in self.index.get(tok.lemma_.lower(), ()):
                if self._fires(frame, tok):
                    yield from self._read(frame, sent, tok)
            if self.suffixed and "-" in tok.text[1:]:
                for frame in self.suffixed:
                    if _glued_suffix(frame, tok) and self._fires(frame, tok):
                        yield from self._read(frame, sent, tok)
            if self.named and _name_starts(sent, tok):
                for frame in self.named:
                    if all(checks.holds(c, tok) for c in frame.requires):
                        yield from self._read(frame, sent, tok)

    @staticmethod
    def _fires(frame: Frame, tok: Token) -> bool:
        if tok.pos_ not in frame.trigger.pos or not all(checks.holds(c, tok) for c in frame.requires):
            return False
        if frame.refusal:
            return negated(tok) and not _requested(tok)
        return frame.attribute or (not _negated(tok) and not _past(tok) and not _requested(tok))

    @staticmethod
    def _read(frame: Frame, sent: Sentence, tok: Token) -> Iterator[Found]:
        target_role, targets = roles.first(frame.target, sent, tok, _allowed(frame, frame.target_types))
        if not targets:
            return
        source_role, sources = roles.first(frame.source, sent, tok, _allowed(frame, frame.source_types))
        if source_role != target_role and len(sources) > 1 and _same(sources, targets):
            return  # two roles resolved to one group ("these giants ... with these companies")
        if frame.relation is RelType.RESTRICTS:
            targets = restricted.not_own_people(sources, targets)
        yield from found(
            sent,
            sources,
            frame.relation,
            targets,
            f"frame.{frame.id}",
            frame.confidence,
            trigger=tok,
            hedge=False if frame.attribute else _hedge(frame, tok),
            policy=_policy(frame, tok),
        )


def _allowed(frame: Frame, types: tuple[NodeType, ...]) -> Callable[[Resolved], bool]:
    """Which actors a role may yield: the frame's types (any actor by default), demonyms if allowed."""
    kinds = frozenset(types) or ACTOR_TYPES
    return lambda r: r.entity.type in kinds and (frame.demonyms or r.mention.kind != "demonym")


def _name_starts(sent: Sentence, tok: Token) -> bool:
    """The word starts a named company or organisation."""
    arg = sent.at(tok)
    return (
        arg is not None
        and arg.mention.start == tok.i
        and arg.mention.kind == "name"
        and arg.entity.type in (NodeType.COMPANY, NodeType.ORGANIZATION)
    )


def _glued_suffix(frame: Frame, tok: Token) -> bool:
    """The word ends in one of the frame's suffixes, glued to something before it ("Inc.-backed")."""
    low = tok.lower_
    return any(low.endswith(s) and len(low) > len(s) for s in frame.trigger.suffixes)


def _same(a: list[Resolved], b: list[Resolved]) -> bool:
    return {r.entity.id for r in a} == {r.entity.id for r in b}


def _negated(tok: Token) -> bool:
    """Negated where it stands, or through the verb a noun trigger hangs on ("the grant was never paid")."""
    if tok.pos_ in roles.NOUNS:
        return negated(tok, roles.governor(tok))
    # an adverb or adjective trigger is negated through its verb: "did not jointly develop"
    return negated(tok, tok.head if tok.pos_ in ("ADV", "ADJ") and tok.head.i != tok.i else None)


def _past(tok: Token) -> bool:
    """A role that has ended: "formerly owned by", "a former investor in"."""
    past = lexicon().words("past_words")
    return any(c.dep_ in ("advmod", "amod") and c.lower_ in past for c in tok.children)


def _requested(tok: Token) -> bool:
    """Asked for, not done: "called on the department to stop exports to X" restricts nobody."""
    asks = lexicon().words("request_verbs")
    # a particle makes another verb of it: "pushed out a model" releases, it asks nothing
    ahead = lexicon().words("ahead_words")  # "pressing ahead with tariffs" carries them out
    return any(
        t.lemma_.lower() in asks
        and not any(c.dep_ == "prt" and c.lower_ != "on" for c in t.children)
        and not any(c.dep_ == "advmod" and c.lower_ in ahead for c in t.children)
        for t in chain(tok, 4)[1:]
    )


def _hedge(frame: Frame, tok: Token) -> bool | None:
    """A measure that follows from an 'if' clause is hedged ("if no buyer is found, X would be
    barred"), one pressed ahead with is as hedged as its verb; other frames are hedged when a word of
    their `hedge_words` is written on the trigger ("a proposed acquisition"). None leaves the hedge
    to `discourse.hedged` on the trigger."""
    if frame.relation is RelType.RESTRICTS:
        return restricted.hedge(tok)
    words = lexicon().words(frame.hedge_words) if frame.hedge_words else frozenset()
    return True if any(c.dep_ == "amod" and c.lower_ in words for c in tok.children) else None


def _policy(frame: Frame, tok: Token) -> str | None:
    """The measure's kind: the table's, or named from the words (`restricted.kind`).

    RESTRICTS measures and state funding (BACKS by a government: grants, state aid) make Policies.
    """
    if frame.policy is None or frame.relation not in (RelType.RESTRICTS, RelType.BACKS):
        return None
    return restricted.kind(frame.policy, tok)


_ENGINE: Engine | None = None


def find(sent: Sentence) -> Iterator[Found]:
    """Run the shipped frames over a sentence (the engine is built on first use)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine(frames())
    return _ENGINE.find(sent)
