// A search box with suggestions as you type (name, matched alias, type), driven from the keyboard:
// arrows move through the suggestions, Enter picks, Escape closes.

import { search } from "./api.js";

export function combobox(input, list, { legend, onPick }) {
  let hits = [];
  let active = -1;
  let timer = 0;
  let asked = 0;

  const close = () => {
    hits = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const highlight = () => {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", list.children[active].id);
      list.children[active].scrollIntoView({ block: "nearest" });
    }
  };

  const render = () => {
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        const dot = document.createElement("span");
        dot.className = "dot";
        const look = legend.nodes[hit.entity.type];
        if (look) dot.style.background = look.color;
        const name = document.createElement("span");
        name.textContent = hit.entity.name;
        li.append(dot, name);
        if (hit.matched && hit.matched !== hit.entity.name) {
          const alias = document.createElement("span");
          alias.className = "alias";
          alias.textContent = `“${hit.matched}”`;
          li.append(alias);
        }
        const type = document.createElement("span");
        type.className = "type";
        type.textContent = hit.entity.type;
        li.append(type);
        li.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep the focus in the box
          pick(i);
        });
        return li;
      }),
    );
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(hits.length > 0));
    active = hits.length ? 0 : -1;
    highlight();
  };

  const lookup = async () => {
    const q = input.value.trim();
    const mine = ++asked;
    if (!q) return close();
    let page;
    try {
      page = await search(q.slice(0, 200));
    } catch {
      return close();
    }
    if (mine !== asked) return; // a later keystroke already asked again
    hits = page.items;
    render();
  };

  const pick = (i) => {
    const hit = hits[i];
    if (!hit) return;
    set(hit.entity);
    close();
    onPick(hit.entity);
  };

  const set = (entity) => {
    input.value = entity ? entity.name : "";
    input.dataset.id = entity ? entity.id : "";
  };

  input.addEventListener("input", () => {
    input.dataset.id = "";
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 120);
  });
  input.addEventListener("keydown", async (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!hits.length) return lookup();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + hits.length) % hits.length;
      highlight();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (hits.length) return pick(Math.max(active, 0));
      if (input.dataset.id) return onPick({ id: input.dataset.id, name: input.value });
      window.clearTimeout(timer);
      await lookup();
      if (hits.length) pick(0);
    } else if (event.key === "Escape") {
      if (hits.length) {
        event.stopPropagation();
        close();
      } else {
        input.blur();
      }
    }
  });
  input.addEventListener("blur", () => window.setTimeout(close, 150));

  /** The chosen entity's id: the picked suggestion, else the best match for what was typed. */
  const resolve = async () => {
    if (input.dataset.id) return input.dataset.id;
    const q = input.value.trim();
    if (!q) return "";
    const page = await search(q.slice(0, 200), 1);
    if (!page.items.length) return "";
    set(page.items[0].entity);
    return page.items[0].entity.id;
  };

  return { set, resolve, close };
}
