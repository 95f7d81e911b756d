import { useEffect, useState } from "preact/hooks";
import type { DocumentSummary } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";

/** Syntheses lists the partner network's syntheses the reader may read;
 * national partners, who co-write them, start new ones here. */
export function Syntheses({ app }: { app: App }) {
  const [items, setItems] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState("");
  const [createError, setCreateError] = useState("");
  const [title, setTitle] = useState("");
  const partner = !!app.session?.account.partnerOrgId;
  useEffect(() => {
    document.title = `${t("syntheses.title")} · LinkLab`;
    app.api.syntheses().then(
      (p) => setItems([...p.items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))),
      (e) => setError(messageOf(e)),
    );
  }, []);
  async function create(ev: Event) {
    ev.preventDefault();
    setCreateError("");
    try {
      const doc = await app.api.createSynthesis(title);
      app.navigate(`/documents/${doc.id}`);
    } catch (e) {
      setCreateError(messageOf(e));
    }
  }
  return (
    <>
      <h1>{t("syntheses.title")}</h1>
      <p class="hint">{t("syntheses.intro")}</p>
      <ErrorBox message={error} />
      {items === null && !error && <p>{t("app.loading")}</p>}
      {items && items.length === 0 && <p class="empty">{t("syntheses.none")}</p>}
      {items && items.length > 0 && (
        <ul class="docs">
          {items.map((d) => (
            <li key={d.id}>
              <Link app={app} href={`/documents/${d.id}`}>
                {d.title}
              </Link>{" "}
              <span class="tag">{t(`visibility.${d.visibility}` as MessageKey)}</span>{" "}
              <span class="meta">{t("labs.updated", { date: formatDate(d.updatedAt) })}</span>
            </li>
          ))}
        </ul>
      )}
      {partner && (
        <form class="card inline" aria-labelledby="new-synthesis" onSubmit={create}>
          <h2 id="new-synthesis">{t("syntheses.new")}</h2>
          <ErrorBox message={createError} />
          <label for="synthesis-title">{t("lab.docTitle")}</label>
          <input id="synthesis-title" maxLength={200} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
          <p class="hint">{t("syntheses.level")}</p>
          <button type="submit">{t("lab.create")}</button>
        </form>
      )}
    </>
  );
}
