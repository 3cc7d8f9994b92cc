/**
 * One chat turn: open (or continue) a thread, run the assistant's pipeline over the visitor's
 * message, and stream what it produces as server-sent events: `thread`, `delta`s,
 * `citations`, `done` (or `error`). The steps after the model call (signals, persistence)
 * run as the stream finishes, so `done` arrives once the turn is stored.
 *
 * A failure before anything was said (an unknown model, a budget or rate limit) rejects the
 * call itself, so an HTTP caller gets the API's error body; a failure mid-answer arrives as
 * an `error` event.
 */
import type { ThreadChannel, Visitor } from "../../d1/schema";
import { makeDb, type Db } from "../db";
import { toAppError } from "../errors";
import { newId } from "../lib/ids";
import { log, logContext } from "../lib/log";
import { knowledgeSearch } from "./knowledge";
import { runPipeline } from "./pipeline/engine";
import { sseFrame } from "./pipeline/sse";
import type { KnowledgeSearch, PipelineContext, PipelineDeps, PipelineEvent } from "./pipeline/types";
import { getAssistant, type AssistantRow } from "./store";
import { openThread, type ThreadRow } from "./threads";

/** `search` defaults to the tenant's knowledge bases; null turns retrieval off. */
export type ChatDeps = { env: Env; db: Db; waitUntil: (p: Promise<unknown>) => void; search?: KnowledgeSearch | null; now?: () => number };

export type ChatTurnInput = {
  tenantId: string;
  assistantId: string;
  threadId?: string | null;
  content: string;
  channel: ThreadChannel;
  visitor?: Visitor;
};

export type ChatTurn = { threadId: string; stream: ReadableStream<Uint8Array> };

/** Chat deps from a Worker's bindings. */
export function chatDepsOf(env: Env, waitUntil: (p: Promise<unknown>) => void, search: KnowledgeSearch | null = knowledgeSearch): ChatDeps {
  return { env, db: makeDb(env.DB), waitUntil, search };
}

/** The context a turn starts from, before load_context fills in history, tenant and knowledge. */
export function newContext(deps: PipelineDeps, assistant: AssistantRow, thread: ThreadRow, input: ChatTurnInput, emit: (e: PipelineEvent) => void): PipelineContext {
  return {
    deps,
    tenant: { id: input.tenantId, name: "", timezone: "UTC", settings: {} },
    assistant,
    thread,
    history: [],
    input: input.content,
    visitor: thread.visitor,
    messages: [{ role: "user", content: input.content }],
    knowledgeBases: [],
    retrieved: [],
    citations: [],
    signals: {},
    output: "",
    answered: false,
    usage: { inputTokens: 0, outputTokens: 0 },
    costNanoUsd: 0,
    messageId: newId("msg"),
    startedAt: deps.now(),
    emit,
  };
}

/** Runs one turn; resolves once the answer has started (or the turn has failed before it could). */
export async function chatTurn(deps: ChatDeps, input: ChatTurnInput): Promise<ChatTurn> {
  const pipelineDeps: PipelineDeps = { env: deps.env, db: deps.db, waitUntil: deps.waitUntil, search: deps.search === undefined ? knowledgeSearch : deps.search, now: deps.now ?? Date.now };
  const scope = { db: deps.db, tenantId: input.tenantId };
  const assistant = await getAssistant(scope, input.assistantId);
  const thread = await openThread(scope, { assistantId: assistant.id, threadId: input.threadId ?? null, channel: input.channel, ...(input.visitor ? { visitor: input.visitor } : {}) }, pipelineDeps.now());

  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let started = false;
  let onStart: () => void = () => {};
  const startedSignal = new Promise<void>((resolve) => (onStart = resolve));
  const write = (e: PipelineEvent) => {
    // A visitor who left stops reading; the turn still finishes and is stored.
    writer.write(sseFrame(e)).catch(() => undefined);
  };
  const emit = (e: PipelineEvent) => {
    if (!started) {
      started = true;
      onStart();
      write({ event: "thread", data: { threadId: thread.id } });
    }
    write(e);
  };

  const ctx = newContext(pipelineDeps, assistant, thread, input, emit);
  const run = runPipeline(ctx, assistant.pipeline).then(
    () => ({ ok: true as const }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  const finished = run.then(async (r) => {
    // Nobody will read a stream whose turn failed before it started: drop it rather than wait on it.
    if (!r.ok && !started) return writer.abort(r.err).catch(() => undefined);
    if (!r.ok) {
      const e = toAppError(r.err);
      if (e.code === "internal_error") log.error("chat turn failed", { threadId: thread.id, err: r.err });
      // The turn runs inside the request's log context, which holds the request's id.
      const requestId = logContext()?.requestId;
      emit({ event: "error", data: { code: e.code, message: e.message, ...(requestId ? { requestId } : {}) } });
    }
    await writer.close().catch(() => undefined);
  });
  deps.waitUntil(finished);

  const first = await Promise.race([startedSignal.then(() => null), run]);
  if (first && !first.ok && !started) throw first.err;
  return { threadId: thread.id, stream: readable };
}
