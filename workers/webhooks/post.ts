/**
 * One HTTP POST of a webhook: a hard timeout, redirects not followed (a 3xx is a failure,
 * so a partner's URL cannot bounce us elsewhere), and at most 1 KB of the answer kept.
 */
import { parseRetryAfter } from "./schedule";

export type PostResult = {
  statusCode: number | null;
  latencyMs: number;
  /** At most 1 KB of the response body. */
  snippet: string | null;
  error: string | null;
  retryAfterMs: number | null;
};

export type PostRequest = { url: string; headers: Record<string, string>; body: string; timeoutMs: number; now: number };

const SNIPPET_BYTES = 1024;

async function readSnippet(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < SNIPPET_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(size, SNIPPET_BYTES));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.byteLength) break;
  }
  return new TextDecoder().decode(bytes);
}

function failureOf(res: Response): string | null {
  if (res.status >= 200 && res.status < 300) return null;
  if (res.status >= 300 && res.status < 400) return `redirects are not followed (${res.status} to ${res.headers.get("location") ?? "no location"})`;
  return `endpoint answered ${res.status}`;
}

function describeError(err: unknown, timeoutMs: number): string {
  const name = err instanceof Error ? err.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `timed out after ${timeoutMs / 1000} s`;
  return `request failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** POSTs a signed webhook; never throws (a network error is a failed attempt). */
export async function postWebhook(fetcher: typeof fetch, req: PostRequest): Promise<PostResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetcher(req.url, { method: "POST", headers: req.headers, body: req.body, redirect: "manual", signal });
    const snippet = await readSnippet(res).catch(() => null);
    return {
      statusCode: res.status,
      latencyMs: Date.now() - started,
      snippet,
      error: failureOf(res),
      retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), req.now),
    };
  } catch (err) {
    return { statusCode: null, latencyMs: Date.now() - started, snippet: null, error: describeError(err, req.timeoutMs), retryAfterMs: null };
  }
}
