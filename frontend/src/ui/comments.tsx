import { useEffect, useRef, useState } from "preact/hooks";
import type { EditorView } from "@codemirror/view";
import { getSyncedVersion, sendableUpdates } from "@codemirror/collab";
import type { Comment, DocumentDetail, Visibility } from "../api";
import { messageOf, type App } from "../app";
import { highlights, setHighlights, toLocal } from "../collab/editor";
import { format, plainText } from "../collab/markdown";
import type { Highlight } from "../collab/reading";
import { formatDate, t } from "../i18n";
import { authorName, ItemBody, mergeLive } from "./feedback";
import { Moderate } from "./moderation";
import { announce, ErrorBox } from "./forms";
import { AudiencePicker, audiences, readers } from "./audience";

/** threads groups comments into threads (first comment, then replies in
 * order), by section in the document's order; resolved threads last. */
export function threads(comments: Comment[], sectionOrder: string[]): { first: Comment; replies: Comment[] }[] {
  const firsts = comments.filter((c) => !c.parentId);
  const order = (c: Comment) => {
    const i = sectionOrder.indexOf(c.sectionId);
    return i < 0 ? sectionOrder.length : i;
  };
  firsts.sort((a, b) => Number(a.resolved) - Number(b.resolved) || order(a) - order(b) || a.from - b.from || a.createdAt.localeCompare(b.createdAt));
  return firsts.map((first) => ({
    first,
    replies: comments.filter((c) => c.parentId === first.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  }));
}

/** placeHighlights draws the open threads' ranges in each section. A
 * thread's range is placed when the section is at the version the range
 * was given at; once placed it follows every change, so a thread that
 * cannot be placed now keeps where it was. It returns the threads that
 * are behind the section (the comments must be asked for again). */
export function placeHighlights(views: Map<string, EditorView>, comments: Comment[]): Comment[] {
  const stale: Comment[] = [];
  for (const [section, view] of views) {
    const now = new Map(highlights(view.state).map((h) => [h.id, h]));
    const next: Highlight[] = [];
    for (const c of comments) {
      if (c.sectionId !== section || c.parentId || c.resolved || c.detached || c.to <= c.from) continue;
      const p = toLocal(view.state, c.version, [c.from, c.to]);
      const placed = now.get(c.id);
      if (p && p[1] > p[0]) next.push({ id: c.id, from: p[0], to: p[1] });
      else if (placed) next.push(placed);
      else if (c.version < getSyncedVersion(view.state)) stale.push(c);
    }
    const same = next.length === now.size && next.every((h) => {
      const o = now.get(h.id);
      return o && o.from === h.from && o.to === h.to;
    });
    if (!same) view.dispatch({ effects: setHighlights.of(next) });
  }
  return stale;
}

/** shortQuote is the words of a quote, shortened for a list. */
function shortQuote(markdown: string): string {
  const words = plainText(format(markdown)).replace(/\s+/g, " ").trim();
  return words.length > 140 ? `${words.slice(0, 140)}…` : words;
}

/** CommentsPanel is the side panel of a document's comments: each thread
 * quotes the text it is about and shows it in the text; a new comment is
 * about the text selected, from the sheet offered beside a selection or
 * from the panel's form. */
export function CommentsPanel({ app, doc, views, active, canComment, canModerate, live, pick, closePick, textEvents }: {
  app: App;
  doc: DocumentDetail;
  views: Map<string, EditorView>;
  /** the section whose editor last had the focus */
  active: string;
  canComment: boolean;
  /** facilitators resolve threads, and hide comments with a reason */
  canModerate: boolean;
  /** comments added or changed by others, from the real-time connection */
  live: Comment[];
  /** text selected and offered for a comment: the sheet is open on it */
  pick: { section: string; from: number; to: number } | null;
  closePick(): void;
  /** tells when a section's text changed or was loaded */
  textEvents: EventTarget;
}) {
  const [items, setItems] = useState<Comment[] | null>(null);
  const [error, setError] = useState("");
  const [body, setBody] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const [audience, setAudience] = useState<Visibility | "">("");
  const levels = audiences(doc.visibility, !doc.labId);
  const [reply, setReply] = useState<Record<string, string>>({});
  const load = () => app.api.comments(doc.id).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  useEffect(() => {
    load();
  }, [doc.id]);
  useEffect(() => {
    if (live.length === 0) return;
    setItems((old) => mergeLive(old ?? [], live));
  }, [live]);

  // Commented words are marked in the text, and follow it.
  const current = useRef<Comment[]>([]);
  current.current = items ?? [];
  // Sections load after the comments, maybe: shown again when they do.
  const [, setLoadedSections] = useState(0);
  useEffect(() => {
    let asked = 0;
    const place = () => {
      setLoadedSections(views.size);
      const stale = placeHighlights(views, current.current);
      // Placed at a version this page has passed: ask where they are now
      // (not more than every few seconds, whatever the typing).
      if (stale.length > 0 && Date.now() - asked > 5000) {
        asked = Date.now();
        load();
      }
    };
    place();
    textEvents.addEventListener("text", place);
    return () => textEvents.removeEventListener("text", place);
  }, [items, textEvents]);

  const section = (id: string) => doc.sections.find((s) => s.id === id);
  const range = (c: Comment): [number, number] | null => {
    const view = views.get(c.sectionId);
    if (!view || c.detached) return null;
    const p = toLocal(view.state, c.version, [c.from, c.to]);
    return p ? [p[0], p[1]] : null;
  };
  function show(c: Comment) {
    const view = views.get(c.sectionId);
    // Readers: the marked words in the formatted text.
    if (view && !view.dom.isConnected) {
      const mark = document.querySelector<HTMLElement>(`mark[data-threads~="${c.id}"]`);
      if (mark) {
        mark.scrollIntoView({ block: "center", behavior: "smooth" });
        for (const m of document.querySelectorAll<HTMLElement>(`mark[data-threads~="${c.id}"]`)) m.classList.add("flash");
        setTimeout(() => document.querySelectorAll<HTMLElement>("mark.flash").forEach((m) => m.classList.remove("flash")), 2000);
        return;
      }
    }
    const placed = view ? highlights(view.state).find((h) => h.id === c.id) : undefined;
    const r = placed ? ([placed.from, placed.to] as [number, number]) : range(c);
    if (!view || !r) {
      // The text moved on since the list was loaded: the server maps the
      // anchors to the current text.
      load();
      announce(t("comments.moved"));
      return;
    }
    view.dispatch({ selection: { anchor: r[0], head: r[1] }, scrollIntoView: true });
    view.focus();
  }
  async function post(ev: Event) {
    ev.preventDefault();
    setError("");
    const section = pick?.section ?? active;
    const view = views.get(section);
    if (!view) {
      setError(t("comments.pickSection"));
      return;
    }
    const sel = pick ?? view.state.selection.main;
    // Positions must be at a version the server knows: only when the
    // editor has no unconfirmed changes are local positions that version's.
    if (sendableUpdates(view.state).length > 0) {
      setError(t("comments.waitSaved"));
      return;
    }
    try {
      const c = await app.api.comment(doc.id, {
        sectionId: section,
        body,
        from: sel.from,
        to: sel.to,
        version: getSyncedVersion(view.state),
        anonymous,
        ...(audience ? { audience } : {}),
      });
      setItems((old) => [...(old ?? []).filter((x) => x.id !== c.id), c]);
      setBody("");
      setAudience(""); // each comment starts with the lab again
      announce(t("comments.posted"));
      if (pick) closePick();
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function answer(first: Comment) {
    const text = reply[first.id] ?? "";
    setError("");
    try {
      const c = await app.api.comment(doc.id, { sectionId: first.sectionId, parentId: first.id, body: text, from: 0, to: 0, version: 0, anonymous });
      setItems((old) => [...(old ?? []).filter((x) => x.id !== c.id), c]);
      setReply((r) => ({ ...r, [first.id]: "" }));
      announce(t("comments.posted"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function resolve(c: Comment) {
    setError("");
    try {
      const done = await app.api.resolveComment(c.id, !c.resolved);
      setItems((old) => (old ?? []).map((x) => (x.id === done.id ? { ...x, resolved: done.resolved } : x)));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const all = threads(items ?? [], doc.sections.map((s) => s.id));
  const activeTitle = section(active)?.title;
  return (
    <aside class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t("comments.title")}</h2>
      <ErrorBox message={error} />
      {canComment && (
        <form class="card inline" onSubmit={post}>
          <label for="comment-body">
            {activeTitle ? t("comments.onSelection", { section: activeTitle }) : t("comments.pickSection")}
          </label>
          <textarea id="comment-body" rows={3} maxLength={4000} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          <label class="choice switch">
            <input type="checkbox" role="switch" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
            <span>{t("comments.anonymous")}</span>
          </label>
          <AudiencePicker id="comment-audience" levels={levels} value={audience} onChange={setAudience} />
          <button type="submit" disabled={!activeTitle}>
            {t("comments.post")}
          </button>
        </form>
      )}
      {pick && canComment && (
        <div class="sheet" role="dialog" aria-labelledby="sheet-title" onKeyDown={(e) => e.key === "Escape" && closePick()}>
          <form onSubmit={post}>
            <h2 id="sheet-title">{t("comments.sheetTitle", { section: section(pick.section)?.title ?? "" })}</h2>
            {views.get(pick.section) && <blockquote>{shortQuote(views.get(pick.section)!.state.sliceDoc(pick.from, pick.to))}</blockquote>}
            <label for="sheet-body">{t("comments.yours")}</label>
            <textarea id="sheet-body" rows={3} maxLength={4000} value={body} onInput={(e) => setBody(e.currentTarget.value)} autoFocus />
            <label class="choice switch">
              <input type="checkbox" role="switch" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
              <span>{t("comments.anonymous")}</span>
            </label>
            <AudiencePicker id="sheet-audience" levels={levels} value={audience} onChange={setAudience} />
            <div class="actions">
              <button type="submit" disabled={!body.trim()}>
                {t("comments.post")}
              </button>
              <button type="button" class="secondary" onClick={closePick}>
                {t("doc.cancel")}
              </button>
            </div>
          </form>
        </div>
      )}
      {items && all.length === 0 && <p class="empty">{t(canComment ? "comments.noneYet" : "comments.none")}</p>}
      <ol class="threads">
        {all.map(({ first, replies }) => {
          const view = views.get(first.sectionId);
          return (
            <li key={first.id} class={`thread card${first.resolved ? " resolved" : ""}`}>
              <p class="meta">
                {section(first.sectionId)?.title ?? t("comments.removedSection")}
                {first.resolved && <span class="tag">{t("comments.resolved")}</span>}
                {first.audience && first.audience !== levels[0] && <span class="tag" title={readers(first.audience)}>{t(`visibility.${first.audience}`)}</span>}
              </p>
              {first.quote ? (
                <blockquote>{shortQuote(first.quote)}</blockquote>
              ) : (
                <p class="meta">{t("comments.detached")}</p>
              )}
              {[first, ...replies].map((c) => (
                <div key={c.id} class="comment">
                  <p class="meta">
                    <strong>{authorName(c)}</strong> · {formatDate(c.createdAt)}
                  </p>
                  <ItemBody item={c} />
                  {canModerate && (
                    <Moderate app={app} kind="comments" item={c} changed={(x) => setItems((old) => (old ?? []).map((y) => (y.id === x.id ? x : y)))} />
                  )}
                </div>
              ))}
              <div class="actions">
                {!first.detached && first.quote && view && (
                  <button type="button" class="secondary small" onClick={() => show(first)}>
                    {t("comments.show")}
                  </button>
                )}
                {(first.mine || canModerate) && (
                  <button type="button" class="secondary small" onClick={() => resolve(first)}>
                    {first.resolved ? t("comments.reopen") : t("comments.resolve")}
                  </button>
                )}
              </div>
              {canComment && !first.resolved && (
                <form
                  class="reply"
                  onSubmit={(e) => {
                    e.preventDefault();
                    answer(first);
                  }}
                >
                  <label for={`reply-${first.id}`}>{t("comments.reply")}</label>
                  <textarea
                    id={`reply-${first.id}`}
                    rows={2}
                    maxLength={4000}
                    value={reply[first.id] ?? ""}
                    onInput={(e) => setReply((x) => ({ ...x, [first.id]: e.currentTarget.value }))}
                  />
                  <button type="submit" class="secondary small">
                    {t("comments.send")}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
