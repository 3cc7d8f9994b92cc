/** The models area's shapes, all taken from the API's generated types. */
import type { paths, Schemas } from "../../api/client";

export type Model = Schemas["Model"];
export type ModelDetail = Schemas["ModelDetail"];
export type ModelVersion = Schemas["ModelVersion"];
export type AliasMove = ModelDetail["aliasHistory"][number];
export type EvalRun = Schemas["EvalRun"];
export type TrainingJob = Schemas["TrainingJob"];
export type Dataset = Schemas["Dataset"];
export type AliasName = "champion" | "challenger";

type JsonBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } } ? B : never;
export type CreateModelBody = JsonBody<"/models">;
export type CreateJobBody = JsonBody<"/training-jobs">;
export type TrainingProvider = CreateJobBody["provider"];
export type EvalBody = JsonBody<"/models/{id}/evals">;
