/** The recent-calls filters as they live in the page's query string (?model=&status=&key=). */
export type CallFilters = { model: string; status: string; apiKeyId: string };

export const STATUSES = [
  { value: "", label: "Any status" },
  { value: "ok", label: "Succeeded" },
  { value: "error", label: "Failed (400 and above)" },
  { value: "400", label: "400 bad request" },
  { value: "401", label: "401 unauthorized" },
  { value: "402", label: "402 budget exceeded" },
  { value: "408", label: "408 timeout" },
  { value: "429", label: "429 rate limited" },
  { value: "500", label: "500 server error" },
  { value: "502", label: "502 bad gateway" },
  { value: "503", label: "503 unavailable" },
  { value: "504", label: "504 gateway timeout" },
];

export function filtersOf(search: URLSearchParams): CallFilters {
  return { model: search.get("model") ?? "", status: search.get("status") ?? "", apiKeyId: search.get("key") ?? "" };
}

export function searchOf(f: CallFilters): string {
  const q = new URLSearchParams();
  if (f.model.trim()) q.set("model", f.model.trim());
  if (f.status) q.set("status", f.status);
  if (f.apiKeyId) q.set("key", f.apiKeyId);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The filters as /usage/events query parameters (empty ones left out). */
export function queryOf(f: CallFilters): { model?: string; status?: string; apiKeyId?: string } {
  return {
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.apiKeyId ? { apiKeyId: f.apiKeyId } : {}),
  };
}
