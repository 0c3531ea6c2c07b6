"""The actor registry: the domain's known actors, shipped as data and extendable by users' files.

Extraction reads it to recognise actors however an article spells them (name, alias, ticker,
demonym, capital used for its government) and to give each the stable id that makes one actor one
node. The shipped list lives in `loaders/data/actors.yaml`; users add or override entries by id with
their own YAML (same shape) or CSV files (`id,name,type,aliases,tickers,country`, lists split on "|").

>>> reg = Registry.load()
>>> reg.lookup("Zhipu").id, reg.lookup("BABA").id, reg.demonym("Chinese").id
('company:zhipu-ai', 'company:alibaba', 'government:chn')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph.errors import AigeoError
from graph.model import Entity
from graph.names import name_key
from graph.schema import NodeType

if TYPE_CHECKING:
    from spacy.language import Language

SHIPPED = "actors.yaml"
"""The registry file shipped in `loaders/data`."""

_ID = re.compile(r"^(?P<prefix>[a-z]+):(?P<body>[a-z0-9]+(?:-[a-z0-9]+)*)$")
_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")
_LEADING_ARTICLE = re.compile(r"^the ")
_CSV_LIST_COLUMNS = ("aliases", "tickers", "demonyms", "capitals")
_CSV_REQUIRED = ("id", "name", "type")
_TRUE = {"true", "yes", "1", "y"}
# The shipped file is parsed on every process start: libyaml's safe loader is ~8x faster.
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# EntityRuler labels follow spaCy's English scheme so the rest of the pipeline can treat ruler spans
# and model spans alike; agencies are ORG (as the model labels them), states and unions GPE.
_LABELS: dict[NodeType, str] = {
    NodeType.COMPANY: "ORG",
    NodeType.ORGANIZATION: "ORG",
    NodeType.PERSON: "PERSON",
    NodeType.GOVERNMENT: "GPE",
}
DEMONYM_LABEL = "NORP"


class RegistryError(AigeoError):
    """A registry file cannot be read, or one of its entries is invalid or contradicts another."""

    def __init__(self, source: str, problem: str, entry: str | None = None) -> None:
        self.source = source
        self.entry = entry
        self.problem = problem
        where = f"{source}: {entry}" if entry else source
        super().__init__(f"{where}: {problem}")


def _clean_list(values: Iterable[str]) -> tuple[str, ...]:
    """Strip, drop empties and keep the first of each spelling."""
    seen: dict[str, None] = {}
    for value in values:
        text = value.strip()
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)


class Actor(BaseModel):
    """One known actor: its stable id, canonical name, type and every way the news names it.

    >>> a = Actor(id="company:openai", name="OpenAI", type="Company", aliases=["Open AI"], country="USA")
    >>> a.label, a.surface_forms()
    ('ORG', ('OpenAI', 'Open AI'))
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    type: NodeType
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    ambiguous: bool = False
    """Its name is also an ordinary word ("Apple", "Arm"): match it only as written, capitalised."""

    @field_validator("aliases", "tickers", "demonyms", "capitals", mode="before")
    @classmethod
    def _list_of_strings(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list | tuple):
            for item in value:
                if not isinstance(item, str):
                    # YAML reads 0700 as a number (an octal one, even): tickers must be quoted.
                    raise ValueError(f"{item!r} is not a string; quote it")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not name_key(value):
            raise ValueError("name is empty")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        # Aliases are the other spellings: drop repeats of the name and of each other up to case.
        # Spellings that differ in punctuation ("Character AI", "Character.AI") are kept: they share
        # a lookup key but tokenise differently, so each needs its own EntityRuler pattern.
        seen = {str(info.data.get("name", "")).casefold()}
        aliases = []
        for alias in _clean_list(value):
            if name_key(alias) and alias.casefold() not in seen:
                seen.add(alias.casefold())
                aliases.append(alias)
        return tuple(aliases)

    @field_validator("demonyms", "capitals")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_list(value)

    @field_validator("tickers")
    @classmethod
    def _tickers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        value = _clean_list(value)
        for ticker in value:
            if not _TICKER.match(ticker):
                raise ValueError(f"ticker {ticker!r} must be upper-case letters, digits, '.' or '-'")
        return value

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(f"country {value!r} is not an ISO 3166-1 alpha-3 code")
        code = value.strip().upper()
        if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
            raise ValueError(f"country {value!r} is not an ISO 3166-1 alpha-3 code")
        return code

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        if self.type is NodeType.POLICY:
            raise ValueError("type Policy is not an actor; policies come from the text")
        match = _ID.match(self.id)
        if match is None:
            raise ValueError(f"id {self.id!r} is not '<type>:<slug>' (lower-case letters, digits, dashes)")
        if match["prefix"] != self.type.value.lower():
            raise ValueError(f"id {self.id!r} has prefix {match['prefix']!r} but type is {self.type.value}")
        if self.type is NodeType.GOVERNMENT and self.country is not None:
            code = self.country.lower()
            if match["body"] != code and not match["body"].startswith(code + "-"):
                raise ValueError(
                    f"government id {self.id!r} must be 'government:{code}' or 'government:{code}-<slug>'"
                )
        if self.type is not NodeType.GOVERNMENT and (self.demonyms or self.capitals):
            raise ValueError("only governments have demonyms and capitals")
        if self.parent == self.id:
            raise ValueError("an actor cannot be its own parent")
        return self

    @property
    def is_agency(self) -> bool:
        """A government body below a state (`government:usa-bis`), as opposed to the state itself."""
        return self.type is NodeType.GOVERNMENT and "-" in self.id.partition(":")[2]

    @property
    def label(self) -> str:
        """The spaCy entity label its mentions get."""
        return "ORG" if self.is_agency else _LABELS[self.type]

    def surface_forms(self) -> tuple[str, ...]:
        """Its name then its aliases: the spellings that name it (tickers, demonyms apart)."""
        return (self.name, *self.aliases)

    def to_entity(self) -> Entity:
        """The graph entity this actor becomes (no mentions yet).

        >>> Registry.load().by_id("company:openai").to_entity().type
        <NodeType.COMPANY: 'Company'>
        """
        return Entity(
            id=self.id,
            name=self.name,
            type=self.type,
            aliases=[*self.aliases, *self.tickers],
            country=self.country,
        )


