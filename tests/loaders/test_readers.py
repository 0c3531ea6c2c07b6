"""Readers: every format, its metadata, and every kind of bad input reported instead of raised."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from graph.errors import BadDocument
from loaders import readers
from loaders.readers import (
    SUPPORTED_SUFFIXES,
    ReadResult,
    decode_text,
    discover,
    headline_of,
    parse_date,
    read_bytes,
    read_file,
)

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 1_000_000

ARTICLE = (
    "Chipmakers Brace For New Curbs\n"
    "\n"
    "The Commerce Department is preparing wider limits on sales of advanced accelerators to China, "
    "officials said on Monday.\n"
    "\n"
    "Two suppliers in the Netherlands and Japan are expected to follow with rules of their own.\n"
)


def only_document(result: ReadResult):
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.documents) == 1
    return result.documents[0]


def only_problem(result: ReadResult) -> BadDocument:
    assert result.documents == []
    assert len(result.problems) == 1
    return result.problems[0]


# --- discover -------------------------------------------------------------------------------------


def test_discover_walks_directories_sorted_and_skips_hidden_entries(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")  # unsupported, still yielded: reading reports it
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "hidden.txt").write_text("x")
    (tmp_path / ".notes.txt").write_text("x")
    single = tmp_path / "b" / "two.md"

    found = list(discover([tmp_path, single]))

    assert found == [tmp_path / "a.txt", tmp_path / "b" / "two.md", tmp_path / "c.pdf", single]


def test_discover_raises_for_a_missing_path_before_yielding_anything(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    missing = tmp_path / "nope"
    with pytest.raises(BadDocument) as caught:
        next(discover([tmp_path, missing]))
    assert caught.value.source == str(missing)
    assert caught.value.reason == "no such file or directory"


def test_discover_survives_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert list(discover([tmp_path])) == [tmp_path / "a.txt"]


# --- plain text -----------------------------------------------------------------------------------


def test_text_file_keeps_its_headline_in_the_text_and_as_title(tmp_path: Path) -> None:
    path = tmp_path / "curbs.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    doc = only_document(read_file(path, LIMIT))

    assert doc.title == "Chipmakers Brace For New Curbs"
    assert doc.text.startswith("Chipmakers Brace For New Curbs\n")
    assert doc.source == str(path)
    assert doc.format == "text"
    assert doc.url is None and doc.published is None


def test_text_first_line_that_is_a_sentence_is_not_a_title() -> None:
    doc = only_document(
        read_bytes(b"The ministry said on Monday it would act.\n\nMore to follow.", "a.txt", LIMIT)
    )
    assert doc.title is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Home News Tech Nvidia Wins Order\n\nNvidia Wins Order\n\nBody text here.", "Nvidia Wins Order"),
        ("Loading...\nBy Ana Reyes\nNvidia Wins Order\n\nBody text here.", "Nvidia Wins Order"),
        ("Is China Winning The Chip Race?\n\nAnalysts disagree.", "Is China Winning The Chip Race?"),
        ("Only one line without a body", None),
        ("2024-06-01\n\nBody.", None),
        (" ".join(["word"] * 30) + "\n\nBody.", None),
    ],
)
def test_headline_rule(text: str, title: str | None) -> None:
    assert headline_of(text) == title


def test_text_suffix_variants_and_windows_newlines() -> None:
    doc = only_document(read_bytes(ARTICLE.replace("\n", "\r\n").encode(), "curbs.TEXT", LIMIT))
    assert "\r" not in doc.text
    assert doc.title == "Chipmakers Brace For New Curbs"


def test_a_txt_file_holding_html_is_read_as_html() -> None:
    html = (FIXTURES / "article.html").read_bytes()
    doc = only_document(read_bytes(html, "saved-page.txt", LIMIT))
    assert doc.format == "html"
    assert "<p>" not in doc.text and "Lumenfold" in doc.text


# --- Markdown -------------------------------------------------------------------------------------


MARKDOWN = """---
title: Seoul Backs Domestic Model Makers
date: 2024-05-02T09:00:00
url: https://example.org/seoul-models
source: Peninsula Tech Review
---
# A heading that is not the title

