/**
 * Reading /metrics as Prometheus would: scrape through the Worker with the test token, parse
 * the text exposition format, and look series up by name and labels.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

export const BASE = "http://auterity.test";

export type Sample = { name: string; labels: Record<string, string>; value: number };
export type Exposition = { samples: Sample[]; help: Map<string, string>; types: Map<string, string>; text: string };

/** GET /metrics with `authorization` (the test token by default). */
export function fetchMetrics(authorization: string | null = `Bearer ${env.METRICS_TOKEN}`, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (authorization !== null) headers.set("authorization", authorization);
  return exports.default.fetch(`${BASE}/metrics`, { ...init, headers });
}

/** One scrape, parsed; fails the test unless it answered 200 in the exposition format. */
export async function scrape(): Promise<Exposition> {
  const res = await fetchMetrics();
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(text);
}

function parseLabels(s: string, from: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = from;
  while (s[i] !== "}") {
    const eq = s.indexOf("=", i);
    const key = s.slice(i, eq);
    if (s[eq + 1] !== '"') throw new Error(`label ${key} not quoted in: ${s}`);
    let value = "";
    let j = eq + 2;
    for (; s[j] !== '"'; j++) {
      if (j >= s.length) throw new Error(`unterminated label value in: ${s}`);
      if (s[j] === "\\") {
        j++;
        const escaped = s[j];
        if (escaped === "n") value += "\n";
        else if (escaped === "\\" || escaped === '"') value += escaped;
        else throw new Error(`bad escape \\${escaped} in: ${s}`);
      } else {
        value += s[j];
      }
    }
    labels[key] = value;
    i = j + 1;
    if (s[i] === ",") i++;
  }
  return { labels, end: i + 1 };
}

function parseValue(v: string): number {
  if (v === "+Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  if (v === "NaN") return Number.NaN;
  const n = Number(v);
  if (v.trim() === "" || Number.isNaN(n)) throw new Error(`not a sample value: ${v}`);
  return n;
}

/** Parses the text exposition format (version 0.0.4); throws on a line it cannot read. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta?.[2] && meta[3] !== undefined) {
      (meta[1] === "HELP" ? help : types).set(meta[2], meta[3]);
      continue;
    }
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) throw new Error(`unreadable line: ${line}`);
    let labels: Record<string, string> = {};
    let rest = line.slice(name.length);
    if (rest.startsWith("{")) {
      const parsed = parseLabels(line, name.length + 1);
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    if (!rest.startsWith(" ")) throw new Error(`no value separator in: ${line}`);
    samples.push({ name, labels, value: parseValue(rest.slice(1)) });
  }
  return { samples, help, types, text };
}

function matches(sample: Sample, name: string, labels: Record<string, string>): boolean {
  return sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v);
}

/** The value of the one series `name{labels...}` (labels may be a subset), or 0 when absent. */
export function valueOf(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = e.samples.filter((s) => matches(s, name, labels) && Object.keys(s.labels).length === Object.keys(labels).length);
  if (found.length > 1) throw new Error(`${found.length} series match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

/** Every series of `name` whose labels include `labels`. */
export function seriesOf(e: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return e.samples.filter((s) => matches(s, name, labels));
}

/** How much `name{labels}` moved from `before` to `after`. */
export function delta(before: Exposition, after: Exposition, name: string, labels: Record<string, string> = {}): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

/** Scrapes until `done` holds (the usage queue and flushes are asynchronous), at most `attempts` times. */
export async function scrapeUntil(done: (e: Exposition) => boolean, what: string, attempts = 100): Promise<Exposition> {
  let last: Exposition | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await scrape();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not reached after ${attempts} scrapes`);
}
