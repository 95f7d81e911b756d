import { useEffect, useRef, useState } from "preact/hooks";
import type { InvitationPreview } from "../api";
import { messageOf, type App } from "../app";
import { t, type MessageKey } from "../i18n";
import { tokenFromHash } from "../router";
import { ErrorBox, Field } from "../ui/forms";

const levels = ["micro", "meso", "macro"] as const;

export function Invite({ app }: { app: App }) {
  const token = tokenFromHash(location.hash);
  const [error, setError] = useState("");
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    app.api.previewInvitation(token).then(setPreview, (e) => setError(messageOf(e)));
  }, [token]);
  const title = <h1 id="invite-title">{t("invite.title")}</h1>;
  if (!preview) {
    return (
      <>
        {title}
        <ErrorBox message={error} />
      </>
    );
  }
  const signedIn = app.session !== null;
  const needsLevel = preview.lab !== undefined && preview.role !== "facilitator";
  async function submit(ev: Event) {
    ev.preventDefault();
    setError("");
    const d = new FormData(form.current!);
    const str = (k: string) => (d.get(k) === null ? undefined : String(d.get(k)));
    try {
      const s = await app.api.acceptInvitation({
        token,
        email: str("email"),
        password: str("password"),
        displayName: str("displayName"),
        stakeholderLevel: str("stakeholderLevel"),
      });
      history.replaceState(null, "", "/labs");
      app.setSession(s);
      app.navigate("/labs");
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <form ref={form} class="card centered" aria-labelledby="invite-title" noValidate onSubmit={submit}>
      {title}
      <p>
        {preview.lab
          ? t("invite.toLab", { lab: preview.lab.title, role: t(`role.${preview.role}` as MessageKey) })
          : t("invite.toLinkLab")}
      </p>
      <ErrorBox message={error} />
      {signedIn && <p>{t("invite.signedInAs", { name: app.session!.account.displayName })}</p>}
      {!signedIn && (
        <Field id="email" label={t("signIn.email")} input={{ type: "email", autocomplete: "username", required: true, value: preview.email }} />
      )}
      <Field id="displayName" label={t("form.displayName")} hint={t("form.displayNameHint")} input={{ required: !signedIn, maxLength: 80 }} />
      {!signedIn && (
        <Field
          id="password"
          label={t("form.newPassword")}
          hint={t("form.newPasswordHint")}
          input={{ type: "password", autocomplete: "new-password", required: true, minLength: 10 }}
        />
      )}
      {needsLevel && (
        <fieldset>
          <legend>
            {t("invite.level")}
            <span class="hint">{t("invite.levelHint")}</span>
          </legend>
          {levels.map((l) => (
            <label class="choice" key={l}>
              <input type="radio" name="stakeholderLevel" value={l} required /> {t(`level.${l}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit">{t("invite.accept")}</button>
    </form>
  );
}
