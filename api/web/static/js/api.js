// The REST API as the page uses it: JSON in, RFC 9457 problems turned into errors with a readable text.

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem && typeof problem === "object" ? problem.detail || problem.title : String(problem);
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiUrl(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, one);
  }
  return url;
}

export async function api(path, params = {}, init = {}) {
  const response = await fetch(apiUrl(path, params), init);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

const documents = new Map();

/** A stored document's metadata (outlet, date, link), fetched once per page. */
export function documentMeta(id) {
  if (!documents.has(id)) {
    documents.set(id, api(`/documents/${encodeURIComponent(id)}`).catch(() => null));
  }
  return documents.get(id);
}

export const entity = (id) => api(`/entities/${encodeURIComponent(id)}`);
export const search = (q, limit = 8) => api("/entities", { q, page_size: limit });
