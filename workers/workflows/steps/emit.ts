/**
 * The `emit` step: publishes a catalog event for the run's tenant, which partners receive as
 * a webhook. The event id is derived from the step's key, so a step that runs twice (a
 * consumer that died after publishing) publishes the same event, and webhook fan-out, which
 * is idempotent per (event, endpoint), delivers it once.
 */
import { z } from "zod";
import { zodDetails } from "../../errors";
import { eventDataSchema } from "../../events/catalog";
import { deterministicEventId, publishEvent } from "../../events/publish";
import type { Step } from "../definition/schema";
import { permanentFailure } from "./errors";
import type { StepHandler } from "./types";

type EmitStep = Extract<Step, { type: "emit" }>;

/** What `steps.<id>` holds after an emit step. */
export type EmitOutput = { eventId: string; type: string };

const DataObject = z.record(z.string(), z.unknown());

/** Runs an `emit` step: renders the data, checks it against the catalog, publishes it. */
export const emitStep: StepHandler<EmitStep> = {
  inline: false,
  async run(ctx, step) {
    const rendered = DataObject.safeParse(ctx.render(step.data));
    if (!rendered.success) throw permanentFailure("invalid_event_data", `The data of "${step.event}" must render to an object`);
    const checked = eventDataSchema(step.event).safeParse(rendered.data);
    if (!checked.success) {
      const problems = zodDetails(checked.error).map((d) => `${d.path}: ${d.message}`);
      throw permanentFailure("invalid_event_data", `Invalid data for event "${step.event}": ${problems.join("; ")}`);
    }
    const eventId = await deterministicEventId(`emit:${ctx.key}`);
    await publishEvent(ctx.deps.env, { id: eventId, tenantId: ctx.tenantId, type: step.event, data: rendered.data });
    const output: EmitOutput = { eventId, type: step.event };
    return { kind: "done", output };
  },
};
