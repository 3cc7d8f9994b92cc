/**
 * npm start: the whole platform on this machine. Applies D1 migrations, seeds a demo
 * dealership group, starts the provider simulator (for providers without a real key)
 * and the Worker, then prints how to call it. Ctrl-C stops everything it started.
 *
 * PORT (8787), AUTERITY_SIM_PORT (8790), AUTERITY_STATE_DIR (.wrangler/state),
 * AUTERITY_DEMO_API_KEY, AUTERITY_ADMIN_EMAIL, AUTERITY_ADMIN_PASSWORD, AUTERITY_CRON_MS (60000:
 * how often the Worker's cron handler runs; wrangler dev does not run crons itself),
 * AUTERITY_SKIP_WEB_BUILD (1: serve the existing web/dist),
 * OPENAI_API_KEY / ANTHROPIC_API_KEY (real providers), OPENAI_BASE_URL / ANTHROPIC_BASE_URL.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { startSim } from "../sim/server.ts";
import { writeDevVars } from "./dev/dev-vars.ts";
import { runToCompletion, startGroup, stopGroup, waitForHttp } from "./dev/processes.ts";
import { planProviders } from "./dev/providers.ts";
import { loadDemo } from "./dev/demo-file.ts";
import { welcome } from "./dev/welcome.ts";

const port = Number(process.env.PORT ?? 8787);
const simPort = Number(process.env.AUTERITY_SIM_PORT ?? 8790);
const stateDir = process.env.AUTERITY_STATE_DIR ?? ".wrangler/state";
const host = "127.0.0.1";
const cronMs = Number(process.env.AUTERITY_CRON_MS ?? 60_000);
const quietWrangler = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

const plan = planProviders(process.env, `http://${host}:${simPort}`);
// The stack's own vars file lives with its state, so a developer's .dev.vars is never touched.
mkdirSync(stateDir, { recursive: true });
const envFile = join(stateDir, "worker.env");
writeDevVars(envFile, plan.vars);

// Test stacks share one checkout: they serve the build `npm test` made instead of rebuilding it under each other.
if (process.env.AUTERITY_SKIP_WEB_BUILD !== "1" || !existsSync("web/dist/index.html")) {
  await runToCompletion("node", ["--import", "tsx", "scripts/build-web.ts"]);
}
await runToCompletion("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], quietWrangler);
await runToCompletion("node", ["--import", "tsx", "scripts/dev/seed-demo.ts", stateDir]).catch((e: Error) => {
  console.error(`Seeding the demo dealership group failed:\n${e.message}`);
  process.exit(1);
});
const demo = loadDemo(join(stateDir, "demo.json"));
if (!demo) throw new Error("seeding the demo dealership group failed");

const sim = plan.useSim ? await startSim({ port: simPort, host }) : null;
const worker = startGroup(
  "npx",
  ["wrangler", "dev", "--local", "--ip", host, "--port", String(port), "--persist-to", stateDir, "--env-file", envFile, "--show-interactive-dev-session=false", "--test-scheduled"],
  quietWrangler,
  (line) => {
    if (/error|✘/i.test(line)) console.error(`[worker] ${line}`);
  },
);

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stopGroup(worker);
    await sim?.close();
  }
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
worker.on("exit", (code) => {
  if (!stopping) {
    console.error(`The Worker exited (${code}).`);
    void stop(1);
  }
});

try {
  await waitForHttp(`http://${host}:${port}/health`, 60_000, () => worker.exitCode === null);
} catch (e) {
  console.error((e as Error).message);
  await stop(1);
}
// wrangler dev does not fire cron triggers by itself: tick the scheduled handler as Cloudflare would.
const cronTimer = setInterval(() => {
  fetch(`http://${host}:${port}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => undefined);
}, cronMs);
cronTimer.unref();
console.log(welcome(`http://${host}:${port}`, demo, plan.lines));
