// The explorer: search an actor and see its neighbourhood, expand nodes, find the shortest paths
// between two actors, read the evidence behind every relation, filter, share the view by its URL,
// export it, and (with the server's API key) upload an article. Only the public REST API is used.

/* global cytoscape */
import { api, entity } from "./api.js";
import { day, el } from "./dom.js";
import { entityPanel, pathsPanel, relationPanel } from "./evidence.js";
import { exportView } from "./export.js";
import { applyFilters, renderHistogram, renderLegend, syncLegend, updateCounts } from "./filters.js";
import { combobox } from "./search.js";
import { readState, writeState } from "./state.js";
import { edgeWidth, nodeSize, stylesheet } from "./style.js";

const $ = (id) => document.getElementById(id);
const timings = {};
const app = { timings, ready: false };
window.aigeo = app; // for the browser tests and the benchmark

let pending = 1; // the start-up itself
async function busy(work) {
  pending += 1;
  document.body.dataset.busy = "1";
  try {
    return await work();
  } catch (err) {
    status(err.message || String(err), true);
    return undefined;
  } finally {
    pending -= 1;
    if (pending === 0) document.body.dataset.busy = "0";
  }
}

function status(message, error = false) {
  const box = $("status");
  box.textContent = message;
  box.classList.toggle("error", error);
}

const legend = await (await fetch("/web/legend.json")).json();
const state = readState();
const cy = cytoscape({
  container: $("cy"),
  style: stylesheet(legend),
  minZoom: 0.05,
  maxZoom: 4,
  boxSelectionEnabled: false,
});
app.cy = cy;
app.state = state;

const entities = new Map(); // id -> EntityOut, for names and aliases in the panels
let pathResult = null;

const edgeId = (rel) => `${rel.source}|${rel.type}|${rel.target}`;

function nodeData(e) {
  return {
    id: e.id,
    label: e.name,
    type: e.type,
    aliases: e.aliases || [],
    country: e.country ?? null,
    mention_count: e.mention_count ?? 0,
    first_seen: e.first_seen ?? null,
    last_seen: e.last_seen ?? null,
    size: nodeSize(legend, e.type, e.mention_count),
  };
}

function edgeData(rel) {
  // "Reported" is the date of the article behind each sentence; an undated article counts as
  // reported when the relation was last seen (for such articles, when they were ingested).
  const evidenceDates = rel.evidence.map((ev) => day(ev.doc_published || rel.last_seen)).filter(Boolean);
  const dates = evidenceDates.length ? evidenceDates : [day(rel.first_seen), day(rel.last_seen)].filter(Boolean);
  return {
    id: edgeId(rel),
    source: rel.source,
    target: rel.target,
    type: rel.type,
    weight: rel.weight,
    confidence: rel.confidence,
    hedged: rel.hedged,
    symmetric: rel.symmetric,
    since: rel.since,
    first_seen: rel.first_seen,
    last_seen: rel.last_seen,
    evidence_count: rel.evidence.length,
    width: edgeWidth(legend, rel.type, rel.weight),
    dates,
    evidenceDates,
    rel,
  };
}

/** Add nodes (at most `cap` new ones, placed around `around`) and the edges whose ends are drawn. */
function addGraph(nodes, edges, { around = null, cap = Infinity, classes = "" } = {}) {
  let added = 0;
  let skipped = 0;
  const centre = around ? cy.getElementById(around) : null;
  const base = centre && centre.nonempty() ? centre.position() : { x: 0, y: 0 };
  cy.batch(() => {
    for (const node of nodes) {
      if (!entities.has(node.id) || node.aliases) entities.set(node.id, node);
      const drawn = cy.getElementById(node.id);
      if (drawn.nonempty()) {
        if (classes) drawn.addClass(classes);
        continue;
      }
      if (added >= cap) {
        skipped += 1;
        continue;
      }
      const angle = added * 2.39996; // the golden angle: spread, and the same each time
      const radius = 60 + 6 * Math.sqrt(added);
      cy.add({
        group: "nodes",
        data: nodeData(node),
        position: { x: base.x + radius * Math.cos(angle), y: base.y + radius * Math.sin(angle) },
        classes,
      });
      added += 1;
    }
    for (const rel of edges) {
      const drawn = cy.getElementById(edgeId(rel));
      if (drawn.nonempty()) {
        if (classes) drawn.addClass(classes); // already drawn: marked, its fuller evidence kept
        continue;
      }
      if (cy.getElementById(rel.source).empty() || cy.getElementById(rel.target).empty()) continue;
      cy.add({ group: "edges", data: edgeData(rel), classes });
    }
  });
  return { added, skipped };
}

