/**
 * Words and phrases that carry feeling in dealership conversations, weighted -4..+4
 * (the scale VADER uses). Phrases beat their words: "ripped off" is one cue, and "no
 * pressure" is praise, not a negated "pressure". Spanish entries are written without
 * accents because text is folded before matching.
 */
import { lexicon } from "./text";

export type Feeling = { weight: number; anger?: true };

const POSITIVE: Record<string, number> = {
  great: 3, good: 2, excellent: 3, amazing: 3, awesome: 3, fantastic: 3, wonderful: 3, outstanding: 3, perfect: 3, superb: 3,
  love: 3, loved: 3, loving: 3, lovely: 2.5, happy: 2.5, pleased: 2, satisfied: 2, glad: 2, excited: 2, impressed: 2.5, nice: 1.5,
  helpful: 2, friendly: 2, professional: 2, knowledgeable: 2, courteous: 2, patient: 1.5, honest: 2, transparent: 1.5, fair: 1.5,
  smooth: 2, easy: 1.5, quick: 1, fast: 1, efficient: 1.5, clean: 1, beautiful: 2, best: 2, recommend: 2, recommended: 2,
  thanks: 1.5, thank: 1.5, thx: 1.5, appreciate: 2, appreciated: 2, resolved: 1.5, fixed: 1, "worked out": 1.5,
  "thank you": 2, "highly recommend": 3, "would recommend": 2.5, "above and beyond": 3, "went above and beyond": 3.5,
  "great service": 3.5, "great experience": 3.5, "great deal": 3, "good deal": 2, "fair price": 2, "good price": 2,
  "five stars": 3, "5 stars": 3, "5 star": 3, "no pressure": 2, "no hassle": 2, "hassle free": 2, "on time": 1,
  "no problem": 1, "no problems": 1.5, "no issues": 1.5, "no complaints": 2, "cant complain": 1.5, "cant wait": 2,
  "cannot wait": 2, "couldnt be happier": 3.5, "could not be happier": 3.5, "cant thank you enough": 3.5, "cant say enough": 2.5,
  "not a problem": 1, "love it": 3, "love my": 3,
  // Spanish
  gracias: 2, excelente: 3, bueno: 1.5, buena: 1.5, buen: 1.5, bien: 1.5, feliz: 2.5, contento: 2, contenta: 2, encantado: 2.5,
  encantada: 2.5, encanto: 2.5, amable: 2, amables: 2, recomiendo: 2, perfecto: 3, genial: 3, satisfecho: 2, satisfecha: 2,
  rapido: 1, "buen servicio": 3.5, "excelente servicio": 3.5, "muchas gracias": 2.5,
};

const NEGATIVE: Record<string, number> = {
  bad: -2.5, terrible: -3, horrible: -3, awful: -3, worst: -3.5, worse: -2.5, poor: -2, disappointed: -2.5, disappointing: -2.5,
  unhappy: -2.5, upset: -2.5, frustrated: -2.5, frustrating: -2.5, annoyed: -2, annoying: -2, rude: -3, unprofessional: -3,
  dishonest: -3, liar: -3, liars: -3, lied: -3, lying: -3, scam: -3.5, scammed: -3.5, scammers: -3.5, ripoff: -3.5, lemon: -3,
  pushy: -2, runaround: -2.5, broken: -1.5, problem: -1, problems: -1, issue: -1, issues: -1, wrong: -1.5, delayed: -1.5,
  delay: -1.5, delays: -1.5, late: -1, slow: -1.5, overcharged: -3, overpriced: -2, expensive: -1, ignored: -2.5, ignoring: -2.5,
  ghosted: -2.5, nightmare: -3, regret: -2.5, mistake: -1.5, sad: -2, hate: -3, useless: -3, incompetent: -3, sucks: -3,
  "ripped off": -3.5, "rip off": -3.5, "bait and switch": -3.5, "hidden fees": -2.5, "junk fees": -2.5, "high pressure": -2,
  "run around": -2.5, "still waiting": -2.5, "still havent heard": -2.5, "still broken": -2.5, "still not fixed": -3,
  "no one called": -2.5, "nobody called": -2.5, "never called": -2.5, "never called back": -3, "no call back": -2.5,
  "no response": -2, "no one answers": -2.5, "waste of time": -3, "never again": -3, "never coming back": -3, "one star": -3,
  "1 star": -3, "broke down": -2, "would not recommend": -3, "do not recommend": -3, "dont recommend": -3, "wouldnt recommend": -3,
  "never received": -2,
  // Spanish
  malo: -2.5, mala: -2.5, mal: -2, pesimo: -3.5, pesima: -3.5, molesto: -2.5, molesta: -2.5, estafa: -3.5, estafaron: -3.5,
  decepcionado: -2.5, decepcionada: -2.5, grosero: -3, groseros: -3, grosera: -3, problema: -1, descompuesto: -1.5, queja: -2,
  "nunca mas": -3, "sigo esperando": -2.5, "todavia espero": -2.5, "todavia estoy esperando": -2.5, "mal servicio": -3.5,
  "nadie me llamo": -2.5, "perdida de tiempo": -3,
};

