import { useEffect } from "preact/hooks";
import type { App } from "../app";
import { languages, t } from "../i18n";
import { announce } from "../ui/forms";

/** Profile holds a person's preferences: the app's language and "plain
 * view", which makes text larger and the layout one simple column. */
export function Profile({ app }: { app: App }) {
  useEffect(() => {
    document.title = `${t("profile.title")} · LinkLab`;
  }, []);
  const p = app.prefs;
  return (
    <>
      <h1>{t("profile.title")}</h1>
      <form class="card" onSubmit={(e) => e.preventDefault()}>
        <label for="language">{t("profile.language")}</label>
        <select
          id="language"
          value={p.language}
          onChange={(e) => {
            app.setPrefs({ ...p, language: e.currentTarget.value });
            announce(t("profile.saved"));
          }}
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
            onChange={(e) => {
              app.setPrefs({ ...p, plain: e.currentTarget.checked });
              announce(t("profile.saved"));
            }}
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
