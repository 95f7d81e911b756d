import { useState } from "preact/hooks";
import type { DocumentDetail } from "../api";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { announce, ErrorBox } from "./forms";

/** Title is a document's heading, and for whoever may write it, a way to
 * rename it in place. */
export function Title({ app, doc, writable, onSaved }: { app: App; doc: DocumentDetail; writable: boolean; onSaved(d: DocumentDetail): void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(doc.title);
  const [error, setError] = useState("");
  async function save(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      const d = await app.api.patchDocument(doc.id, { title: title.trim() });
      onSaved(d);
      setEditing(false);
      announce(t("doc.renamed", { title: d.title }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  if (!editing) {
    return (
      <div class="title-row">
        <h1>{doc.title}</h1>
        {writable && (
          <button type="button" class="link" onClick={() => (setTitle(doc.title), setEditing(true))} aria-label={t("doc.renameLabel", { title: doc.title })}>
            {t("doc.rename")}
          </button>
        )}
      </div>
    );
  }
  return (
    <form class="rename" onSubmit={save}>
      <ErrorBox message={error} />
      <label id="rename-label" for="rename-title">
        {t("doc.newTitle")}
      </label>
      <div class="inline-field">
        <input id="rename-title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} autoFocus />
        <button type="submit" disabled={!title.trim()}>
          {t("doc.save")}
        </button>
        <button type="button" class="secondary" onClick={() => setEditing(false)}>
          {t("doc.cancel")}
        </button>
      </div>
    </form>
  );
}
