/**
 * How registry rows look on the platform API (request and response schemas for
 * /api/v1/models, and the row -> body mappings). Sealed keys never leave the database.
 */
import { z } from "@hono/zod-openapi";
import { MODEL_ALIAS_NAMES, MODEL_VERSION_STATUSES } from "../../../d1/schema";
import type { EvalRunRow } from "../evals/gate";
import type { AliasMap, ModelRow, VersionRow } from "./store";
import { versionLabel } from "./store";

const Epoch = z.number().int();
const Alias = z.enum(MODEL_ALIAS_NAMES);
const Metrics = z.record(z.string(), z.number());

export const CreateModelBody = z
  .object({
    key: z.string().min(1).max(63).openapi({ example: "lead-reply", description: "Called as ft:<key> through the gateway" }),
    name: z.string().trim().min(1).max(200).optional(),
    baseModel: z.string().trim().min(1).max(200).openapi({ example: "llama-3.1-8b-instruct" }),
    description: z.string().max(2000).optional(),
  })
  .strict();

export const UpdateModelBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    canaryPercent: z.number().int().min(0).max(100).optional().openapi({ description: "Share of unpinned ft:<key> calls served by the challenger" }),
    evalMargin: z.number().min(0).max(100).optional(),
    errorRateMargin: z.number().min(0).max(1).optional(),
    qualityMargin: z.number().min(0).max(100).optional(),
  })
  .strict();

export const CreateVersionBody = z
  .object({
    baseModel: z.string().trim().min(1).max(200).optional().openapi({ description: "Defaults to the model's base model" }),
    datasetId: z.string().max(64).nullable().optional(),
    datasetSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().optional(),
    hyperparameters: z.record(z.string(), z.unknown()).optional(),
    provider: z.string().trim().min(1).max(100).openapi({ example: "together" }),
    providerJobId: z.string().max(200).nullable().optional(),
    metrics: Metrics.optional(),
    servingEndpoint: z
      .object({
        baseUrl: z.url().max(2000).openapi({ example: "https://api.together.xyz/v1" }),
        model: z.string().trim().min(1).max(300),
        apiKey: z.string().min(1).max(4000).optional().openapi({ description: "Stored sealed; never shown again" }),
      })
      .strict(),
  })
  .strict();

export const PromoteBody = z
  .object({
    versionId: z.string().min(1).max(64),
    alias: Alias,
    force: z.boolean().optional().openapi({ description: "Admins only: promote to champion without passing the eval gate" }),
  })
  .strict();

const Message = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string().max(20_000) }).strict();
export const EvalSet = z.array(z.object({ messages: z.array(Message).min(1).max(50), expected: z.string().max(20_000).optional() }).strict()).min(1).max(50);
export const EvalBody = z.object({ versionId: z.string().min(1).max(64), evalSet: EvalSet.optional() }).strict();

export const VersionSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    name: z.string().openapi({ example: "ft:lead-reply@v3" }),
    status: z.enum(MODEL_VERSION_STATUSES),
    lineage: z.object({
      baseModel: z.string(),
      datasetId: z.string().nullable(),
      datasetSha256: z.string().nullable(),
      hyperparameters: z.record(z.string(), z.unknown()),
      provider: z.string(),
      providerJobId: z.string().nullable(),
      jobId: z.string().nullable(),
    }),
    metrics: Metrics,
    servingEndpoint: z.object({ baseUrl: z.string(), model: z.string(), hasApiKey: z.boolean() }),
    createdAt: Epoch,
  })
  .openapi("ModelVersion");

export const ModelSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    baseModel: z.string(),
    description: z.string(),
    canaryPercent: z.number().int(),
    evalMargin: z.number(),
    errorRateMargin: z.number(),
    qualityMargin: z.number(),
    aliases: z.object({ champion: z.string().nullable(), challenger: z.string().nullable() }),
    createdAt: Epoch,
    updatedAt: Epoch,
  })
  .openapi("Model");

export const EvalRunSchema = z
  .object({
    id: z.string(),
    versionId: z.string(),
    batchId: z.string(),
    status: z.enum(["completed", "failed"]),
    meanScore: z.number(),
    costNanoUsd: z.number().int(),
    exampleCount: z.number().int(),
    scores: z.array(z.object({ index: z.number().int(), score: z.number(), quality: z.number(), overlap: z.number().nullable(), error: z.string().nullable(), text: z.string() })),
    createdAt: Epoch,
  })
  .openapi("EvalRun");

export function versionView(key: string, v: VersionRow): z.infer<typeof VersionSchema> {
  return {
    id: v.id,
    version: v.version,
    name: versionLabel(key, v.version),
    status: v.status,
    lineage: { baseModel: v.baseModel, datasetId: v.datasetId, datasetSha256: v.datasetSha256, hyperparameters: v.hyperparameters, provider: v.provider, providerJobId: v.providerJobId, jobId: v.jobId },
    metrics: v.metrics,
    servingEndpoint: { baseUrl: v.servingBaseUrl, model: v.servingModel, hasApiKey: v.servingKeyEnc !== null },
    createdAt: v.createdAt,
  };
}

export function modelView(m: ModelRow, aliases: AliasMap): z.infer<typeof ModelSchema> {
  const { evalSet: _evalSet, tenantId: _tenantId, ...rest } = m;
  return { ...rest, aliases: { champion: aliases.champion ?? null, challenger: aliases.challenger ?? null } };
}

export function evalRunView(r: EvalRunRow): z.infer<typeof EvalRunSchema> {
  const { tenantId: _t, modelId: _m, ...rest } = r;
  return rest;
}
