import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { testBindings } from "./test/bindings.ts";

/**
 * The browser tests share one `npm start` stack, one file after another. The files that check
 * a new dealership's empty states (no runs, no models, nothing to approve) go first; the tour
 * of every page, which wants data to open detail pages with, goes last.
 */
const E2E_ORDER = ["workflows", "ai", "settings", "webhooks", "gateway", "operations", "pages"];

class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const name = /test\/e2e\/([\w-]+)\.e2e\.test\.ts$/.exec(f.moduleId)?.[1];
      if (name === undefined) return -1;
      const at = E2E_ORDER.indexOf(name);
      if (at < 0) throw new Error(`test/e2e/${name}.e2e.test.ts: add it to E2E_ORDER in vitest.config.ts`);
      return at;
    };
    const e2e = sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...sorted.filter((f) => rank(f) < 0), ...e2e];
  }
}

/**
 * Three projects: `workers` runs inside workerd with real D1, KV, R2, Queues and Durable
 * Objects; `node` runs what needs real processes (the simulators, `npm start`'s stack); `e2e`
 * drives the dashboard in headless Chromium against `npm start`'s stack.
 */
export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "d1/migrations"));
  const bindings = await testBindings();
  return {
    test: {
      // The Worker writes one JSON access line per request; keep warnings and errors only.
      onConsoleLog: (line: string) => (/"level":"(debug|info)"/.test(line) ? false : undefined),
      sequence: { sequencer: Sequencer },
      reporters: process.env.CI_JSON_REPORT ? ["default", ["json", { outputFile: process.env.CI_JSON_REPORT }]] : ["default"],
      projects: [
        {
          plugins: [
            cloudflareTest({
              main: "./workers/index.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { ...bindings, TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**", "test/e2e/**"],
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: ["./test/global-setup.ts"],
          },
        },
        {
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // The dashboard in headless Chromium against one `npm start` stack shared by the files.
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.e2e.test.ts"],
            environment: "node",
            globalSetup: ["./test/e2e/global-setup.ts"],
            fileParallelism: false,
            testTimeout: 90_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
