// A live workshop: the phase under way and one countdown that every phone
// and the projector show alike, counted from the server's clock; the
// facilitator's controls beside it. The state comes over the tab's
// real-time connection after every act.

import { useEffect, useState } from "preact/hooks";
import type { Workshop as WorkshopState } from "../api";
import { messageOf, type App } from "../app";
import { useLiveWorkshop } from "../room/live";
import { Room } from "../room/Room";
import { t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";

/** remaining is the time left, in whole seconds, at local time now: the
 * server's endsAt less its clock when the state was sent, less the time
 * since it arrived; a paused timer stands still. */
export function remaining(w: WorkshopState, receivedAt: number, now: number): number {
  if (w.status === "paused") return Math.round(w.leftSeconds);
  if (w.status !== "running" || !w.endsAt) return 0;
  // The screen's clock may lag the message by up to a tick: never count
  // time backwards.
  const left = (Date.parse(w.endsAt) - Date.parse(w.serverTime) - Math.max(0, now - receivedAt)) / 1000;
  return Math.max(0, Math.ceil(left));
}

/** clock formats seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function Workshop({ app, id }: { app: App; id: string }) {
  const live = useLiveWorkshop(app, id);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState("");
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const state = live.w ? { w: live.w, at: live.at } : null;
  const take = live.takeWorkshop;

  if (!state) {
    return (
      <>
        <ErrorBox message={error || live.error} />
        {!error && !live.error && <p>{t("app.loading")}</p>}
      </>
    );
  }
  const w = state.w;
  const role = app.session?.memberships.find((m) => m.labId === w.labId)?.role;
  const facilitator = role === "facilitator";
  const phase = w.phase >= 0 ? w.agenda[w.phase] : undefined;
  const left = remaining(w, state.at, now);
  async function act(action: string, minutes?: number) {
    setError("");
    try {
      take(await app.api.controlWorkshop(id, action, minutes));
      announce(t(`workshop.done.${action}` as MessageKey));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <div class="workshop">
      <p class="crumbs">
        <Link app={app} href={`/labs/${w.labId}`}>
          {t("doc.backToLab")}
        </Link>
      </p>
      <h1>{w.title}</h1>
      <section class="card now-on" aria-labelledby="phase-title">
        <p class="meta">{t(`workshop.status.${w.status}` as MessageKey)}</p>
        <h2 id="phase-title">{phase ? phase.title : t("workshop.notStarted")}</h2>
        {phase && <p class="meta">{t(`workshop.kind.${phase.kind}` as MessageKey)}</p>}
        {(w.status === "running" || w.status === "paused") && (
          <p class={`timer${left === 0 ? " over" : ""}`} role="timer" aria-label={t("workshop.timeLeft")}>
            {clock(left)}
          </p>
        )}
      </section>
      <ErrorBox message={error} />
      {facilitator && w.status !== "ended" && (
        <div class="controls" role="group" aria-label={t("workshop.controls")}>
          {w.status === "scheduled" && <button onClick={() => act("start")}>{t("workshop.start")}</button>}
          {w.status === "running" && <button onClick={() => act("pause")}>{t("workshop.pause")}</button>}
          {w.status === "paused" && <button onClick={() => act("resume")}>{t("workshop.resume")}</button>}
          {w.status !== "scheduled" && (
            <>
              <button class="secondary" onClick={() => act("extend", 5)}>
                {t("workshop.extend")}
              </button>
              {w.phase + 1 < w.agenda.length && (
                <button class="secondary" onClick={() => act("advance")}>
                  {t("workshop.advance")}
                </button>
              )}
              <button class="secondary" onClick={() => act("end")}>
                {t("workshop.end")}
              </button>
            </>
          )}
        </div>
      )}
      <Room app={app} live={live} />
      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t("workshop.agenda")}</h2>
        <ol class="agenda">
          {w.agenda.map((p, i) => (
            <li key={i} aria-current={i === w.phase && w.status !== "ended" ? "step" : undefined} class={i === w.phase ? "current" : ""}>
              <strong>{p.title}</strong> <span class="meta">{t("workshop.minutes", { n: p.minutes })}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
