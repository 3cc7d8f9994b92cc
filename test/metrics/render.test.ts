/**
 * The exposition renderer: HELP/TYPE for every metric, escaping, sorted series, and
 * histograms turned from per-bucket counts into cumulative buckets with _sum and _count.
 */
import { describe, expect, it } from "vitest";
import { METRIC_NAMES, METRICS } from "../../workers/metrics/registry";
import { escapeLabelValue, formatValue, renderMetrics } from "../../workers/metrics/render";
import type { SeriesEntry } from "../../workers/metrics/series";
import { parseExposition, valueOf } from "./helpers";

const labels = (o: Record<string, string>) => JSON.stringify(o);

function linesOf(text: string, name: string): string[] {
  return text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe("the exposition renderer", () => {
  it("declares every registered metric once with HELP and TYPE, even with no series yet", () => {
    const text = renderMetrics([], {});
    const e = parseExposition(text);
    expect([...e.types.keys()]).toEqual([...METRIC_NAMES]);
    for (const name of METRIC_NAMES) {
      expect(e.types.get(name)).toBe(METRICS[name].type);
      expect(e.help.get(name)).toBe(METRICS[name].help);
      expect(name.startsWith("auterity_")).toBe(true);
    }
    expect(e.samples).toEqual([]);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("escapes backslashes, double quotes and newlines in label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const tricky = 'route "quoted" \\ with\nnewline';
    const text = renderMetrics([["auterity_http_requests_total", labels({ route: tricky, method: "GET", status: "200" }), 3]], {});
    expect(linesOf(text, "auterity_http_requests_total")).toEqual([
      'auterity_http_requests_total{route="route \\"quoted\\" \\\\ with\\nnewline",method="GET",status="200"} 3',
    ]);
    // A parser that follows the format gets the original value back.
    expect(valueOf(parseExposition(text), "auterity_http_requests_total", { route: tricky, method: "GET", status: "200" })).toBe(3);
  });

  it("sorts series by their labels and keeps the registry's label order", () => {
    const stored: SeriesEntry[] = [
      ["auterity_workflow_runs_total", labels({ outcome: "terminated" }), 1],
      ["auterity_workflow_runs_total", labels({ outcome: "complete" }), 5],
      ["auterity_workflow_runs_total", labels({ outcome: "errored" }), 2],
    ];
    expect(linesOf(renderMetrics(stored, {}), "auterity_workflow_runs_total")).toEqual([
      'auterity_workflow_runs_total{outcome="complete"} 5',
      'auterity_workflow_runs_total{outcome="errored"} 2',
      'auterity_workflow_runs_total{outcome="terminated"} 1',
    ]);
  });

  it("makes histogram buckets cumulative, ends them with +Inf and adds _sum and _count", () => {
    const h = "auterity_gateway_ttft_seconds";
    const bounds = METRICS[h].buckets;
    const stored: SeriesEntry[] = [
      [`${h}_bucket`, labels({ provider: "openai", le: "0.05" }), 2],
      [`${h}_bucket`, labels({ provider: "openai", le: "0.5" }), 1],
      [`${h}_bucket`, labels({ provider: "openai", le: "+Inf" }), 1],
      [`${h}_sum`, labels({ provider: "openai" }), 41.2],
      [`${h}_bucket`, labels({ provider: "anthropic", le: "1" }), 3],
      [`${h}_sum`, labels({ provider: "anthropic" }), 2.4],
    ];
    const text = renderMetrics(stored, {});
    const openai = linesOf(text, `${h}_bucket`).filter((l) => l.includes('provider="openai"'));
    expect(openai).toEqual([
      ...bounds.map((b) => `${h}_bucket{provider="openai",le="${b}"} ${b < 0.5 ? 2 : 3}`),
      `${h}_bucket{provider="openai",le="+Inf"} 4`,
    ]);
    expect(linesOf(text, `${h}_sum`)).toEqual([`${h}_sum{provider="anthropic"} 2.4`, `${h}_sum{provider="openai"} 41.2`]);
    expect(linesOf(text, `${h}_count`)).toEqual([`${h}_count{provider="anthropic"} 3`, `${h}_count{provider="openai"} 4`]);
    // Groups come out sorted, each group's buckets in bound order.
    const e = parseExposition(text);
    const anthropic = e.samples.filter((s) => s.name === `${h}_bucket` && s.labels.provider === "anthropic").map((s) => s.value);
    expect(anthropic).toEqual([...bounds.map((b) => (b < 1 ? 0 : 3)), 3]);
    for (let i = 1; i < anthropic.length; i++) expect(anthropic[i]).toBeGreaterThanOrEqual(anthropic[i - 1] ?? 0);
  });

  it("counts a bucket bound that is no longer declared in the next declared one up", () => {
    const h = "auterity_http_request_duration_seconds";
    const text = renderMetrics([[`${h}_bucket`, labels({ part: "api", le: "0.3" }), 2], [`${h}_sum`, labels({ part: "api" }), 0.6]], {});
    const e = parseExposition(text);
    expect(valueOf(e, `${h}_bucket`, { part: "api", le: "0.25" })).toBe(0);
    expect(valueOf(e, `${h}_bucket`, { part: "api", le: "0.5" })).toBe(2);
    expect(valueOf(e, `${h}_count`, { part: "api" })).toBe(2);
  });

  it("renders gauges from scrape-time samples and leaves out stored series nobody declares", () => {
    const stored: SeriesEntry[] = [
      ["auterity_renamed_long_ago_total", labels({ x: "1" }), 9],
      ["auterity_workflow_runs_total", "not json", 4],
      ["auterity_workflow_runs_total", labels({ outcome: "complete" }), 1],
    ];
    const text = renderMetrics(stored, {
      auterity_queue_backlog: [
        { labels: { queue: "auterity-webhooks" }, value: 7 },
        { labels: { queue: "auterity-workflows" }, value: 0 },
      ],
      auterity_budget_utilisation_ratio: [{ labels: { tenant: "ten_1", budget: "bud_1" }, value: 0.25 }],
    });
    expect(text).not.toContain("auterity_renamed_long_ago_total");
    expect(linesOf(text, "auterity_workflow_runs_total")).toEqual(['auterity_workflow_runs_total{outcome="complete"} 1']);
    expect(linesOf(text, "auterity_queue_backlog")).toEqual(['auterity_queue_backlog{queue="auterity-webhooks"} 7', 'auterity_queue_backlog{queue="auterity-workflows"} 0']);
    expect(linesOf(text, "auterity_budget_utilisation_ratio")).toEqual(['auterity_budget_utilisation_ratio{tenant="ten_1",budget="bud_1"} 0.25']);
  });

  it("writes special values the way Prometheus reads them", () => {
    expect([formatValue(Number.POSITIVE_INFINITY), formatValue(Number.NEGATIVE_INFINITY), formatValue(Number.NaN), formatValue(0.1), formatValue(12)]).toEqual(["+Inf", "-Inf", "NaN", "0.1", "12"]);
  });
});
