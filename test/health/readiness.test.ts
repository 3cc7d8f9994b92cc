import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { app } from "../../workers/app";
import { isHealthProbe } from "../../workers/health/probe-message";
import { CHECK_NAMES, checkReadiness, type ReadinessBindings } from "../../workers/health/readiness";

const Check = z.object({ ok: z.boolean(), ms: z.number().nonnegative(), error: z.string().optional() });
const Readiness = z.object({
  status: z.enum(["ready", "not_ready"]),
  checkedAt: z.string(),
  checks: z.object({ d1: Check, kv: Check, r2: Check, durableObjects: Check, queues: Check }).strict(),
});

const never = () => new Promise<never>(() => {});
const refused = (message: string) => () => Promise.reject(new Error(message));

/** The test's bindings with one replaced by a stand-in that fails the way a test wants. */
function brokenEnv(overrides: Partial<Record<keyof ReadinessBindings, unknown>>): ReadinessBindings {
  return { ...env, ...overrides } as ReadinessBindings;
}

const failing: Record<(typeof CHECK_NAMES)[number], Partial<Record<keyof ReadinessBindings, unknown>>> = {
  d1: { DB: { prepare: () => ({ first: refused("D1_ERROR: database unavailable") }) } },
  kv: { CACHE: { get: refused("KV GET failed: 503 Service Unavailable") } },
  r2: { FILES: { head: refused("R2 bucket unreachable") } },
  durableObjects: { PROVIDER_HEALTH: { idFromName: () => "id", get: () => ({ ping: refused("Durable Object reset because its code was updated") }) } },
  queues: { USAGE_QUEUE: { send: refused("Queue send failed: 500") } },
};

describe("GET /health/ready", () => {
  it("answers 200 with every check ok and timed when every binding answers", async () => {
    const res = await exports.default.fetch("http://auterity.test/health/ready");
    const body = Readiness.parse(await res.json());
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe("ready");
    for (const name of CHECK_NAMES) expect(body.checks[name]).toEqual({ ok: true, ms: expect.any(Number) });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers a probe that follows within two seconds from the same check", async () => {
    const first = Readiness.parse(await (await exports.default.fetch("http://auterity.test/health/ready")).json());
    const second = Readiness.parse(await (await exports.default.fetch("http://auterity.test/health/ready")).json());
    expect(second.checkedAt).toBe(first.checkedAt);
  });

  it("checks the bindings once for a storm of probes", async () => {
    let queries = 0;
    const counting = brokenEnv({
      DB: {
        prepare: (sql: string) => {
          queries++;
          return env.DB.prepare(sql);
        },
      },
    });
    const probe = () => app.fetch(new Request("http://auterity.test/health/ready"), counting, createExecutionContext());
    const answers = await Promise.all(Array.from({ length: 20 }, probe));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect((await probe()).status).toBe(200);
    expect(queries).toBe(1);
  });

  it("answers 503 naming the check of a binding that fails", async () => {
    const broken = brokenEnv(failing.r2);
    const res = await app.fetch(new Request("http://auterity.test/health/ready"), broken, createExecutionContext());
    const body = Readiness.parse(await res.json());
    expect(res.status).toBe(503);
    expect(body.status).toBe("not_ready");
    expect(body.checks.r2).toEqual({ ok: false, ms: expect.any(Number), error: "R2 bucket unreachable" });
    expect(body.checks.d1.ok).toBe(true);
    expect(body.checks.queues.ok).toBe(true);
  });
});

describe("checkReadiness", () => {
  for (const name of CHECK_NAMES) {
    it(`reports not_ready when ${name} fails, and only ${name}`, async () => {
      const result = await checkReadiness(brokenEnv(failing[name]), { timeoutMs: 1_000 });
      expect(result.status).toBe("not_ready");
      const failed = CHECK_NAMES.filter((n) => !result.checks[n].ok);
      expect(failed).toEqual([name]);
      expect(result.checks[name].error).toMatch(/\S/);
    });
  }

  it("fails a binding that never answers with a timeout, without waiting for it", async () => {
    const result = await checkReadiness(brokenEnv({ CACHE: { get: never } }), { timeoutMs: 50 });
    expect(result.status).toBe("not_ready");
    expect(result.checks.kv).toEqual({ ok: false, ms: expect.any(Number), error: "Timeout: timed out after 50 ms" });
    expect(result.checks.d1.ok).toBe(true);
  });

  it("fails a binding that is missing or throws before it answers", async () => {
    const result = await checkReadiness(brokenEnv({ FILES: undefined, DB: { prepare: () => { throw new TypeError("bad statement"); } } }));
    expect(result.checks.r2.ok).toBe(false);
    expect(result.checks.r2.error).toMatch(/^TypeError: /);
    expect(result.checks.d1).toEqual({ ok: false, ms: expect.any(Number), error: "TypeError: bad statement" });
  });

  it("summarises errors to one line without stacks or anything shaped like a credential", async () => {
    const err = new Error("upstream said no\n    at secretFunction (worker.js:1:1)");
    const leaky = brokenEnv({
      CACHE: { get: () => Promise.reject(err) },
      FILES: { head: refused("auth failed for Bearer eyJhbGciOiJIUzI1NiJ9.abcdef.ghijkl with key sk-aut-0123456789abcdef") },
      USAGE_QUEUE: { send: () => Promise.reject("x".repeat(500)) },
    });
    const result = await checkReadiness(leaky);
    expect(result.checks.kv.error).toBe("upstream said no");
    expect(result.checks.r2.error).toBe("auth failed for [redacted] with key [redacted]");
    expect(result.checks.queues.error?.length).toBeLessThanOrEqual(200);
  });

  it("sends the queue a health probe, which its consumer recognises", async () => {
    const sent: unknown[] = [];
    const recording = brokenEnv({
      USAGE_QUEUE: {
        send: async (body: unknown) => {
          sent.push(body);
        },
      },
    });
    const result = await checkReadiness(recording);
    expect(result.status).toBe("ready");
    expect(sent).toHaveLength(1);
    expect(isHealthProbe(sent[0])).toBe(true);
  });
});
