import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { AppError, zodDetails } from "../errors";

/**
 * A sub-app of the platform API. Its routes are declared with zod schemas
 * (createRoute), which both validate requests and generate /api/v1/openapi.json.
 */
export function createApiApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = zodDetails(result.error);
        const first = details[0];
        throw new AppError("validation_failed", first ? `Invalid value at '${first.path}': ${first.message}` : "Invalid request", details);
      }
    },
  });
}
