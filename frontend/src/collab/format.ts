// Writing without Markdown: the editor shows headings, bold, emphasis,
// lists and links formatted in place, and hides their marks except where
// the cursor is (there they are shown faded, so they can be edited). The
// text stays Markdown: this changes what is drawn, never what is stored.

import { type EditorState, type Range } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { syntaxTree } from "@codemirror/language";

class Bullet extends WidgetType {
  eq(): boolean {
    return true;
  }
  toDOM(): HTMLElement {
    const b = document.createElement("span");
    b.className = "cm-fmt-bullet";
    b.textContent = "•";
    b.setAttribute("aria-hidden", "true");
    return b;
  }
}

const hidden = Decoration.replace({});
const faded = Decoration.mark({ class: "cm-fmt-mark" });
const bullet = Decoration.replace({ widget: new Bullet() });
const styles: Record<string, Decoration> = {
  StrongEmphasis: Decoration.mark({ class: "cm-fmt-strong" }),
  Emphasis: Decoration.mark({ class: "cm-fmt-em" }),
  Strikethrough: Decoration.mark({ class: "cm-fmt-strike" }),
  InlineCode: Decoration.mark({ class: "cm-fmt-code" }),
  Link: Decoration.mark({ class: "cm-fmt-link" }),
  URL: Decoration.mark({ class: "cm-fmt-url" }),
};
const lines: Record<string, Decoration> = {
  Blockquote: Decoration.line({ class: "cm-fmt-quote" }),
  FencedCode: Decoration.line({ class: "cm-fmt-codeblock" }),
};

/** formatted computes the decorations of the visible text. Marks are
 * shown (faded) on the lines the selection touches while the editor has
 * the focus, and hidden everywhere else. */
export function formatted(state: EditorState, visible: readonly { from: number; to: number }[], focused: boolean): DecorationSet {
  const touched = (from: number, to: number) =>
    focused &&
    state.selection.ranges.some((r) => r.from <= state.doc.lineAt(to).to && r.to >= state.doc.lineAt(from).from);
  const out: Range<Decoration>[] = [];
  const tree = syntaxTree(state);
  for (const { from, to } of visible) {
    tree.iterate({
      from,
      to,
      enter(n) {
        const name = n.name;
        const heading = /^(ATX|Setext)Heading([1-6])$/.exec(name);
        if (heading) {
          for (let l = state.doc.lineAt(n.from).number; l <= state.doc.lineAt(n.to).number; l++) {
            out.push(Decoration.line({ class: `cm-fmt-h cm-fmt-h${heading[2]}` }).range(state.doc.line(l).from));
          }
          return;
        }
        if (lines[name]) {
          for (let l = state.doc.lineAt(n.from).number; l <= state.doc.lineAt(n.to).number; l++) {
            out.push(lines[name].range(state.doc.line(l).from));
          }
        }
        if (styles[name] && n.to > n.from) out.push(styles[name].range(n.from, n.to));
        // Only marks need to know whether the cursor is near: most nodes
        // are text, and this runs for every keystroke.
        switch (name) {
          case "HeaderMark": {
            // The mark and the space after it.
            const end = state.sliceDoc(n.to, n.to + 1) === " " ? n.to + 1 : n.to;
            if (end > n.from) out.push((touched(n.from, n.to) ? faded : hidden).range(n.from, end));
            return;
          }
          case "EmphasisMark":
          case "CodeMark":
          case "StrikethroughMark":
          case "QuoteMark": {
            const parent = n.node.parent;
            const around = touched(parent ? parent.from : n.from, parent ? parent.to : n.to);
            const end = name === "QuoteMark" && state.sliceDoc(n.to, n.to + 1) === " " ? n.to + 1 : n.to;
            if (end > n.from) out.push((around ? faded : hidden).range(n.from, end));
            return;
          }
          case "LinkMark":
          case "URL":
          case "LinkTitle": {
            const parent = n.node.parent;
            if (parent?.name !== "Link") return;
            if (n.to > n.from) out.push((touched(parent.from, parent.to) ? faded : hidden).range(n.from, n.to));
            return;
          }
          case "ListMark": {
            const text = state.sliceDoc(n.from, n.to);
            if (!touched(n.from, n.to) && /^[-*+]$/.test(text)) out.push(bullet.range(n.from, n.to));
            else out.push(faded.range(n.from, n.to));
            return;
          }
        }
      },
    });
  }
  return Decoration.set(out, true);
}

/** livePreview is the editor extension that draws the text formatted. */
export const livePreview = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = formatted(view.state, view.visibleRanges, view.hasFocus);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged || u.selectionSet || u.focusChanged || syntaxTree(u.startState) !== syntaxTree(u.state)) {
        this.decorations = formatted(u.state, u.view.visibleRanges, u.view.hasFocus);
      }
    }
  },
  { decorations: (p) => p.decorations },
);

/** hiddenRanges lists what a set of decorations hides, for tests. */
export function hiddenRanges(set: DecorationSet): [number, number][] {
  const out: [number, number][] = [];
  set.between(0, Number.MAX_SAFE_INTEGER, (from, to, d) => {
    if (d === hidden) out.push([from, to]);
  });
  return out;
}
