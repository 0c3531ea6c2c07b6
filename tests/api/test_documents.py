"""Documents: the list, newest first, and one document's entities and relations."""

from __future__ import annotations

from tests.api.conftest import TestClient, assert_problem


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
