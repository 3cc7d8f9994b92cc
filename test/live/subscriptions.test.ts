import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { prepareLiveMessage } from "../../workers/live/messages";
import { applyClientFrame, matches, MAX_TOPICS } from "../../workers/live/subscriptions";

const frame = (value: unknown) => JSON.stringify(value);

describe("applyClientFrame", () => {
  it("adds topics once and removes them again", () => {
    const added = applyClientFrame(["*"], frame({ type: "subscribe", topics: ["runs", "run:run_1", "runs"] }));
    expect(added).toEqual({ topics: ["*", "runs", "run:run_1"], reply: { type: "subscribed", topics: ["*", "runs", "run:run_1"] } });
    const removed = applyClientFrame(added.topics, frame({ type: "unsubscribe", topics: ["*", "run:run_1", "usage"] }));
    expect(removed.topics).toEqual(["runs"]);
  });

  it("refuses to grow past the topic limit and keeps what the socket had", () => {
    const many = Array.from({ length: MAX_TOPICS }, (_, i) => `run:run_${i}`);
    const full = applyClientFrame([], frame({ type: "subscribe", topics: many }));
    expect(full.topics).toHaveLength(MAX_TOPICS);
    const over = applyClientFrame(full.topics, frame({ type: "subscribe", topics: ["usage"] }));
    expect(over.topics).toEqual(full.topics);
    expect(over.reply).toMatchObject({ type: "error", message: expect.stringMatching(/at most 20 topics/) });
  });

  it("names what is wrong with a bad frame", () => {
    expect(applyClientFrame(["*"], frame({ type: "subscribe", topics: ["billing"] })).reply).toMatchObject({
      type: "error",
      message: expect.stringMatching(/topics\.0.*"run:<runId>"/),
    });
    expect(applyClientFrame(["*"], "{").reply).toEqual({ type: "error", message: "The frame is not valid JSON" });
  });
});

describe("message routing", () => {
  it("routes run messages to 'runs' and to their run, others to their group", () => {
    const step = prepareLiveMessage({ type: "step.updated", at: 5, data: { runId: "run_9", stepId: "s", iteration: 1, status: "succeeded", attempts: 1 } });
    expect(step.topics).toEqual(["runs", "run:run_9"]);
    expect(JSON.parse(step.frame)).toEqual({ type: "step.updated", at: 5, data: { runId: "run_9", stepId: "s", iteration: 1, status: "succeeded", attempts: 1 } });
    const usage = prepareLiveMessage({ type: "usage.recorded", at: 5, data: { model: "m", provider: "p", calls: 1, costNanoUsd: 0, tokens: 0 } });
    expect(usage.topics).toEqual(["usage"]);
    expect(matches(["run:run_9"], step.topics)).toBe(true);
    expect(matches(["run:run_8", "training"], step.topics)).toBe(false);
    expect(matches(["*"], usage.topics)).toBe(true);
  });

  it("refuses a message whose data does not fit its type", () => {
    expect(() => prepareLiveMessage({ type: "training.updated", at: 1, data: { jobId: "ftj_1", status: "running", progress: 40 } })).toThrow(ZodError);
    expect(() => prepareLiveMessage({ type: "run.updated", at: -1, data: {} })).toThrow(ZodError);
  });
});
