/**
 * Inbound hooks, mounted at /hooks: the URLs outside systems (lead providers, training
 * providers) post to.
 * They answer in the platform API's error body.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { leadHooks } from "./leads";
import { trainingHooks } from "./training";

export const hooks = new Hono<AppEnv>();
hooks.route("/leads", leadHooks);
hooks.route("/training", trainingHooks);
