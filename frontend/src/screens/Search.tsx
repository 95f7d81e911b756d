import { Search as SearchIcon } from "lucide";
import { Icon } from "../ui/icon";
import { useEffect, useState } from "preact/hooks";
import type { Found, SearchKind, SearchResult } from "../api";
import { messageOf, type App } from "../app";
import { formatNumber, t, type MessageKey } from "../i18n";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";

const kinds: SearchKind[] = ["section", "comment", "idea", "document", "theme"];
const pageSize = 20;

/** queryOf reads the search from the address: /search?q=…&kind=… */
export function queryOf(search: string): { q: string; kind: SearchKind | "" } {
  const p = new URLSearchParams(search);
  const kind = p.get("kind") ?? "";
  return { q: p.get("q") ?? "", kind: (kinds as string[]).includes(kind) ? (kind as SearchKind) : "" };
}

/** hrefOf is where a result is read. */
export function hrefOf(r: SearchResult): string {
  switch (r.kind) {
    case "idea":
      return `/workshops/${r.workshopId}`;
    case "theme":
      return "/themes";
    case "document":
      return `/documents/${r.documentId}`;
    default:
      return `/documents/${r.documentId}#s-${r.sectionId}`;
  }
}

/** SearchBox is the search field in the header, on every screen. */
export function SearchBox({ app }: { app: App }) {
  const [q, setQ] = useState(() => (location.pathname === "/search" ? queryOf(location.search).q : ""));
  function submit(ev: Event) {
    ev.preventDefault();
    if (q.trim()) app.navigate(`/search?${new URLSearchParams({ q: q.trim() })}`);
  }
  return (
    <form role="search" class="search-box" onSubmit={submit}>
      <label for="search-q" class="visually-hidden">
        {t("search.label")}
      </label>
      <input id="search-q" type="search" maxLength={200} value={q} placeholder={t("search.placeholder")}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <button type="submit" class="secondary">
        <Icon node={SearchIcon} size={18} /> {t("search.go")}
      </button>
    </form>
  );
}

/** Snippet shows a result's text with the words found marked. The text
 * is plain: it is put in as text, never as HTML. */
function Snippet({ r }: { r: SearchResult }) {
  if (!r.snippet?.length) return null;
  return (
    <p class="snippet">
      {r.snippet.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </p>
  );
}

/** Search shows what the reader may see that the words find, best first,
 * a page at a time. */
export function Search({ app }: { app: App }) {
  const { q, kind } = queryOf(location.search);
  const [found, setFound] = useState<Found | null>(null);
  const [items, setItems] = useState<SearchResult[]>([]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  async function load(offset: number) {
    setBusy(true);
    setError("");
    try {
      const f = await app.api.search(q, { kind, offset, limit: pageSize });
      setFound(f);
      setItems((have) => (offset === 0 ? f.items : [...have, ...f.items]));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    document.title = `${q ? t("search.titleFor", { q }) : t("search.title")} · LinkLab`;
    setFound(null);
    setItems([]);
    if (q.trim()) load(0);
  }, [q, kind]);
  const filter = (k: SearchKind | "") => `/search?${new URLSearchParams(k ? { q, kind: k } : { q })}`;
  return (
    <>
      <h1>{q ? t("search.titleFor", { q }) : t("search.title")}</h1>
      {!q.trim() && <p class="hint">{t("search.intro")}</p>}
      {q.trim() && (
        <nav aria-label={t("search.kinds")} class="chips">
          <Link app={app} href={filter("")} current={kind === ""}>
            {t("search.all")}
          </Link>
          {kinds.map((k) => (
            <Link key={k} app={app} href={filter(k)} current={kind === k}>
              {t(`search.kind.${k}` as MessageKey)}
            </Link>
          ))}
        </nav>
      )}
      <ErrorBox message={error} />
      {busy && !found && <p>{t("app.loading")}</p>}
      {found && (
        <p role="status" class="meta">
          {t("search.count", { n: formatNumber(found.total) })}
        </p>
      )}
      {found && found.total === 0 && <p class="empty">{t("search.none")}</p>}
      {items.length > 0 && (
        <ol class="results">
          {items.map((r) => (
            <li key={`${r.kind}:${r.id}`} class="card">
              <p class="result-head">
                <span class="tag">{t(`search.is.${r.kind}` as MessageKey)}</span>{" "}
                <Link app={app} href={hrefOf(r)}>
                  {r.title}
                </Link>
              </p>
              <p class="meta">{[r.country, r.lab, r.document].filter(Boolean).join(" · ")}</p>
              <Snippet r={r} />
            </li>
          ))}
        </ol>
      )}
      {found && items.length < found.total && (
        <button type="button" class="secondary" disabled={busy} onClick={() => load(items.length)}>
          {t("search.more")}
        </button>
      )}
    </>
  );
}
