"""The actor registry: the shipped data is valid, lookups resolve the ways news names actors,
users' files extend or override it, and bad files fail with a message that says where and why."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import spacy
import yaml

from graph.errors import AigeoError
from graph.schema import NodeType
from loaders.registry import Actor, Registry, RegistryError

SHIPPED_FILE = Path(__file__).parents[2] / "loaders" / "data" / "actors.yaml"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def nlp(reg: Registry) -> spacy.language.Language:
    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns(reg.patterns(pipeline))
    return pipeline


def _ents(nlp: spacy.language.Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


# ---- the shipped file ------------------------------------------------------------------------------


def test_shipped_file_parses_and_every_entry_validates() -> None:
    raw = yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8"))
    assert isinstance(raw, list)
    for entry in raw:
        actor = Actor.model_validate(entry)
        assert actor.type is not NodeType.POLICY
    assert len(raw) == len(Registry.load())


def test_shipped_registry_is_large_and_covers_every_actor_type(reg: Registry) -> None:
    counts = {t: sum(1 for a in reg if a.type is t) for t in NodeType if t is not NodeType.POLICY}
    assert len(reg) >= 300
    assert all(n > 0 for n in counts.values()), counts


def test_shipped_ids_follow_the_type_and_country_convention(reg: Registry) -> None:
    for actor in reg:
        prefix, _, body = actor.id.partition(":")
        assert prefix == actor.type.value.lower()
        if actor.type is NodeType.GOVERNMENT and actor.country:
            assert body.split("-")[0] == actor.country.lower(), actor.id


def test_shipped_countries_are_iso_alpha3(reg: Registry) -> None:
    for actor in reg:
        if actor.country is not None:
            assert pycountry.countries.get(alpha_3=actor.country) is not None, actor.id


def test_states_have_demonyms_and_agencies_a_parent(reg: Registry) -> None:
    for actor in reg:
        if actor.type is not NodeType.GOVERNMENT:
            continue
        if actor.is_agency:
            assert actor.parent is not None, actor.id
        else:
            assert actor.demonyms, actor.id


def test_parents_are_known_and_acyclic(reg: Registry) -> None:
    for actor in reg:
        seen = {actor.id}
        parent = actor.parent
        while parent is not None:
            assert parent not in seen, f"cycle through {actor.id}"
            seen.add(parent)
            found = reg.by_id(parent)
            assert found is not None
            parent = found.parent


def test_numeric_tickers_are_quoted_strings_in_the_shipped_file() -> None:
    for entry in yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8")):
        for ticker in entry.get("tickers") or []:
            assert isinstance(ticker, str), (entry["id"], ticker)


def test_loading_the_shipped_registry_twice_reuses_it() -> None:
    assert Registry.load() is Registry.load()


# ---- lookups ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OpenAI", "company:openai"),
        ("OpenAI’s", "company:openai"),
        ("Zhipu", "company:zhipu-ai"),
        ("zhipu ai", "company:zhipu-ai"),
        ("Alibaba Group Holding", "company:alibaba"),
        ("U.S.", "government:usa"),
        ("US", "government:usa"),
        ("United States of America", "government:usa"),
        ("the U.S.", "government:usa"),
        ("PRC", "government:chn"),
        ("the White House", "government:usa-white-house"),
        ("Bureau of Industry and Security", "government:usa-bis"),
        ("Commerce Department", "government:usa-commerce"),
        ("Cyberspace Administration of China", "government:chn-cac"),
        ("DeepMind", "company:google-deepmind"),
        ("Facebook", "company:meta"),
        ("Xi", "person:xi-jinping"),
    ],
)
def test_lookup_by_name_or_alias(reg: Registry, name: str, expected: str) -> None:
    found = reg.lookup(name)
    assert found is not None and found.id == expected


def test_lookup_of_unknown_name_is_none(reg: Registry) -> None:
    assert reg.lookup("Acme Widgets of Nowhere") is None


@pytest.mark.parametrize(
    ("ticker", "expected"),
    [
        ("BABA", "company:alibaba"),
        ("MSFT", "company:microsoft"),
        ("9988", "company:alibaba"),
        ("TCEHY", "company:tencent"),
    ],
)
def test_lookup_by_ticker_as_written(reg: Registry, ticker: str, expected: str) -> None:
    found = reg.lookup(ticker)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("ticker", ["baba", "Baba", "msft", "tcehy"])
def test_tickers_do_not_match_in_another_case(reg: Registry, ticker: str) -> None:
    assert reg.lookup(ticker) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Chinese", "government:chn"),
        ("American", "government:usa"),
        ("Americans", "government:usa"),
        ("Dutch", "government:nld"),
        ("Taiwanese", "government:twn"),
        ("Emirati", "government:are"),
    ],
)
def test_demonym_names_its_state(reg: Registry, word: str, expected: str) -> None:
    found = reg.demonym(word)
    assert found is not None and found.id == expected


def test_demonym_is_not_a_name_lookup(reg: Registry) -> None:
    assert reg.demonym("China") is None
    assert reg.lookup("Chinese") is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Beijing", "government:chn"),
        ("Washington", "government:usa"),
        ("the Kremlin", "government:rus"),
        ("Brussels", "government:eu"),
        ("The Hague", "government:nld"),
        ("Tokyo", "government:jpn"),
    ],
)
def test_capital_names_its_government(reg: Registry, word: str, expected: str) -> None:
    found = reg.capital(word)
    assert found is not None and found.id == expected


def test_capital_of_a_non_capital_is_none(reg: Registry) -> None:
    assert reg.capital("Shenzhen") is None


def test_agencies_are_org_and_states_gpe_for_the_ruler(reg: Registry) -> None:
    bis, usa, eu = reg.by_id("government:usa-bis"), reg.by_id("government:usa"), reg.by_id("government:eu")
    assert bis is not None and bis.is_agency and bis.label == "ORG"
    assert usa is not None and not usa.is_agency and usa.label == "GPE"
    assert eu is not None and eu.label == "GPE"


def test_the_before_a_name_is_optional_in_lookups(reg: Registry) -> None:
    pentagon = reg.lookup("the Pentagon")
    assert pentagon is not None and pentagon.id == "government:usa-dod"
    hague = reg.capital("The Hague")
    assert hague is not None and hague.id == "government:nld"


def test_to_entity_carries_aliases_and_tickers(reg: Registry) -> None:
    alibaba = reg.by_id("company:alibaba")
    assert alibaba is not None
    entity = alibaba.to_entity()
    assert entity.id == "company:alibaba" and entity.type is NodeType.COMPANY
    assert {"BABA", "Alibaba Group"} <= set(entity.aliases)


def test_aliases_repeating_the_name_are_dropped() -> None:
    actor = Actor(
        id="company:acme", name="Acme", type=NodeType.COMPANY, aliases=["ACME", "Acme Corp", "acme"]
    )
    assert actor.aliases == ("Acme Corp",)


# ---- users' files ----------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_yaml_adds_and_overrides_by_id(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.yaml",
        """
