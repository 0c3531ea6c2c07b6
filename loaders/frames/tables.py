"""The relation tables as typed data: word classes, and frames that say where a trigger's actors are.

A frame reads: when a word of these lemmas (or of this word class) appears with this part of speech,
and these named checks hold, the source is the first role that names an actor and the targets are
the first target role that names any. Roles and checks are names looked up in `loaders.frames.roles`
and `loaders.frames.checks`; the tables are validated against those names when they load, so a typo
fails at start-up with the file and the frame id, never silently.

Every frame carries its own invented examples, positive and negative; `tests/loaders/test_frames.py`
runs each one through the real pipeline.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.errors import AigeoError
from graph.schema import NodeType, RelType

if TYPE_CHECKING:
    from spacy.tokens import Token

Pos = Literal["VERB", "AUX", "NOUN", "ADJ", "PROPN", "ADV", "PART", "ADP", "CCONJ", "NUM"]
TABLES = ("backs", "restricts", "competes", "based_in", "partners", "affiliation")
"""Frame files under `loaders/frames/tables/`, one per relation family."""


class TableError(AigeoError):
    """A relation table is malformed: names the file, the frame and what is wrong."""


class Trigger(BaseModel):
    """The word that starts a frame: lemmas and/or word classes from the lexicon, with parts of speech."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    lemmas: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    pos: tuple[Pos, ...] = ("VERB",)
    named: bool = False
    """The first word of a named company or organisation starts the frame ("China's Huawei",
    "Saudi Aramco"): what is read is written around the name, not on a word of its own."""
    suffixes: tuple[str, ...] = ()
    """Endings glued into one word with what comes before it ("Inc.-backed", "(9988.HK)-backed"):
    the tokenizer kept the name and the participle together, so no lemma names the trigger."""


class Example(BaseModel):
    """An invented sentence and the triples the frame must read from it (none for a negative)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    expect: tuple[tuple[str, str, str], ...] = ()
    """(source name, RELATION, target name), names as the registry spells them."""


class Frame(BaseModel):
    """One construction: its trigger, required checks, where the source and targets are, what it yields."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    says: str = Field(description="The construction in words, with an invented instance.")
    relation: RelType
    trigger: Trigger
    requires: tuple[str, ...] = ()
    """Named checks (`loaders.frames.checks`), each `[!][anchor.]name[:argument]`; all must hold (an
    anchored check holds when the check holds for one of the words the anchor finds; `!` asks that
    the check does not hold)."""
    source: tuple[str, ...]
    target: tuple[str, ...]
    policy: str | None = None
    """The kind of measure the frame reads ("export controls", "state aid"; `auto` names it from the
    words around the trigger, `arguments` from the verb's own object, subject and phrases), which
    makes a Policy: for RESTRICTS, and for BACKS by a government."""
    source_types: tuple[NodeType, ...] = ()
    """When set, only actors of these types can be sources."""
    target_types: tuple[NodeType, ...] = ()
    """When set, only actors of these types can be targets ("invest in" a firm, not in a country)."""
    demonyms: bool = False
    """Whether a demonym ("Chinese", "US") may stand for its state as source or target."""
    confidence: float = Field(default=0.75, ge=0.0, le=1.0)
    hedge_words: str | None = None
    """A word class whose words, written on the trigger, mark the reading hedged ("a proposed
    acquisition"): the deal is weighed, not done."""
    attribute: bool = False
    """The frame reads a standing attribute written on a name ("Chinese AI startup X"), which the
    clause around it neither negates, hedges nor places in the past."""
    refusal: bool = False
    """The frame reads a refusal written as a negated verb ("Acme cannot sell to X under US rules",
    "will not allow goods to reach X"): its trigger must be negated where it stands."""
    examples: tuple[Example, ...] = Field(min_length=2)

    @field_validator("examples")
    @classmethod
    def _one_of_each(cls, v: tuple[Example, ...]) -> tuple[Example, ...]:
        if not any(e.expect for e in v) or all(e.expect for e in v):
            raise ValueError("a frame needs at least one positive and one negative example")
        return v


class Lexicon(BaseModel):
    """Word classes shared by the frames and the checks: name -> lemmas."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    classes: dict[str, frozenset[str]]

    def words(self, name: str) -> frozenset[str]:
        """The lemmas of a class; an unknown class is a table error."""
        try:
            return self.classes[name]
        except KeyError:
            raise TableError(f"lexicon.yaml: no word class {name!r}") from None


class _StrictLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type stubs
    """YAML that refuses a key given twice in one mapping (plain YAML keeps the last silently)."""


def _no_duplicates(
    loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[object, object]:
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    twice = sorted({str(k) for k in keys if keys.count(k) > 1})
    if twice:
        raise yaml.constructor.ConstructorError(
            None, None, f"key given twice: {', '.join(twice)}", node.start_mark
        )
    mapping: dict[object, object] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _read(name: str) -> object:
    path = resources.files("loaders.frames").joinpath("tables", f"{name}.yaml")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
    except yaml.YAMLError as e:
        raise TableError(f"{name}.yaml: not valid YAML: {e}") from e


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon (`tables/lexicon.yaml`)."""
    try:
        return Lexicon.model_validate(_read("lexicon"))
    except ValidationError as e:
        raise TableError(f"lexicon.yaml: {e}") from e


def in_class(tok: Token, cls: str) -> bool:
    """The word (its lemma or its form) is of the lexicon class."""
    words = lexicon().words(cls)
    return tok.lemma_.lower() in words or tok.lower_ in words


@cache
def frames() -> tuple[Frame, ...]:
    """Every shipped frame, in table order, with its word classes and role names checked."""
    out: list[Frame] = []
    for table in TABLES:
        rows = _read(table)
        if not isinstance(rows, list):
            raise TableError(f"{table}.yaml: expected a list of frames")
        for n, row in enumerate(rows):
            try:
                frame = Frame.model_validate(row)
            except ValidationError as e:
                ident = row.get("id", f"#{n}") if isinstance(row, dict) else f"#{n}"
                raise TableError(f"{table}.yaml, frame {ident}: {e}") from e
            problem = _unknown_names(frame)
            if problem:
                raise TableError(f"{table}.yaml, frame {frame.id}: {problem}")
            out.append(frame)
    ids = [f.id for f in out]
    if len(set(ids)) != len(ids):
        raise TableError(f"duplicate frame ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return tuple(out)


def _unknown_names(frame: Frame) -> str | None:
    from loaders.frames import checks, roles

    for cls in (*frame.trigger.classes, *([frame.hedge_words] if frame.hedge_words else [])):
        lexicon().words(cls)
    for role in (*frame.source, *frame.target):
        if not roles.known(role):
            return f"unknown role {role!r}"
    for check in frame.requires:
        if not checks.known(check):
            return f"unknown check {check!r}"
    trigger = frame.trigger
    if not trigger.lemmas and not trigger.classes and not trigger.named and not trigger.suffixes:
        return "a trigger needs lemmas, classes, named or suffixes"
    return None
