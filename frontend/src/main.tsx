import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, type Session } from "./api";
import { messageOf, type App } from "./app";
import { Connection, windowNetwork, wsURL } from "./collab/connection";
import { t } from "./i18n";
import { applyPrefs, fromAccount, loadPrefs, savePrefs, type Prefs } from "./prefs";
import { match } from "./router";
import { Admin } from "./screens/Admin";
import { Compare } from "./screens/Compare";
import { Search, SearchBox } from "./screens/Search";
import { Syntheses } from "./screens/Syntheses";
import { Themes } from "./screens/Themes";
import { Invite } from "./screens/Invite";
import { Lab } from "./screens/Lab";
import { Labs } from "./screens/Labs";
import { Profile } from "./screens/Profile";
import { Proposals } from "./screens/Proposals";
import { Setup } from "./screens/Setup";
import { SignIn } from "./screens/SignIn";
import { Join } from "./screens/Join";
import { Projector } from "./screens/Projector";
import { Workshop } from "./screens/Workshop";
import { announce, ErrorBox } from "./ui/forms";
import { Link } from "./ui/link";

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();

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

function Shell({ api, prefs }: { api: Api; prefs: Prefs }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  // The path with its query: a search is an address of its own.
  const [path, setPath] = useState(location.pathname + location.search);
  const [error, setError] = useState("");
  // The preferences live on app; this only re-renders when they change.
  const [, setPrefsState] = useState<Prefs | null>(null);
  const app = useMemo<App>(() => {
    let conn: Connection | null = null;
    const show = async (p: Prefs) => {
      app.prefs = p;
      savePrefs(storage, p);
      try {
        await applyPrefs(p, navigator.language);
      } finally {
        setPrefsState(p);
      }
    };
    return {
      api,
      session: null,
      prefs,
      async setPrefs(p) {
        await show(p);
        if (app.session) {
          const saved = await api.setPreferences({ language: p.language, plainView: p.plain });
          app.session = { ...app.session, preferences: saved };
        }
      },
      setSession(s) {
        app.session = s;
        // Signed in, the account's preferences are the ones that count: they
        // follow the person from the workshop laptop to their phone.
        if (s) {
          const p = fromAccount(s.preferences);
          if (p.language !== app.prefs.language || p.plain !== app.prefs.plain) show(p).catch(() => announce(t("error.network")));
        }
        if (!s && conn) {
          conn.close();
          conn = null;
        }
        setSession(s);
      },
      navigate(to) {
        if (location.pathname + location.search + location.hash !== to) history.pushState(null, "", to);
        setPath(location.pathname + location.search);
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
    const pop = () => setPath(location.pathname + location.search);
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
  const r = match(location.pathname);
  if (error) screen = <ErrorBox message={error} />;
  else if (session === undefined) screen = <p>{t("app.loading")}</p>;
  else if (r.name === "setup") screen = <Setup app={app} />;
  else if (r.name === "invite") screen = <Invite app={app} />;
  else if (!session) {
    // Kept for after signing in: a scanned join link lands in the room.
    if (r.name !== "signIn") history.replaceState(null, "", r.name === "labs" || r.name === "notFound" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(path)}`);
    screen = <SignIn app={app} />;
  } else if (r.name === "lab") screen = <Lab app={app} id={r.lab} key={r.lab} />;
  else if (r.name === "proposals") screen = <Proposals app={app} lab={r.lab} key={r.lab} />;
  else if (r.name === "document") screen = <LazyDocument app={app} id={r.doc} key={r.doc} />;
  else if (r.name === "workshop") screen = <Workshop app={app} id={r.workshop} key={r.workshop} />;
  else if (r.name === "projector") screen = <Projector app={app} id={r.workshop} key={r.workshop} />;
  else if (r.name === "join") screen = <Join app={app} code={r.code} key={r.code} />;
  else if (r.name === "compare") screen = <Compare app={app} />;
  else if (r.name === "syntheses") screen = <Syntheses app={app} />;
  else if (r.name === "themes") screen = <Themes app={app} />;
  else if (r.name === "search") screen = <Search app={app} key={path} />;
  else if (r.name === "admin") screen = <Admin app={app} />;
  else if (r.name === "profile") screen = <Profile app={app} />;
  else if (r.name === "notFound") {
    screen = (
      <>
        <h1>{t("notFound.title")}</h1>
        <p>
          <Link app={app} href="/labs">
            {t("notFound.back")}
          </Link>
        </p>
      </>
    );
  } else {
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
        {session && (
          <nav aria-label={t("nav.main")} class="main-nav">
            <Link app={app} href="/labs">
              {t("nav.labs")}
            </Link>
            <Link app={app} href="/compare">
              {t("nav.compare")}
            </Link>
            <Link app={app} href="/themes">
              {t("nav.themes")}
            </Link>
            <Link app={app} href="/syntheses">
              {t("nav.syntheses")}
            </Link>
            {session.account.admin && (
              <Link app={app} href="/admin">
                {t("nav.admin")}
              </Link>
            )}
            <Link app={app} href="/settings">
              {t("nav.profile")}
            </Link>
          </nav>
        )}
        {session && <SearchBox app={app} key={r.name === "search" ? path : "search"} />}
        <nav id="nav" aria-label={t("nav.account")}>
          {session && (
            <>
              <span class="signed-in">{t("nav.signedInAs", { name: session.account.displayName })}</span>
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

const prefs = loadPrefs(storage);
// The first screen waits for its dictionary (a few kilobytes) so it does not
// flash in English; if it cannot load, the app starts in English.
applyPrefs(prefs, navigator.language)
  .catch(() => undefined)
  .finally(() => render(<Shell api={new Api()} prefs={prefs} />, document.getElementById("app")!));
