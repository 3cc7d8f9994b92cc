/**
 * auterity_queue_backlog at scrape time, from the rows the queue consumers work through:
 * workflow step runs that are ready (pending and due) or leased (running), and webhook
 * messages still pending (including those waiting for a scheduled retry).
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { webhookMessages, workflowStepRuns } from "../../../d1/schema";
import { makeDb } from "../../db";
import type { GaugeSample } from "../render";

export async function backlogGauge(env: Env, now: number): Promise<GaugeSample<"auterity_queue_backlog">[]> {
  const db = makeDb(env.DB);
  const s = workflowStepRuns;
  const count = sql<number>`count(*)`;
  const [[steps], [messages]] = await db.batch([
    db
      .select({ n: count })
      .from(s)
      .where(or(eq(s.status, "running"), and(eq(s.status, "pending"), or(isNull(s.wakeAt), lte(s.wakeAt, now))))),
    db.select({ n: count }).from(webhookMessages).where(eq(webhookMessages.status, "pending")),
  ]);
  return [
    { labels: { queue: "auterity-workflows" }, value: Number(steps?.n ?? 0) },
    { labels: { queue: "auterity-webhooks" }, value: Number(messages?.n ?? 0) },
  ];
}
