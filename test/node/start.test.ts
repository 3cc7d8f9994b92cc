/**
 * `npm start` as a user runs it: a fresh state directory, the printed snippets run
 * exactly as printed, and Ctrl-C leaves no process behind.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

const DEMO_KEY = `sk-aut-${"e2eDemoKey".padEnd(44, "0")}`;
const ADMIN_EMAIL = "e2e-admin@demo-motors.test";
const ADMIN_PASSWORD = "showroom-floor-2026";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/** The lines of a block the welcome text prints, from its first line up to the next blank line. */
function block(output: string, firstLine: RegExp): string {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => firstLine.test(l));
  if (start < 0) throw new Error(`no block starting ${firstLine} in:\n${output}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === "");
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

function processesMentioning(text: string): string[] {
  const ps = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return ps.split("\n").filter((l) => l.includes(text) && !l.includes("ps -eo"));
}

describe("npm start", () => {
  let stack: ChildProcess;
  let output = "";
  let base = "";
  let stateDir = "";

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "auterity-start-"));
    const port = await freePort();
    const simPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    stack = spawn("npm", ["start"], {
      cwd: process.cwd(),
      detached: true,
      env: {
        ...process.env,
        PORT: String(port),
        AUTERITY_SIM_PORT: String(simPort),
        AUTERITY_STATE_DIR: stateDir,
        AUTERITY_DEMO_API_KEY: DEMO_KEY,
        AUTERITY_ADMIN_EMAIL: ADMIN_EMAIL,
        AUTERITY_SKIP_WEB_BUILD: "1",
        AUTERITY_ADMIN_PASSWORD: ADMIN_PASSWORD,
        OPENAI_API_KEY: "",
        ANTHROPIC_API_KEY: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    stack.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    stack.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes("Press Ctrl-C to stop.")) {
      if (stack.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(() => {
    if (stack.pid && stack.exitCode === null) {
      try {
        process.kill(-stack.pid, "SIGKILL");
      } catch {
        // Already stopped by the last test.
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("prints the demo credentials it was given", () => {
    expect(output).toContain(`gateway API key:  ${DEMO_KEY}`);
    expect(output).toContain(`${ADMIN_EMAIL} / ${ADMIN_PASSWORD}`);
  });

  it("prints a curl command that works as printed", () => {
    const curl = block(output, /^curl /);
    const body = JSON.parse(execFileSync("bash", ["-c", curl], { encoding: "utf8" })) as {
      object: string;
      model: string;
      choices: { message: { content: string } }[];
    };
    expect(body.object).toBe("chat.completion");
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
  });

  it("prints an openai-SDK snippet that works as printed (served by an Anthropic model)", () => {
    const snippet = block(output, /^node --input-type=module/);
    const out = execFileSync("bash", ["-c", snippet], { encoding: "utf8", cwd: process.cwd() });
    expect(out.trim().length).toBeGreaterThan(0);
  });

  it("drafts a reply to the sample ADF lead with the printed commands", async () => {
    const sh = (cmd: string): unknown => JSON.parse(execFileSync("bash", ["-c", cmd], { encoding: "utf8", cwd: process.cwd() }));
    const posted = z.object({ leadId: z.string(), status: z.literal("created") }).parse(sh(block(output, /^curl -s .*\/hooks\/leads\/adf/)));
    const Run = z.object({ status: z.string(), input: z.object({ leadId: z.string() }).passthrough(), output: z.object({ reply: z.string() }).passthrough().nullable() });
    const runs = block(output, /^curl -s .*\/api\/v1\/runs/);
    const deadline = Date.now() + 60_000;
    let run: z.infer<typeof Run> | undefined;
    while (Date.now() < deadline) {
      run = z.object({ data: z.array(Run) }).parse(sh(runs)).data[0];
      if (run?.status === "complete") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(run?.status).toBe("complete");
    expect(run?.input.leadId).toBe(posted.leadId);
    expect(run?.output?.reply.length ?? 0).toBeGreaterThan(20);
  });

  it("lets the demo admin sign in", async () => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const session = (await res.json()) as { accessToken: string };
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it("stops every process it started on Ctrl-C", async () => {
    process.kill(-(stack.pid ?? 0), "SIGINT");
    await new Promise<void>((resolve) => (stack.exitCode !== null ? resolve() : stack.once("exit", () => resolve())));
    await new Promise((r) => setTimeout(r, 500));
    expect(processesMentioning(stateDir)).toEqual([]);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
