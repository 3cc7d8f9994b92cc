/**
 * Where each provider's calls go locally: the real provider when its key is set,
 * otherwise the simulator. OPENAI_BASE_URL / ANTHROPIC_BASE_URL point at any compatible host;
 * TRAINING_PROVIDER_URL (+ TRAINING_PROVIDER_API_KEY) at a GPU host speaking our training protocol.
 */
export type ProviderPlan = { vars: Record<string, string>; useSim: boolean; lines: string[] };

export function planProviders(env: NodeJS.ProcessEnv, simUrl: string): ProviderPlan {
  const forceSim = env.AUTERITY_USE_SIM === "1" || env.AUTERITY_USE_SIM === "true";
  const openaiReal = !forceSim && Boolean(env.OPENAI_API_KEY);
  const anthropicReal = !forceSim && Boolean(env.ANTHROPIC_API_KEY);
  const gpuReal = !forceSim && Boolean(env.TRAINING_PROVIDER_URL);
  const vars: Record<string, string> = {
    OPENAI_API_KEY: openaiReal ? env.OPENAI_API_KEY ?? "" : "sk-sim-openai",
    OPENAI_BASE_URL: openaiReal ? env.OPENAI_BASE_URL ?? "" : `${simUrl}/openai/v1`,
    ANTHROPIC_API_KEY: anthropicReal ? env.ANTHROPIC_API_KEY ?? "" : "sk-ant-sim",
    ANTHROPIC_BASE_URL: anthropicReal ? env.ANTHROPIC_BASE_URL ?? "" : `${simUrl}/anthropic`,
    TRAINING_PROVIDER_URL: gpuReal ? env.TRAINING_PROVIDER_URL ?? "" : `${simUrl}/gpu`,
    TRAINING_PROVIDER_API_KEY: gpuReal ? env.TRAINING_PROVIDER_API_KEY ?? "" : "sk-sim-gpu",
  };
  const where = (real: boolean, base: string | undefined, name: string) =>
    real ? `${name}: ${base || "the real API"}` : `${name}: simulator (${simUrl})`;
  return {
    vars,
    useSim: !openaiReal || !anthropicReal || !gpuReal,
    lines: [where(openaiReal, env.OPENAI_BASE_URL, "openai"), where(anthropicReal, env.ANTHROPIC_BASE_URL, "anthropic"), where(gpuReal, env.TRAINING_PROVIDER_URL, "training")],
  };
}
