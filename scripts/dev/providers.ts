/**
 * Where each provider's calls go locally: the real provider when its key is set,
 * otherwise the simulator. OPENAI_BASE_URL / ANTHROPIC_BASE_URL point at any compatible host.
 */
export type ProviderPlan = { vars: Record<string, string>; useSim: boolean; lines: string[] };

export function planProviders(env: NodeJS.ProcessEnv, simUrl: string): ProviderPlan {
  const forceSim = env.AUTERITY_USE_SIM === "1" || env.AUTERITY_USE_SIM === "true";
  const openaiReal = !forceSim && Boolean(env.OPENAI_API_KEY);
  const anthropicReal = !forceSim && Boolean(env.ANTHROPIC_API_KEY);
  const vars: Record<string, string> = {
    OPENAI_API_KEY: openaiReal ? env.OPENAI_API_KEY ?? "" : "sk-sim-openai",
    OPENAI_BASE_URL: openaiReal ? env.OPENAI_BASE_URL ?? "" : `${simUrl}/openai/v1`,
    ANTHROPIC_API_KEY: anthropicReal ? env.ANTHROPIC_API_KEY ?? "" : "sk-ant-sim",
    ANTHROPIC_BASE_URL: anthropicReal ? env.ANTHROPIC_BASE_URL ?? "" : `${simUrl}/anthropic`,
  };
  const where = (real: boolean, base: string | undefined, name: string) =>
    real ? `${name}: ${base || "the real API"}` : `${name}: simulator (${simUrl})`;
  return {
    vars,
    useSim: !openaiReal || !anthropicReal,
    lines: [where(openaiReal, env.OPENAI_BASE_URL, "openai"), where(anthropicReal, env.ANTHROPIC_BASE_URL, "anthropic")],
  };
}
