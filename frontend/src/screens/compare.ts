// The comparison's logic, apart from its screen so it can be tested.

import type { Baseline } from "../api";

/** sectionOrder lists the sections the baselines can be compared on, by
 * template key, in the order the first baseline has them, then any others
 * in the order they appear. Sections of no template (key "") cannot be
 * compared across countries and are left out. */
export function sectionOrder(baselines: Baseline[]): { key: string; title: string }[] {
  const out: { key: string; title: string }[] = [];
  for (const b of baselines) {
    for (const s of b.sections) {
      if (s.key && !out.some((x) => x.key === s.key)) out.push(s);
    }
  }
  return out;
}

/** step is the key delta places from key in order, or "" past either end. */
export function step(order: { key: string }[], key: string, delta: number): string {
  const i = order.findIndex((s) => s.key === key);
  return i < 0 ? "" : (order[i + delta]?.key ?? "");
}

/** maxCompared is the server's limit on baselines side by side. */
export const maxCompared = 12;

/** heat is a cell's background in the theme matrix: white for none, the
 * accent's light tint growing to a stronger one with the count (the number
 * is always written in the cell as well). */
export function heat(n: number, most: number): string {
  if (n <= 0) return "transparent";
  const share = Math.min(1, n / Math.max(1, most));
  // Light enough that dark text stays readable at every step.
  return `hsl(212 70% ${Math.round(92 - share * 22)}%)`;
}
