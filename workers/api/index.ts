/**
 * The platform API, mounted at /api/v1. Each resource is its own sub-app in this folder.
 */
import { auditApi } from "./audit";
import { authApi } from "./auth";
import { createApiApp } from "./factory";
import { jsonGuard } from "./json-guard";
import { keysApi } from "./keys";
import { rolesApi } from "./roles";
import { rooftopsApi } from "./rooftops";
import { tenantApi } from "./tenant";
import { usersApi } from "./users";
import { sso } from "./sso";
import { usageApi } from "./usage";
import { gatewayAliasesApi } from "./gateway-aliases";
import { gatewayPricesApi } from "./gateway-prices";
import { gatewayProvidersApi } from "./gateway-providers";
import { budgetsApi } from "./budgets";
import { gatewayHealthApi } from "./gateway-health";
import { gatewayGuardApi } from "./gateway-guard";
import { webhooksApi } from "./webhooks";
import { eventsApi } from "./events";
import { gatewayRoutingApi } from "./gateway-routing";
import { workflowsApi } from "./workflows";
import { approvalsApi, runsApi } from "./workflow-runs";
import { leadsApi } from "./leads";
import { liveApi } from "./live";
import { datasetsApi } from "./datasets";
import { trainingJobsApi } from "./training-jobs";
import { modelsApi } from "./models";
import { promptTemplatesApi } from "./prompt-templates";
import { assistantsApi } from "./assistants";
import { knowledgeApi } from "./knowledge";
import { widgetsApi } from "./widgets";
import { operationsApi } from "./operations";

export const api = createApiApp();
api.use("*", jsonGuard);
api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  description: "A user's access token (from /auth/login) or an API key with the admin or workflows scope",
});

api.route("/", authApi);
api.route("/tenant", tenantApi);
api.route("/rooftops", rooftopsApi);
api.route("/users", usersApi);
api.route("/roles", rolesApi);
api.route("/keys", keysApi);
api.route("/audit", auditApi);

api.route("/", sso);
api.route("/usage", usageApi);
api.route("/gateway/aliases", gatewayAliasesApi);
api.route("/gateway/providers", gatewayProvidersApi);
api.route("/gateway/prices", gatewayPricesApi);
api.route("/", budgetsApi);
api.route("/gateway/health", gatewayHealthApi);
api.route("/gateway/guard", gatewayGuardApi);
api.route("/webhooks", webhooksApi);
api.route("/events", eventsApi);
api.route("/gateway/routing", gatewayRoutingApi);
api.route("/workflows", workflowsApi);
api.route("/runs", runsApi);
api.route("/approvals", approvalsApi);
api.route("/leads", leadsApi);
api.route("/live", liveApi);
api.route("/datasets", datasetsApi);
api.route("/training-jobs", trainingJobsApi);
api.route("/models", modelsApi);
api.route("/prompt-templates", promptTemplatesApi);
api.route("/knowledge-bases", knowledgeApi);
api.route("/widgets", widgetsApi);
api.route("/assistants", assistantsApi);
api.route("/operations", operationsApi);

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Auterity platform API", version: "1.0.0", description: "Tenants, users, keys, audit, usage and gateway settings." },
  servers: [{ url: "/api/v1" }],
});
