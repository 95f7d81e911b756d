// A lab's activity log, as its facilitators and administrators read it:
// every change of who may read what, said in plain words.

import { useEffect, useState } from "preact/hooks";
import type { AuditEntry, DocumentSummary } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { ErrorBox } from "./forms";

/** describeEntry says what an entry records; documents are named by title. */
export function describeEntry(e: AuditEntry, titles: Map<string, string>): string {
  const level = (v: string | undefined) => (v ? t(`visibility.${v}` as MessageKey) : t("share.sectionSame"));
  const params = {
    ...e.detail,
    actor: e.actor,
    action: e.action,
    object: titles.get(e.object) ?? e.object,
    from: e.action.endsWith("visibility") ? level(e.detail.from) : (e.detail.from ?? ""),
    to: e.action.endsWith("visibility") ? level(e.detail.to) : (e.detail.to ?? ""),
  };
  const key = `activity.${e.action}` as MessageKey;
  const known = [
    "document.visibility",
    "section.visibility",
    "partner.grant",
    "partner.revoke",
    "partner_org.create",
    "member.join",
    "member.remove",
    "member.role",
  ];
  return known.includes(e.action) ? t(key, params) : t("activity.other", params);
}

/** ActivityLog lists a lab's log, newest first. */
export function ActivityLog({ app, lab, docs }: { app: App; lab: string; docs: DocumentSummary[] }) {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.audit(lab).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, [lab]);
  const titles = new Map(docs.map((d) => [d.id, d.title]));
  const entries = [...(items ?? [])].reverse();
  return (
    <section class="card activity" aria-labelledby="activity-title">
      <h2 id="activity-title">{t("activity.title")}</h2>
      <ErrorBox message={error} />
      {items && entries.length === 0 && <p class="empty">{t("activity.none")}</p>}
      <ul class="log">
        {entries.map((e) => (
          <li key={e.id}>
            <span>{describeEntry(e, titles)}</span> <span class="meta">{formatDate(e.at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
