/**
 * Server-sent events out: everything in one write when no knob is set, otherwise
 * paced by time-to-first-token and tokens per second, or cut after N events.
 */
import type { ServerResponse } from "node:http";
import { type Knobs, sleep } from "./faults.ts";

/** One SSE event, already framed, with the output tokens it carries (for pacing). */
export interface SseEvent {
  text: string;
  tokens: number;
}

/** Frames `data` as an SSE event, with an `event:` line when the provider sends one. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return event === undefined ? `data: ${payload}\n\n` : `event: ${event}\ndata: ${payload}\n\n`;
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" };

/** Streams `events` to the client, honouring the pacing and cut knobs. */
export async function sendSse(res: ServerResponse, events: SseEvent[], knobs: Knobs | undefined, headers: Record<string, string>): Promise<void> {
  const paced = knobs && (knobs.ttftMs || knobs.tokensPerSecond || knobs.cutAfterChunks !== undefined);
  if (!paced) {
    // One write with a length: chunked framing would add a second segment per response,
    // and Nagle plus delayed ACKs then stall keep-alive clients for ~40 ms.
    const body = events.map((e) => e.text).join("");
    res.writeHead(200, { ...SSE_HEADERS, "content-length": Buffer.byteLength(body), ...headers });
    res.end(body);
    return;
  }
  if (knobs.ttftMs) await sleep(knobs.ttftMs);
  if (res.destroyed) return;
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  let sentContent = false;
  for (let i = 0; i < events.length; i++) {
    if (knobs.cutAfterChunks !== undefined && i >= knobs.cutAfterChunks) return cut(res);
    const ev = events[i]!;
    // The first content event goes out at TTFT; later ones are spaced by the token rate.
    if (knobs.tokensPerSecond && ev.tokens > 0) {
      if (sentContent) await sleep((ev.tokens / knobs.tokensPerSecond) * 1000);
      sentContent = true;
    }
    if (res.destroyed) return;
    res.write(ev.text);
  }
  res.end();
}

/** Ends the connection abruptly once what was written has left Node's buffers. */
function cut(res: ServerResponse): Promise<void> {
  const sock = res.socket;
  return new Promise((resolve) => {
    const drop = (): void => {
      sock?.destroy();
      res.destroy();
      resolve();
    };
    // http corks the socket until the next tick; wait for that, then for any backlog.
    setImmediate(() => (sock && sock.writableLength > 0 ? sock.once("drain", drop) : drop()));
  });
}

/** Sends a non-stream JSON answer, honouring the cut knob (half the body, then the socket drops). */
export function sendJsonMaybeCut(res: ServerResponse, body: unknown, knobs: Knobs | undefined, headers: Record<string, string>): Promise<void> | void {
  const text = JSON.stringify(body);
  const len = Buffer.byteLength(text);
  res.writeHead(200, { "content-type": "application/json", "content-length": len, ...headers });
  if (knobs?.cutAfterChunks === undefined) {
    res.end(text);
    return;
  }
  res.write(text.slice(0, Math.floor(text.length / 2)));
  return cut(res);
}
