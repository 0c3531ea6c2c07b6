// The view as URL query parameters, so that a view can be shared and reloaded.
//   focus, expand (ids, in order), depth, cap      explore mode
//   src, dst, hops                                  path mode
//   xn, xr (hidden node / relation types), from, to, w, c, hedged=0, labels=1, sel

const DEFAULTS = { depth: 1, cap: 50, hops: 4, w: 1, c: 0 };

const list = (value) => (value ? value.split(",").filter(Boolean) : []);
const number = (value, fallback) => {
  const parsed = Number(value);
  return value !== null && value !== "" && Number.isFinite(parsed) ? parsed : fallback;
};

export function readState(search = window.location.search) {
  const q = new URLSearchParams(search);
  return {
    focus: q.get("focus") || "",
    expand: list(q.get("expand")),
    depth: number(q.get("depth"), DEFAULTS.depth),
    cap: number(q.get("cap"), DEFAULTS.cap),
    src: q.get("src") || "",
    dst: q.get("dst") || "",
    hops: number(q.get("hops"), DEFAULTS.hops),
    xn: list(q.get("xn")),
    xr: list(q.get("xr")),
    from: q.get("from") || "",
    to: q.get("to") || "",
    w: number(q.get("w"), DEFAULTS.w),
    c: number(q.get("c"), DEFAULTS.c),
    hedged: q.get("hedged") !== "0",
    labels: q.get("labels") === "1",
    sel: q.get("sel") || "",
  };
}

export function queryString(state) {
  const q = new URLSearchParams();
  const put = (key, value, fallback) => {
    if (value !== fallback && value !== "" && value !== undefined) q.set(key, value);
  };
  if (state.src && state.dst) {
    q.set("src", state.src);
    q.set("dst", state.dst);
    put("hops", state.hops, DEFAULTS.hops);
  } else if (state.focus) {
    q.set("focus", state.focus);
    if (state.expand.length) q.set("expand", state.expand.join(","));
    put("depth", state.depth, DEFAULTS.depth);
    put("cap", state.cap, DEFAULTS.cap);
  }
  if (state.xn.length) q.set("xn", state.xn.join(","));
  if (state.xr.length) q.set("xr", state.xr.join(","));
  put("from", state.from, "");
  put("to", state.to, "");
  put("w", state.w, DEFAULTS.w);
  put("c", state.c, DEFAULTS.c);
  if (!state.hedged) q.set("hedged", "0");
  if (state.labels) q.set("labels", "1");
  put("sel", state.sel, "");
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** Record the view: a new entry for a new query (so Back returns to the last one), else in place. */
export function writeState(state, { push = false } = {}) {
  const url = `${window.location.pathname}${queryString(state)}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}