- id: company:acme-robotics
  name: Acme Robotics
  type: Company
  aliases: [Acme]
  tickers: [ACMR]
  country: DEU
- id: company:openai
  name: OpenAI
  type: Company
  aliases: [OpenAI Global LLC]
  country: USA
""",
    )
    reg = Registry.load([user])
    acme = reg.lookup("Acme")
    assert acme is not None and acme.id == "company:acme-robotics" and acme.country == "DEU"
    assert reg.lookup("ACMR") is acme
    openai = reg.by_id("company:openai")
    assert openai is not None and openai.aliases == ("OpenAI Global LLC",)
    assert reg.lookup("Open AI") is None  # the override replaced the whole entry
    assert len(reg) == len(Registry.load()) + 1
    assert Registry.load().lookup("Acme") is None  # the shipped registry is untouched


def test_user_csv_adds_and_overrides_by_id(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "mine.csv",
        "id,name,type,aliases,tickers,country\n"
        "company:nordlicht-ai,Nordlicht AI,Company,Nordlicht|NL AI,,NOR\n"
        'company:baidu,Baidu,Company,"Baidu Inc.|百度",BIDU|9888,CHN\n'
        "person:ada-example,Ada Example,Person,,,\n",
    )
    reg = Registry.load([user])
    nordlicht = reg.lookup("NL AI")
    assert nordlicht is not None and nordlicht.id == "company:nordlicht-ai" and nordlicht.country == "NOR"
    baidu = reg.lookup("百度")
    assert baidu is not None and baidu.id == "company:baidu" and baidu.tickers == ("BIDU", "9888")
    ada = reg.by_id("person:ada-example")
    assert ada is not None and ada.country is None and ada.aliases == ()


def test_user_csv_reads_parent_demonyms_capitals_and_ambiguous(tmp_path: Path) -> None:
    user = _write(
        tmp_path / "states.csv",
        "id,name,type,aliases,tickers,country,parent,demonyms,capitals,ambiguous\n"
        "government:isl,Iceland,Government,Republic of Iceland,,ISL,,Icelandic|Icelanders,Reykjavik,no\n"
        "government:isl-dpa,Persónuvernd,Government,Icelandic data authority,,ISL,government:isl,,,\n"
        "company:beacon,Beacon,Company,,BCN,ISL,,,,yes\n",
    )
    reg = Registry.load([user])
    iceland = reg.demonym("Icelanders")
    assert iceland is not None and iceland.id == "government:isl" and reg.capital("Reykjavik") is iceland
    agency = reg.lookup("Icelandic data authority")
    assert agency is not None and agency.parent == "government:isl" and agency.label == "ORG"
    beacon = reg.by_id("company:beacon")
    assert beacon is not None and beacon.ambiguous and not iceland.ambiguous


def test_user_file_can_take_an_alias_from_a_shipped_actor_by_overriding_it(tmp_path: Path) -> None:
    # "Hynix" is shipped as SK Hynix's alias: a user who means another firm re-declares SK Hynix
    # without it, and the clash is gone.
    user = _write(
        tmp_path / "mine.yaml",
        "- {id: company:sk-hynix, name: SK Hynix, type: Company, country: KOR}\n"
        "- {id: company:hynix-labs, name: Hynix Labs, type: Company, aliases: [Hynix], country: KOR}\n",
    )
    found = Registry.load([user]).lookup("Hynix")
    assert found is not None and found.id == "company:hynix-labs"


def test_building_a_registry_with_a_clash_names_both_actors() -> None:
    a = Actor(id="company:a", name="Alpha Widgets", type=NodeType.COMPANY, tickers=["AW"])
    b = Actor(id="company:b", name="Beta Widgets", type=NodeType.COMPANY, tickers=["AW"])
    with pytest.raises(RegistryError, match="ticker 'AW' already names company:a"):
        Registry([a, b])


def test_parent_cycles_are_refused() -> None:
    a = Actor(id="company:a", name="Alpha Widgets", type=NodeType.COMPANY, parent="company:b")
    b = Actor(id="company:b", name="Beta Widgets", type=NodeType.COMPANY, parent="company:a")
    with pytest.raises(RegistryError, match="cycle: company:a -> company:b -> company:a"):
        Registry([a, b])


def test_a_ticker_may_not_read_as_another_actors_name() -> None:
    a = Actor(id="company:a", name="ABC", type=NodeType.COMPANY)
    b = Actor(id="company:b", name="Bee Corp", type=NodeType.COMPANY, tickers=["ABC"])
    with pytest.raises(RegistryError, match="ticker 'ABC' is also a name of company:a"):
        Registry([a, b])


def test_later_user_file_wins(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.yaml", "- {id: company:acme, name: Acme One, type: Company}\n")
    second = _write(tmp_path / "b.csv", "id,name,type\ncompany:acme,Acme Two,Company\n")
    found = Registry.load([first, second]).by_id("company:acme")
    assert found is not None and found.name == "Acme Two"


@pytest.mark.parametrize(
    ("filename", "content", "fragments"),
    [
        (
            "dup.yaml",
            "- {id: company:acme, name: Acme, type: Company}\n"
            "- {id: company:acme, name: Acme 2, type: Company}\n",
            ["dup.yaml", "entry 2 (company:acme)", "duplicate id"],
        ),
        (
            "country.yaml",
            "- {id: company:acme, name: Acme, type: Company, country: XXX}\n",
            ["country.yaml", "entry 1 (company:acme)", "'XXX' is not an ISO 3166-1 alpha-3"],
        ),
        (
            "country2.csv",
            "id,name,type,country\ncompany:acme,Acme,Company,Germany\n",
            ["country2.csv", "line 2 (company:acme)", "'Germany'"],
        ),
        (
            "type.yaml",
            "- {id: company:acme, name: Acme, type: Corporation}\n",
            ["type.yaml", "entry 1 (company:acme)", "type"],
        ),
        (
            "policy.yaml",
            "- {id: policy:ban, name: A ban, type: Policy}\n",
            ["policy.yaml", "Policy is not an actor"],
        ),
        (
            "prefix.yaml",
            "- {id: company:acme, name: Acme, type: Organization}\n",
            ["prefix.yaml", "prefix 'company'", "Organization"],
        ),
        (
            "broken.yaml",
            "- id: company:acme\n  name: [Acme\n  type: Company\n",
            ["broken.yaml", "not valid YAML"],
        ),
        (
            "shape.yaml",
            "id: company:acme\nname: Acme\n",
            ["shape.yaml", "list of actors"],
        ),
        (
            "ticker.yaml",
            "- {id: company:acme, name: Acme, type: Company, tickers: [0700]}\n",
            ["ticker.yaml", "tickers", "quote it"],
        ),
        (
            "clash.yaml",
            "- {id: company:not-openai, name: Not OpenAI, type: Company, aliases: [OpenAI]}\n",
            ["clash.yaml", "company:not-openai", "'OpenAI' already names company:openai"],
        ),
        (
            "parent.yaml",
            "- {id: company:acme, name: Acme, type: Company, parent: company:nobody}\n",
            ["parent.yaml", "parent 'company:nobody'"],
        ),
        (
            "columns.csv",
            "id,title\ncompany:acme,Acme\n",
            ["columns.csv", "missing column(s) name, type"],
        ),
        (
            "agency.yaml",
            "- {id: government:fra-cnil, name: CNIL, type: Government, country: DEU}\n",
            ["agency.yaml", "government:deu"],
        ),
        (
            "data.txt",
            "id,name,type\n",
            ["data.txt", "unsupported registry format"],
        ),
    ],
)
def test_bad_user_files_fail_naming_file_entry_and_problem(
    tmp_path: Path, filename: str, content: str, fragments: list[str]
) -> None:
    path = _write(tmp_path / filename, content)
    with pytest.raises(RegistryError) as caught:
        Registry.load([path])
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert isinstance(caught.value, AigeoError)


def test_missing_user_file_fails_naming_it(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="nowhere.yaml"):
        Registry.load([tmp_path / "nowhere.yaml"])


def test_empty_user_yaml_adds_nothing(tmp_path: Path) -> None:
    assert len(Registry.load([_write(tmp_path / "empty.yaml", "")])) == len(Registry.load())


# ---- EntityRuler patterns --------------------------------------------------------------------------


def test_patterns_have_labels_and_ids(reg: Registry) -> None:
    patterns = reg.patterns()
    assert {p["label"] for p in patterns} == {"ORG", "GPE", "PERSON", "NORP"}
    ids = {a.id for a in reg}
    assert all(p["id"] in ids for p in patterns)
    assert all(isinstance(p["pattern"], list) and p["pattern"] for p in patterns)


def test_patterns_can_leave_out_demonyms_and_capitals(reg: Registry) -> None:
    labels = {p["label"] for p in reg.patterns(demonyms=False, capitals=False)}
    assert "NORP" not in labels
    texts = [t for p in reg.patterns(capitals=False) for t in p["pattern"]]
    assert {"ORTH": "Beijing"} not in texts


def test_ruler_finds_actors_in_a_sentence(nlp: spacy.language.Language) -> None:
    text = (
        "Tencent-backed Zhipu AI and Microsoft-backed OpenAI both sell chips made by TSMC to Chinese firms."
    )
    assert _ents(nlp, text) == [
        ("Tencent", "ORG", "company:tencent"),
        ("Zhipu AI", "ORG", "company:zhipu-ai"),
        ("Microsoft", "ORG", "company:microsoft"),
        ("OpenAI", "ORG", "company:openai"),
        ("TSMC", "ORG", "company:tsmc"),
        ("Chinese", "NORP", "government:chn"),
    ]


def test_ruler_finds_governments_agencies_people_and_tickers(nlp: spacy.language.Language) -> None:
    text = (
        "The U.S. Commerce Department and its Bureau of Industry and Security warned Beijing, "
        "while Jensen Huang said Alibaba Group Holding (BABA) would keep buying."
    )
    assert _ents(nlp, text) == [
        ("U.S. Commerce Department", "ORG", "government:usa-commerce"),
        ("Bureau of Industry and Security", "ORG", "government:usa-bis"),
        ("Beijing", "GPE", "government:chn"),
        ("Jensen Huang", "PERSON", "person:jensen-huang"),
        ("Alibaba Group Holding", "ORG", "company:alibaba"),
        ("BABA", "ORG", "company:alibaba"),
    ]


def test_ruler_matches_plain_names_in_any_case(nlp: spacy.language.Language) -> None:
    assert _ents(nlp, "analysts compare deepseek with NVIDIA") == [
        ("deepseek", "ORG", "company:deepseek"),
        ("NVIDIA", "ORG", "company:nvidia"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He hurt his arm and ate an apple on the way to us.",
        "Let us meet; the intel on amazon rainforest trade was thin.",
        "Investors asked for a baba au rhum and some meta commentary.",
        "The chinese lantern glowed as we walked to the capital in washington state.",
        "Firms race to scale AI with open AI models under a partnership on AI safety.",
        "AI now powers thinking machines; the big fund smelled of musk near sequoia trees.",
        "A minimax strategy from the state council of the town was a general catalyst.",
    ],
)
def test_ruler_ignores_ordinary_words_that_are_also_names(nlp: spacy.language.Language, text: str) -> None:
    assert _ents(nlp, text) == []


def test_ruler_matches_ambiguous_names_when_capitalised(nlp: spacy.language.Language) -> None:
    ids = [e[2] for e in _ents(nlp, "Apple, Amazon, Intel and Arm lobbied the US and the EU.")]
    assert ids == [
        "company:apple",
        "company:amazon",
        "company:intel",
        "company:arm",
        "government:usa",
        "government:eu",
    ]


def test_patterns_follow_the_pipeline_tokenizer(reg: Registry) -> None:
    pipeline = spacy.blank("en")
    pipeline.tokenizer.add_special_case("SenseTime", [{"ORTH": "Sense"}, {"ORTH": "Time"}])
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns(reg.patterns(pipeline))
    assert [(e.text, e.ent_id_) for e in pipeline("SenseTime shares rose.").ents] == [
        ("SenseTime", "company:sensetime")
    ]


def test_acronyms_inside_names_match_only_as_written(nlp: spacy.language.Language) -> None:
    assert _ents(nlp, "The US House voted.") == [("US House", "ORG", "government:usa-house")]
    assert _ents(nlp, "Let us house them.") == []


def test_every_name_alias_and_lettered_ticker_has_a_pattern(reg: Registry) -> None:
    tokenizer = spacy.blank("en").tokenizer
    covered: dict[str, set[tuple[str, ...]]] = {}
    for p in reg.patterns():
        covered.setdefault(p["id"], set()).add(
            tuple(str(v).lower() for tok in p["pattern"] for v in tok.values())
        )
    for actor in reg:
        forms = [*actor.surface_forms(), *(t for t in actor.tickers if not t.isdigit())]
        for form in forms:
            assert tuple(t.lower_ for t in tokenizer(form)) in covered[actor.id], (actor.id, form)
