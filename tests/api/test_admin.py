"""Write endpoints: present only with an API key, checked on every call; upload and retract."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import API_KEY, MakeClient, TestClient, assert_problem

AUTH = {"X-API-Key": API_KEY}


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/admin/documents"), ("delete", "/admin/documents/doc-altman")]
)
def test_without_a_key_the_write_endpoints_do_not_exist(client: TestClient, method: str, path: str) -> None:
    assert_problem(client.request(method, path, headers=AUTH), 404)
    assert "/admin/documents" not in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    "headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": API_KEY + "x"}, {"X-API-Key": ""}]
)
def test_a_missing_or_wrong_key_is_401(
    admin_client: TestClient, store: EmbeddedStore, headers: dict[str, str]
) -> None:
    assert_problem(admin_client.delete("/admin/documents/doc-altman", headers=headers), 401, "X-API-Key")
    assert_problem(
        admin_client.post("/admin/documents", headers=headers, files={"files": ("a.txt", b"Some text.")}), 401
    )
    assert store.has_document("doc-altman")


def test_a_non_ascii_key_is_refused_not_a_crash(admin_client: TestClient) -> None:
    response = admin_client.delete(
        "/admin/documents/doc-altman", headers={"X-API-Key": "clé".encode("latin-1")}
    )
    assert_problem(response, 401)


def test_the_openapi_document_shows_the_key_scheme(admin_client: TestClient) -> None:
    spec = admin_client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": spec["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    assert spec["paths"]["/admin/documents"]["post"]["security"] == [{"ApiKey": []}]


def test_retract_removes_the_document_and_what_only_it_supported(admin_client: TestClient) -> None:
    assert admin_client.get("/entities/Sam Altman").status_code == 200
    response = admin_client.delete("/admin/documents/doc-altman", headers=AUTH)
    assert response.json() == {"doc_id": "doc-altman", "status": "retracted"}
    assert_problem(admin_client.get("/documents/doc-altman"), 404)
    assert_problem(admin_client.get("/entities/Sam Altman"), 404)
    assert_problem(admin_client.delete("/admin/documents/doc-altman", headers=AUTH), 404, "doc-altman")


def test_unreadable_uploads_are_skipped_with_a_reason(admin_client: TestClient, store: EmbeddedStore) -> None:
    before = store.stats()
    response = admin_client.post(
        "/admin/documents",
        headers=AUTH,
        files=[
            ("files", ("slides.pdf", b"%PDF-1.7 binary", "application/pdf")),
            ("files", ("../../empty.txt", b"", "text/plain")),
        ],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [f["file"] for f in body["files"]] == ["slides.pdf", "empty.txt"]  # no client directories
    [pdf], [empty] = (f["documents"] for f in body["files"])
    assert pdf["status"] == "skipped" and "unsupported file type" in pdf["reason"]
    assert empty["status"] == "skipped" and "empty" in empty["reason"]
    assert body["counts"] == {"skipped": 2}
    assert store.stats() == before


def test_an_upload_over_the_limit_is_413_naming_it(make_client: MakeClient, store: EmbeddedStore) -> None:
    client = make_client(api_key=API_KEY, max_upload_bytes=1_000)
    body = assert_problem(
        client.post("/admin/documents", headers=AUTH, files={"files": ("big.txt", b"word " * 400)}),
        413,
        "max_upload_bytes",
    )
    assert body["limit"] == "max_upload_bytes" and body["maximum"] == 1_000
    assert store.stats().documents == 6


def test_an_upload_without_files_is_422(admin_client: TestClient) -> None:
    assert_problem(admin_client.post("/admin/documents", headers=AUTH), 422, "files")


ARTICLES = {
    "chips.txt": (
        "Washington tightens chip rules\n\n"
        "The United States restricts exports of advanced AI chips to China, officials said on Monday. "
        "Nvidia said the new rule would cut its sales in the region."
    ),
    "funding.md": (
        "# Tencent leads a new round\n\n"
        "Tencent invested in Zhipu AI this spring, according to people familiar with the deal. "
        "Zhipu AI competes with Baidu for corporate customers."
    ),
}


@pytest.mark.slow
def test_uploaded_articles_are_extracted_and_queryable(make_client: MakeClient, tmp_path: Path) -> None:
    """The real pipeline (spaCy and the registry) behind the upload endpoint."""
    empty = EmbeddedStore(tmp_path / "uploads")
    try:
        client = make_client(empty, api_key=API_KEY)
        files = [("files", (name, text.encode(), "text/plain")) for name, text in ARTICLES.items()]
        first = client.post("/admin/documents", headers=AUTH, files=files)
        assert first.status_code == 200, first.text
        statuses = [d["status"] for f in first.json()["files"] for d in f["documents"]]
        assert statuses == ["added", "added"]
        assert client.get("/stats").json()["documents"] == 2
        chips_id = first.json()["files"][0]["documents"][0]["doc_id"]
        restricts = client.get("/relations", params={"type": "RESTRICTS", "source": "United States"}).json()
        china = [r for r in restricts["items"] if r["target_entity"]["name"] == "China"]
        assert china and china[0]["evidence"][0]["doc_id"] == chips_id
        assert "restricts exports" in china[0]["evidence"][0]["sentence"]
        assert client.get("/entities", params={"q": "Zhipu"}).json()["items"]
        again = client.post("/admin/documents", headers=AUTH, files=files)
        assert [d["status"] for f in again.json()["files"] for d in f["documents"]] == [
            "unchanged",
            "unchanged",
        ]
        assert client.delete(f"/admin/documents/{chips_id}", headers=AUTH).status_code == 200
        assert client.get("/stats").json()["documents"] == 1
        assert not client.get("/relations", params={"type": "RESTRICTS"}).json()["items"]
    finally:
        empty.close()


@pytest.mark.slow
def test_the_sample_corpus_uploads_end_to_end(
    make_client: MakeClient, tmp_path: Path, examples_dir: Path
) -> None:
    """Every file of examples/ in one upload: articles and feed records land, the rest is reported."""
    empty = EmbeddedStore(tmp_path / "corpus")
    try:
        client = make_client(empty, api_key=API_KEY, max_upload_bytes=10_000_000)
        paths = sorted(p for p in examples_dir.rglob("*") if p.is_file())
        files = [("files", (p.name, p.read_bytes())) for p in paths]
        body = client.post("/admin/documents", headers=AUTH, files=files).json()
        assert [f["file"] for f in body["files"]] == [p.name for p in paths]
        outcomes = {f["file"]: f["documents"] for f in body["files"]}
        for path in paths:
            statuses = {d["status"] for d in outcomes[path.name]}
            expected = {"skipped"} if path.suffix == ".yaml" else {"added"}
            assert statuses == expected, (path.name, outcomes[path.name])
        assert client.get("/stats").json()["documents"] == body["counts"]["added"]
        backers = client.get("/relations", params={"type": "BACKS", "target": "OpenAI"}).json()["items"]
        assert "Microsoft" in {r["source_entity"]["name"] for r in backers}
        again = client.post("/admin/documents", headers=AUTH, files=files).json()
        expected_again = {"unchanged": body["counts"]["added"]}
        if body["counts"].get("skipped"):
            expected_again["skipped"] = body["counts"]["skipped"]
        assert again["counts"] == expected_again
    finally:
        empty.close()
