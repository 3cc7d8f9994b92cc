/**
 * Which key and host a resolved model is called with. A tenant's own key wins; otherwise
 * the platform's key from the Worker's secrets. The host is the tenant row's, else the
 * Worker's configured base URL, else the provider's public API.
 */
import { AppError } from "../errors";
import { openSecret } from "../lib/secret-box";
import { ANTHROPIC_DEFAULT_BASE_URL } from "./providers/anthropic";
import { OPENAI_DEFAULT_BASE_URL } from "./providers/openai";
import type { ProviderTarget } from "./providers/types";
import type { ResolvedModel } from "./resolve";

/** The platform's side of the credentials: Worker secrets and vars. */
export type PlatformCredentials = {
  masterKey: string;
  openai: { apiKey: string; baseUrl: string };
  anthropic: { apiKey: string; baseUrl: string };
};

export function platformCredentialsOf(env: Env): PlatformCredentials {
  return {
    masterKey: env.MASTER_KEY,
    openai: { apiKey: env.OPENAI_API_KEY ?? "", baseUrl: env.OPENAI_BASE_URL ?? "" },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY ?? "", baseUrl: env.ANTHROPIC_BASE_URL ?? "" },
  };
}

const DEFAULT_BASE_URL = { openai: OPENAI_DEFAULT_BASE_URL, anthropic: ANTHROPIC_DEFAULT_BASE_URL } as const;
// Self-hosted OpenAI-compatible servers (vLLM, llama.cpp) often take no key; the SDK insists on one.
const NO_KEY = "no-key";

const opened = new Map<string, Promise<string>>();
const MAX_OPENED = 1_000;

/** Opens a sealed key once per isolate; the sealed text changes whenever the key does. */
function openKey(masterKey: string, sealed: string): Promise<string> {
  let key = opened.get(sealed);
  if (!key) {
    if (opened.size >= MAX_OPENED) opened.clear();
    key = openSecret(masterKey, sealed);
    opened.set(sealed, key);
    key.catch(() => opened.delete(sealed));
  }
  return key;
}

/** The target to call for `resolved`, or 503 provider_unavailable when no key exists anywhere. */
export async function targetFor(platform: PlatformCredentials, resolved: ResolvedModel): Promise<ProviderTarget> {
  const own = resolved.own;
  const ownKey = own?.apiKeyEnc ? await openKey(platform.masterKey, own.apiKeyEnc).catch(() => null) : null;
  if (own?.apiKeyEnc && ownKey === null) {
    throw new AppError("provider_unavailable", `The API key stored for ${resolved.provider} cannot be read; store it again under /api/v1/gateway/providers`);
  }
  if (resolved.kind === "openai-compatible") {
    if (!own?.baseUrl) throw new AppError("provider_unavailable", `The provider ${resolved.provider} has no base URL configured`);
    return { name: resolved.provider, kind: resolved.kind, model: resolved.model, baseURL: own.baseUrl, apiKey: ownKey ?? NO_KEY };
  }
  const fallback = platform[resolved.kind];
  const apiKey = ownKey ?? fallback.apiKey;
  if (!apiKey) {
    throw new AppError(
      "provider_unavailable",
      `No API key is configured for ${resolved.provider}: add your own under /api/v1/gateway/providers, or set the platform's ${resolved.kind.toUpperCase()}_API_KEY`,
    );
  }
  const baseURL = own?.baseUrl || fallback.baseUrl || DEFAULT_BASE_URL[resolved.kind];
  return { name: resolved.provider, kind: resolved.kind, model: resolved.model, baseURL, apiKey };
}
