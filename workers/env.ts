/**
 * The Hono environment, declared once. Bindings come from `wrangler types`
 * (worker-configuration.d.ts); Variables are what middleware puts on the context.
 */
import type { Principal } from "./auth/principal";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by the auth middleware on every authenticated route. */
    principal: Principal;
  };
};
