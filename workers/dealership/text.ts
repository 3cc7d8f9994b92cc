/**
 * Text plumbing shared by the dealership signals: one tokenizer (English and Spanish,
 * accents folded, apostrophes dropped so "don't" reads "dont") and one phrase matcher
 * over lexicons of cues. Matching is a hash lookup per token, so a long customer e-mail
 * still scores in well under a millisecond.
 */

/** Marks the end of a clause (. ! ? ; , : or a line break): negation never reaches across it. */
export const BOUNDARY = "|";

export type Tokens = {
  words: string[];
  /** True where the word was written in capitals (3+ letters): emphasis, or shouting. */
  caps: boolean[];
};

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.!?;,:\n]+/gu;

/** Lower case with accents folded: "Está Pésimo" → "esta pesimo". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

/** Words and clause boundaries of `text`, folded, with their capitalisation noted. */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const caps: boolean[] = [];
  for (const m of text.normalize("NFD").replace(/\p{M}+/gu, "").matchAll(WORD)) {
    const raw = m[0];
    if (/^[.!?;,:\n]/.test(raw)) {
      if (words.length && words[words.length - 1] !== BOUNDARY) {
        words.push(BOUNDARY);
        caps.push(false);
      }
      continue;
    }
    words.push(raw.toLowerCase().replace(/['’]/g, ""));
    caps.push(raw.length >= 3 && /\p{Lu}/u.test(raw) && raw === raw.toUpperCase() && /\p{L}/u.test(raw));
  }
  return { words, caps };
}

/** One lexicon entry: a phrase of words; a word ending in `*` matches any word it starts. */
export type Cue<T> = { phrase: string; words: string[]; data: T };
export type Lexicon<T> = { exact: Map<string, Cue<T>[]>; stems: Cue<T>[] };
export type CueMatch<T> = { cue: Cue<T>; start: number; end: number };

/** Builds a lexicon from phrase → data pairs. Phrases are written folded (no accents). */
export function lexicon<T>(entries: Iterable<readonly [string, T]>): Lexicon<T> {
  const exact = new Map<string, Cue<T>[]>();
  const stems: Cue<T>[] = [];
  for (const [phrase, data] of entries) {
    const words = phrase.split(" ").filter(Boolean);
    const first = words[0] ?? "";
    const cue = { phrase, words, data };
    if (first.endsWith("*")) stems.push(cue);
    else exact.set(first, [...(exact.get(first) ?? []), cue]);
  }
  for (const list of exact.values()) list.sort((a, b) => b.words.length - a.words.length);
  stems.sort((a, b) => b.words.length - a.words.length);
  return { exact, stems };
}

function wordMatches(pattern: string, word: string): boolean {
  return pattern.endsWith("*") ? word.startsWith(pattern.slice(0, -1)) : pattern === word;
}

function matchesAt<T>(cue: Cue<T>, words: readonly string[], i: number): boolean {
  return cue.words.every((p, k) => {
    const w = words[i + k];
    return w !== undefined && w !== BOUNDARY && wordMatches(p, w);
  });
}

/** Cues found in `words`, left to right; at each position the longest phrase wins and matches never overlap. */
export function findCues<T>(words: readonly string[], lex: Lexicon<T>): CueMatch<T>[] {
  const found: CueMatch<T>[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? "";
    let best: Cue<T> | undefined;
    for (const cue of lex.exact.get(word) ?? []) {
      if (matchesAt(cue, words, i)) {
        best = cue;
        break;
      }
    }
    for (const cue of lex.stems) {
      if ((!best || cue.words.length > best.words.length) && matchesAt(cue, words, i)) best = cue;
    }
    if (best) {
      found.push({ cue: best, start: i, end: i + best.words.length });
      i += best.words.length;
    } else i++;
  }
  return found;
}

const NEGATORS = new Set([
  "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "cant", "cannot", "couldnt",
  "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "neither", "nor", "hardly", "barely", "without", "nothing", "nobody",
  "nunca", "ni", "tampoco", "jamas", "sin", "nada", "nadie",
]);

/** The negating word within `window` words before `start` in the same clause, skipping words that belong to other cues. */
export function negatorBefore(words: readonly string[], start: number, taken: ReadonlySet<number>, window = 3): string | null {
  for (let k = start - 1; k >= 0 && k >= start - window; k--) {
    const w = words[k] ?? BOUNDARY;
    if (w === BOUNDARY) return null;
    if (!taken.has(k) && NEGATORS.has(w)) return w;
  }
  return null;
}

/** Positions covered by matches, so a word inside "no pressure" is not also read as a negator. */
export function coveredBy(matches: readonly CueMatch<unknown>[]): Set<number> {
  const taken = new Set<number>();
  for (const m of matches) for (let k = m.start; k < m.end; k++) taken.add(k);
  return taken;
}
