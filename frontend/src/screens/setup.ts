import { messageOf, type App } from "../app";
import { errorBox, field, h } from "../dom";
import { t } from "../i18n";
import { tokenFromHash } from "../router";

export function renderSetup(root: HTMLElement, app: App): void {
  const token = tokenFromHash(location.hash);
  const err = errorBox();
  if (!token) {
    root.replaceChildren(h("h1", {}, t("setup.title")), err.el);
    err.show(t("setup.missing"));
    return;
  }
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "setup-title", novalidate: true },
    h("h1", { id: "setup-title" }, t("setup.title")),
    h("p", {}, t("setup.intro")),
    err.el,
    field("email", t("signIn.email"), { type: "email", autocomplete: "username", required: true }),
    field("displayName", t("form.displayName"), { autocomplete: "name", required: true, maxlength: "80" }),
    field("password", t("form.newPassword"), { type: "password", autocomplete: "new-password", required: true, minlength: "10" }, t("form.newPasswordHint")),
    h("button", { type: "submit" }, t("form.create")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    const d = new FormData(form);
    try {
      const s = await app.api.setup(token, String(d.get("email")), String(d.get("displayName")), String(d.get("password")));
      history.replaceState(null, "", "/labs"); // drop the used token from the address bar
      app.setSession(s);
      app.navigate("/labs");
    } catch (e) {
      err.show(messageOf(e));
    }
  });
  root.replaceChildren(form);
}
