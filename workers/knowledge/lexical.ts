/**
 * The lexical half of hybrid search: BM25 over chunk titles and texts. Embeddings catch
 * paraphrase; words catch what embeddings blur (a stock number, "CR-V", "red"). Tokens are
 * lower-cased, lightly stemmed ("rotating", "rotate", "rotation" meet) and hyphenated
 * model names also count joined ("CR-V" is also "crv").
 */

import { topIndices, topK } from "./vector";

const K1 = 1.2;
const B = 0.75;

const STOPWORDS = new Set(
  ("a an and are as at be by can do does for from has have how i if in is it its me my of on or our should so " +
    "that the their there this to was we what when where which who will with you your").split(" "),
);

function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) w = w.slice(0, -1);
  for (const [suffix, replacement] of [["ation", "at"], ["ing", ""], ["ed", ""]] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}

/** The index terms of `text`. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  for (const word of lower.match(/[a-z0-9]+/g) ?? []) {
    if (!STOPWORDS.has(word)) out.push(stem(word));
  }
  for (const compound of lower.match(/[a-z0-9]+(?:-[a-z0-9]+)+/g) ?? []) out.push(compound.replace(/-/g, ""));
  return out;
}

/** BM25 statistics of a set of chunks, built once per knowledge-base version. */
export type LexicalIndex = {
  ids: string[];
  postings: Map<string, { doc: number; tf: number }[]>;
  lengths: Uint32Array;
  avgLength: number;
};

export function buildLexicalIndex(chunks: { id: string; text: string }[]): LexicalIndex {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths = new Uint32Array(chunks.length);
  let total = 0;
  chunks.forEach((chunk, doc) => {
    const counts = new Map<string, number>();
    const tokens = tokenize(chunk.text);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = postings.get(term);
      if (list) list.push({ doc, tf });
      else postings.set(term, [{ doc, tf }]);
    }
    lengths[doc] = tokens.length;
    total += tokens.length;
  });
  return { ids: chunks.map((c) => c.id), postings, lengths, avgLength: chunks.length ? total / chunks.length : 0 };
}

/**
 * BM25 scores of the chunks that share a term with the query, best first, at most `limit`.
 * Document frequencies are summed over every index searched, so a term's rarity is judged
 * across all the bases at once rather than within each (a one-chunk base would otherwise
 * make every one of its terms look common).
 */
export function lexicalSearch(indexes: LexicalIndex[], query: string, limit: number): { chunkId: string; score: number }[] {
  const n = indexes.reduce((sum, index) => sum + index.ids.length, 0);
  // One score array per index: a term found in every row ("stock") costs array writes, not map entries.
  const scores = indexes.map((index) => new Float64Array(index.ids.length));
  for (const term of new Set(tokenize(query))) {
    const df = indexes.reduce((sum, index) => sum + (index.postings.get(term)?.length ?? 0), 0);
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    indexes.forEach((index, i) => {
      const into = scores[i];
      if (!into) return;
      for (const { doc, tf } of index.postings.get(term) ?? []) {
        const norm = tf + K1 * (1 - B + (B * (index.lengths[doc] ?? 0)) / (index.avgLength || 1));
        into[doc] = (into[doc] ?? 0) + (idf * tf * (K1 + 1)) / norm;
      }
    });
  }
  const hits = indexes.flatMap((index, i) => {
    const into = scores[i] ?? new Float64Array(0);
    return topIndices(into, limit, 0).map((doc) => ({ item: index.ids[doc] ?? "", score: into[doc] ?? 0 }));
  });
  return topK(hits, limit).map((h) => ({ chunkId: h.item, score: h.score }));
}
