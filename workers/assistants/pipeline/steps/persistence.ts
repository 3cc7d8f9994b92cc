/**
 * persistence: stores the visitor's message and the answer, with what the answer cost, the
 * sources it cited and the signals read from the turn. The answer is stored after the
 * visitor's message even when both land in the same millisecond.
 */
import { insertMessages, type MessageRow } from "../../threads";
import { newId } from "../../../lib/ids";
import type { PipelineStep } from "../types";

export const persistence: PipelineStep = async (ctx) => {
  const scope = { db: ctx.deps.db, tenantId: ctx.tenant.id };
  const answeredAt = Math.max(ctx.deps.now(), ctx.startedAt + 1);
  const user: MessageRow = {
    id: newId("msg"),
    tenantId: ctx.tenant.id,
    threadId: ctx.thread.id,
    role: "user",
    content: ctx.input,
    inputTokens: 0,
    outputTokens: 0,
    costNanoUsd: 0,
    citations: [],
    signals: { ...(ctx.signals.sentiment ? { sentiment: ctx.signals.sentiment } : {}), ...(ctx.signals.intent ? { intent: ctx.signals.intent } : {}), ...(ctx.signals.guard ? { guard: ctx.signals.guard } : {}) },
    createdAt: ctx.startedAt,
  };
  const answer: MessageRow = {
    id: ctx.messageId,
    tenantId: ctx.tenant.id,
    threadId: ctx.thread.id,
    role: "assistant",
    content: ctx.output,
    inputTokens: ctx.usage.inputTokens,
    outputTokens: ctx.usage.outputTokens,
    costNanoUsd: ctx.costNanoUsd,
    citations: ctx.citations,
    signals: ctx.signals,
    createdAt: answeredAt,
  };
  await insertMessages(scope, [user, answer], ctx.thread.id, answeredAt);
};
