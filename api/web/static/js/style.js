// The Cytoscape stylesheet, built from legend.json (the colours and sizes of neo4j/aigeo.grass):
// one colour per node and relation type, edge width by weight, arrowheads only on directed types.

/** Edge width: the type's shaft width from the .grass file, one more pixel per extra document. */
export function edgeWidth(legend, type, weight) {
  const base = (legend.relations[type] || { width: 2 }).width;
  return Math.min(base + 1.2 * Math.max(0, weight - 1), base + 8);
}

/** Node diameter: the .grass diameter scaled to the canvas, bigger for the often mentioned. */
export function nodeSize(legend, type, mentions) {
  const base = (legend.nodes[type] || { diameter: 50 }).diameter * 0.55;
  return Math.round(base + Math.min(18, 3 * Math.log2(1 + (mentions || 0))));
}

export function stylesheet(legend) {
  const style = [
    {
      selector: "node",
      style: {
        width: "data(size)",
        height: "data(size)",
        label: "data(label)",
        "font-size": 11,
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": 130,
        color: "#23252b",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "border-width": 2,
        "min-zoomed-font-size": 7,
      },
    },
    {
      selector: "edge",
      style: {
        width: "data(width)",
        "curve-style": "bezier",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.9,
        opacity: 0.85,
        "font-size": 9,
        "text-rotation": "autorotate",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        color: "#444",
      },
    },
    { selector: "edge[?symmetric]", style: { "target-arrow-shape": "none" } },
    { selector: "edge[?hedged]", style: { "line-style": "dashed" } },
  ];
  for (const [type, look] of Object.entries(legend.nodes)) {
    style.push({
      selector: `node[type = "${type}"]`,
      style: { "background-color": look.color, "border-color": look.border },
    });
  }
  for (const [type, look] of Object.entries(legend.relations)) {
    style.push({
      selector: `edge[type = "${type}"]`,
      style: { "line-color": look.color, "target-arrow-color": look.color },
    });
  }
  style.push(
    { selector: "edge.labelled, edge.hl, edge:selected, edge.on-path", style: { label: "data(type)" } },
    { selector: "node.pinned", style: { "border-width": 5, "border-color": "#23252b" } },
    { selector: "node.new, edge.new", style: { "overlay-color": "#ffd000", "overlay-opacity": 0.35, "overlay-padding": 5 } },
    { selector: ".faded", style: { opacity: 0.15 } },
    { selector: "edge.hl, edge.on-path", style: { opacity: 1, "z-index": 10 } },
    { selector: "node:selected", style: { "overlay-color": "#2870c2", "overlay-opacity": 0.25, "overlay-padding": 6 } },
    { selector: "edge:selected", style: { "overlay-color": "#2870c2", "overlay-opacity": 0.3, "overlay-padding": 4 } },
    { selector: ".filtered", style: { display: "none" } },
  );
  return style;
}