function runLayout({ incremental = false } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const layout = cy.layout({
      name: "fcose",
      // fCoSE refines current positions only at "proof" quality; a fresh view starts from spectral.
      quality: incremental ? "proof" : "default",
      randomize: !incremental,
      animate: false,
      fit: true,
      padding: 40,
      nodeRepulsion: 9000,
      idealEdgeLength: 110,
      nodeSeparation: 90,
      packComponents: true,
    });
    layout.one("layoutstop", () => {
      timings.lastLayoutMs = performance.now() - started;
      if (cy.zoom() > 1.4) {
        cy.zoom(1.4); // a view of three nodes should not fill the screen
        cy.center();
      }
      window.requestAnimationFrame(() => resolve());
    });
    layout.run();
  });
}

function refresh() {
  applyFilters(cy, state);
  cy.edges().toggleClass("labelled", state.labels);
  updateCounts(cy, $("filters"));
  renderHistogram($("histogram"), cy, state, (from, to) => {
    state.from = from;
    state.to = to;
    syncControls();
    filtersChanged();
  });
  const maxWeight = Math.max(10, ...cy.edges().map((e) => e.data("weight")));
  $("min-weight").max = String(maxWeight);
  const shown = cy.elements(":visible");
  $("counts").textContent = cy.elements().length
    ? `${shown.nodes().length} of ${cy.nodes().length} nodes, ${shown.edges().length} of ${cy.edges().length} relations shown`
    : "";
  $("empty").hidden = cy.elements().length > 0;
}

// ---- details panel --------------------------------------------------------------------------

function ends(id, rel = null) {
  const known = entities.get(id);
  if (known) return known;
  if (rel && rel.source_entity && rel.source_entity.id === id) return rel.source_entity;
  if (rel && rel.target_entity && rel.target_entity.id === id) return rel.target_entity;
  return { id, name: id, aliases: [] };
}

function showPanel(content) {
  $("details-body").replaceChildren(content);
}

function showRelation(rel) {
  showPanel(relationPanel(rel, (id) => ends(id, rel)));
}

async function showEntity(id) {
  const detail = await entity(id);
  entities.set(detail.id, detail);
  showPanel(
    entityPanel(detail, {
      legend,
      onExpand: () => expand(detail.id),
      onPath: (end) => {
        setMode("path");
        (end === "source" ? sourceBox : targetBox).set(detail);
        $(end === "source" ? "path-target" : "path-source").focus();
      },
      onSelect: (rel) => {
        const drawn = cy.getElementById(edgeId(rel));
        if (drawn.nonempty()) select(drawn.id());
        else showRelation(rel);
      },
    }),
  );
}

function showPaths() {
  if (!pathResult) return;
  showPanel(
    pathsPanel(pathResult, {
      ends: (id) => ends(id),
      onActivate: (i) => highlightPath(i),
    }),
  );
}

function highlightPath(index) {
  const path = pathResult.paths[index];
  const ids = new Set([...path.nodes.map((n) => n.id), ...path.edges.map(edgeId)]);
  cy.batch(() => {
    cy.elements().forEach((ele) => ele.toggleClass("faded", !ids.has(ele.id())));
  });
  for (const box of document.querySelectorAll(".path")) box.classList.toggle("active", box.dataset.index === String(index));
}

async function select(id) {
  const ele = cy.getElementById(id);
  if (ele.empty()) return;
  cy.batch(() => {
    cy.elements().unselect().removeClass("hl");
    ele.select();
    if (ele.isNode()) ele.connectedEdges().addClass("hl");
  });
  state.sel = id;
  writeState(state);
  if (ele.isEdge()) showRelation(ele.data("rel"));
  else await busy(() => showEntity(id));
}

