import { describe, expect, it } from "vitest";
import guide from "../../../docs/workflows.md?raw";
import { call } from "../../api/helpers";
import { harness } from "../helpers";

/** The YAML blocks of the guide that are whole definitions (they start with `name:`). */
function definitionsIn(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").filter((y) => y.startsWith("name:"));
}

describe("docs/workflows.md", () => {
  it("its complete example is a valid definition", async () => {
    const h = await harness();
    const blocks = definitionsIn(guide);
    expect(blocks.length).toBeGreaterThan(0);
    for (const yaml of blocks) {
      const reply = await call("POST", "/workflows/validate", { token: h.token, body: { yaml } });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
  });
});
