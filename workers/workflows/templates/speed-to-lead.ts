/**
 * Speed to lead: a new lead (ADF or any lead.created) gets a personal AI-drafted reply in
 * seconds, scored and checked; the run completes with the draft. It hands the lead to
 * lead-follow-up (its own run, not waited for), which sends the reply as `lead.replied`
 * (never during quiet hours: a lead at night is answered at 08:00) and escalates at 5, 15
 * and 60 minutes while no one has contacted the customer.
 */
const escalate = (level: number, minutes: number) => ({
  id: `escalate_${level}`,
  type: "emit",
  event: "lead.escalated",
  data: { leadId: "{{ input.leadId }}", level, minutesWaiting: minutes, rooftopId: "{{ input.rooftopId }}", runId: "{{ run.id }}" },
});
const waitContact = (id: string, timeout: string) => ({ id, type: "wait_for_event", event: "lead.contacted", match: { leadId: "{{ input.leadId }}" }, timeout });
const ifNotContacted = (id: string, waited: string, steps: unknown[]) => ({ id, type: "branch", cases: [{ when: { path: `steps.${waited}.timedOut`, op: "truthy" }, steps }] });

export const speedToLead = {
  name: "Speed to lead",
  description: "Answer every new lead within minutes with a personal reply, and escalate until someone reaches the customer.",
  input: {
    type: "object",
    required: ["leadId"],
    properties: {
      leadId: { type: "string" },
      rooftopId: { type: ["string", "null"] },
      adf: { type: "string" },
      comments: { type: "string" },
      customer: { type: "object" },
      vehicle: { type: "object" },
    },
  },
  triggers: [{ type: "event", event: "lead.created" }, { type: "api" }],
  concurrency: { key: "lead:{{ input.leadId }}", limit: 1 },
  steps: [
    {
      id: "lead",
      type: "branch",
      cases: [
        {
          when: { path: "input.adf", op: "truthy" },
          steps: [
            { id: "parse_adf", type: "adf_parse", xml: "{{ input.adf }}" },
            { id: "from_adf", type: "transform", output: "{{ steps.parse_adf.lead }}" },
          ],
        },
      ],
      else: [{ id: "from_event", type: "transform", output: { customer: "{{ input.customer }}", vehicles: ["{{ input.vehicle }}"], comments: "{{ input.comments | default: '' }}" } }],
    },
    {
      id: "signals",
      type: "parallel",
      branches: {
        sentiment: [{ id: "sentiment", type: "sentiment", text: "{{ steps.lead.output.comments | default: '' }}" }],
        intent: [{ id: "intent", type: "intent", text: "{{ steps.lead.output.comments | default: '' }}" }],
      },
    },
    { id: "score", type: "lead_score", lead: "{{ steps.lead.output }}", sentiment: "{{ steps.sentiment }}", intent: "{{ steps.intent }}" },
    {
      id: "draft",
      type: "ai",
      model: "gpt-4o-mini",
      retry: { limit: 3, delay: "2s", backoff: "exponential" },
      system:
        "You write first replies to car-buying leads for {{ tenant.name }}. Be warm, brief (under 120 words) and specific. Greet the customer by first name, mention the exact vehicle, answer what they asked, and end with one clear next step (a time to visit or call). Never promise a price, a discount or financing approval. Sign as the {{ tenant.name }} team.",
      prompt:
        "Customer: {{ steps.lead.output.customer.name | default: 'there' }}\nVehicle: {{ steps.lead.output.vehicles[0].year }} {{ steps.lead.output.vehicles[0].make }} {{ steps.lead.output.vehicles[0].model }} {{ steps.lead.output.vehicles[0].trim }}\nThey wrote: {{ steps.lead.output.comments | default: '(no message)' }}\nIntent: {{ steps.intent.intent }}; lead grade: {{ steps.score.grade }}.\nWrite the reply.",
    },
    { id: "quality", type: "quality_score", text: "{{ steps.draft.text }}", lead: "{{ steps.lead.output }}" },
    {
      id: "follow_up",
      type: "subworkflow",
      workflow: "lead-follow-up",
      wait: false,
      input: { leadId: "{{ input.leadId }}", rooftopId: "{{ input.rooftopId | default: null }}", reply: "{{ steps.draft.text }}", quality: "{{ steps.quality.score }}", grade: "{{ steps.score.grade }}", draftedBy: "{{ run.id }}" },
    },
  ],
  output: { leadId: "{{ input.leadId }}", reply: "{{ steps.draft.text }}", score: "{{ steps.score.score }}", grade: "{{ steps.score.grade }}", intent: "{{ steps.intent.intent }}", quality: "{{ steps.quality.score }}" },
};

export const leadFollowUp = {
  name: "Lead follow-up",
  description: "Send the drafted reply outside quiet hours, then escalate to managers at 5, 15 and 60 minutes until someone has contacted the customer (lead.contacted).",
  input: {
    type: "object",
    required: ["leadId", "reply"],
    properties: {
      leadId: { type: "string" },
      rooftopId: { type: ["string", "null"] },
      reply: { type: "string", minLength: 1 },
      quality: { type: ["number", "null"] },
      grade: { type: ["string", "null"] },
      draftedBy: { type: ["string", "null"], description: "The run that drafted the reply" },
    },
  },
  triggers: [{ type: "api" }],
  concurrency: { key: "lead:{{ input.leadId }}", limit: 1 },
  steps: [
    {
      id: "reply",
      type: "emit",
      event: "lead.replied",
      quietHours: { start: "21:00", end: "08:00" },
      data: { leadId: "{{ input.leadId }}", channel: "email", messageId: "{{ run.id }}", reply: "{{ input.reply }}", by: "ai", runId: "{{ input.draftedBy }}", quality: "{{ input.quality }}", grade: "{{ input.grade }}" },
    },
    waitContact("contacted_5m", "5m"),
    ifNotContacted("check_5m", "contacted_5m", [
      escalate(1, 5),
      waitContact("contacted_15m", "10m"),
      ifNotContacted("check_15m", "contacted_15m", [escalate(2, 15), waitContact("contacted_60m", "45m"), ifNotContacted("check_60m", "contacted_60m", [escalate(3, 60)])]),
    ]),
  ],
};
