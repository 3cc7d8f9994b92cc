/**
 * A GPU training provider under `/gpu`, speaking our generic protocol (docs/training.md),
 * with a control API to drive its clock and callbacks, and an OpenAI-compatible chat
 * endpoint that serves the models it trained.
 *
 *   POST /gpu/jobs                 {training_file_url, base_model, hyperparameters, callback_url, callback_secret, metadata, suffix?}
 *   GET  /gpu/jobs/{id}            POST /gpu/jobs/{id}/cancel
 *   POST /gpu/v1/chat/completions  a trained model answers (deterministic text naming it)
 *   GET  /gpu/_control/jobs[/{id}]                      jobs with their callbacks (headers + body)
 *   POST /gpu/_control/jobs/{id}/advance {steps?, to?}  move the job on; POST …/fail {message?}
 *   PUT  /gpu/_control/jobs/{id} {delivery: push|hold|drop}
 *   POST /gpu/_control/jobs/{id}/callbacks/{seq}/send   (re)send one callback now
 *   PUT  /gpu/_control/clock {tickMs}                    advance every job on a timer (0: manual)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { SimContext } from "./context.ts";
import { type GpuJob, type GpuJobs, genericView, gpuJobsFor } from "./gpu-jobs.ts";
import { BAD_JSON, header, nowSeconds, parseJson, randomId, readText, sendJson, type SimHandler } from "./http.ts";

const CreateJob = z.object({
  training_file_url: z.string().url(),
  base_model: z.string().min(1),
  hyperparameters: z.object({ epochs: z.number().int().min(1).default(3) }).loose().default({ epochs: 3 }),
  callback_url: z.string().url(),
  callback_secret: z.string().startsWith("whsec_"),
  suffix: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const Advance = z.object({ steps: z.number().int().min(1).max(100).default(1), to: z.enum(["queued", "running", "succeeded", "validating_files"]).optional() });
const Configure = z.object({ delivery: z.enum(["push", "hold", "drop"]) });
const Clock = z.object({ tickMs: z.number().int().min(0).max(3_600_000) });
const Chat = z.object({ model: z.string(), messages: z.array(z.object({ role: z.string(), content: z.unknown() })).min(1), stream: z.boolean().optional() }).loose();

async function body<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | null> {
  const text = await readText(req);
  const json = parseJson(text.trim() === "" ? "{}" : text);
  const parsed = json === BAD_JSON ? null : schema.safeParse(json);
  if (parsed?.success) return parsed.data;
  sendJson(res, 400, { error: { message: parsed ? z.prettifyError(parsed.error) : "body is not JSON" } });
  return null;
}

function origin(req: IncomingMessage): string {
  return `http://${header(req, "host") ?? "127.0.0.1"}`;
}

async function createJob(store: GpuJobs, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const b = await body(req, res, CreateJob);
  if (!b) return;
  const job = store.create({
    protocol: "generic", baseModel: b.base_model, suffix: b.suffix ?? null, epochs: b.hyperparameters.epochs, trainingFile: b.training_file_url,
    callbackUrl: b.callback_url, callbackSecret: b.callback_secret, servingBaseUrl: `${origin(req)}/gpu/v1`,
  });
  sendJson(res, 201, genericView(job));
}

function chatAnswer(store: GpuJobs, res: ServerResponse, b: z.infer<typeof Chat>): void {
  const trained = [...store.jobs.values()].some((j) => j.fineTunedModel === b.model);
  if (!trained) return sendJson(res, 404, { error: { message: `The model \`${b.model}\` does not exist`, type: "invalid_request_error", code: "model_not_found" } });
  const last = b.messages[b.messages.length - 1];
  const asked = typeof last?.content === "string" ? last.content.slice(0, 60) : "your message";
  const text = `Fine-tuned model ${b.model} answering: ${asked}`;
  const usage = { prompt_tokens: Math.ceil(JSON.stringify(b.messages).length / 4), completion_tokens: Math.ceil(text.length / 4) };
  const id = randomId("chatcmpl-");
  if (b.stream) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: nowSeconds(), model: b.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.end(chunk({ role: "assistant", content: text }, null) + chunk({}, "stop", { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }) + "data: [DONE]\n\n");
    return;
  }
  sendJson(res, 200, {
    id, object: "chat.completion", created: nowSeconds(), model: b.model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  });
}

function controlView(job: GpuJob): Record<string, unknown> {
  return { ...genericView(job), protocol: job.protocol, delivery: job.delivery, training_file: job.trainingFile, callbacks: job.callbacks };
}

async function control(store: GpuJobs, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const m = /^\/jobs\/([\w-]+)(\/advance|\/fail|\/callbacks\/(\d+)\/send)?$/.exec(path);
  const route = `${req.method ?? "GET"} ${m ? (m[2]?.startsWith("/callbacks") ? "/send" : (m[2] ?? "")) : path}`;
  if (route === "GET /jobs") return sendJson(res, 200, { data: [...store.jobs.values()].map(controlView) });
  if (route === "PUT /clock") {
    const b = await body(req, res, Clock);
    if (b) store.setClock(b.tickMs);
    return b ? sendJson(res, 200, { tickMs: b.tickMs }) : undefined;
  }
  const job = m?.[1] ? store.jobs.get(m[1]) : undefined;
  if (!job) return sendJson(res, 404, { error: { message: `no gpu control route ${route}` } });
  if (route === "GET ") return sendJson(res, 200, controlView(job));
  if (route === "PUT ") {
    const b = await body(req, res, Configure);
    if (b) job.delivery = b.delivery;
    return b ? sendJson(res, 200, controlView(job)) : undefined;
  }
  if (route === "POST /advance") {
    const b = await body(req, res, Advance);
    if (b) await store.advance(job, b.to ? 100 : b.steps, b.to);
    return b ? sendJson(res, 200, controlView(job)) : undefined;
  }
  if (route === "POST /fail") {
    const b = await body(req, res, z.object({ message: z.string().default("CUDA out of memory") }));
    if (b) await store.fail(job, b.message);
    return b ? sendJson(res, 200, controlView(job)) : undefined;
  }
  const cb = job.callbacks.find((c) => c.seq === Number(m?.[3]));
  if (route === "POST /send" && cb) return sendJson(res, 200, { seq: cb.seq, answer: await store.send(job, cb) });
  sendJson(res, 404, { error: { message: `no gpu control route ${route}` } });
}

async function api(store: GpuJobs, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const m = /^\/jobs\/([\w-]+)(\/cancel)?$/.exec(path);
  const job = m?.[1] ? store.jobs.get(m[1]) : undefined;
  if (req.method === "POST" && path === "/jobs") return createJob(store, req, res);
  if (req.method === "POST" && path === "/v1/chat/completions") {
    const b = await body(req, res, Chat);
    return b ? chatAnswer(store, res, b) : undefined;
  }
  if (req.method === "GET" && path === "/v1/models") {
    const data = [...store.jobs.values()].flatMap((j) => (j.fineTunedModel ? [{ id: j.fineTunedModel, object: "model", created: 1_700_000_000, owned_by: "user" }] : []));
    return sendJson(res, 200, { object: "list", data });
  }
  if (!m || !job || job.protocol !== "generic") return sendJson(res, 404, { error: { message: `no such job or route ${path}` } });
  if (req.method === "GET" && !m[2]) return sendJson(res, 200, genericView(job));
  if (req.method === "POST" && m[2]) {
    await store.cancel(job);
    return sendJson(res, 200, genericView(job));
  }
  sendJson(res, 405, { error: { message: "method not allowed" } });
}

/** Handler for everything under `/gpu`. */
export function gpuHandler(ctx: SimContext): SimHandler {
  const store = gpuJobsFor(ctx);
  return async (req, res, url) => {
    const path = url.pathname.slice("/gpu".length) || "/";
    if (path.startsWith("/_control")) await control(store, req, res, path.slice("/_control".length));
    else if (!/^Bearer \S+/.test(header(req, "authorization") ?? "")) sendJson(res, 401, { error: { message: "send Authorization: Bearer <key>" } });
    else await api(store, req, res, path);
    return true;
  };
}
