/**
 * Tenant isolation sweep: tenant B owns one resource of every kind; tenant A's admin key
 * and A's owner try to list, read, change and delete each one. Every call must answer 404
 * (or a list without it), and B must see its data unchanged.
 *
 * A new tenant-owned resource joins the sweep with one line in RESOURCES.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createTestUser, expectError, expectOk, type Reply, uniqueEmail, WithId } from "./helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { deliveredWebhookMessage } from "../webhooks/helpers";
import { adf, Intake, postLead } from "../leads/helpers";
import { waitForStep } from "../workflows/helpers";
import { insertAnomaly } from "../operations/helpers";

type SweepTenant = TestTenant & { ownerToken: string };
type Update = { method?: "PATCH" | "PUT"; body: unknown };
type ExtraCall = { method: string; path: string; body?: unknown };

type SweepResource = {
  name: string;
  /** Collection path under /api/v1; items live at `${path}/${id}`. */
  path: string;
  /** Creates one as tenant B and returns its id. */
  create: (b: SweepTenant) => Promise<string>;
  /** A valid update body; omit when the resource cannot be updated. */
  update?: Update;
  /** False when there is no DELETE `${path}/${id}`. */
  del?: boolean;
  /** False when there is no GET `${path}` list. */
  list?: boolean;
  /** Any further routes that name one item (actions, sub-resources). */
  extra?: (id: string) => ExtraCall[];
};

/** POSTs `body` to `path` as tenant B and returns the new id. */
async function createAs(b: SweepTenant, path: string, body: unknown): Promise<string> {
  return expectOk(await call("POST", path, { token: b.adminKey, body }), 201, WithId).id;
}

/** PUTs `body` to `path` (a resource named in its path) as tenant B and returns that name. */
async function putAs(b: SweepTenant, path: string, body: unknown): Promise<string> {
  expect((await call("PUT", path, { token: b.adminKey, body })).status).toBe(200);
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The document tenant B uploads to its knowledge base, which A then tries to reach. */
let knowledgeDocOfB = "";

const TRAINING_JSONL = JSON.stringify({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }] });

