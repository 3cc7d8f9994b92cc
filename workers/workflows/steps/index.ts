/**
 * The step registry: one handler per step type. The engine never branches on a step's
 * type; it asks here.
 */
import type { Step } from "../definition/schema";
import { adfParseStep } from "./adf-parse";
import { aiStep } from "./ai";
import { approvalStep, branchStep, parallelStep, sleepStep, subworkflowStep, waitForEventStep } from "./control";
import { emitStep } from "./emit";
import { httpStep } from "./http";
import { intentStep } from "./intent";
import { leadScoreStep } from "./lead-score";
import { qualityScoreStep } from "./quality-score";
import { sentimentStep } from "./sentiment";
import { serviceDueStep } from "./service-due";
import { transformStep } from "./transform";
import type { StepHandler, StepHandlers } from "./types";

const HANDLERS: StepHandlers = {
  ai: aiStep,
  http: httpStep,
  transform: transformStep,
  sleep: sleepStep,
  wait_for_event: waitForEventStep,
  approval: approvalStep,
  emit: emitStep,
  subworkflow: subworkflowStep,
  adf_parse: adfParseStep,
  sentiment: sentimentStep,
  intent: intentStep,
  lead_score: leadScoreStep,
  quality_score: qualityScoreStep,
  service_due: serviceDueStep,
  branch: branchStep,
  parallel: parallelStep,
};

/** The handler of a step, typed for that step. */
export function handlerFor<S extends Step>(step: S): StepHandler<S> {
  // The registry is keyed by type, so the entry for step.type handles exactly S.
  return HANDLERS[step.type] as unknown as StepHandler<S>;
}
