/**
 * The one interface every GPU training provider implements. Handlers and the lifecycle
 * never branch on a provider's name: they look the adapter up in the registry (index.ts).
 */
import type { JobError } from "../../../../d1/schema";
import type { ProviderState } from "../lifecycle";

/** A provider's job as we understand it, whatever its wire format. */
export type ProviderSnapshot = {
  providerJobId: string;
  status: ProviderState;
  /** The provider's own status word. */
  providerStatus: string;
  progress: number | null;
  trainedTokens: number | null;
  costNanoUsd: number | null;
  etaSeconds: number | null;
  fineTunedModel: string | null;
  servingBaseUrl: string | null;
  metrics: Record<string, number> | null;
  error: JobError | null;
};

/** What a provider is told when a job is created. */
export type CreateInput = {
  jobId: string;
  tenantId: string;
  baseModel: string;
  hyperparameters: { epochs: number; learningRateMultiplier?: number; batchSize?: number };
  suffix: string | null;
  /** Expiring signed URL the provider downloads the JSONL from. */
  trainingFileUrl: string;
  /** The JSONL itself, for providers that take an upload instead of a URL. */
  readTrainingFile: () => Promise<string>;
  callbackUrl: string;
  callbackSecret: string;
};

/** Where a provider lives and how to reach it. */
export type ProviderConfig = { baseUrl: string; apiKey: string; fetch: typeof fetch };

export interface TrainingProvider {
  readonly name: string;
  /** Sends signed callbacks; providers without them are only polled. */
  readonly callbacks: boolean;
  /** Training price used for estimates, nano-USD per 1,000 tokens per epoch. */
  readonly pricePer1kTokensNanoUsd: number;
  config(env: Env): ProviderConfig | null;
  create(cfg: ProviderConfig, input: CreateInput): Promise<ProviderSnapshot>;
  get(cfg: ProviderConfig, providerJobId: string): Promise<ProviderSnapshot>;
  cancel(cfg: ProviderConfig, providerJobId: string): Promise<ProviderSnapshot>;
  /** Reads a verified callback's body; null when the provider sends none or the body is not one. */
  parseCallback(body: unknown): ProviderSnapshot | null;
}