const RESOURCES: SweepResource[] = [
  { name: "rooftop", path: "/rooftops", create: (b) => createAs(b, "/rooftops", { kind: "rooftop", name: "B lot" }), update: { body: { name: "Taken" } } },
  {
    name: "department", path: "/rooftops", update: { body: { name: "Taken" } },
    create: async (b) => createAs(b, "/rooftops", { kind: "department", name: "B service", parentId: await createAs(b, "/rooftops", { kind: "rooftop", name: "B parent" }) }),
  },
  { name: "user", path: "/users", create: (b) => createAs(b, "/users", { email: uniqueEmail("b"), name: "B user", role: "member" }), update: { body: { role: "viewer" } } },
  { name: "api key", path: "/keys", create: (b) => createAs(b, "/keys", { name: "B key", scopes: ["gateway"] }) },
  // PUT on these upserts in the caller's own namespace, so there is no cross-tenant update to try.
  { name: "gateway alias", path: "/gateway/aliases", create: (b) => putAs(b, "/gateway/aliases/b-fast", { target: "openai/gpt-4o-mini" }) },
  { name: "gateway provider", path: "/gateway/providers", create: (b) => putAs(b, "/gateway/providers/b-host", { kind: "openai-compatible", baseUrl: "https://b.example/v1", apiKey: "sk-b-secret-1234" }) },
  // Routing rules are one document per tenant; its saved versions are the items.
  { name: "routing rules version", path: "/gateway/routing/history", del: false, create: async (b) => WithId.parse((await call("PUT", "/gateway/routing", { token: b.adminKey, body: { yaml: "rules:\n  - name: b-only\n    targets: [openai/gpt-4o-mini]\n" } })).body).id },
  { name: "budget", path: "/budgets", create: (b) => createAs(b, "/budgets", { scope: "tenant", limitUsd: 10, window: "month" }), update: { body: { limitUsd: 1 } }, extra: (id) => [{ method: "GET", path: `/budgets/${id}/spend` }] },
  { name: "rate limit", path: "/rate-limits", create: (b) => createAs(b, "/rate-limits", { scope: "tenant", rpm: 100 }), update: { body: { rpm: 1 } } },
  {
    name: "webhook endpoint", path: "/webhooks/endpoints", update: { body: { description: "Taken" } },
    // A loopback receiver: events published by other rows of this sweep are delivered here.
    create: (b) => createAs(b, "/webhooks/endpoints", { url: `${env.SIM_URL}/partner/isolation-b` }),
    extra: (id) => [
      { method: "POST", path: `/webhooks/endpoints/${id}/rotate-secret`, body: {} },
      { method: "POST", path: `/webhooks/endpoints/${id}/test`, body: {} },
      { method: "GET", path: `/webhooks/endpoints/${id}/messages` },
      { method: "POST", path: `/webhooks/endpoints/${id}/recover`, body: { since: 0 } },
    ],
  },
  { name: "webhook message", path: "/webhooks/messages", list: false, del: false, create: (b) => deliveredWebhookMessage(b.adminKey), extra: (id) => [{ method: "POST", path: `/webhooks/messages/${id}/resend` }] },
  {
    name: "lead", path: "/leads", del: false,
    create: async (b) => Intake.parse((await postLead(adf(), { key: b.adminKey })).body).leadId,
    extra: (id) => [{ method: "GET", path: `/leads/${id}/adf` }, { method: "POST", path: `/leads/${id}/contacted`, body: { channel: "phone" } }],
  },
  {
    name: "workflow", path: "/workflows", del: false, update: { method: "PUT", body: { definition: { name: "Taken", steps: [{ id: "x", type: "transform", output: 1 }] } } },
    create: (b) => createAs(b, "/workflows", { key: "b-flow", definition: { name: "B flow", steps: [{ id: "x", type: "transform", output: 0 }] } }),
    extra: (id) => [
      { method: "GET", path: `/workflows/${id}/versions` },
      { method: "GET", path: `/workflows/${id}/versions/1` },
      { method: "PATCH", path: `/workflows/${id}`, body: { enabled: false } },
      { method: "POST", path: `/workflows/${id}/runs`, body: { input: {} } },
    ],
  },
  {
    // A run parked at an approval, so nothing moves while A tries it.
    name: "workflow run", path: "/runs", del: false,
    create: async (b) => {
      await createAs(b, "/workflows", { key: "b-gated", definition: { name: "B gated", steps: [{ id: "gate", type: "approval", title: "B only" }] } });
      const runId = WithId.parse((await call("POST", "/workflows/b-gated/runs", { token: b.adminKey, body: { input: {} } })).body).id;
      await waitForStep({ ...b, token: b.adminKey }, runId, "gate", "waiting");
      return runId;
    },
    extra: (id) => [
      ...["cancel", "pause", "resume", "rerun"].map((action) => ({ method: "POST", path: `/runs/${id}/${action}` })),
      { method: "POST", path: `/approvals/${id}/gate`, body: { decision: "approve" } },
    ],
  },
  { name: "dataset", path: "/datasets", create: (b) => createAs(b, "/datasets", { name: "B data", jsonl: TRAINING_JSONL }), extra: (id) => [{ method: "GET", path: `/datasets/${id}/content` }] },
  {
    name: "training job", path: "/training-jobs", del: false,
    create: async (b) => createAs(b, "/training-jobs", { datasetId: await createAs(b, "/datasets", { name: "B job data", jsonl: TRAINING_JSONL }), baseModel: "llama-3.1-8b", provider: "generic", hyperparameters: { epochs: 1 }, modelKey: "b-model" }),
    extra: (id) => [{ method: "POST", path: `/training-jobs/${id}/cancel` }],
  },
  {
    name: "model", path: "/models", del: false, update: { body: { name: "Taken" } },
    create: (b) => createAs(b, "/models", { key: "b-registry-model", baseModel: "llama-3.1-8b" }),
    extra: (id) => [
      { method: "GET", path: `/models/${id}/versions` },
      { method: "POST", path: `/models/${id}/versions`, body: { provider: "sim", servingEndpoint: { baseUrl: "https://a.example/v1", model: "a" } } },
      { method: "POST", path: `/models/${id}/promote`, body: { versionId: "mv_none", alias: "champion", force: true } },
      { method: "POST", path: `/models/${id}/rollback` },
      { method: "GET", path: `/models/${id}/evals` },
      { method: "POST", path: `/models/${id}/evals`, body: { versionId: "mv_none", evalSet: [{ messages: [{ role: "user", content: "hi" }] }] } },
    ],
  },
  {
    name: "knowledge base", path: "/knowledge-bases",
    create: async (b) => {
      const kbId = await createAs(b, "/knowledge-bases", { name: "B knowledge" });
      knowledgeDocOfB = await createAs(b, `/knowledge-bases/${kbId}/documents`, { name: "b.md", content: "# B only\nB's prices.", contentType: "text/markdown" });
      return kbId;
    },
    extra: (id) => [
      { method: "GET", path: `/knowledge-bases/${id}/documents` },
      { method: "POST", path: `/knowledge-bases/${id}/documents`, body: { name: "a.md", content: "# A", contentType: "text/markdown" } },
      { method: "GET", path: `/knowledge-bases/${id}/documents/${knowledgeDocOfB}` },
      { method: "DELETE", path: `/knowledge-bases/${id}/documents/${knowledgeDocOfB}` },
      { method: "POST", path: `/knowledge-bases/${id}/search`, body: { query: "B prices" } },
    ],
  },
  {
    // Keys are per tenant: A saving the same key makes A's own template, so only reads and renders are tried.
    name: "prompt template", path: "/prompt-templates", del: false,
    create: async (b) => {
      expect((await call("POST", "/prompt-templates", { token: b.adminKey, body: { key: "b-private-tpl", variables: {}, template: "B only" } })).status).toBe(201);
      return "b-private-tpl";
    },
    extra: (id) => [{ method: "POST", path: `/prompt-templates/${id}/render`, body: { variables: {} } }],
  },
  {
    name: "widget", path: "/widgets", update: { body: { title: "Taken" } }, extra: (id) => [{ method: "GET", path: `/widgets/${id}/snippet` }],
    create: async (b) => createAs(b, "/widgets", { assistantId: await createAs(b, "/assistants", { name: "B desk", model: "gpt-4o-mini" }), allowedOrigins: ["https://b.example"] }),
  },
  {
    // Raised by the detector, not through the API: written for B directly.
    name: "anomaly", path: "/operations/anomalies", del: false,
    create: (b) => insertAnomaly(b.tenantId, Date.now()),
    extra: (id) => [{ method: "POST", path: `/operations/anomalies/${id}/acknowledge` }],
  },
  {
    name: "assistant", path: "/assistants", update: { body: { name: "Taken" } },
    create: (b) => createAs(b, "/assistants", { name: "B sales", model: "gpt-4o-mini" }),
    extra: (id) => [{ method: "GET", path: `/assistants/${id}/threads` }, { method: "POST", path: `/assistants/${id}/chat`, body: { content: "hi" } }],
  },
];

