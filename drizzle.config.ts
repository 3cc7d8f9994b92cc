import { defineConfig } from "drizzle-kit";

// drizzle-kit writes SQL files that wrangler applies as D1 migrations (wrangler.toml migrations_dir).
export default defineConfig({
  dialect: "sqlite",
  schema: "./d1/schema.ts",
  out: "./d1/migrations",
});
