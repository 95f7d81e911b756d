// Seeded randomness shared by the headless clients and the vector
// generator, so every run can be replayed from its seed.

/** rng returns a function giving floats in [0, 1) from a 32-bit seed (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces people type: plain letters, emoji (surrogate pairs, ZWJ
// sequences), combining marks, CRLF and LF line breaks.
const pieces = ["a", "b", "xyz", " ", "é", "e\u0301", "👍", "👨‍👩‍👧", "\r\n", "\n", "ñ", "漢字", "🇳🇴", "\t"];

export function randomText(rand, maxPieces) {
  let s = "";
  const n = Math.floor(rand() * (maxPieces + 1));
  for (let i = 0; i < n; i++) s += pieces[Math.floor(rand() * pieces.length)];
  return s;
}

/** boundaries returns the positions of text that do not split a surrogate pair. */
export function boundaries(text) {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) continue; // inside a pair
    out.push(i + 1);
  }
  return out;
}

/** randomChanges returns change specs for text: sorted, non-overlapping, at safe boundaries. */
export function randomChanges(rand, text, maxChanges = 3) {
  const bounds = boundaries(text);
  const n = 1 + Math.floor(rand() * maxChanges);
  const picks = [];
  for (let i = 0; i < 2 * n; i++) picks.push(bounds[Math.floor(rand() * bounds.length)]);
  picks.sort((x, y) => x - y);
  const specs = [];
  for (let i = 0; i < picks.length; i += 2) {
    const from = picks[i];
    const to = rand() < 0.5 ? from : picks[i + 1];
    const insert = rand() < 0.3 && to > from ? "" : randomText(rand, 3);
    if (to > from || insert) specs.push({ from, to, insert });
  }
  return specs;
}
