"""The explorer in a real browser, against a real `aigeo serve` over the sample corpus.

Every test runs under `watch`: no console error, and no request to any host but the server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import networkx as nx
import pytest

from tests.graphml_schema import load_schema, schema_errors
from tests.web.conftest import API_KEY, Server, Watch

pytest.importorskip("playwright", reason="the browser tests need the test extras (playwright)")
from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Shots = Callable[[Page, str], Path]

ARTICLE = (
    "Nvidia backs Mistral AI in new funding round\n\nNvidia invested $500 million in Mistral AI, "
    "the Paris-based developer of open-weight language models, the companies said on Tuesday."
)


def open_view(page: Page, server: Server, query: str = "") -> None:
    page.goto(f"{server.base}/{query}")
    page.wait_for_function("() => window.aigeo && window.aigeo.ready")
    settle(page)


def settle(page: Page) -> None:
    page.wait_for_selector("body[data-busy='0']")


def visible_ids(page: Page) -> list[str]:
    ids: list[str] = page.evaluate("() => window.aigeo.cy.elements(':visible').map(e => e.id()).sort()")
    return ids


def visible_edges(page: Page) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = page.evaluate(
        "() => window.aigeo.cy.edges(':visible').map(e => ({id: e.id(), type: e.data('type'),"
        " dates: e.data('dates')}))"
    )
    return edges


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def tap(page: Page, element_id: str) -> None:
    page.evaluate("(id) => { window.aigeo.cy.getElementById(id).emit('tap'); }", element_id)


def node_point(page: Page, node_id: str) -> tuple[float, float]:
    x, y = page.evaluate(
        """(id) => {
            const p = window.aigeo.cy.getElementById(id).renderedPosition();
            const box = document.getElementById('cy').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    return x, y


def test_search_suggests_as_you_type_and_draws_the_neighbourhood(
    page: Page, explorer_server: Server, watch: Watch, shots: Shots
) -> None:
    open_view(page, explorer_server)
    expect(page.locator("#graph-size")).to_contain_text("actors")
    page.keyboard.press("/")
    expect(page.locator("#search")).to_be_focused()
    page.keyboard.type("OpenA")
    options = page.locator("#search-list li")
    expect(options.first).to_contain_text("OpenAI")
    expect(options.first.locator(".type")).to_have_text("Company")
    # Arrow through the suggestions and back, then pick with Enter.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.aigeo.cy.nodes().length > 1")
    settle(page)
    ids = visible_ids(page)
    assert {"company:openai", "company:microsoft", "government:chn"} <= set(ids)
    assert query_of(page)["focus"] == ["company:openai"]
    expect(page.locator(".entity-panel h3")).to_contain_text("OpenAI")
    expect(page.locator(".entity-panel")).to_contain_text("USA")  # its country
    shots(page, "neighbourhood")
    # Back returns to the empty start page, Forward to the view.
    page.go_back()
    page.wait_for_function("() => window.aigeo.cy.elements().length === 0")
    page.go_forward()
    page.wait_for_function("() => window.aigeo.cy.getElementById('company:microsoft').nonempty()")
    settle(page)
    page.keyboard.press("Escape")  # leaves the search box
    page.keyboard.press("Escape")  # clears the selection
    assert "sel" not in query_of(page)


def api(server: Server, path: str, **params: Any) -> Any:
    """What the server answers: the tests hold the page to it rather than to today's extraction."""
    response = httpx.get(f"{server.base}{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def test_double_click_expands_a_node_within_the_cap(
    page: Page, explorer_server: Server, watch: Watch
) -> None:
    open_view(page, explorer_server, "?focus=company:openai")
    before = {i for i in visible_ids(page) if "|" not in i}
    around = api(explorer_server, "/graph/neighbourhood", entity="company:microsoft")
    new = {n["id"] for n in around["nodes"]} - before
    assert len(new) >= 2, "the sample corpus should give Microsoft neighbours OpenAI lacks"
    page.fill("#cap", "1")
    page.dispatch_event("#cap", "change")
    x, y = node_point(page, "company:microsoft")
    page.mouse.dblclick(x, y)
    page.wait_for_function("() => /expand=/.test(window.location.search)")
    settle(page)
    added = {i for i in visible_ids(page) if "|" not in i} - before
    assert len(added) == 1 and added <= new, added
    expect(page.locator("#status")).to_contain_text(f"{len(new) - 1} more over the cap of 1")
    assert query_of(page)["expand"] == ["company:microsoft"]
    # From the keyboard: the selected node expands with 'e', now with room for all.
    page.fill("#cap", "50")
    page.dispatch_event("#cap", "change")
    page.evaluate("() => document.activeElement.blur()")  # keys typed into a field do not command
    page.keyboard.press("e")
    page.wait_for_function(
        "(ids) => ids.every((id) => window.aigeo.cy.getElementById(id).nonempty())", arg=sorted(new)
    )
    settle(page)


def test_path_mode_shows_each_hop_with_its_evidence(
    page: Page, explorer_server: Server, watch: Watch, shots: Shots
) -> None:
    expected = api(explorer_server, "/graph/paths", source="Microsoft", target="China", mode="all_shortest")
    assert expected["paths"]
    open_view(page, explorer_server)
    page.click("#mode-path")
    page.fill("#path-source", "Microsoft")
    expect(page.locator("#path-source-list li").first).to_contain_text("Microsoft")
    page.keyboard.press("Enter")
    expect(page.locator("#path-target")).to_be_focused()
    page.keyboard.type("China")
    expect(page.locator("#path-target-list li").first).to_contain_text("China")
    page.keyboard.press("Enter")
    panel = page.locator(".paths-panel")
    expect(panel).to_contain_text("Microsoft → China")
    settle(page)
    expect(panel.locator(".path")).to_have_count(len(expected["paths"]))
    first = expected["paths"][0]
    hops = panel.locator(".path").first.locator(".hop")
    expect(hops).to_have_count(first["hops"])
    for i, rel in enumerate(first["edges"]):
        a, b = first["nodes"][i]["name"], first["nodes"][i + 1]["name"]
        expect(hops.nth(i)).to_contain_text(re.compile(rf"{re.escape(a)} \S*{rel['type']}\S* {re.escape(b)}"))
        sentences = hops.nth(i).locator(".evidence-item")
        expect(sentences).to_have_count(len(rel["evidence"]))
        expect(sentences.first.locator("mark.actor").first).to_be_visible()
    assert query_of(page)["src"] == ["company:microsoft"] and query_of(page)["dst"] == ["government:chn"]
    drawn = {i for i in visible_ids(page) if "|" not in i}
    assert drawn == {n["id"] for p in expected["paths"] for n in p["nodes"]}
    shots(page, "path")


def test_a_selected_relation_shows_every_sentence_with_its_document(
    page: Page, explorer_server: Server, watch: Watch, shots: Shots
) -> None:
    key = "company:microsoft|BACKS|company:openai"
    rel = api(explorer_server, "/relations", source="Microsoft", target="OpenAI", type="BACKS")["items"][0]
    open_view(page, explorer_server, f"?focus=company:openai&sel={key}")  # selection from the URL
    relation = page.locator(".relation-panel")
    expect(relation.locator("h3")).to_contain_text("Microsoft BACKS → OpenAI")
    items = relation.locator(".evidence-item")
    expect(items).to_have_count(len(rel["evidence"]))
    for i, ev in enumerate(rel["evidence"]):
        expect(items.nth(i).locator("blockquote")).to_have_text(ev["sentence"])
        expect(items.nth(i).locator(".badge").first).to_have_text(ev["extractor"])
    expect(relation.locator("mark.trigger", has_text=re.compile("invest", re.I)).first).to_be_visible()
    for i, ev in enumerate(rel["evidence"]):  # the trigger the extractor recorded, and only it
        assert ev["trigger_start"] is not None, ev
        word = ev["sentence"][ev["trigger_start"] : ev["trigger_end"]]
        expect(items.nth(i).locator("blockquote mark.trigger")).to_have_text([word])
    expect(relation.locator(".doc-line a").first).to_have_attribute("href", re.compile("^https?://"))
    expect(relation.locator(".outlet", has_text="·").first).to_be_visible()  # the outlet, from /documents
    shots(page, "evidence")


def test_the_graph_can_be_walked_from_the_keyboard(page: Page, explorer_server: Server, watch: Watch) -> None:
    open_view(page, explorer_server, "?focus=company:openai")
    names = page.evaluate("() => window.aigeo.cy.nodes(':visible').map((n) => [n.data('label'), n.id()])")
    first = min(names)[1]
    page.keyboard.press("ArrowDown")  # the first node by name
    expect(page.locator(".entity-panel .muted").first).to_contain_text(first)
    assert query_of(page)["sel"] == [first]
    page.keyboard.press("ArrowRight")  # then its relations, one by one
    edge = query_of(page)["sel"][0]
    assert first in edge.split("|")
    expect(page.locator(".relation-panel")).to_be_visible()
    page.keyboard.press("Escape")
    assert "sel" not in query_of(page)

    # From a node's panel into path mode, with that node as one end.
    open_view(page, explorer_server, "?focus=company:openai&sel=company:openai")
    page.click("#path-from-here")
    expect(page.locator("#path-source")).to_have_value("OpenAI")
    expect(page.locator("#path-target")).to_be_focused()
    page.keyboard.type("China")
    expect(page.locator("#path-target-list li").first).to_contain_text("China")
    page.keyboard.press("Enter")
    expect(page.locator(".paths-panel h3")).to_have_text("OpenAI → China")


def test_filters_hide_what_they_should_and_the_url_reloads_the_same_view(
    page: Page, explorer_server: Server, watch: Watch, shots: Shots
) -> None:
    open_view(page, explorer_server, "?focus=company:openai")
    edges = visible_edges(page)
    assert any(e["type"] == "COMPETES_WITH" for e in edges)

    page.locator("#rel-types input[data-type='COMPETES_WITH']").uncheck()
    settle(page)  # the view may still be placing what it fetched when the box is unchecked
    page.wait_for_function("() => window.aigeo.cy.edges(':visible[type = \"COMPETES_WITH\"]').length === 0")
    after_type = visible_edges(page)
    assert after_type and not any(e["type"] == "COMPETES_WITH" for e in after_type)
    assert {e["id"] for e in after_type} == {e["id"] for e in edges if e["type"] != "COMPETES_WITH"}

    expect(page.locator("#histogram rect").first).to_be_attached()
    # Reported on or after a date half-way through the view's: what was reported only before it goes.
    latest = sorted({max(e["dates"]) for e in after_type})
    assert len(latest) >= 2, "the sample corpus should report OpenAI's relations on several dates"
    since = latest[len(latest) // 2]
    page.fill("#date-from", since)
    page.dispatch_event("#date-from", "change")
    after_date = visible_edges(page)
    assert after_date and len(after_date) < len(after_type)
    assert all(any(d >= since for d in e["dates"]) for e in after_date)
    hidden = {e["id"] for e in after_type} - {e["id"] for e in after_date}
    assert all(all(d < since for d in e["dates"]) for e in after_type if e["id"] in hidden)

    chosen = after_date[0]["id"]
    tap(page, chosen)
    expect(page.locator(".relation-panel")).to_be_visible()
    query = query_of(page)
    assert query["xr"] == ["COMPETES_WITH"] and query["from"] == [since]
    assert query["sel"] == [chosen]
    shots(page, "filters")

    view = visible_ids(page)
    page.reload()
    page.wait_for_function("() => window.aigeo && window.aigeo.ready")
    settle(page)
    assert visible_ids(page) == view
    expect(page.locator("#rel-types input[data-type='COMPETES_WITH']")).not_to_be_checked()
    expect(page.locator("#date-from")).to_have_value(since)
    assert page.evaluate("() => window.aigeo.cy.$(':selected').map((e) => e.id())") == [chosen]
    expect(page.locator(".relation-panel h3")).to_contain_text(chosen.split("|")[1])


def test_exports_the_drawn_view_as_png_graphml_and_cytoscape_json(
    page: Page, explorer_server: Server, watch: Watch, tmp_path: Path
) -> None:
    open_view(page, explorer_server, "?focus=company:openai&xn=Government")
    shown = [i for i in visible_ids(page) if "|" not in i]
    assert "government:chn" not in shown

    def fetch(button: str) -> Path:
        page.click("#export-menu summary")
        with page.expect_download() as info:
            page.click(button)
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        return target

    assert fetch("#export-png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    drawn = fetch("#export-graphml")
    schema = load_schema(tmp_path)
    if not isinstance(schema, str):  # without the schema (tests/graphml_schema.py) the readers still check it
        assert schema_errors(schema, drawn) == []
    graph = nx.read_graphml(drawn)
    assert sorted(graph.nodes) == sorted(shown)
    assert graph.nodes["company:openai"]["type"] == "Company"
    elements = json.loads(fetch("#export-cyjs").read_text())["elements"]
    assert sorted(n["data"]["id"] for n in elements["nodes"]) == sorted(shown)
    assert all(e["data"]["source"] in shown and e["data"]["target"] in shown for e in elements["edges"])


def test_docs_and_redoc_render_from_local_assets(page: Page, explorer_server: Server, watch: Watch) -> None:
    # ReDoc shows a logo from its CDN; the page's Content-Security-Policy blocks it, as no internet would.
    watch.allow("Content Security Policy")
    page.goto(f"{explorer_server.base}/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/graph/paths")
    page.goto(f"{explorer_server.base}/redoc")
    expect(page.locator("h1").first).to_contain_text("aigeo", timeout=20_000)
    expect(page.get_by_text("Neighbourhoods and paths.").first).to_be_attached()


def test_upload_needs_the_key_and_draws_the_relations_it_added(
    page: Page, explorer_server: Server, watch: Watch, shots: Shots
) -> None:
    # Runs last: it adds a document to the shared server's store.
    open_view(page, explorer_server, "?focus=company:mistral-ai")
    watch.allow("401")  # the refused upload is logged by the browser as a failed request
    page.click("#upload-open")
    dialog = page.locator("#upload-dialog")
    expect(dialog).to_be_visible()
    page.fill("#upload-text", ARTICLE)
    page.fill("#upload-key", "not-the-key")
    page.click("#upload-send")
    expect(page.locator("#upload-result")).to_contain_text("Refused (401)")

    page.fill("#upload-key", API_KEY)
    page.click("#upload-send")
    result = page.locator("#upload-result")
    expect(result).to_contain_text("pasted.txt: added", timeout=60_000)
    expect(result.locator(".added-relation", has_text="Nvidia BACKS Mistral AI")).to_be_visible()
    settle(page)
    new = page.evaluate("() => window.aigeo.cy.elements('.new').map(e => e.id())")
    assert "company:nvidia|BACKS|company:mistral-ai" in new
    shots(page, "upload")

    # The same article as a file: recognised by its content, nothing added twice.
    page.fill("#upload-text", "")
    page.set_input_files(
        "#upload-file",
        files=[{"name": "article.txt", "mimeType": "text/plain", "buffer": ARTICLE.encode()}],
    )
    page.click("#upload-send")
    expect(result).to_contain_text("article.txt: unchanged", timeout=30_000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize(
    ("extractor", "sentence", "marked"),
    [
        ("backs.active.invest", "Microsoft invested $1 billion in OpenAI.", ["invested"]),
        ("restricts.licence.revoke", "Washington revoked the licences.", ["revoked", "licences"]),
        ("frame.restricts.ordered_to_stop", "It was ordered to stop selling.", ["ordered", "stop"]),
        ("competes.noun.rival", "Baidu, a rival of OpenAI, said so.", ["rival"]),
        ("backs.passive", "OpenAI is backed by Microsoft.", []),
    ],
)
def test_trigger_words_are_read_from_the_extractor_rule(
    page: Page, explorer_server: Server, watch: Watch, extractor: str, sentence: str, marked: list[str]
) -> None:
    open_view(page, explorer_server)
    found = page.evaluate(
        """async ([extractor, sentence]) => {
            const { markSentence, triggerStems } = await import('/web/js/evidence.js');
            const box = document.createElement('p');
            box.append(markSentence(sentence, triggerStems(extractor), ['OpenAI', 'Microsoft']));
            return [...box.querySelectorAll('mark.trigger')].map((m) => m.textContent);
        }""",
        [extractor, sentence],
    )
    assert found == marked


@pytest.mark.parametrize(
    ("extractor", "sentence", "span", "marked"),
    [
        # the recorded span wins over the rule's name, which here names another word
        ("backs.active.invest", "Microsoft put $1 billion into OpenAI, an investment.", (10, 13), ["put"]),
        ("competes.noun.rival", "Baidu, a rival of OpenAI, said so.", (9, 14), ["rival"]),
        ("backs.passive", "OpenAI is backed by Microsoft.", (10, 16), ["backed"]),
        # offsets count code points, as the API does: an emoji before the word takes two UTF-16 units
        ("restricts.verb.block", "\U0001f6ab Washington blocked the sale.", (13, 20), ["blocked"]),
        # no span (a store from before triggers were recorded): the rule's name is the guess
        ("backs.active.invest", "Microsoft invested $1 billion in OpenAI.", None, ["invested"]),
    ],
)
def test_trigger_words_are_the_recorded_span_when_the_evidence_has_one(
    page: Page,
    explorer_server: Server,
    watch: Watch,
    extractor: str,
    sentence: str,
    span: tuple[int, int] | None,
    marked: list[str],
) -> None:
    open_view(page, explorer_server)
    start, end = span or (None, None)
    found = page.evaluate(
        """async ([extractor, sentence, start, end]) => {
            const { markSentence, triggerSpan, triggerStems } = await import('/web/js/evidence.js');
            const ev = { sentence, extractor, trigger_start: start, trigger_end: end };
            const box = document.createElement('p');
            const names = ['OpenAI', 'Microsoft'];
            box.append(markSentence(sentence, triggerStems(extractor), names, triggerSpan(ev)));
            return [...box.querySelectorAll('mark.trigger')].map((m) => m.textContent);
        }""",
        [extractor, sentence, start, end],
    )
    assert found == marked
