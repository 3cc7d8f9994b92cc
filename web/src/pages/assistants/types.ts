/** The assistants area's shapes, all taken from the API's generated types. */
import type { paths, Schemas } from "../../api/client";

export type Assistant = Schemas["Assistant"];
export type Thread = Schemas["AssistantThread"];
export type Message = Schemas["AssistantMessage"];
export type Citation = Message["citations"][number];
export type KnowledgeBase = Schemas["KnowledgeBase"];
export type KnowledgeDocument = Schemas["KnowledgeDocument"];
export type KnowledgeHit = Schemas["KnowledgeHit"];
export type Widget = Schemas["Widget"];

type JsonBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } } ? B : never;
export type AssistantBody = JsonBody<"/assistants">;
export type WidgetBody = JsonBody<"/widgets">;
export type KnowledgeBaseBody = JsonBody<"/knowledge-bases">;
