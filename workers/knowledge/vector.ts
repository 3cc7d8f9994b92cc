/**
 * Vectors as the embeddings API returns them with encoding_format "base64" (little-endian
 * float32) and the arithmetic search needs.
 */

/** Decodes base64 little-endian float32 into a vector. */
export function decodeVector(base64: string): Float32Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length - (bin.length % 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Encodes a vector as base64 little-endian float32. */
export function encodeVector(v: Float32Array): string {
  const view = new DataView(new ArrayBuffer(v.length * 4));
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i] ?? 0, true);
  const bytes = new Uint8Array(view.buffer);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** `v` scaled to length 1, so a dot product is the cosine (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] ?? 0) ** 2;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return v.map((x) => x * scale);
}

/** The `k` best-scoring items, best first, without sorting every item. */
export function topK<T>(items: Iterable<{ item: T; score: number }>, k: number): { item: T; score: number }[] {
  const best: { item: T; score: number }[] = [];
  for (const entry of items) {
    if (best.length === k && entry.score <= (best[k - 1]?.score ?? -Infinity)) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1]?.score ?? -Infinity) < entry.score) at--;
    best.splice(at, 0, entry);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * The indexes of the `k` highest scores above `above`, best first, without an object per
 * entry: candidates are kept in a small list that is trimmed back to k whenever it grows.
 */
export function topIndices(scores: ArrayLike<number>, k: number, above = -Infinity): number[] {
  if (k <= 0) return [];
  let floor = above;
  let kept: number[] = [];
  const trim = () => {
    kept.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    if (kept.length > k) kept = kept.slice(0, k);
    if (kept.length === k) floor = scores[kept[k - 1] ?? 0] ?? floor;
  };
  for (let i = 0; i < scores.length; i++) {
    if ((scores[i] ?? -Infinity) <= floor) continue;
    kept.push(i);
    if (kept.length >= k * 4) trim();
  }
  trim();
  return kept;
}
