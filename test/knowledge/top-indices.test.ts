import { describe, expect, it } from "vitest";
import { topIndices } from "../../workers/knowledge/vector";

describe("topIndices", () => {
  it("answers the indexes of the k best scores, best first, whatever their order", () => {
    const scores = Float32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const top = topIndices(scores, 5);
    expect(top.map((i) => scores[i])).toEqual([...scores].sort((a, b) => b - a).slice(0, 5));
  });

  it("keeps only scores above the floor, and copes with fewer candidates than k", () => {
    expect(topIndices([0, 3, 0, 1, 0], 10, 0)).toEqual([1, 3]);
    expect(topIndices([], 3)).toEqual([]);
    expect(topIndices([1, 2], 0)).toEqual([]);
  });
});
