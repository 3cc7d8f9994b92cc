/**
 * Loopback plumbing: free ports, readiness polling, and the simulator's control API
 * (pacing scenarios, and the request log that proves a target really reached it).
 */
import { createServer } from "node:net";
import { z } from "zod";

export const HOST = "127.0.0.1";

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (any status below 500), the process dies, or time runs out. */
export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the server behind ${url} exited before it answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const requestLog = z.object({ data: z.array(z.object({ seq: z.number() })) });

/** The sequence number of the last request the simulator received (0 when none). */
export async function simSeq(simUrl: string): Promise<number> {
  const res = await fetch(`${simUrl}/_sim/requests?limit=1`);
  const parsed = requestLog.parse(await res.json());
  return parsed.data[0]?.seq ?? 0;
}

/** Paces every streamed answer whose prompt contains `marker`: tokens at `tokensPerSecond`. */
export async function paceStreams(simUrl: string, marker: string, tokensPerSecond: number): Promise<void> {
  await fetch(`${simUrl}/_sim/scenarios`, { method: "DELETE" });
  const res = await fetch(`${simUrl}/_sim/scenarios`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ match: { text: marker }, tokensPerSecond }),
  });
  if (res.status !== 201) throw new Error(`the simulator refused the pacing scenario: ${res.status} ${await res.text()}`);
}
