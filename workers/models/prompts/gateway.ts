/**
 * Calling the gateway by prompt template: a Chat Completions request with
 *   x-auterity-template: <key>[@version]
 *   x-auterity-template-variables: <JSON object of variables>
 * gets the template's system text and prompt as its first messages, followed by the
 * messages it sent. Mistakes answer 400 in the caller's error format.
 */
import { AppError } from "../../errors";
import type { Db } from "../../db";
import type { CallInput } from "../../gateway/call";
import { renderMessages, VariableValuesSchema, type VariableValues } from "./render";
import { getTemplate, parseTemplateRef } from "./store";

export const TEMPLATE_HEADER = "x-auterity-template";
export const TEMPLATE_VARIABLES_HEADER = "x-auterity-template-variables";

function variablesOf(headers: Headers): VariableValues {
  const raw = headers.get(TEMPLATE_VARIABLES_HEADER);
  if (raw === null || raw.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("validation_failed", `${TEMPLATE_VARIABLES_HEADER} must be a JSON object`);
  }
  const parsed = VariableValuesSchema.safeParse(json);
  if (!parsed.success) throw new AppError("validation_failed", `${TEMPLATE_VARIABLES_HEADER} must be a JSON object of strings, numbers and booleans`);
  return parsed.data;
}

/** The call with its template rendered in, or the call unchanged when it names none. */
export async function applyTemplate(deps: { db: Db }, input: CallInput): Promise<CallInput> {
  const ref = input.headers.get(TEMPLATE_HEADER);
  if (ref === null || ref.trim() === "") return input;
  if (input.format !== "openai-chat") throw new AppError("validation_failed", `${TEMPLATE_HEADER} is supported on /v1/chat/completions only`);
  const { key, version } = parseTemplateRef(ref);
  const template = await getTemplate({ db: deps.db, tenantId: input.caller.tenantId }, key, version).catch((err: unknown) => {
    // An unknown template is the caller's mistake about its request, not a missing resource of the API.
    if (err instanceof AppError && err.code === "not_found") throw new AppError("validation_failed", err.message);
    throw err;
  });
  const rendered = renderMessages(template, variablesOf(input.headers));
  const sent = Array.isArray(input.body.messages) ? input.body.messages : [];
  return { ...input, body: { ...input.body, messages: [...rendered, ...sent] }, template: template.ref };
}

/** The headers that make an in-process call (e.g. a workflow ai step) render `ref` with `variables`. */
export function templateCallHeaders(ref: string, variables: VariableValues): Headers {
  return new Headers({ [TEMPLATE_HEADER]: ref, [TEMPLATE_VARIABLES_HEADER]: JSON.stringify(variables) });
}
