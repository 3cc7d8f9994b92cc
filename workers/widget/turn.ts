/**
 * Binds the assistants' chat turn to a request's bindings, the same way the platform
 * API's chat route does, so a widget visitor gets exactly the assistant's pipeline.
 */
import type { Context } from "hono";
import { chatDepsOf, chatTurn, type ChatTurn, type ChatTurnInput } from "../assistants/chat";
import type { WidgetEnv } from "./cors";

export function chatTurnFor(c: Context<WidgetEnv>): (input: ChatTurnInput) => Promise<ChatTurn> {
  const deps = chatDepsOf(c.env, (p) => c.executionCtx.waitUntil(p));
  return (input) => chatTurn(deps, input);
}
