// The details panel: a relation with every supporting sentence (trigger words and actors marked) and
// its documents; a node with its aliases, country, counts, dates and documents; path results hop by hop.

import { documentMeta } from "./api.js";
import { day, el } from "./dom.js";

// Evidence names the word that fired its rule by offsets (`trigger_start`, `trigger_end`); evidence
// stored before those were recorded has none, and its trigger words are guessed from the rule's name.
// Extractor names read `[frame.]<family>.<construction>.<trigger>` (`backs.active.invest`,
// `restricts.licence.revoke`, `frame.restricts.ordered_to_stop`): the segments after the family name
// the words that triggered the rule, except those naming a grammatical construction, which never
// occur in the sentence as such.
const CONSTRUCTIONS = new Set(["active", "passive", "noun", "verb", "compound", "apposition", "definite", "possessive", "by", "whose"]);

export function triggerStems(extractor) {
  const parts = String(extractor || "").split(".");
  if (parts[0] === "frame") parts.shift();
  const words = parts.slice(1).flatMap((part) => part.split("_"));
  return [...new Set(words.filter((w) => w.length >= 3 && !CONSTRUCTIONS.has(w)))].map((w) => {
    const stem = w.replace(/(ing|ed|es|s|e)$/, "");
    return stem.length >= 3 ? stem : w;
  });
}

/** The evidence's trigger as [start, end) indices into its sentence as a JS string, or null.
 *
 * The API counts offsets in code points (as Python does) and a JS string in UTF-16 units, which differ
 * after a character outside the BMP (an emoji). */
export function triggerSpan(ev) {
  const sentence = String(ev.sentence || "");
  const [from, to] = [ev.trigger_start, ev.trigger_end];
  if (!Number.isInteger(from) || !Number.isInteger(to)) return null;
  const points = Array.from(sentence);
  if (from < 0 || to <= from || to > points.length) return null;
  const start = points.slice(0, from).join("").length;
  return [start, start + points.slice(from, to).join("").length];
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The sentence with actors' names and the trigger words marked, as a DOM fragment: the `trigger`
 * span (from `triggerSpan`) when the evidence gives one, else every word starting with a guessed stem. */
export function markSentence(sentence, stems, names, trigger = null) {
  const spans = [];
  for (const name of names) {
    if (!name || name.length < 2) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "giu");
    for (const m of sentence.matchAll(re)) spans.push([m.index, m.index + m[0].length, "actor"]);
  }
  if (trigger) spans.push([trigger[0], trigger[1], "trigger"]);
  for (const stem of trigger ? [] : stems) {
    const re = new RegExp(`(?<![\\p{L}])${escapeRegExp(stem)}\\p{L}*`, "giu");
    for (const m of sentence.matchAll(re)) spans.push([m.index, m.index + m[0].length, "trigger"]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end, kind] of spans) {
    if (start < at) continue; // overlaps one already marked
    fragment.append(sentence.slice(at, start), el("mark", { class: kind, text: sentence.slice(start, end) }));
    at = end;
  }
  fragment.append(sentence.slice(at));
  return fragment;
}

// Only http(s) addresses become links: a feed may carry any string as an article's URL.
function webLink(url) {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false; // not an absolute address
  }
}

function documentLine(ev) {
  const title = ev.doc_title || ev.doc_id;
  const line = el(
    "div",
    { class: "doc-line" },
    webLink(ev.doc_url) ? el("a", { href: ev.doc_url, target: "_blank", rel: "noopener noreferrer", text: title }) : el("span", { text: title }),
    el("span", { class: "outlet" }),
    ev.doc_published ? ` · ${day(ev.doc_published)}` : "",
  );
  documentMeta(ev.doc_id).then((doc) => {
    if (doc && doc.outlet) line.querySelector(".outlet").textContent = ` · ${doc.outlet}`;
  });
  return line;
}

export function evidenceItem(ev, names) {
  return el(
    "li",
    { class: "evidence-item" },
    el("blockquote", {}, markSentence(ev.sentence, triggerStems(ev.extractor), names, triggerSpan(ev))),
    documentLine(ev),
    el(
      "div",
      { class: "doc-line" },
      el("span", { class: "badge", title: "extractor rule", text: ev.extractor }),
      el("span", { class: "badge", text: `confidence ${ev.confidence.toFixed(2)}` }),
      ev.hedged ? el("span", { class: "badge hedged", text: "hedged" }) : null,
      ev.since ? el("span", { class: "badge", text: `since ${ev.since}` }) : null,
    ),
  );
}

const arrow = (rel) => (rel.symmetric ? "↔" : "→");

