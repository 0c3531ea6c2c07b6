"""Entity search and entity detail, end to end on the sample world."""

from __future__ import annotations

from pathlib import Path

from graph.model import Entity
from graph.schema import NodeType
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, TestClient, assert_problem, fill
from tests.graph.factories import make_batch


def test_search_finds_a_name_case_and_accent_insensitively(client: TestClient) -> None:
    body = client.get("/entities", params={"q": "zhipu ai"}).json()
    top = body["items"][0]
    assert top["entity"]["id"] == "company:zhipu-ai"
    assert top["score"] == 100.0
    accented = client.get("/entities", params={"q": "Zhīpǔ AI"}).json()
    assert accented["items"][0]["entity"]["id"] == "company:zhipu-ai"


def test_search_is_fuzzy_and_scored_best_first(client: TestClient) -> None:
    items = client.get("/entities", params={"q": "Tencnt"}).json()["items"]
    assert items[0]["entity"]["id"] == "company:tencent"
    assert 0 < items[0]["score"] < 100
    scores = [hit["score"] for hit in items]
    assert scores == sorted(scores, reverse=True)


def test_search_matches_aliases_and_reports_which(client: TestClient) -> None:
    top = client.get("/entities", params={"q": "MSFT"}).json()["items"][0]
    assert top["entity"]["id"] == "company:microsoft"
    assert top["matched"] == "MSFT"


def test_search_filters_by_type(client: TestClient) -> None:
    items = client.get("/entities", params={"q": "China", "type": ["Company"]}).json()["items"]
    assert all(hit["entity"]["type"] == "Company" for hit in items)
    governments = client.get("/entities", params={"q": "China", "type": "Government"}).json()["items"]
    assert [hit["entity"]["id"] for hit in governments][:1] == ["government:chn"]


def test_search_pages_do_not_overlap_and_say_when_more_follow(client: TestClient) -> None:
    everything = client.get("/entities", params={"q": "a", "page_size": 100}).json()["items"]
    assert len(everything) >= 3
    first = client.get("/entities", params={"q": "a", "page_size": 2}).json()
    second = client.get("/entities", params={"q": "a", "page_size": 2, "page": 2}).json()
    assert first["next_page"] == 2
    assert [h["entity"]["id"] for h in first["items"] + second["items"]] == [
        h["entity"]["id"] for h in everything[:4]
    ]
    last_page = (len(everything) + 1) // 2
    assert (
        client.get("/entities", params={"q": "a", "page_size": 2, "page": last_page}).json()["next_page"]
        is None
    )


def test_page_size_over_the_server_limit_is_400_naming_it(make_client: MakeClient) -> None:
    client = make_client(max_page_size=5)
    body = assert_problem(client.get("/entities", params={"q": "a", "page_size": 6}), 400, "max_page_size")
    assert body["limit"] == "max_page_size" and body["maximum"] == 5
    assert client.get("/entities", params={"q": "a"}).json()["page_size"] == 5  # default fits the cap


def test_search_without_a_query_is_422_naming_the_field(client: TestClient) -> None:
    body = assert_problem(client.get("/entities"), 422, "q")
    assert body["errors"][0]["field"] == "q"
    assert body["errors"][0]["location"] == "query"
    assert_problem(client.get("/entities", params={"q": "x", "type": "Planet"}), 422, "type")


def test_detail_by_id_name_or_alias_is_the_same_entity(client: TestClient) -> None:
    by_id = client.get("/entities/company:openai").json()
    assert client.get("/entities/OpenAI").json() == by_id
    assert client.get("/entities/open ai").json() == by_id  # an alias, folded
    assert by_id["name"] == "OpenAI" and by_id["type"] == "Company" and by_id["country"] == "USA"
    assert by_id["aliases"] == ["Open AI"]


def test_detail_groups_relations_by_type_and_direction_with_evidence(client: TestClient) -> None:
    detail = client.get("/entities/OpenAI").json()
    groups = {(g["type"], g["direction"]): g["relations"] for g in detail["groups"]}
    backed = groups[("BACKS", "in")]
    assert [r["source_entity"]["name"] for r in backed] == ["Microsoft"]
    assert backed[0]["weight"] == 2
    assert backed[0]["since"] == "2019-07-22"
    evidence = {ev["doc_title"]: ev for ev in backed[0]["evidence"]}
    assert set(evidence) == {"Microsoft deepens its bet on OpenAI", "Baidu pitches Ernie against GPT"}
    first = evidence["Microsoft deepens its bet on OpenAI"]
    assert first["sentence"] == "Microsoft agreed to add several billion dollars to its stake in OpenAI."
    assert first["doc_url"] == "https://news.example/msft-openai"
    assert first["doc_published"].startswith("2025-03-01")
    assert ("RESTRICTS", "out") in groups and ("AFFILIATED_WITH", "in") in groups
    rivals = {
        r["source"] if r["target"] == "company:openai" else r["target"]
        for r in groups[("COMPETES_WITH", "both")]
    }
    assert rivals == {"company:baidu", "company:zhipu-ai"}
    assert detail["counts"]["relations"] == sum(len(rels) for rels in groups.values())
    assert detail["counts"]["relations_by_type"]["COMPETES_WITH"] == 2
    assert detail["counts"]["documents"] == 4


def test_detail_flags_hedged_relations(client: TestClient) -> None:
    groups = client.get("/entities/Baidu").json()["groups"]
    rivalry = [r for g in groups if g["type"] == "COMPETES_WITH" for r in g["relations"]]
    hedged = {(r["source"], r["target"]): r["evidence"][0]["hedged"] for r in rivalry}
    assert hedged[("company:baidu", "company:zhipu-ai")] is True
    assert hedged[("company:baidu", "company:openai")] is False


def test_unknown_entity_is_404_with_suggestions(client: TestClient) -> None:
    body = assert_problem(client.get("/entities/Microsfot"), 404, "Microsfot")
    assert body["suggestions"][0] == "Microsoft"
    assert body["key"] == "Microsfot"


def test_ambiguous_name_is_409_listing_the_candidates(tmp_path: Path, make_client: MakeClient) -> None:
    twins = [
        Entity(id="company:mercury-labs", name="Mercury", type=NodeType.COMPANY, mention_count=1),
        Entity(id="person:mercury", name="Mercury", type=NodeType.PERSON, mention_count=1),
    ]
    store = fill(EmbeddedStore(tmp_path / "twins"), [make_batch("doc-twins", entities=twins)])
    try:
        client = make_client(store)
        body = assert_problem(client.get("/entities/Mercury"), 409, "Mercury")
        assert len(body["candidates"]) == 2
        assert any("company:mercury-labs" in c for c in body["candidates"])
        assert client.get("/entities/person:mercury").json()["type"] == "Person"  # the id still works
    finally:
        store.close()


def test_entity_keys_may_hold_slashes(client: TestClient) -> None:
    assert_problem(client.get("/entities/AI%2FML Holdings"), 404, "AI/ML Holdings")
