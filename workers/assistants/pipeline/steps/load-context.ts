/**
 * load_context: the tenant, the names of the knowledge bases the assistant searches, the
 * system prompt, and as much of the thread's history as fits the context window (newest
 * messages first, each whole or not at all).
 */
import { and, eq, inArray } from "drizzle-orm";
import { knowledgeBases, tenants } from "../../../../d1/schema";
import { AppError } from "../../../errors";
import { recentMessages, type MessageRow } from "../../threads";
import type { ChatMessage, PipelineContext, PipelineStep } from "../types";

/** The history budget: ~6,000 tokens leaves room for instructions, sources and the answer. */
export const HISTORY_TOKEN_BUDGET = 6_000;
const CHARS_PER_TOKEN = 4;

/** A rough token count (~4 characters a token), enough to decide what fits. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The newest messages whose tokens add up to at most `budget`, oldest first. */
export function historyWindow(messages: MessageRow[], budget = HISTORY_TOKEN_BUDGET): MessageRow[] {
  const kept: MessageRow[] = [];
  let used = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m) continue;
    const cost = approxTokens(m.content);
    if (used + cost > budget) break;
    used += cost;
    kept.push(m);
  }
  return kept.reverse();
}

function systemPrompt(ctx: PipelineContext): string {
  const { assistant, tenant } = ctx;
  const parts = [`You are ${assistant.name}, an assistant for ${tenant.name}${assistant.department ? ` (${assistant.department} department)` : ""}.`];
  if (assistant.instructions.trim()) parts.push(assistant.instructions.trim());
  if (ctx.knowledgeBases.length > 0) parts.push(`You can draw on: ${ctx.knowledgeBases.join(", ")}.`);
  return parts.join("\n\n");
}

async function loadTenant(ctx: PipelineContext): Promise<void> {
  const row = await ctx.deps.db.query.tenants.findFirst({ where: eq(tenants.id, ctx.tenant.id) });
  if (!row) throw new AppError("not_found", "Tenant not found");
  ctx.tenant = { id: row.id, name: row.name, timezone: row.timezone, settings: row.settings };
}

async function loadKnowledgeBases(ctx: PipelineContext): Promise<void> {
  const ids = ctx.assistant.knowledgeBaseIds;
  if (ids.length === 0) return;
  const rows = await ctx.deps.db
    .select({ name: knowledgeBases.name })
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.tenantId, ctx.tenant.id), inArray(knowledgeBases.id, ids)));
  ctx.knowledgeBases = rows.map((r) => r.name);
}

export const loadContext: PipelineStep = async (ctx) => {
  const scope = { db: ctx.deps.db, tenantId: ctx.tenant.id };
  const [recent] = await Promise.all([recentMessages(scope, ctx.thread.id), loadTenant(ctx), loadKnowledgeBases(ctx)]);
  ctx.history = historyWindow(recent);
  const past: ChatMessage[] = ctx.history.map((m) => ({ role: m.role, content: m.content }));
  ctx.messages = [{ role: "system", content: systemPrompt(ctx) }, ...past, { role: "user", content: ctx.input }];
};
