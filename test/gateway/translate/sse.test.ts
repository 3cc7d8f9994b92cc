import { describe, expect, it } from "vitest";
import { SseDecoder, sseText, type SseMessage } from "../../../workers/gateway/translate/sse";
import { ANTHROPIC_TEXT_STREAM, crlf } from "./fixtures";

const encoder = new TextEncoder();

/** Decodes `text` fed in pieces of `size` bytes. */
function decode(text: string, size: number): SseMessage[] {
  const bytes = encoder.encode(text);
  const decoder = new SseDecoder();
  const out: SseMessage[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...decoder.push(bytes.slice(at, at + size)));
  out.push(...decoder.flush());
  return out;
}

describe("SSE decoder", () => {
  it("yields the same events however the bytes are split, even inside UTF-8 and CRLF", () => {
    const whole = decode(ANTHROPIC_TEXT_STREAM, 1 << 20);
    expect(whole).toHaveLength(8);
    expect(whole[0]?.event).toBe("message_start");
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(decode(ANTHROPIC_TEXT_STREAM, size)).toEqual(whole);
      expect(decode(crlf(ANTHROPIC_TEXT_STREAM), size)).toEqual(whole);
    }
    expect(whole.map((m) => m.data).join("")).toContain(" à toi 🚗");
  });

  it("joins multi-line data, skips comments and ignores id/retry fields", () => {
    const text = ": keep-alive\n\nid: 7\nretry: 1000\nevent: note\ndata: line one\ndata:line two\n\n";
    expect(decode(text, 3)).toEqual([{ event: "note", data: "line one\nline two" }]);
  });

  it("accepts bare CR line endings", () => {
    expect(decode("data: a\r\rdata: b\r\r", 1)).toEqual([{ data: "a" }, { data: "b" }]);
  });

  it("does not dispatch an event without data, and resets the event name after each event", () => {
    expect(decode("event: lonely\n\ndata: x\n\n", 4)).toEqual([{ data: "x" }]);
  });

  it("dispatches a last event that lacks its closing blank line", () => {
    expect(decode("data: [DONE]", 2)).toEqual([{ data: "[DONE]" }]);
  });

  it("writes multi-line data back as several data lines", () => {
    expect(sseText("a\nb", "x")).toBe("event: x\ndata: a\ndata: b\n\n");
    expect(decode(sseText("a\nb", "x"), 1)).toEqual([{ event: "x", data: "a\nb" }]);
  });
});