South Korea's science ministry will **fund** three [local labs](https://example.org/labs) that
train *foundation models*, it said in a statement. ![the ministry](ministry.png)

- The budget is `120 billion won` over two years.
- Two of the labs are university spin-outs.

<div class="aside">An aside in <b>HTML</b>.</div>
"""


def test_markdown_markup_is_reduced_to_text_and_front_matter_gives_metadata() -> None:
    doc = only_document(read_bytes(MARKDOWN.encode(), "seoul.md", LIMIT))

    assert doc.format == "markdown"
    assert doc.title == "Seoul Backs Domestic Model Makers"
    assert doc.url == "https://example.org/seoul-models"
    assert doc.outlet == "Peninsula Tech Review"
    assert doc.published == datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
    assert "will fund three local labs that train foundation models, it said in a statement." in doc.text
    assert "The budget is 120 billion won over two years." in doc.text
    assert "An aside in HTML." in doc.text
    for markup in ("**", "](", "![", "`", "---", "<div", "title:", "ministry.png", "# "):
        assert markup not in doc.text, markup


def test_markdown_first_heading_is_the_title_without_front_matter() -> None:
    text = "Intro line\n\n## Tokyo Courts Chip Fabs\n\nJapan offered subsidies to two foundries.\n"
    doc = only_document(read_bytes(text.encode(), "tokyo.markdown", LIMIT))
    assert doc.title == "Tokyo Courts Chip Fabs"
    assert "Tokyo Courts Chip Fabs" in doc.text


def test_markdown_with_only_markup_is_reported() -> None:
    problem = only_problem(read_bytes(b"![logo](logo.png)\n\n<!-- nothing -->\n", "logo.md", LIMIT))
    assert "no text" in problem.reason


# --- HTML -----------------------------------------------------------------------------------------


def test_html_main_text_and_metadata_come_from_trafilatura() -> None:
    path = FIXTURES / "article.html"
    doc = only_document(read_file(path, LIMIT))

    assert doc.format == "html"
    assert doc.title == "Gulf fund takes stake in Paris chip start-up"
    assert doc.outlet == "Harbour Ledger"
    assert doc.url == "https://harbour-ledger.example/tech/gulf-fund-paris-chips"
    assert doc.published == datetime(2024, 3, 14, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert "bought a minority stake in Lumenfold" in doc.text
    assert "Competition from larger rivals" in doc.text
    # page chrome, scripts, the comment section and the footer are not the article
    for noise in ("dataLayer", "font-family", "Subscribe today", "Great news for European", "All rights"):
        assert noise not in doc.text, noise


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.trafilatura, "bare_extraction", lambda *a, **k: None)
    html = (
        b"<html><head><title>Fallback Title</title><script>var x = 1;</script></head>"
        b"<body><nav>Home Tech</nav><div>Taipei tightened rules on chip exports.</div>"
        b"<p>Officials cited security.</p><footer>Footer links</footer></body></html>"
    )
    doc = only_document(read_bytes(html, "page.htm", LIMIT))
    assert doc.title == "Fallback Title"
    assert doc.text == "Taipei tightened rules on chip exports.\n\nOfficials cited security."


def test_html_without_text_is_reported() -> None:
    problem = only_problem(
        read_bytes(b"<html><head></head><body><script>x()</script></body></html>", "e.html", LIMIT)
    )
    assert problem.reason == "HTML page has no readable text"


# --- JSON and JSONL -------------------------------------------------------------------------------


def test_json_object_is_one_document_with_its_metadata() -> None:
    record = {
        "title": "Riyadh Fund Backs Model Lab",
        "body": "A Saudi fund invested in a model lab based in Abu Dhabi.",
        "link": "https://example.net/riyadh",
        "pubDate": "Wed, 01 May 2024 12:00:00 +0400",
        "source": {"id": "gulf-wire", "name": "Gulf Wire"},
        "author": "Staff",
    }
    doc = only_document(read_bytes(json.dumps(record).encode(), "one.json", LIMIT))
    assert doc.source == "one.json"
    assert doc.format == "json"
    assert doc.title == "Riyadh Fund Backs Model Lab"
    assert doc.text == record["body"]
    assert doc.url == "https://example.net/riyadh"
    assert doc.outlet == "Gulf Wire"
    assert doc.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert doc.extra == {"author": "Staff"}


def test_json_list_gives_numbered_sources_and_reports_records_without_text() -> None:
    records = [
        {"title": "First", "text": "Nvidia sold chips to a Gulf buyer."},
        {"title": "No body at all", "url": "https://example.net/2"},
        {"headline": "Third", "content": "<p>Huawei <em>unveiled</em> a chip.</p><p>It is fast.</p>"},
        "not an object",
    ]
    result = read_bytes(json.dumps(records).encode(), "list.json", LIMIT)

    assert [d.source for d in result.documents] == ["list.json#1", "list.json#3"]
    assert result.documents[1].title == "Third"
    assert result.documents[1].text == "Huawei unveiled a chip.\n\nIt is fast."
    assert [p.source for p in result.problems] == ["list.json#2", "list.json#4"]
    assert "no text" in result.problems[0].reason
    assert "not a JSON object" in result.problems[1].reason


def test_json_wrapper_object_with_an_articles_list() -> None:
    payload = {"status": "ok", "articles": [{"title": "A", "description": "Seoul courts chip firms."}]}
    result = read_bytes(json.dumps(payload).encode(), "api.json", LIMIT)
    assert only_document(result).source == "api.json#1"
    assert result.documents[0].text == "Seoul courts chip firms."


@pytest.mark.parametrize(
    ("data", "reason_part"),
    [
        (b'{"title": "x", "text": ', "invalid JSON"),
        (b"42", "object or a list of objects"),
        (b"[]", "no records"),
        (b'{"title": "only a title"}', "no text"),
    ],
)
def test_bad_json_files_are_reported(data: bytes, reason_part: str) -> None:
    problem = only_problem(read_bytes(data, "bad.json", LIMIT))
    assert problem.source == "bad.json"
    assert reason_part in problem.reason


def test_pathologically_nested_json_is_reported_not_raised() -> None:
    data = b"[" * 200_000 + b"]" * 200_000
    problem = only_problem(read_bytes(data, "deep.json", LIMIT))
    assert problem.reason.startswith("cannot be read as json: RecursionError")


def test_invalid_json_reason_names_line_and_column() -> None:
    problem = only_problem(read_bytes(b'{\n  "title": "x",\n  "text" "missing colon"\n}', "bad.json", LIMIT))
    assert "line 3" in problem.reason


def test_jsonl_broken_line_is_reported_with_its_line_number_and_the_rest_loads(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "text": "Alibaba backed a model start-up."}),
        '{"title": "Two", "text": "unterminated',
        "",
        json.dumps({"title": "Three", "text": "Tencent invested in a chip designer.", "date": "2024-02-03"}),
        json.dumps({"title": "Four"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = read_file(path, LIMIT)

    assert [d.title for d in result.documents] == ["One", "Three"]
    assert [d.source for d in result.documents] == [f"{path}#1", f"{path}#3"]
    assert result.documents[1].published == datetime(2024, 2, 3, tzinfo=UTC)
    assert [p.source for p in result.problems] == [f"{path}#2", f"{path}#4"]
    assert result.problems[0].reason.startswith("line 2: invalid JSON")
    assert result.problems[1].reason.startswith("line 5: record has no text")


def test_ndjson_suffix_is_jsonl() -> None:
    data = b'{"text": "Seoul backs chip firms."}\n{"text": "Tokyo backs fabs."}\n'
    result = read_bytes(data, "x.ndjson", LIMIT)
    assert [d.source for d in result.documents] == ["x.ndjson#1", "x.ndjson#2"]


# --- feeds ----------------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Strait Times Tech Desk</title>
    <link>https://straits.example/</link>
    <item>
      <title>Taiwan tightens chip export rules</title>
      <link>https://straits.example/1</link>
      <pubDate>Tue, 25 Jun 2024 10:00:00 GMT</pubDate>
      <description>Short teaser.</description>
      <content:encoded><![CDATA[<p>Taiwan added two Chinese firms to its <b>entity list</b>.</p>
        <p>The move follows similar <a href="https://x">US rules</a>.</p>]]></content:encoded>
    </item>
    <item>
      <title>Headline only</title>
      <link>https://straits.example/2</link>
    </item>
    <item>
      <title>Seoul &amp; Tokyo talk chips</title>
      <pubDate>Wed, 26 Jun 2024 09:30:00 EST</pubDate>
      <description>&lt;p&gt;Officials from both capitals met in Busan.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Euro Policy Watch</title>
  <id>urn:example:feed</id>
  <updated>2024-07-01T00:00:00Z</updated>
  <entry>
    <title>Commission opens AI office</title>
    <id>urn:example:1</id>
    <link href="https://europolicy.example/ai-office"/>
    <published>2024-07-01T08:15:00+02:00</published>
    <updated>2024-07-02T08:15:00+02:00</updated>
    <summary>Brief.</summary>
    <content type="html">&lt;p&gt;The European Commission opened an office to enforce its AI
      rules.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_entries_use_content_over_summary_and_report_entries_without_text() -> None:
    result = read_bytes(RSS, "desk.rss", LIMIT)

    assert [d.source for d in result.documents] == ["desk.rss#1", "desk.rss#3"]
    first, third = result.documents
    assert first.format == "feed"
    assert first.outlet == "Strait Times Tech Desk"
    assert first.title == "Taiwan tightens chip export rules"
    assert first.url == "https://straits.example/1"
    assert first.published == datetime(2024, 6, 25, 10, 0, tzinfo=UTC)
    assert (
        first.text
        == "Taiwan added two Chinese firms to its entity list.\n\nThe move follows similar US rules."
    )
    assert third.title == "Seoul & Tokyo talk chips"
    assert third.text == "Officials from both capitals met in Busan."
    assert third.published == datetime(2024, 6, 26, 14, 30, tzinfo=UTC)
    assert [p.source for p in result.problems] == ["desk.rss#2"]
    assert result.problems[0].reason == "feed entry has no content or summary"


def test_atom_entry(tmp_path: Path) -> None:
    path = tmp_path / "policy.atom"
    path.write_bytes(ATOM)
    doc = only_document(read_file(path, LIMIT))
    assert doc.source == f"{path}#1"
    assert doc.outlet == "Euro Policy Watch"
    assert doc.url == "https://europolicy.example/ai-office"
    assert doc.text == "The European Commission opened an office to enforce its AI rules."
    assert doc.published == datetime(2024, 7, 1, 6, 15, tzinfo=UTC)


def test_xml_that_is_not_a_feed_is_reported() -> None:
    problem = only_problem(
        read_bytes(b"<?xml version='1.0'?><catalog><book>x</book></catalog>", "c.xml", LIMIT)
    )
    assert problem.reason == "XML but not an RSS or Atom feed (root element <catalog>)"


def test_unparseable_feed_is_reported() -> None:
    problem = only_problem(read_bytes(b"this is not { xml", "broken.rss", LIMIT))
    assert "feedparser cannot parse" in problem.reason


def test_feed_without_entries_is_reported() -> None:
    data = b'<rss version="2.0"><channel><title>Empty</title></channel></rss>'
    assert only_problem(read_bytes(data, "empty.xml", LIMIT)).reason == "feed has no entries"


# --- bad input ------------------------------------------------------------------------------------


def test_binary_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    problem = only_problem(read_file(path, LIMIT))
    assert problem.source == str(path)
    assert problem.reason.startswith("binary file")


def test_control_bytes_without_nul_are_binary() -> None:
    problem = only_problem(read_bytes(bytes(range(1, 32)) * 4, "ctl.txt", LIMIT))
    assert problem.reason.startswith("binary file")


@pytest.mark.parametrize("data", [b"", b"  \n\t\n  "])
def test_empty_files_are_reported(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(data)
    assert only_problem(read_file(path, LIMIT)).reason.startswith("empty file")


def test_undecodable_bytes_are_reported() -> None:
    # Neither UTF-8 nor Windows-1252: 0x81 and 0x8d are unassigned in Windows-1252.
    problem = only_problem(read_bytes(b"Caf\xe9 \x81\x8d au lait", "menu.txt", LIMIT))
    assert problem.reason.startswith("undecodable")


def test_mostly_high_bytes_are_not_taken_for_western_text() -> None:
    data = "芯片出口管制".encode("gb18030") * 20
    assert only_problem(read_bytes(data, "zh.txt", LIMIT)).reason.startswith("undecodable")


def test_unknown_extension_is_reported_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    problem = only_problem(read_file(path, LIMIT))
    assert problem.reason.startswith("unsupported file type '.pdf'")
    assert ".txt" in problem.reason
    assert "(no extension)" in only_problem(read_bytes(b"hello", "README", LIMIT)).reason


def test_too_large_file_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 300)
    problem = only_problem(read_file(path, 1_000))
    assert problem.reason == "too large: 1,500 bytes, the limit is 1,000 bytes"
    assert "1,000 bytes" in only_problem(read_bytes(b"x" * 1_001, "up.txt", 1_000)).reason


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: root reads a chmod 000 file anyway, so it cannot be unreadable",
)
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    try:
        assert only_problem(read_file(path, LIMIT)).reason == "unreadable: permission denied"
    finally:
        path.chmod(0o644)


def test_missing_file_and_directory_passed_to_read_file(tmp_path: Path) -> None:
    assert only_problem(read_file(tmp_path / "gone.txt", LIMIT)).reason == "no such file or directory"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert only_problem(read_file(folder, LIMIT)).reason == "not a regular file"


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "void.json").write_bytes(b"")
    total = ReadResult()
    for path in discover([tmp_path]):
        total.extend(read_file(path, LIMIT))
    assert [d.source for d in total.documents] == [str(tmp_path / "good.txt")]
    assert sorted(Path(p.source).name for p in total.problems) == ["bin.txt", "notes.docx", "void.json"]


def test_supported_suffixes() -> None:
    assert {
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".json",
        ".jsonl",
        ".ndjson",
    } <= SUPPORTED_SUFFIXES
    assert {".xml", ".rss", ".atom"} <= SUPPORTED_SUFFIXES


# --- decoding and dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "Beijing’s regulator — café".encode(),
        "Beijing’s regulator — café".encode("utf-8-sig"),
        "Beijing’s regulator — café".encode("utf-16"),
        "Beijing’s regulator — café".encode("cp1252"),
    ],
)
def test_decoding_rule(data: bytes) -> None:
    assert decode_text(data) == "Beijing’s regulator — café"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-25T10:00:00Z", datetime(2024, 6, 25, 10, tzinfo=UTC)),
        ("2024-06-25 10:00", datetime(2024, 6, 25, 10, tzinfo=UTC)),
        ("Tue, 25 Jun 2024 10:00:00 +0200", datetime(2024, 6, 25, 8, tzinfo=UTC)),
        ("June 25, 2024 3:30 PM PDT", datetime(2024, 6, 25, 22, 30, tzinfo=UTC)),
        (1719309600, datetime(2024, 6, 25, 10, tzinfo=UTC)),
        (1719309600000, datetime(2024, 6, 25, 10, tzinfo=UTC)),
        ("last Tuesday", None),
        ("not a date 2024x", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value: object, expected: datetime | None) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None
