/**
 * LiveHub: one object per tenant that pushes run, training and usage updates to
 * dashboards over hibernatable WebSockets. Each socket's topics live in its attachment, so
 * the object can sleep between messages without forgetting who wants what; idle keepalive
 * pings are answered by the runtime without waking it.
 */
import { DurableObject } from "cloudflare:workers";
import { prepareLiveMessage, type LiveMessage } from "../workers/live/messages";
import { applyClientFrame, Attachment, DEFAULT_TOPICS, matches } from "../workers/live/subscriptions";

/** Sockets one tenant may hold open at once. */
export const MAX_SOCKETS_PER_TENANT = 500;
/** Close code for a socket refused because the tenant is at its limit ("try again later"). */
export const CLOSE_TOO_MANY_SOCKETS = 1013;

const PING = JSON.stringify({ type: "ping" });
const PONG = JSON.stringify({ type: "pong" });

function topicsOf(ws: WebSocket): readonly string[] {
  // An attachment that is missing or unreadable falls back to the default rather than going silent.
  const parsed = Attachment.safeParse(ws.deserializeAttachment());
  return parsed.success ? parsed.data.topics : DEFAULT_TOPICS;
}

function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed or broken: there is nobody left to tell.
  }
}

export class LiveHub extends DurableObject<Env> {
  /** The per-tenant socket limit; a field so tests can lower it on one object. */
  socketLimit = MAX_SOCKETS_PER_TENANT;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Accepts a WebSocket upgrade forwarded by the authenticated /api/v1/live route; nothing else. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    if (this.ctx.getWebSockets().length >= this.socketLimit) {
      server.accept();
      server.close(CLOSE_TOO_MANY_SOCKETS, `Too many live connections for this tenant (limit ${this.socketLimit})`);
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ topics: [...DEFAULT_TOPICS] } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends a message to every socket subscribed to one of its topics; answers how many got it. */
  async publish(message: LiveMessage): Promise<number> {
    const prepared = prepareLiveMessage(message);
    let delivered = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (!matches(topicsOf(ws), prepared.topics)) continue;
      try {
        ws.send(prepared.frame);
        delivered += 1;
      } catch {
        // A socket that is closing cannot be written to; the runtime drops it on its own.
      }
    }
    return delivered;
  }

  /** How many sockets are open for this tenant. */
  async connections(): Promise<number> {
    return this.ctx.getWebSockets().length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const outcome = applyClientFrame(topicsOf(ws), message);
    if (outcome.reply.type === "subscribed") ws.serializeAttachment({ topics: outcome.topics } satisfies Attachment);
    ws.send(JSON.stringify(outcome.reply));
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    // Since the 2026-04-07 compatibility date the runtime answers a close frame by itself and
    // this is a no-op; under older dates it completes the closing handshake.
    closeQuietly(ws, 1000, "closing");
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    closeQuietly(ws, 1011, "socket error");
  }
}
