import { messageOf, type App } from "../app";
import { errorBox, field, h } from "../dom";
import { t } from "../i18n";

export function renderSignIn(root: HTMLElement, app: App): void {
  const err = errorBox();
  const submit = h("button", { type: "submit" }, t("signIn.submit"));
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "signin-title", novalidate: true },
    h("h1", { id: "signin-title" }, t("signIn.title")),
    err.el,
    field("email", t("signIn.email"), { type: "email", autocomplete: "username", required: true }),
    field("password", t("signIn.password"), { type: "password", autocomplete: "current-password", required: true }),
    submit,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    const data = new FormData(form);
    submit.disabled = true;
    submit.textContent = t("signIn.busy");
    try {
      const s = await app.api.signIn(String(data.get("email") ?? ""), String(data.get("password") ?? ""));
      app.setSession(s);
      app.navigate("/labs");
    } catch (e) {
      err.show(messageOf(e));
      submit.disabled = false;
      submit.textContent = t("signIn.submit");
      (form.querySelector("#password") as HTMLInputElement | null)?.focus();
    }
  });
  root.replaceChildren(form);
  (form.querySelector("#email") as HTMLInputElement).focus();
}
