/**
 * /hooks/leads: where lead providers post ADF, as XML or as the lead e-mail.
 */
import { Hono } from "hono";
import { z } from "zod";
import { makeDb } from "../db";
import type { AppEnv } from "../env";
import { intakeAdfLead } from "../leads/intake";
import { hookKeyAuth } from "./auth";
import { readBodyLimited } from "./body";

/** ADF is a few KB; an e-mail with attachments rarely passes a few hundred. */
export const MAX_LEAD_BYTES = 1024 * 1024;

const AdfQuery = z.object({ rooftop: z.string().trim().min(1).max(64).optional() });

export const leadHooks = new Hono<AppEnv>();

leadHooks.post("/adf", hookKeyAuth("leads"), async (c) => {
  const query = AdfQuery.parse(c.req.query());
  const body = await readBodyLimited(c.req.raw, MAX_LEAD_BYTES);
  const result = await intakeAdfLead(
    { env: c.env, db: makeDb(c.env.DB), now: Date.now },
    { tenantId: c.get("principal").tenantId, rooftopId: query.rooftop ?? null, body, contentType: c.req.header("content-type") ?? null },
  );
  return c.json(result, result.status === "created" ? 201 : 200);
});
