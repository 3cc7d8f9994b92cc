/**
 * /datasets: chat-format JSONL training data. Upload as text/plain or application/jsonl
 * (name in ?name=) or as JSON {name, jsonl}; ?scrub=true redacts personal data first.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { platformAuth, requirePermission } from "../auth/middleware";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { readBodyLimited } from "../hooks/body";
import { buildFromConversations } from "../models/datasets/conversations";
import { costEstimates, createDataset, type DatasetDeps, type DatasetRow, deleteDataset, getDataset, listDatasets, readDatasetContent } from "../models/datasets/store";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { authErrors, bearerSecurity, EpochMs, IdParams, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

/** The largest dataset accepted in one upload. */
export const MAX_DATASET_BYTES = 50 * 1024 * 1024;

const Name = z.string().trim().min(1).max(200);
const UploadQuery = z.object({
  name: Name.optional().openapi({ description: "The dataset's name when the body is raw JSONL" }),
  scrub: z.enum(["true", "false"]).optional().openapi({ description: "Redact emails, phones, payment cards and SSNs before storing" }),
});
const JsonUpload = z.object({ name: Name, jsonl: z.string().min(1) }).strict();
const FromConversations = z
  .object({
    name: Name,
    since: EpochMs.min(0).optional(),
    until: EpochMs.min(0).optional(),
    workflowId: z.string().min(1).max(64).optional(),
    scrub: z.boolean().optional().openapi({ description: "Redact personal data (default true)" }),
  })
  .strict();

const Estimate = z.object({ provider: z.string(), epochs: z.number().int(), pricePer1kTokensNanoUsd: z.number().int(), costNanoUsd: z.number().int() });
export const DatasetSchema = z
  .object({
    id: z.string().openapi({ example: "ds_4fGh7Jk9LmNp2QrS5tUv" }),
    name: z.string(),
    source: z.enum(["upload", "conversations"]),
    bytes: z.number().int(),
    sha256: z.string(),
    examples: z.number().int(),
    tokens: z.number().int().openapi({ description: "Estimated at ~4 characters a token" }),
    scrubbed: z.boolean(),
    redactions: z.number().int(),
    estimates: z.array(Estimate).openapi({ description: "Training cost per provider for 3 epochs" }),
    createdAt: EpochMs,
  })
  .openapi("Dataset");

function view(row: DatasetRow) {
  const { tenantId: _t, r2Key: _k, ...rest } = row;
  return { ...rest, estimates: costEstimates(row) };
}

function deps(c: Context<AppEnv>): DatasetDeps {
  return { ...scopeOf(c), files: c.env.FILES };
}

async function uploaded(c: Context<AppEnv>, queryName: string | undefined): Promise<{ name: string; text: string }> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    const text = await c.req.text();
    if (text.length > MAX_DATASET_BYTES) throw new AppError("payload_too_large", "The dataset is larger than 50 MB");
    const body = JsonUpload.parse(JSON.parse(text));
    return { name: body.name, text: body.jsonl };
  }
  if (!["text/plain", "application/jsonl", "application/x-ndjson", "application/x-jsonlines"].includes(type)) {
    throw new AppError("unsupported_media_type", "Send the JSONL as text/plain or application/jsonl, or JSON {name, jsonl}");
  }
  if (!queryName) throw new AppError("validation_failed", "Name the dataset with ?name=", [{ path: "name", message: "required" }]);
  const bytes = await readBodyLimited(c.req.raw, MAX_DATASET_BYTES);
  return { name: queryName, text: new TextDecoder().decode(bytes) };
}

export const datasetsApi = createApiApp();
datasetsApi.use("*", platformAuth);

const tags = ["Datasets"];
const read = requirePermission("models:read");
const write = requirePermission("models:write");
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags, security: bearerSecurity, ...r });
const ok = (d: string) => jsonResponse(DatasetSchema, d);

datasetsApi.openapi(
  route({ method: "post", path: "/", middleware: [write], request: { query: UploadQuery },
    description: "Body: JSONL as text/plain or application/jsonl (≤ 50 MB), or JSON {name, jsonl}. A bad line is a 400 whose details list [{line, message}] (at most 50).",
    responses: { 201: ok("The stored dataset with its hash and stats"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const q = c.req.valid("query");
    const body = await uploaded(c, q.name);
    const row = await createDataset(deps(c), { name: body.name, text: body.text, scrub: q.scrub === "true", source: "upload" });
    await audit(c, { action: "dataset.created", resourceType: "dataset", resourceId: row.id, after: { name: row.name, sha256: row.sha256, examples: row.examples } });
    return c.json(view(row), 201);
  },
);

datasetsApi.openapi(
  route({ method: "post", path: "/from-conversations", middleware: [write], request: { body: jsonBody(FromConversations) },
    description: "Builds a dataset from the tenant's recorded workflow `ai` step conversations (prompt → answer), scrubbed by default.",
    responses: { 201: ok("The dataset built"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const b = c.req.valid("json");
    const row = await buildFromConversations(deps(c), { name: b.name, since: b.since, until: b.until, workflowId: b.workflowId, scrub: b.scrub ?? true });
    await audit(c, { action: "dataset.created", resourceType: "dataset", resourceId: row.id, after: { name: row.name, source: row.source, examples: row.examples } });
    return c.json(view(row), 201);
  },
);

datasetsApi.openapi(
  route({ method: "get", path: "/", middleware: [read], responses: { 200: jsonResponse(z.object({ data: z.array(DatasetSchema) }), "The tenant's datasets, newest first"), ...authErrors } }),
  async (c) => c.json({ data: (await listDatasets(scopeOf(c))).map(view) }, 200),
);

datasetsApi.openapi(
  route({ method: "get", path: "/{id}", middleware: [read], request: { params: IdParams }, responses: { 200: ok("The dataset"), ...authErrors } }),
  async (c) => c.json(view(await getDataset(scopeOf(c), c.req.valid("param").id)), 200),
);

datasetsApi.openapi(
  route({ method: "get", path: "/{id}/content", middleware: [read], request: { params: IdParams },
    responses: { 200: { description: "The JSONL as stored (scrubbed if it was), as application/jsonl" }, ...authErrors } }),
  async (c) => {
    const { body, size } = await readDatasetContent(deps(c), c.req.valid("param").id);
    return c.body(body, 200, { "content-type": "application/jsonl; charset=utf-8", "content-length": String(size) });
  },
);

datasetsApi.openapi(
  route({ method: "delete", path: "/{id}", middleware: [write], request: { params: IdParams }, responses: { 204: { description: "Deleted" }, ...authErrors } }),
  async (c) => {
    const row = await deleteDataset(deps(c), c.req.valid("param").id);
    await audit(c, { action: "dataset.deleted", resourceType: "dataset", resourceId: row.id, before: { name: row.name, sha256: row.sha256 } });
    return c.body(null, 204);
  },
);
