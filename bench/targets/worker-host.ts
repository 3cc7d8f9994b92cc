/**
 * A Worker in workerd through Miniflare's API, in a process of its own so the benchmark
 * can stop it (and the workerd it spawns) as one process group.
 *
 *   node --import tsx bench/targets/worker-host.ts '<HostSpec as JSON>'
 *
 * "passthrough": bench/passthrough-worker.ts with UPSTREAM = the simulator's OpenAI API.
 * "auterity": the bundle `wrangler deploy --dry-run` wrote, with the bindings wrangler.toml
 * declares (D1 with migrations applied, KV, R2, queues and their consumers, Durable
 * Objects), a seeded tenant and gateway key, and OPENAI_BASE_URL pointing at the simulator.
 *
 * Talks to its parent over IPC: sends `ready` (url, workerd pids, key), answers `usage`.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { transform } from "esbuild";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { descendantsNamed } from "../lib/machine.ts";
import { HOST } from "../lib/net.ts";
import { hostSpec, parentMessage, type HostMessage, type HostSpec } from "./host-protocol.ts";
import { applyMigrations, seedTenant, usageRows, type Seeded } from "./seed.ts";

const COMMON = { host: HOST, port: 0 } satisfies Partial<MiniflareOptions>;

/** The pass-through runs with the same compatibility date and flags as the Worker. */
async function passthroughOptions(spec: HostSpec): Promise<MiniflareOptions> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(spec.root, "wrangler.toml"));
  const { code } = await transform(readFileSync(spec.script, "utf8"), { loader: "ts", format: "esm", target: "es2022" });
  const compat = { compatibilityDate: workerOptions.compatibilityDate, compatibilityFlags: workerOptions.compatibilityFlags };
  return { ...COMMON, ...compat, modules: true, script: code, bindings: { UPSTREAM: `${spec.simUrl}/openai/v1` } };
}

/** Every variable .dev.vars.example names gets a value, so new secrets do not break the run. */
function secretBindings(root: string, simUrl: string): Record<string, string> {
  const names = readFileSync(join(root, ".dev.vars.example"), "utf8")
    .split("\n")
    .map((l) => /^([A-Z0-9_]+)=/.exec(l.trim())?.[1])
    .filter((n): n is string => n !== undefined);
  const generated = Object.fromEntries(names.map((n) => [n, randomBytes(32).toString("hex")]));
  return {
    ...generated,
    OPENAI_API_KEY: "sk-sim-openai",
    ANTHROPIC_API_KEY: "sk-ant-sim",
    OPENAI_BASE_URL: `${simUrl}/openai/v1`,
    ANTHROPIC_BASE_URL: `${simUrl}/anthropic`,
  };
}

function auterityOptions(spec: HostSpec): MiniflareOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(spec.root, "wrangler.toml"));
  // Static assets are served by a router in front of the Worker; /v1 runs the Worker first
  // anyway, and the pass-through has no such router, so both are measured without it.
  const { assets: _assets, ...rest } = workerOptions;
  return {
    ...COMMON,
    ...rest,
    modules: [{ type: "ESModule", path: spec.script }],
    modulesRoot: dirname(spec.script),
    d1Persist: join(spec.stateDir, "d1"),
    durableObjectsPersist: join(spec.stateDir, "do"),
    kvPersist: join(spec.stateDir, "kv"),
    r2Persist: join(spec.stateDir, "r2"),
    ...(spec.inspectorPort ? { inspectorPort: spec.inspectorPort } : {}),
    bindings: { ...rest.bindings, ...secretBindings(spec.root, spec.simUrl) },
    handleRuntimeStdio: (out: Readable, err: Readable) => {
      out.pipe(process.stdout);
      err.pipe(process.stderr);
    },
  };
}

function send(msg: HostMessage): void {
  process.send?.(msg);
}

async function main(): Promise<void> {
  const spec = hostSpec.parse(JSON.parse(process.argv[2] ?? "{}"));
  const mf = new Miniflare(spec.kind === "auterity" ? auterityOptions(spec) : await passthroughOptions(spec));
  const stop = (): void => void mf.dispose().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.once("disconnect", stop);
  const url = await mf.ready;
  let seeded: Seeded | null = null;
  let migrations: string[] = [];
  if (spec.kind === "auterity") {
    const d1 = await mf.getD1Database("DB");
    migrations = await applyMigrations(d1, join(spec.root, "d1/migrations"));
    seeded = await seedTenant(d1);
    const tenantId = seeded.tenantId;
    process.on("message", (raw) => {
      if (!parentMessage.safeParse(raw).success) return;
      void usageRows(d1, tenantId).then((rows) => send({ type: "usage", rows }));
    });
  }
  send({ type: "ready", url: url.origin, workerdPids: descendantsNamed(process.pid, "workerd"), gatewayKey: seeded?.gatewayKey ?? null, migrations });
}

main().catch((err: unknown) => {
  send({ type: "failed", error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
