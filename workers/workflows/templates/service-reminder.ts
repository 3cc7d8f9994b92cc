/**
 * Service reminder: after a service visit, sleep until the next service is close (by time
 * or by projected mileage, whichever comes first), then send a drafted reminder outside
 * quiet hours.
 */
export const serviceReminder = {
  name: "Service reminder",
  description: "Remind customers of their next service, timed by months and projected mileage.",
  input: {
    type: "object",
    required: ["customer", "vehicle", "lastServiceAt", "lastServiceMileage"],
    properties: {
      customer: { type: "object", properties: { name: { type: "string" }, email: { type: "string" }, phone: { type: "string" } } },
      vehicle: { type: "object", properties: { vin: { type: "string" }, year: { type: "integer" }, make: { type: "string" }, model: { type: "string" } } },
      lastServiceAt: { type: "string", format: "date" },
      lastServiceMileage: { type: "number", minimum: 0 },
      currentMileage: { type: "number", minimum: 0 },
      mileageAt: { type: "string", format: "date" },
    },
  },
  triggers: [{ type: "api" }],
  concurrency: { key: "vehicle:{{ input.customer.email }}:{{ input.vehicle.vin }}", limit: 1 },
  steps: [
    {
      id: "due",
      type: "service_due",
      vehicle: { lastServiceAt: "{{ input.lastServiceAt }}", lastServiceMileage: "{{ input.lastServiceMileage }}", currentMileage: "{{ input.currentMileage }}", mileageAt: "{{ input.mileageAt }}" },
      intervalMonths: 6,
      intervalMiles: 5000,
      remindDaysBefore: 7,
    },
    { id: "wait_until_due", type: "sleep", until: "{{ steps.due.remindAt }}" },
    {
      id: "draft",
      type: "ai",
      model: "gpt-4o-mini",
      system: "You write short, friendly service reminders for {{ tenant.name }}'s service department. Under 80 words, first name, the vehicle, the reason, one clear way to book.",
      prompt:
        "Customer: {{ input.customer.name }}\nVehicle: {{ input.vehicle.year }} {{ input.vehicle.make }} {{ input.vehicle.model }}\nService due: {{ steps.due.dueAt }} (by {{ steps.due.reason }}; about {{ steps.due.projectedMileage }} miles)\nWrite the reminder.",
    },
    {
      id: "remind",
      type: "emit",
      event: "service.reminder.due",
      quietHours: { start: "21:00", end: "08:00" },
      data: { customer: "{{ input.customer }}", vehicle: "{{ input.vehicle }}", dueAt: "{{ steps.due.dueAt }}", reason: "{{ steps.due.reason }}", message: "{{ steps.draft.text }}", runId: "{{ run.id }}" },
    },
  ],
  output: { dueAt: "{{ steps.due.dueAt }}", reason: "{{ steps.due.reason }}", message: "{{ steps.draft.text }}" },
};
