/**
 * What the steps of an assistant's pipeline share: one context per chat turn, which each
 * step reads and adds to before handing on. Steps never see HTTP; they talk to the client
 * only through `emit`.
 */
import type { Citation, MessageSignals, Visitor } from "../../../d1/schema";
import type { Db } from "../../db";
import type { AssistantRow } from "../store";
import type { MessageRow, ThreadRow } from "../threads";

/** One retrieved passage, as the knowledge-base search answers it. */
export type KnowledgeHit = {
  chunkId: string;
  documentId: string;
  documentName: string;
  title: string | null;
  text: string;
  score: number;
  citation: { documentId: string; documentName: string; title: string | null; chunkIndex: number };
};

export type KnowledgeSearchDeps = { env: Env; db: Db; waitUntil: (p: Promise<unknown>) => void };
export type KnowledgeSearch = (
  deps: KnowledgeSearchDeps,
  input: { tenantId: string; knowledgeBaseIds: string[]; query: string; topK: number },
) => Promise<KnowledgeHit[]>;

export type PipelineDeps = KnowledgeSearchDeps & {
  /** Knowledge-base search; null where no knowledge bases exist (retrieval then finds nothing). */
  search: KnowledgeSearch | null;
  now: () => number;
};

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type PipelineEvent =
  | { event: "thread"; data: { threadId: string } }
  | { event: "delta"; data: { text: string } }
  | { event: "citations"; data: Citation[] }
  | { event: "done"; data: { messageId: string; usage: TurnUsage; costNanoUsd: number; signals: MessageSignals } }
  | { event: "error"; data: { code: string; message: string; requestId?: string } };

export type TurnUsage = { inputTokens: number; outputTokens: number };

export type TenantInfo = { id: string; name: string; timezone: string; settings: Record<string, unknown> };

export type PipelineContext = {
  deps: PipelineDeps;
  tenant: TenantInfo;
  assistant: AssistantRow;
  thread: ThreadRow;
  /** Earlier messages of the thread that fit the context window, oldest first. */
  history: MessageRow[];
  /** What the visitor wrote this turn. */
  input: string;
  visitor: Visitor;
  /** What goes to the model, system prompt first. */
  messages: ChatMessage[];
  /** Names of the knowledge bases the assistant searches (for the system prompt). */
  knowledgeBases: string[];
  retrieved: KnowledgeHit[];
  citations: Citation[];
  signals: MessageSignals;
  /** The answer; set by the model call, or by a step that answers instead of the model (the guard). */
  output: string;
  /** Set when a step has answered: later steps that would call the model or search skip. */
  answered: boolean;
  usage: TurnUsage;
  costNanoUsd: number;
  /** The id the assistant's answer is stored under. */
  messageId: string;
  /** When the visitor's message arrived. */
  startedAt: number;
  emit(event: PipelineEvent): void;
};

export type PipelineStep = (ctx: PipelineContext) => Promise<void>;
