/**
 * The streaming hub: every upstream stream is read into chat-shaped events, and every
 * client format is written from them, so a new format needs one source and one sink.
 */
import type { SseMessage } from "../sse";
import type { ErrorInfo, FinishReason, Usage } from "../types";

export type HubToolDelta = { index: number; id?: string; name?: string; arguments?: string };

/** One chat completion chunk's worth of change (its first choice). */
export type HubChunk = {
  kind: "chunk";
  id: string;
  model: string;
  created: number;
  content?: string;
  refusal?: string;
  toolCalls?: HubToolDelta[];
  finish?: FinishReason;
  usage?: Usage;
  /** The chunk only reports usage (chat's `choices: []`). */
  usageOnly?: boolean;
  /** The upstream's own JSON, when it already speaks chat: forwarded without re-encoding. */
  raw?: string;
};

export type HubEvent = HubChunk | { kind: "done" } | { kind: "error"; error: ErrorInfo };

/** What a stage reports besides the bytes it writes for the client. */
export type StageCtx = {
  /** The call's request id, written into the error events the stage makes. */
  requestId?: string;
  write(text: string): void;
  usage(u: Usage): void;
  firstToken(): void;
  /** The upstream's terminal marker arrived: the stream is complete. */
  complete(): void;
  /** The upstream reported an error, already written for the client. */
  failed(err: ErrorInfo): void;
};

/** Turns upstream SSE messages into client SSE text. */
export type Stage = {
  push(msg: SseMessage, ctx: StageCtx): void;
  /** The upstream closed before its terminal marker; a stage may still call it complete. */
  end(ctx: StageCtx): void;
  /** Writes the client's error event for a stream that died. */
  fail(err: ErrorInfo, ctx: StageCtx): void;
};

export type HubOut = { emit(e: HubEvent): void; usage(u: Usage): void };

/** Reads one upstream format into hub events. */
export type HubSource = {
  push(msg: SseMessage, out: HubOut): void;
  end(out: HubOut): void;
};

/** Writes one client format from hub events. */
export type HubSink = {
  chunk(c: HubChunk, write: (text: string) => void): void;
  done(write: (text: string) => void): void;
  error(err: ErrorInfo, write: (text: string) => void): void;
};

function carriesToken(c: HubChunk): boolean {
  return !!c.content || !!c.refusal || (c.toolCalls !== undefined && c.toolCalls.length > 0);
}

/** A stage that reads through `source` and writes through `sink`. */
export function hubStage(source: HubSource, sink: HubSink): Stage {
  const outFor = (ctx: StageCtx): HubOut => ({
    usage: (u) => ctx.usage(u),
    emit: (e) => {
      if (e.kind === "chunk") {
        sink.chunk(e, ctx.write);
        if (carriesToken(e)) ctx.firstToken();
      } else if (e.kind === "done") {
        sink.done(ctx.write);
        ctx.complete();
      } else {
        sink.error({ ...e.error, requestId: ctx.requestId }, ctx.write);
        ctx.failed(e.error);
      }
    },
  });
  return {
    push: (msg, ctx) => source.push(msg, outFor(ctx)),
    end: (ctx) => source.end(outFor(ctx)),
    fail: (err, ctx) => sink.error(err, ctx.write),
  };
}
