// Builds web/dist, the Worker's static assets: web/public as it is, plus the API
// reference's Swagger UI files so /api/docs works offline.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

rmSync("web/dist", { recursive: true, force: true });
mkdirSync("web/dist", { recursive: true });
cpSync("web/public", "web/dist", { recursive: true });

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
mkdirSync("web/dist/api-docs", { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  cpSync(path.join(swaggerDir, file), path.join("web/dist/api-docs", file));
}
