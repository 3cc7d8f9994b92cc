/**
 * Every page of the dashboard: its path, its place in the navigation, and its module
 * (loaded on first visit). Adding a page is one line here.
 */
import { type ComponentType, lazy, type LazyExoticComponent } from "react";

export type PageProps = { params: Record<string, string> };
export type Route = {
  path: string;
  title: string;
  /** Navigation group; pages without one (detail pages) are reached by links. */
  nav?: "Overview" | "Gateway" | "Automation" | "AI" | "Settings";
  /** Hidden from the navigation without this permission (the API refuses anyway). */
  permission?: string;
  page: LazyExoticComponent<ComponentType<PageProps>>;
};

export const ROUTES: Route[] = [
  { path: "/", title: "Overview", nav: "Overview", page: lazy(() => import("../pages/overview/OverviewPage")) },
  { path: "/usage", title: "Usage & cost", nav: "Overview", permission: "usage:read", page: lazy(() => import("../pages/usage/UsagePage")) },
  { path: "/operations", title: "Operations", nav: "Overview", permission: "usage:read", page: lazy(() => import("../pages/operations/OperationsPage")) },

  { path: "/gateway/routing", title: "Routing rules", nav: "Gateway", permission: "gateway:read", page: lazy(() => import("../pages/gateway/RoutingPage")) },
  { path: "/gateway/providers", title: "Providers", nav: "Gateway", permission: "gateway:read", page: lazy(() => import("../pages/gateway/ProvidersPage")) },
  { path: "/gateway/calls", title: "Recent calls", nav: "Gateway", permission: "usage:read", page: lazy(() => import("../pages/gateway/CallsPage")) },

  { path: "/workflows", title: "Workflows", nav: "Automation", permission: "workflows:read", page: lazy(() => import("../pages/workflows/WorkflowsPage")) },
  { path: "/workflows/:id", title: "Workflow", permission: "workflows:read", page: lazy(() => import("../pages/workflows/WorkflowPage")) },
  { path: "/runs/:id", title: "Run", permission: "workflows:read", page: lazy(() => import("../pages/workflows/RunPage")) },
  { path: "/approvals", title: "Approvals", nav: "Automation", permission: "workflows:read", page: lazy(() => import("../pages/workflows/ApprovalsPage")) },
  { path: "/leads", title: "Leads", nav: "Automation", permission: "workflows:read", page: lazy(() => import("../pages/workflows/LeadsPage")) },
  { path: "/webhooks", title: "Webhooks", nav: "Automation", permission: "webhooks:read", page: lazy(() => import("../pages/webhooks/WebhooksPage")) },

  { path: "/models", title: "Models", nav: "AI", permission: "models:read", page: lazy(() => import("../pages/models/ModelsPage")) },
  { path: "/models/:id", title: "Model", permission: "models:read", page: lazy(() => import("../pages/models/ModelPage")) },
  { path: "/training", title: "Training jobs", nav: "AI", permission: "models:read", page: lazy(() => import("../pages/models/TrainingJobsPage")) },
  { path: "/assistants", title: "Assistants", nav: "AI", permission: "workflows:read", page: lazy(() => import("../pages/assistants/AssistantsPage")) },
  { path: "/assistants/:id", title: "Assistant", permission: "workflows:read", page: lazy(() => import("../pages/assistants/AssistantPage")) },
  { path: "/knowledge", title: "Knowledge bases", nav: "AI", permission: "workflows:read", page: lazy(() => import("../pages/assistants/KnowledgePage")) },
  { path: "/widgets", title: "Chat widget", nav: "AI", permission: "tenant:read", page: lazy(() => import("../pages/assistants/WidgetsPage")) },

  { path: "/settings/tenant", title: "Dealership", nav: "Settings", permission: "tenant:read", page: lazy(() => import("../pages/settings/TenantPage")) },
  { path: "/settings/users", title: "Users & roles", nav: "Settings", permission: "users:read", page: lazy(() => import("../pages/settings/UsersPage")) },
  { path: "/settings/keys", title: "API keys", nav: "Settings", permission: "keys:read", page: lazy(() => import("../pages/settings/KeysPage")) },
  { path: "/settings/audit", title: "Audit log", nav: "Settings", permission: "audit:read", page: lazy(() => import("../pages/settings/AuditPage")) },
];
