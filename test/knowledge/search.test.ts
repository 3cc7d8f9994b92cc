import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeDb } from "../../workers/db";
import { knowledgeDepsOf } from "../../workers/knowledge/deps";
import { searchKnowledge } from "../../workers/knowledge/search";
import { call, expectError, expectOk } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { requestId, upstreamRequests, waitForUsage } from "../gateway/helpers";
import { createBase, INVENTORY_CSV, KnowledgeDocument, search, SERVICE_FAQ, upload, uploadReady } from "./helpers";

let t: TestTenant;
let kbId: string;
let faqId: string;
let inventoryId: string;

beforeAll(async () => {
  t = await createTestTenant("Retrieval Motors");
  kbId = (await createBase(t.adminKey, { name: "Front desk" })).id;
  faqId = (await uploadReady(t.adminKey, kbId, "service-faq.md", SERVICE_FAQ, "text/markdown")).id;
  inventoryId = (await uploadReady(t.adminKey, kbId, "inventory.csv", INVENTORY_CSV, "text/csv")).id;
});

describe("searching a knowledge base (with the simulator's non-semantic embeddings)", () => {
  it("answers an inventory question with the matching CSV row, cited", async () => {
    const [best, ...rest] = await search(t.adminKey, kbId, "do you have a red CR-V under 30k?", 3);
    expect(best).toMatchObject({ documentId: inventoryId, documentName: "inventory.csv", title: "Row 1" });
    expect(best?.text).toBe("Year: 2021; Make: Honda; Model: CR-V; Trim: EX; Color: Red; Mileage: 32,000; Price: $24,500; Stock: H1234");
    expect(best?.citation).toEqual({ documentId: inventoryId, documentName: "inventory.csv", title: "Row 1", chunkIndex: 0 });
    for (const other of rest) expect(other.score).toBeLessThan(best?.score ?? 0);
  });

  it("answers a service question with the FAQ section, its heading path as the citation title", async () => {
    const [best] = await search(t.adminKey, kbId, "how often should I rotate my tires?");
    expect(best).toMatchObject({ documentId: faqId, documentName: "service-faq.md", title: "Service department FAQ > Tire rotation" });
    expect(best?.text).toMatch(/rotating your tires every 5,000 to 7,500 miles/);
    expect(best?.citation).toMatchObject({ documentId: faqId, chunkIndex: 0 });
  });

  it("finds a chunk by its exact wording through the vectors alone", async () => {
    const text = "Brake pads are inspected free with any service visit. Squealing or grinding means the pads should be replaced soon.";
    // Same text as the chunk's embedding input: the sim gives identical vectors only for identical input.
    const [best] = await search(t.adminKey, kbId, `Service department FAQ > Brake inspection\n${text}`, 1);
    expect(best?.text).toBe(text);
    expect(best?.score).toBeGreaterThan(0.9);
  });

  it("honours topK, and an empty base answers nothing (never another base's chunks)", async () => {
    const hits = await search(t.adminKey, kbId, "service hours saturday", 2);
    expect(hits).toHaveLength(2);
    expect(hits[0]?.title).toBe("Service department FAQ > Service hours");
    const otherKb = (await createBase(t.adminKey, { name: "Empty" })).id;
    expect(await search(t.adminKey, otherKb, "red CR-V")).toEqual([]);
  });

  it("is what searchKnowledge returns to in-process callers, across several bases", async () => {
    const second = (await createBase(t.adminKey, { name: "Policies" })).id;
    await uploadReady(t.adminKey, second, "policies.md", "# Trade-ins\nWe buy any car, even if you do not buy ours. Bring the title.", "text/markdown");
    const deps = knowledgeDepsOf(env, makeDb(env.DB), () => undefined, { requestId: requestId() });
    const hits = await searchKnowledge(deps, { tenantId: t.tenantId, knowledgeBaseIds: [kbId, second], query: "can I trade in my car?", topK: 2 });
    expect(hits[0]).toMatchObject({ documentName: "policies.md", title: "Trade-ins" });
    await expect(searchKnowledge(deps, { tenantId: t.tenantId, knowledgeBaseIds: [kbId, "kb_missing000000000000"], query: "x" })).rejects.toMatchObject({ code: "not_found" });
    const other = await createTestTenant("Other Motors");
    await expect(searchKnowledge(deps, { tenantId: other.tenantId, knowledgeBaseIds: [kbId], query: "tires" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses bad queries and unknown bases", async () => {
    expectError(await call("POST", `/knowledge-bases/${kbId}/search`, { token: t.adminKey, body: { query: "  " } }), 400, "validation_failed");
    expectError(await call("POST", `/knowledge-bases/${kbId}/search`, { token: t.adminKey, body: { query: "tires", topK: 0 } }), 400, "validation_failed");
    expectError(await call("POST", `/knowledge-bases/${kbId}/search`, { token: t.adminKey, body: { query: "tires", topK: 500 } }), 400, "validation_failed");
    expectError(await call("POST", `/knowledge-bases/${kbId}/search`, { token: t.adminKey, raw: "tires", contentType: "text/plain" }), 415, "unsupported_media_type");
    expectError(await call("POST", "/knowledge-bases/kb_missing000000000000/search", { token: t.adminKey, body: { query: "tires" } }), 404, "not_found");
  });
});

describe("deleting from a knowledge base", () => {
  it("takes a deleted document's chunks out of the results at once", async () => {
    const kb = (await createBase(t.adminKey, { name: "Changing" })).id;
    const doc = await uploadReady(t.adminKey, kb, "inventory.csv", INVENTORY_CSV, "text/csv");
    await uploadReady(t.adminKey, kb, "faq.md", SERVICE_FAQ, "text/markdown");
    expect((await search(t.adminKey, kb, "red CR-V"))[0]?.documentId).toBe(doc.id);
    expect((await call("DELETE", `/knowledge-bases/${kb}/documents/${doc.id}`, { token: t.adminKey })).status).toBe(204);
    const after = await search(t.adminKey, kb, "red CR-V", 10);
    expect(after.map((h) => h.documentId)).not.toContain(doc.id);
    const rows = await env.DB.prepare("select count(*) as n from knowledge_vectors where document_id = ?").bind(doc.id).first("n");
    expect(rows).toBe(0);
  });

  it("deleting the base removes every document and vector", async () => {
    const kb = (await createBase(t.adminKey, { name: "Gone" })).id;
    const doc = await uploadReady(t.adminKey, kb, "faq.md", SERVICE_FAQ, "text/markdown");
    expect((await call("DELETE", `/knowledge-bases/${kb}`, { token: t.adminKey })).status).toBe(204);
    for (const table of ["knowledge_chunks", "knowledge_vectors", "knowledge_documents"]) {
      expect(await env.DB.prepare(`select count(*) as n from ${table} where knowledge_base_id = ?`).bind(kb).first("n")).toBe(0);
    }
    expect(await env.FILES.get(`knowledge/${t.tenantId}/${doc.id}`)).toBeNull();
  });
});

describe("embeddings go through the gateway", () => {
  const Tags = z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s)));

  it("uploads and searches appear in the usage log tagged knowledge and kb:<id>", async () => {
    const kb = (await createBase(t.adminKey, { name: "Metered" })).id;
    const uploadId = requestId();
    expectOk(await upload(t.adminKey, kb, "faq.md", SERVICE_FAQ, "text/markdown", { "x-request-id": uploadId }), 201, KnowledgeDocument);
    const row = await waitForUsage(uploadId);
    expect(row).toMatchObject({ status: 200, endpoint: "/v1/embeddings", model_served: "text-embedding-3-small" });
    expect(row.input_tokens).toBeGreaterThan(0);
    const raw = await env.DB.prepare("select tags from usage_events where request_id = ?").bind(uploadId).first("tags");
    expect(Tags.parse(raw)).toEqual(["knowledge", `kb:${kb}`]);

    const searchId = requestId();
    const query = `tires ${searchId}`;
    expectOk(await call("POST", `/knowledge-bases/${kb}/search`, { token: t.adminKey, body: { query }, headers: { "x-request-id": searchId } }), 200, z.unknown());
    await waitForUsage(searchId);
    expect(Tags.parse(await env.DB.prepare("select tags from usage_events where request_id = ?").bind(searchId).first("tags"))).toEqual(["knowledge", `kb:${kb}`]);

    // The same question again (other spacing) reuses the query's embedding: the provider is asked once.
    expect(await upstreamRequests(searchId)).toHaveLength(1);
    const again = expectOk(await call("POST", `/knowledge-bases/${kb}/search`, { token: t.adminKey, body: { query: `  ${query}  ` } }), 200, z.object({ data: z.array(z.unknown()) }).passthrough());
    expect(again.data.length).toBeGreaterThan(0);
    expect(await upstreamRequests(searchId)).toHaveLength(1);
  });

  it("a document the tenant's budget cannot embed is stored as failed, with the reason, and is not searchable", async () => {
    const poor = await createTestTenant("Broke Motors");
    expectOk(await call("POST", "/budgets", { token: poor.adminKey, body: { scope: "tenant", limitUsd: 0.000000001, window: "day", action: "hard" } }), 201, z.unknown());
    const kb = (await createBase(poor.adminKey, { name: "Unfunded" })).id;
    const doc = expectOk(await upload(poor.adminKey, kb, "faq.md", SERVICE_FAQ, "text/markdown"), 201, KnowledgeDocument);
    expect(doc).toMatchObject({ status: "failed", chunkCount: 0 });
    expect(doc.error).toMatch(/^budget_exceeded/);
    expect(await env.DB.prepare("select count(*) as n from knowledge_chunks where document_id = ?").bind(doc.id).first("n")).toBe(0);
  });
});
