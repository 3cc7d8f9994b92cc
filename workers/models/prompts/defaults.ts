/**
 * Prompt templates every tenant has without writing one. A tenant that saves its own
 * version of a key overrides the default; the default stays reachable as `<key>@default`.
 */
import type { TemplateVariable } from "../../../d1/schema";

export type DefaultTemplate = { key: string; description: string; variables: Record<string, TemplateVariable>; system: string; template: string };

const DEALER_VOICE =
  "You write for a car dealership. Be warm, brief and specific. Never invent prices, availability, financing terms or approvals, and never use placeholders such as [Name].";

export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    key: "lead-reply",
    description: "First reply to a new sales lead: greet, answer, propose a next step.",
    variables: {
      customer_name: { type: "string", required: true },
      vehicle: { type: "string", required: true, description: "Year, make and model the customer asked about" },
      question: { type: "string", required: false, description: "What the customer wrote" },
      dealership: { type: "string", required: true },
      channel: { type: "string", required: false, enum: ["email", "sms"] },
    },
    system: DEALER_VOICE,
    template:
      "Write a reply to {{ customer_name }}, who asked {{ dealership }} about the {{ vehicle }}. Their message: \"{{ question }}\". " +
      "Reply by {{ channel | default: \"email\" }}. Greet them by first name, answer what you can, and invite them to a test drive or a call.",
  },
  {
    key: "service-reminder",
    description: "Reminder that a vehicle is due for service, by time or mileage.",
    variables: {
      customer_name: { type: "string", required: true },
      vehicle: { type: "string", required: true },
      due_date: { type: "string", required: true, description: "ISO 8601 date" },
      reason: { type: "string", required: true, enum: ["time", "mileage"] },
      dealership: { type: "string", required: true },
    },
    system: DEALER_VOICE,
    template:
      "Write a short service reminder to {{ customer_name }} from {{ dealership }}: their {{ vehicle }} is due for service on {{ due_date }} " +
      "(by {{ reason }}). Ask them to reply or call to book a time.",
  },
  {
    key: "review-response",
    description: "Public response to a customer review, matched to its rating.",
    variables: {
      reviewer_name: { type: "string", required: true },
      rating: { type: "number", required: true, description: "1 to 5 stars" },
      review: { type: "string", required: true },
      dealership: { type: "string", required: true },
    },
    system: `${DEALER_VOICE} Reviews are public: never mention the customer's personal details or deal terms.`,
    template:
      "Write {{ dealership }}'s public response to a {{ rating }}-star review by {{ reviewer_name }}: \"{{ review }}\". " +
      "Thank them; if the rating is 3 or below, apologise and invite them to contact the general manager.",
  },
  {
    key: "trade-in-appraisal-note",
    description: "Internal note summarising a trade-in for the used-car manager.",
    variables: {
      vehicle: { type: "string", required: true },
      mileage: { type: "number", required: true },
      condition: { type: "string", required: true, enum: ["excellent", "good", "fair", "poor"] },
      notes: { type: "string", required: false },
    },
    system: "You write concise internal notes for a dealership's used-car manager. Facts only, no customer-facing tone.",
    template:
      "Summarise this trade-in for appraisal: {{ vehicle }}, {{ mileage }} miles, condition {{ condition }}. Appraiser notes: {{ notes }}. " +
      "List what to inspect and what could lower the offer.",
  },
  {
    key: "fi-follow-up",
    description: "Finance & insurance follow-up after a purchase: documents or products still open.",
    variables: {
      customer_name: { type: "string", required: true },
      vehicle: { type: "string", required: true },
      topic: { type: "string", required: true, description: "What is still open, e.g. proof of insurance" },
      dealership: { type: "string", required: true },
    },
    system: `${DEALER_VOICE} Do not quote rates or payments.`,
    template:
      "Write a friendly follow-up from {{ dealership }}'s finance office to {{ customer_name }} about their {{ vehicle }}: {{ topic }}. " +
      "Ask them to reply or call with any questions.",
  },
];

const byKey = new Map(DEFAULT_TEMPLATES.map((t) => [t.key, t]));

export function defaultTemplate(key: string): DefaultTemplate | null {
  return byKey.get(key) ?? null;
}
