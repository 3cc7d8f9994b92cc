import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api } from "../../workers/api";

const Operation = z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional(), responses: z.record(z.string(), z.unknown()) });
const Doc = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ securitySchemes: z.record(z.string(), z.object({ type: z.string(), scheme: z.string().optional() })) }),
});

async function openapiDoc() {
  const res = await exports.default.fetch("http://auterity.test/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return Doc.parse(await res.json());
}

const PLATFORM_ROUTES = [
  "post /signup",
  "post /auth/login",
  "post /auth/refresh",
  "post /auth/logout",
  "get /me",
  "get /tenant",
  "patch /tenant",
  "get /rooftops",
  "post /rooftops",
  "get /rooftops/{id}",
  "patch /rooftops/{id}",
  "delete /rooftops/{id}",
  "get /users",
  "post /users",
  "get /users/{id}",
  "patch /users/{id}",
  "delete /users/{id}",
  "get /keys",
  "post /keys",
  "get /keys/{id}",
  "delete /keys/{id}",
  "get /audit",
];

function operations(doc: z.infer<typeof Doc>): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
}

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document with a bearer security scheme", async () => {
    const doc = await openapiDoc();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Auterity platform API");
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
  });

  it("lists every platform route, and the authenticated ones require the bearer scheme", async () => {
    const doc = await openapiDoc();
    expect(operations(doc)).toEqual(expect.arrayContaining(PLATFORM_ROUTES));
    const open = new Set(["post /signup", "post /auth/login", "post /auth/refresh", "post /auth/logout"]);
    for (const op of PLATFORM_ROUTES.filter((o) => !open.has(o))) {
      const [method = "", path = ""] = op.split(" ");
      const operation = Operation.parse(doc.paths[path]?.[method]);
      expect(operation.security, op).toEqual([{ bearer: [] }]);
    }
  });

  it("documents every route the API serves (nothing is mounted outside the document)", async () => {
    const documented = new Set(operations(await openapiDoc()));
    const served = api.routes
      .filter((r) => r.method !== "ALL" && r.path !== "/openapi.json")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThanOrEqual(PLATFORM_ROUTES.length);
    expect(served.filter((op) => !documented.has(op))).toEqual([]);
  });
});

describe("GET /api/docs", () => {
  it("serves an HTML page that loads Swagger UI from our own assets and points at the document", async () => {
    const res = await exports.default.fetch("http://auterity.test/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('src="/api-docs/swagger-ui-bundle.js"');
    expect(html).toContain('href="/api-docs/swagger-ui.css"');
    expect(html).toContain("/api/v1/openapi.json");
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("has its Swagger UI files in the static assets (built by scripts/build-web.ts)", async () => {
    for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
      const res = await env.ASSETS.fetch(`http://auterity.test/api-docs/${file}`);
      expect(res.status, file).toBe(200);
      expect((await res.text()).length, file).toBeGreaterThan(1000);
    }
  });
});
