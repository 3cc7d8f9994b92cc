/**
 * Runs bench/micro.ts in its own process and turns its rows into a Markdown table.
 */
import { join } from "node:path";
import { z } from "zod";
import { runToCompletion } from "./lib/procs.ts";
import type { MicroResult } from "./results.ts";

const microRows = z.array(z.object({ name: z.string(), nsPerOp: z.number(), opsPerSec: z.number(), note: z.string() }));

/** The micro-benchmark rows and their table. */
export async function runMicro(root: string, logs: string): Promise<{ results: MicroResult[]; markdown: string }> {
  const out = await runToCompletion(process.execPath, ["--import", "tsx", join(root, "bench/micro.ts")], join(logs, "micro.log"), { cwd: root, timeoutMs: 120_000 });
  const results = microRows.parse(JSON.parse(out.trim().split("\n").pop() ?? "[]"));
  const lines = results.map((r) => `| ${r.name} | ${(r.nsPerOp / 1000).toFixed(2)} | ${r.opsPerSec.toLocaleString("en-US")} | ${r.note} |`);
  for (const line of lines) console.log(`  ${line}`);
  const markdown = ["| step | µs/op | ops/s | when |", "|---|---|---|---|", ...lines].join("\n");
  return { results, markdown };
}
