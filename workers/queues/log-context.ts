/**
 * Log contexts for queue work: each message's lines carry the message id as their request
 * id and, when the body names one, its tenant; lines about a whole batch carry the batch's
 * first message id, prefixed `batch:`.
 */
import { withLogContext } from "../lib/log";

/** The tenant a message body names (`tenantId`), if it names one. */
export function tenantOfBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const tenantId = (body as { tenantId?: unknown }).tenantId;
  return typeof tenantId === "string" && tenantId.length > 0 && tenantId.length <= 128 ? tenantId : undefined;
}

/** Runs one message's work in its own log context. */
export function inMessageContext<T>(msg: Message<unknown>, fn: () => T): T {
  return withLogContext({ requestId: msg.id, tenantId: tenantOfBody(msg.body) }, fn);
}

/** Runs a whole batch's work in a log context of its own. */
export function inBatchContext<T>(batch: MessageBatch<unknown>, fn: () => T): T {
  return withLogContext({ requestId: `batch:${batch.messages[0]?.id ?? batch.queue}` }, fn);
}
