/**
 * Datasets: validated JSONL stored in R2 (datasets/<tenant>/<id>.jsonl) with a row in D1
 * holding its hash and stats. Every access is scoped to the tenant.
 */
import { and, desc, eq } from "drizzle-orm";
import { datasets } from "../../../d1/schema";
import type { TenantScope } from "../../db";
import { AppError } from "../../errors";
import { sha256Hex } from "../../lib/crypto";
import { newId } from "../../lib/ids";
import { TRAINING_PROVIDERS } from "../training/providers";
import { parseDataset } from "./validate";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetDeps = TenantScope & { files: R2Bucket };

/** The default epoch count cost estimates assume. */
export const ESTIMATE_EPOCHS = 3;

export function datasetKey(tenantId: string, id: string): string {
  return `datasets/${tenantId}/${id}.jsonl`;
}

/** Validates, scrubs if asked, stores and records a dataset; bad lines are a 400 naming them. */
export async function createDataset(
  deps: DatasetDeps,
  input: { name: string; text: string; scrub: boolean; source: DatasetRow["source"] },
): Promise<DatasetRow> {
  const parsed = parseDataset(input.text, { scrub: input.scrub });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    throw new AppError("validation_failed", `The dataset is not valid chat-format JSONL (line ${first?.line}: ${first?.message})`, parsed.errors);
  }
  const id = newId("ds");
  const key = datasetKey(deps.tenantId, id);
  const bytes = new TextEncoder().encode(parsed.jsonl).byteLength;
  await deps.files.put(key, parsed.jsonl, { httpMetadata: { contentType: "application/jsonl" } });
  const row: DatasetRow = {
    id,
    tenantId: deps.tenantId,
    name: input.name,
    source: input.source,
    r2Key: key,
    bytes,
    sha256: await sha256Hex(parsed.jsonl),
    examples: parsed.examples,
    tokens: parsed.tokens,
    scrubbed: input.scrub,
    redactions: parsed.redactions,
    createdAt: Date.now(),
  };
  await deps.db.insert(datasets).values(row);
  return row;
}

export async function getDataset(scope: TenantScope, id: string): Promise<DatasetRow> {
  const row = await scope.db.query.datasets.findFirst({ where: and(eq(datasets.tenantId, scope.tenantId), eq(datasets.id, id)) });
  if (!row) throw new AppError("not_found", "No such dataset");
  return row;
}

export function listDatasets(scope: TenantScope, limit = 100): Promise<DatasetRow[]> {
  return scope.db.select().from(datasets).where(eq(datasets.tenantId, scope.tenantId)).orderBy(desc(datasets.createdAt)).limit(limit);
}

/** The stored JSONL; a row whose object is gone is a 404 too. */
export async function readDatasetContent(deps: DatasetDeps, id: string): Promise<{ row: DatasetRow; body: ReadableStream; size: number }> {
  const row = await getDataset(deps, id);
  const obj = await deps.files.get(row.r2Key);
  if (!obj) throw new AppError("not_found", "The content of this dataset is gone");
  return { row, body: obj.body, size: obj.size };
}

export async function readDatasetText(files: R2Bucket, row: DatasetRow): Promise<string> {
  const obj = await files.get(row.r2Key);
  if (!obj) throw new AppError("not_found", "The content of this dataset is gone");
  return obj.text();
}

export async function deleteDataset(deps: DatasetDeps, id: string): Promise<DatasetRow> {
  const row = await getDataset(deps, id);
  await deps.files.delete(row.r2Key);
  await deps.db.delete(datasets).where(and(eq(datasets.tenantId, deps.tenantId), eq(datasets.id, id)));
  return row;
}

/** What training on the dataset would cost with each provider, for `epochs` passes. */
export function costEstimates(row: Pick<DatasetRow, "tokens">, epochs = ESTIMATE_EPOCHS) {
  return Object.values(TRAINING_PROVIDERS).map((p) => ({
    provider: p.name,
    epochs,
    pricePer1kTokensNanoUsd: p.pricePer1kTokensNanoUsd,
    costNanoUsd: Math.round((row.tokens * epochs * p.pricePer1kTokensNanoUsd) / 1000),
  }));
}
