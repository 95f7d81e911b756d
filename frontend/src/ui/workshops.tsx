// A lab's workshops on its page: each one, where it stands, a link to its
// room; the facilitator schedules one with an agenda of phases.

import { useEffect, useState } from "preact/hooks";
import type { Phase, Workshop } from "../api";
import { messageOf, type App } from "../app";
import { t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "./forms";
import { Link } from "./link";

const kinds: Phase["kind"][] = ["explore", "ideas", "discussion", "prioritise", "feedback"];

export function WorkshopsPanel({ app, lab, canSchedule }: { app: App; lab: string; canSchedule: boolean }) {
  const [items, setItems] = useState<Workshop[] | null>(null);
  const [error, setError] = useState("");
  const [title, setTitle] = useState("");
  const [phases, setPhases] = useState<Phase[]>([{ title: "", kind: "explore", minutes: 20, documents: [] }]);
  useEffect(() => {
    app.api.workshops(lab).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, [lab]);
  const change = (i: number, patch: Partial<Phase>) => setPhases((ps) => ps.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  async function schedule(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      const w = await app.api.scheduleWorkshop(lab, { title, agenda: phases });
      setItems((old) => [...(old ?? []), w]);
      setTitle("");
      setPhases([{ title: "", kind: "explore", minutes: 20, documents: [] }]);
      announce(t("workshop.scheduled", { title: w.title }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t("lab.sessions")}</h2>
      <ErrorBox message={error} />
      {items && items.length === 0 && <p class="empty">{t("lab.noSessions")}</p>}
      <ul class="plain-list">
        {(items ?? []).map((w) => (
          <li key={w.id}>
            <Link app={app} href={`/workshops/${w.id}`}>
              {w.title}
            </Link>{" "}
            <span class="tag">{t(`workshop.status.${w.status}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
      {canSchedule && (
        <form class="card inline" aria-labelledby="new-workshop" onSubmit={schedule}>
          <h3 id="new-workshop">{t("workshop.new")}</h3>
          <label for="workshop-title">{t("workshop.title")}</label>
          <input id="workshop-title" required maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          {phases.map((p, i) => (
            <fieldset key={i}>
              <legend>{t("workshop.phase", { n: i + 1 })}</legend>
              <label for={`phase-title-${i}`}>{t("workshop.phaseTitle")}</label>
              <input id={`phase-title-${i}`} required maxLength={200} value={p.title} onInput={(e) => change(i, { title: e.currentTarget.value })} />
              <label for={`phase-kind-${i}`}>{t("workshop.phaseKind")}</label>
              <select id={`phase-kind-${i}`} value={p.kind} onChange={(e) => change(i, { kind: e.currentTarget.value as Phase["kind"] })}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`workshop.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
              <label for={`phase-minutes-${i}`}>{t("workshop.phaseMinutes")}</label>
              <input
                id={`phase-minutes-${i}`}
                type="number"
                min={1}
                max={480}
                required
                value={p.minutes}
                onInput={(e) => change(i, { minutes: Number(e.currentTarget.value) })}
              />
            </fieldset>
          ))}
          <p>
            <button type="button" class="secondary" onClick={() => setPhases((ps) => [...ps, { title: "", kind: "ideas", minutes: 20, documents: [] }])}>
              {t("workshop.addPhase")}
            </button>
          </p>
          <button type="submit">{t("workshop.schedule")}</button>
        </form>
      )}
    </section>
  );
}
