import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, type Session } from "./api";
import { messageOf, type App } from "./app";
import { Connection, windowNetwork, wsURL } from "./collab/connection";
import { locale, setLocale, t } from "./i18n";
import { match } from "./router";
import { Invite } from "./screens/Invite";
import { Lab } from "./screens/Lab";
import { Labs } from "./screens/Labs";
import { Setup } from "./screens/Setup";
import { SignIn } from "./screens/SignIn";
import { announce, ErrorBox } from "./ui/forms";

// The editor (CodeMirror) is most of the app's weight: it loads only when
// a document is opened, so the sign-in and lab screens stay light on an old
// phone.
type DocumentScreen = typeof import("./screens/Document").Document;
let documentScreen: Promise<DocumentScreen> | null = null;

function LazyDocument(props: { app: App; id: string }) {
  const [Screen, setScreen] = useState<DocumentScreen | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    documentScreen ??= import("./screens/Document").then((m) => m.Document);
    documentScreen.then((s) => setScreen(() => s), () => setError(t("error.network")));
  }, []);
  if (error) return <ErrorBox message={error} />;
  return Screen ? <Screen {...props} /> : <p>{t("app.loading")}</p>;
}

function Shell({ api }: { api: Api }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [path, setPath] = useState(location.pathname);
  const [error, setError] = useState("");
  const app = useMemo<App>(() => {
    let conn: Connection | null = null;
    return {
      api,
      session: null,
      setSession(s) {
        app.session = s;
        if (!s && conn) {
          conn.close();
          conn = null;
        }
        setSession(s);
      },
      navigate(to) {
        if (location.pathname !== to) history.pushState(null, "", to);
        setPath(location.pathname);
        window.scrollTo(0, 0);
        document.getElementById("main")?.focus();
      },
      realtime() {
        conn ??= new Connection({ url: wsURL(location), network: windowNetwork });
        return conn;
      },
    };
  }, [api]);
  useEffect(() => {
    api.session().then(
      (s) => app.setSession(s),
      (e) => setError(messageOf(e)),
    );
    const pop = () => setPath(location.pathname);
    window.addEventListener("popstate", pop);
    return () => window.removeEventListener("popstate", pop);
  }, []);

  async function signOut() {
    try {
      await api.signOut();
    } catch (e) {
      announce(messageOf(e));
    }
    app.setSession(null);
    app.navigate("/sign-in");
  }

  let screen;
  const r = match(path);
  if (error) screen = <ErrorBox message={error} />;
  else if (session === undefined) screen = <p>{t("app.loading")}</p>;
  else if (r.name === "setup") screen = <Setup app={app} />;
  else if (r.name === "invite") screen = <Invite app={app} />;
  else if (!session) {
    if (r.name !== "signIn") history.replaceState(null, "", "/sign-in");
    screen = <SignIn app={app} />;
  } else if (r.name === "lab") screen = <Lab app={app} id={r.lab} key={r.lab} />;
  else if (r.name === "document") screen = <LazyDocument app={app} id={r.doc} key={r.doc} />;
  else {
    if (r.name !== "labs") history.replaceState(null, "", "/labs");
    screen = <Labs app={app} />;
  }

  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="bar">
        <a class="brand" href="/labs">
          LinkLab
        </a>
        <nav id="nav" aria-label={t("nav.account")}>
          {session && (
            <>
              <span>{t("nav.signedInAs", { name: session.account.displayName })}</span>
              <button type="button" class="secondary" onClick={signOut}>
                {t("nav.signOut")}
              </button>
            </>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}

setLocale(navigator.language || "en");
document.documentElement.lang = locale();
render(<Shell api={new Api()} />, document.getElementById("app")!);
