import { useEffect, useState } from "preact/hooks";
import type { ThemeMatrix } from "../api";
import { messageOf, type App } from "../app";
import type { Message } from "../collab/connection";
import { formatNumber, t } from "../i18n";
import { announce, ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { heat } from "./compare";

/** Themes is the country × theme matrix: which countries' baselines
 * address each theme, drawn as a heat map, with the passages one click
 * away. Only the baselines and sections the reader may read take part. */
export function Themes({ app }: { app: App }) {
  const [m, setM] = useState<ThemeMatrix | null>(null);
  const [open, setOpen] = useState<{ baseline: string; theme: string } | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const partner = !!app.session?.account.partnerOrgId;
  const load = () => app.api.themeMatrix().then(setM, (e) => setError(messageOf(e)));
  useEffect(() => {
    document.title = `${t("themes.title")} · LinkLab`;
    // Kept current while it is looked at: the server says when a tag or
    // a theme changed (tags are made in the baselines' editors), and on
    // every (re)connection it is read anew, so nothing missed stays
    // missed. Who may read what can change without a word: that is read
    // again when the tab comes back, and every minute.
    const conn = app.realtime();
    const detach = conn.attach("themes", {
      connected() {
        conn.send({ type: "follow", id: conn.id(), themes: true });
        load();
      },
      message(m: Message) {
        if (m.type === "themes_changed") load();
      },
    });
    const again = () => document.visibilityState === "visible" && load();
    const timer = setInterval(again, 60_000);
    document.addEventListener("visibilitychange", again);
    return () => {
      detach();
      conn.send({ type: "unfollow", id: conn.id(), themes: true });
      clearInterval(timer);
      document.removeEventListener("visibilitychange", again);
    };
  }, []);
  async function add(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      const th = await app.api.createTheme(name);
      setName("");
      announce(t("themes.added", { name: th.name }));
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }
  if (!m) {
    return (
      <>
        <h1>{t("themes.title")}</h1>
        <ErrorBox message={error} />
        {!error && <p>{t("app.loading")}</p>}
      </>
    );
  }
  const cell = (baseline: string, theme: string) => m.cells.find((c) => c.baseline === baseline && c.theme === theme);
  const most = Math.max(1, ...m.cells.map((c) => c.passages.length));
  const shown = open && cell(open.baseline, open.theme);
  return (
    <>
      <h1>{t("themes.title")}</h1>
      <p class="hint">{t("themes.intro")}</p>
      <ErrorBox message={error} />
      {m.baselines.length === 0 ? (
        <p class="empty">{t("compare.none")}</p>
      ) : (
        <div class="matrix-wrap">
          <table class="matrix">
            <caption>{t("themes.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("themes.theme")}</th>
                {m.baselines.map((b) => (
                  <th scope="col" key={b.id} title={b.title}>
                    {b.country}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.themes.map((th) => (
                <tr key={th.id}>
                  <th scope="row">{th.name}</th>
                  {m.baselines.map((b) => {
                    const n = cell(b.id, th.id)?.passages.length ?? 0;
                    return (
                      <td key={b.id} style={{ background: heat(n, most) }}>
                        {n > 0 ? (
                          <button
                            type="button"
                            class="cell"
                            aria-pressed={open?.baseline === b.id && open?.theme === th.id}
                            aria-label={t("themes.cell", { n: formatNumber(n), country: b.country, theme: th.name })}
                            onClick={() => setOpen({ baseline: b.id, theme: th.id })}
                          >
                            {formatNumber(n)}
                          </button>
                        ) : (
                          <span class="visually-hidden">{t("themes.cellNone", { country: b.country, theme: th.name })}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown && open && (
        <section class="card" aria-labelledby="passages-title" aria-live="polite">
          <h2 id="passages-title">
            {m.themes.find((x) => x.id === open.theme)?.name} · {m.baselines.find((b) => b.id === open.baseline)?.country}
          </h2>
          <ul class="log">
            {shown.passages.map((p) => (
              <li key={p.tag}>
                <q>{p.quote}</q>{" "}
                <Link app={app} href={`/documents/${open.baseline}#s-${p.section}`}>
                  {p.sectionTitle}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {partner && (
        <form class="card inline" aria-labelledby="new-theme" onSubmit={add}>
          <h2 id="new-theme">{t("themes.new")}</h2>
          <label for="theme-name">{t("themes.name")}</label>
          <input id="theme-name" maxLength={60} required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit">{t("themes.add")}</button>
        </form>
      )}
    </>
  );
}
