import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document", async () => {
    const res = await exports.default.fetch("http://auterity.test/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { title: string } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Auterity platform API");
  });
});
