import { Exports, fileName } from "../ui/exports";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Baseline, Compared } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, sectionTitle, t, type MessageKey } from "../i18n";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { maxCompared, sectionOrder, step } from "./compare";

/** Compare reads one section of several countries' baselines side by
 * side (stacked on a phone), and walks the template section by section.
 * Only the baselines and sections the reader may read take part; the
 * server renders and sanitizes the text. */
export function Compare({ app }: { app: App }) {
  const params = new URLSearchParams(location.search);
  const [baselines, setBaselines] = useState<Baseline[] | null>(null);
  const [chosen, setChosen] = useState<string[]>(params.get("docs")?.split(",").filter(Boolean) ?? []);
  const [section, setSection] = useState(params.get("section") ?? "");
  const [compared, setCompared] = useState<Compared | null>(null);
  const [error, setError] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t("compare.title")} · LinkLab`;
    app.api.baselines().then(
      (p) => {
        setBaselines(p.items);
        // By default, the first ones the reader may read, up to the limit.
        setChosen((c) => (c.length ? c.filter((id) => p.items.some((b) => b.id === id)) : p.items.slice(0, maxCompared).map((b) => b.id)));
        setSection((s) => s || (sectionOrder(p.items)[0]?.key ?? ""));
      },
      (e) => setError(messageOf(e)),
    );
  }, []);
  useEffect(() => {
    if (!section || chosen.length === 0) {
      setCompared(null);
      return;
    }
    history.replaceState(null, "", `/compare?${new URLSearchParams({ section, docs: chosen.join(",") })}`);
    let current = true;
    app.api.compare(section, chosen).then(
      (c) => current && (setCompared(c), setError("")),
      (e) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [section, chosen.join(",")]);

  if (!baselines) {
    return (
      <>
        <h1>{t("compare.title")}</h1>
        <ErrorBox message={error} />
        {!error && <p>{t("app.loading")}</p>}
      </>
    );
  }
  const order = sectionOrder(baselines.filter((b) => chosen.includes(b.id)));
  const prev = step(order, section, -1);
  const next = step(order, section, 1);
  // Template sections in the reader's language (a renamed one as named).
  const shown = (key: string, title: string) => sectionTitle("baseline", key, title);
  const title = shown(section, order.find((s) => s.key === section)?.title ?? section);
  function go(key: string) {
    setSection(key);
    heading.current?.focus();
  }
  function toggle(id: string, on: boolean) {
    setChosen((c) => (on ? baselines!.filter((b) => c.includes(b.id) || b.id === id).map((b) => b.id) : c.filter((x) => x !== id)));
  }
  return (
    <>
      <h1>{t("compare.title")}</h1>
      <p class="hint">{t("compare.intro")}</p>
      <ErrorBox message={error} />
      {baselines.length === 0 ? (
        <p class="empty">{t("compare.none")}</p>
      ) : (
        <div class="compare-controls card">
          <fieldset>
            <legend>{t("compare.which")}</legend>
            {baselines.map((b) => (
              <label key={b.id} class="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(b.id)}
                  disabled={!chosen.includes(b.id) && chosen.length >= maxCompared}
                  onChange={(e) => toggle(b.id, (e.target as HTMLInputElement).checked)}
                />{" "}
                <strong>{b.country}</strong> {b.title}
              </label>
            ))}
          </fieldset>
          <label>
            {t("compare.section")}
            <select value={section} onChange={(e) => setSection((e.target as HTMLSelectElement).value)}>
              {order.map((s) => (
                <option key={s.key} value={s.key}>
                  {shown(s.key, s.title)}
                </option>
              ))}
            </select>
          </label>
          <div class="actions">
            <button type="button" class="secondary" disabled={!prev} onClick={() => go(prev)}>
              {t("compare.prev")}
            </button>
            <button type="button" class="secondary" disabled={!next} onClick={() => go(next)}>
              {t("compare.next")}
            </button>
          </div>
        </div>
      )}
      {chosen.length > 0 && section && (
        <section aria-labelledby="compare-section">
          <h2 id="compare-section" tabIndex={-1} ref={heading}>
            {compared?.title ? shown(section, compared.title) : title}
          </h2>
          <Exports base={`/api/baselines/compare/export?${new URLSearchParams({ section, docs: chosen.join(",") })}`}
            name={fileName(`${t("compare.title")} ${compared?.title || title}`, section)} label={compared?.title || title} heading={t("compare.exportSection")} />
          <Exports base={`/api/baselines/compare/export?${new URLSearchParams({ docs: chosen.join(",") })}`}
            name={fileName(t("compare.title"), "comparison")} label={t("compare.allSections")} heading={t("compare.exportAll")} />
          <div class="compare-cols">
            {compared?.items.map((it) => (
              <article key={it.id} class="card compare-col" aria-labelledby={`col-${it.id}`}>
                <h3 id={`col-${it.id}`}>
                  <span class="country">{it.country}</span>{" "}
                  <Link app={app} href={`/documents/${it.id}`}>
                    {it.title}
                  </Link>
                </h3>
                <p class="meta">
                  {t(`visibility.${it.visibility}` as MessageKey)} · {t("labs.updated", { date: formatDate(it.updatedAt) })}
                </p>
                {it.section?.html.trim() ? (
                  // Rendered and sanitized by the server.
                  <div class="rendered" dangerouslySetInnerHTML={{ __html: it.section!.html }} />
                ) : (
                  <p class="empty">{t("compare.noSection")}</p>
                )}
              </article>
            ))}
          </div>
        </section>
      )}
    </>
  );
}
