// Filters and legend: node and relation types (the legend's swatches are the checkboxes), the dates
// relations were reported (with a histogram of evidence over time in the view), weight, confidence,
// hedging. Everything applies to what is drawn, at once, without asking the server again.

import { el } from "./dom.js";

/** Whether an edge passes every filter but the one on its ends' node types. */
export function edgePasses(data, state, { ignoreDates = false } = {}) {
  if (state.xr.includes(data.type)) return false;
  if (data.weight < state.w || data.confidence < state.c - 1e-9) return false;
  if (!state.hedged && data.hedged) return false;
  if (ignoreDates || (!state.from && !state.to)) return true;
  return data.dates.some((d) => (!state.from || d >= state.from) && (!state.to || d <= state.to));
}

/** Hide what the filters exclude; a node left with no visible relation goes too, unless pinned. */
export function applyFilters(cy, state) {
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      node.toggleClass("filtered", state.xn.includes(node.data("type")));
    });
    cy.edges().forEach((edge) => {
      const ends = edge.source().hasClass("filtered") || edge.target().hasClass("filtered");
      edge.toggleClass("filtered", ends || !edgePasses(edge.data(), state));
    });
    cy.nodes().forEach((node) => {
      if (node.hasClass("filtered") || node.hasClass("pinned")) return;
      const edges = node.connectedEdges();
      if (edges.length && edges.every((e) => e.hasClass("filtered"))) node.addClass("filtered");
    });
    cy.edges().forEach((edge) => {
      if (edge.source().hasClass("filtered") || edge.target().hasClass("filtered")) edge.addClass("filtered");
    });
  });
}

function legendRow(kind, type, look, symmetric, checked, onToggle) {
  const swatch =
    kind === "node"
      ? el("span", { class: "dot", style: { background: look.color, borderColor: look.border } })
      : el("span", {
          class: `swatch-line${symmetric ? "" : " arrow"}`,
          title: symmetric ? "symmetric: no arrowhead" : "directed",
          style: { borderTopColor: look.color, borderLeftColor: look.color, borderTopWidth: `${look.width + 1}px` },
        });
  const box = el("input", { type: "checkbox", "data-type": type, "data-kind": kind });
  box.checked = checked;
  box.addEventListener("change", () => onToggle(type, box.checked));
  return el("label", { class: "legend-row" }, box, swatch, el("span", { text: type }), el("span", { class: "count", "data-count": type }));
}

export function renderLegend(legend, state, { nodesBox, relsBox, onChange }) {
  const toggle = (key) => (type, shown) => {
    state[key] = shown ? state[key].filter((t) => t !== type) : [...state[key], type];
    onChange();
  };
  nodesBox.replaceChildren(
    ...Object.entries(legend.nodes).map(([type, look]) => legendRow("node", type, look, false, !state.xn.includes(type), toggle("xn"))),
  );
  relsBox.replaceChildren(
    ...Object.entries(legend.relations).map(([type, look]) =>
      legendRow("rel", type, look, legend.symmetric.includes(type), !state.xr.includes(type), toggle("xr")),
    ),
  );
}

export function syncLegend(state, boxes) {
  for (const box of boxes.querySelectorAll("input[type=checkbox][data-type]")) {
    const hidden = box.dataset.kind === "node" ? state.xn : state.xr;
    box.checked = !hidden.includes(box.dataset.type);
  }
}

/** Per-type counts of what is visible, next to each legend row. */
export function updateCounts(cy, container) {
  const counts = new Map();
  cy.elements(":visible").forEach((ele) => {
    const type = ele.data("type");
    counts.set(type, (counts.get(type) || 0) + 1);
  });
  for (const cell of container.querySelectorAll("[data-count]")) {
    const n = counts.get(cell.dataset.count) || 0;
    cell.textContent = n ? String(n) : "";
  }
}

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

/** Bins of evidence dates: by month over four years or less, else by year. */
export function bins(dates) {
  if (!dates.length) return [];
  const sorted = [...dates].sort();
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  const years = Number(last.slice(0, 4)) - Number(first.slice(0, 4));
  const monthly = years <= 4;
  const keyOf = (d) => (monthly ? d.slice(0, 7) : d.slice(0, 4));
  const counts = new Map();
  for (const d of sorted) counts.set(keyOf(d), (counts.get(keyOf(d)) || 0) + 1);
  const out = [];
  let [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
  const end = keyOf(last);
  for (;;) {
    const key = monthly ? `${y}-${String(m).padStart(2, "0")}` : String(y);
    const from = monthly ? `${key}-01` : `${key}-01-01`;
    const to = monthly ? `${key}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}` : `${key}-12-31`;
    out.push({ key, from, to, count: counts.get(key) || 0 });
    if (key >= end) break;
    if (monthly) [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    else y += 1;
  }
  return out;
}

/** The histogram of evidence over time for what the other filters let through; a bar click narrows. */
export function renderHistogram(container, cy, state, onPick) {
  const dates = [];
  cy.edges().forEach((edge) => {
    const data = edge.data();
    if (edgePasses(data, state, { ignoreDates: true })) dates.push(...data.evidenceDates);
  });
  const bars = bins(dates);
  container.replaceChildren();
  if (!bars.length) return;
  const width = 220;
  const height = 46;
  const top = Math.max(...bars.map((b) => b.count));
  const step = width / bars.length;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `evidence from ${bars[0].key} to ${bars[bars.length - 1].key}` });
  bars.forEach((bar, i) => {
    const h = bar.count ? Math.max(2, (bar.count / top) * (height - 12)) : 0;
    const inside = (!state.from || bar.to >= state.from) && (!state.to || bar.from <= state.to);
    const rect = svg("rect", { x: i * step + 0.5, y: height - 10 - h, width: Math.max(1, step - 1), height: h, class: inside ? "in" : "" });
    const title = svg("title", {});
    title.textContent = `${bar.key}: ${bar.count} sentence${bar.count === 1 ? "" : "s"}`;
    rect.append(title);
    rect.addEventListener("click", () => onPick(bar.from, bar.to));
    chart.append(rect);
  });
  for (const [x, anchor, label] of [[0, "start", bars[0].key], [width, "end", bars[bars.length - 1].key]]) {
    const text = svg("text", { x, y: height - 1, "text-anchor": anchor, class: "axis" });
    text.textContent = label;
    chart.append(text);
  }
  container.append(chart);
}
