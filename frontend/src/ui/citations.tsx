// Citing baseline passages in syntheses: from a baseline, a partner cites
// the words selected in a section; in a synthesis, each citation shows the
// words as cited and, to those who may read the source, whether they
// changed since (with the difference) or are gone.

import { getSyncedVersion, sendableUpdates } from "@codemirror/collab";
import type { Reading } from "../collab/reading";
import type { EditorView } from "@codemirror/view";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Citation, DocumentDetail, DocumentSummary } from "../api";
import { messageOf, type App } from "../app";
import { t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "./forms";
import { Link } from "./link";
import { DiffOps } from "./versions";

/** Selected is words selected in a section's editor. */
interface Selected {
  section: string;
  from: number;
  to: number;
  version: number;
}

/** selectedWords reads the page's selection, when it lies in one
 * section: in a writer's editor, or in a reader's formatted text. */
export function selectedWords(views: Map<string, EditorView>, readings: Map<string, Reading>): Selected | null {
  const sel = document.getSelection();
  if (!sel || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return null;
  const holder = (n: Node) => (n instanceof Element ? n : n.parentElement)?.closest<HTMLElement>("[data-section]");
  const a = holder(sel.anchorNode);
  if (!a || a !== holder(sel.focusNode)) return null;
  const section = a.dataset.section ?? "";
  const view = views.get(section);
  if (!view) return null;
  const reading = readings.get(section);
  let range: [number, number] | null;
  if (reading?.root === a) range = reading.selected(sel);
  else {
    const p = view.posAtDOM(sel.anchorNode, sel.anchorOffset);
    const q = view.posAtDOM(sel.focusNode, sel.focusOffset);
    range = [Math.min(p, q), Math.max(p, q)];
  }
  if (!range || range[0] === range[1]) return null;
  return { section, from: range[0], to: range[1], version: getSyncedVersion(view.state) };
}

/** CiteForm cites the words selected in a baseline in a synthesis. */
export function CiteForm({ app, doc, views, readings }: { app: App; doc: DocumentDetail; views: Map<string, EditorView>; readings: Map<string, Reading> }) {
  const [syntheses, setSyntheses] = useState<DocumentSummary[]>([]);
  const [target, setTarget] = useState("");
  const [error, setError] = useState("");
  // The last words selected in an editor: choosing the synthesis or
  // pressing the button must not lose them.
  const last = useRef<Selected | null>(null);
  useEffect(() => {
    const keep = () => {
      const s = selectedWords(views, readings);
      if (s) last.current = s;
    };
    document.addEventListener("selectionchange", keep);
    return () => document.removeEventListener("selectionchange", keep);
  }, [views, readings]);
  useEffect(() => {
    app.api.syntheses().then((p) => {
      setSyntheses(p.items);
      setTarget((x) => x || (p.items[0]?.id ?? ""));
    }, () => setSyntheses([]));
  }, [doc.id]);
  if (syntheses.length === 0) return null;
  async function cite(ev: Event) {
    ev.preventDefault();
    setError("");
    const sel = selectedWords(views, readings) ?? last.current;
    if (!sel) {
      setError(t("citations.pickWords"));
      return;
    }
    const view = views.get(sel.section);
    if (view && sendableUpdates(view.state).length > 0) {
      setError(t("comments.waitSaved"));
      return;
    }
    try {
      await app.api.cite(target, { sourceId: doc.id, sectionId: sel.section, from: sel.from, to: sel.to, version: sel.version });
      announce(t("citations.cited", { title: syntheses.find((s) => s.id === target)?.title ?? "" }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <form class="card inline" onSubmit={cite} aria-labelledby="cite-title">
      <h2 id="cite-title">{t("citations.citeTitle")}</h2>
      <ErrorBox message={error} />
      <label for="cite-target">{t("citations.in")}</label>
      <select id="cite-target" value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
        {syntheses.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
      <button type="submit">{t("citations.cite")}</button>
    </form>
  );
}

/** CitationsPanel lists a synthesis's citations. */
export function CitationsPanel({ app, doc, writable }: { app: App; doc: DocumentDetail; writable: boolean }) {
  const [items, setItems] = useState<Citation[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.citations(doc.id).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, [doc.id]);
  async function remove(c: Citation) {
    try {
      await app.api.deleteCitation(doc.id, c.id);
      setItems((old) => (old ?? []).filter((x) => x.id !== c.id));
      announce(t("citations.removed"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section class="card citations diff" aria-labelledby="citations-title">
      <h2 id="citations-title">{t("citations.title")}</h2>
      <ErrorBox message={error} />
      {items && items.length === 0 && <p class="empty">{t("citations.none")}</p>}
      <ul class="log">
        {(items ?? []).map((c) => (
          <li key={c.id}>
            <blockquote>{c.citedQuote}</blockquote>
            <p>
              <span class={`tag status-${c.status}`}>{t(`citations.status.${c.status}` as MessageKey)}</span>{" "}
              {c.sourceId && (
                <Link app={app} href={`/documents/${c.sourceId}#s-${c.section}`}>
                  {c.sourceTitle} · {c.sectionTitle}
                </Link>
              )}
            </p>
            {c.status === "changed" && c.diff && (
              <p class="diff-text">
                <span class="meta">{t("citations.now")} </span>
                <DiffOps ops={c.diff} />
              </p>
            )}
            {writable && (
              <button type="button" class="secondary" onClick={() => remove(c)} aria-label={t("citations.remove", { quote: c.citedQuote })}>
                {t("tags.removeShort")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