class Registry:
    """Known actors with lookups by id, name, alias, ticker, demonym and capital.

    Build it with `Registry.load()`; the shipped part is parsed once per process.

    >>> reg = Registry.load()
    >>> reg.lookup("Alibaba Group").name, reg.lookup("baba") is None, reg.capital("Washington").name
    ('Alibaba', True, 'United States')
    """

    def __init__(self, actors: Iterable[Actor], origins: Mapping[str, str] | None = None) -> None:
        """Index `actors`; `origins` maps an id to the file it came from, for error messages.

        Raises `RegistryError` when two actors share an id, a name or alias, a ticker, a demonym or a
        capital, or when a parent id is unknown or parents form a cycle.
        """
        self._origins = origins or {}
        self._by_id: dict[str, Actor] = {}
        self._by_key: dict[str, Actor] = {}
        self._by_ticker: dict[str, Actor] = {}
        self._by_demonym: dict[str, Actor] = {}
        self._by_capital: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self._by_id:
                raise self._fail(actor, "duplicate id")
            self._by_id[actor.id] = actor
        for actor in self._by_id.values():
            self._index(actor)
        for actor in self._by_id.values():
            self._check_parents(actor)
        # A ticker that reads as another actor's name would make lookups depend on capitalisation.
        for ticker, actor in self._by_ticker.items():
            other = self._by_key.get(name_key(ticker))
            if other is not None and other.id != actor.id:
                raise self._fail(actor, f"ticker {ticker!r} is also a name of {other.id}")

    def _fail(self, actor: Actor, problem: str) -> RegistryError:
        return RegistryError(self._origins.get(actor.id, "<registry>"), problem, entry=actor.id)

    def _claim(self, index: dict[str, Actor], key: str, actor: Actor, what: str, shown: str) -> None:
        holder = index.setdefault(key, actor)
        if holder.id != actor.id:
            raise self._fail(actor, f"{what} {shown!r} already names {holder.id}")

    def _index(self, actor: Actor) -> None:
        """Index the actor's names, tickers, demonyms and capitals; each may name one actor only."""
        for form in actor.surface_forms():
            self._claim(self._by_key, name_key(form), actor, "name", form)
        for ticker in actor.tickers:
            self._claim(self._by_ticker, ticker, actor, "ticker", ticker)
        for demonym in actor.demonyms:
            self._claim(self._by_demonym, name_key(demonym), actor, "demonym", demonym)
        for capital in actor.capitals:
            self._claim(self._by_capital, name_key(capital), actor, "capital", capital)
        if actor.parent is not None and actor.parent not in self._by_id:
            raise self._fail(actor, f"parent {actor.parent!r} is not a known id")

    def _check_parents(self, actor: Actor) -> None:
        chain = [actor.id]
        parent = actor.parent
        while parent is not None:
            if parent in chain:
                raise self._fail(actor, f"parents form a cycle: {' -> '.join([*chain, parent])}")
            chain.append(parent)
            parent = self._by_id[parent].parent

    @classmethod
    def load(cls, extra_files: Iterable[Path | str] = ()) -> Registry:
        """The shipped registry, with users' YAML or CSV files laid over it in order, by id.

        Raises `RegistryError` naming the file, the entry and the problem.
        """
        extra = [Path(p) for p in extra_files]
        if not extra:
            return _shipped_registry()
        actors: dict[str, Actor] = {a.id: a for a in _shipped_actors()}
        origins = dict.fromkeys(actors, f"loaders/data/{SHIPPED}")
        for path in extra:
            seen: set[str] = set()
            for entry, actor in _read_file(path):
                if actor.id in seen:
                    raise RegistryError(str(path), "duplicate id in this file", entry=entry)
                seen.add(actor.id)
                actors[actor.id] = actor
                origins[actor.id] = str(path)
        return cls(actors.values(), origins)

    @property
    def actors(self) -> tuple[Actor, ...]:
        """Every actor, in file order."""
        return tuple(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._by_id.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def by_id(self, actor_id: str) -> Actor | None:
        """The actor with this id, if known."""
        return self._by_id.get(actor_id)

    def lookup(self, name: str) -> Actor | None:
        """The actor a name, alias or ticker denotes; tickers only as written ("BABA", not "baba").

        A leading "the" is ignored when the name with it is unknown ("the White House").
        """
        ticker = self._by_ticker.get(name.strip())
        if ticker is not None:
            return ticker
        return _get_keyed(self._by_key, name)

    def demonym(self, word: str) -> Actor | None:
        """The government a demonym stands for: "Chinese" -> China."""
        return self._by_demonym.get(name_key(word))

    def capital(self, word: str) -> Actor | None:
        """The government a capital or seat stands for: "Beijing" -> China, "the Kremlin" -> Russia."""
        return _get_keyed(self._by_capital, word)

    def patterns(
        self, nlp: Language | None = None, *, demonyms: bool = True, capitals: bool = True
    ) -> list[dict[str, Any]]:
        """spaCy EntityRuler patterns for every actor, each with the actor's id as `id`.

        Names go in as token patterns made with `nlp`'s tokenizer (a blank English one by default),
        so a multi-word name matches however the pipeline splits it. Tickers, short names and all
        names of `ambiguous` actors match only as written (ORTH), and so do acronym tokens inside
        other names ("US" in "US Commerce Department"); the rest match in any case (LOWER).
        Demonyms (label NORP) and capitals (GPE) carry their government's id.
        Numeric tickers ("9988") are left out: bare numbers are mostly not tickers.

        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> ruler = nlp.add_pipe("entity_ruler")
        >>> ruler.add_patterns(Registry.load().patterns(nlp))
        >>> [(e.text, e.ent_id_) for e in nlp("Tencent-backed Zhipu AI and Beijing").ents]
        [('Tencent', 'company:tencent'), ('Zhipu AI', 'company:zhipu-ai'), ('Beijing', 'government:chn')]
        """
        tokenizer = (nlp if nlp is not None else _blank_english()).tokenizer
        seen: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
        out: list[dict[str, Any]] = []

        def add(actor: Actor, label: str, text: str, exact: bool) -> None:
            tokens = tuple(_token_pattern(t.text, exact) for t in tokenizer(text))
            if not tokens or (label, actor.id, tokens) in seen:
                return
            seen.add((label, actor.id, tokens))
            out.append({"label": label, "pattern": [{attr: value} for attr, value in tokens], "id": actor.id})

        for actor in self._by_id.values():
            for form in actor.surface_forms():
                add(actor, actor.label, form, actor.ambiguous or _is_short(form))
            for ticker in actor.tickers:
                if any(ch.isalpha() for ch in ticker):
                    add(actor, actor.label, ticker, True)
            if demonyms:
                for demonym in actor.demonyms:
                    add(actor, DEMONYM_LABEL, demonym, True)
            if capitals:
                for capital in actor.capitals:
                    add(actor, _LABELS[NodeType.GOVERNMENT], capital, True)
        return out


def _is_short(text: str) -> bool:
    """Very short names ("Xi", "Ma") are too easily ordinary words in another case."""
    return len(text.replace(" ", "")) <= 3


def _token_pattern(token: str, exact: bool) -> tuple[str, str]:
    """One token's (attribute, value): acronyms ("US", "EU", "AI") always as written, so that
    "us" or "eu" never match; other tokens in any case unless the whole name must be exact."""
    if exact or (any(ch.isalpha() for ch in token) and not any(ch.islower() for ch in token)):
        return ("ORTH", token)
    return ("LOWER", token.lower())


def _get_keyed(index: Mapping[str, Actor], name: str) -> Actor | None:
    key = name_key(name)
    found = index.get(key)
    if found is None and _LEADING_ARTICLE.match(key):
        found = index.get(_LEADING_ARTICLE.sub("", key))
    return found


@lru_cache(maxsize=1)
def _blank_english() -> Language:
    import spacy  # deferred: lookups alone should not pay for importing spaCy

    return spacy.blank("en")


# ---- reading files ---------------------------------------------------------------------------------


def _validate(source: str, entry: str, raw: Mapping[str, Any]) -> Actor:
    try:
        return Actor.model_validate(dict(raw))
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg'].removeprefix('Value error, ')}"
            for err in e.errors()
        )
        raise RegistryError(source, problems, entry=entry) from e


