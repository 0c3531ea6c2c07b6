"""Stats, liveness, readiness, and what happens when the store is gone."""

from __future__ import annotations

from pathlib import Path

from aigeo.settings import Settings
from api.app import create_app
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, TestClient, assert_problem


def test_stats_count_by_type(client: TestClient, store: EmbeddedStore) -> None:
    body = client.get("/stats").json()
    assert body == store.stats().model_dump()
    assert body["entities_by_type"]["Company"] == 5
    assert body["relations_by_type"]["BACKS"] == 2


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready", "store": "embedded"}


def test_a_closed_store_answers_503_but_health_still_answers(make_client: MakeClient, tmp_path: Path) -> None:
    gone = EmbeddedStore(tmp_path / "gone")
    client = make_client(gone)
    gone.close()
    assert_problem(client.get("/ready"), 503, "embedded store")
    assert_problem(client.get("/stats"), 503)
    assert_problem(client.get("/entities/OpenAI"), 503)
    assert client.get("/health").status_code == 200


def test_a_store_that_cannot_open_answers_503_until_it_can(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    app = create_app(Settings(store=str(blocker), api_key=None))
    with TestClient(app) as client:  # the app starts anyway
        assert client.get("/health").status_code == 200
        assert_problem(client.get("/ready"), 503)
        blocker.unlink()  # the store becomes available: the next request opens it
        assert client.get("/ready").json()["status"] == "ready"
        assert client.get("/stats").json()["entities"] == 0


def test_an_unknown_store_scheme_is_503_not_500(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(store="redis://localhost/0", api_key=None))) as client:
        assert_problem(client.get("/stats"), 503, "redis://")


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/no/such/thing"), 404, "/no/such/thing")
    response = client.put("/stats")
    assert_problem(response, 405, "PUT")
    assert "GET" in response.headers["allow"]


def test_an_unexpected_error_is_a_bare_500_problem(client: TestClient) -> None:
    def explode() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    client.app.add_api_route("/explode", explode)  # type: ignore[attr-defined]
    body = assert_problem(client.get("/explode"), 500)
    assert "secret" not in client.get("/explode").text and body["title"] == "Internal error"


def test_cors_origins_come_from_settings(make_client: MakeClient) -> None:
    client = make_client(cors_origins=["https://front.example"])
    allowed = client.get("/stats", headers={"Origin": "https://front.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://front.example"
    other = client.get("/stats", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    error = client.get("/entities/Nobody", headers={"Origin": "https://front.example"})
    assert (
        error.status_code == 404 and error.headers["access-control-allow-origin"] == "https://front.example"
    )
    preflight = client.options(
        "/admin/documents",
        headers={
            "Origin": "https://front.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-API-Key",
        },
    )
    assert preflight.status_code == 200


def test_no_cors_headers_without_configured_origins(client: TestClient) -> None:
    response = client.get("/stats", headers={"Origin": "https://front.example"})
    assert "access-control-allow-origin" not in response.headers
