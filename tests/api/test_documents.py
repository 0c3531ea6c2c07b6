"""Documents: the list, newest first, and one document's entities and relations."""

from __future__ import annotations

from pathlib import Path

from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, TestClient, assert_problem
from tests.graph.factories import make_batch


def test_documents_are_listed_newest_ingested_first(client: TestClient) -> None:
    body = client.get("/documents").json()
    ids = [d["id"] for d in body["items"]]
    assert ids[0] == "doc-altman" and ids[-1] == "doc-msft-openai" and len(ids) == 6
    two = client.get("/documents", params={"page_size": 2, "page": 2}).json()
    assert [d["id"] for d in two["items"]] == ids[2:4] and two["next_page"] == 3


def test_document_detail_has_its_entities_and_only_its_evidence(client: TestClient) -> None:
    doc = client.get("/documents/doc-baidu-rivalry").json()
    assert doc["title"] == "Baidu pitches Ernie against GPT"
    assert doc["published"].startswith("2025-03-12")
    assert {e["id"] for e in doc["entities"]} == {
        "company:baidu",
        "company:openai",
        "company:microsoft",
        "company:tencent",
        "government:chn",
    }
    assert doc["mention_count"] == 5
    backs = [r for r in doc["relations"] if r["type"] == "BACKS"]
    assert len(backs) == 1 and backs[0]["weight"] == 2  # the relation's weight over all documents...
    assert [ev["doc_id"] for ev in backs[0]["evidence"]] == ["doc-baidu-rivalry"]  # ...this one's evidence
    assert backs[0]["source_entity"]["name"] == "Microsoft"


def test_unknown_document_is_404(client: TestClient) -> None:
    body = assert_problem(client.get("/documents/0123456789abcdef01234567"), 404, "0123456789abcdef01234567")
    assert body["doc_id"] == "0123456789abcdef01234567"


def test_a_documents_text_is_served_as_plain_text(make_client: MakeClient, tmp_path: Path) -> None:
    text = "Microsoft agreed to back OpenAI again.\nA second line, with \U0001f916."
    batch = make_batch("doc-with-text", relations=[("company:microsoft", "BACKS", "company:openai")])
    with EmbeddedStore(tmp_path / "texts") as store:
        store.upsert(batch.model_copy(update={"text": text}))
        store.upsert(make_batch("doc-without-text", entities=["company:baidu"]))
        client = make_client(store)
        response = client.get("/documents/doc-with-text/text")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == text
        body = assert_problem(client.get("/documents/doc-without-text/text"), 404, "without its text")
        assert body["doc_id"] == "doc-without-text"
        unknown = "0123456789abcdef01234567"
        assert_problem(client.get(f"/documents/{unknown}/text"), 404, unknown)
