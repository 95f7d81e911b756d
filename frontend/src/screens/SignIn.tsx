import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { nextPath } from "../router";
import { ErrorBox, Field } from "../ui/forms";

export function SignIn({ app }: { app: App }) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLInputElement>("#email")?.focus(), []);
  async function submit(ev: Event) {
    ev.preventDefault();
    setError("");
    const data = new FormData(form.current!);
    setBusy(true);
    try {
      const s = await app.api.signIn(String(data.get("email") ?? ""), String(data.get("password") ?? ""));
      app.setSession(s);
      app.navigate(nextPath(location.search));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
      form.current?.querySelector<HTMLInputElement>("#password")?.focus();
    }
  }
  return (
    <form ref={form} class="card centered" aria-labelledby="signin-title" noValidate onSubmit={submit}>
      <h1 id="signin-title">{t("signIn.title")}</h1>
      <ErrorBox message={error} />
      <Field id="email" label={t("signIn.email")} input={{ type: "email", autocomplete: "username", required: true }} />
      <Field id="password" label={t("signIn.password")} input={{ type: "password", autocomplete: "current-password", required: true }} />
      <button type="submit" disabled={busy}>
        {busy ? t("signIn.busy") : t("signIn.submit")}
      </button>
    </form>
  );
}
