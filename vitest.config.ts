import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import { testBindings } from "./test/bindings.ts";

/**
 * Two projects: `workers` runs inside workerd with real D1, KV, R2, Queues and Durable
 * Objects; `node` runs what needs real processes (the simulators, `npm start`'s stack).
 */
export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "d1/migrations"));
  const bindings = await testBindings();
  return {
    test: {
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
            exclude: ["test/node/**"],
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
      ],
    },
  };
});
