import { useEffect, useState } from "preact/hooks";
import { messageOf, type App } from "../app";
import { languages, t } from "../i18n";
import type { Prefs } from "../prefs";
import { announce, ErrorBox } from "../ui/forms";

/** Profile holds a person's preferences: the app's language and "plain
 * view", which makes text larger and the layout one simple column. */
export function Profile({ app }: { app: App }) {
  useEffect(() => {
    document.title = `${t("profile.title")} · LinkLab`;
  }, []);
  const p = app.prefs;
  const [error, setError] = useState("");
  async function save(next: Prefs) {
    setError("");
    try {
      await app.setPrefs(next);
      announce(t("profile.saved"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <>
      <h1>{t("profile.title")}</h1>
      <form class="card" onSubmit={(e) => e.preventDefault()}>
        <ErrorBox message={error} />
        <label for="language">{t("profile.language")}</label>
        <select
          id="language"
          value={p.language}
          onChange={(e) => save({ ...p, language: e.currentTarget.value })}
        >
          <option value="">{t("profile.browserLanguage")}</option>
          {languages.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>
        <span class="hint">{t("profile.languageHint")}</span>
        <label class="choice switch">
          <input
            type="checkbox"
            role="switch"
            checked={p.plain}
            onChange={(e) => save({ ...p, plain: e.currentTarget.checked })}
          />
          <span>
            {t("profile.plain")}
            <span class="hint">{t("profile.plainHint")}</span>
          </span>
        </label>
        <p class="meta">{t("profile.device")}</p>
      </form>
    </>
  );
}
