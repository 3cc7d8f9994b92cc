/**
 * Seeds the demo dealership group into the local D1 (the same state `wrangler dev`
 * uses) through the platform's own domain functions. Idempotent: the credentials are
 * kept in <state>/demo.json, and values given through the environment always win.
 *
 * Run as its own process (`node --import tsx scripts/dev/seed-demo.ts <state dir>`):
 * the local runtime it opens installs exit hooks that would take over the caller's Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { eq } from "drizzle-orm";
import { getPlatformProxy } from "wrangler";
import { apiKeys, tenants, users, workflows } from "../../d1/schema.ts";
import { createApiKey } from "../../workers/auth/api-keys.ts";
import { hashPassword } from "../../workers/auth/passwords.ts";
import { makeDb, type Db } from "../../workers/db.ts";
import { createRooftop } from "../../workers/platform/rooftops.ts";
import { signUp } from "../../workers/platform/tenants.ts";
import { createUser, findUserByEmail } from "../../workers/platform/users.ts";
import { installTemplate } from "../../workers/workflows/templates/index.ts";
import { type DemoCredentials, loadDemo, saveDemo } from "./demo-file.ts";

const TENANT_NAME = "Demo Motors Group";
async function ensureTenant(db: Db, known: DemoCredentials | null, email: string, password: string): Promise<string> {
  if (known) {
    const row = await db.query.tenants.findFirst({ where: eq(tenants.id, known.tenantId) });
    if (row) return row.id;
  }
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.tenantId;
  const { tenant } = await signUp(db, { tenantName: TENANT_NAME, timezone: "America/Chicago", name: "Demo Admin", email, password });
  const scope = { db, tenantId: tenant.id };
  const rooftop = await createRooftop(scope, { kind: "rooftop", name: "Demo Motors Downtown" });
  for (const name of ["Sales", "Service"]) await createRooftop(scope, { kind: "department", name, parentId: rooftop.id });
  return tenant.id;
}

/** The admin signs in with exactly the printed password, whatever it was before. */
async function ensureAdmin(db: Db, tenantId: string, email: string, password: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    await createUser({ db, tenantId }, { email, name: "Demo Admin", role: "owner", password });
    return;
  }
  await db.update(users).set({ passwordHash: await hashPassword(password), status: "active" }).where(eq(users.id, user.id));
}

async function ensureKey(db: Db, tenantId: string, key: string): Promise<void> {
  const rows = await db.select({ hash: apiKeys.hash, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.tenantId, tenantId));
  const hash = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key))).toString("hex");
  if (rows.some((r) => r.hash === hash && r.revokedAt === null)) return;
  await createApiKey({ db, tenantId }, { name: "Demo key", scopes: ["gateway", "workflows", "admin"], tags: ["demo"] }, key);
}

/** The dealership workflows the demo uses, installed once (a developer's edits are kept). */
async function ensureWorkflows(db: Db, tenantId: string): Promise<void> {
  const present = new Set((await db.select({ key: workflows.key }).from(workflows).where(eq(workflows.tenantId, tenantId))).map((w) => w.key));
  for (const name of ["speed-to-lead", "service-reminder", "review-response"]) {
    if (!present.has(name)) await installTemplate({ db, tenantId }, name, { by: null });
  }
}

export async function seedDemo(opts: { persistTo: string; env: NodeJS.ProcessEnv }): Promise<DemoCredentials> {
  const file = join(opts.persistTo, "demo.json");
  const known = loadDemo(file);
  const adminEmail = (opts.env.AUTERITY_ADMIN_EMAIL || known?.adminEmail || "admin@demo-motors.test").toLowerCase();
  const adminPassword = opts.env.AUTERITY_ADMIN_PASSWORD || known?.adminPassword || randomBytes(9).toString("base64url");
  if (opts.env.AUTERITY_DEMO_API_KEY && !/^sk-aut-[0-9A-Za-z]{44}$/.test(opts.env.AUTERITY_DEMO_API_KEY)) {
    throw new Error("AUTERITY_DEMO_API_KEY must look like sk-aut- followed by 44 letters and digits");
  }
  const apiKey = opts.env.AUTERITY_DEMO_API_KEY || known?.apiKey || `sk-aut-${randomBytes(33).toString("base64url").replace(/[-_]/g, "0").slice(0, 44)}`;

  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: "wrangler.toml",
    // wrangler keeps its local state under <persist-to>/v3; the proxy takes the path as is.
    persist: { path: join(opts.persistTo, "v3") },
  });
  try {
    const db = makeDb(proxy.env.DB);
    const tenantId = await ensureTenant(db, known, adminEmail, adminPassword);
    await ensureAdmin(db, tenantId, adminEmail, adminPassword);
    await ensureKey(db, tenantId, apiKey);
    await ensureWorkflows(db, tenantId);
    const demo = { tenantId, tenantName: TENANT_NAME, adminEmail, adminPassword, apiKey };
    saveDemo(file, demo);
    return demo;
  } finally {
    await proxy.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stateDir = process.argv[2];
  if (!stateDir) throw new Error("usage: seed-demo.ts <state dir>");
  await seedDemo({ persistTo: stateDir, env: process.env });
}
