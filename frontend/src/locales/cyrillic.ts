// Serbian is written in Latin and in Cyrillic letters, one to one: the
// Cyrillic dictionary is the Latin one, transliterated. Placeholders,
// names of formats and of the product, addresses and codes stay as they
// are.

import type { Dictionary } from "./en";

const digraphs: Record<string, string> = { lj: "љ", Lj: "Љ", LJ: "Љ", nj: "њ", Nj: "Њ", NJ: "Њ", dž: "џ", Dž: "Џ", DŽ: "Џ" };
const letters: Record<string, string> = {
  a: "а", b: "б", c: "ц", č: "ч", ć: "ћ", d: "д", đ: "ђ", e: "е", f: "ф", g: "г", h: "х", i: "и", j: "ј", k: "к", l: "л", m: "м",
  n: "н", o: "о", p: "п", r: "р", s: "с", š: "ш", t: "т", u: "у", v: "в", z: "з", ž: "ж",
  A: "А", B: "Б", C: "Ц", Č: "Ч", Ć: "Ћ", D: "Д", Đ: "Ђ", E: "Е", F: "Ф", G: "Г", H: "Х", I: "И", J: "Ј", K: "К", L: "Л", M: "М",
  N: "Н", O: "О", P: "П", R: "Р", S: "С", Š: "Ш", T: "Т", U: "У", V: "В", Z: "З", Ž: "Ж",
};

/** kept are the parts of a message that are not Serbian words. */
const kept = /(\{\w+\}|LinkLab|Markdown|PDF|HTML|CSV|QR|K7M2QX|https?:\/\/\S+|[\w.-]+@[\w.-]+|\b[A-Z]{2}\b|norway-families|\bnb en\b)/;

/** toCyrillic transliterates Serbian Latin text. */
export function toCyrillic(text: string): string {
  return text
    .split(kept)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[LlNn][Jj]|[Dd][žŽ]|./gu, (c) => digraphs[c] ?? letters[c] ?? c)))
    .join("");
}

/** cyrillic is a Serbian dictionary in Cyrillic letters. */
export function cyrillic(latin: Dictionary): Dictionary {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(latin)) if (v !== undefined) out[k] = toCyrillic(v);
  return out as Dictionary;
}
