/** `service_due`: when a vehicle's next service falls due and when to remind, from workers/dealership/service-due. */
import { z } from "zod";
import { serviceDue, ServicePlanSchema, ServiceVehicleSchema } from "../../dealership/service-due";
import type { Step } from "../definition/schema";
import { renderStepInput } from "./transform";
import type { StepHandler } from "./types";

const Input = z.object({
  vehicle: ServiceVehicleSchema,
  // The definition schema sets these defaults too; repeated so a stored step without them still runs.
  plan: ServicePlanSchema.extend({
    intervalMonths: ServicePlanSchema.shape.intervalMonths.default(6),
    intervalMiles: ServicePlanSchema.shape.intervalMiles.default(5_000),
    remindDaysBefore: ServicePlanSchema.shape.remindDaysBefore.default(7),
  }),
});

export const serviceDueStep: StepHandler<Extract<Step, { type: "service_due" }>> = {
  inline: true,
  async run(ctx, step) {
    const { intervalMonths, intervalMiles, remindDaysBefore } = step;
    const { vehicle, plan } = renderStepInput(ctx, Input, { vehicle: step.vehicle, plan: { intervalMonths, intervalMiles, remindDaysBefore } });
    return { kind: "done", output: serviceDue(vehicle, plan, ctx.deps.now()) };
  },
};
