/**
 * Every metric the Worker exposes on /metrics, declared once: its type, help text, label
 * names and (for histograms) bucket bounds. Recording and rendering both read this table,
 * so a metric name or label that is not here does not type-check.
 *
 * Counters and histograms are recorded as the work happens (buffered per isolate, summed in
 * the MetricsStore Durable Objects); gauges describe current state and are computed when
 * /metrics is scraped.
 */

export type MetricType = "counter" | "gauge" | "histogram";

type Definition = { type: MetricType; help: string; labels: readonly string[]; buckets?: readonly number[] };

/** Upper bounds, in seconds, for requests answered by the Worker itself. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
/** Upper bounds, in seconds, for whole provider calls (a long streamed answer takes a minute). */
const CALL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120] as const;
/** Upper bounds, in seconds, for the first streamed token. */
const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] as const;

export const METRICS = {
  auterity_http_requests_total: {
    type: "counter",
    help: "HTTP requests answered by the Worker, by matched route pattern (unmatched for none), method and status.",
    labels: ["route", "method", "status"],
  },
  auterity_http_request_duration_seconds: {
    type: "histogram",
    help: "Time until the Worker had its response ready (for streams: the headers), by part of the platform.",
    labels: ["part"],
    buckets: HTTP_BUCKETS,
  },
  auterity_gateway_requests_total: {
    type: "counter",
    help: "Gateway calls recorded as usage, by the provider and model that served them (none when no provider did) and status.",
    labels: ["provider", "model", "status"],
  },
  auterity_gateway_request_duration_seconds: {
    type: "histogram",
    help: "Duration of gateway calls from admission to the last byte, every attempt included, by serving provider.",
    labels: ["provider"],
    buckets: CALL_BUCKETS,
  },
  auterity_gateway_ttft_seconds: {
    type: "histogram",
    help: "Time to the first token of streamed gateway calls, by serving provider.",
    labels: ["provider"],
    buckets: TTFT_BUCKETS,
  },
  auterity_gateway_tokens_total: {
    type: "counter",
    help: "Tokens of gateway calls as the provider reported them; kind is input, output or cached (cached input tokens are also counted in input).",
    labels: ["provider", "model", "kind"],
  },
  auterity_gateway_cost_usd_total: {
    type: "counter",
    help: "Cost of gateway calls in US dollars at the prices in force (cache hits cost nothing).",
    labels: ["provider", "model"],
  },
  auterity_gateway_cache_total: {
    type: "counter",
    help: "Response cache lookups of gateway calls whose tenant has the cache on, by result (hit or miss).",
    labels: ["result"],
  },
  auterity_provider_outcomes_total: {
    type: "counter",
    help: "Upstream outcomes reported to the circuit breakers, by target (owner is platform or the tenant whose own provider it is) and result (ok or the failure kind).",
    labels: ["owner", "provider", "model", "result"],
  },
  auterity_provider_circuit_state: {
    type: "gauge",
    help: "Circuit breaker state of each target that has reported outcomes, one-hot over closed, open and half_open.",
    labels: ["owner", "provider", "model", "state"],
  },
  auterity_budget_utilisation_ratio: {
    type: "gauge",
    help: "Spend in the current window divided by the limit, for each enabled budget (1 means the limit is reached).",
    labels: ["tenant", "budget"],
  },
  auterity_queue_backlog: {
    type: "gauge",
    help: "Work waiting in D1 for a queue consumer: workflow step runs ready or leased, webhook messages pending.",
    labels: ["queue"],
  },
  auterity_queue_retries_total: {
    type: "counter",
    help: "Retries of queued work: kind message is a message handed back to the queue, kind scheduled a later attempt the platform scheduled (step retry, webhook retry).",
    labels: ["queue", "kind"],
  },
  auterity_workflow_runs_total: {
    type: "counter",
    help: "Workflow runs that reached a terminal state, by outcome (complete, errored, terminated).",
    labels: ["outcome"],
  },
  auterity_workflow_steps_total: {
    type: "counter",
    help: "Workflow step runs that finished, by status (succeeded or failed past their retries).",
    labels: ["status"],
  },
  auterity_webhook_deliveries_total: {
    type: "counter",
    help: "Webhook delivery attempts by outcome: delivered, retrying (failed, another attempt scheduled) or failed (no attempt left).",
    labels: ["outcome"],
  },
} as const satisfies Record<string, Definition>;

export type MetricName = keyof typeof METRICS;
type OfType<T extends MetricType> = { [N in MetricName]: (typeof METRICS)[N]["type"] extends T ? N : never }[MetricName];
export type CounterName = OfType<"counter">;
export type HistogramName = OfType<"histogram">;
export type GaugeName = OfType<"gauge">;

/** The labels of metric `N`: exactly its declared names, each with a string value. */
export type LabelsOf<N extends MetricName> = { readonly [L in (typeof METRICS)[N]["labels"][number]]: string };

/** Every metric name, sorted (the order /metrics renders them in). */
export const METRIC_NAMES: readonly MetricName[] = (Object.keys(METRICS) as MetricName[]).sort();
