/**
 * /hooks/training: what GPU providers call. POST /{jobId} receives a job's signed callbacks;
 * GET /datasets/{id} serves a dataset to whoever holds its signed, expiring URL.
 */
import { Hono } from "hono";
import { z } from "zod";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { setLogTenant } from "../lib/log";
import { verifyDatasetUrl } from "../models/datasets/signed-url";
import { readDatasetContent } from "../models/datasets/store";
import { handleTrainingCallback } from "../models/training/callbacks";
import { readBodyLimited } from "./body";

/** A callback is a small JSON document. */
const MAX_CALLBACK_BYTES = 64 * 1024;

const JobParam = z.object({ jobId: z.string().regex(/^job_[A-Za-z0-9]{1,60}$/) });
const DatasetQuery = z.object({
  tenant: z.string().min(1).max(64),
  expires: z.coerce.number().int().positive(),
  sig: z.string().min(1).max(200),
});

export const trainingHooks = new Hono<AppEnv>();

trainingHooks.get("/datasets/:id", async (c) => {
  const q = DatasetQuery.safeParse(c.req.query());
  const id = c.req.param("id");
  if (!q.success || !(await verifyDatasetUrl(c.env.MASTER_KEY, { tenantId: q.data.tenant, id, expires: q.data.expires, sig: q.data.sig }, Date.now()))) {
    throw new AppError("unauthorized", "This dataset link is invalid or has expired");
  }
  setLogTenant(q.data.tenant);
  const { body, size } = await readDatasetContent({ db: makeDb(c.env.DB), tenantId: q.data.tenant, files: c.env.FILES }, id);
  return c.body(body, 200, { "content-type": "application/jsonl; charset=utf-8", "content-length": String(size) });
});

trainingHooks.post("/:jobId", async (c) => {
  const param = JobParam.safeParse(c.req.param());
  if (!param.success) throw new AppError("not_found", "No such training job");
  const body = new TextDecoder().decode(await readBodyLimited(c.req.raw, MAX_CALLBACK_BYTES));
  const answer = await handleTrainingCallback({ env: c.env, db: makeDb(c.env.DB), now: Date.now }, param.data.jobId, c.req.raw.headers, body);
  return c.json(answer, 200);
});
