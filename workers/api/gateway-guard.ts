/**
 * /gateway/guard: the tenant's prompt-guard policy (what the gateway looks for in message
 * text, and whether it logs, redacts or blocks), and a dry run over a piece of text.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformAuth, requirePermission } from "../auth/middleware";
import { inspectText, loadGuardPolicy, saveGuardPolicy } from "../gateway/guard";
import { DEFAULT_GUARD_POLICY, GUARD_MODES } from "../gateway/guard/policy";
import { audit, scopeOf } from "./context";
import { createApiApp } from "./factory";
import { settingsTags } from "./gateway-settings";
import { authErrors, bearerSecurity, jsonBody, jsonResponse, mediaTypeError } from "./schemas";

const on = z.boolean().default(true);

const Policy = z
  .object({
    mode: z.enum(GUARD_MODES).openapi({
      description: "off: no checks. log: allow and record findings. redact: replace personal data in message text (requests with an injection are blocked). block: refuse any request with a finding.",
    }),
    injection: on.openapi({ description: "Look for prompt-injection phrases in user and tool text" }),
    pii: z
      .object({ email: on, phone: on, card: on, ssn: on })
      .strict()
      .default(DEFAULT_GUARD_POLICY.pii)
      .openapi({ description: "Which kinds of personal data to look for" }),
  })
  .strict()
  .openapi("GuardPolicy", { example: DEFAULT_GUARD_POLICY });

const Finding = z
  .object({
    kind: z.enum(["injection", "email", "phone", "card", "ssn"]),
    path: z.string().openapi({ description: "Where in the request: e.g. messages.1.content (here always 'text')" }),
    sample: z.string().openapi({ description: "The match, masked", example: "***-***-4567" }),
  })
  .openapi("GuardFinding");

const TestBody = z
  .object({
    text: z.string().max(100_000).openapi({ example: "Call me at (312) 555-0142 about the Tahoe" }),
    policy: Policy.optional().openapi({ description: "Try a policy before saving it; the saved one is used when absent" }),
  })
  .strict();

const TestResult = z
  .object({
    action: z.enum(["allow", "block", "redact"]),
    findings: z.array(Finding),
    redacted: z.string().openapi({ description: "The text with personal data replaced, as redact mode would send it" }),
    policy: Policy,
  })
  .openapi("GuardTestResult");

export const gatewayGuardApi = createApiApp();
gatewayGuardApi.use("*", platformAuth);

const tags = settingsTags;
const read = requirePermission("gateway:read");
const write = requirePermission("gateway:write");

gatewayGuardApi.openapi(
  createRoute({ method: "get", path: "/", tags, security: bearerSecurity, middleware: [read],
    responses: { 200: jsonResponse(Policy, "The tenant's guard policy (the default until one is saved)"), ...authErrors } }),
  async (c) => {
    const { db, tenantId } = scopeOf(c);
    return c.json(await loadGuardPolicy(db, tenantId), 200);
  },
);

gatewayGuardApi.openapi(
  createRoute({ method: "put", path: "/", tags, security: bearerSecurity, middleware: [write], request: { body: jsonBody(Policy) },
    responses: { 200: jsonResponse(Policy, "The policy as saved; the gateway applies it from the next call"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const { before, after } = await saveGuardPolicy(scopeOf(c), c.req.valid("json"));
    await audit(c, { action: "gateway_guard.updated", resourceType: "gateway_guard", resourceId: null, before, after });
    return c.json(after, 200);
  },
);

gatewayGuardApi.openapi(
  createRoute({ method: "post", path: "/test", tags, security: bearerSecurity, middleware: [read], request: { body: jsonBody(TestBody) },
    responses: { 200: jsonResponse(TestResult, "What the guard finds in the text and what it would do"), ...authErrors, ...mediaTypeError } }),
  async (c) => {
    const body = c.req.valid("json");
    const { db, tenantId } = scopeOf(c);
    const policy = body.policy ?? (await loadGuardPolicy(db, tenantId));
    return c.json({ ...inspectText(body.text, policy), policy }, 200);
  },
);