function clearSelection() {
  cy.elements().unselect().removeClass("hl faded");
  state.sel = "";
  writeState(state);
  if (pathResult) showPaths();
  else $("details-body").replaceChildren(el("p", { class: "muted", text: "Select a node or a relation to read its evidence." }));
}

// ---- queries --------------------------------------------------------------------------------

async function neighbourhood(id, extra) {
  const limit = Math.min(10000, state.cap + 1 + extra);
  return api("/graph/neighbourhood", { entity: id, depth: state.depth, limit });
}

async function loadFocus(id, { push = true, restore = false } = {}) {
  const sub = await neighbourhood(id, 0);
  pathResult = null;
  cy.elements().remove();
  state.focus = sub.entity.id;
  state.src = "";
  state.dst = "";
  if (!restore) {
    state.expand = [];
    state.sel = "";
  }
  addGraph(sub.nodes, sub.edges, { cap: state.cap });
  cy.getElementById(state.focus).addClass("pinned");
  searchBox.set(sub.entity);
  for (const other of state.expand) {
    // A shared link may name a node that has since gone (its documents retracted): skip it.
    const more = await neighbourhood(other, cy.nodes().length).catch(() => null);
    if (!more) continue;
    addGraph(more.nodes, more.edges, { around: other, cap: state.cap });
    cy.getElementById(other).addClass("pinned");
  }
  state.expand = state.expand.filter((other) => cy.getElementById(other).nonempty());
  refresh();
  await runLayout();
  writeState(state, { push });
  if (state.sel && cy.getElementById(state.sel).nonempty()) await select(state.sel);
  else await showEntity(state.focus);
  status(`${sub.entity.name}: ${cy.nodes().length} nodes, ${cy.edges().length} relations`);
}

async function expand(id) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  await busy(async () => {
    const sub = await neighbourhood(id, cy.nodes().length);
    const { added, skipped } = addGraph(sub.nodes, sub.edges, { around: id, cap: state.cap });
    node.addClass("pinned");
    if (id !== state.focus && !state.expand.includes(id)) state.expand.push(id);
    refresh();
    await runLayout({ incremental: true });
    writeState(state);
    const more = skipped ? `; ${skipped} more over the cap of ${state.cap}` : "";
    status(`${node.data("label")}: ${added} node${added === 1 ? "" : "s"} added${more}`);
  });
}

async function findPaths({ push = true } = {}) {
  const [src, dst] = [await sourceBox.resolve(), await targetBox.resolve()];
  if (!src || !dst) {
    status("Pick both ends of the path.", true);
    return;
  }
  state.hops = Number($("max-hops").value);
  const result = await api("/graph/paths", { source: src, target: dst, mode: "all_shortest", max_hops: state.hops });
  pathResult = result;
  Object.assign(state, { src: result.source.id, dst: result.target.id, focus: "", expand: [] });
  if (push) state.sel = "";
  sourceBox.set(result.source);
  targetBox.set(result.target);
  cy.elements().remove();
  for (const path of result.paths) addGraph(path.nodes, path.edges);
  cy.getElementById(result.source.id).addClass("pinned");
  cy.getElementById(result.target.id).addClass("pinned");
  cy.edges().addClass("on-path");
  refresh();
  await runLayout();
  writeState(state, { push });
  showPaths();
  if (state.sel && cy.getElementById(state.sel).nonempty()) await select(state.sel);
  const hops = result.paths.length ? result.paths[0].edges.length : 0;
  status(`${result.paths.length} shortest path${result.paths.length === 1 ? "" : "s"} of ${hops} hop${hops === 1 ? "" : "s"}`);
}

// ---- controls -------------------------------------------------------------------------------

const searchBox = combobox($("search"), $("search-list"), {
  legend,
  onPick: (picked) => busy(() => loadFocus(picked.id)),
});
// Picking one end finds the paths when the other is there already, else moves on to it.
const pickEnd = (other) => () => ($(other).value.trim() ? busy(() => findPaths()) : $(other).focus());
const sourceBox = combobox($("path-source"), $("path-source-list"), { legend, onPick: pickEnd("path-target") });
const targetBox = combobox($("path-target"), $("path-target-list"), { legend, onPick: pickEnd("path-source") });

