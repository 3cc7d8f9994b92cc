/**
 * The platform API, mounted at /api/v1. Each resource is its own sub-app in this folder.
 */
import { createApiApp } from "./factory";

export const api = createApiApp();

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "Auterity platform API", version: "1.0.0", description: "Tenants, users, keys, audit, usage and gateway settings." },
  servers: [{ url: "/api/v1" }],
});
