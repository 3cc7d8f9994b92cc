/**
 * The pipeline engine: runs an assistant's steps in order over one context, then tells the
 * client the turn is done. It knows no step by name; the registry does.
 */
import { stepNamed } from "./registry";
import type { PipelineContext } from "./types";

/** Runs `steps` in order; a step that throws stops the turn (the caller reports the error). */
export async function runPipeline(ctx: PipelineContext, steps: readonly string[]): Promise<void> {
  for (const name of steps) await stepNamed(name)(ctx);
  if (ctx.citations.length > 0) ctx.emit({ event: "citations", data: ctx.citations });
  ctx.emit({ event: "done", data: { messageId: ctx.messageId, usage: ctx.usage, costNanoUsd: ctx.costNanoUsd, signals: ctx.signals } });
}
