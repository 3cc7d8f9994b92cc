/**
 * `usage.recorded` for dashboards: once a delivery of usage rows is written, each tenant gets
 * one message per (model, provider) with the calls' summed cost and tokens, so a burst of
 * calls is a few messages rather than one per call.
 */
import { publishLive } from "./publish";

type Written = { tenantId: string; modelServed?: string | null; modelRequested: string; provider?: string | null; costNanoUsd?: number; inputTokens?: number; outputTokens?: number };

export async function publishUsageRecorded(env: Env, rows: readonly Written[]): Promise<void> {
  const groups = new Map<string, { tenantId: string; model: string; provider: string; calls: number; costNanoUsd: number; tokens: number }>();
  for (const row of rows) {
    const model = row.modelServed ?? row.modelRequested;
    const provider = row.provider ?? "none";
    const key = `${row.tenantId}\n${model}\n${provider}`;
    const group = groups.get(key) ?? { tenantId: row.tenantId, model, provider, calls: 0, costNanoUsd: 0, tokens: 0 };
    group.calls += 1;
    group.costNanoUsd += row.costNanoUsd ?? 0;
    group.tokens += (row.inputTokens ?? 0) + (row.outputTokens ?? 0);
    groups.set(key, group);
  }
  await Promise.all([...groups.values()].map(({ tenantId, ...data }) => publishLive(env, tenantId, { type: "usage.recorded", data })));
}
