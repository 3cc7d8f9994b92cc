/**
 * Retrieval's default search: the tenant's knowledge bases, searched through the knowledge
 * module (its embeddings go through the gateway and are logged like any call).
 */
import { knowledgeDepsOf } from "../knowledge/deps";
import { searchKnowledge } from "../knowledge/search";
import { newId } from "../lib/ids";
import type { KnowledgeSearch } from "./pipeline/types";

export const knowledgeSearch: KnowledgeSearch = (deps, input) =>
  searchKnowledge(knowledgeDepsOf(deps.env, deps.db, deps.waitUntil, { requestId: newId("req") }), input);
