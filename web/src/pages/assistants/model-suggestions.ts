/**
 * Models an assistant can use, offered as suggestions: what the gateway has prices for and the
 * tenant's fine-tuned models (ft:<key>). Any other model or alias may still be typed.
 */
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";

export function useModelSuggestions(): string[] {
  const { can } = useMe();
  const mayGateway = can("gateway:read");
  const mayModels = can("models:read");
  const state = useApi(async () => {
    const [prices, models] = await Promise.all([
      mayGateway ? unwrap(api.GET("/gateway/prices")).then((r) => r.data.map((p) => p.model)) : Promise.resolve([]),
      mayModels ? unwrap(api.GET("/models")).then((r) => r.data.map((m) => `ft:${m.key}`)) : Promise.resolve([]),
    ]);
    return [...new Set([...models, ...prices])].filter((m) => !/embedding/i.test(m)).sort();
  }, [mayGateway, mayModels]);
  return state.data ?? [];
}
