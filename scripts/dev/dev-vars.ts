/**
 * The vars file `wrangler dev --env-file` reads: secrets generated once and kept (so sessions and sealed
 * secrets survive restarts), provider settings rewritten on every start.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function readDevVars(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = m[2] ?? "";
  }
  return out;
}

export function writeDevVars(path: string, provider: Record<string, string>): Record<string, string> {
  const current = readDevVars(path);
  const vars: Record<string, string> = {
    JWT_SECRET: current.JWT_SECRET || randomBytes(32).toString("hex"),
    MASTER_KEY: current.MASTER_KEY || randomBytes(32).toString("hex"),
    // The scrape token of GET /metrics (docs/metrics.md).
    METRICS_TOKEN: current.METRICS_TOKEN || randomBytes(24).toString("hex"),
    ...provider,
  };
  const body = Object.entries(vars).map(([k, v]) => `${k}=${v}`).join("\n");
  writeFileSync(path, `# Written by npm start; secrets are kept across restarts of this state directory.\n${body}\n`, { mode: 0o600 });
  return vars;
}
