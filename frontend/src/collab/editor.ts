// A section's CodeMirror editor: Markdown, bound to the document's DocSync,
// with the other people's cursors and selections in their colours.

import { EditorSelection, EditorState, StateEffect, StateField, type ChangeDesc, type Extension } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, keymap, type DecorationSet } from "@codemirror/view";
import { collab, getSyncedVersion, sendableUpdates } from "@codemirror/collab";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { markdown, markdownLanguage } from "@codemirror/lang-markdown";
import { livePreview } from "./format";
import type { Highlight } from "./reading";

/** Peer is someone else's cursor or selection, in this editor's positions. */
export interface Peer {
  peer: string;
  name: string;
  color: string;
  anchor: number;
  head: number;
}

/** setPeer adds or moves a peer's cursor; a peer with anchor < 0 leaves. */
export const setPeer = StateEffect.define<Peer>();

function mapPeer(p: Peer, changes: ChangeDesc): Peer {
  return { ...p, anchor: changes.mapPos(p.anchor), head: changes.mapPos(p.head) };
}

class CaretWidget extends WidgetType {
  constructor(private readonly p: Peer) {
    super();
  }
  eq(other: CaretWidget): boolean {
    return other.p.name === this.p.name && other.p.color === this.p.color;
  }
  toDOM(): HTMLElement {
    const caret = document.createElement("span");
    caret.className = "cm-peer-caret";
    caret.style.borderColor = this.p.color;
    caret.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.className = "cm-peer-name";
    label.style.background = this.p.color;
    label.textContent = this.p.name; // text, never markup
    caret.append(label);
    return caret;
  }
  ignoreEvent(): boolean {
    return true;
  }
}

/** peersField keeps the peers of one section, moved along with every change. */
export const peersField = StateField.define<Map<string, Peer>>({
  create: () => new Map(),
  update(peers, tr) {
    let next = peers;
    if (tr.docChanged) {
      next = new Map();
      for (const [k, p] of peers) next.set(k, mapPeer(p, tr.changes));
    }
    for (const e of tr.effects) {
      if (!e.is(setPeer)) continue;
      if (next === peers) next = new Map(peers);
      if (e.value.anchor < 0) next.delete(e.value.peer);
      else next.set(e.value.peer, e.value);
    }
    return next;
  },
  provide: (f) =>
    EditorView.decorations.compute([f], (state): DecorationSet => {
      const len = state.doc.length;
      const ranges = [];
      for (const p of state.field(f).values()) {
        const anchor = Math.min(p.anchor, len);
        const head = Math.min(p.head, len);
        if (anchor !== head) {
          ranges.push(
            Decoration.mark({
              class: "cm-peer-selection",
              attributes: { style: `background-color: ${p.color}33; border-bottom: 2px solid ${p.color}` },
            }).range(Math.min(anchor, head), Math.max(anchor, head)),
          );
        }
        ranges.push(Decoration.widget({ widget: new CaretWidget(p), side: 1 }).range(head));
      }
      return Decoration.set(ranges, true);
    }),
});

/** setHighlights replaces the commented ranges drawn in a section. */
export const setHighlights = StateEffect.define<Highlight[]>();

/** highlightsField keeps the commented ranges of a section, moved along
 * with every change, local or remote, so that they stay on their words
 * between two loads of the comments. A range whose words are all deleted
 * is dropped. */
export const highlightsField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    let next = set.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setHighlights)) continue;
      next = Decoration.set(
        e.value
          .filter((h) => h.to > h.from && h.to <= tr.state.doc.length)
          .map((h) => Decoration.mark({ class: "cm-commented", id: h.id, attributes: { "data-threads": h.id } }).range(h.from, h.to)),
        true,
      );
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** highlights lists the commented ranges where they are now. */
export function highlights(state: EditorState): Highlight[] {
  const out: Highlight[] = [];
  state.field(highlightsField, false)?.between(0, state.doc.length, (from, to, d) => {
    out.push({ id: String(d.spec.id), from, to });
  });
  return out;
}

/** toLocal turns positions at the server's version into this editor's,
 * which may carry unconfirmed changes on top; null when the version is not
 * the one the editor is synced to. */
export function toLocal(state: EditorState, version: number, positions: number[]): number[] | null {
  if (version !== getSyncedVersion(state)) return null;
  let out = positions;
  for (const u of sendableUpdates(state)) out = out.map((p) => u.changes.mapPos(p));
  return out.map((p) => Math.max(0, Math.min(p, state.doc.length)));
}

export interface SectionEditorOptions {
  text: string;
  version: number;
  clientID: string;
  label: string;
  readOnly: boolean;
  /** changed is told after every change to the text, local or remote. */
  changed(view: EditorView): void;
  /** selected is told when the local selection moves. */
  selected(view: EditorView): void;
  /** redraw is told when the text or its commented ranges changed. */
  redraw?(view: EditorView): void;
}

export function sectionExtensions(o: SectionEditorOptions): Extension[] {
  return [
    // The protocol counts \r as a character: CodeMirror must not treat
    // CRLF as one line break (see docs/protocol.md).
    EditorState.lineSeparator.of("\n"),
    collab({ startVersion: o.version, clientID: o.clientID }),
    markdown({ base: markdownLanguage }),
    livePreview,
    highlightsField,
    history(),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.lineWrapping,
    EditorState.readOnly.of(o.readOnly),
    EditorView.editable.of(!o.readOnly),
    EditorView.contentAttributes.of({ "aria-label": o.label, "aria-multiline": "true" }),
    peersField,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.changed(u.view);
      if (u.docChanged || u.transactions.some((tr) => tr.effects.some((e) => e.is(setHighlights)))) o.redraw?.(u.view);
      if (u.selectionSet || u.focusChanged) o.selected(u.view);
    }),
  ];
}

/** newSectionState makes a section's editor state from the server's text. */
export function newSectionState(o: SectionEditorOptions): EditorState {
  return EditorState.create({ doc: o.text, extensions: sectionExtensions(o) });
}

/** wrap surrounds the selection with before/after (bold, link), or inserts
 * them with the cursor between. */
export function wrap(view: EditorView, before: string, after: string): void {
  view.dispatch(
    view.state.changeByRange((r) => ({
      changes: [
        { from: r.from, insert: before },
        { from: r.to, insert: after },
      ],
      range: EditorSelection.range(r.from + before.length, r.to + before.length),
    })),
  );
  view.focus();
}

/** prefixLines puts prefix at the start of every selected line (heading,
 * list), or takes it away when every line has it already. */
export function prefixLines(view: EditorView, prefix: string): void {
  const { state } = view;
  const lines = new Set<number>();
  for (const r of state.selection.ranges) {
    for (let n = state.doc.lineAt(r.from).number; n <= state.doc.lineAt(r.to).number; n++) lines.add(n);
  }
  const all = [...lines].every((n) => state.doc.line(n).text.startsWith(prefix));
  const changes = [...lines].map((n) => {
    const line = state.doc.line(n);
    return all ? { from: line.from, to: line.from + prefix.length } : { from: line.from, insert: prefix };
  });
  view.dispatch({ changes });
  view.focus();
}
