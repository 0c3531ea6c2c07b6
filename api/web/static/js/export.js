// Export what is drawn (visible elements only, at their current positions): PNG, GraphML, and the
// Cytoscape.js elements JSON in the same shape as the server's /export endpoints.

import { download } from "./dom.js";

const NODE_FIELDS = [["label", "string"], ["type", "string"], ["country", "string"], ["mention_count", "int"], ["first_seen", "string"], ["last_seen", "string"], ["x", "double"], ["y", "double"]];
const EDGE_FIELDS = [["label", "string"], ["weight", "int"], ["confidence", "double"], ["hedged", "boolean"], ["symmetric", "boolean"], ["since", "string"], ["first_seen", "string"], ["last_seen", "string"], ["evidence_count", "int"]];

const xml = (text) => String(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

function nodeValues(node) {
  const d = node.data();
  const { x, y } = node.position();
  return { label: d.label, type: d.type, country: d.country, mention_count: d.mention_count, first_seen: d.first_seen, last_seen: d.last_seen, x: x.toFixed(1), y: y.toFixed(1) };
}

function edgeValues(edge) {
  const d = edge.data();
  return { label: d.type, weight: d.weight, confidence: d.confidence, hedged: d.hedged, symmetric: d.symmetric, since: d.since, first_seen: d.first_seen, last_seen: d.last_seen, evidence_count: d.evidence_count };
}

const dataLines = (values) =>
  Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `      <data key="${k}">${xml(v)}</data>`);

export function graphml(cy) {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...NODE_FIELDS.map(([n, t]) => `  <key id="${n}" for="node" attr.name="${n}" attr.type="${t}"/>`),
    ...EDGE_FIELDS.map(([n, t]) => `  <key id="e_${n}" for="edge" attr.name="${n}" attr.type="${t}"/>`),
    '  <graph id="aigeo-view" edgedefault="directed">',
  ];
  cy.nodes(":visible").forEach((node) => {
    lines.push(`    <node id="${xml(node.id())}" labels=":${xml(node.data("type"))}">`, ...dataLines(nodeValues(node)), "    </node>");
  });
  // GraphML edge ids are NMTOKENs, which the explorer's "source|TYPE|target" ids are not: number them.
  cy.edges(":visible").forEach((edge, i) => {
    const values = Object.fromEntries(Object.entries(edgeValues(edge)).map(([k, v]) => [`e_${k}`, v]));
    lines.push(
      `    <edge id="e${i}" source="${xml(edge.source().id())}" target="${xml(edge.target().id())}" label="${xml(edge.data("type"))}">`,
      ...dataLines(values),
      "    </edge>",
    );
  });
  lines.push("  </graph>", "</graphml>", "");
  return lines.join("\n");
}

export function cytoscapeJson(cy) {
  const nodes = cy.nodes(":visible").map((node) => ({
    data: { id: node.id(), ...nodeValues(node), aliases: node.data("aliases") },
    position: node.position(),
    classes: node.data("type"),
  }));
  const edges = cy.edges(":visible").map((edge) => ({
    data: { id: edge.id(), source: edge.source().id(), target: edge.target().id(), ...edgeValues(edge) },
    classes: edge.data("type"),
  }));
  return { elements: { nodes, edges } };
}

export function exportView(cy, format, name) {
  if (format === "png") {
    const blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" });
    return download(blob, `${name}.png`);
  }
  if (format === "graphml") return download(new Blob([graphml(cy)], { type: "application/graphml+xml" }), `${name}.graphml`);
  return download(new Blob([JSON.stringify(cytoscapeJson(cy), null, 1)], { type: "application/json" }), `${name}.cyjs.json`);
}
