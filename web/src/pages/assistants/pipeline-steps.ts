/**
 * The steps an assistant's pipeline is built from, in their natural order, with what each
 * does. The API lists the same names (and refuses any other).
 */
export type StepInfo = { name: string; label: string; does: string };

export const PIPELINE_STEPS: StepInfo[] = [
  { name: "load_context", label: "Load context", does: "Thread history, the dealership and its knowledge bases" },
  { name: "guard", label: "Guard", does: "The prompt guard blocks or redacts personal data" },
  { name: "retrieval", label: "Retrieval", does: "Searches the knowledge bases for passages to cite" },
  { name: "model_call", label: "Model call", does: "The model writes the answer, streamed" },
  { name: "sentiment", label: "Sentiment", does: "How the visitor feels" },
  { name: "intent", label: "Intent", does: "What the visitor wants (buy, service, trade-in…)" },
  { name: "quality_score", label: "Quality score", does: "How good the answer is" },
  { name: "lead_score", label: "Lead score", does: "At the threshold the conversation becomes a lead" },
  { name: "persistence", label: "Save", does: "Stores the turn with its cost and signals" },
];

export const DEFAULT_PIPELINE = PIPELINE_STEPS.map((s) => s.name);

export function stepInfo(name: string): StepInfo {
  return PIPELINE_STEPS.find((s) => s.name === name) ?? { name, label: name, does: "" };
}
