/**
 * Review response: an AI-drafted reply to a customer review, held until a person approves
 * (and perhaps edits) it; only an approved reply is published.
 */
export const reviewResponse = {
  name: "Review response",
  description: "Draft a reply to a customer review and publish it once a manager approves.",
  input: {
    type: "object",
    required: ["reviewId", "rating", "text"],
    properties: {
      reviewId: { type: "string" },
      platform: { type: "string" },
      rating: { type: "integer", minimum: 1, maximum: 5 },
      author: { type: "string" },
      text: { type: "string", maxLength: 10000 },
    },
  },
  triggers: [{ type: "api" }],
  concurrency: { key: "review:{{ input.reviewId }}", limit: 1 },
  steps: [
    { id: "sentiment", type: "sentiment", text: "{{ input.text }}" },
    {
      id: "draft",
      type: "ai",
      model: "gpt-4o-mini",
      system:
        "You reply to customer reviews for {{ tenant.name }}. Thank the reviewer by first name, respond to the specifics, stay calm and never argue, never share private details, and for complaints invite them to contact the manager directly. Under 90 words.",
      prompt: "Review ({{ input.rating }} stars on {{ input.platform | default: 'Google' }}) by {{ input.author | default: 'a customer' }}:\n{{ input.text }}\nSentiment: {{ steps.sentiment.label }}. Write the reply.",
    },
    { id: "quality", type: "quality_score", text: "{{ steps.draft.text }}" },
    {
      id: "approve",
      type: "approval",
      title: "Reply to {{ input.author | default: 'a customer' }}'s {{ input.rating }}-star review",
      summary: "{{ input.text | truncate: 240 }}",
      data: { response: "{{ steps.draft.text }}", quality: "{{ steps.quality.score }}" },
      timeout: "7d",
    },
    {
      id: "decision",
      type: "branch",
      cases: [
        {
          when: { path: "steps.approve.approved", op: "truthy" },
          steps: [
            {
              id: "publish",
              type: "emit",
              event: "review.response.approved",
              data: { reviewId: "{{ input.reviewId }}", platform: "{{ input.platform | default: 'google' }}", response: "{{ steps.approve.data.response }}", approvedBy: "{{ steps.approve.by }}", runId: "{{ run.id }}" },
            },
          ],
        },
      ],
    },
  ],
  output: { approved: "{{ steps.approve.approved }}", response: "{{ steps.approve.data.response }}" },
};
