/**
 * Quiet hours: a step due inside its window (in the dealership's zone, or the step's own)
 * waits as pending until the window ends, without using up an attempt, then runs.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { randomString } from "../../../workers/lib/ids";
import { quietUntil } from "../../../workers/workflows/engine/quiet-hours";
import { createWorkflow, harness } from "../helpers";
import { Engine, HOUR, MINUTE, runRow, setTimezone, stepRow } from "./driver";

const at = (iso: string) => Date.parse(iso);
const overnight = { start: "21:00", end: "08:00" };

async function echoed(name: string): Promise<number> {
  return z.object({ data: z.array(z.unknown()) }).parse(await (await fetch(`${env.SIM_URL}/echo/${name}/_received`)).json()).data.length;
}

describe("quietUntil", () => {
  it("answers the end of a window that crosses midnight", () => {
    // Chicago is UTC-5 in June: 23:00 local is 04:00Z the next day.
    expect(quietUntil(at("2026-06-11T04:00:00Z"), overnight, "America/Chicago")).toBe(at("2026-06-11T13:00:00Z"));
    expect(quietUntil(at("2026-06-11T04:00:30.500Z"), overnight, "America/Chicago")).toBe(at("2026-06-11T13:00:00Z"));
    expect(quietUntil(at("2026-06-10T02:00:00Z"), overnight, "America/Chicago")).toBe(at("2026-06-10T13:00:00Z")); // 21:00 local
    expect(quietUntil(at("2026-06-10T12:59:00Z"), overnight, "America/Chicago")).toBe(at("2026-06-10T13:00:00Z")); // 07:59
    expect(quietUntil(at("2026-06-10T13:00:00Z"), overnight, "America/Chicago")).toBeNull(); // 08:00: over
    expect(quietUntil(at("2026-06-11T01:59:00Z"), overnight, "America/Chicago")).toBeNull(); // 20:59: not yet
  });

  it("answers the end of a window within one day, and null outside it", () => {
    const lunch = { start: "12:00", end: "13:00" };
    expect(quietUntil(at("2026-06-10T12:30:00Z"), lunch, "UTC")).toBe(at("2026-06-10T13:00:00Z"));
    expect(quietUntil(at("2026-06-10T12:00:00Z"), lunch, "UTC")).toBe(at("2026-06-10T13:00:00Z"));
    expect(quietUntil(at("2026-06-10T13:00:00Z"), lunch, "UTC")).toBeNull();
    expect(quietUntil(at("2026-06-10T11:59:00Z"), lunch, "UTC")).toBeNull();
    expect(quietUntil(at("2026-06-10T23:30:00Z"), lunch, "UTC")).toBeNull();
    // Same start and end: no window at all.
    expect(quietUntil(at("2026-06-10T12:30:00Z"), { start: "12:00", end: "12:00" }, "UTC")).toBeNull();
  });

  it("ends at the local time even when the clocks change during the night", () => {
    // 2026-03-08: Chicago springs forward (CST UTC-6 -> CDT UTC-5); 08:00 CDT is 13:00Z.
    expect(quietUntil(at("2026-03-08T05:00:00Z"), overnight, "America/Chicago")).toBe(at("2026-03-08T13:00:00Z"));
    // 2026-11-01: it falls back (CDT -> CST); 08:00 CST is 14:00Z.
    expect(quietUntil(at("2026-11-01T04:00:00Z"), overnight, "America/Chicago")).toBe(at("2026-11-01T14:00:00Z"));
    // A window whose end the change skips (02:30 does not exist that night) ends after it.
    const until = quietUntil(at("2026-03-08T05:00:00Z"), { start: "21:00", end: "02:30" }, "America/Chicago");
    expect(until).toBeGreaterThan(at("2026-03-08T08:00:00Z")); // 03:00 CDT
    expect(quietUntil(until ?? 0, { start: "21:00", end: "02:30" }, "America/Chicago")).toBeNull();
  });
});

describe("a step with quiet hours", { timeout: 30_000 }, () => {
  it("waits until 08:00 in the dealership's zone when due at 23:00, then runs once", async () => {
    const h = await harness();
    await setTimezone(h.tenantId, "America/Chicago");
    const crm = `sms-${randomString(8)}`;
    await createWorkflow(h, "text-lead", { name: "Text lead", steps: [{ id: "text", type: "http", url: `${env.SIM_URL}/echo/${crm}`, quietHours: overnight }] });
    const e = new Engine(at("2026-06-11T04:00:00Z"));
    const run = await e.start(h.tenantId, "text-lead", {});
    await e.drain();

    const eight = at("2026-06-11T13:00:00Z");
    expect(await stepRow(run.id, "text")).toMatchObject({ status: "pending", wakeAt: eight, attempts: 0 });
    expect(e.pendingFor(run.id).map((p) => p.at)).toEqual([eight]);
    expect(await echoed(crm)).toBe(0);

    // A copy of the message that turns up at 03:00 local changes nothing.
    await e.deliver(e.pendingFor(run.id).map((p) => p.body), at("2026-06-11T08:00:00Z"));
    expect(await stepRow(run.id, "text")).toMatchObject({ status: "pending", wakeAt: eight, attempts: 0 });
    expect(e.pendingFor(run.id).map((p) => p.at)).toEqual([eight, eight]);

    await e.advance(eight - 1 - e.now);
    expect(await echoed(crm)).toBe(0);
    await e.advance(1);
    expect(await stepRow(run.id, "text")).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");
    expect(await echoed(crm)).toBe(1);
  });

  it("runs at once outside the window, and reads the step's own zone when it names one", async () => {
    const h = await harness();
    await setTimezone(h.tenantId, "America/Chicago");
    const crm = `sms-${randomString(8)}`;
    await createWorkflow(h, "text-tokyo", { name: "Text Tokyo", steps: [{ id: "text", type: "http", url: `${env.SIM_URL}/echo/${crm}`, quietHours: { ...overnight, timezone: "{{ input.zone }}" } }] });
    // 10:00 in Chicago, midnight in Tokyo.
    const e = new Engine(at("2026-06-10T15:00:00Z"));
    const chicago = await e.start(h.tenantId, "text-tokyo", { zone: "America/Chicago" });
    const tokyo = await e.start(h.tenantId, "text-tokyo", { zone: "Asia/Tokyo" });
    await e.drain();
    expect((await runRow(h.tenantId, chicago.id)).status).toBe("complete");
    expect(await stepRow(tokyo.id, "text")).toMatchObject({ status: "pending", wakeAt: at("2026-06-10T23:00:00Z") });
    await e.advance(8 * HOUR - MINUTE);
    expect((await runRow(h.tenantId, tokyo.id)).status).not.toBe("complete");
    await e.advance(MINUTE);
    expect((await runRow(h.tenantId, tokyo.id)).status).toBe("complete");
    expect(await echoed(crm)).toBe(2);
  });
});
