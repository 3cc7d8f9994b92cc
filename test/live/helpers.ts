/**
 * Live-socket test harness: opening /api/v1/live through the Worker, and reading what the
 * socket receives in order, waiting with vi.waitFor rather than sleeping.
 */
import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { z } from "zod";
import { createTestTenant } from "../helpers/fixtures";
import { API, createTestUser } from "../api/helpers";
import { liveHubFor } from "../../workers/live/publish";

const Frame = z.looseObject({ type: z.string() });
export type Frame = z.infer<typeof Frame>;

export type Inbox = {
  frames: Frame[];
  closed: { code: number; reason: string } | null;
  /** The next frame this socket received, in order. */
  next(): Promise<Frame>;
  /** Waits until the socket is closed by the server. */
  closedWith(): Promise<{ code: number; reason: string }>;
};

function inboxOf(ws: WebSocket): Inbox {
  let read = 0;
  const inbox: Inbox = {
    frames: [],
    closed: null,
    async next() {
      await vi.waitFor(() => expect(inbox.frames.length).toBeGreaterThan(read));
      const frame = inbox.frames[read++];
      if (!frame) throw new Error("no frame");
      return frame;
    },
    async closedWith() {
      await vi.waitFor(() => expect(inbox.closed).not.toBeNull());
      if (!inbox.closed) throw new Error("not closed");
      return inbox.closed;
    },
  };
  ws.addEventListener("message", (e) => {
    if (typeof e.data === "string") inbox.frames.push(Frame.parse(JSON.parse(e.data)));
  });
  ws.addEventListener("close", (e) => {
    inbox.closed = { code: e.code, reason: e.reason };
  });
  return inbox;
}

export type OpenOptions = { query?: string; protocols?: string[]; upgrade?: boolean };

/** Requests /api/v1/live; the response is returned as is (401, 426, or 101 with a socket). */
export function requestLive(opts: OpenOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.upgrade !== false) headers.upgrade = "websocket";
  if (opts.protocols) headers["sec-websocket-protocol"] = opts.protocols.join(", ");
  return exports.default.fetch(`${API}/live${opts.query ?? ""}`, { headers });
}

export type LiveSocket = { ws: WebSocket; inbox: Inbox; res: Response };

const opened: WebSocket[] = [];

/** Accepts the client end of a 101 response and starts reading it. */
export async function acceptLive(res: Response): Promise<LiveSocket> {
  if (res.status !== 101) throw new Error(`expected 101, got ${res.status}: ${await res.text()}`);
  const ws = res.webSocket;
  if (!ws) throw new Error("no socket in the 101 response");
  ws.accept();
  opened.push(ws);
  return { ws, inbox: inboxOf(ws), res };
}

/** Opens a live socket with `token` offered as a subprotocol. */
export async function openLive(token: string, opts: Omit<OpenOptions, "protocols"> = {}): Promise<LiveSocket> {
  return acceptLive(await requestLive({ ...opts, protocols: [`bearer.${token}`] }));
}

/** Closes every socket the test opened (call from afterEach). */
export function closeOpenSockets(): void {
  for (const ws of opened.splice(0)) {
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, "test over");
  }
}

/** Sends a client frame and returns the reply to it. */
export async function send(socket: LiveSocket, frame: unknown): Promise<Frame> {
  socket.ws.send(typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
  return socket.inbox.next();
}

/** A tenant with a signed-in member whose access token opens sockets. */
export async function liveTenant(name = "Live Motors") {
  const tenant = await createTestTenant(name);
  const member = await createTestUser(tenant.tenantId, "member");
  return { ...tenant, token: member.accessToken };
}

export function hub(tenantId: string) {
  return liveHubFor(env, tenantId);
}

/** A run.updated message as the workflow engine publishes it. */
export function runUpdated(runId: string, status: "running" | "complete" = "running") {
  return { type: "run.updated" as const, data: { runId, workflowId: "wf_test", status, costNanoUsd: 1_500, updatedAt: 1_767_225_600_000 } };
}
