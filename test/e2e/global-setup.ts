/**
 * Starts `npm start`'s stack once for the browser tests (fresh state, free ports, known
 * demo credentials) and stops it with everything it started afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

export type E2eStack = {
  base: string;
  adminEmail: string;
  adminPassword: string;
  apiKey: string;
  /** Screenshots land here: test-results/screenshots/ of the repository (git-ignored). */
  screenshotDir: string;
  /** The stack's wrangler state (`--persist-to`), for tests that seed history into its local D1. */
  stateDir: string;
  /** The stack's simulator (partner webhook receiver under /partner, OIDC provider under /oidc). */
  simUrl: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eStack;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = mkdtempSync(join(tmpdir(), "auterity-e2e-"));
  const port = await freePort();
  const simPort = await freePort();
  const stack: E2eStack = {
    base: `http://127.0.0.1:${port}`,
    adminEmail: "e2e-dashboard@demo-motors.test",
    adminPassword: "dashboard-e2e-2026",
    apiKey: `sk-aut-${"dashboardE2e".padEnd(44, "0")}`,
    screenshotDir: resolve(import.meta.dirname, "..", "..", "test-results", "screenshots"),
    stateDir,
    simUrl: `http://127.0.0.1:${simPort}`,
  };
  let output = "";
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: process.cwd(),
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      AUTERITY_SIM_PORT: String(simPort),
      AUTERITY_STATE_DIR: stateDir,
      AUTERITY_DEMO_API_KEY: stack.apiKey,
      AUTERITY_ADMIN_EMAIL: stack.adminEmail,
      AUTERITY_ADMIN_PASSWORD: stack.adminPassword,
      AUTERITY_SKIP_WEB_BUILD: "1",
      OPENAI_API_KEY: "",
      ANTHROPIC_API_KEY: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));

  // SIGINT lets npm start stop what it started (wrangler runs in a process group of its own).
  const stop = async () => {
    if (!child.pid || child.exitCode !== null) return;
    process.kill(-child.pid, "SIGINT");
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), "SIGKILL");
        } catch {
          // Gone.
        }
        resolve();
      }, 10_000);
      child.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });
  };

  // Building the dashboard and starting workerd take a while on a busy 2-core machine.
  const deadline = Date.now() + 240_000;
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      rmSync(stateDir, { recursive: true, force: true });
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide("e2e", stack);

  return async () => {
    await stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
