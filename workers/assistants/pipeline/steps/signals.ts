/**
 * The dealership signals, each its own step: sentiment and intent of the visitor's message,
 * the quality of the answer, and the lead score of the whole conversation. The lead score
 * step also turns the conversation into a lead once it crosses the assistant's threshold.
 */
import { intent as intentOf } from "../../../dealership/intent";
import { leadScore as leadScoreOf } from "../../../dealership/lead-score";
import { qualityScore as qualityOf } from "../../../dealership/quality-score";
import { sentiment as sentimentOf } from "../../../dealership/sentiment";
import { conversationLead } from "../../conversation";
import { createChatLead } from "../../lead";
import type { PipelineContext, PipelineStep } from "../types";

/** Everything the visitor has written in the thread, this turn included. */
export function customerTexts(ctx: PipelineContext): string[] {
  return [...ctx.history.filter((m) => m.role === "user").map((m) => m.content), ctx.input];
}

export const sentimentStep: PipelineStep = async (ctx) => {
  const s = sentimentOf(ctx.input);
  ctx.signals.sentiment = { label: s.label, score: s.score };
};

export const intentStep: PipelineStep = async (ctx) => {
  const i = intentOf(ctx.input);
  ctx.signals.intent = { intent: i.intent, confidence: i.confidence };
};

export const qualityStep: PipelineStep = async (ctx) => {
  if (!ctx.output) return;
  ctx.signals.quality = { score: qualityOf({ text: ctx.output, lead: conversationLead(ctx.visitor, customerTexts(ctx)) }).score };
};

export const leadScoreStep: PipelineStep = async (ctx) => {
  const texts = customerTexts(ctx);
  const lead = conversationLead(ctx.visitor, texts);
  const scored = leadScoreOf({ lead, sentiment: sentimentOf(texts.join("\n")), intent: intentOf(texts.join("\n")), now: ctx.startedAt });
  ctx.signals.leadScore = { score: scored.score, grade: scored.grade };
  if (scored.score < ctx.assistant.leadThreshold || ctx.thread.leadId) return;
  const leadId = await createChatLead(ctx.deps, {
    tenantId: ctx.tenant.id,
    threadId: ctx.thread.id,
    rooftopId: ctx.assistant.rooftopId,
    visitor: ctx.visitor,
    customerTexts: texts,
    now: ctx.deps.now(),
  });
  if (leadId) ctx.thread = { ...ctx.thread, leadId };
};
