import { useEffect, useRef, useState } from "preact/hooks";
import type { DocumentSummary, Lab as LabInfo, Member, Template } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, translated, type MessageKey } from "../i18n";
import { FeedbackPanel } from "../ui/feedback";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { MembersPanel } from "../ui/members";
import { ActivityLog } from "../ui/activity";
import { ModerationLog } from "../ui/moderation";
import { WorkshopsPanel } from "../ui/workshops";

const kinds: DocumentSummary["kind"][] = ["baseline", "proposal", "feedback", "synthesis", "notes"];

/** Lab is a lab's workspace: its documents by kind and its members. */
export function Lab({ app, id }: { app: App; id: string }) {
  const [lab, setLab] = useState<LabInfo | null>(null);
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [error, setError] = useState("");
  const [createError, setCreateError] = useState("");
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    app.api.lab(id).then(
      (l) => {
        setLab(l);
        document.title = `${l.title} · LinkLab`;
      },
      (e) => setError(messageOf(e)),
    );
    app.api.documents(id).then((p) => setDocs(p.items), (e) => setError(messageOf(e)));
    // Members are listed to members and admins only; others simply see none.
    app.api.members(id).then((p) => setMembers(p.items), () => setMembers(null));
    app.api.templates().then((p) => setTemplates(p.items.filter((x) => x.kind !== "synthesis")), () => setTemplates([]));
  }, [id]);
  const role = app.session?.memberships.find((m) => m.labId === id)?.role ?? "";
  const facilitator = role === "facilitator";
  const admin = app.session?.account.admin ?? false;
  // Starting documents and giving feedback are a participant's; the
  // facilitator sets up and moderates (the server's policy decides).
  const mayCreate = role !== "";
  const participant = role !== "" && !facilitator;
  const recent = [...docs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 5);
  async function create(ev: Event) {
    ev.preventDefault();
    setCreateError("");
    const d = new FormData(form.current!);
    try {
      const doc = await app.api.createDocument(id, String(d.get("template")), String(d.get("title") ?? ""));
      app.navigate(`/documents/${doc.id}`);
    } catch (e) {
      setCreateError(messageOf(e));
    }
  }
  if (!lab) {
    return (
      <>
        <ErrorBox message={error} />
        {!error && <p>{t("app.loading")}</p>}
      </>
    );
  }
  return (
    <>
      <p class="crumbs">
        <Link app={app} href="/labs">
          {t("labs.title")}
        </Link>
      </p>
      <h1>{lab.title}</h1>
      <p class="meta">
        {t("labs.country", { country: lab.country })} · {t("labs.targetGroup", { group: t(`target.${lab.targetGroup}` as MessageKey) })}
      </p>
      <ErrorBox message={error} />
      <div class="workspace">
        <section aria-labelledby="docs-title">
          <h2 id="docs-title">{t("lab.documents")}</h2>
          {docs.length === 0 && <p class="empty">{t("lab.noDocuments")}</p>}
          <p>
            <Link app={app} href={`/labs/${id}/proposals`} class="button-link">
              {t("lab.proposals")}
            </Link>
          </p>
          {kinds.map((kind) => {
            const of = docs.filter((d) => d.kind === kind);
            if (of.length === 0) return null;
            return (
              <section key={kind} aria-labelledby={`kind-${kind}`}>
                <h3 id={`kind-${kind}`}>{t(`kind.${kind}` as MessageKey)}</h3>
                <ul class="docs">
                  {of.map((d) => (
                    <li key={d.id}>
                      <Link app={app} href={`/documents/${d.id}`}>
                        {d.title}
                      </Link>{" "}
                      <span class="tag">{t(`visibility.${d.visibility}` as MessageKey)}</span>
                      {d.status && <span class="tag">{t(`status.${d.status}` as MessageKey)}</span>}{" "}
                      <span class="meta">{t("labs.updated", { date: formatDate(d.updatedAt) })}</span>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
          {mayCreate && templates.length > 0 && (
            <form ref={form} class="card inline" aria-labelledby="new-doc" onSubmit={create}>
              <h3 id="new-doc">{t("lab.newDocument")}</h3>
              <ErrorBox message={createError} />
              <label for="template">{t("lab.template")}</label>
              <select id="template" name="template">
                {templates.map((tp) => (
                  <option key={tp.name} value={tp.name}>
                    {translated(`tpl.${tp.name}.title`) ?? tp.title}
                  </option>
                ))}
              </select>
              <label for="title">{t("lab.docTitle")}</label>
              <input id="title" name="title" maxLength={200} />
              <button type="submit">{t("lab.create")}</button>
            </form>
          )}
        </section>
        <div class="side">
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">{t("lab.recent")}</h2>
          {recent.length === 0 ? (
            <p class="empty">{t("lab.noRecent")}</p>
          ) : (
            <ul class="docs">
              {recent.map((d) => (
                <li key={d.id}>
                  <Link app={app} href={`/documents/${d.id}`}>
                    {d.title}
                  </Link>
                  <span class="meta block">{t("labs.updated", { date: formatDate(d.updatedAt) })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {mayCreate && <WorkshopsPanel app={app} lab={id} canSchedule={facilitator} />}
        {members && (
          <MembersPanel
            app={app}
            lab={id}
            members={members}
            setMembers={setMembers}
            canInvite={facilitator || admin}
            canManage={admin}
          />
        )}
        {(facilitator || admin) && <ActivityLog app={app} lab={id} docs={docs} />}
        {mayCreate && <ModerationLog app={app} lab={id} />}
        </div>
      </div>
      {mayCreate && <FeedbackPanel app={app} lab={id} target="lab" canGive={participant} canModerate={facilitator} />}
    </>
  );
}
