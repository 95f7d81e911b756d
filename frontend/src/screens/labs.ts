import { messageOf, type App } from "../app";
import type { Lab } from "../api";
import { errorBox, h } from "../dom";
import { formatDate, t, type MessageKey } from "../i18n";

function labCard(lab: Lab): HTMLElement {
  return h(
    "li",
    {},
    h(
      "article",
      { class: "card", "aria-labelledby": `lab-${lab.id}` },
      h("h2", { id: `lab-${lab.id}` }, lab.title),
      h("p", { class: "meta" }, t("labs.country", { country: lab.country })),
      h("p", { class: "meta" }, t("labs.targetGroup", { group: t(`target.${lab.targetGroup}` as MessageKey) })),
      lab.myRole ? h("p", { class: "meta" }, h("span", { class: "tag" }, t("labs.role", { role: t(`role.${lab.myRole}` as MessageKey) }))) : null,
      lab.description ? h("p", {}, lab.description) : null,
      h("p", { class: "meta" }, t("labs.updated", { date: formatDate(lab.updatedAt) })),
    ),
  );
}

export async function renderLabs(root: HTMLElement, app: App): Promise<void> {
  const admin = app.session?.account.admin ?? false;
  const title = h("h1", {}, admin ? t("labs.titleAdmin") : t("labs.title"));
  const err = errorBox();
  root.replaceChildren(title, err.el, h("p", {}, t("app.loading")));
  try {
    const page = await app.api.labs();
    const body =
      page.items.length === 0
        ? h("p", { class: "empty" }, t("labs.empty"))
        : h("ul", { class: "labs", "aria-label": title.textContent ?? "" }, ...page.items.map(labCard));
    root.replaceChildren(title, err.el, body);
  } catch (e) {
    root.replaceChildren(title, err.el);
    err.show(messageOf(e));
  }
}
