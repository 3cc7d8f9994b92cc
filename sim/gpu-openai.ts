/**
 * OpenAI's fine-tuning API, served by the simulated GPU provider in front of `/openai/v1`
 * (it answers only files and fine_tuning paths and leaves the rest to sim/openai.ts):
 *
 *   POST /openai/v1/files (multipart: purpose=fine-tune, file)
 *   POST /openai/v1/fine_tuning/jobs {training_file, model, hyperparameters?, suffix?}
 *   GET  /openai/v1/fine_tuning/jobs/{id}     POST /openai/v1/fine_tuning/jobs/{id}/cancel
 *
 * Jobs go validating_files → queued → running → succeeded as /gpu/_control advances them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { SimContext } from "./context.ts";
import { type GpuJob, type GpuJobs, gpuJobsFor } from "./gpu-jobs.ts";
import { BAD_JSON, header, parseJson, randomId, readText, sendJson, type SimHandler } from "./http.ts";

const PREFIX = "/openai/v1";
// A File from the parsed form: only what is kept of it.
const UploadedFile = z.custom<{ size: number; name: string }>((v) => typeof v === "object" && v !== null && "size" in v && "name" in v);
const CreateJob = z.object({
  training_file: z.string().min(1),
  model: z.string().min(1),
  hyperparameters: z.object({ n_epochs: z.number().int().min(1).optional() }).loose().optional(),
  suffix: z.string().max(64).optional(),
}).loose();

function error(res: ServerResponse, status: number, message: string, param: string | null = null): void {
  sendJson(res, status, { error: { message, type: "invalid_request_error", param, code: null } });
}

function view(job: GpuJob): Record<string, unknown> {
  return {
    id: job.id, object: "fine_tuning.job", model: job.baseModel, created_at: Math.floor(job.createdAt / 1000),
    finished_at: job.status === "succeeded" ? Math.floor(Date.now() / 1000) : null,
    fine_tuned_model: job.fineTunedModel, organization_id: "org-sim", result_files: [], status: job.status,
    validation_file: null, training_file: job.trainingFile, hyperparameters: { n_epochs: job.epochs },
    trained_tokens: job.status === "succeeded" ? 10_000 * job.epochs : null,
    error: job.error ? { code: job.error.code, message: job.error.message, param: null } : null,
    estimated_finish: null, seed: 42,
  };
}

async function upload(store: GpuJobs, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const form = await new Request("http://sim.local/", { method: "POST", headers: { "content-type": header(req, "content-type") ?? "" }, body: Buffer.concat(chunks) })
    .formData()
    .catch(() => null);
  const parsed = UploadedFile.safeParse(form?.get("file"));
  if (!form || form.get("purpose") !== "fine-tune" || !parsed.success) return error(res, 400, "Send multipart form data with purpose=fine-tune and a file");
  const file = parsed.data;
  const id = randomId("file-");
  store.files.set(id, { bytes: file.size, filename: file.name });
  sendJson(res, 200, { id, object: "file", bytes: file.size, created_at: Math.floor(Date.now() / 1000), filename: file.name, purpose: "fine-tune", status: "processed" });
}

async function create(store: GpuJobs, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const json = parseJson(await readText(req));
  const parsed = json === BAD_JSON ? null : CreateJob.safeParse(json);
  if (!parsed?.success) return error(res, 400, "Invalid fine-tuning job request");
  const b = parsed.data;
  if (!store.files.has(b.training_file)) return error(res, 400, `invalid training_file: ${b.training_file}`, "training_file");
  const job = store.create({
    protocol: "openai", baseModel: b.model, suffix: b.suffix ?? null, epochs: b.hyperparameters?.n_epochs ?? 3, trainingFile: b.training_file,
    callbackUrl: null, callbackSecret: null, servingBaseUrl: `http://${header(req, "host") ?? "127.0.0.1"}${PREFIX}`,
  });
  sendJson(res, 200, view(job));
}

/** Handler for `/openai/v1/files` and `/openai/v1/fine_tuning/…`; answers false for the rest. */
export function gpuOpenAIHandler(ctx: SimContext): SimHandler {
  const store = gpuJobsFor(ctx);
  return async (req, res, url) => {
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : "";
    if (path !== "/files" && !path.startsWith("/fine_tuning/")) return false;
    if (!/^Bearer \S+/.test(header(req, "authorization") ?? "")) {
      error(res, 401, "You didn't provide an API key.");
      return true;
    }
    const m = /^\/fine_tuning\/jobs\/([\w-]+)(\/cancel)?$/.exec(path);
    const job = m?.[1] ? store.jobs.get(m[1]) : undefined;
    if (req.method === "POST" && path === "/files") await upload(store, req, res);
    else if (req.method === "POST" && path === "/fine_tuning/jobs") await create(store, req, res);
    else if (!job || job.protocol !== "openai") error(res, 404, `No such fine-tuning job: ${m?.[1] ?? path}`);
    else if (req.method === "GET" && !m?.[2]) sendJson(res, 200, view(job));
    else if (req.method === "POST" && m?.[2]) {
      await store.cancel(job);
      sendJson(res, 200, view(job));
    } else error(res, 405, "method not allowed");
    return true;
  };
}
