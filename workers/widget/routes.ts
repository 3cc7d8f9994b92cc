/**
 * The public widget routes, mounted at /widget: the script, a widget's look, the chat
 * stream and the dashboard's preview page. No user signs in here; the publishable widget
 * id names the widget, its allowed origins gate browsers, and a per-visitor limit caps use.
 */
import { Hono } from "hono";
import { makeDb } from "../db";
import { sha256Hex } from "../lib/crypto";
import { readChatBody } from "./body";
import { widgetChat } from "./chat";
import { preflight, widgetCors, type WidgetEnv } from "./cors";
import { assertPreviewAllowed, previewHtml } from "./preview";
import { hitWidgetLimit } from "./rate-limit";
import { WIDGET_SCRIPT } from "./script";
import { findPublishedWidget } from "./store";
import { chatTurnFor } from "./turn";

const SCRIPT_ETAG = sha256Hex(WIDGET_SCRIPT).then((h) => `"${h.slice(0, 32)}"`);

export const widgetRoutes = new Hono<WidgetEnv>();

widgetRoutes.get("/v1.js", async (c) => {
  const etag = await SCRIPT_ETAG;
  const headers = {
    "content-type": "text/javascript; charset=utf-8",
    // Short so a fix reaches every dealer's site within minutes; the ETag makes revalidation cheap.
    "cache-control": "public, max-age=300, stale-while-revalidate=86400",
    etag,
    "access-control-allow-origin": "*",
    "x-content-type-options": "nosniff",
  };
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
  return c.body(WIDGET_SCRIPT, 200, headers);
});

widgetRoutes.use("/config/:widgetId", widgetCors);
widgetRoutes.use("/chat/:widgetId", widgetCors);
widgetRoutes.options("/config/:widgetId", () => preflight());
widgetRoutes.options("/chat/:widgetId", () => preflight());

widgetRoutes.get("/config/:widgetId", (c) => {
  const w = c.get("widget");
  c.header("cache-control", "public, max-age=60");
  return c.json({ id: w.id, title: w.title, greeting: w.greeting, accentColor: w.accentColor, position: w.position }, 200);
});

widgetRoutes.post("/chat/:widgetId", async (c) => {
  const widget = c.get("widget");
  const db = makeDb(c.env.DB);
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  await hitWidgetLimit({ db, defer: (p) => c.executionCtx.waitUntil(p) }, widget, ip);
  const input = await readChatBody(c.req.raw);
  const turn = await widgetChat({ db, chatTurn: chatTurnFor(c) }, widget, input);
  return new Response(turn.stream, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-thread-id": turn.threadId },
  });
});

widgetRoutes.get("/preview/:widgetId", async (c) => {
  const db = makeDb(c.env.DB);
  const widget = await findPublishedWidget(db, c.req.param("widgetId"));
  await assertPreviewAllowed({ db, jwtSecret: c.env.JWT_SECRET, environment: c.env.ENVIRONMENT }, widget, c.req.query("access_token"));
  // The token is in the URL: keep it out of caches and Referer headers.
  return c.html(previewHtml(widget), 200, { "cache-control": "no-store", "referrer-policy": "no-referrer" });
});
