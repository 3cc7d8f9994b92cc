/**
 * Datasets: chat-format JSONL validated line by line (errors name the line), optional PII
 * scrubbing, content hash and stats, the signed download URL providers use, and datasets
 * built from recorded workflow conversations.
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { workflowRuns, workflowStepRuns } from "../../../d1/schema";
import { makeDb } from "../../../workers/db";
import { sha256Hex } from "../../../workers/lib/crypto";
import { signedDatasetUrl } from "../../../workers/models/datasets/signed-url";
import { call, expectError, expectOk, ListOf } from "../../api/helpers";
import { Dataset, example, GOOD_JSONL, tenant, uploadDataset } from "./helpers";

let token: string;
let tenantId: string;
beforeAll(async () => {
  token = await tenant();
  tenantId = z.object({ id: z.string() }).parse((await call("GET", "/tenant", { token })).body).id;
});

const Details = z.array(z.object({ line: z.number(), message: z.string() }));

async function content(id: string): Promise<string> {
  const res = await exports.default.fetch(`http://auterity.test/api/v1/datasets/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
  return res.text();
}

function lineErrors(r: Awaited<ReturnType<typeof call>>) {
  expectError(r, 400, "validation_failed");
  return Details.parse(z.object({ error: z.object({ details: z.unknown() }) }).parse(r.body).error.details);
}

describe("uploading a dataset", () => {
  it("stores valid JSONL with its hash, examples, tokens and cost estimates", async () => {
    const ds = await uploadDataset(token);
    expect(ds).toMatchObject({ name: "leads", source: "upload", examples: 3, scrubbed: false });
    expect(ds.tokens).toBeGreaterThan(40);
    const content = await call("GET", `/datasets/${ds.id}/content`, { token });
    expect(content.res.headers.get("content-type")).toContain("application/jsonl");
    expect(await sha256Hex(String(content.body ?? ""))).toBe(ds.sha256);
    const generic = ds.estimates.find((e) => e.provider === "generic");
    expect(generic).toMatchObject({ epochs: 3, costNanoUsd: Math.round((ds.tokens * 3 * 400_000) / 1000) });
  });

  it("accepts JSON {name, jsonl} too", async () => {
    const ds = expectOk(await call("POST", "/datasets", { token, body: { name: "json", jsonl: GOOD_JSONL } }), 201, Dataset);
    expect(ds.examples).toBe(3);
  });

  it("rejects bad lines naming each one", async () => {
    const lines = [
      example("hi", "hello"),
      "{not json",
      JSON.stringify({ messages: [{ role: "user", content: "only a question" }] }),
      JSON.stringify({ messages: [{ role: "assistant", content: "a" }, { role: "user", content: "b" }] }),
      "",
      JSON.stringify({ messages: [{ role: "robot", content: "x" }, { role: "assistant", content: "y" }] }),
      JSON.stringify({ messages: [{ role: "system", content: "s" }, { role: "assistant", content: "y" }] }),
    ];
    const errors = lineErrors(await call("POST", "/datasets?name=bad", { token, raw: lines.join("\n"), contentType: "text/plain" }));
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7]);
    expect(errors[0]?.message).toBe("not valid JSON");
    expect(errors[2]?.message).toMatch(/last message must be the assistant/);
    expect(errors[4]?.message).toMatch(/no user message/);
  });

  it("reports at most 50 line errors", async () => {
    const errors = lineErrors(await call("POST", "/datasets?name=many", { token, raw: Array(80).fill("nope").join("\n"), contentType: "text/plain" }));
    expect(errors).toHaveLength(50);
  });

  it("refuses an empty dataset, a missing name and an unknown media type", async () => {
    expect(lineErrors(await call("POST", "/datasets?name=empty", { token, raw: "\n\n", contentType: "text/plain" }))).toEqual([{ line: 1, message: "the dataset has no examples" }]);
    expectError(await call("POST", "/datasets", { token, raw: GOOD_JSONL, contentType: "text/plain" }), 400, "validation_failed");
    expectError(await call("POST", "/datasets?name=x", { token, raw: GOOD_JSONL, contentType: "text/csv" }), 415, "unsupported_media_type");
    expectError(await call("POST", "/datasets", { token, body: { name: "x" } }), 400, "validation_failed");
  });

  it("scrubs emails, phones, cards and SSNs when asked", async () => {
    const jsonl = example("Reach me at pat@smithmotors.com or (415) 555-0134, card 4111 1111 1111 1111, SSN 123-45-6789", "Thanks, we will call you.");
    const ds = await uploadDataset(token, jsonl, "?name=pii&scrub=true");
    expect(ds).toMatchObject({ scrubbed: true, redactions: 4 });
    const text = await content(ds.id);
    for (const kind of ["EMAIL", "PHONE", "CARD", "SSN"]) expect(text).toContain(`[REDACTED:${kind}]`);
    expect(text).not.toContain("pat@smithmotors.com");
    const plain = await uploadDataset(token, jsonl, "?name=pii-kept");
    expect(await content(plain.id)).toContain("pat@smithmotors.com");
  });

  it("lists, reads and deletes", async () => {
    const ds = await uploadDataset(token, GOOD_JSONL, "?name=to-delete");
    expect(expectOk(await call("GET", "/datasets", { token }), 200, ListOf(Dataset)).data.map((d) => d.id)).toContain(ds.id);
    expect(expectOk(await call("GET", `/datasets/${ds.id}`, { token }), 200, Dataset).sha256).toBe(ds.sha256);
    expect((await call("DELETE", `/datasets/${ds.id}`, { token })).status).toBe(204);
    expectError(await call("GET", `/datasets/${ds.id}`, { token }), 404, "not_found");
    expectError(await call("GET", `/datasets/${ds.id}/content`, { token }), 404, "not_found");
  });
});

describe("the signed dataset URL", () => {
  it("serves the dataset until it expires, and nothing for a tampered link", async () => {
    const ds = await uploadDataset(token);
    const url = await signedDatasetUrl(env.MASTER_KEY, "http://auterity.test", tenantId, ds.id, Date.now());
    const ok = await exports.default.fetch(url);
    expect(ok.status).toBe(200);
    expect(await sha256Hex(await ok.text())).toBe(ds.sha256);
    expect((await exports.default.fetch(url.replace(/sig=./, "sig=A"))).status).toBe(401);
    const expired = await signedDatasetUrl(env.MASTER_KEY, "http://auterity.test", tenantId, ds.id, Date.now() - 2 * 86_400_000);
    expect((await exports.default.fetch(expired)).status).toBe(401);
    const otherTenant = (await signedDatasetUrl(env.MASTER_KEY, "http://auterity.test", tenantId, ds.id, Date.now())).replace(`tenant=${tenantId}`, "tenant=ten_other");
    expect((await exports.default.fetch(otherTenant)).status).toBe(401);
  });
});

describe("datasets from recorded conversations", () => {
  async function recordAiStep(runId: string, workflowId: string, input: unknown, output: unknown, createdAt: number) {
    const db = makeDb(env.DB);
    await db.insert(workflowRuns).values({ id: runId, tenantId, workflowId, version: 1, status: "complete", input: null, trigger: { type: "api" }, createdAt, updatedAt: createdAt }).onConflictDoNothing();
    await db.insert(workflowStepRuns).values({ id: `${runId}_s`, tenantId, runId, stepId: "reply", iteration: 0, type: "ai", status: "succeeded", input, output, createdAt, updatedAt: createdAt });
  }

  it("turns ai step prompts and answers into examples, filtered by workflow and time", async () => {
    await recordAiStep("run_conv1", "wf_a", { prompt: "Is the F-150 in stock? Call me at 415-555-0134", system: "Be brief." }, { text: "Yes, two are on the lot." }, 1_000);
    await recordAiStep("run_conv2", "wf_a", { prompt: "Hours on Sunday?" }, { text: "We open at 11." }, 2_000);
    await recordAiStep("run_conv3", "wf_b", { prompt: "Trade-in value?" }, { text: "Send me the VIN." }, 3_000);
    await recordAiStep("run_conv4", "wf_b", { note: "no prompt stored" }, { text: "ignored" }, 3_500);
    const all = expectOk(await call("POST", "/datasets/from-conversations", { token, body: { name: "all" } }), 201, Dataset);
    expect(all).toMatchObject({ source: "conversations", examples: 3, scrubbed: true, redactions: 1 });
    const text = await content(all.id);
    expect(text.split("\n")[0]).toBe(JSON.stringify({ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Is the F-150 in stock? Call me at [REDACTED:PHONE]" }, { role: "assistant", content: "Yes, two are on the lot." }] }));
    const a = expectOk(await call("POST", "/datasets/from-conversations", { token, body: { name: "a", workflowId: "wf_a", since: 1_500 } }), 201, Dataset);
    expect(a.examples).toBe(1);
    expectError(await call("POST", "/datasets/from-conversations", { token, body: { name: "none", workflowId: "wf_none" } }), 422, "unprocessable");
  });
});
