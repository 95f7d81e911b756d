import { useEffect, useMemo, useState } from "preact/hooks";
import { statuses, type DocumentSummary, type Lab, type Status, type TemplateField } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, optionLabel, t, type MessageKey } from "../i18n";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { fieldLabel, MoveButtons, statusLabel } from "../ui/proposal";

/** matches reports whether a proposal passes the board's filters: words of
 * the search in its title, and a chosen "field=option" among its fields. */
export function matches(d: DocumentSummary, search: string, choice: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const title = d.title.toLowerCase();
  if (!words.every((w) => title.includes(w))) return false;
  if (!choice) return true;
  const [key, option] = choice.split("=");
  return (d.fields?.[key] ?? "").split(",").includes(option);
}

/** Choice is a field the board can filter by, with the options its
 * proposals use and how many use each. */
export interface Choice {
  field: TemplateField;
  options: { option: string; count: number }[];
}

/** filterChoices lists the fields some proposal has a value for, each with
 * the options in use (in the template's order) and their counts: a short
 * list, with no option repeated and none that would show nothing. */
export function filterChoices(fields: TemplateField[], docs: DocumentSummary[]): Choice[] {
  return fields
    .map((field) => ({
      field,
      options: field.options
        .map((option) => ({ option, count: docs.filter((d) => (d.fields?.[field.key] ?? "").split(",").includes(option)).length }))
        .filter((o) => o.count > 0),
    }))
    .filter((c) => c.options.length > 0);
}

/** Proposals is a lab's board of innovation proposals: a column per stage
 * of the lifecycle, filters, and buttons that move a proposal a stage on or
 * back (which everyone viewing it sees at once). */
export function Proposals({ app, lab: labID }: { app: App; lab: string }) {
  const [lab, setLab] = useState<Lab | null>(null);
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [fields, setFields] = useState<TemplateField[]>([]);
  const [error, setError] = useState("");
  const [search, setSearch] = useState("");
  const [choice, setChoice] = useState("");
  const [filterField, setFilterField] = useState("");
  const member = app.session?.memberships.some((m) => m.labId === labID) ?? false;
  useEffect(() => {
    app.api.lab(labID).then((l) => {
      setLab(l);
      document.title = `${t("board.title")} · ${l.title} · LinkLab`;
    }, (e) => setError(messageOf(e)));
    app.api.documents(labID).then((p) => setDocs(p.items.filter((d) => d.kind === "proposal")), (e) => setError(messageOf(e)));
    app.api.templates().then((p) => setFields(p.items.find((x) => x.kind === "proposal")?.fields ?? []), () => setFields([]));
  }, [labID]);
  const shown = useMemo(() => (docs ?? []).filter((d) => matches(d, search, choice)), [docs, search, choice]);
  const choices = useMemo(() => filterChoices(fields, docs ?? []), [fields, docs]);
  const chosen = choices.find((c) => c.field.key === filterField);

  const [title, setTitle] = useState("");
  async function create(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      const d = await app.api.createDocument(labID, "proposal", title.trim());
      app.navigate(`/documents/${d.id}`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <div class="board-screen">
      <p class="crumbs">
        <Link app={app} href={`/labs/${labID}`}>
          {lab?.title ?? t("doc.backToLab")}
        </Link>
      </p>
      <h1>{t("board.title")}</h1>
      <ErrorBox message={error} />
      <form class="filters" role="search" aria-label={t("board.filters")} onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="board-search">{t("board.search")}</label>
          <input id="board-search" type="search" value={search} maxLength={200} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        {choices.length > 0 && (
          <div>
            <label for="board-field">{t("board.filterField")}</label>
            <select
              id="board-field"
              value={filterField}
              onChange={(e) => {
                setFilterField(e.currentTarget.value);
                setChoice("");
              }}
            >
              <option value="">{t("board.anyField")}</option>
              {choices.map((c) => (
                <option key={c.field.key} value={c.field.key}>
                  {fieldLabel(c.field)}
                </option>
              ))}
            </select>
          </div>
        )}
        {chosen && (
          <div>
            <label for="board-choice">{t("board.filterBy")}</label>
            <select id="board-choice" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
              <option value="">{t("board.any")}</option>
              {chosen.options.map((o) => (
                <option key={o.option} value={`${chosen.field.key}=${o.option}`}>
                  {t("board.optionCount", { option: optionLabel(o.option), n: o.count })}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      {member && (
        <form class="new-proposal" aria-labelledby="new-proposal-title" onSubmit={create}>
          <h2 id="new-proposal-title" class="visually-hidden">{t("board.new")}</h2>
          <label for="new-proposal">{t("board.newTitle")}</label>
          <div class="inline-field">
            <input id="new-proposal" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
            <button type="submit" disabled={!title.trim()}>
              {t("board.new")}
            </button>
          </div>
        </form>
      )}
      {docs === null ? (
        !error && <p>{t("app.loading")}</p>
      ) : (
        <>
          <p class="meta" role="status">
            {t("board.count", { n: shown.length, total: docs.length })}
          </p>
          <div class="board">
            {statuses.map((st) => {
              const column = shown.filter((d) => d.status === st);
              return (
                <section key={st} class="column" aria-labelledby={`col-${st}`}>
                  <h2 id={`col-${st}`}>
                    {statusLabel(st)} <span class="count">{column.length}</span>
                  </h2>
                  {column.length === 0 && <p class="empty">{t("board.emptyColumn")}</p>}
                  {column.map((d) => (
                    <article key={d.id} class="card proposal-card" aria-labelledby={`p-${d.id}`}>
                      <h3 id={`p-${d.id}`}>
                        <Link app={app} href={`/documents/${d.id}`}>
                          {d.title}
                        </Link>
                      </h3>
                      <p class="meta">
                        <span class="tag">{t(`visibility.${d.visibility}` as MessageKey)}</span>{" "}
                        {t("labs.updated", { date: formatDate(d.updatedAt) })}
                      </p>
                      {d.fields?.scope && <p class="meta">{optionLabel("field-scope")}: {optionLabel(d.fields.scope)}</p>}
                      {member && (
                        <MoveButtons
                          app={app}
                          doc={d}
                          title={d.title}
                          onMoved={(moved) => {
                            setDocs((old) => old && old.map((x) => (x.id === moved.id ? { ...x, status: moved.status as Status, updatedAt: moved.updatedAt } : x)));
                            // The card left its column with the button that
                            // had focus: keep the keyboard on the card.
                            requestAnimationFrame(() => document.querySelector<HTMLElement>(`#p-${moved.id} a`)?.focus());
                          }}
                        />
                      )}
                    </article>
                  ))}
                </section>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
