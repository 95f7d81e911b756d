// Passages of a document tagged with the network's themes: tag the words
// selected in a section, see each tag where its words are now, remove one.

import { getSyncedVersion, sendableUpdates } from "@codemirror/collab";
import type { EditorView } from "@codemirror/view";
import { useEffect, useState } from "preact/hooks";
import type { DocumentDetail, Tag, Theme } from "../api";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { announce, ErrorBox } from "./forms";

export function TagsPanel({ app, doc, views, active, writable }: {
  app: App;
  doc: DocumentDetail;
  views: Map<string, EditorView>;
  active: string;
  writable: boolean;
}) {
  const [themes, setThemes] = useState<Theme[]>([]);
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [theme, setTheme] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.themes().then((p) => {
      setThemes(p.items);
      setTheme((x) => x || (p.items[0]?.id ?? ""));
    }, (e) => setError(messageOf(e)));
    app.api.tags(doc.id).then((p) => setTags(p.items), (e) => setError(messageOf(e)));
  }, [doc.id]);
  const sectionTitle = (id: string) => doc.sections.find((s) => s.id === id)?.title ?? "";
  async function tag(ev: Event) {
    ev.preventDefault();
    setError("");
    const view = views.get(active);
    const sel = view?.state.selection.main;
    if (!view || !sel || sel.empty) {
      setError(t("tags.pickWords"));
      return;
    }
    // Positions are the server's only at a version it has confirmed.
    if (sendableUpdates(view.state).length > 0) {
      setError(t("comments.waitSaved"));
      return;
    }
    try {
      const made = await app.api.createTag(doc.id, { sectionId: active, themeId: theme, from: sel.from, to: sel.to, version: getSyncedVersion(view.state) });
      setTags((old) => [...(old ?? []), made]);
      announce(t("tags.tagged", { theme: made.theme }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function remove(x: Tag) {
    setError("");
    try {
      await app.api.deleteTag(doc.id, x.id);
      setTags((old) => (old ?? []).filter((y) => y.id !== x.id));
      announce(t("tags.removed"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section class="card tags" aria-labelledby="tags-title">
      <h2 id="tags-title">{t("tags.title")}</h2>
      <ErrorBox message={error} />
      {writable && themes.length > 0 && (
        <form class="inline" onSubmit={tag}>
          <label for="tag-theme">{t("tags.theme")}</label>
          <select id="tag-theme" value={theme} onChange={(e) => setTheme((e.target as HTMLSelectElement).value)}>
            {themes.map((th) => (
              <option key={th.id} value={th.id}>
                {th.name}
              </option>
            ))}
          </select>
          <button type="submit">{active ? t("tags.tagIn", { section: sectionTitle(active) }) : t("tags.tag")}</button>
        </form>
      )}
      {tags && tags.length === 0 && <p class="empty">{t("tags.none")}</p>}
      <ul class="log">
        {(tags ?? []).map((x) => (
          <li key={x.id}>
            <strong>{x.theme}</strong> · {sectionTitle(x.section)}: <q>{x.quote}</q>
            {x.orphaned && <span class="meta"> {t("tags.orphaned")}</span>}
            {writable && (
              <button type="button" class="secondary" onClick={() => remove(x)} aria-label={t("tags.remove", { theme: x.theme, quote: x.quote })}>
                {t("tags.removeShort")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
