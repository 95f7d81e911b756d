// Reading draws a section's formatted text (see markdown.ts) into the page
// and maps between the page and the stored text: a selection made in the
// formatted text is a range of the stored text, and commented ranges are
// marked where they are.

import { format, isPiece, type Element, type Piece } from "./markdown";

/** Highlight is a commented range of the stored text. */
export interface Highlight {
  id: string;
  from: number;
  to: number;
}

export class Reading {
  /** starts is the stored offset of every text node drawn. */
  private starts = new WeakMap<Text, number>();

  constructor(readonly root: HTMLElement) {}

  render(text: string, highlights: Highlight[]): void {
    this.starts = new WeakMap();
    const tree = format(text);
    const out = document.createDocumentFragment();
    for (const c of tree.children) out.append(this.node(c, highlights));
    this.root.replaceChildren(out);
  }

  private node(n: Element | Piece, highlights: Highlight[]): Node {
    if (isPiece(n)) return this.piece(n, highlights);
    const el = document.createElement(n.tag);
    if (n.tag === "a" && n.href) {
      el.setAttribute("href", n.href);
      el.setAttribute("rel", "nofollow noopener");
      el.setAttribute("target", "_blank");
    }
    if (n.checked !== undefined) {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = n.checked;
      box.disabled = true;
      el.append(box, " ");
    }
    for (const c of n.children) el.append(this.node(c, highlights));
    return el;
  }

  /** piece draws a run of text, cut where commented ranges start and end. */
  private piece(p: Piece, highlights: Highlight[]): Node {
    const end = p.from + p.text.length;
    const cuts = new Set<number>([p.from, end]);
    for (const h of highlights) {
      if (h.from > p.from && h.from < end) cuts.add(h.from);
      if (h.to > p.from && h.to < end) cuts.add(h.to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const t = document.createTextNode(p.text.slice(a - p.from, b - p.from));
      this.starts.set(t, a);
      const on = highlights.filter((h) => h.from <= a && h.to >= b && h.to > h.from);
      if (on.length === 0) {
        out.append(t);
        continue;
      }
      const mark = document.createElement("mark");
      mark.className = "commented";
      mark.dataset.threads = on.map((h) => h.id).join(" ");
      mark.append(t);
      out.append(mark);
    }
    return out;
  }

  /** offsetOf is the stored offset of a point in the drawn text, or null
   * when the point is not in it. */
  offsetOf(node: Node, offset: number): number | null {
    if (!this.root.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const start = this.starts.get(node as Text);
      if (start !== undefined) return start + offset;
    }
    // A point between nodes: the start of the next text, or the end of
    // the last one before it.
    const point = document.createRange();
    point.setStart(node, offset);
    const walker = document.createTreeWalker(this.root, NodeFilter.SHOW_TEXT);
    let before: Text | null = null;
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
      const start = this.starts.get(t);
      if (start === undefined) continue;
      if (point.comparePoint(t, 0) >= 0) return start;
      before = t;
    }
    return before ? (this.starts.get(before) ?? 0) + before.data.length : null;
  }

  /** selected is the stored range of the page's selection when it lies in
   * this section's text and is not empty. */
  selected(sel: Selection | null): [number, number] | null {
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    const a = this.offsetOf(r.startContainer, r.startOffset);
    const b = this.offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null || a === b) return null;
    return [Math.min(a, b), Math.max(a, b)];
  }
}