function setMode(mode) {
  const path = mode === "path";
  $("mode-explore").setAttribute("aria-selected", String(!path));
  $("mode-path").setAttribute("aria-selected", String(path));
  $("explore-form").hidden = path;
  $("path-form").hidden = !path;
}
$("mode-explore").addEventListener("click", () => {
  setMode("explore");
  $("search").focus();
});
$("mode-path").addEventListener("click", () => {
  setMode("path");
  $("path-source").focus();
});
$("explore-form").addEventListener("submit", (event) => event.preventDefault());
$("path-form").addEventListener("submit", (event) => {
  event.preventDefault();
  busy(() => findPaths());
});

function syncControls() {
  $("depth").value = String(state.depth);
  $("cap").value = String(state.cap);
  $("max-hops").value = String(state.hops);
  $("date-from").value = state.from;
  $("date-to").value = state.to;
  $("min-weight").value = String(state.w);
  $("weight-out").textContent = String(state.w);
  $("min-confidence").value = String(state.c);
  $("confidence-out").textContent = state.c.toFixed(2);
  $("hedged").checked = state.hedged;
  $("edge-labels").checked = state.labels;
  syncLegend(state, $("filters"));
}

function filtersChanged() {
  refresh();
  writeState(state);
}

renderLegend(legend, state, { nodesBox: $("node-types"), relsBox: $("rel-types"), onChange: filtersChanged });
$("depth").addEventListener("change", () => {
  state.depth = Number($("depth").value);
  writeState(state);
});
$("cap").addEventListener("change", () => {
  state.cap = Math.max(1, Math.min(2000, Number($("cap").value) || 50));
  writeState(state);
});
for (const [id, key] of [["date-from", "from"], ["date-to", "to"]]) {
  $(id).addEventListener("change", () => {
    state[key] = $(id).value;
    filtersChanged();
  });
}
$("date-clear").addEventListener("click", () => {
  state.from = "";
  state.to = "";
  syncControls();
  filtersChanged();
});
$("min-weight").addEventListener("input", () => {
  state.w = Number($("min-weight").value);
  $("weight-out").textContent = String(state.w);
  filtersChanged();
});
$("min-confidence").addEventListener("input", () => {
  state.c = Number($("min-confidence").value);
  $("confidence-out").textContent = state.c.toFixed(2);
  filtersChanged();
});
$("hedged").addEventListener("change", () => {
  state.hedged = $("hedged").checked;
  filtersChanged();
});
$("edge-labels").addEventListener("change", () => {
  state.labels = $("edge-labels").checked;
  filtersChanged();
});

const viewName = () => `aigeo-${(state.focus || `${state.src}-to-${state.dst}` || "view").replace(/[^\w-]+/g, "_")}`;
for (const [id, format] of [["export-png", "png"], ["export-graphml", "graphml"], ["export-cyjs", "cyjs"]]) {
  $(id).addEventListener("click", () => {
    exportView(cy, format, viewName());
    $("export-menu").open = false;
  });
}

cy.on("tap", "node, edge", (event) => select(event.target.id()));
cy.on("tap", (event) => {
  if (event.target === cy) clearSelection();
});
cy.on("dbltap", "node", (event) => expand(event.target.id()));

document.addEventListener("keydown", (event) => {
  // Keys meant for a field, a button or a link are theirs.
  const typing = event.target.closest && event.target.closest("input, textarea, select, dialog, button, a, summary, .path");
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") {
    event.preventDefault();
    ($("path-form").hidden ? $("search") : $("path-source")).focus();
  } else if (event.key === "Escape") {
    clearSelection();
  } else if ((event.key === "e" || event.key === "Enter") && state.sel && cy.getElementById(state.sel).isNode()) {
    expand(state.sel);
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    step(cy.nodes(":visible"), event.key === "ArrowDown" ? 1 : -1);
  } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && state.sel) {
    event.preventDefault();
    const current = cy.getElementById(state.sel);
    const walked = cy.getElementById(walkFrom);
    const node = current.isNode() ? current : walked.nonempty() && current.connectedNodes().contains(walked) ? walked : current.source();
    step(node.connectedEdges(":visible"), event.key === "ArrowRight" ? 1 : -1, node);
  }
});

let walkFrom = ""; // the node whose relations the arrow keys are walking through

