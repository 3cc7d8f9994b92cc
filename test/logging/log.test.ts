import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log, logContext, setLogTenant, withLogContext, withLogTenant } from "../../workers/lib/log";
import { captureLogs, type Capture } from "./helpers";

let capture: Capture;
beforeEach(() => {
  capture = captureLogs();
});
afterEach(() => capture.restore());

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("log", () => {
  it("writes one JSON object per line with level, message, time and fields", () => {
    log.info("lead received", { leadId: "lead_1", bytes: 1200 });
    expect(capture.lines()).toEqual([
      { level: "info", msg: "lead received", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), requestId: null, tenantId: null, leadId: "lead_1", bytes: 1200 },
    ]);
  });

  it("uses the console method of its level", () => {
    const calls: string[] = [];
    capture.restore();
    const spies = (["log", "debug", "warn", "error"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => void calls.push(m)));
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    for (const s of spies) s.mockRestore();
    capture = captureLogs();
    expect(calls).toEqual(["debug", "log", "warn", "error"]);
  });

  it("carries the context's request id, and the tenant once it is set", async () => {
    await withLogContext({ requestId: "req_one" }, async () => {
      log.info("before auth");
      await tick();
      setLogTenant("ten_a");
      await tick();
      log.info("after auth");
      expect(logContext()).toEqual({ requestId: "req_one", tenantId: "ten_a" });
    });
    log.info("outside");
    expect(capture.lines().map((l) => [l.msg, l.requestId, l.tenantId])).toEqual([
      ["before auth", "req_one", null],
      ["after auth", "req_one", "ten_a"],
      ["outside", null, null],
    ]);
  });

  it("keeps concurrent contexts apart", async () => {
    const work = (id: string, tenant: string) =>
      withLogContext({ requestId: id }, async () => {
        await tick();
        setLogTenant(tenant);
        await tick();
        log.info("done");
      });
    await Promise.all([work("req_a", "ten_a"), work("req_b", "ten_b"), work("req_c", "ten_c")]);
    expect(capture.lines().map((l) => `${l.requestId}/${l.tenantId}`).sort()).toEqual(["req_a/ten_a", "req_b/ten_b", "req_c/ten_c"]);
  });

  it("gives a tenant's share of background work the run's id and that tenant, without leaking it", async () => {
    await withLogContext({ requestId: "cron:2026-01-05T09:30:00.000Z" }, async () => {
      await withLogTenant("ten_x", async () => {
        await tick();
        log.info("inside");
      });
      log.info("after");
    });
    expect(capture.lines().map((l) => [l.msg, l.requestId, l.tenantId])).toEqual([
      ["inside", "cron:2026-01-05T09:30:00.000Z", "ten_x"],
      ["after", "cron:2026-01-05T09:30:00.000Z", null],
    ]);
  });

  it("ignores a tenant set outside any context", () => {
    setLogTenant("ten_nowhere");
    log.info("x");
    expect(capture.lines()[0]?.tenantId).toBeNull();
    expect(logContext()).toBeUndefined();
  });

  it("expands an error into its message, name and stack; anything else into a string", () => {
    log.error("failed", { err: new TypeError("bad thing") });
    log.error("failed too", { err: { code: 7 } });
    const [first, second] = capture.lines();
    expect(first).toMatchObject({ error: "bad thing", errorName: "TypeError", stack: expect.stringContaining("bad thing") });
    expect(first).not.toHaveProperty("err");
    expect(second).toMatchObject({ error: "[object Object]" });
  });

  it("still writes the line when a field cannot be serialised", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    withLogContext({ requestId: "req_cycle", tenantId: "ten_c" }, () => log.warn("odd fields", { cyclic, big: 10n }));
    expect(capture.lines()).toEqual([
      expect.objectContaining({ level: "warn", msg: "odd fields", requestId: "req_cycle", tenantId: "ten_c", logError: expect.stringContaining("could not be serialised") }),
    ]);
  });
});
