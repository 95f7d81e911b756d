import { messageOf, type App } from "../app";
import { errorBox, field, h } from "../dom";
import { t, type MessageKey } from "../i18n";
import { tokenFromHash } from "../router";

const levels = ["micro", "meso", "macro"] as const;

export async function renderInvite(root: HTMLElement, app: App): Promise<void> {
  const token = tokenFromHash(location.hash);
  const err = errorBox();
  const title = h("h1", { id: "invite-title" }, t("invite.title"));
  root.replaceChildren(title, err.el);
  let preview;
  try {
    preview = await app.api.previewInvitation(token);
  } catch (e) {
    err.show(messageOf(e));
    return;
  }
  const signedIn = app.session !== null;
  const needsLevel = preview.lab !== undefined && preview.role !== "facilitator";
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "invite-title", novalidate: true },
    title,
    h(
      "p",
      {},
      preview.lab
        ? t("invite.toLab", { lab: preview.lab.title, role: t(`role.${preview.role}` as MessageKey) })
        : t("invite.toLinkLab"),
    ),
    err.el,
    signedIn ? h("p", {}, t("invite.signedInAs", { name: app.session!.account.displayName })) : null,
    signedIn ? null : field("email", t("signIn.email"), { type: "email", autocomplete: "username", required: true, value: preview.email }),
    field("displayName", t("form.displayName"), { required: !signedIn, maxlength: "80" }, t("form.displayNameHint")),
    signedIn ? null : field("password", t("form.newPassword"), { type: "password", autocomplete: "new-password", required: true, minlength: "10" }, t("form.newPasswordHint")),
    needsLevel
      ? h(
          "fieldset",
          {},
          h("legend", {}, t("invite.level"), h("span", { class: "hint" }, t("invite.levelHint"))),
          ...levels.map((l) =>
            h("label", { class: "choice" }, h("input", { type: "radio", name: "stakeholderLevel", value: l, required: true }), " ", t(`level.${l}` as MessageKey)),
          ),
        )
      : null,
    h("button", { type: "submit" }, t("invite.accept")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    const d = new FormData(form);
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
      err.show(messageOf(e));
    }
  });
  root.replaceChildren(form);
}
