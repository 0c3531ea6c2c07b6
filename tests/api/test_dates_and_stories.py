"""Issue 11 over HTTP: "when reported" filters use publication dates, and copies of a story count once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from graph import stories
from graph.schema import RelType
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, fill
from tests.graph.factories import make_batch

TEXT = (
    "Microsoft said on Monday it would invest a further ten billion dollars in OpenAI, the maker of "
    "ChatGPT, deepening a partnership that began in 2019 and giving it rights to sell the models."
)


def test_seen_from_ignores_ingest_days_and_weights_count_stories(
    make_client: MakeClient, tmp_path: Path
) -> None:
    backs = ("company:microsoft", RelType.BACKS, "company:openai")
    dated = make_batch("doc-2022", relations=[backs], published=datetime(2022, 10, 12, tzinfo=UTC))
    dated.document.date_source = "text:dateline"
    dated.document.outlet = "Wire"
    dated.document.fingerprint = stories.fingerprint(TEXT)
    copy = make_batch(
        "doc-copy", relations=[backs], published=None, ingested_at=datetime(2026, 12, 7, tzinfo=UTC)
    )
    copy.document.outlet = "Metro"
    copy.document.fingerprint = stories.fingerprint("Metro Tribune\n" + TEXT)
    store = fill(EmbeddedStore(tmp_path / "issue11"), [dated, copy])
    client = make_client(store)

    assert client.get("/relations", params={"seen_from": "2026-01-01"}).json()["items"] == []
    (rel,) = client.get("/relations", params={"seen_from": "2022-01-01"}).json()["items"]
    assert (rel["weight"], rel["outlets"]) == (1, 2)  # one story, told by two outlets
    assert rel["first_seen"].startswith("2022-10-12") and rel["last_seen"].startswith("2022-10-12")

    docs = {d["id"]: d for d in client.get("/documents").json()["items"]}
    assert docs["doc-2022"]["date_source"] == "text:dateline" and docs["doc-2022"]["story"] is None
    assert docs["doc-copy"]["published"] is None and docs["doc-copy"]["story"] == "doc-2022"
    assert "fingerprint" not in docs["doc-copy"]
    store.close()
