/**
 * A socket's subscription: which topics it receives, and how the messages a dashboard sends
 * (subscribe, unsubscribe, ping) change it. Plain functions; the LiveHub stores the result
 * in the socket's attachment so it survives hibernation.
 */
import { z } from "zod";
import { TOPIC_GROUPS } from "./messages";

/** What a new socket receives until it says otherwise. */
export const DEFAULT_TOPICS: readonly string[] = ["*"];
/** Attachments are limited to 2 KiB, so the subscription list is bounded. */
export const MAX_TOPICS = 20;
/** Larger client frames are refused unread. */
export const MAX_CLIENT_FRAME = 4_096;

const RUN_TOPIC = /^run:[A-Za-z0-9_-]{1,64}$/;

export const Topic = z
  .string()
  .refine((t) => t === "*" || TOPIC_GROUPS.some((g) => g === t) || RUN_TOPIC.test(t), {
    message: `Expected "*", ${TOPIC_GROUPS.map((g) => `"${g}"`).join(", ")} or "run:<runId>"`,
  });

const Topics = z.array(Topic).min(1).max(MAX_TOPICS);

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), topics: Topics }),
  z.object({ type: z.literal("unsubscribe"), topics: Topics }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** What the hub keeps per socket (serializeAttachment). */
export const Attachment = z.object({ topics: z.array(z.string()).max(MAX_TOPICS) });
export type Attachment = z.infer<typeof Attachment>;

export type ServerReply =
  | { type: "subscribed"; topics: string[] }
  | { type: "pong" }
  | { type: "error"; message: string };

/** The socket's topics and what to answer it. */
export type ClientOutcome = { topics: string[]; reply: ServerReply };

/** Whether a socket with `subscribed` topics receives a message routed to `messageTopics`. */
export function matches(subscribed: readonly string[], messageTopics: readonly string[]): boolean {
  return subscribed.some((t) => t === "*" || messageTopics.includes(t));
}

function decode(raw: string | ArrayBuffer): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof raw !== "string") return { ok: false, message: "Send JSON text frames, not binary ones" };
  if (raw.length > MAX_CLIENT_FRAME) return { ok: false, message: `Frames may be at most ${MAX_CLIENT_FRAME} characters` };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, message: "The frame is not valid JSON" };
  }
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "Invalid message";
  const at = first.path.length ? first.path.map(String).join(".") : "(root)";
  return `Invalid message at '${at}': ${first.message}. Expected {"type":"subscribe"|"unsubscribe","topics":[...]} or {"type":"ping"}`;
}

/** Applies one client frame to a socket's topics; a bad frame leaves them as they were. */
export function applyClientFrame(current: readonly string[], raw: string | ArrayBuffer): ClientOutcome {
  const decoded = decode(raw);
  if (!decoded.ok) return { topics: [...current], reply: { type: "error", message: decoded.message } };
  const parsed = ClientMessage.safeParse(decoded.value);
  if (!parsed.success) return { topics: [...current], reply: { type: "error", message: describe(parsed.error) } };
  const msg = parsed.data;
  if (msg.type === "ping") return { topics: [...current], reply: { type: "pong" } };
  if (msg.type === "unsubscribe") {
    const topics = current.filter((t) => !msg.topics.includes(t));
    return { topics, reply: { type: "subscribed", topics } };
  }
  const topics = [...new Set([...current, ...msg.topics])];
  if (topics.length > MAX_TOPICS) {
    return { topics: [...current], reply: { type: "error", message: `A socket may hold at most ${MAX_TOPICS} topics; unsubscribe from some first` } };
  }
  return { topics, reply: { type: "subscribed", topics } };
}
