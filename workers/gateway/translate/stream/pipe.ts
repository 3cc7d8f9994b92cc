/**
 * Runs a stage over an upstream byte stream. Pull-driven, so the upstream is read only
 * as fast as the client reads; each pull writes one encoded chunk of whatever the stage
 * produced. Guarantees the client never sees a clean finish the upstream did not give.
 */
import { SseDecoder, sseEncoder, type SseMessage } from "../sse";
import type { ErrorInfo, StreamHooks } from "../types";
import { cutError } from "./errors";
import type { Stage, StageCtx } from "./hub";

type EndResult = { completed: boolean; cancelled: boolean; error?: string };

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class StreamRun {
  private readonly decoder = new SseDecoder();
  private pending = "";
  private sawToken = false;
  private result: EndResult | undefined;
  private ended = false;
  readonly ctx: StageCtx = {
    write: (text) => {
      this.pending += text;
    },
    usage: (u) => this.hooks.onUsage?.(u),
    firstToken: () => {
      if (this.sawToken) return;
      this.sawToken = true;
      this.hooks.onFirstToken?.();
    },
    complete: () => this.settle({ completed: true, cancelled: false }),
    failed: (err) => this.settle({ completed: false, cancelled: false, error: err.message }),
  };

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly stage: Stage,
    private readonly hooks: StreamHooks,
    requestId?: string,
  ) {
    if (requestId !== undefined) this.ctx.requestId = requestId;
  }

  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const over = await this.step();
    if (this.ended) return;
    if (this.pending) controller.enqueue(sseEncoder.encode(this.pending));
    this.pending = "";
    if (!over) return;
    controller.close();
    this.end(this.result ?? { completed: false, cancelled: false });
  }

  cancel(reason: unknown): Promise<void> {
    this.end({ completed: false, cancelled: true });
    return this.reader.cancel(reason).catch(() => undefined);
  }

  // Reads until there is something to send; true once the stream is over.
  private async step(): Promise<boolean> {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.reader.read();
      } catch (e) {
        this.die(cutError(`The upstream stream failed: ${describe(e)}`));
        return true;
      }
      if (this.ended) return true;
      if (chunk.done) {
        this.handle(this.decoder.flush());
        if (!this.result) this.stage.end(this.ctx);
        if (!this.result) this.die(cutError());
        return true;
      }
      this.handle(this.decoder.push(chunk.value));
      if (this.result) {
        // Whatever follows the terminal event (or an error) is not the client's.
        this.reader.cancel().catch(() => undefined);
        return true;
      }
      if (this.pending) return false;
    }
  }

  private handle(messages: SseMessage[]): void {
    for (const m of messages) {
      if (this.result) return;
      try {
        this.stage.push(m, this.ctx);
      } catch (e) {
        this.die({ message: `The upstream sent an event that could not be read: ${describe(e)}`, type: "api_error", code: "bad_upstream_event" });
      }
    }
  }

  private die(err: ErrorInfo): void {
    this.stage.fail({ ...err, requestId: this.ctx.requestId }, this.ctx);
    this.settle({ completed: false, cancelled: false, error: err.message });
  }

  private settle(r: EndResult): void {
    this.result ??= r;
  }

  private end(r: EndResult): void {
    if (this.ended) return;
    this.ended = true;
    this.hooks.onEnd?.(r);
  }
}

/**
 * Client SSE bytes from `upstream`, translated by `stage`; hooks report tokens, usage and the
 * end. Error events the stream ends with carry `requestId`.
 */
export function runStream(upstream: ReadableStream<Uint8Array>, stage: Stage, hooks: StreamHooks = {}, requestId?: string): ReadableStream<Uint8Array> {
  const run = new StreamRun(upstream.getReader(), stage, hooks, requestId);
  return new ReadableStream<Uint8Array>({ pull: (c) => run.pull(c), cancel: (r) => run.cancel(r) }, { highWaterMark: 0 });
}
