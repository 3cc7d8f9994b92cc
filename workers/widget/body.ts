/**
 * The public chat body: size-capped before it is read whole, then parsed by zod.
 */
import { z } from "zod";
import { AppError, zodDetails } from "../errors";
import { readBodyLimited } from "../hooks/body";

export const MAX_CHAT_BODY_BYTES = 16 * 1024;

export const WidgetChatBody = z
  .object({
    threadId: z.string().min(1).max(64).optional(),
    content: z.string().trim().min(1).max(4000),
    visitor: z
      .object({ name: z.string().trim().min(1).max(200).optional(), email: z.email().max(254).optional(), phone: z.string().trim().min(3).max(40).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type WidgetChatInput = z.output<typeof WidgetChatBody>;

export async function readChatBody(req: Request): Promise<WidgetChatInput> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("json")) throw new AppError("unsupported_media_type", "Send the message as JSON (content-type: application/json)");
  const text = new TextDecoder().decode(await readBodyLimited(req, MAX_CHAT_BODY_BYTES));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON");
  }
  const parsed = WidgetChatBody.safeParse(raw);
  if (!parsed.success) {
    const details = zodDetails(parsed.error);
    throw new AppError("validation_failed", details[0] ? `Invalid value at '${details[0].path}': ${details[0].message}` : "Invalid request body", details);
  }
  return parsed.data;
}