export function relationPanel(rel, ends) {
  const [source, target] = [ends(rel.source), ends(rel.target)];
  const names = [...namesOf(source), ...namesOf(target)];
  return el(
    "div",
    { class: "relation-panel" },
    el("h3", {}, `${source.name} `, el("span", { class: "rel", text: `${rel.type} ${arrow(rel)}` }), ` ${target.name}`),
    el(
      "dl",
      { class: "kv" },
      el("dt", { text: "weight" }), el("dd", { text: `${rel.weight} document${rel.weight === 1 ? "" : "s"}` }),
      el("dt", { text: "confidence" }), el("dd", { text: rel.confidence.toFixed(2) }),
      el("dt", { text: "hedged" }), el("dd", { text: rel.hedged ? "yes: every statement only speculates" : "no" }),
      rel.since ? [el("dt", { text: "since" }), el("dd", { text: rel.since })] : null,
      el("dt", { text: "seen" }), el("dd", { text: `${day(rel.first_seen)} – ${day(rel.last_seen)}` }),
    ),
    el("h2", { text: `Evidence (${rel.evidence.length})` }),
    el("ul", { class: "evidence" }, rel.evidence.map((ev) => evidenceItem(ev, names))),
  );
}

const namesOf = (entity) => [entity.name, ...(entity.aliases || [])];

export function entityPanel(detail, { onExpand, onPath, onSelect, legend }) {
  const docs = new Map();
  for (const group of detail.groups) {
    for (const rel of group.relations) {
      for (const ev of rel.evidence) docs.set(ev.doc_id, ev);
    }
  }
  const look = legend.nodes[detail.type] || {};
  const documents = [...docs.values()].sort((a, b) => String(b.doc_published || "").localeCompare(String(a.doc_published || "")));
  return el(
    "div",
    { class: "entity-panel" },
    el("h3", {}, el("span", { class: "dot", style: { background: look.color || "#aaa" } }), ` ${detail.name}`),
    el("div", { class: "muted", text: `${detail.type} · ${detail.id}` }),
    el(
      "dl",
      { class: "kv" },
      el("dt", { text: "aliases" }), el("dd", { text: detail.aliases.length ? detail.aliases.join(", ") : "—" }),
      el("dt", { text: "country" }), el("dd", { text: detail.country || "—" }),
      el("dt", { text: "mentions" }), el("dd", { text: String(detail.mention_count) }),
      el("dt", { text: "first seen" }), el("dd", { text: day(detail.first_seen) || "—" }),
      el("dt", { text: "last seen" }), el("dd", { text: day(detail.last_seen) || "—" }),
      el("dt", { text: "relations" }), el("dd", { text: `${detail.counts.relations} (${detail.counts.evidence} sentences)` }),
    ),
    el(
      "div",
      { class: "buttons" },
      el("button", { type: "button", id: "expand-selected", onclick: onExpand, text: "Expand (e)" }),
      el("button", { type: "button", id: "path-from-here", onclick: () => onPath("source"), text: "Path from here" }),
      el("button", { type: "button", id: "path-to-here", onclick: () => onPath("target"), text: "Path to here" }),
    ),
    el("h2", { text: "Relations" }),
    el(
      "ul",
      { class: "relations-list" },
      detail.groups.flatMap((group) =>
        group.relations.map((rel) => {
          const other = rel.source === detail.id ? rel.target_entity : rel.source_entity;
          const label = group.direction === "in" ? `← ${rel.type}` : `${rel.type} ${arrow(rel)}`;
          return el("li", {}, el("button", { type: "button", class: "linkish", onclick: () => onSelect(rel), text: `${label} ${other.name}` }), ` (${rel.weight})`);
        }),
      ),
    ),
    el("h2", { text: `Documents (${documents.length})` }),
    el("ul", { class: "evidence" }, documents.map((ev) => el("li", {}, documentLine(ev)))),
  );
}

export function pathsPanel(result, { onActivate, ends }) {
  const items = result.paths.map((path, i) =>
    el(
      "div",
      { class: "path", tabindex: "0", "data-index": String(i), onclick: () => onActivate(i), onkeydown: (e) => e.key === "Enter" && onActivate(i) },
      el("div", {}, el("b", { text: `Path ${i + 1}` }), ` · ${path.hops} hop${path.hops === 1 ? "" : "s"}`),
      path.edges.map((rel, h) => {
        const from = path.nodes[h];
        const to = path.nodes[h + 1];
        const forward = rel.source === from.id;
        const sign = rel.symmetric ? `—${rel.type}—` : forward ? `—${rel.type}→` : `←${rel.type}—`;
        const names = [...namesOf(ends(rel.source)), ...namesOf(ends(rel.target))];
        return el(
          "div",
          { class: "hop" },
          el("div", {}, `${from.name} `, el("span", { class: "rel", text: sign }), ` ${to.name}`, el("span", { class: "muted", text: ` (${rel.weight})` })),
          el("ul", { class: "evidence hop-evidence" }, rel.evidence.map((ev) => evidenceItem(ev, names))),
        );
      }),
    ),
  );
  return el(
    "div",
    { class: "paths-panel" },
    el("h3", { text: `${result.source.name} → ${result.target.name}` }),
    el("div", { class: "muted", text: `${result.paths.length} shortest path${result.paths.length === 1 ? "" : "s"}` }),
    items,
  );
}
