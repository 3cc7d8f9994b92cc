import { afterEach, describe, expect, it, vi } from "vitest";
import { openaiClient } from "../gateway/helpers";
import { closeOpenSockets, liveTenant, openLive, send } from "./helpers";

afterEach(closeOpenSockets);

describe("usage.recorded", () => {
  it("reaches a dashboard watching usage once the calls are written, one message per model with summed cost and tokens", async () => {
    const t = await liveTenant("Usage Live Motors");
    const socket = await openLive(t.token);
    expect(await send(socket, { type: "unsubscribe", topics: ["*"] })).toEqual({ type: "subscribed", topics: [] });
    expect(await send(socket, { type: "subscribe", topics: ["usage"] })).toEqual({ type: "subscribed", topics: ["usage"] });

    const client = openaiClient(t.gatewayKey);
    const replies = await Promise.all([1, 2].map((n) => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `Trade-in question ${n}` }] })));
    const tokens = replies.reduce((sum, r) => sum + (r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0), 0);

    // The two calls may land in one usage-queue delivery or two: the messages add up to both.
    let calls = 0;
    let seenTokens = 0;
    await vi.waitFor(async () => {
      const frame = await socket.inbox.next();
      expect(frame.type).toBe("usage.recorded");
      const data = frame.data as { model: string; provider: string; calls: number; costNanoUsd: number; tokens: number };
      expect(data).toMatchObject({ model: "gpt-4o-mini", provider: "openai" });
      expect(data.costNanoUsd).toBeGreaterThan(0);
      calls += data.calls;
      seenTokens += data.tokens;
      expect(calls).toBe(2);
    }, { timeout: 10_000 });
    expect(seenTokens).toBe(tokens);
  });
});
