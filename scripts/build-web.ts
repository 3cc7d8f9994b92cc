/**
 * Builds web/dist, the Worker's static assets: the dashboard (Vite, from web/), its API types
 * regenerated from the OpenAPI document first, and Swagger UI's files so /api/docs works offline.
 */
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "vite";

// Always a production build, even when started from a test run (NODE_ENV=test would give React's development build).
process.env.NODE_ENV = "production";
await import("./web-api-types.ts");
await build({ configFile: "web/vite.config.ts", mode: "production", logLevel: "warn" });

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
mkdirSync("web/dist/api-docs", { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  cpSync(path.join(swaggerDir, file), path.join("web/dist/api-docs", file));
}
