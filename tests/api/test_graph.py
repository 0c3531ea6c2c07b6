"""Neighbourhood and path queries over HTTP, checked against the store they read."""

from __future__ import annotations

import pytest

from graph.model import NeighbourhoodQuery
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, TestClient, assert_problem


def _ids(nodes: list[dict[str, object]]) -> set[object]:
    return {n["id"] for n in nodes}


def test_neighbourhood_depth_one_is_the_direct_neighbours(client: TestClient) -> None:
    body = client.get("/graph/neighbourhood", params={"entity": "Tencent"}).json()
    assert body["entity"] == {"id": "company:tencent", "name": "Tencent", "type": "Company"}
    assert _ids(body["nodes"]) == {"company:tencent", "company:zhipu-ai", "government:chn"}
    assert {(e["source"], e["type"], e["target"]) for e in body["edges"]} == {
        ("company:tencent", "BACKS", "company:zhipu-ai"),
        ("company:tencent", "BASED_IN", "government:chn"),
        ("company:zhipu-ai", "BASED_IN", "government:chn"),
    }
    assert all(e["evidence"] for e in body["edges"])


def test_neighbourhood_matches_the_store_at_depth_two(client: TestClient, store: EmbeddedStore) -> None:
    body = client.get("/graph/neighbourhood", params={"entity": "company:tencent", "depth": 2}).json()
    direct = store.neighbourhood(NeighbourhoodQuery(entity_id="company:tencent", depth=2))
    assert _ids(body["nodes"]) == {n.id for n in direct.nodes}
    assert len(body["edges"]) == len(direct.edges)
    assert "company:openai" in _ids(body["nodes"])  # through Zhipu AI's rivalry


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rel_type": "BACKS"}, {"company:tencent", "company:zhipu-ai"}),
        ({"node_type": ["Company"]}, {"company:tencent", "company:zhipu-ai"}),
        ({"direction": "in"}, {"company:tencent"}),
        (
            {"direction": "out", "rel_type": ["BACKS", "BASED_IN"]},
            {"company:tencent", "company:zhipu-ai", "government:chn"},
        ),
    ],
)
def test_neighbourhood_filters(client: TestClient, params: dict[str, object], expected: set[str]) -> None:
    body = client.get("/graph/neighbourhood", params={"entity": "Tencent", **params}).json()
    assert _ids(body["nodes"]) == expected


def test_neighbourhood_min_weight_and_limit(client: TestClient) -> None:
    heavy = client.get("/graph/neighbourhood", params={"entity": "OpenAI", "min_weight": 2}).json()
    assert _ids(heavy["nodes"]) == {"company:openai", "company:microsoft"}
    small = client.get("/graph/neighbourhood", params={"entity": "OpenAI", "depth": 2, "limit": 3}).json()
    assert len(small["nodes"]) == 3
    assert "company:openai" in _ids(small["nodes"])


def test_depth_over_the_server_cap_is_400_naming_max_depth(make_client: MakeClient) -> None:
    client = make_client(max_depth=2)
    body = assert_problem(
        client.get("/graph/neighbourhood", params={"entity": "OpenAI", "depth": 3}), 400, "max_depth"
    )
    assert body["limit"] == "max_depth" and body["maximum"] == 2
    assert_problem(client.get("/graph/neighbourhood", params={"entity": "OpenAI", "depth": 0}), 422, "depth")


def test_neighbourhood_of_an_unknown_entity_is_404(client: TestClient) -> None:
    assert_problem(client.get("/graph/neighbourhood", params={"entity": "Nobody Inc"}), 404, "Nobody Inc")


def test_neighbourhood_rejects_an_unknown_relation_type(client: TestClient) -> None:
    body = assert_problem(
        client.get("/graph/neighbourhood", params={"entity": "OpenAI", "rel_type": "LOVES"}), 422, "rel_type"
    )
    assert body["errors"][0]["field"].startswith("rel_type")


def test_shortest_path_walks_every_hop_with_evidence(client: TestClient) -> None:
    body = client.get("/graph/paths", params={"source": "Tencent", "target": "Sam Altman"}).json()
    assert body["source"]["id"] == "company:tencent" and body["target"]["id"] == "person:sam-altman"
    [path] = body["paths"]
    assert path["hops"] == len(path["edges"]) == len(path["nodes"]) - 1 == 3
    assert path["nodes"][0]["id"] == "company:tencent" and path["nodes"][-1]["id"] == "person:sam-altman"
    for i, edge in enumerate(path["edges"]):
        assert {edge["source"], edge["target"]} == {path["nodes"][i]["id"], path["nodes"][i + 1]["id"]}
        assert edge["evidence"] and edge["evidence"][0]["sentence"]


def test_all_shortest_and_k_shortest_paths(client: TestClient) -> None:
    params = {"source": "Tencent", "target": "OpenAI"}
    every = client.get("/graph/paths", params={**params, "mode": "all_shortest"}).json()["paths"]
    assert len(every) >= 2  # via Zhipu AI's rivalry and via China
    assert len({p["hops"] for p in every}) == 1
    k = client.get("/graph/paths", params={**params, "mode": "k_shortest", "k": 4, "max_hops": 5}).json()
    hops = [p["hops"] for p in k["paths"]]
    assert hops == sorted(hops) and 2 <= len(hops) <= 4
    assert len({tuple(n["id"] for n in p["nodes"]) for p in k["paths"]}) == len(hops)  # simple, distinct


def test_path_filters_and_direction(client: TestClient) -> None:
    backs_only = client.get(
        "/graph/paths",
        params={"source": "Microsoft", "target": "OpenAI", "rel_type": "BACKS", "direction": "out"},
    )
    assert backs_only.json()["paths"][0]["hops"] == 1
    assert_problem(
        client.get(
            "/graph/paths",
            params={"source": "OpenAI", "target": "Microsoft", "direction": "out", "rel_type": "BACKS"},
        ),
        404,
        "no path",
    )


def test_path_limits_are_400_naming_the_setting(make_client: MakeClient) -> None:
    client = make_client(max_hops=3, max_k=2)
    hops = assert_problem(
        client.get("/graph/paths", params={"source": "Tencent", "target": "OpenAI", "max_hops": 4}),
        400,
        "max_hops",
    )
    assert hops["limit"] == "max_hops" and hops["maximum"] == 3
    k = assert_problem(
        client.get(
            "/graph/paths", params={"source": "Tencent", "target": "OpenAI", "mode": "k_shortest", "k": 3}
        ),
        400,
        "max_k",
    )
    assert k["limit"] == "max_k"
    ok = client.get("/graph/paths", params={"source": "Tencent", "target": "OpenAI", "mode": "k_shortest"})
    assert ok.status_code == 200 and len(ok.json()["paths"]) <= 2  # the default k fits the cap


def test_no_path_within_max_hops_is_404(client: TestClient) -> None:
    body = assert_problem(
        client.get("/graph/paths", params={"source": "Tencent", "target": "Sam Altman", "max_hops": 2}),
        404,
        "2 hops",
    )
    assert body["source"] == "company:tencent" and body["target"] == "person:sam-altman"


def test_path_to_an_unknown_entity_is_404(client: TestClient) -> None:
    assert_problem(
        client.get("/graph/paths", params={"source": "OpenAI", "target": "Atlantis"}), 404, "Atlantis"
    )
