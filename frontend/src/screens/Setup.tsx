import { useRef, useState } from "preact/hooks";
import { messageOf, type App } from "../app";
import { t } from "../i18n";
import { tokenFromHash } from "../router";
import { ErrorBox, Field } from "../ui/forms";

export function Setup({ app }: { app: App }) {
  const token = tokenFromHash(location.hash);
  const [error, setError] = useState(token ? "" : t("setup.missing"));
  const form = useRef<HTMLFormElement>(null);
  if (!token) {
    return (
      <>
        <h1>{t("setup.title")}</h1>
        <ErrorBox message={error} />
      </>
    );
  }
  async function submit(ev: Event) {
    ev.preventDefault();
    setError("");
    const d = new FormData(form.current!);
    try {
      const s = await app.api.setup(token, String(d.get("email")), String(d.get("displayName")), String(d.get("password")));
      history.replaceState(null, "", "/labs"); // drop the used token from the address bar
      app.setSession(s);
      app.navigate("/labs");
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <form ref={form} class="card centered" aria-labelledby="setup-title" noValidate onSubmit={submit}>
      <h1 id="setup-title">{t("setup.title")}</h1>
      <p>{t("setup.intro")}</p>
      <ErrorBox message={error} />
      <Field id="email" label={t("signIn.email")} input={{ type: "email", autocomplete: "username", required: true }} />
      <Field id="displayName" label={t("form.displayName")} input={{ autocomplete: "name", required: true, maxLength: 80 }} />
      <Field
        id="password"
        label={t("form.newPassword")}
        hint={t("form.newPasswordHint")}
        input={{ type: "password", autocomplete: "new-password", required: true, minLength: 10 }}
      />
      <button type="submit">{t("form.create")}</button>
    </form>
  );
}
