/**
 * A visitor's message through a widget. A thread id comes from the visitor's browser, so it
 * is trusted only if this very widget started it, for the widget's current assistant, on the
 * widget channel; anything else answers 404 as if the thread did not exist.
 */
import { and, eq } from "drizzle-orm";
import { assistantThreads, widgetThreads } from "../../d1/schema";
import type { ChatTurn, ChatTurnInput } from "../assistants/chat";
import type { Db } from "../db";
import { AppError } from "../errors";
import type { WidgetChatInput } from "./body";
import type { WidgetRow } from "./store";

export type WidgetChatDeps = { db: Db; chatTurn: (input: ChatTurnInput) => Promise<ChatTurn> };

async function assertWidgetThread(db: Db, widget: WidgetRow, threadId: string): Promise<void> {
  const [mine, thread] = await Promise.all([
    db.query.widgetThreads.findFirst({ where: and(eq(widgetThreads.threadId, threadId), eq(widgetThreads.tenantId, widget.tenantId)) }),
    db.query.assistantThreads.findFirst({ where: and(eq(assistantThreads.id, threadId), eq(assistantThreads.tenantId, widget.tenantId)) }),
  ]);
  const usable = mine?.widgetId === widget.id && thread?.assistantId === widget.assistantId && thread.channel === "widget";
  if (!usable) throw new AppError("not_found", "Thread not found; start a new conversation without a threadId");
}

/** Runs one chat turn for a widget's visitor and remembers a new thread as this widget's. */
export async function widgetChat(deps: WidgetChatDeps, widget: WidgetRow, input: WidgetChatInput): Promise<ChatTurn> {
  if (input.threadId) await assertWidgetThread(deps.db, widget, input.threadId);
  const turn = await deps.chatTurn({
    tenantId: widget.tenantId,
    assistantId: widget.assistantId,
    content: input.content,
    channel: "widget",
    ...(input.threadId ? { threadId: input.threadId } : {}),
    ...(input.visitor ? { visitor: input.visitor } : {}),
  });
  if (!input.threadId) {
    await deps.db.insert(widgetThreads).values({ threadId: turn.threadId, tenantId: widget.tenantId, widgetId: widget.id, createdAt: Date.now() }).onConflictDoNothing();
  }
  return turn;
}