let a: SweepTenant;
let b: SweepTenant;

async function sweepTenant(name: string): Promise<SweepTenant> {
  const t = await createTestTenant(name);
  return { ...t, ownerToken: (await createTestUser(t.tenantId, "owner")).accessToken };
}

/** A 404 from the resource's own lookup, not from a route that does not exist. */
function expectMiss(reply: Reply): void {
  expect(expectError(reply, 404, "not_found")).not.toMatch(/^No route/);
}

/** What B itself sees of the resource: the item, or the list when there is no item route. */
async function snapshot(r: SweepResource, id: string): Promise<unknown> {
  const item = await call("GET", `${r.path}/${id}`, { token: b.adminKey });
  if (item.status === 200) return item.body;
  return (await call("GET", r.path, { token: b.adminKey })).body;
}

beforeAll(async () => {
  a = await sweepTenant("A Motors");
  b = await sweepTenant("B Motors");
});

describe.each(RESOURCES)("tenant A against B's $name", (r) => {
  let id: string;
  let before: unknown;
  beforeAll(async () => {
    id = await r.create(b);
    before = await snapshot(r, id);
  });

  const callers = [
    ["A's admin key", () => a.adminKey],
    ["A's owner", () => a.ownerToken],
  ] as const;

  for (const [who, token] of callers) {
    it(`${who}: list, get, update, delete all miss it`, async () => {
      if (r.list !== false) {
        const list = await call("GET", r.path, { token: token() });
        expect(list.status).toBe(200);
        expect(JSON.stringify(list.body)).not.toContain(id);
      }
      expectMiss(await call("GET", `${r.path}/${id}`, { token: token() }));
      if (r.update) expectMiss(await call(r.update.method ?? "PATCH", `${r.path}/${id}`, { token: token(), body: r.update.body }));
      if (r.del !== false) expectMiss(await call("DELETE", `${r.path}/${id}`, { token: token() }));
      for (const extra of r.extra?.(id) ?? []) expectMiss(await call(extra.method, extra.path, { token: token(), body: extra.body }));
      expect(await snapshot(r, id)).toEqual(before);
    });
  }
});

