import { useEffect, useState } from "preact/hooks";
import type { Lab } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { ErrorBox } from "../ui/forms";
import { JoinForm } from "./Join";
import { Link } from "../ui/link";

export function Labs({ app }: { app: App }) {
  const admin = app.session?.account.admin ?? false;
  const title = admin ? t("labs.titleAdmin") : t("labs.title");
  const [labs, setLabs] = useState<Lab[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    document.title = `${title} · LinkLab`;
    app.api.labs().then((p) => setLabs(p.items), (e) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <h1>{title}</h1>
      <ErrorBox message={error} />
      {labs === null && !error && <p>{t("app.loading")}</p>}
      {labs !== null && labs.length === 0 && <p class="empty">{t("labs.empty")}</p>}
      {labs !== null && labs.length > 0 && (
        <ul class="labs" aria-label={title}>
          {labs.map((lab) => (
            <li key={lab.id}>
              <article class="card" aria-labelledby={`lab-${lab.id}`}>
                <h2 id={`lab-${lab.id}`}>
                  <Link app={app} href={`/labs/${lab.id}`}>
                    {lab.title}
                  </Link>
                </h2>
                <p class="meta">{t("labs.country", { country: lab.country })}</p>
                <p class="meta">{t("labs.targetGroup", { group: t(`target.${lab.targetGroup}` as MessageKey) })}</p>
                {lab.myRole && (
                  <p class="meta">
                    <span class="tag">{t("labs.role", { role: t(`role.${lab.myRole}` as MessageKey) })}</span>
                  </p>
                )}
                {lab.description && <p>{lab.description}</p>}
                <p class="meta">{t("labs.updated", { date: formatDate(lab.updatedAt) })}</p>
              </article>
            </li>
          ))}
        </ul>
      )}
      {labs !== null && labs.some((l) => l.myRole) && (
        <section aria-labelledby="join-title" class="join-section">
          <h2 id="join-title">{t("room.joinTitle")}</h2>
          <JoinForm app={app} />
        </section>
      )}
    </>
  );
}
