/**
 * Talking to the e2e stack from the test process: the platform API and the gateway with the
 * demo key, an ADF lead, the Worker's cron handler, and a day-by-day usage history written
 * straight into the stack's local D1 (the detector and forecasts need a past to compare with).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stack } from "./browser";

/** A request to the stack with the demo key; `path` from the origin (/api/v1/…, /v1/…, /hooks/…), a body sent as JSON unless its type is given. */
export function stackFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { base, apiKey } = stack();
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${apiKey}`);
  if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`${base}${path}`, { ...init, headers });
}

/** The platform API (/api/v1…) with the demo key: its status and JSON body. */
export async function apiJson<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await stackFetch(`/api/v1${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as T };
}

/** As apiJson, for a call that must succeed: its body, or an error naming the status and what the API answered. */
export async function apiData<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await apiJson<T>(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One chat completion through the gateway (answered by the provider simulator); answers its status. */
export async function gatewayCall(text: string, opts: { model?: string; maxTokens?: number } = {}): Promise<number> {
  const res = await stackFetch("/v1/chat/completions", {
    method: "POST",
    body: JSON.stringify({ model: opts.model ?? "gpt-4o-mini", messages: [{ role: "user", content: text }], ...(opts.maxTokens === undefined ? {} : { max_tokens: opts.maxTokens }) }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** `count` gateway calls, `parallel` at a time; answers their statuses. */
export async function gatewayBurst(count: number, parallel = 8): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, (_, j) => gatewayCall(`Burst call ${i + j}: is the 2024 RAV4 in stock?`));
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

/** Posts the sample ADF lead (a duplicate after the first time); starts speed-to-lead when new. */
export async function postSampleLead(): Promise<{ httpStatus: number; status: string; leadId: string }> {
  const res = await stackFetch("/hooks/leads/adf", {
    method: "POST",
    headers: { "content-type": "application/xml" },
    body: readFileSync(join(import.meta.dirname, "..", "..", "samples", "adf", "new-lead.xml")),
  });
  return { httpStatus: res.status, ...((await res.json()) as { status: string; leadId: string }) };
}

/**
 * Runs the Worker's scheduled handler now, as the per-minute cron would (wrangler dev's
 * --test-scheduled endpoint, which answers "Ran scheduled event").
 */
export async function runCron(): Promise<void> {
  const { base } = stack();
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
  const body = await res.text();
  if (!res.ok || !body.includes("Ran scheduled event")) {
    throw new Error(
      `GET /__scheduled did not reach the Worker's scheduled handler (${res.status}: ${body.slice(0, 80).replace(/\s+/g, " ")}…). ` +
        `Static assets answer first unless wrangler.toml's [assets] run_worker_first lists "/__scheduled".`,
    );
  }
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Gateway calls the usage log holds for today (the usage queue writes them a moment after each call). */
export async function callsRecorded(): Promise<number> {
  const res = await apiJson<{ totals: { calls: number } }>("GET", `/usage/summary?from=${Date.now() - 30 * 60_000}`);
  return res.body.totals.calls;
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

export const QUIET_WRANGLER = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

function runWrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["wrangler", ...args], {
      env: { ...process.env, ...QUIET_WRANGLER },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited ${code}:\n${out}`))));
  });
}

const WINDOW_MS = 5 * 60_000;
const ROWS_PER_STATEMENT = 200;

/**
 * Writes a quiet, steady past for the tenant into the stack's D1: 1 to 3 gateway calls in
 * every 5-minute window of the last 24 hours (ending 10 minutes ago, so the detector's
 * current window stays the test's own), and 120 to 180 calls a day over the 13 days before.
 */
export async function seedUsageHistory(tenantId: string, now = Date.now()): Promise<number> {
  const rows: string[] = [];
  const row = (i: number, at: number) =>
    `('use_e2ehist_${i}', '${tenantId}', '/v1/chat/completions', 'gpt-4o-mini', 'gpt-4o-mini', 'openai', 20, 80, 46050, ${380 + (i % 7) * 10}, 200, '["e2e-history"]', 'platform', ${Math.round(at)})`;
  const recentStart = now - 10 * 60_000 - 288 * WINDOW_MS;
  for (let w = 0; w < 288; w++) {
    const calls = 1 + (w % 3);
    for (let c = 0; c < calls; c++) rows.push(row(rows.length, recentStart + w * WINDOW_MS + (c + 1) * 60_000));
  }
  for (let day = 1; day <= 13; day++) {
    const calls = 120 + ((day * 37) % 61);
    const dayStart = recentStart - day * 86_400_000;
    for (let c = 0; c < calls; c++) rows.push(row(rows.length, dayStart + (c * 86_400_000) / calls));
  }
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      `insert or ignore into usage_events (id, tenant_id, endpoint, model_requested, model_served, provider, input_tokens, output_tokens, cost_nano_usd, latency_ms, status, tags, price_source, created_at) values\n${rows.slice(i, i + ROWS_PER_STATEMENT).join(",\n")};`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "auterity-e2e-history-"));
  try {
    const file = join(dir, "history.sql");
    writeFileSync(file, statements.join("\n"));
    await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", stack().stateDir, "--file", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows.length;
}
