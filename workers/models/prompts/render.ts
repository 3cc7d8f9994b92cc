/**
 * Prompt template variables and rendering. Variables are declared JSON-Schema-lite
 * ({name: {type, required, enum}}); values are checked against them before rendering with
 * the workflow template language ({{ name }}, filters such as `| default: "x"`).
 */
import { z } from "zod";
import type { TemplateVariable } from "../../../d1/schema";
import { AppError } from "../../errors";
import { renderTemplate, TemplateError, templatePaths } from "../../workflows/template";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const TemplateVariableSchema = z
  .object({
    type: z.enum(["string", "number", "boolean"]),
    required: z.boolean().optional(),
    enum: z.array(Scalar).min(1).max(50).optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

export const VariablesSchema = z
  .record(z.string().regex(VARIABLE_NAME, "variable names are letters, digits and _"), TemplateVariableSchema)
  .refine((v) => Object.keys(v).length <= 50, "at most 50 variables");

export const VariableValuesSchema = z.record(z.string(), Scalar);
export type VariableValues = z.infer<typeof VariableValuesSchema>;

export type RenderableTemplate = { variables: Record<string, TemplateVariable>; system: string | null; template: string };
export type ChatMessage = { role: "system" | "user"; content: string };

type Problem = { path: string; message: string };

function problemOf(name: string, spec: TemplateVariable, value: VariableValues[string] | undefined): Problem | null {
  const path = `variables.${name}`;
  if (value === undefined) return spec.required ? { path, message: `${name} is required` } : null;
  if (typeof value !== spec.type) return { path, message: `${name} must be a ${spec.type}` };
  if (spec.enum && !spec.enum.includes(value)) return { path, message: `${name} must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}` };
  return null;
}

/** Throws validation_failed listing every missing, mistyped or unknown variable. */
export function checkVariables(declared: Record<string, TemplateVariable>, values: VariableValues): void {
  const problems: Problem[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    const p = problemOf(name, spec, values[name]);
    if (p) problems.push(p);
  }
  for (const name of Object.keys(values)) if (!Object.hasOwn(declared, name)) problems.push({ path: `variables.${name}`, message: `${name} is not a variable of this template` });
  const first = problems[0];
  if (first) throw new AppError("validation_failed", `Template variables do not fit: ${problems.map((p) => p.message).join("; ")}`, problems);
}

function pathsOf(text: string, field: string): string[] {
  try {
    return templatePaths(text);
  } catch (err) {
    if (err instanceof TemplateError) throw new AppError("validation_failed", `${field}: ${err.message}`, [{ path: field, message: err.reason }]);
    throw err;
  }
}

/** Refuses template text that does not parse or reads a variable it does not declare. */
export function checkTemplateText(t: RenderableTemplate): void {
  const used = [...pathsOf(t.template, "template"), ...(t.system ? pathsOf(t.system, "system") : [])];
  for (const path of used) {
    const root = /^[A-Za-z_$][\w$-]*/.exec(path)?.[0] ?? path;
    if (!Object.hasOwn(t.variables, root)) throw new AppError("validation_failed", `The template reads '${path}', which is not a declared variable`, [{ path: "variables", message: `declare ${root}` }]);
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
}

/** Checks `values` and renders the template's system text and prompt as chat messages. */
export function renderMessages(t: RenderableTemplate, values: VariableValues): ChatMessage[] {
  checkVariables(t.variables, values);
  const system = t.system ? text(renderTemplate(t.system, values)).trim() : "";
  const prompt = text(renderTemplate(t.template, values));
  return [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user" as const, content: prompt }];
}