describe("tenant A against B, beyond single resources", () => {
  it("GET and PATCH /tenant only ever reach the caller's own tenant", async () => {
    const beforeB = (await call("GET", "/tenant", { token: b.adminKey })).body;
    expect(WithId.parse(beforeB).id).toBe(b.tenantId);
    const seen = expectOk(await call("GET", "/tenant", { token: a.ownerToken }), 200, WithId);
    expect(seen.id).toBe(a.tenantId);
    expectOk(await call("PATCH", "/tenant", { token: a.adminKey, body: { name: "Renamed A" } }), 200, WithId);
    expect((await call("GET", "/tenant", { token: b.adminKey })).body).toEqual(beforeB);
  });

  it("B's ids in a request body are refused like ids that do not exist", async () => {
    const bRooftop = await createAs(b, "/rooftops", { kind: "rooftop", name: "B only" });
    const asA = { token: a.adminKey };
    expectError(await call("POST", "/users", { ...asA, body: { email: uniqueEmail(), name: "X", role: "member", rooftopId: bRooftop } }), 400, "validation_failed");
    expectError(await call("POST", "/rooftops", { ...asA, body: { kind: "department", name: "X", parentId: bRooftop } }), 400, "validation_failed");
    const aUser = await createAs(a, "/users", { email: uniqueEmail(), name: "A user", role: "member" });
    expectError(await call("PATCH", `/users/${aUser}`, { ...asA, body: { rooftopId: bRooftop } }), 400, "validation_failed");
  });

  it("A's audit log shows none of B's entries", async () => {
    const bId = await createAs(b, "/rooftops", { kind: "rooftop", name: "Audited in B" });
    const bAudit = await call("GET", `/audit?resourceId=${bId}`, { token: b.adminKey });
    expect(JSON.stringify(bAudit.body)).toContain(bId);
    for (const token of [a.adminKey, a.ownerToken]) {
      const page = await call("GET", "/audit?limit=200", { token });
      expect(page.status).toBe(200);
      expect(JSON.stringify(page.body)).not.toContain(bId);
      expect(JSON.stringify((await call("GET", `/audit?resourceId=${bId}`, { token })).body)).not.toContain(bId);
    }
  });

  it("anomaly sensitivity is per tenant: A's change leaves B's as it was", async () => {
    expect((await call("PUT", "/operations/anomaly-settings", { token: b.adminKey, body: { sensitivity: "high" } })).status).toBe(200);
    const beforeB = (await call("GET", "/operations/anomaly-settings", { token: b.adminKey })).body;
    expect(beforeB).toMatchObject({ sensitivity: "high" });
    expect((await call("GET", "/operations/anomaly-settings", { token: a.ownerToken })).body).toMatchObject({ sensitivity: "medium" });
    expect((await call("PUT", "/operations/anomaly-settings", { token: a.adminKey, body: { sensitivity: "off" } })).status).toBe(200);
    expect((await call("GET", "/operations/anomaly-settings", { token: b.adminKey })).body).toEqual(beforeB);
  });

  it("/me answers A's key with A's tenant only", async () => {
    const me = await call("GET", "/me", { token: a.adminKey });
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain(a.tenantId);
    expect(JSON.stringify(me.body)).not.toContain(b.tenantId);
  });
});
