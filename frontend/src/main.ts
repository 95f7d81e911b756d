import { Api, type Session } from "./api";
import { messageOf, type App } from "./app";
import { announce, h } from "./dom";
import { locale, setLocale, t } from "./i18n";
import { match } from "./router";
import { renderInvite } from "./screens/invite";
import { renderLabs } from "./screens/labs";
import { renderSetup } from "./screens/setup";
import { renderSignIn } from "./screens/signin";

const main = document.getElementById("main") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;

const app: App = {
  api: new Api(),
  session: null,
  setSession(s: Session | null) {
    app.session = s;
    renderNav();
  },
  navigate(path: string) {
    if (location.pathname !== path) history.pushState(null, "", path);
    void route();
  },
};

function renderNav(): void {
  if (!app.session) {
    nav.replaceChildren();
    return;
  }
  const out = h("button", { type: "button", class: "secondary" }, t("nav.signOut"));
  out.addEventListener("click", async () => {
    try {
      await app.api.signOut();
    } catch (e) {
      announce(messageOf(e));
    }
    app.setSession(null);
    app.navigate("/sign-in");
  });
  nav.replaceChildren(h("span", {}, t("nav.signedInAs", { name: app.session.account.displayName })), out);
}

async function route(): Promise<void> {
  const r = match(location.pathname);
  switch (r.name) {
    case "setup":
      return renderSetup(main, app);
    case "invite":
      return renderInvite(main, app);
    case "signIn":
      if (app.session) return app.navigate("/labs");
      return renderSignIn(main, app);
    case "labs":
      if (!app.session) return app.navigate("/sign-in");
      document.title = `${t("labs.title")} · LinkLab`;
      return renderLabs(main, app);
    case "notFound":
      return app.navigate(app.session ? "/labs" : "/sign-in");
  }
}

async function boot(): Promise<void> {
  setLocale(navigator.language || "en");
  document.documentElement.lang = locale();
  (document.getElementById("skip") as HTMLElement).textContent = t("app.skip");
  main.replaceChildren(h("p", {}, t("app.loading")));
  try {
    app.setSession(await app.api.session());
  } catch (e) {
    main.replaceChildren(h("p", { class: "error", role: "alert" }, messageOf(e)));
    return;
  }
  window.addEventListener("popstate", () => void route());
  await route();
}

void boot();
