import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { newId } from "./ids";

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/** Gives every request an id (the caller's x-request-id when sane) and returns it in a header. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && ACCEPTABLE.test(given) ? given : newId("req");
  c.set("requestId", id);
  await next();
  c.header("x-request-id", id);
});
