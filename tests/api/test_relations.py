"""The relation list: filters, order, pagination, named ends."""

from __future__ import annotations

from tests.api.conftest import MakeClient, TestClient, assert_problem


def _keys(body: dict[str, list[dict[str, str]]]) -> list[tuple[str, str, str]]:
    return [(r["source"], r["type"], r["target"]) for r in body["items"]]


def test_relations_are_heaviest_first_with_named_ends(client: TestClient) -> None:
    body = client.get("/relations").json()
    assert len(body["items"]) == 14 and body["next_page"] is None
    weights = [r["weight"] for r in body["items"]]
    assert weights == sorted(weights, reverse=True)
    top = body["items"][0]
    assert (top["source_entity"]["name"], top["type"], top["target_entity"]["name"]) == (
        "Microsoft",
        "BACKS",
        "OpenAI",
    )


def test_relations_filter_by_type_and_ends(client: TestClient) -> None:
    assert set(_keys(client.get("/relations", params={"type": "BACKS"}).json())) == {
        ("company:microsoft", "BACKS", "company:openai"),
        ("company:tencent", "BACKS", "company:zhipu-ai"),
    }
    by_source = client.get("/relations", params={"source": "Tencent"}).json()
    assert {k[2] for k in _keys(by_source)} == {"company:zhipu-ai", "government:chn"}
    by_target_name = client.get("/relations", params={"target": "Zhipu", "type": "BACKS"}).json()
    assert _keys(by_target_name) == [("company:tencent", "BACKS", "company:zhipu-ai")]


def test_relations_filter_by_weight_and_dates(client: TestClient) -> None:
    assert _keys(client.get("/relations", params={"min_weight": 2}).json()) == [
        ("company:microsoft", "BACKS", "company:openai")
    ]
    late = client.get("/relations", params={"seen_from": "2025-03-13T00:00:00Z"}).json()
    assert _keys(late) == [("person:sam-altman", "AFFILIATED_WITH", "company:openai")]
    early = client.get("/relations", params={"seen_to": "2025-03-02"}).json()  # a naive bound is UTC
    assert {k[1] for k in _keys(early)} == {"BACKS", "BASED_IN"}


def test_relations_paginate(client: TestClient) -> None:
    all_keys = _keys(client.get("/relations").json())
    pages, page = [], 1
    while page is not None:
        body = client.get("/relations", params={"page": page, "page_size": 4}).json()
        pages.extend(_keys(body))
        page = body["next_page"]
    assert pages == all_keys


def test_relation_filter_errors(make_client: MakeClient) -> None:
    client = make_client(max_page_size=10)
    assert_problem(client.get("/relations", params={"source": "Nobody"}), 404, "Nobody")
    assert_problem(client.get("/relations", params={"seen_from": "yesterday"}), 422, "seen_from")
    assert_problem(client.get("/relations", params={"page_size": 11}), 400, "max_page_size")
    assert_problem(client.get("/relations", params={"page": 0}), 422, "page")


def test_evidence_json_carries_the_trigger_span_or_nulls(client: TestClient) -> None:
    body = client.get(
        "/relations", params={"source": "Microsoft", "target": "OpenAI", "type": "BACKS"}
    ).json()
    (rel,) = body["items"]
    by_doc = {ev["doc_id"]: ev for ev in rel["evidence"]}
    marked = by_doc["doc-msft-openai"]
    assert marked["sentence"][marked["trigger_start"] : marked["trigger_end"]] == "stake"
    plain = by_doc["doc-baidu-rivalry"]
    assert (plain["trigger_start"], plain["trigger_end"]) == (None, None)  # present, and null
    hops = client.get(
        "/graph/paths", params={"source": "company:microsoft", "target": "company:openai"}
    ).json()
    (edge,) = hops["paths"][0]["edges"]
    assert {ev["trigger_start"] for ev in edge["evidence"]} == {marked["trigger_start"], None}


def test_openapi_documents_the_trigger_offsets(client: TestClient) -> None:
    props = client.get("/openapi.json").json()["components"]["schemas"]["EvidenceOut"]["properties"]
    for name in ("trigger_start", "trigger_end"):
        assert "trigger" in props[name]["description"]