// Phrases whose words would mislead: "what's your best price" is a question, not praise.
const NEUTRAL: Record<string, number> = {
  "best price": 0, "best time": 0, "good time": 0, "good morning": 0, "good afternoon": 0, "good evening": 0, "clean title": 0,
  "clean carfax": 0, "buenos dias": 0, "buenas tardes": 0, "buenas noches": 0, "how fast": 0, "check engine": 0, "fix it": 0,
};

// Anger and profanity: negative, and a sign that a person should step in.
const ANGER: Record<string, number> = {
  ridiculous: -3, unacceptable: -3, furious: -3.5, livid: -3.5, angry: -3, pissed: -3, outraged: -3.5, disgusted: -3,
  disgusting: -3, wtf: -3.5, damn: -2, crap: -2.5, bullshit: -3.5, bs: -2.5, shit: -3, shitty: -3.5, "fuck*": -4, fck: -4,
  "pissed off": -3.5, "fed up": -3, "screw you": -3.5, "what the hell": -3, enojado: -3, enojada: -3, furioso: -3.5,
  furiosa: -3.5, "que verguenza": -3,
};

export const FEELINGS = lexicon<Feeling>([
  ...Object.entries(POSITIVE).map(([p, weight]) => [p, { weight }] as const),
  ...Object.entries(NEGATIVE).map(([p, weight]) => [p, { weight }] as const),
  ...Object.entries(NEUTRAL).map(([p, weight]) => [p, { weight }] as const),
  ...Object.entries(ANGER).map(([p, weight]) => [p, { weight, anger: true as const }] as const),
]);

/** Words that strengthen (factor > 1) or soften (< 1) the cue right after them. */
export const DEGREE: Record<string, number> = {
  very: 1.3, really: 1.3, so: 1.3, extremely: 1.4, super: 1.3, absolutely: 1.4, totally: 1.3, incredibly: 1.4, truly: 1.3,
  completely: 1.3, most: 1.3, muy: 1.3, tan: 1.3, sumamente: 1.4, bastante: 1.2, slightly: 0.6, somewhat: 0.6, bit: 0.6,
  little: 0.6, kinda: 0.6, algo: 0.6, poco: 0.6,
};

/** Words after which a clause counts for more than what came before ("nice staff, but I got ripped off"). */
export const CONTRAST = new Set(["but", "however", "pero", "embargo"]);

/** Emoji and emoticons, read from the raw text. */
export const EMOJI: [RegExp, number, string][] = [
  [/[😀😃😄😁😊🙂😍🥰👍🎉🙏]|❤️?|:-?\)|:-?D\b/gu, 2, "positive emoji"],
  [/[😞😢😭👎😒🙁☹]|:-?\(/gu, -2, "negative emoji"],
  [/[😡😠🤬😤]/gu, -3, "angry emoji"],
];

/** Profanity written with asterisks ("f***", "s**t"), read from the raw text. */
export const MASKED_PROFANITY = /\b[a-z]\*{2,}[a-z]*|\b[a-z]\*+[a-z]\b/gi;
