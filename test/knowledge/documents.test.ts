import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectError, expectOk, ListOf } from "../api/helpers";
import { createTestTenant, type TestTenant } from "../helpers/fixtures";
import { createBase, INVENTORY_CSV, KnowledgeBase, KnowledgeDocument, SERVICE_FAQ, upload, uploadReady } from "./helpers";

let t: TestTenant;
beforeAll(async () => {
  t = await createTestTenant("Knowledge Motors");
});

describe("knowledge bases", () => {
  it("are created with the default embedding model, listed, read and deleted", async () => {
    const kb = await createBase(t.adminKey, { name: "Service", description: "What the service desk answers" });
    expect(kb).toMatchObject({ embeddingModel: "text-embedding-3-small", dimensions: 512, version: 0 });
    expect(kb.id).toMatch(/^kb_/);
    expect(expectOk(await call("GET", "/knowledge-bases", { token: t.adminKey }), 200, ListOf(KnowledgeBase)).data.map((b) => b.id)).toContain(kb.id);
    expectOk(await call("GET", `/knowledge-bases/${kb.id}`, { token: t.adminKey }), 200, KnowledgeBase);
    expect((await call("DELETE", `/knowledge-bases/${kb.id}`, { token: t.adminKey })).status).toBe(204);
    expectError(await call("GET", `/knowledge-bases/${kb.id}`, { token: t.adminKey }), 404, "not_found");
  });

  it("refuse bad settings", async () => {
    expectError(await call("POST", "/knowledge-bases", { token: t.adminKey, body: { name: "" } }), 400, "validation_failed");
    expectError(await call("POST", "/knowledge-bases", { token: t.adminKey, body: { name: "X", dimensions: 8 } }), 400, "validation_failed");
    expectError(await call("POST", "/knowledge-bases", { token: t.adminKey, body: { name: "X", extra: true } }), 400, "validation_failed");
  });

  it("are audited", async () => {
    const kb = await createBase(t.adminKey, { name: "Audited" });
    const page = await call("GET", `/audit?resourceId=${kb.id}`, { token: t.adminKey });
    expect(JSON.stringify(page.body)).toContain("knowledge_base.created");
  });
});

describe("uploading documents", () => {
  it("indexes Markdown into titled chunks, stores the original in R2 and moves the base's version", async () => {
    const kb = await createBase(t.adminKey);
    const doc = await uploadReady(t.adminKey, kb.id, "service-faq.md", SERVICE_FAQ, "text/markdown");
    expect(doc).toMatchObject({ kind: "markdown", status: "ready", chunkCount: 5, error: null });
    const stored = await env.FILES.get(`knowledge/${t.tenantId}/${doc.id}`);
    expect(await stored?.text()).toBe(SERVICE_FAQ);
    expect(expectOk(await call("GET", `/knowledge-bases/${kb.id}`, { token: t.adminKey }), 200, KnowledgeBase).version).toBe(1);
    const listed = expectOk(await call("GET", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey }), 200, ListOf(KnowledgeDocument));
    expect(listed.data).toEqual([expect.objectContaining({ id: doc.id, status: "ready", chunkCount: 5 })]);
    expectOk(await call("GET", `/knowledge-bases/${kb.id}/documents/${doc.id}`, { token: t.adminKey }), 200, KnowledgeDocument);
  });

  it("makes one chunk per CSV inventory row", async () => {
    const kb = await createBase(t.adminKey);
    const doc = await uploadReady(t.adminKey, kb.id, "inventory.csv", INVENTORY_CSV, "text/csv");
    expect(doc).toMatchObject({ kind: "csv", chunkCount: 8 });
  });

  it("accepts JSON {name, content, contentType} and PDF text as text/plain named *.pdf", async () => {
    const kb = await createBase(t.adminKey);
    const json = await call("POST", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey, body: { name: "hours", content: "Open 7am to 6pm.", contentType: "text/plain" } });
    expect(expectOk(json, 201, KnowledgeDocument)).toMatchObject({ name: "hours", kind: "text", status: "ready", chunkCount: 1 });
    const pdf = await uploadReady(t.adminKey, kb.id, "warranty.pdf", "Powertrain warranty: 5 years or 60,000 miles.", "text/plain; charset=utf-8");
    expect(pdf.kind).toBe("pdf_text");
  });

  it("refuses an empty document, an unknown base and a missing name", async () => {
    const kb = await createBase(t.adminKey);
    expect(expectError(await upload(t.adminKey, kb.id, "empty.md", "  \n\n ", "text/markdown"), 400, "validation_failed")).toMatch(/empty/);
    expectError(await upload(t.adminKey, "kb_doesnotexist0000000", "faq.md", SERVICE_FAQ, "text/markdown"), 404, "not_found");
    expectError(await call("POST", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey, raw: "text", contentType: "text/plain" }), 400, "validation_failed");
    expectError(await upload(t.adminKey, kb.id, "cars.csv", "Year,Make\n", "text/csv"), 400, "validation_failed");
    expectError(await call("POST", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey, body: { name: "x", content: "" } }), 400, "validation_failed");
  });

  it("answers a PDF body or another media type with a 415 that says what to send", async () => {
    const kb = await createBase(t.adminKey);
    const pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n";
    expect(expectError(await upload(t.adminKey, kb.id, "brochure.pdf", pdf, "application/pdf"), 415, "unsupported_media_type")).toMatch(/extract the text.*text\/plain/);
    expectError(await upload(t.adminKey, kb.id, "brochure.pdf", pdf, "text/plain"), 415, "unsupported_media_type");
    expect(expectError(await upload(t.adminKey, kb.id, "photo.png", "\u0089PNG", "image/png"), 415, "unsupported_media_type")).toMatch(/text\/markdown/);
    expectError(await call("POST", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey, body: { name: "b.pdf", content: pdf, contentType: "application/pdf" } }), 415, "unsupported_media_type");
    const docs = expectOk(await call("GET", `/knowledge-bases/${kb.id}/documents`, { token: t.adminKey }), 200, ListOf(KnowledgeDocument));
    expect(docs.data).toEqual([]);
  });

  it("deletes a document with its stored file", async () => {
    const kb = await createBase(t.adminKey);
    const doc = await uploadReady(t.adminKey, kb.id, "faq.md", SERVICE_FAQ, "text/markdown");
    expect((await call("DELETE", `/knowledge-bases/${kb.id}/documents/${doc.id}`, { token: t.adminKey })).status).toBe(204);
    expect(await env.FILES.get(`knowledge/${t.tenantId}/${doc.id}`)).toBeNull();
    expectError(await call("GET", `/knowledge-bases/${kb.id}/documents/${doc.id}`, { token: t.adminKey }), 404, "not_found");
    expectError(await call("DELETE", `/knowledge-bases/${kb.id}/documents/${doc.id}`, { token: t.adminKey }), 404, "not_found");
  });

  it("needs the workflows permissions: a gateway-only key is refused", async () => {
    const kb = await createBase(t.adminKey);
    expectError(await call("GET", `/knowledge-bases/${kb.id}`, { token: t.gatewayKey }), 403, "insufficient_scope");
    expectError(await upload(t.gatewayKey, kb.id, "faq.md", SERVICE_FAQ, "text/markdown"), 403, "insufficient_scope");
  });
});