def _entry_name(position: str, raw: Mapping[str, Any]) -> str:
    ident = raw.get("id") or raw.get("name")
    return f"{position} ({ident})" if ident else position


def _read_file(path: Path) -> Iterator[tuple[str, Actor]]:
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RegistryError(str(path), f"cannot read: {e}") from e
    if suffix in (".yaml", ".yml"):
        yield from _parse_yaml(str(path), text)
    elif suffix == ".csv":
        yield from _parse_csv(str(path), text)
    else:
        raise RegistryError(str(path), "unsupported registry format; use .yaml, .yml or .csv")


def _parse_yaml(source: str, text: str) -> Iterator[tuple[str, Actor]]:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader either way
    except yaml.YAMLError as e:
        raise RegistryError(source, f"not valid YAML: {e}") from e
    if data is None:
        return
    if not isinstance(data, list):
        raise RegistryError(source, "expected a list of actors at the top level")
    for index, raw in enumerate(data, start=1):
        position = f"entry {index}"
        if not isinstance(raw, dict):
            raise RegistryError(source, "expected a mapping with id, name, type", entry=position)
        entry = _entry_name(position, raw)
        yield entry, _validate(source, entry, raw)


def _parse_csv(source: str, text: str) -> Iterator[tuple[str, Actor]]:
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in _CSV_REQUIRED if c not in columns]
    if missing:
        raise RegistryError(source, f"missing column(s) {', '.join(missing)}; have {', '.join(columns)}")
    for row in reader:
        position = f"line {reader.line_num}"
        raw: dict[str, Any] = {}
        for column, cell in row.items():
            if column is None:
                raise RegistryError(source, "more cells than columns", entry=position)
            key, value = column.strip(), (cell or "").strip()
            if key in _CSV_LIST_COLUMNS:
                raw[key] = [part for part in value.split("|") if part.strip()]
            elif key == "ambiguous":
                raw[key] = value.lower() in _TRUE
            else:
                raw[key] = value or None
        entry = _entry_name(position, raw)
        yield entry, _validate(source, entry, raw)


@lru_cache(maxsize=1)
def _shipped_actors() -> tuple[Actor, ...]:
    source = f"loaders/data/{SHIPPED}"
    text = resources.files("loaders").joinpath("data", SHIPPED).read_text(encoding="utf-8")
    actors = [actor for _, actor in _parse_yaml(source, text)]
    return tuple(actors)


@lru_cache(maxsize=1)
def _shipped_registry() -> Registry:
    actors = _shipped_actors()
    return Registry(actors, dict.fromkeys((a.id for a in actors), f"loaders/data/{SHIPPED}"))
