/** The pinned definition tree of a run. */
import type { StepDeps } from "../steps/types";
import { treeOf } from "../store/definitions";
import type { DefinitionTree } from "../definition/tree";
import type { RunRow } from "./rows";

export function treeFor(deps: StepDeps, run: RunRow): Promise<DefinitionTree> {
  return treeOf({ db: deps.db, tenantId: run.tenantId }, run.workflowId, run.version);
}
