/**
 * The training-provider registry: one adapter a file, looked up by name.
 */
import { AppError } from "../../../errors";
import { genericProvider } from "./generic";
import { openaiProvider } from "./openai";
import type { ProviderConfig, TrainingProvider } from "./types";

export type { CreateInput, ProviderConfig, ProviderSnapshot, TrainingProvider } from "./types";

export const TRAINING_PROVIDERS = { generic: genericProvider, openai: openaiProvider } as const satisfies Record<string, TrainingProvider>;
export type TrainingProviderName = keyof typeof TRAINING_PROVIDERS;
export const TRAINING_PROVIDER_NAMES = Object.keys(TRAINING_PROVIDERS) as TrainingProviderName[];

/** The adapter and its configuration; a provider that is not configured is a 422. */
export function providerFor(env: Env, name: string): { provider: TrainingProvider; cfg: ProviderConfig } {
  const provider = (TRAINING_PROVIDERS as Record<string, TrainingProvider>)[name];
  if (!provider) throw new AppError("validation_failed", `Unknown training provider "${name}"`);
  const cfg = provider.config(env);
  if (!cfg) throw new AppError("unprocessable", `The training provider "${name}" is not configured on this deployment`);
  return { provider, cfg };
}
