import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tenants } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { DEFAULT_GUARD_POLICY, loadGuardPolicy, saveGuardPolicy, type GuardPolicy } from "../../../workers/gateway/guard";
import { createTestTenant } from "../../helpers/fixtures";

const db = makeDb(env.DB);

async function setSettings(tenantId: string, settings: Record<string, unknown>): Promise<void> {
  await db.update(tenants).set({ settings }).where(eq(tenants.id, tenantId));
}

const BLOCK_CARDS: GuardPolicy = { mode: "block", injection: false, pii: { email: false, phone: false, card: true, ssn: false } };

describe("loadGuardPolicy", () => {
  it("is log mode with every detector on for a tenant that never chose", async () => {
    const t = await createTestTenant();
    expect(await loadGuardPolicy(db, t.tenantId)).toEqual({ mode: "log", injection: true, pii: { email: true, phone: true, card: true, ssn: true } });
    expect(await loadGuardPolicy(db, "ten_missing")).toEqual(DEFAULT_GUARD_POLICY);
  });

  it("reads a saved policy at once in this isolate, keeping the tenant's other settings", async () => {
    const t = await createTestTenant();
    await setSettings(t.tenantId, { ledgerFailOpen: true });
    expect((await loadGuardPolicy(db, t.tenantId)).mode).toBe("log");
    const { before, after } = await saveGuardPolicy({ db, tenantId: t.tenantId }, BLOCK_CARDS);
    expect(before).toEqual(DEFAULT_GUARD_POLICY);
    expect(after).toEqual(BLOCK_CARDS);
    expect(await loadGuardPolicy(db, t.tenantId)).toEqual(BLOCK_CARDS);
    const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, t.tenantId));
    expect(row?.settings).toEqual({ ledgerFailOpen: true, guard: BLOCK_CARDS });
  });

  it("keeps a copy for a few seconds, then reads again", async () => {
    const t = await createTestTenant();
    const now = Date.now();
    expect((await loadGuardPolicy(db, t.tenantId, now)).mode).toBe("log");
    // Written behind the cache's back, as PATCH /tenant could.
    await setSettings(t.tenantId, { guard: BLOCK_CARDS });
    expect((await loadGuardPolicy(db, t.tenantId, now + 1_000)).mode).toBe("log");
    expect(await loadGuardPolicy(db, t.tenantId, now + 10_000)).toEqual(BLOCK_CARDS);
  });

  it("falls back field by field when stored settings are unreadable", async () => {
    const t = await createTestTenant();
    await setSettings(t.tenantId, { guard: { mode: "shred", injection: "yes", pii: { email: false, card: 3 } } });
    expect(await loadGuardPolicy(db, t.tenantId, Date.now() + 60_000)).toEqual({
      mode: "log",
      injection: true,
      pii: { email: false, phone: true, card: true, ssn: true },
    });
    await setSettings(t.tenantId, { guard: "block everything" });
    expect(await loadGuardPolicy(db, t.tenantId, Date.now() + 120_000)).toEqual(DEFAULT_GUARD_POLICY);
  });
});
