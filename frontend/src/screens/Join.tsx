// Joining a workshop by its code, from the projector's QR code or typed:
// the code leads a member of the lab to the session room.

import { useEffect, useState } from "preact/hooks";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { ErrorBox } from "../ui/forms";

export function Join({ app, code }: { app: App; code: string }) {
  const [error, setError] = useState("");
  useEffect(() => {
    if (!code) return;
    app.api.findWorkshop(code).then(
      (f) => app.navigate(`/workshops/${f.workshop}`),
      (e) => setError(messageOf(e)),
    );
  }, [code]);
  return (
    <>
      <h1>{t("room.joinTitle")}</h1>
      <ErrorBox message={error} />
      {!error && code && <p>{t("app.loading")}</p>}
      {(error || !code) && <JoinForm app={app} />}
    </>
  );
}

/** JoinForm asks for the code on the projector. */
export function JoinForm({ app }: { app: App }) {
  const [code, setCode] = useState("");
  return (
    <form
      class="card join-form"
      onSubmit={(e) => {
        e.preventDefault();
        app.navigate(`/join/${encodeURIComponent(code.trim().toUpperCase())}`);
      }}
    >
      <label for="join-code">
        {t("room.codeLabel")}
        <span class="hint">{t("room.codeHint")}</span>
      </label>
      <input id="join-code" autocomplete="off" autocapitalize="characters" maxLength={12} required value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
      <button type="submit">{t("room.joinButton")}</button>
    </form>
  );
}
