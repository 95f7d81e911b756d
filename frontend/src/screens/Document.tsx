import { Title } from "../ui/rename";
import { DeleteDraft } from "../ui/remove";
import { Bold, ChevronDown, ChevronRight, Heading2, Link as Link2, List, MessageSquarePlus, type IconNode } from "lucide";
import { Icon } from "../ui/icon";
import { Exports, fileName } from "../ui/exports";
import { useEffect, useRef, useState } from "preact/hooks";
import { EditorView } from "@codemirror/view";
import { getSyncedVersion } from "@codemirror/collab";
import type { Comment, DocumentDetail, Feedback, LogicMap, SectionInfo, Status, TemplateField } from "../api";
import { errorWords, messageOf, type App } from "../app";
import type { ConnState, Message } from "../collab/connection";
import { DocSync } from "../collab/doc";
import { highlights, newSectionState, prefixLines, setPeer, toLocal, wrap } from "../collab/editor";
import { Reading } from "../collab/reading";
import { sectionQuestion, sectionTitle, t, type MessageKey } from "../i18n";
import { statusText } from "./status";
import { CommentsPanel } from "../ui/comments";
import { FeedbackPanel } from "../ui/feedback";
import { SectionLevel, SharingPanel } from "../ui/sharing";
import { CitationsPanel, CiteForm } from "../ui/citations";
import { TagsPanel } from "../ui/tags";
import { VersionsPanel } from "../ui/versions";
import { announce, ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { FieldsForm, LogicMapEditor, MoveButtons } from "../ui/proposal";


interface PeerInfo {
  peer: string;
  name: string;
  color: string;
  section: string;
}

/** localized gives a document's template sections their titles and
 * questions in the person's language. */
function localized(d: DocumentDetail | null): DocumentDetail | null {
  if (!d) return d;
  return {
    ...d,
    sections: d.sections.map((s) => ({
      ...s,
      title: sectionTitle(d.template, s.key, s.title),
      guidance: s.guidance && sectionQuestion(d.template, s.key, s.guidance),
    })),
  };
}

/** Pick is text selected in a section, offered for a comment. */
interface Pick {
  section: string;
  from: number;
  to: number;
  /** where the offer is drawn, in page coordinates */
  top: number;
  left: number;
}

const previewKey = "linklab.preview";

/** Document is a document's page. Writers get every section as an editor
 * bound to the real-time protocol that shows the text formatted as they
 * write (with the server's preview beside it on wide screens, if they
 * like), a formatting toolbar, and the others' cursors; readers get the
 * formatted text, kept live. Selecting text offers a comment on it. */
export function Document({ app, id }: { app: App; id: string }) {
  const [doc, setRawDoc] = useState<DocumentDetail | null>(null);
  // Template sections are shown in the person's language.
  const setDoc = (v: DocumentDetail | null | ((old: DocumentDetail | null) => DocumentDetail | null)) =>
    setRawDoc((old) => localized(typeof v === "function" ? v(old) : v));
  const [error, setError] = useState("");
  const [conn, setConn] = useState<ConnState>("connecting");
  const [unsent, setUnsent] = useState(0);
  const [peers, setPeers] = useState<Map<string, PeerInfo>>(new Map());
  const views = useRef(new Map<string, EditorView>());
  const holders = useRef(new Map<string, HTMLElement>());
  const previews = useRef(new Map<string, HTMLElement>());
  const readings = useRef(new Map<string, Reading>());
  const textEvents = useRef(new EventTarget());
  const [pick, setPick] = useState<Pick | null>(null);
  const [sheet, setSheet] = useState(false);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [showPreview, setShowPreview] = useState(() => {
    try {
      return localStorage.getItem(previewKey) === "1";
    } catch {
      return false;
    }
  });
  const sync = useRef<DocSync | null>(null);
  const [active, setActive] = useState("");
  const [liveComments, setLiveComments] = useState<Comment[]>([]);
  const [liveFeedback, setLiveFeedback] = useState<Feedback[]>([]);
  const [fields, setFields] = useState<TemplateField[]>([]);

  const previewOn = useRef(showPreview);
  previewOn.current = showPreview;
  const lab = doc?.labId;
  // What the person may do comes with the document, from the server's policy.
  const can = doc?.can;
  const writable = can?.write ?? false;

  useEffect(() => {
    if (doc?.kind !== "proposal") return;
    app.api.templates().then((p) => setFields(p.items.find((x) => x.name === doc.template.split("@")[0])?.fields ?? []), () => setFields([]));
  }, [doc?.kind, doc?.template]);

  useEffect(() => {
    let cancelled = false;
    app.api.document(id).then(
      (d) => {
        if (cancelled) return;
        setDoc(d);
        document.title = `${d.title} · LinkLab`;
      },
      (e) => setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  // A link to a section (from search, a citation) opens at it, once the
  // sections are there.
  const hasDoc = !!doc;
  useEffect(() => {
    const target = hasDoc && /^#s-[0-9a-z]{26}$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    target.querySelector<HTMLElement>("h2")?.setAttribute("tabindex", "-1");
    target.querySelector<HTMLElement>("h2")?.focus({ preventScroll: true });
  }, [hasDoc]);

  // The real-time part starts once the structure is known.
  useEffect(() => {
    if (!doc) return;
    const connection = app.realtime();
    const clientID = `w${Math.random().toString(36).slice(2, 12)}`;
    const previewTimers = new Map<string, ReturnType<typeof setTimeout>>();
    let remoteNote: ReturnType<typeof setTimeout> | null = null;
    const remoteSections = new Set<string>();

    const title = (section: string) => doc.sections.find((s) => s.id === section)?.title ?? "";

    // Readers see the formatted text, drawn again once per frame at most.
    const drawing = new Set<string>();
    function drawReading(section: string, view: EditorView) {
      if (writable || drawing.has(section)) return;
      drawing.add(section);
      requestAnimationFrame(() => {
        drawing.delete(section);
        readings.current.get(section)?.render(view.state.doc.toString(), highlights(view.state));
      });
    }

    function schedulePreview(section: string) {
      if (!writable || !previewOn.current) return;
      const old = previewTimers.get(section);
      if (old) clearTimeout(old);
      previewTimers.set(
        section,
        setTimeout(() => {
          const view = views.current.get(section);
          if (!view) return;
          app.api.preview(view.state.doc.toString()).then(
            (html) => {
              const el = previews.current.get(section);
              if (el) el.innerHTML = html; // sanitized by the server
            },
            () => undefined,
          );
        }, 400),
      );
    }

    let presencePending: { section: string; view: EditorView } | null = null;
    function sendPresence(section: string, view: EditorView) {
      if (s.unsent() > 0) {
        // Positions must be at a version the server knows: after the
        // pending changes are confirmed.
        presencePending = { section, view };
        return;
      }
      presencePending = null;
      const sel = view.state.selection.main;
      connection.send({
        type: "presence",
        doc: id,
        section,
        version: getSyncedVersion(view.state),
        anchor: sel.anchor,
        head: sel.head,
      });
    }

    const s = new DocSync(connection, id, clientID, {
      load(section, text, version) {
        const state = newSectionState({
          text,
          version,
          clientID,
          label: title(section),
          readOnly: !writable,
          changed() {
            s.changed(section);
            schedulePreview(section);
            textEvents.current.dispatchEvent(new Event("text"));
            if (presencePending && s.unsent() === 0) sendPresence(presencePending.section, presencePending.view);
          },
          selected(view) {
            if (view.hasFocus) {
              sendPresence(section, view);
              setActive(section);
            }
          },
          redraw(view) {
            drawReading(section, view);
          },
        });
        let view = views.current.get(section);
        if (view) view.setState(state);
        else {
          view = new EditorView({ state });
          views.current.set(section, view);
          holders.current.get(section)?.replaceChildren(view.dom);
        }
        schedulePreview(section);
        drawReading(section, view);
        textEvents.current.dispatchEvent(new Event("text"));
        return view;
      },
      remote(section) {
        // Announced politely and in summary, never per keystroke.
        remoteSections.add(title(section));
        if (remoteNote) return;
        remoteNote = setTimeout(() => {
          announce(t("editor.remoteChanges", { sections: [...remoteSections].join(", ") }));
          remoteSections.clear();
          remoteNote = null;
        }, 4000);
      },
      subscribed() {
        // Back (after a reload or a lost network): the others see where
        // this person is at once, not at their next click.
        for (const [section, view] of views.current) if (view.hasFocus) sendPresence(section, view);
      },
      unsent(n) {
        setUnsent(n);
        // A cursor moved by typing is shown to the others once the typing
        // is confirmed: its positions are then at a version they know.
        if (n === 0 && presencePending) sendPresence(presencePending.section, presencePending.view);
      },
      other(m: Message) {
        switch (m.type) {
          case "presence": {
            const section = String(m.section);
            const view = views.current.get(section);
            const peer = String(m.peer);
            setPeers((old) => new Map(old).set(peer, { peer, name: String(m.name), color: String(m.color), section }));
            for (const [sec, v] of views.current) {
              if (sec !== section) v.dispatch({ effects: setPeer.of({ peer, name: "", color: "", anchor: -1, head: -1 }) });
            }
            if (!view) return;
            const pos = toLocal(view.state, Number(m.version), [Number(m.anchor), Number(m.head)]);
            if (!pos) return;
            view.dispatch({ effects: setPeer.of({ peer, name: String(m.name), color: String(m.color), anchor: pos[0], head: pos[1] }) });
            return;
          }
          case "presence_left": {
            const peer = String(m.peer);
            setPeers((old) => {
              const next = new Map(old);
              next.delete(peer);
              return next;
            });
            for (const v of views.current.values()) v.dispatch({ effects: setPeer.of({ peer, name: "", color: "", anchor: -1, head: -1 }) });
            return;
          }
          case "document": {
            // The event carries the new structure (the sections this
            // person may read); new sections' text comes by resubscribing.
            const sections = (m.sections as { section: string; key: string; title: string }[]) ?? [];
            setDoc((old) =>
              !old || old.revision >= Number(m.revision)
                ? old
                : {
                    ...old,
                    revision: Number(m.revision),
                    title: String(m.title),
                    status: m.status ? (String(m.status) as Status) : undefined,
                    visibility: (String(m.visibility) || old.visibility) as DocumentDetail["visibility"],
                    fields: (m.fields as Record<string, string>) ?? {},
                    logicMap: {
                      elements: (m.logicMap as Partial<LogicMap> | undefined)?.elements ?? [],
                      outcomes: (m.logicMap as Partial<LogicMap> | undefined)?.outcomes ?? [],
                    },
                    sections: sections.map((x) => ({
                      ...old.sections.find((o) => o.id === x.section),
                      id: x.section,
                      key: x.key,
                      title: x.title,
                    })),
                  },
            );
            return;
          }
          case "comment":
            setLiveComments((old) => [...old, m.comment as Comment]);
            return;
          case "feedback":
            setLiveFeedback((old) => [...old, m.feedback as Feedback]);
            return;
          case "revoked":
            // Who reads what changed: the levels shown come from the API.
            app.api.document(id).then(setDoc, (e) => setError(messageOf(e)));
            return;
          case "error":
            setError(errorWords(String(m.code ?? ""), String(m.reason ?? ""), String(m.message ?? "")));
            return;
        }
      },
    });
    sync.current = s;
    const stop = connection.onState(setConn);
    return () => {
      stop();
      s.close();
      for (const h of previewTimers.values()) clearTimeout(h);
      if (remoteNote) clearTimeout(remoteNote);
      for (const v of views.current.values()) v.destroy();
      views.current.clear();
      sync.current = null;
    };
  }, [doc?.id, writable]);

  // The preview, when it is asked for, starts with the text as it is.
  useEffect(() => {
    if (!showPreview) return;
    for (const [section, view] of views.current) {
      app.api.preview(view.state.doc.toString()).then(
        (html) => {
          const el = previews.current.get(section);
          if (el) el.innerHTML = html; // sanitized by the server
        },
        () => undefined,
      );
    }
  }, [showPreview]);

  // Selected words are offered for a comment: beside the selection, or at
  // the bottom of a phone's screen (where the phone's own menu is above).
  const sheetOpen = useRef(false);
  sheetOpen.current = sheet;
  const canComment = can?.comment ?? false;
  useEffect(() => {
    if (!hasDoc || !canComment) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = () => {
      if (sheetOpen.current) return;
      const sel = document.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) return setPick(null);
      const r = sel.getRangeAt(0);
      const inside = r.commonAncestorContainer;
      const el = (inside.nodeType === Node.ELEMENT_NODE ? (inside as Element) : inside.parentElement)?.closest<HTMLElement>("[data-section]");
      const section = el?.dataset.section ?? "";
      let range: [number, number] | null = null;
      const reading = readings.current.get(section);
      const view = views.current.get(section);
      if (reading?.root.contains(inside)) range = reading.selected(sel);
      else if (view?.dom.contains(inside) && !view.state.selection.main.empty) range = [view.state.selection.main.from, view.state.selection.main.to];
      if (!range) return setPick(null);
      const box = r.getBoundingClientRect();
      setPick({ section, from: range[0], to: range[1], top: box.bottom + 8, left: Math.max(8, Math.min(box.left, document.documentElement.clientWidth - 180)) });
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(look, 120);
    };
    document.addEventListener("selectionchange", later);
    window.addEventListener("scroll", later, { passive: true });
    return () => {
      clearTimeout(timer);
      document.removeEventListener("selectionchange", later);
      window.removeEventListener("scroll", later);
    };
  }, [hasDoc, canComment]);

  // Resubscribe when sections were added, so their text arrives.
  useEffect(() => {
    if (!doc || !sync.current) return;
    if (doc.sections.some((sec) => !views.current.has(sec.id))) sync.current.resubscribe();
  }, [doc?.revision]);

  if (!doc) {
    return (
      <>
        <ErrorBox message={error} />
        {!error && <p>{t("app.loading")}</p>}
      </>
    );
  }

  // A saved change to the document, unless a newer revision already came live.
  const saved = (d: DocumentDetail) => setDoc((old) => (old && d.revision > old.revision ? { ...old, ...d } : old));
  const holder = (section: string) => (el: HTMLElement | null) => {
    if (!el) {
      holders.current.delete(section);
      return;
    }
    holders.current.set(section, el);
    const view = views.current.get(section);
    if (view && view.dom.parentElement !== el) el.replaceChildren(view.dom);
  };
  const reading = (section: string) => (el: HTMLElement | null) => {
    if (!el) {
      readings.current.delete(section);
      return;
    }
    if (readings.current.get(section)?.root === el) return;
    const r = new Reading(el);
    readings.current.set(section, r);
    const view = views.current.get(section);
    if (view) r.render(view.state.doc.toString(), highlights(view.state));
  };
  const openSheet = () => {
    if (!pick) return;
    const view = views.current.get(pick.section);
    // Readers' selections are in the formatted text: the section's state
    // holds them from here on, as a writer's would.
    if (view && !writable) view.dispatch({ selection: { anchor: pick.from, head: pick.to } });
    setActive(pick.section);
    setSheet(true);
  };
  const closeSheet = () => {
    setSheet(false);
    setPick(null);
  };
  const togglePreview = () => {
    setShowPreview((on) => {
      try {
        localStorage.setItem(previewKey, on ? "0" : "1");
      } catch {
        // A refused storage keeps the choice for this visit.
      }
      return !on;
    });
  };
  const toggleSection = (id: string) =>
    setCollapsed((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const preview = (section: string) => (el: HTMLElement | null) => {
    if (el) previews.current.set(section, el);
    else previews.current.delete(section);
  };
  const tool = (section: SectionInfo, label: string, apply: (v: EditorView) => void, icon: IconNode) => (
    <button
      type="button"
      class="tool"
      aria-label={`${label}: ${section.title}`}
      title={label}
      disabled={!writable}
      onClick={() => {
        const v = views.current.get(section.id);
        if (v) apply(v);
      }}
    >
      <Icon node={icon} />
    </button>
  );

  return (
    <div class="editor-screen">
      <p class="crumbs">
        {lab ? (
          <Link app={app} href={`/labs/${lab}`}>
            {t("doc.backToLab")}
          </Link>
        ) : (
          <Link app={app} href="/labs">
            {t("labs.title")}
          </Link>
        )}
      </p>
      <Title app={app} doc={doc} writable={writable} onSaved={saved} />
      <p class="meta">
        <span class="tag">{t(`kind.${doc.kind}` as MessageKey)}</span>{" "}
        <span class="tag">{t(`visibility.${doc.visibility}` as MessageKey)}</span>
        {doc.status && <span class="tag">{t(`status.${doc.status}` as MessageKey)}</span>}
      </p>
      <Exports base={`/api/documents/${doc.id}/export`} name={fileName(doc.title, doc.id)} />
      {can?.delete && <DeleteDraft app={app} doc={doc} />}
      <p class={`conn conn-${conn}`} role="status" data-testid="connection">
        <span class="dot" aria-hidden="true" />
        {statusText(conn, unsent)}
      </p>
      {!writable && <p class="meta">{t("doc.readOnly")}</p>}
      {writable && (
        <div class="editor-options">
          <p class="hint">{t("editor.tabHint")}</p>
          <label class="choice switch preview-toggle">
            <input type="checkbox" role="switch" checked={showPreview} onChange={togglePreview} />
            <span>{t("doc.previewToggle")}</span>
          </label>
        </div>
      )}
      {doc.kind === "proposal" && can?.advance && (
        <div class="stage" role="group" aria-label={t("board.stage", { status: t(`status.${doc.status}` as MessageKey) })}>
          <MoveButtons app={app} doc={doc} title={doc.title} onMoved={saved} />
        </div>
      )}
      {peers.size > 0 && (
        <ul class="peers" aria-label={t("doc.whoIsHere")}>
          {[...peers.values()].map((p) => (
            <li key={p.peer}>
              <span class="avatar" style={{ background: p.color }} aria-hidden="true">
                {p.name.slice(0, 1)}
              </span>
              {p.name}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox message={error} />
      {can?.share && <SharingPanel app={app} doc={doc} onChanged={setDoc} />}
      <div class="doc-layout">
        <nav class="navigator" id="doc-nav" aria-label={t("doc.sections")}>
          <ol>
            {doc.sections.map((sec) => (
              <li key={sec.id}>
                <a href={`#s-${sec.id}`}>{sec.title}</a>
              </li>
            ))}
          </ol>
          <p>
            <a href="#comments-title">{t("comments.title")}</a>
          </p>
          <p>
            <a href="#versions-title">{t("versions.title")}</a>
          </p>
        </nav>
        <div class="sections">
          {doc.sections.map((sec) => {
            const open = !collapsed.has(sec.id);
            return (
              <section key={sec.id} id={`s-${sec.id}`} class="section card" aria-labelledby={`h-${sec.id}`}>
                <div class="section-head">
                  <h2 id={`h-${sec.id}`}>{sec.title}</h2>
                  <button
                    type="button"
                    class="tool"
                    aria-expanded={open}
                    aria-controls={`b-${sec.id}`}
                    aria-label={t(open ? "doc.hideSection" : "doc.showSection", { section: sec.title })}
                    title={t(open ? "doc.hideSection" : "doc.showSection", { section: sec.title })}
                    onClick={() => toggleSection(sec.id)}
                  >
                    <Icon node={open ? ChevronDown : ChevronRight} />
                  </button>
                </div>
                <div id={`b-${sec.id}`} hidden={!open}>
                  {sec.visibility && <p class="meta">{t("doc.sectionKept", { level: t(`visibility.${sec.visibility}` as MessageKey) })}</p>}
                  {can?.share && (
                    <SectionLevel app={app} doc={doc} section={sec} onChanged={() => app.api.document(doc.id).then(setDoc, (e) => setError(messageOf(e)))} />
                  )}
                  {sec.guidance && writable && <p class="hint">{sec.guidance}</p>}
                  {writable ? (
                    <>
                      <div class="toolbar" role="toolbar" aria-label={t("editor.toolbar", { section: sec.title })}>
                        {tool(sec, t("editor.heading"), (v) => prefixLines(v, "## "), Heading2)}
                        {tool(sec, t("editor.bold"), (v) => wrap(v, "**", "**"), Bold)}
                        {tool(sec, t("editor.list"), (v) => prefixLines(v, "- "), List)}
                        {tool(sec, t("editor.link"), (v) => wrap(v, "[", "](https://)"), Link2)}
                      </div>
                      <div class={`pane${showPreview ? " with-preview" : ""}`}>
                        <div class="editor" ref={holder(sec.id)} data-section={sec.id} />
                        {showPreview && <div class="preview" ref={preview(sec.id)} aria-label={t("editor.preview", { section: sec.title })} role="region" />}
                      </div>
                    </>
                  ) : (
                    <div class="reading" ref={reading(sec.id)} data-section={sec.id} />
                  )}
                </div>
              </section>
            );
          })}
          {doc.kind === "baseline" && <TagsPanel app={app} doc={doc} views={views.current} active={active} writable={writable} />}
          {doc.kind === "baseline" && app.session?.account.partnerOrgId && <CiteForm app={app} doc={doc} views={views.current} readings={readings.current} />}
          {doc.kind === "synthesis" && <CitationsPanel app={app} doc={doc} writable={writable} />}
          <VersionsPanel app={app} doc={doc} canFreeze={writable} />
          {doc.kind === "proposal" && fields.length > 0 && (
            <FieldsForm app={app} doc={doc} fields={fields} writable={writable} onSaved={saved} />
          )}
          {doc.kind === "proposal" && (
            <LogicMapEditor app={app} doc={doc} writable={writable} onSaved={saved} />
          )}
          {doc.kind === "proposal" && lab && (
            <div class="card">
              <FeedbackPanel app={app} lab={lab} target="proposal" targetId={doc.id} docVisibility={doc.visibility} canGive={can?.feedback ?? false} canModerate={can?.moderate ?? false} live={liveFeedback} />
            </div>
          )}
        </div>
        <CommentsPanel
          app={app}
          doc={doc}
          views={views.current}
          active={active}
          canComment={can?.comment ?? false}
          canModerate={can?.moderate ?? false}
          live={liveComments}
          pick={sheet ? pick : null}
          closePick={closeSheet}
          textEvents={textEvents.current}
        />
      </div>
      {pick && !sheet && (
        <button type="button" class="comment-offer" style={{ top: `${pick.top}px`, left: `${pick.left}px` }} onMouseDown={(e) => e.preventDefault()} onClick={openSheet} aria-label={t("comments.offerLabel")}>
          <Icon node={MessageSquarePlus} /> {t("comments.offer")}
        </button>
      )}
      <nav class="jump" aria-label={t("doc.jump")}>
        <a href="#doc-nav">{t("doc.jumpSections")}</a>
        <a href="#comments-title">{t("comments.title")}</a>
        {doc.kind === "proposal" && <a href="#fb-proposal-title">{t("doc.jumpFeedback")}</a>}
      </nav>
    </div>
  );
}
