/**
 * guard: the gateway's prompt guard on what the visitor wrote. An injection attempt gets a
 * polite refusal and never reaches the model, whatever mode the tenant's policy is in: an
 * assistant talks to the public. Contact details are what a visitor is meant to give, so
 * personal data is redacted from the model's copy only when the policy says "redact".
 */
import { inspectText, loadGuardPolicy } from "../../../gateway/guard";
import type { PipelineStep } from "../types";

export const GUARD_REFUSAL = "I'm sorry, I can't help with that request. I'm happy to answer questions about our vehicles, service and dealership.";

export const guard: PipelineStep = async (ctx) => {
  const policy = await loadGuardPolicy(ctx.deps.db, ctx.tenant.id, ctx.deps.now());
  if (policy.mode === "off") return;
  const result = inspectText(ctx.input, { ...policy, mode: policy.mode === "log" ? "redact" : policy.mode });
  const kinds = [...new Set(result.findings.map((f) => f.kind))];
  if (kinds.includes("injection")) {
    ctx.signals.guard = { blocked: true, kinds };
    ctx.output = GUARD_REFUSAL;
    ctx.answered = true;
    ctx.emit({ event: "delta", data: { text: GUARD_REFUSAL } });
    return;
  }
  if (policy.mode === "redact" && result.action === "redact") {
    const last = ctx.messages[ctx.messages.length - 1];
    if (last && last.role === "user") last.content = result.redacted;
  }
};
