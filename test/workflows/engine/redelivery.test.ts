/**
 * At-least-once delivery: the queue may hand the same step message to the consumer twice,
 * one after the other or at the same time. The step run's row decides, so a partner sees
 * one request and one event, and nothing is counted twice.
 */
import { describe, expect, it } from "vitest";
import { configurePartner, partnerName, partnerUrl, received } from "../../webhooks/helpers";
import { createWorkflow, harness } from "../helpers";
import { Engine, runRow, stepMessage, stepRow } from "./driver";

function notifyThenEmit(partner: string) {
  return {
    name: "Notify then emit",
    steps: [
      { id: "notify", type: "http", url: partnerUrl(partner), body: { leadId: "{{ input.leadId }}" } },
      { id: "announce", type: "emit", event: "lead.replied", data: { leadId: "{{ input.leadId }}", channel: "sms", messageId: "msg_{{ run.id }}", runId: "{{ run.id }}" } },
    ],
  };
}

describe("a redelivered step message", { timeout: 30_000 }, () => {
  it("runs the http and emit steps once each when every message arrives twice in a row", async () => {
    const h = await harness();
    const partner = partnerName("redeliver");
    await configurePartner(partner, { mode: "ok" });
    await createWorkflow(h, "notify-emit", notifyThenEmit(partner));
    const e = new Engine();
    const run = await e.start(h.tenantId, "notify-emit", { leadId: "lead_1" });

    const [notify] = e.take(run.id);
    expect(notify).toEqual(stepMessage(run, "notify"));
    if (!notify) return;
    await e.deliver([notify]);
    await e.deliver([notify]);
    expect(await received(partner)).toHaveLength(1);
    expect(await stepRow(run.id, "notify")).toMatchObject({ status: "succeeded", attempts: 1 });
    // The redelivery did not schedule the next step a second time.
    expect(e.pendingFor(run.id).map((p) => p.body.stepId)).toEqual(["announce"]);

    const [announce] = e.take(run.id);
    if (!announce) return;
    await e.deliver([announce]);
    await e.deliver([announce]);
    await e.deliver([notify]);
    const replied = e.publishedEvents().filter((ev) => ev.type === "lead.replied");
    expect(replied).toHaveLength(1);
    expect(replied[0]?.data).toMatchObject({ leadId: "lead_1", runId: run.id });
    expect(await stepRow(run.id, "announce")).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(e.publishedEvents().filter((ev) => ev.type === "workflow.run.completed")).toHaveLength(1);
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");
    expect(await received(partner)).toHaveLength(1);
  });

  it("runs a step once when two deliveries of its message race, in one batch or in two consumers", async () => {
    const h = await harness();
    const partner = partnerName("race");
    await configurePartner(partner, { mode: "ok" });
    await createWorkflow(h, "race", notifyThenEmit(partner));
    const e = new Engine();

    const first = await e.start(h.tenantId, "race", { leadId: "lead_2" });
    e.take(first.id);
    await e.deliver([stepMessage(first, "notify"), stepMessage(first, "notify")]);
    expect(await received(partner)).toHaveLength(1);
    expect(await stepRow(first.id, "notify")).toMatchObject({ status: "succeeded", attempts: 1 });

    const second = await e.start(h.tenantId, "race", { leadId: "lead_3" });
    e.take(second.id);
    await Promise.all([e.deliver([stepMessage(second, "notify")]), e.deliver([stepMessage(second, "notify")])]);
    expect(await received(partner)).toHaveLength(2);
    expect(await stepRow(second.id, "notify")).toMatchObject({ status: "succeeded", attempts: 1 });

    expect(e.take(second.id)).toEqual([stepMessage(second, "announce")]);
    await Promise.all([e.deliver([stepMessage(second, "announce")]), e.deliver([stepMessage(second, "announce")])]);
    await e.drain();
    const replied = e.publishedEvents().filter((ev) => ev.type === "lead.replied");
    expect(replied.map((ev) => ev.data.leadId).sort()).toEqual(["lead_2", "lead_3"]);
    expect(await stepRow(second.id, "announce")).toMatchObject({ status: "succeeded", attempts: 1 });
    for (const run of [first, second]) expect((await runRow(h.tenantId, run.id)).status).toBe("complete");
  });

  it("ignores a message for a run that has ended", async () => {
    const h = await harness();
    const partner = partnerName("ended");
    await configurePartner(partner, { mode: "ok" });
    await createWorkflow(h, "ended", notifyThenEmit(partner));
    const e = new Engine();
    const run = await e.start(h.tenantId, "ended", { leadId: "lead_4" });
    await e.drain();
    expect((await runRow(h.tenantId, run.id)).status).toBe("complete");
    const before = e.events.sent.length;
    await e.deliver([stepMessage(run, "notify"), stepMessage(run, "announce"), { ...stepMessage(run, "announce"), type: "wake" }]);
    expect(await received(partner)).toHaveLength(1);
    expect(e.events.sent).toHaveLength(before);
    expect(e.pendingFor(run.id)).toEqual([]);
  });
});