/** Keyboard walk: the next (or previous) element of `among`, nodes by name, relations by the other end. */
function step(among, direction, from = null) {
  if (!among.length) return;
  const label = (ele) => (ele.isNode() ? ele.data("label") : (ele.source().same(from) ? ele.target() : ele.source()).data("label"));
  const sorted = among.sort((a, b) => label(a).localeCompare(label(b)) || a.id().localeCompare(b.id()));
  const at = sorted.toArray().findIndex((ele) => ele.id() === state.sel);
  const index = at < 0 ? (direction > 0 ? 0 : sorted.length - 1) : (at + direction + sorted.length) % sorted.length;
  const next = sorted[index];
  walkFrom = from ? from.id() : "";
  cy.animate({ center: { eles: next }, duration: 150 });
  select(next.id());
}

// ---- upload (only where the server has an API key: the write endpoints exist only then) -------

function setupUpload() {
  const dialog = $("upload-dialog");
  const result = $("upload-result");
  $("upload-open").hidden = false;
  $("upload-open").addEventListener("click", () => {
    result.replaceChildren();
    dialog.showModal();
  });
  $("upload-cancel").addEventListener("click", () => dialog.close());
  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData();
    const file = $("upload-file").files[0];
    const text = $("upload-text").value.trim();
    if (file) form.append("files", file, file.name);
    if (text) form.append("files", new Blob([text], { type: "text/plain" }), "pasted.txt");
    if (!file && !text) {
      result.className = "error";
      result.textContent = "Choose a file or paste a text.";
      return;
    }
    result.className = "";
    result.textContent = "Uploading and extracting…";
    await busy(async () => {
      let report;
      try {
        report = await api("/admin/documents", {}, { method: "POST", headers: { "X-API-Key": $("upload-key").value }, body: form });
      } catch (err) {
        result.className = "error";
        result.textContent = `Refused (${err.status || "error"}): ${err.message}`;
        return;
      }
      const outcomes = report.files.flatMap((f) => f.documents);
      const lines = [];
      const drawn = [];
      for (const outcome of outcomes) {
        lines.push(el("li", { text: `${outcome.source}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ""}, ${outcome.relations} relations` }));
        if (!outcome.doc_id || !["added", "replaced"].includes(outcome.status)) continue;
        const doc = await api(`/documents/${encodeURIComponent(outcome.doc_id)}`);
        for (const rel of doc.relations) {
          lines.push(el("li", { class: "added-relation", text: `${rel.source_entity.name} ${rel.type} ${rel.target_entity.name}` }));
          // The document lists only its own evidence: draw the relation with all of it.
          const full = await api("/relations", { source: rel.source, target: rel.target, type: rel.type, page_size: 1 });
          drawn.push(full.items[0] || rel);
        }
      }
      result.replaceChildren(el("ul", {}, lines));
      if (drawn.length) {
        const nodes = drawn.flatMap((rel) => [rel.source_entity, rel.target_entity]);
        addGraph(nodes, drawn, { classes: "new" });
        refresh();
        await runLayout({ incremental: cy.nodes().length > nodes.length });
      }
    });
  });
}

// ---- start ----------------------------------------------------------------------------------

async function restore({ push = false } = {}) {
  syncControls();
  if (state.src && state.dst) {
    setMode("path");
    sourceBox.set({ id: state.src, name: state.src });
    targetBox.set({ id: state.dst, name: state.dst });
    await findPaths({ push });
  } else if (state.focus) {
    setMode("explore");
    await loadFocus(state.focus, { push, restore: true });
  } else {
    pathResult = null;
    cy.elements().remove();
    refresh();
  }
}

window.addEventListener("popstate", () => {
  Object.assign(state, readState());
  busy(() => restore());
});

try {
  const [stats, spec] = await Promise.all([api("/stats"), api("/openapi.json")]);
  $("graph-size").textContent = `The graph holds ${stats.entities} actors and ${stats.relations} relations from ${stats.documents} documents.`;
  if (spec.paths && spec.paths["/admin/documents"]) setupUpload();
  await restore();
} catch (err) {
  status(err.message || String(err), true);
} finally {
  timings.firstViewMs = performance.now(); // from navigation start: the first complete view is drawn
  app.ready = true;
  pending -= 1;
  if (pending === 0) document.body.dataset.busy = "0";
}
